import KlientWire

/// One watch event: `{"type":"ADDED","object":{...}}`.
public struct WatchEvent: Sendable, Equatable {
    public enum EventType: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    public var type: EventType
    /// The object (a `Status` for ERROR; kind, apiVersion and
    /// metadata.resourceVersion only for BOOKMARK).
    public var object: JSONValue

    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }

    /// The event as the API sends it: one JSON object and a newline.
    public var jsonLine: [UInt8] {
        var out = JSONValue.object(["type": .string(type.rawValue), "object": object]).encoded()
        out.append(0x0A)
        return out
    }
}
