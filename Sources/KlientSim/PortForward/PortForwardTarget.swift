#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientIO

/// Where pod port P really lives on this host, and how a failed dial is
/// reported (in the words of Go's `net.Dial`, as the kubelet relays them).
///
/// Annotation `klient-sim/port.P` on the pod names `host:port` (IPv6 in
/// brackets; `$(POD_IP)` is replaced by the pod's IP); without it, port P of
/// the pod is `127.0.0.1:P`.
struct PortForwardTarget: Sendable {
    /// The pod port being forwarded.
    let port: UInt16
    /// The address dialled; nil when the annotation is unusable.
    let address: SocketAddress?
    /// The annotation text or `127.0.0.1:P`, for messages.
    let addressText: String

    /// The prefix of the annotation naming a port's target.
    static let annotationPrefix = "klient-sim/port."

    init(port: UInt16, pod: PodContext) {
        self.port = port
        if let annotated = pod.annotations[Self.annotationPrefix + String(port)] {
            // `$(POD_IP)` stands for the pod's own 127.0.0.x address, so every
            // replica of a template can listen on the same port.
            let podIP = pod.object[path: ["status", "podIP"]]?.stringValue ?? "127.0.0.1"
            let text = PortForwardRequest.trimmed(annotated).replacingOccurrences(of: "$(POD_IP)", with: podIP)
            addressText = text
            // Go dials "localhost:P" too; map it rather than resolve it.
            let numeric = text.hasPrefix("localhost:") ? "127.0.0.1" + text.dropFirst("localhost".count) : text
            address = try? SocketAddress(parsing: numeric)
        } else {
            addressText = "127.0.0.1:\(port)"
            address = try? SocketAddress.ipv4("127.0.0.1", port: port)
        }
    }

    /// Connects to the target.
    /// - Throws: ``PortForwardDialError`` whose description reads like Go's
    ///   (`dial tcp4 127.0.0.1:80: connect: connection refused`).
    func dial() async throws(PortForwardDialError) -> Socket {
        guard let address, address.family != .unix else {
            throw PortForwardDialError(text: "dial tcp: address \(addressText): invalid address in annotation "
                                       + "\(Self.annotationPrefix)\(port) (want host:port)")
        }
        let network = address.family == .ipv6 ? "tcp6" : "tcp4"
        do {
            return try await Socket.connect(to: address, deadline: .now + .seconds(30))
        } catch let error as IOError {
            throw PortForwardDialError(text: "dial \(network) \(address): connect: \(Self.goErrnoText(error.errno))")
        } catch is TimeoutError {
            throw PortForwardDialError(text: "dial \(network) \(address): i/o timeout")
        } catch {
            throw PortForwardDialError(text: "dial \(network) \(address): \(error)")
        }
    }

    /// Go's syscall error strings are strerror(3) with a lowercase first letter.
    static func goErrnoText(_ code: Int32) -> String {
        guard let cString = strerror(code) else { return "errno \(code)" }
        let text = String(cString: cString)
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
