import Foundation
import Testing
import KlientHTTP
import KlientIO
import KlientWire
@testable import KlientSim

@Suite struct APIFaultTests {
    @Test func failNextRequestsWithRetryAfter() async throws {
        let t = try APITestCluster()
        let set = try await t.request(.POST, "/klient-sim/faults/fail-requests?count=2&code=429&retryAfter=3")
        #expect(set.status == 200)
        for _ in 0..<2 {
            let failed = try await t.request(.GET, "/api/v1/namespaces")
            #expect(failed.status == 429)
            #expect(failed.headers["Retry-After"] == "3")
            #expect(failed.json["reason"] == "TooManyRequests")
            #expect(failed.json[path: ["details", "retryAfterSeconds"]] == 3)
        }
        #expect(try await t.request(.GET, "/api/v1/namespaces").status == 200)
        _ = try await t.request(.POST, "/klient-sim/faults/fail-requests?count=1&code=503")
        let unavailable = try await t.request(.GET, "/api/v1/namespaces")
        #expect(unavailable.status == 503)
        #expect(unavailable.json["reason"] == "ServiceUnavailable")
        #expect(try await t.request(.POST, "/klient-sim/faults/fail-requests?code=99").status == 400)
    }

    @Test func faultAPIIsAdminOnly() async throws {
        let t = try APITestCluster()
        #expect(try await t.request(.POST, "/klient-sim/faults/drop-streams", token: t.readonlyToken).status == 403)
        #expect(try await t.request(.POST, "/klient-sim/faults/drop-streams", token: "").status == 401)
        #expect(try await t.request(.POST, "/klient-sim/faults/nonsense").status == 404)
        #expect(try await t.request(.GET, "/klient-sim/faults").json["faults"]?.arrayValue?.count == 9)
    }

    @Test func dropStreamsCutsWatches() async throws {
        let t = try APITestCluster()
        let (_, body) = try await t.watch("/api/v1/namespaces/default/pods?watch=1&resourceVersion=\(t.cluster.store.currentResourceVersion)")
        var reader = WatchLineReader(body)
        _ = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: testPod("a"))
        #expect(try await reader.next()?["type"] == "ADDED")
        #expect(t.cluster.faults.streams.count == 1)
        let dropped = try await t.request(.POST, "/klient-sim/faults/drop-streams")
        #expect(dropped.json["dropped"] == 1)
        // The stream ends abruptly: no terminating chunk, so reading fails.
        await #expect(throws: (any Error).self) {
            while try await reader.next() != nil {}
        }
        #expect(t.cluster.faults.streams.count == 0)
    }

    @Test func latencyDelaysEachStreamedMessage() async throws {
        let t = try APITestCluster()
        #expect(try await t.request(.POST, "/klient-sim/faults/latency?ms=400").status == 200)
        #expect(t.cluster.faults.streamFaults.messageLatency == .milliseconds(400))
        let (_, body) = try await t.watch("/api/v1/namespaces/default/pods?watch=1&resourceVersion=\(t.cluster.store.currentResourceVersion)")
        var reader = WatchLineReader(body)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: testPod("a"))
        _ = try await t.request(.POST, "/api/v1/namespaces/default/pods", json: testPod("b"))
        _ = try await reader.next()
        _ = try await reader.next()
        // Lower bound only: two messages cannot arrive sooner than twice the latency.
        #expect(clock.now - start >= .milliseconds(800))
        #expect(try await t.request(.POST, "/klient-sim/faults/latency?ms=0").status == 200)
        #expect(t.cluster.faults.streamFaults.messageLatency == nil)
        body.cancel()
    }

    @Test func refuseConnectionsClosesTheListener() async throws {
        let t = try APITestCluster()
        let blocking = Task { try await t.cluster.faults.blockConnections(.refuse, for: .seconds(5)) }
        // Connect until the fault takes effect (the machine may be slow to start it).
        var refusal: IOError?
        for _ in 0..<200 where refusal == nil {
            do {
                let s = try await Socket.connect(to: t.cluster.address)
                s.close()
                try await Task.sleep(for: .milliseconds(25))
            } catch let error as IOError where error.kind == .connectionRefused {
                refusal = error
            } catch {
                // A connection caught in the backlog as the listener closes is reset; keep trying.
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        #expect(refusal?.kind == .connectionRefused, "no connection was refused while the fault lasted")
        try await blocking.value
        t.client.closeIdleConnections()
        #expect(try await t.request(.GET, "/api/v1/namespaces").status == 200)
    }

    @Test func resetConnectionsAcceptsAndResets() async throws {
        let t = try APITestCluster()
        let blocking = Task { try await t.cluster.faults.blockConnections(.reset, for: .seconds(5)) }
        // Poll until the fault is in effect: a connection reset at connect or at the first read.
        var reset = false
        for _ in 0..<200 where !reset {
            do {
                let socket = try await Socket.connect(to: t.cluster.address)
                defer { socket.close() }
                try await socket.write(Array("GET /version HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                _ = try await withTimeout(.seconds(10)) { try await socket.read(maxBytes: 100) }
                try await Task.sleep(for: .milliseconds(25))
            } catch let error as IOError where error.kind == .connectionReset {
                reset = true
            } catch {
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        #expect(reset, "no connection was reset while the fault lasted")
        try await blocking.value
        t.client.closeIdleConnections()
        #expect(try await t.request(.GET, "/api/v1/namespaces").status == 200)
    }

    @Test func refuseConnectionsOverHTTP() async throws {
        let t = try APITestCluster()
        let reply = try await t.request(.POST, "/klient-sim/faults/refuse-connections?seconds=5")
        #expect(reply.status == 200)
        var refused = false
        for _ in 0..<200 where !refused {
            do {
                let s = try await Socket.connect(to: t.cluster.address)
                s.close()
                try await Task.sleep(for: .milliseconds(25))
            } catch let error as IOError where error.kind == .connectionRefused {
                refused = true
            } catch {
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        #expect(refused, "no connection was refused while the fault lasted")
        // Connections are accepted again once the period is over.
        t.client.closeIdleConnections()
        let back = try await withTimeout(.seconds(30)) {
            while true {
                if let r = try? await t.request(.GET, "/api/v1/namespaces"), r.status == 200 { return r.status }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(back == 200)
    }

    @Test func restartPodCallsTheRuntime() async throws {
        let t = try APITestCluster()
        #expect(try await t.request(.POST, "/klient-sim/faults/restart-pod?name=p").status == 501)
        let calls = RestartLog()
        t.cluster.faults.setPodRestarter { ns, name in calls.append("\(ns)/\(name)") }
        #expect(try await t.request(.POST, "/klient-sim/faults/restart-pod?namespace=default&name=p").status == 200)
        #expect(calls.entries == ["default/p"])
        #expect(try await t.request(.POST, "/klient-sim/faults/restart-pod").status == 400)
    }
}

final class RestartLog: Sendable {
    private let log = Mutex<[String]>([])
    func append(_ s: String) { log.withLock { $0.append(s) } }
    var entries: [String] { log.withLock { $0 } }
}

import Synchronization
