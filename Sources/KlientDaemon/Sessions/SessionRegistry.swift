import Foundation
import KlientRPC
import Synchronization

/// The sessions klientd runs. Adding and removing publishes
/// `session.started` / `session.stopped` / `session.failed` events.
public final class SessionRegistry: Sendable {
    private let sessions = Mutex<[String: any DaemonSession]>([:])
    private let events: EventBus

    public init(events: EventBus) {
        self.events = events
    }

    public func add(_ session: any DaemonSession) {
        sessions.withLock { $0[session.id] = session }
        events.publish(DaemonEvent(type: "session.started", time: DaemonClock.timestamp(), session: session.info, message: nil))
    }

    /// Forgets a session that ended by itself (`failure` says why, if it failed).
    public func remove(_ id: String, failure: String? = nil) {
        guard let session = sessions.withLock({ $0.removeValue(forKey: id) }) else { return }
        events.publish(DaemonEvent(type: failure == nil ? "session.stopped" : "session.failed", time: DaemonClock.timestamp(),
                                   session: session.info, message: failure))
    }

    /// Reports a session that reconnected (new pod, new API connection).
    public func reconnected(_ id: String, message: String) {
        guard let session = sessions.withLock({ $0[id] }) else { return }
        events.publish(DaemonEvent(type: "session.reconnected", time: DaemonClock.timestamp(), session: session.info,
                                   message: message))
    }

    /// Reports a session whose state changed (`message` says from what to what, and why).
    public func updated(_ id: String, message: String) {
        guard let session = sessions.withLock({ $0[id] }) else { return }
        events.publish(DaemonEvent(type: "session.updated", time: DaemonClock.timestamp(), session: session.info,
                                   message: message))
    }

    /// Sessions, oldest first, optionally of one kind.
    public func list(kind: String? = nil) -> [SessionInfo] {
        sessions.withLock { Array($0.values) }
            .map(\.info)
            .filter { kind == nil || $0.kind == kind }
            .sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    public var count: Int { sessions.withLock { $0.count } }

    public func count(kind: String) -> Int { sessions.withLock { $0.values.filter { $0.info.kind == kind }.count } }

    /// Stops the session `id`; false when there is none.
    public func stop(_ id: String) async -> Bool {
        guard let session = sessions.withLock({ $0[id] }) else { return false }
        await session.stop()
        remove(id)
        return true
    }

    /// Stops every session, waiting at most `deadline` for them all (a
    /// session that does not stop in time is abandoned: the process is exiting).
    public func stopAll(deadline: Duration) async {
        let all = sessions.withLock { Array($0.values) }
        guard !all.isEmpty else { return }
        let (done, finished) = AsyncStream.makeStream(of: Void.self)
        Task {
            await withTaskGroup(of: Void.self) { group in
                for session in all { group.addTask { await session.stop() } }
            }
            finished.finish()
        }
        Task {
            try? await Task.sleep(for: deadline)
            finished.finish()
        }
        for await _ in done {}
        for session in all { remove(session.id) }
    }
}

/// Timestamps in events and status (RFC 3339, UTC, seconds).
public enum DaemonClock {
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
