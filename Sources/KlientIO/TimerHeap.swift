/// A binary min-heap of (deadline, id) pairs: the reactor's timer queue.
///
/// Cancelled timers are not removed from the heap (that would need a search);
/// the reactor skips ids it no longer knows and compacts the heap when stale
/// entries outnumber live ones.
struct TimerHeap {
    struct Entry {
        var deadline: ContinuousClock.Instant
        var id: UInt64
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var first: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        siftDown(from: 0)
        return top
    }

    /// Keeps only entries for which `isLive` is true, then restores heap order.
    mutating func compact(_ isLive: (UInt64) -> Bool) {
        entries.removeAll { !isLive($0.id) }
        var index = entries.count / 2
        while index > 0 {
            index -= 1
            siftDown(from: index)
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { return }
            var smallest = left
            if left + 1 < entries.count, Self.less(entries[left + 1], entries[left]) { smallest = left + 1 }
            guard Self.less(entries[smallest], entries[parent]) else { return }
            entries.swapAt(smallest, parent)
            parent = smallest
        }
    }

    // Equal deadlines fire in insertion (id) order.
    private static func less(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.id < b.id)
    }
}
