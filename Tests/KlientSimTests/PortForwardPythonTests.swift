import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTestSupport
import Testing

/// The official Python client (`kubernetes` 37, `kubernetes.stream.portforward`,
/// channel mode `v4.channel.k8s.io`) against the handler.
@Suite struct PortForwardPythonTests {
    static let script = #"""
    import sys, threading
    from kubernetes import client
    from kubernetes.stream import portforward

    host, namespace, name, port, closed_port, size = sys.argv[1:7]
    port, closed_port, size = int(port), int(closed_port), int(size)
    conf = client.Configuration()
    conf.host = host
    conf.api_key = {"authorization": "Bearer python-test-token"}
    api = client.CoreV1Api(client.ApiClient(conf))

    data = bytes((i * 7 + (i >> 8)) & 0xFF for i in range(size))
    pf = portforward(api.connect_get_namespaced_pod_portforward, name, namespace, ports=str(port))
    sock = pf.socket(port)
    sock.setblocking(True)
    # Send from a thread: the client's proxy thread blocks while echoed bytes go unread.
    sender = threading.Thread(target=sock.sendall, args=(data,))
    sender.start()
    received = bytearray()
    while len(received) < len(data):
        chunk = sock.recv(1 << 16)
        if not chunk:
            break
        received += chunk
    sender.join()
    print("ECHO", "ok" if bytes(received) == data else "MISMATCH", len(received), flush=True)
    sock.close()
    pf.close()

    pf = portforward(api.connect_get_namespaced_pod_portforward, name, namespace, ports=str(closed_port))
    sock = pf.socket(closed_port)
    sock.setblocking(True)
    rest = sock.recv(1 << 16)
    pf.close()
    print("ERROR", repr(pf.error(closed_port)), flush=True)
    """#

    @Test func pythonClientPortForwardByteExactAndErrorText() async throws {
        guard let python = TestPython.executable else {
            Issue.record("no Python venv with the kubernetes client (run `make venv`)")
            return
        }
        let echo = try TCPTestTarget(.echo)
        let closed = try TestBytes.closedPort()
        let server = try PFTest.server(pod: PFTest.pod([8080: echo.address, 81: "127.0.0.1:\(closed)"]))
        defer { server.shutdown() }
        let size = 4 << 20
        let process = try TestProcess(python, ["-u", "-c", Self.script, server.url, PFTest.namespace, PFTest.podName,
                                               "8080", "81", String(size)])
        defer { process.terminate() }
        do {
            let echoLine = try await process.waitForLine(startingWith: "ECHO", timeout: .seconds(120))
            #expect(echoLine == "ECHO ok \(size)")
            let errorLine = try await process.waitForLine(startingWith: "ERROR", timeout: .seconds(60))
            #expect(errorLine == "ERROR 'error forwarding port 81 to pod \(PFTest.podName), uid \(PFTest.uid): "
                    + "dial tcp4 127.0.0.1:\(closed): connect: connection refused'")
            #expect(try await process.finish(timeout: .seconds(30)) == 0, "\(process.transcript)")
        } catch {
            Issue.record("python port-forward: \(error)\noutput:\n\(process.transcript)")
        }
    }
}
