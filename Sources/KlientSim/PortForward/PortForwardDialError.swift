/// A failed connection to a pod port; `text` is what the error channel or
/// error stream carries after `error forwarding port P to pod NAME, uid UID: `.
struct PortForwardDialError: Error, CustomStringConvertible {
    let text: String
    var description: String { text }

    /// The full message the kubelet writes for this failure.
    func message(port: UInt16, pod: PodContext) -> String {
        "error forwarding port \(port) to pod \(pod.name), uid \(pod.uid): \(text)"
    }
}
