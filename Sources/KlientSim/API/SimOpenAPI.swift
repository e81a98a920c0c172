import KlientWire

/// A minimal OpenAPI v3 surface: the root index (`/openapi/v3`) and one
/// document per group version with a PATCH operation per kind that declares
/// the `fieldValidation` query parameter. kubectl reads exactly this to
/// decide on server-side field validation; without it kubectl falls back to
/// client-side validation, which needs the full /openapi/v2 schema and fails
/// ("failed to download openapi"). No schemas are served, so kubectl
/// computes strategic merge patches from its compiled-in types.
enum SimOpenAPI {
    static func hash(_ group: String, _ version: String) -> String {
        ExecTokenSigner.hex(SHA1.hash(Array("\(KlientSimInfo.kubernetesVersion)/\(group)/\(version)".utf8)))
    }

    static func gvPath(_ group: String, _ version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    static func root(_ registry: ResourceRegistry) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for gv in registry.groupVersions {
            let p = gvPath(gv.group, gv.version)
            paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)?hash=\(hash(gv.group, gv.version))")]
        }
        return ["paths": .object(paths)]
    }

    /// The document of `/openapi/v3/<gvPath>`, nil if there is no such group version.
    static func document(path: String, _ registry: ResourceRegistry) -> JSONValue? {
        guard let gv = registry.groupVersions.first(where: { gvPath($0.group, $0.version) == path }) else { return nil }
        var paths: [String: JSONValue] = [:]
        let params: JSONValue = .array(["dryRun", "fieldManager", "fieldValidation", "force", "pretty"].map {
            ["name": .string($0), "in": "query", "schema": ["type": .string($0 == "force" ? "boolean" : "string")], "uniqueItems": true]
        })
        for t in registry.types(group: gv.group, version: gv.version) {
            let prefix = "/" + gvPath(t.group, t.version) + (t.namespaced ? "/namespaces/{namespace}" : "")
            let gvk: JSONValue = ["group": .string(t.group), "version": .string(t.version), "kind": .string(t.kind)]
            paths["\(prefix)/\(t.name)/{name}"] = [
                "patch": ["operationId": .string("patch\(t.kind)"), "x-kubernetes-action": "patch",
                          "x-kubernetes-group-version-kind": gvk, "parameters": params,
                          "responses": ["200": ["description": "OK"]]],
            ]
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes (klient-sim)", "version": .string(KlientSimInfo.kubernetesVersion)],
                "paths": .object(paths), "components": ["schemas": .object([:])]]
    }
}
