/// The pod a forward sends new connections to, with the pod port for each
/// of the forward's ports and the connector that reaches it.
struct PodTarget: Sendable {
    /// Increases with every change of pod, so stale pooled connections are recognised.
    let generation: Int
    let pod: String
    let podPorts: [UInt16]
    let connector: any PodConnector
}
