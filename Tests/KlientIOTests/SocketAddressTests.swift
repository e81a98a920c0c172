import Testing
@testable import KlientIO

extension KlientIOTests {
    @Suite struct SocketAddressTests {
        @Test(arguments: [
            ("127.0.0.1:80", "127.0.0.1:80"),
            ("0.0.0.0:0", "0.0.0.0:0"),
            ("[::1]:6443", "[::1]:6443"),
            ("[2001:db8::1]:65535", "[2001:db8::1]:65535"),
            ("[fe80::1%1]:80", "[fe80::1%1]:80"),
            ("unix:/run/klientd.sock", "unix:/run/klientd.sock"),
            ("unix:@klient", "unix:@klient"),
        ])
        func parsesAndDescribes(input: String, expected: String) throws {
            let address = try SocketAddress(parsing: input)
            #expect(address.description == expected)
            #expect(try SocketAddress(parsing: address.description) == address)
        }

        @Test func exposesParts() throws {
            let v4 = try SocketAddress(parsing: "10.1.2.3:8080")
            #expect(v4.family == .ipv4 && v4.host == "10.1.2.3" && v4.port == 8080 && v4.path == nil)
            let v6 = try SocketAddress(host: "::1", port: 443)
            #expect(v6.family == .ipv6 && v6.description == "[::1]:443")
            let unix = try SocketAddress.unix(path: "/tmp/x.sock")
            #expect(unix.family == .unix && unix.path == "/tmp/x.sock" && unix.port == nil)
        }

        @Test(arguments: [
            "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http", "256.0.0.1:80",
            "::1:80", "[::1]", "[::1:80", "[::1]80", "[127.0.0.1]:80", "localhost:80", "unix:",
            "127.0.0.1:+80", "127.0.0.1:-1",
        ])
        func rejects(input: String) {
            #expect(throws: SocketAddress.ParseError.self) { try SocketAddress(parsing: input) }
        }

        @Test func rejectsOverlongUnixPath() {
            let path = "/" + String(repeating: "a", count: SocketAddress.maximumUnixPathLength)
            let error = #expect(throws: SocketAddress.ParseError.self) { try SocketAddress.unix(path: path) }
            #expect(error?.description.contains("longer than the 107") == true)
        }

        @Test func parseErrorSaysWhatIsExpected() {
            let error = #expect(throws: SocketAddress.ParseError.self) { try SocketAddress(parsing: "::1:80") }
            #expect(error?.description.contains("brackets") == true)
        }
    }
}
