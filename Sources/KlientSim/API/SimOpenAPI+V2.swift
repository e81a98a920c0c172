import KlientWire

extension SimOpenAPI {
    /// `/openapi/v2` as kubectl ≤ 1.27 reads it: a gnostic `openapi.v2.Document`
    /// in protobuf with one PATCH operation per kind carrying the
    /// `x-kubernetes-group-version-kind` extension and the `fieldValidation`
    /// query parameter (what kubectl's query-parameter verifier looks for),
    /// and no definitions. Field numbers: google/gnostic openapiv2/OpenAPIv2.proto.
    static func v2Document(_ registry: ResourceRegistry) -> [UInt8] {
        var paths: [UInt8] = []
        for t in registry.types {
            let prefix = "/" + gvPath(t.group, t.version) + (t.namespaced ? "/namespaces/{namespace}" : "")
            var operation = Protobuf.string(5, "patch\(t.kind)")
            for param in ["dryRun", "fieldManager", "fieldValidation", "force", "pretty"] {
                let query = Protobuf.string(2, "query") + Protobuf.string(4, param) + Protobuf.string(6, param == "force" ? "boolean" : "string")
                let nonBody = Protobuf.message(3, query)
                let parameter = Protobuf.message(2, nonBody)
                operation += Protobuf.message(8, Protobuf.message(1, parameter))
            }
            let yaml = "group: \"\(t.group)\"\nkind: \(t.kind)\nversion: \(t.version)\n"
            operation += Protobuf.message(13, Protobuf.string(1, "x-kubernetes-group-version-kind") + Protobuf.message(2, Protobuf.string(2, yaml)))
            let pathItem = Protobuf.message(8, operation)
            paths += Protobuf.message(2, Protobuf.string(1, "\(prefix)/\(t.name)/{name}") + Protobuf.message(2, pathItem))
        }
        let info = Protobuf.string(1, "Kubernetes (klient-sim)") + Protobuf.string(2, KlientSimInfo.kubernetesVersion)
        return Protobuf.string(1, "2.0") + Protobuf.message(2, info) + Protobuf.message(8, paths)
    }
}

/// Just enough protobuf encoding (length-delimited fields) for the OpenAPI v2 document.
enum Protobuf {
    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
        return out
    }

    static func message(_ field: UInt64, _ payload: [UInt8]) -> [UInt8] {
        varint(field << 3 | 2) + varint(UInt64(payload.count)) + payload
    }

    static func string(_ field: UInt64, _ text: String) -> [UInt8] { message(field, Array(text.utf8)) }
}
