// swift-tools-version:6.0
//
// klient — a Kubernetes client toolkit for Linux.
// No SwiftPM package dependencies: only the toolchain and system C libraries
// (through the systemLibrary targets below). See docs/architecture.md.
import PackageDescription

let package = Package(
    name: "klient",
    products: [
        .library(name: "KlientWire", targets: ["KlientWire"]),
        .library(name: "KlientIO", targets: ["KlientIO"]),
        .library(name: "KlientTLS", targets: ["KlientTLS"]),
        .library(name: "KlientHTTP", targets: ["KlientHTTP"]),
        .library(name: "Klient", targets: ["Klient"]),
        .library(name: "KlientRPC", targets: ["KlientRPC"]),
        .library(name: "KlientSim", targets: ["KlientSim"]),
        .executable(name: "klientd", targets: ["klientd"]),
        .executable(name: "klient-sim", targets: ["klient-sim"]),
        .executable(name: "klient-bench", targets: ["klient-bench"]),
        .executable(name: "klientctl", targets: ["klientctl"]),
    ],
    targets: [
        // MARK: C layer
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd",
                       providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c",
                       providers: [.apt(["libprotobuf-c-dev"])]),
        // Macros and variadic functions Swift cannot import (OpenSSL, CMSG, epoll flags).
        .target(name: "CKlientShims", dependencies: ["COpenSSL"]),

        // MARK: Swift modules (dependencies point down)
        // Pure codecs: no sockets, no syscalls. zlib is pure computation (SPDY header blocks).
        // libyaml likewise (YAML to JSONValue for manifests and kubeconfig).
        .target(name: "KlientWire", dependencies: ["CZlib", "CYAML"]),
        // File descriptors, sockets, the epoll reactor, timers, signals.
        .target(name: "KlientIO", dependencies: ["CKlientShims"]),
        // OpenSSL contexts and the memory-BIO TLS state machine; TLS streams over KlientIO.
        .target(name: "KlientTLS", dependencies: ["KlientIO", "COpenSSL", "CKlientShims"]),
        // HTTP/1.1 client + connection pool, minimal HTTP server, WebSocket client/server.
        .target(name: "KlientHTTP", dependencies: ["KlientWire", "KlientIO", "KlientTLS"]),

        // The public library: kubeconfig and auth, REST (typed and dynamic), watch, logs.
        .target(name: "Klient", dependencies: ["KlientHTTP", "KlientWire", "KlientIO", "KlientTLS"]),

        // klientd's JSON-RPC messages, shared by klientd and klientctl.
        .target(name: "KlientRPC", dependencies: ["KlientWire", "KlientIO"]),
        // The daemon: control socket, sessions, events, systemd integration.
        .target(name: "KlientDaemon", dependencies: ["Klient", "KlientRPC", "KlientIO", "KlientWire", "CSystemd", "CKlientShims"]),

        // klientctl's logic (arguments, commands, tables, completions), kept out of the
        // executable so tests can import it. No Klient/OpenSSL: klientctl must start fast.
        .target(name: "KlientCtlKit", dependencies: ["KlientRPC", "KlientIO", "KlientWire"]),

        // The Kubernetes API simulator as a library (tests embed it in-process).
        .target(name: "KlientSim", dependencies: ["KlientHTTP", "KlientWire", "KlientIO", "KlientTLS", "CKlientShims"]),

        // MARK: Executables
        .executableTarget(name: "klientd", dependencies: ["KlientDaemon", "KlientRPC", "KlientIO"]),
        .executableTarget(name: "klient-sim", dependencies: ["KlientSim"]),
        .executableTarget(name: "klient-bench", dependencies: ["KlientHTTP", "Klient", "KlientIO"]),
        .executableTarget(name: "klientctl", dependencies: ["KlientCtlKit", "KlientRPC", "KlientIO", "KlientWire"]),

        // MARK: Tests
        .target(name: "KlientTestSupport", dependencies: ["KlientWire", "KlientIO", "KlientTLS"], path: "Tests/KlientTestSupport"),
        .testTarget(name: "KlientWireTests", dependencies: ["KlientWire", "KlientTestSupport"]),
        .testTarget(name: "KlientIOTests", dependencies: ["KlientIO", "KlientTestSupport"]),
        .testTarget(name: "KlientTLSTests", dependencies: ["KlientTLS", "KlientTestSupport"]),
        .testTarget(name: "KlientHTTPTests", dependencies: ["KlientHTTP", "KlientTestSupport"]),
        .testTarget(name: "KlientTests", dependencies: ["Klient", "KlientSim", "KlientTestSupport"]),
        .testTarget(name: "KlientRPCTests", dependencies: ["KlientRPC", "KlientTestSupport"]),
        .testTarget(name: "KlientDaemonTests", dependencies: ["KlientDaemon", "Klient", "KlientRPC", "KlientTestSupport"]),
        .testTarget(name: "KlientCtlTests", dependencies: ["KlientCtlKit", "KlientRPC", "KlientIO", "KlientWire", "KlientTestSupport"]),
        .testTarget(name: "KlientSimTests", dependencies: ["KlientSim", "KlientHTTP", "KlientTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
