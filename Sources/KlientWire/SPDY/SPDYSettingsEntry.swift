/// One ID/value pair of a SPDY/3 SETTINGS frame (SPDY draft 3, §2.6.4).
///
/// On the wire: flags (8 bits), ID (24 bits), value (32 bits). spdystream, and
/// so kubectl and the kubelet, ignore SETTINGS; this type exists so the codec
/// can read and write them faithfully.
public struct SPDYSettingsEntry: Hashable, Sendable {
    /// Per-entry flags.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// FLAG_SETTINGS_PERSIST_VALUE (0x1): the recipient should remember the value.
        public static let persistValue = Flags(rawValue: 0x1)
        /// FLAG_SETTINGS_PERSISTED (0x2): the value was remembered from an earlier session.
        public static let persisted = Flags(rawValue: 0x2)
    }

    public var flags: Flags
    /// Setting ID; 24 bits on the wire (the encoder rejects larger values).
    public var id: UInt32
    public var value: UInt32

    public init(flags: Flags = [], id: UInt32, value: UInt32) {
        self.flags = flags
        self.id = id
        self.value = value
    }

    /// SETTINGS_UPLOAD_BANDWIDTH.
    public static let uploadBandwidth: UInt32 = 1
    /// SETTINGS_DOWNLOAD_BANDWIDTH.
    public static let downloadBandwidth: UInt32 = 2
    /// SETTINGS_ROUND_TRIP_TIME.
    public static let roundTripTime: UInt32 = 3
    /// SETTINGS_MAX_CONCURRENT_STREAMS.
    public static let maxConcurrentStreams: UInt32 = 4
    /// SETTINGS_CURRENT_CWND.
    public static let currentCwnd: UInt32 = 5
    /// SETTINGS_DOWNLOAD_RETRANS_RATE.
    public static let downloadRetransRate: UInt32 = 6
    /// SETTINGS_INITIAL_WINDOW_SIZE.
    public static let initialWindowSize: UInt32 = 7
    /// SETTINGS_CLIENT_CERTIFICATE_VECTOR_SIZE.
    public static let clientCertificateVectorSize: UInt32 = 8
}
