import KlientTestSupport
import KlientWire

/// Helpers shared by the WebSocket and channel tests.
enum WSTest {
    static func hex(_ text: String) -> [UInt8] { hexBytes(text) }

    /// Everything a frame decoder produced for some chunking, including a final error.
    struct FrameOutcome: Equatable, CustomStringConvertible {
        var frames: [WebSocketFrame] = []
        var error: WebSocketProtocolError?
        var description: String { "\(frames.count) frames, error: \(error.map { "\($0)" } ?? "none")" }
    }

    struct MessageOutcome: Equatable, CustomStringConvertible {
        var messages: [WebSocketMessage] = []
        var error: WebSocketProtocolError?
        var description: String { "\(messages), error: \(error.map { "\($0)" } ?? "none")" }
    }

    static func decodeFrames(_ chunks: [[UInt8]], role: WebSocketRole, maxFrameSize: Int = WebSocketFrameDecoder.defaultMaxFrameSize) -> FrameOutcome {
        var decoder = WebSocketFrameDecoder(role: role, maxFrameSize: maxFrameSize)
        var outcome = FrameOutcome()
        do {
            for chunk in chunks {
                decoder.append(chunk)
                while let frame = try decoder.next() { outcome.frames.append(frame) }
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    static func decodeMessages(
        _ chunks: [[UInt8]], role: WebSocketRole,
        maxFrameSize: Int = WebSocketFrameDecoder.defaultMaxFrameSize,
        maxMessageSize: Int = WebSocketMessageAssembler.defaultMaxMessageSize
    ) -> MessageOutcome {
        var decoder = WebSocketMessageDecoder(role: role, maxFrameSize: maxFrameSize, maxMessageSize: maxMessageSize)
        var outcome = MessageOutcome()
        do {
            for chunk in chunks {
                decoder.append(chunk)
                while let message = try decoder.next() { outcome.messages.append(message) }
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// Client-masked bytes of `frames` with a fixed key (what a server receives).
    static func clientBytes(_ frames: [WebSocketFrame], key: WebSocketMaskingKey = WebSocketMaskingKey(0x37, 0xfa, 0x21, 0x3d)) -> [UInt8] {
        let encoder = WebSocketFrameEncoder(role: .client)
        var out: [UInt8] = []
        for var frame in frames {
            frame.maskingKey = key
            encoder.encode(frame, into: &out)
        }
        return out
    }

    static func serverBytes(_ frames: [WebSocketFrame]) -> [UInt8] {
        let encoder = WebSocketFrameEncoder(role: .server)
        return frames.flatMap { encoder.encode($0) }
    }
}
