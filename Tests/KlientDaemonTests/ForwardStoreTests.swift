import Foundation
@testable import KlientDaemon
import KlientRPC
import KlientWire
import Testing

/// The persisted forwards file: atomic saves, versioned schema, corrupt files moved aside.
@Suite("forward store")
struct ForwardStoreTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "klient-store-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func spec(_ id: String, local: Int?, remote: ForwardRemotePort, name: String? = nil) -> ForwardSpec {
        ForwardSpec(id: id, name: name, context: "klient-sim", namespace: "default", target: "svc/web",
                    ports: [ForwardPortSpec(local: local, remote: remote)], addresses: ["127.0.0.1", "::1"], pool: 2,
                    mode: "auto", persist: true, createdAt: "2026-12-05T10:00:00Z")
    }

    @Test func savedForwardsLoadBackUnchanged() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ForwardStore(directory: dir)
        let specs = [Self.spec("f-1", local: 40123, remote: .number(80), name: "web"),
                     Self.spec("f-2", local: 5432, remote: .name("postgres"))]
        try store.save(specs)
        guard case .forwards(let loaded) = store.load() else { Issue.record("not loaded"); return }
        #expect(loaded == specs)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["forwards.json"]) // no temporary left
        let json = try JSONValue.parse(Array(FileManager.default.contents(atPath: store.path)!))
        #expect(json["version"] == 1)
    }

    @Test func aMissingFileIsNoForwards() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard case .none = ForwardStore(directory: dir).load() else { Issue.record("expected none"); return }
    }

    @Test(arguments: [
        ("{\"version\": 1, \"forwards\": [", "not JSON"),
        ("{\"version\": 2, \"forwards\": []}", "schema version 2 is not supported"),
        ("{\"forwards\": []}", "\"version\""),
        ("{\"version\": 1, \"forwards\": [{\"id\": \"f-1\"}]}", "forward 0: field \"context\" must be a string"),
        ("{\"version\": 1, \"forwards\": [{\"id\": \"f-1\", \"context\": \"c\", \"namespace\": \"n\", \"target\": \"svc/w\", "
            + "\"ports\": [{\"remote\": 0}], \"addresses\": [], \"pool\": 2, \"mode\": \"auto\", \"createdAt\": \"t\"}]}",
         "ports"),
    ])
    func unreadableFilesAreMovedAside(content: String, reason: String) throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ForwardStore(directory: dir)
        try content.write(toFile: store.path, atomically: true, encoding: .utf8)
        guard case .corrupt(let why, let movedTo) = store.load() else { Issue.record("expected corrupt"); return }
        #expect(why.contains(reason), "\(why)")
        let aside = try #require(movedTo)
        #expect(FileManager.default.fileExists(atPath: aside))
        #expect(!FileManager.default.fileExists(atPath: store.path))
        #expect(try String(contentsOfFile: aside, encoding: .utf8) == content) // nothing lost
    }

    @Test func backoffGrowsToItsCapWithJitter() {
        var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30))
        let delays = (0..<12).map { _ in backoff.next() }
        #expect(delays[0] >= .milliseconds(400) && delays[0] <= .milliseconds(600))
        #expect(delays[3] >= .milliseconds(3200) && delays[3] <= .milliseconds(4800))
        #expect(delays.allSatisfy { $0 <= .seconds(36) })
        #expect(delays.last! >= .seconds(24))
        backoff.reset()
        #expect(backoff.next() <= .milliseconds(600))
    }
}
