import KlientWire

/// JSON Merge Patch (RFC 7386): objects merge member by member, `null`
/// removes a member, anything else (arrays included) replaces.
public enum JSONMergePatch {
    /// Applies `patch` to `target` (RFC 7386 §2, MergePatch).
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let members) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in members {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
