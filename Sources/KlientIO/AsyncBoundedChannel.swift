import Synchronization

/// A bounded multi-producer queue between tasks. `send` suspends while the
/// queue is full, which is how a slow consumer's backpressure reaches the
/// producer (for instance a socket reader loop stops reading).
///
/// `finish()` ends the stream: receivers drain what is queued, then get nil
/// (or the error passed to `finish(throwing:)`); later sends throw.
public final class AsyncBoundedChannel<Element: Sendable>: Sendable {
    /// Thrown by `send` once the channel is finished.
    public struct ClosedError: Error, CustomStringConvertible {
        public var description: String { "the channel was closed" }
    }

    private struct State {
        var buffer: [Element] = []
        var head = 0
        var finished = false
        var failure: (any Error)?
        var receiver: CheckedContinuation<Element?, any Error>?
        var senders: [(id: UInt64, element: Element, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID: UInt64 = 0
        var count: Int { buffer.count - head }

        mutating func popFirst() -> Element? {
            guard head < buffer.count else { return nil }
            let element = buffer[head]
            head += 1
            if head > 64 && head * 2 > buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return element
        }
    }

    private enum SendOutcome { case done, closed, wait(UInt64) }
    private enum SendRetry { case enqueued, closed, handed(CheckedContinuation<Element?, any Error>), wait }
    private enum ReceiveOutcome { case element(Element, CheckedContinuation<Void, any Error>?), end, failure(any Error), wait }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) {
        precondition(capacity > 0, "AsyncBoundedChannel capacity must be positive")
        self.capacity = capacity
    }

    /// Enqueues `element`, waiting while the channel holds `capacity` elements.
    /// - Throws: ``ClosedError`` if the channel is finished; `CancellationError`
    ///   if the task is cancelled while waiting (the element is then dropped).
    public func send(_ element: Element) async throws {
        let (outcome, receiver): (SendOutcome, CheckedContinuation<Element?, any Error>?) = state.withLock { state in
            if state.finished { return (.closed, nil) }
            if let receiver = state.receiver {
                state.receiver = nil
                return (.done, receiver)
            }
            if state.count < capacity {
                state.buffer.append(element)
                return (.done, nil)
            }
            state.nextID += 1
            return (.wait(state.nextID), nil)
        }
        switch outcome {
        case .closed: throw ClosedError()
        case .done:
            receiver?.resume(returning: element)
            return
        case .wait(let id):
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let now: SendRetry = state.withLock { state in
                        if state.finished { return .closed }
                        if let receiver = state.receiver {
                            state.receiver = nil
                            return .handed(receiver)
                        }
                        if state.count < capacity {
                            state.buffer.append(element)
                            return .enqueued
                        }
                        state.senders.append((id, element, continuation))
                        return .wait
                    }
                    switch now {
                    case .enqueued: continuation.resume()
                    case .closed: continuation.resume(throwing: ClosedError())
                    case .handed(let receiver):
                        receiver.resume(returning: element)
                        continuation.resume()
                    case .wait: break
                    }
                }
            } onCancel: {
                let cancelled = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                    guard let index = state.senders.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.senders.remove(at: index).continuation
                }
                cancelled?.resume(throwing: CancellationError())
            }
        }
    }

    /// The next element, or nil once the channel is finished and drained.
    /// One receiver at a time.
    /// - Throws: the error given to ``finish(throwing:)`` after the queue drains.
    public func receive() async throws -> Element? {
        let outcome: ReceiveOutcome = state.withLock { state in takeNext(&state) }
        switch outcome {
        case .element(let element, let sender):
            sender?.resume()
            return element
        case .end: return nil
        case .failure(let error): throw error
        case .wait: break
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Element?, any Error>) in
                let outcome: ReceiveOutcome = state.withLock { state in
                    let next = takeNext(&state)
                    if case .wait = next {
                        precondition(state.receiver == nil, "AsyncBoundedChannel supports one receiver at a time")
                        state.receiver = continuation
                    }
                    return next
                }
                switch outcome {
                case .element(let element, let sender):
                    sender?.resume()
                    continuation.resume(returning: element)
                case .end: continuation.resume(returning: nil)
                case .failure(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            let receiver = state.withLock { state -> CheckedContinuation<Element?, any Error>? in
                defer { state.receiver = nil }
                return state.receiver
            }
            receiver?.resume(throwing: CancellationError())
        }

        func takeNext(_ state: inout State) -> ReceiveOutcome {
            if let element = state.popFirst() {
                // A waiting sender's element takes the freed slot.
                if !state.senders.isEmpty {
                    let sender = state.senders.removeFirst()
                    state.buffer.append(sender.element)
                    return .element(element, sender.continuation)
                }
                return .element(element, nil)
            }
            if !state.senders.isEmpty {
                let sender = state.senders.removeFirst()
                return .element(sender.element, sender.continuation)
            }
            if state.finished {
                if let failure = state.failure { return .failure(failure) }
                return .end
            }
            return .wait
        }
    }

    /// Ends the channel. Queued elements can still be received; waiting
    /// senders fail with ``ClosedError``. Idempotent (the first call wins).
    public func finish(throwing error: (any Error)? = nil) {
        let (receiver, senders) = state.withLock { state -> (CheckedContinuation<Element?, any Error>?, [CheckedContinuation<Void, any Error>]) in
            guard !state.finished else { return (nil, []) }
            state.finished = true
            state.failure = error
            let senders = state.senders.map(\.continuation)
            state.senders.removeAll()
            // A waiting receiver means the queue is empty.
            defer { state.receiver = nil }
            return (state.receiver, senders)
        }
        for sender in senders { sender.resume(throwing: ClosedError()) }
        if let receiver {
            if let error { receiver.resume(throwing: error) } else { receiver.resume(returning: nil) }
        }
    }
}
