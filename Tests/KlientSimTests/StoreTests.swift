import Testing
import KlientWire
@testable import KlientSim

private let pods = ResourceRegistry.pods

private func pod(_ name: String, ns: String = "default", labels: [String: String] = [:], phase: String? = nil) -> JSONValue {
    var o: JSONValue = ["metadata": ["name": .string(name), "namespace": .string(ns),
                                     "labels": .object(labels.mapValues { .string($0) })],
                        "spec": ["containers": [["name": "c", "image": "busybox"]]]]
    if let phase { o["status"] = ["phase": .string(phase)] }
    return o
}

private func newStore(historyLimit: Int = 10_000) throws -> ObjectStore {
    let store = ObjectStore(historyLimit: historyLimit)
    try store.create(ResourceRegistry.namespaces, namespace: nil, object: ["metadata": ["name": "default"]])
    try store.create(ResourceRegistry.namespaces, namespace: nil, object: ["metadata": ["name": "other"]])
    return store
}

@Test func storeCreateSetsServerMetadata() throws {
    let store = try newStore()
    let created = try store.create(pods, namespace: "default", object: pod("a"))
    #expect(created["kind"] == "Pod")
    #expect(created["apiVersion"] == "v1")
    #expect(created[path: ["metadata", "uid"]]?.stringValue?.count == 36)
    #expect(created[path: ["metadata", "generation"]] == 1)
    #expect(created[path: ["metadata", "creationTimestamp"]]?.stringValue?.hasSuffix("Z") == true)
    #expect(created[path: ["metadata", "resourceVersion"]] == .string(String(store.currentResourceVersion)))
    #expect(throws: StoreError.alreadyExists(resource: "pods", name: "a")) {
        try store.create(pods, namespace: "default", object: pod("a"))
    }
    #expect(throws: StoreError.notFound(resource: "namespaces", name: "nope")) {
        try store.create(pods, namespace: "nope", object: pod("b", ns: "nope"))
    }
    let generated = try store.create(pods, namespace: "default", object: ["metadata": ["generateName": "web-"],
                                                                          "spec": ["containers": [["name": "c", "image": "x"]]]])
    #expect(generated[path: ["metadata", "name"]]?.stringValue?.hasPrefix("web-") == true)
    #expect(generated[path: ["metadata", "name"]]?.stringValue?.count == 9)
}

@Test func storeRejectsInvalidObjects() throws {
    let store = try newStore()
    do {
        try store.create(pods, namespace: "default", object: ["metadata": ["name": "Bad_Name"], "spec": ["containers": []]])
        Issue.record("expected invalid")
    } catch let StoreError.invalid(kind, name, causes) {
        #expect(kind == "Pod")
        #expect(name == "Bad_Name")
        #expect(causes.map(\.field) == ["metadata.name", "spec.containers"])
    }
}

@Test func storeUpdateChecksResourceVersionAndBumpsGeneration() throws {
    let store = try newStore()
    let created = try store.create(ResourceRegistry.deployments, namespace: "default", object: [
        "metadata": ["name": "d"],
        "spec": ["selector": ["matchLabels": ["app": "d"]],
                 "template": ["metadata": ["labels": ["app": "d"]], "spec": ["containers": [["name": "c", "image": "x"]]]]]])
    var changed = created
    changed[path: ["spec", "replicas"]] = 3
    let updated = try store.update(ResourceRegistry.deployments, namespace: "default", name: "d", object: changed)
    #expect(updated[path: ["metadata", "generation"]] == 2)
    #expect(throws: StoreError.self) {
        try store.update(ResourceRegistry.deployments, namespace: "default", name: "d", object: changed) // stale rv
    }
    var labelsOnly = updated
    labelsOnly[path: ["metadata", "labels"]] = ["x": "y"]
    let relabeled = try store.update(ResourceRegistry.deployments, namespace: "default", name: "d", object: labelsOnly)
    #expect(relabeled[path: ["metadata", "generation"]] == 2)
    // A no-op update keeps the resourceVersion.
    let same = try store.update(ResourceRegistry.deployments, namespace: "default", name: "d", object: relabeled)
    #expect(same[path: ["metadata", "resourceVersion"]] == relabeled[path: ["metadata", "resourceVersion"]])
    // Status writes through the main resource are ignored; /status writes only status.
    var withStatus = relabeled
    withStatus["status"] = ["readyReplicas": 3]
    withStatus[path: ["spec", "replicas"]] = 5
    let statusOnly = try store.updateStatus(ResourceRegistry.deployments, namespace: "default", name: "d", object: withStatus)
    #expect(statusOnly[path: ["status", "readyReplicas"]] == 3)
    #expect(statusOnly[path: ["spec", "replicas"]] == 3)
    let mainOnly = try store.update(ResourceRegistry.deployments, namespace: "default", name: "d",
                                    object: { var o = withStatus; o[path: ["metadata", "resourceVersion"]] = nil; o["status"] = nil; return o }())
    #expect(mainOnly[path: ["status", "readyReplicas"]] == 3)
    #expect(mainOnly[path: ["spec", "replicas"]] == 5)
}

@Test func labelSelectorParsesEveryForm() throws {
    let s = try LabelSelector(parsing: "app=web,tier!=db,env in (prod, staging),!legacy,team,zone notin (a)")
    #expect(s.requirements.count == 6)
    #expect(s.matches(["app": "web", "env": "prod", "team": "x"]))
    #expect(!s.matches(["app": "web", "env": "prod", "team": "x", "legacy": "1"]))
    #expect(!s.matches(["app": "web", "env": "dev", "team": "x"]))
    #expect(!s.matches(["app": "web", "env": "prod"]))
    #expect(!s.matches(["app": "web", "env": "prod", "team": "x", "zone": "a"]))
    #expect(!s.matches(["app": "web", "env": "prod", "team": "x", "tier": "db"]))
    #expect(try LabelSelector(parsing: "a==b").matches(["a": "b"]))
    #expect(throws: StoreError.self) { try LabelSelector(parsing: "a in b") }
    #expect(throws: StoreError.self) { try LabelSelector(parsing: "a=b c") }
}

@Test func listFiltersBySelectorsAndNamespace() throws {
    let store = try newStore()
    try store.create(pods, namespace: "default", object: pod("a", labels: ["app": "web"], phase: "Running"))
    try store.create(pods, namespace: "default", object: pod("b", labels: ["app": "db"], phase: "Pending"))
    try store.create(pods, namespace: "other", object: pod("c", ns: "other", labels: ["app": "web"], phase: "Running"))
    func names(_ ns: String?, label: String = "", field: String = "") throws -> [String] {
        try store.list(pods, namespace: ns, options: ListOptions(labelSelector: LabelSelector(parsing: label),
                                                                 fieldSelector: FieldSelector(parsing: field)))
            .items.compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }
    #expect(try names(nil) == ["a", "b", "c"])
    #expect(try names("default") == ["a", "b"])
    #expect(try names(nil, label: "app=web") == ["a", "c"])
    #expect(try names(nil, field: "status.phase=Running,metadata.namespace!=other") == ["a"])
    #expect(try names(nil, field: "metadata.name==b") == ["b"])
    #expect(try names("default", label: "app in (db)", field: "spec.nodeName=") == ["b"])
    #expect(throws: StoreError.self) { try FieldSelector(parsing: "status.phase") }
}

@Test func listPaginatesWithContinueTokens() throws {
    let store = try newStore()
    for i in 0..<7 { try store.create(pods, namespace: "default", object: pod("p\(i)")) }
    var seen: [String] = []
    var token: String?
    var pages = 0
    repeat {
        let page = try store.list(pods, namespace: "default", options: ListOptions(limit: 3, continueToken: token))
        seen += page.items.compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        token = page.continueToken
        if token != nil { #expect(page.remainingItemCount == 7 - seen.count) }
        pages += 1
    } while token != nil
    #expect(pages == 3)
    #expect(seen == (0..<7).map { "p\($0)" })
    #expect(throws: StoreError.self) { try store.list(pods, namespace: nil, options: ListOptions(continueToken: "!!")) }
}

@Test func deleteCascadesToDependentsAndNamespaceContents() throws {
    let store = try newStore()
    let owner = try store.create(ResourceRegistry.replicaSets, namespace: "default", object: [
        "metadata": ["name": "rs"],
        "spec": ["selector": ["matchLabels": ["a": "b"]],
                 "template": ["metadata": ["labels": ["a": "b"]], "spec": ["containers": [["name": "c", "image": "x"]]]]]])
    var child = pod("child")
    child[path: ["metadata", "ownerReferences"]] = [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs",
                                                     "uid": owner[path: ["metadata", "uid"]]!, "controller": true]]
    try store.create(pods, namespace: "default", object: child)
    try store.create(pods, namespace: "other", object: pod("x", ns: "other"))
    try store.delete(ResourceRegistry.replicaSets, namespace: "default", name: "rs")
    #expect(throws: StoreError.notFound(resource: "pods", name: "child")) { try store.get(pods, namespace: "default", name: "child") }
    try store.delete(ResourceRegistry.namespaces, namespace: nil, name: "other")
    #expect(try store.list(pods, namespace: nil).items.isEmpty)
}

private func collect(_ stream: AsyncStream<WatchEvent>, _ count: Int) async -> [WatchEvent] {
    var out: [WatchEvent] = []
    for await e in stream {
        out.append(e)
        if out.count == count { break }
    }
    return out
}

@Test func watchSendsInitialStateThenChanges() async throws {
    let store = try newStore()
    try store.create(pods, namespace: "default", object: pod("a", labels: ["app": "web"]))
    let stream = try store.watch(pods, namespace: "default", options: WatchOptions(labelSelector: LabelSelector(parsing: "app=web")))
    try store.create(pods, namespace: "default", object: pod("b", labels: ["app": "db"])) // not selected
    try store.modify(pods, namespace: "default", name: "b") { $0[path: ["metadata", "labels", "app"]] = "web" }
    try store.modify(pods, namespace: "default", name: "a") { $0[path: ["metadata", "labels", "app"]] = "gone" }
    try store.delete(pods, namespace: "default", name: "b")
    let events = await collect(stream, 4)
    #expect(events.map(\.type) == [.added, .added, .deleted, .deleted])
    #expect(events.map { $0.object[path: ["metadata", "name"]]?.stringValue ?? "" } == ["a", "b", "a", "b"])
}

@Test func watchResumesFromResourceVersionAndExpiresOldOnes() async throws {
    let store = try newStore(historyLimit: 4)
    let first = try store.create(pods, namespace: "default", object: pod("a"))
    let rv = first[path: ["metadata", "resourceVersion"]]!.stringValue!
    try store.create(pods, namespace: "default", object: pod("b"))
    let resumed = await collect(try store.watch(pods, namespace: nil, options: WatchOptions(resourceVersion: rv)), 1)
    #expect(resumed.map(\.type) == [.added])
    #expect(resumed.first?.object[path: ["metadata", "name"]] == "b")
    for i in 0..<10 { try store.create(pods, namespace: "default", object: pod("n\(i)")) }
    let expired = await collect(try store.watch(pods, namespace: nil, options: WatchOptions(resourceVersion: rv)), 5)
    #expect(expired.count == 1)
    #expect(expired.first?.type == .error)
    #expect(expired.first?.object["code"] == 410)
    #expect(expired.first?.object["reason"] == "Expired")
    #expect(throws: StoreError.self) { try store.watch(pods, namespace: nil, options: WatchOptions(resourceVersion: "abc")) }
}

@Test func watchSendsBookmarksWhenAllowed() async throws {
    let store = try newStore()
    let stream = try store.watch(pods, namespace: nil, options: WatchOptions(resourceVersion: String(store.currentResourceVersion),
                                                                              allowBookmarks: true, bookmarkInterval: .milliseconds(20)))
    let events = await collect(stream, 1)
    #expect(events.first?.type == .bookmark)
    #expect(events.first?.object[path: ["metadata", "resourceVersion"]] == .string(String(store.currentResourceVersion)))
    #expect(events.first?.object["kind"] == "Pod")
}
