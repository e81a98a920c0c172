import KlientTestSupport
import KlientWire
import Testing

/// What a decoder produced for one input, in a form that does not depend on
/// how the input was split: adjacent body pieces are merged, and bytes taken
/// after an upgrade are added to the upgrade's leftover.
enum HTTPEvent: Equatable, CustomStringConvertible {
    case requestHead(HTTPRequestHead)
    case responseHead(HTTPResponseHead)
    case body(String)
    /// End of a message, with the trailers the decoder exposed at that point.
    case end(trailers: HTTPHeaders)
    case upgrade([UInt8])
    case error(HTTPParseError)

    var description: String {
        switch self {
        case .requestHead(let h): "requestHead(\(h.method) \(h.target) \(h.headers))"
        case .responseHead(let h): "responseHead(\(h.status) \(h.headers))"
        case .body(let s): "body(\(s.debugDescription))"
        case .end(let t): "end(\(t))"
        case .upgrade(let b): "upgrade(\(b))"
        case .error(let e): "error(\(e))"
        }
    }
}

struct HTTPTranscript: Equatable {
    var events: [HTTPEvent] = []
    var reusable = false

    mutating func record(_ event: HTTPEvent) {
        if case .body(let more) = event, case .body(let before)? = events.last {
            events[events.count - 1] = .body(before + more)
        } else {
            events.append(event)
        }
    }

    mutating func addLeftover(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if case .upgrade(let before)? = events.last {
            events[events.count - 1] = .upgrade(before + bytes)
        } else {
            events.append(.upgrade(bytes))
        }
    }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Feeds `chunks` to a response decoder, draining after each, then `finish()`.
func decodeResponses(_ chunks: [[UInt8]], requestMethods: [HTTPMethod] = [],
                     limits: HTTPDecoderLimits = HTTPDecoderLimits(), finish: Bool = true) -> HTTPTranscript {
    var decoder = HTTPResponseDecoder(limits: limits)
    for method in requestMethods { decoder.expectResponse(to: method) }
    var transcript = HTTPTranscript()
    var upgraded = false
    func drain() -> Bool {
        do {
            while let part = try decoder.next() {
                switch part {
                case .head(let head): transcript.record(.responseHead(head))
                case .body(let b):
                    #expect(!b.isEmpty, "body parts are never empty")
                    transcript.record(.body(String(decoding: b, as: UTF8.self)))
                case .end: transcript.record(.end(trailers: decoder.trailers))
                case .upgrade(let b):
                    upgraded = true
                    transcript.record(.upgrade(b))
                }
            }
            return true
        } catch {
            transcript.record(.error(error))
            return false
        }
    }
    for chunk in chunks {
        decoder.append(chunk)
        guard drain() else { return transcript }
    }
    if finish {
        decoder.finish()
        guard drain() else { return transcript }
    }
    if upgraded { transcript.addLeftover(decoder.takeRemainingBytes()) }
    transcript.reusable = decoder.isConnectionReusable
    return transcript
}

/// Feeds `chunks` to a request decoder; upgrade requests are accepted or
/// declined per `acceptUpgrades`.
func decodeRequests(_ chunks: [[UInt8]], limits: HTTPDecoderLimits = HTTPDecoderLimits(),
                    acceptUpgrades: Bool = true, finish: Bool = true) -> HTTPTranscript {
    var decoder = HTTPRequestDecoder(limits: limits)
    var transcript = HTTPTranscript()
    var upgraded = false
    func drain() -> Bool {
        do {
            while true {
                if let part = try decoder.next() {
                    switch part {
                    case .head(let head): transcript.record(.requestHead(head))
                    case .body(let b):
                        #expect(!b.isEmpty, "body parts are never empty")
                        transcript.record(.body(String(decoding: b, as: UTF8.self)))
                    case .end: transcript.record(.end(trailers: decoder.trailers))
                    }
                } else if decoder.isAwaitingUpgradeDecision {
                    if acceptUpgrades {
                        upgraded = true
                        transcript.record(.upgrade(decoder.acceptUpgrade()))
                    } else {
                        decoder.declineUpgrade()
                    }
                } else {
                    return true
                }
            }
        } catch {
            transcript.record(.error(error))
            return false
        }
    }
    for chunk in chunks {
        decoder.append(chunk)
        guard drain() else { return transcript }
    }
    if finish {
        decoder.finish()
        guard drain() else { return transcript }
    }
    if upgraded { transcript.addLeftover(decoder.takeRemainingBytes()) }
    transcript.reusable = decoder.isConnectionReusable
    return transcript
}

/// Decodes `input` whole, split in two at every point and byte by byte;
/// expects identical transcripts and returns the whole-input one.
func everySplitResponses(_ input: [UInt8], requestMethods: [HTTPMethod] = [],
                         limits: HTTPDecoderLimits = HTTPDecoderLimits(), finish: Bool = true,
                         sourceLocation: SourceLocation = #_sourceLocation) -> HTTPTranscript {
    let (reference, mismatches) = decodeEverySplit(input) {
        decodeResponses($0, requestMethods: requestMethods, limits: limits, finish: finish)
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(3))", sourceLocation: sourceLocation)
    return reference
}

func everySplitRequests(_ input: [UInt8], limits: HTTPDecoderLimits = HTTPDecoderLimits(),
                        acceptUpgrades: Bool = true, finish: Bool = true,
                        sourceLocation: SourceLocation = #_sourceLocation) -> HTTPTranscript {
    let (reference, mismatches) = decodeEverySplit(input) {
        decodeRequests($0, limits: limits, acceptUpgrades: acceptUpgrades, finish: finish)
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(3))", sourceLocation: sourceLocation)
    return reference
}
