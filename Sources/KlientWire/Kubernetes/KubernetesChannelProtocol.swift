/// WebSocket subprotocols the Kubernetes API server speaks for exec, attach
/// and port-forward (`Sec-WebSocket-Protocol` values).
///
/// Channel protocols frame every message as one channel byte plus payload
/// (base64 variants: a TEXT message whose first character is `'0' + channel`
/// followed by standard base64). The tunnel protocol instead carries a raw
/// SPDY/3.1 byte stream in BINARY messages (KEP-4006).
public enum KubernetesChannelProtocol: String, Sendable, Hashable, CaseIterable {
    /// v5: v4 plus the CLOSE message `[0xFF, channel]` for half-close.
    case v5 = "v5.channel.k8s.io"
    /// v4: binary channels; the error channel carries a JSON `metav1.Status`.
    case v4 = "v4.channel.k8s.io"
    /// v4 framing with base64 TEXT messages.
    case v4Base64 = "v4.base64.channel.k8s.io"
    /// The original binary channel protocol; the error channel is plain text.
    case v1 = "channel.k8s.io"
    /// The original protocol with base64 TEXT messages.
    case v1Base64 = "base64.channel.k8s.io"
    /// Port-forward over SPDY tunnelled in WebSocket (KEP-4006).
    case portForwardTunnel = "SPDY/3.1+portforward.k8s.io"

    /// What to offer for exec and attach, most preferred first (kube-rs, newer kubectl).
    public static let execOffer: [KubernetesChannelProtocol] = [.v5, .v4]
    /// What to offer for channel-mode port-forward.
    public static let portForwardOffer: [KubernetesChannelProtocol] = [.v4]
    /// The SPDY protocol name inside the tunnel, after stripping `SPDY/3.1+`.
    public static let tunnelInnerProtocol = "portforward.k8s.io"

    /// Messages are base64 TEXT rather than BINARY.
    public var isBase64: Bool { self == .v4Base64 || self == .v1Base64 }

    /// Messages carry a leading channel byte (everything but the tunnel).
    public var isChannelFramed: Bool { self != .portForwardTunnel }

    /// The v5 CLOSE message (half-close of one channel) exists.
    public var supportsHalfClose: Bool { self == .v5 }

    /// The error channel carries a JSON `metav1.Status` (v4, v5) rather than text.
    public var errorChannelCarriesStatus: Bool { self == .v5 || self == .v4 || self == .v4Base64 }
}
