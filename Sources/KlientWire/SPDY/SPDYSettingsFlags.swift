/// Frame-level flags of a SPDY/3 SETTINGS frame (SPDY draft 3, §2.6.4).
public struct SPDYSettingsFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// FLAG_SETTINGS_CLEAR_SETTINGS (0x1): forget all persisted settings.
    public static let clearSettings = SPDYSettingsFlags(rawValue: 0x1)
}
