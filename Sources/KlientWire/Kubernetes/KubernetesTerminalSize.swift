#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A terminal size sent on the resize channel (4) of exec/attach with a TTY:
/// JSON with Go's field names, `{"Width":80,"Height":24}`, one object per message.
public struct KubernetesTerminalSize: Sendable, Hashable, Decodable {
    public var width: UInt16
    public var height: UInt16

    /// Resize messages longer than this are rejected before parsing.
    public static let maxEncodedLength = 1024

    public init(width: UInt16, height: UInt16) {
        self.width = width
        self.height = height
    }

    /// `{"Width":W,"Height":H}`, plus `\n` when `trailingNewline` (kubectl sends one).
    public func jsonBytes(trailingNewline: Bool = true) -> [UInt8] {
        Array("{\"Width\":\(width),\"Height\":\(height)}\(trailingNewline ? "\n" : "")".utf8)
    }

    /// Parses a resize payload the way the API server does (Go's
    /// `encoding/json`): field names match case-insensitively, missing fields
    /// are 0, unknown fields are ignored.
    ///
    /// - Throws: ``KubernetesChannelError/invalidResize(_:)`` for oversized
    ///   input, invalid JSON, or a value that is not a 16-bit unsigned integer.
    public static func parse(_ bytes: [UInt8]) throws(KubernetesChannelError) -> KubernetesTerminalSize {
        guard bytes.count <= maxEncodedLength else {
            throw .invalidResize("\(bytes.count) bytes exceeds the \(maxEncodedLength)-byte limit")
        }
        do {
            return try JSONDecoder().decode(KubernetesTerminalSize.self, from: Data(bytes))
        } catch {
            throw .invalidResize("not a JSON object with 16-bit Width and Height")
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        width = 0
        height = 0
        for key in container.allKeys {
            switch key.stringValue.lowercased() {
            case "width": width = try container.decode(UInt16.self, forKey: key)
            case "height": height = try container.decode(UInt16.self, forKey: key)
            default: break
            }
        }
    }
}
