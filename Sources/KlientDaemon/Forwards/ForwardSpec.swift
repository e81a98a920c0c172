import KlientRPC
import KlientWire

/// A forward's definition: what `forward.add` asked for, completed with the
/// context and namespace it resolved to and the local ports it bound (so a
/// restored forward comes back on the same ports). This is what is persisted.
struct ForwardSpec: Sendable, Equatable {
    var id: String
    var name: String?
    var context: String
    var namespace: String
    /// Canonical target text, e.g. `svc/web`.
    var target: String
    /// The local ports are the bound ones once the forward started.
    var ports: [ForwardPortSpec]
    var addresses: [String]
    var pool: Int
    var mode: String
    var persist: Bool
    var createdAt: String

    var json: JSONValue {
        .object([
            "id": .string(id),
            "name": name.map(JSONValue.string) ?? .null,
            "context": .string(context),
            "namespace": .string(namespace),
            "target": .string(target),
            "ports": .array(ports.map(\.json)),
            "addresses": .array(addresses.map(JSONValue.string)),
            "pool": .int(Int64(pool)),
            "mode": .string(mode),
            "createdAt": .string(createdAt),
        ])
    }

    /// Reads a persisted spec; nil names the first field that is wrong.
    init(json: JSONValue) throws(ForwardStoreError) {
        func string(_ key: String) throws(ForwardStoreError) -> String {
            guard case .string(let value)? = json[key] else { throw .field(key, "a string") }
            return value
        }
        func int(_ key: String, in range: ClosedRange<Int>) throws(ForwardStoreError) -> Int {
            guard case .int(let value)? = json[key], let int = Int(exactly: value), range.contains(int) else {
                throw .field(key, "an integer in \(range)")
            }
            return int
        }
        id = try string("id")
        if case .string(let value)? = json["name"] { name = value } else { name = nil }
        context = try string("context")
        namespace = try string("namespace")
        target = try string("target")
        guard case .array(let rawPorts)? = json["ports"], !rawPorts.isEmpty else { throw .field("ports", "a non-empty array") }
        var ports: [ForwardPortSpec] = []
        for raw in rawPorts {
            guard let port = try? ForwardPortSpec(json: raw) else {
                throw .field("ports", "entries {\"local\": 0...65535, \"remote\": port number or name}")
            }
            ports.append(port)
        }
        self.ports = ports
        guard case .array(let rawAddresses)? = json["addresses"] else { throw .field("addresses", "an array of strings") }
        addresses = rawAddresses.compactMap { if case .string(let s) = $0 { s } else { nil } }
        pool = try int("pool", in: 0...64)
        mode = try string("mode")
        createdAt = try string("createdAt")
        persist = true
    }

    init(id: String, name: String?, context: String, namespace: String, target: String, ports: [ForwardPortSpec],
         addresses: [String], pool: Int, mode: String, persist: Bool, createdAt: String) {
        self.id = id
        self.name = name
        self.context = context
        self.namespace = namespace
        self.target = target
        self.ports = ports
        self.addresses = addresses
        self.pool = pool
        self.mode = mode
        self.persist = persist
        self.createdAt = createdAt
    }
}
