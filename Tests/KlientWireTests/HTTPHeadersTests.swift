import KlientWire
import Testing

@Suite struct HTTPHeadersTests {
    @Test func caseInsensitiveLookupKeepsOrderAndSpelling() {
        var h: HTTPHeaders = ["Content-Type": "a", "X-Multi": "1", "x-multi": "2", "Set-Cookie": "c=1, d"]
        #expect(h["content-type"] == "a")
        #expect(h["CONTENT-TYPE"] == "a")
        #expect(h["missing"] == nil)
        #expect(h.values(for: "X-MULTI") == ["1", "2"])
        #expect(h.values(for: "set-cookie") == ["c=1, d"])
        #expect(h.contains(name: "x-Multi"))
        #expect(h.count == 4)
        #expect(h.map(\.name) == ["Content-Type", "X-Multi", "x-multi", "Set-Cookie"])

        h["X-MULTI"] = "3"
        #expect(h.values(for: "x-multi") == ["3"])
        #expect(h.map(\.name).last == "X-MULTI")
        h["x-multi"] = nil
        #expect(!h.contains(name: "x-multi"))
        h.add(name: "A", value: "1")
        h.add(name: "a", value: "2")
        #expect(h.values(for: "A") == ["1", "2"])
        h.replaceOrAdd(name: "A", value: "9")
        #expect(h.values(for: "a") == ["9"])
        h.remove(name: "A")
        #expect(h == ["Content-Type": "a", "Set-Cookie": "c=1, d"])
    }

    @Test func namesDifferingOnlyOutsideASCIIAreNotConfused() {
        let h: HTTPHeaders = ["K": "1"]
        #expect(h["\u{212A}"] == nil)  // KELVIN SIGN lowercases to "k" in Unicode, not in HTTP
        #expect(h["k"] == "1")
        #expect(h["[" ] == nil)
    }

    @Test func tokenLists() {
        let h: HTTPHeaders = ["Connection": "keep-alive, Upgrade", "connection": " TE ,, ", "Upgrade": "websocket"]
        #expect(h.containsToken("connection", "upgrade"))
        #expect(h.containsToken("CONNECTION", "te"))
        #expect(h.containsToken("Connection", "Keep-Alive"))
        #expect(!h.containsToken("connection", "close"))
        #expect(!h.containsToken("connection", "upgrad"))
        #expect(!h.containsToken("upgrade", "upgrade"))
        #expect(h.tokens(for: "connection") == ["keep-alive", "Upgrade", "TE"])
    }

    @Test func keepAliveRules() {
        #expect(HTTPHeaders().isKeepAlive(version: .http1_1))
        #expect(!HTTPHeaders().isKeepAlive(version: .http1_0))
        #expect(!(["Connection": "Close"] as HTTPHeaders).isKeepAlive(version: .http1_1))
        #expect((["Connection": "keep-alive"] as HTTPHeaders).isKeepAlive(version: .http1_0))
        #expect(!(["Connection": "keep-alive, close"] as HTTPHeaders).isKeepAlive(version: .http1_0))
        #expect(HTTPRequestHead(method: .GET, target: "/", headers: ["Connection": "upgrade", "Upgrade": "x"])
            .isUpgradeRequest)
        #expect(!HTTPRequestHead(method: .GET, target: "/", headers: ["Upgrade": "x"]).isUpgradeRequest)
    }

    @Test func methodAndVersion() {
        #expect(HTTPMethod.GET.rawValue == "GET")
        #expect(HTTPMethod("get") != .GET)
        #expect(HTTPVersion.http1_1.description == "HTTP/1.1")
        #expect(HTTPResponseHead(status: 200).reason == "OK")
        #expect(HTTPResponseHead(status: 299).reason == "")
        #expect(HTTPResponseHead(status: 100).isInformational)
        #expect(!HTTPResponseHead(status: 101).isInformational)
    }
}
