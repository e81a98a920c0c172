#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTLS
import KlientWire

// klient-sim: serve | credential | fault | help

// A parent that spawned us from a Swift worker thread passes down a mask
// blocking SIGTERM/SIGINT; unblock them before any thread starts.
var unblock = sigset_t()
sigemptyset(&unblock)
sigaddset(&unblock, SIGTERM)
sigaddset(&unblock, SIGINT)
pthread_sigmask(SIG_UNBLOCK, &unblock, nil)

let usage = """
usage:
  klient-sim serve [--listen 127.0.0.1:0] [--kubeconfig-out FILE] [--state-dir DIR] [--ready-file FILE] [--seed FILE]...
                   [--no-portforward-tunnel] [--no-exec-v5]
  klient-sim credential --state-dir DIR [--ttl SECONDS]
  klient-sim fault NAME [KEY=VALUE]... --kubeconfig FILE [--context NAME]
      faults: drop-streams | refuse-connections seconds=N | reset-connections seconds=N | latency ms=N
              | fail-requests count=N code=C retryAfter=S | expire-tokens | restart-pod namespace=NS name=POD
              | portforward-tunnel enabled=false|true | exec-v5 enabled=false|true | list

"""

func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("klient-sim: \(message)\n".utf8))
    exit(code)
}

/// Flags as `--name value` or `--name=value` (`--name` alone for a boolean
/// flag, stored as "true"); positional arguments kept in order.
struct Flags {
    var values: [String: [String]] = [:]
    var positional: [String] = []

    init(_ args: ArraySlice<String>, known: Set<String>, booleans: Set<String> = []) {
        var i = args.startIndex
        while i < args.endIndex {
            let a = args[i]
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                var value: String?
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard known.contains(name) || booleans.contains(name) else { fail("unknown flag --\(name)\n\(usage)") }
                if booleans.contains(name) {
                    guard value == nil else { fail("flag --\(name) takes no value") }
                    value = "true"
                } else if value == nil {
                    i += 1
                    guard i < args.endIndex else { fail("flag --\(name) needs a value") }
                    value = args[i]
                }
                values[name, default: []].append(value!)
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func one(_ name: String) -> String? { values[name]?.last }
}

func executablePath() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

func serve(_ args: ArraySlice<String>) async {
    let flags = Flags(args, known: ["listen", "kubeconfig-out", "state-dir", "ready-file", "seed"],
                      booleans: ["no-portforward-tunnel", "no-exec-v5"])
    if let extra = flags.positional.first { fail("unexpected argument \"\(extra)\" for serve\n\(usage)") }
    let listenText = flags.one("listen") ?? "127.0.0.1:0"
    let listen: SocketAddress
    do { listen = try SocketAddress(parsing: listenText) } catch { fail("invalid --listen \"\(listenText)\": \(error)") }
    let stateDir = flags.one("state-dir") ?? NSTemporaryDirectory() + "klient-sim-\(getpid())"
    let absoluteState = stateDir.hasPrefix("/") ? stateDir : FileManager.default.currentDirectoryPath + "/" + stateDir
    let signals: AsyncStream<Int32>
    do { signals = try Signals.stream([SIGTERM, SIGINT]) } catch { fail("cannot catch signals: \(error)", code: 1) }
    let cluster: SimCluster
    let workloads = SimWorkloads()
    do {
        var configuration = SimCluster.Configuration(listen: listen, stateDirectory: absoluteState)
        workloads.install(into: &configuration, portForward: portForwardHandler)
        cluster = try SimCluster.start(configuration)
        if flags.one("no-portforward-tunnel") != nil {
            // Like an API server before 1.31: port-forward only in channel mode (and SPDY).
            cluster.faults.setPortForwardTunnel(enabled: false)
        }
        if flags.one("no-exec-v5") != nil {
            // Like an API server before 1.30: exec/attach over WebSocket at most v4 (no stdin half-close).
            cluster.faults.setExecV5(enabled: false)
        }
    } catch {
        fail("cannot start: \(error)", code: 1)
    }
    if let error = workloads.startError {
        cluster.shutdown()
        await workloads.shutdown()
        fail("cannot start the pod runtime: \(error)", code: 1)
    }
    for seed in flags.values["seed"] ?? [] {
        do {
            let n = try SeedLoader.load(path: seed, into: cluster.store)
            print("klient-sim: loaded \(n) objects from \(seed)")
        } catch {
            cluster.shutdown()
            await workloads.shutdown()
            fail("\(error)", code: 1)
        }
    }
    let kubeconfig = flags.one("kubeconfig-out") ?? absoluteState + "/kubeconfig"
    do {
        try KubeconfigWriter.write(cluster: cluster, executable: executablePath(), to: kubeconfig)
        if let ready = flags.one("ready-file") {
            guard FileManager.default.createFile(atPath: ready, contents: Data((cluster.url + "\n").utf8)) else {
                throw SimCluster.Failure(description: "cannot write the ready file \(ready)")
            }
        }
    } catch {
        cluster.shutdown()
        await workloads.shutdown()
        fail("\(error)", code: 1)
    }
    print("klient-sim: serving \(cluster.url) (kubeconfig \(kubeconfig), state \(absoluteState))")
    fflush(stdout)
    for await signal in signals {
        print("klient-sim: signal \(signal), stopping")
        break
    }
    cluster.shutdown()
    await workloads.shutdown() // pod processes live in their own sessions: stop them explicitly
    fflush(stdout)
    exit(0)
}

/// Port-forward: WebSocket channel mode, SPDY/3.1 and the SPDY-in-WebSocket tunnel.
let portForwardHandler: @Sendable (StreamRegistry, StreamFaults) -> SimStreamHandlers.Handler = { registry, faults in
    let handler = PortForwardHandler(registry: registry, faults: faults)
    return { request, pod in await handler.handle(request, pod: pod) }
}

func credential(_ args: ArraySlice<String>) {
    let flags = Flags(args, known: ["state-dir", "ttl"])
    guard let dir = flags.one("state-dir") else { fail("credential needs --state-dir DIR") }
    var ttl = ExecCredentialIssuer.defaultLifetimeSeconds
    if let t = flags.one("ttl") {
        guard let n = Int(t), n > 0, n <= 86_400 else { fail("--ttl must be 1...86400 seconds, got \"\(t)\"") }
        ttl = n
    }
    do {
        let cred = try ExecCredentialIssuer.credential(stateDirectory: dir, lifetimeSeconds: ttl,
                                                       execInfo: ProcessInfo.processInfo.environment["KUBERNETES_EXEC_INFO"])
        print(cred.jsonString)
    } catch {
        fail("\(error)", code: 1)
    }
}

func fault(_ args: ArraySlice<String>) async {
    let flags = Flags(args, known: ["kubeconfig", "context"])
    guard let name = flags.positional.first else { fail("fault needs a NAME\n\(usage)") }
    guard let path = flags.one("kubeconfig") ?? ProcessInfo.processInfo.environment["KUBECONFIG"] else {
        fail("fault needs --kubeconfig FILE")
    }
    var query: [String] = []
    for kv in flags.positional.dropFirst() {
        guard kv.contains("=") else { fail("fault arguments are KEY=VALUE, got \"\(kv)\"") }
        query.append(kv)
    }
    guard let data = FileManager.default.contents(atPath: path),
          let config = try? YAMLDecoder.decodeDocuments(Array(data)).first else { fail("cannot read kubeconfig \(path)", code: 1) }
    let contextName = flags.one("context") ?? config["current-context"]?.stringValue ?? "klient-sim"
    guard let context = config["contexts"]?.arrayValue?.first(where: { $0["name"]?.stringValue == contextName })?["context"],
          let clusterEntry = config["clusters"]?.arrayValue?.first(where: { $0["name"] == context["cluster"] })?["cluster"],
          let server = clusterEntry["server"]?.stringValue,
          let user = config["users"]?.arrayValue?.first(where: { $0["name"] == context["user"] })?["user"],
          let token = user["token"]?.stringValue else {
        fail("kubeconfig \(path): context \"\(contextName)\" needs a cluster with a server and a user with a token", code: 1)
    }
    do {
        var trust = TLSConfiguration.TrustRoots.systemDefault
        if let ca = clusterEntry["certificate-authority-data"]?.stringValue, let pem = Data(base64Encoded: ca) {
            trust = .pem(Array(pem))
        }
        let tls = try TLSContext(configuration: .client(trustRoots: trust))
        let endpoint = try HTTPEndpoint(url: server, tls: tls)
        let isList = name == "list"
        let target = "/klient-sim/faults" + (isList ? "" : "/\(name)") + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let client = HTTPClient()
        let response = try await client.execute(HTTPClientRequest(method: isList ? .GET : .POST, target: target,
                                                                  headers: ["Authorization": "Bearer \(token)"],
                                                                  timeout: .seconds(30)), on: endpoint)
        print(String(decoding: response.body, as: UTF8.self))
        exit((200..<300).contains(response.status) ? 0 : 1)
    } catch {
        fail("fault \(name) failed: \(error)", code: 1)
    }
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "serve": await serve(arguments.dropFirst())
case "credential": credential(arguments.dropFirst())
case "fault": await fault(arguments.dropFirst())
case "help", "--help", "-h": print(usage)
case "version", "--version": print("klient-sim (Kubernetes \(KlientSimInfo.kubernetesVersion))")
case let other?: fail("unknown command \"\(other)\"\n\(usage)")
case nil: fail("missing command\n\(usage)")
}
