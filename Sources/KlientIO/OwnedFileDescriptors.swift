#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// A `Sendable` owner of several descriptors (e.g. received with SCM_RIGHTS).
///
/// Descriptors not taken out with ``take(_:)`` or ``takeAll()`` are closed
/// when the owner is deinitialised, so received descriptors never leak.
public final class OwnedFileDescriptors: Sendable {
    private let slots: Mutex<[Int32]>

    /// Takes ownership of `descriptors`.
    public init(owning descriptors: [Int32]) {
        slots = Mutex(descriptors)
    }

    /// How many descriptors were handed over (taken or not).
    public var count: Int { slots.withLock { $0.count } }

    /// Whether no descriptors were handed over.
    public var isEmpty: Bool { count == 0 }

    /// Moves descriptor `index` out as an owned ``FileDescriptor``; `nil` if
    /// the index is out of range or it was already taken.
    public func take(_ index: Int) -> FileDescriptor? {
        let fd: Int32 = slots.withLock { slots in
            guard slots.indices.contains(index) else { return -1 }
            defer { slots[index] = -1 }
            return slots[index]
        }
        return fd >= 0 ? FileDescriptor(owning: fd) : nil
    }

    /// Moves every remaining descriptor number out; the caller now closes them.
    public func takeAll() -> [Int32] {
        slots.withLock { slots in
            defer { slots = slots.map { _ in -1 } }
            return slots.filter { $0 >= 0 }
        }
    }

    deinit {
        for fd in slots.withLock({ $0 }) where fd >= 0 {
            _ = Glibc.close(fd)
        }
    }
}
