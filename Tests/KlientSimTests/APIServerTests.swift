import Foundation
import Testing
import KlientHTTP
import KlientIO
import KlientWire
@testable import KlientSim

@Suite struct APIServerTests {
    @Test func healthVersionAndDiscovery() async throws {
        let t = try APITestCluster()
        #expect(try await t.request(.GET, "/healthz", token: "").status == 200)
        let version = try await t.request(.GET, "/version", token: "")
        #expect(version.json["gitVersion"] == .string(KlientSimInfo.kubernetesVersion))
        // Aggregated discovery is answered with the legacy document as application/json.
        let api = try await t.request(.GET, "/api", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
        #expect(api.headers["Content-Type"] == "application/json")
        #expect(api.json["kind"] == "APIVersions")
        let apis = try await t.request(.GET, "/apis")
        #expect(apis.json["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["apps", "batch"])
        let core = try await t.request(.GET, "/api/v1")
        let names = core.json["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.contains("pods") && names.contains("pods/exec") && names.contains("namespaces"))
        #expect(try await t.request(.GET, "/apis/apps/v1").json["groupVersion"] == "apps/v1")
        #expect(try await t.request(.GET, "/apis/nope/v1").status == 404)
        #expect(try await t.request(.GET, "/openapi/v3").json["paths"]?["apis/apps/v1"] != nil)
        #expect(try await t.request(.GET, "/version", token: "").status == 200)
        #expect(try await t.request(.GET, "/api/v1/namespaces", token: "").status == 401)
    }

    @Test func crudAndStatusErrors() async throws {
        let t = try APITestCluster()
        let created = try await t.request(.POST, "/apis/apps/v1/namespaces/default/deployments", json: testDeployment)
        #expect(created.status == 201)
        #expect(created.json[path: ["metadata", "generation"]] == 1)
        let again = try await t.request(.POST, "/apis/apps/v1/namespaces/default/deployments", json: testDeployment)
        #expect(again.status == 409)
        #expect(again.json["reason"] == "AlreadyExists")
        #expect(again.json[path: ["details", "group"]] == "apps")
        let missing = try await t.request(.GET, "/apis/apps/v1/namespaces/default/deployments/nope")
        #expect(missing.status == 404)
        #expect(missing.json["message"] == "deployments.apps \"nope\" not found")
        #expect(missing.json["kind"] == "Status")
        var stale = created.json
        stale[path: ["metadata", "resourceVersion"]] = "1"
        let conflict = try await t.request(.PUT, "/apis/apps/v1/namespaces/default/deployments/web", json: stale)
        #expect(conflict.status == 409)
        #expect(conflict.json["reason"] == "Conflict")
        let invalid = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: ["metadata": ["name": "p"], "spec": ["containers": []]])
        #expect(invalid.status == 422)
        #expect(invalid.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "spec.containers")
        let badType = try await t.request(.POST, "/api/v1/namespaces/default/pods", raw: Array("x".utf8), contentType: "text/plain")
        #expect(badType.status == 415)
        let badJSON = try await t.request(.POST, "/api/v1/namespaces/default/pods", raw: Array("{".utf8))
        #expect(badJSON.status == 400)
        let method = try await t.request(.PUT, "/api/v1/namespaces/default/pods", json: [:])
        #expect(method.status == 405)
        #expect(try await t.request(.POST, "/api/v1/namespaces/nope/pods", json: testPod("p")).status == 404)
        let scale = try await t.request(.PATCH, "/apis/apps/v1/namespaces/default/deployments/web/scale",
                                        json: ["spec": ["replicas": 4]], contentType: "application/merge-patch+json")
        #expect(scale.json[path: ["spec", "replicas"]] == 4)
        let status = try await t.request(.PATCH, "/apis/apps/v1/namespaces/default/deployments/web/status",
                                         json: ["status": ["readyReplicas": 4], "spec": ["replicas": 9]],
                                         contentType: "application/merge-patch+json")
        #expect(status.json[path: ["status", "readyReplicas"]] == 4)
        #expect(status.json[path: ["spec", "replicas"]] == 4)
        let deleted = try await t.request(.DELETE, "/apis/apps/v1/namespaces/default/deployments/web")
        #expect(deleted.status == 200)
        #expect(try await t.request(.GET, "/apis/apps/v1/namespaces/default/deployments/web").status == 404)
    }

    @Test func patchesOfEveryType() async throws {
        let t = try APITestCluster()
        _ = try await t.request(.POST, "/apis/apps/v1/namespaces/default/deployments", json: testDeployment)
        let path = "/apis/apps/v1/namespaces/default/deployments/web"
        let smp = try await t.request(.PATCH, path, json: ["spec": ["template": ["spec": ["containers": [
            ["name": "web", "env": [["name": "A", "value": "9"]]]]]]]], contentType: "application/strategic-merge-patch+json")
        #expect(smp.status == 200)
        #expect(smp.json[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["env"]
            == [["name": "A", "value": "9"], ["name": "B", "value": "2"]])
        #expect(smp.json[path: ["metadata", "generation"]] == 2)
        let merge = try await t.request(.PATCH, path, json: ["metadata": ["labels": ["x": "y"]]], contentType: "application/merge-patch+json")
        #expect(merge.json[path: ["metadata", "labels"]] == ["app": "web", "x": "y"])
        #expect(merge.json[path: ["metadata", "generation"]] == 2)
        let json = try await t.request(.PATCH, path, json: [["op": "replace", "path": "/spec/replicas", "value": 3]],
                                       contentType: "application/json-patch+json")
        #expect(json.json[path: ["spec", "replicas"]] == 3)
        let failedTest = try await t.request(.PATCH, path, json: [["op": "test", "path": "/spec/replicas", "value": 1]],
                                             contentType: "application/json-patch+json")
        #expect(failedTest.status == 422)
        let stale = try await t.request(.PATCH, path, json: ["metadata": ["resourceVersion": "1"]], contentType: "application/merge-patch+json")
        #expect(stale.status == 409)
        // Server-side apply creates, then merges, and records the field manager.
        var cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cfg"], "data": ["a": "1"]]
        let noManager = try await t.request(.PATCH, "/api/v1/namespaces/default/configmaps/cfg", json: cm, contentType: "application/apply-patch+yaml")
        #expect(noManager.status == 400)
        let applied = try await t.request(.PATCH, "/api/v1/namespaces/default/configmaps/cfg?fieldManager=test&force=true", json: cm,
                                          contentType: "application/apply-patch+yaml")
        #expect(applied.status == 201)
        cm["data"] = ["b": "2"]
        let yaml = Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  b: '2'\n".utf8)
        let reapplied = try await t.request(.PATCH, "/api/v1/namespaces/default/configmaps/cfg?fieldManager=test", raw: yaml,
                                            contentType: "application/apply-patch+yaml")
        #expect(reapplied.status == 200)
        #expect(reapplied.json["data"] == ["a": "1", "b": "2"])
        #expect(reapplied.json[path: ["metadata", "managedFields"]]?.arrayValue?.first?["manager"] == "test")
        let unsupported = try await t.request(.PATCH, path, json: [:], contentType: "application/json")
        #expect(unsupported.status == 415)
    }

    @Test func listSelectorsAndPagination() async throws {
        let t = try APITestCluster()
        for i in 0..<5 {
            _ = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: testPod("p\(i)", labels: ["even": .string(i % 2 == 0 ? "yes" : "no")]))
        }
        let even = try await t.request(.GET, "/api/v1/namespaces/default/pods?labelSelector=even%3Dyes")
        #expect(even.json["items"]?.arrayValue?.count == 3)
        #expect(even.json["kind"] == "PodList")
        let byName = try await t.request(.GET, "/api/v1/pods?fieldSelector=metadata.name%3Dp1")
        #expect(byName.json["items"]?.arrayValue?.count == 1)
        var names: [String] = []
        var token = ""
        repeat {
            let page = try await t.request(.GET, "/api/v1/namespaces/default/pods?limit=2" + (token.isEmpty ? "" : "&continue=\(token)"))
            names += page.json["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
            token = page.json[path: ["metadata", "continue"]]?.stringValue?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        } while !token.isEmpty
        #expect(names == ["p0", "p1", "p2", "p3", "p4"])
        let table = try await t.request(.GET, "/api/v1/namespaces/default/pods", accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        #expect(table.json["kind"] == "Table")
        #expect(table.json["rows"]?.arrayValue?.count == 5)
        let collection = try await t.request(.DELETE, "/api/v1/namespaces/default/pods?labelSelector=even%3Dno")
        #expect(collection.json["items"]?.arrayValue?.count == 2)
        #expect(try await t.request(.GET, "/api/v1/namespaces/default/pods").json["items"]?.arrayValue?.count == 3)
    }

    @Test func watchStreamsEventsAndExpiresOldVersions() async throws {
        let t = try APITestCluster(historyLimit: 4)
        let first = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: testPod("a"))
        let rv = first.json[path: ["metadata", "resourceVersion"]]!.stringValue!
        let (status, body) = try await t.watch("/api/v1/namespaces/default/pods?watch=1&resourceVersion=\(rv)&timeoutSeconds=300")
        #expect(status == 200)
        var reader = WatchLineReader(body)
        _ = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: testPod("b"))
        _ = try await t.request(.DELETE, "/api/v1/namespaces/default/pods/a")
        let e1 = try await reader.next()
        let e2 = try await reader.next()
        #expect(e1?["type"] == "ADDED")
        #expect(e1?[path: ["object", "metadata", "name"]] == "b")
        #expect(e2?["type"] == "DELETED")
        body.cancel()
        for i in 0..<8 { _ = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: testPod("n\(i)")) }
        let (status2, old) = try await t.watch("/api/v1/namespaces/default/pods?watch=true&resourceVersion=\(rv)")
        #expect(status2 == 200)
        var oldReader = WatchLineReader(old)
        let error = try await oldReader.next()
        #expect(error?["type"] == "ERROR")
        #expect(error?[path: ["object", "code"]] == 410)
        #expect(error?[path: ["object", "reason"]] == "Expired")
        #expect(try await oldReader.next() == nil)
        // timeoutSeconds ends the stream cleanly.
        let (_, short) = try await t.watch("/api/v1/namespaces/default/pods?watch=1&resourceVersion=\(t.cluster.store.currentResourceVersion)&timeoutSeconds=1")
        var shortReader = WatchLineReader(short)
        #expect(try await shortReader.next() == nil)
    }

    @Test func authenticationAndAuthorization() async throws {
        let t = try APITestCluster()
        _ = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: testPod("p"))
        #expect(try await t.request(.GET, "/api/v1/namespaces/default/pods", token: t.readonlyToken).status == 200)
        let write = try await t.request(.DELETE, "/api/v1/namespaces/default/pods/p", token: t.readonlyToken)
        #expect(write.status == 403)
        #expect(write.json["reason"] == "Forbidden")
        for sub in ["exec", "attach", "portforward"] {
            let denied = try await t.request(.GET, "/api/v1/namespaces/default/pods/p/\(sub)?command=ls&stdout=true", token: t.readonlyToken)
            #expect(denied.status == 403)
            #expect(denied.json["message"] == .string("pods \"p\" is forbidden: User \"klient-sim-readonly\" cannot get resource \"pods/\(sub)\" in API group \"\" in the namespace \"default\""))
        }
        let post = try await t.request(.POST, "/api/v1/namespaces/default/pods/p/exec?command=ls", token: t.readonlyToken)
        #expect(post.json["message"]?.stringValue?.contains("cannot create resource \"pods/exec\"") == true)
        // Admins reach the (default, unimplemented) stream handler.
        #expect(try await t.request(.GET, "/api/v1/namespaces/default/pods/p/exec?command=ls").status == 501)
        #expect(try await t.request(.GET, "/api/v1/namespaces", token: "wrong").status == 401)
        // Exec-plugin tokens: valid until expiry or until the expire-tokens fault.
        let cred = try ExecCredentialIssuer.credential(stateDirectory: t.directory, lifetimeSeconds: 60)
        let token = cred[path: ["status", "token"]]!.stringValue!
        #expect(cred["apiVersion"] == "client.authentication.k8s.io/v1")
        #expect(try await t.request(.GET, "/api/v1/namespaces", token: token).status == 200)
        let expired = t.cluster.authenticator.execSigner.mint(user: "old", lifetime: 1, now: Date(timeIntervalSinceNow: -120)).token
        #expect(try await t.request(.GET, "/api/v1/namespaces", token: expired).status == 401)
        let fault = try await t.request(.POST, "/klient-sim/faults/expire-tokens")
        #expect(fault.status == 200)
        #expect(try await t.request(.GET, "/api/v1/namespaces", token: token).status == 401)
        let fresh = try ExecCredentialIssuer.credential(stateDirectory: t.directory)[path: ["status", "token"]]!.stringValue!
        #expect(try await t.request(.GET, "/api/v1/namespaces", token: fresh).status == 200)
    }

    @Test func clientCertificateIdentity() async throws {
        let t = try APITestCluster()
        let admin = t.cluster.adminClientCertificate
        let viewer = try t.cluster.certificateAuthority.issueClientCertificate(commonName: "viewer", organizations: ["dev"])
        for (cert, expected) in [(admin, 201), (viewer, 403)] {
            let tls = try KlientTLS.TLSContext(configuration: .client(trustRoots: .pem(t.cluster.certificateAuthority.certificatePEM),
                                                                    identity: cert.identity))
            let endpoint = try HTTPEndpoint(url: t.cluster.url, tls: tls)
            let reply = try await t.client.execute(HTTPClientRequest(method: .POST, target: "/api/v1/namespaces",
                                                                     headers: ["Content-Type": "application/json"],
                                                                     body: JSONValue(["metadata": ["name": .string("ns-\(expected)")]]).encoded()),
                                                   on: endpoint)
            #expect(reply.status == expected)
        }
    }
}

import KlientTLS

extension JSONValue {
    init(_ value: JSONValue) { self = value }
}
