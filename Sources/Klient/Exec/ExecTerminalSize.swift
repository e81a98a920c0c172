/// A terminal size in character cells, sent on the resize channel (4) as
/// `{"Width":W,"Height":H}`.
public struct ExecTerminalSize: Sendable, Hashable {
    public var width: UInt16
    public var height: UInt16

    public init(width: UInt16, height: UInt16) {
        self.width = width
        self.height = height
    }
}
