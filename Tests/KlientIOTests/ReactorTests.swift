#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import Testing
@testable import KlientIO

extension KlientIOTests {
    @Suite struct ReactorTests {
        @Test func timerHeapPopsInDeadlineOrder() {
            var heap = TimerHeap()
            let base = ContinuousClock.now
            var generator = SystemRandomNumberGenerator()
            var offsets: [Int] = []
            for id in 0..<500 {
                let offset = Int.random(in: 0..<100, using: &generator)
                offsets.append(offset)
                heap.push(.init(deadline: base.advanced(by: .milliseconds(offset)), id: UInt64(id)))
            }
            heap.compact { $0 % 3 != 0 }
            var popped: [(Int, UInt64)] = []
            while let entry = heap.popFirst() {
                popped.append((offsets[Int(entry.id)], entry.id))
            }
            #expect(popped.count == (0..<500).filter { $0 % 3 != 0 }.count)
            #expect(popped.map(\.0) == popped.map(\.0).sorted())
            for (first, second) in zip(popped, popped.dropFirst()) where first.0 == second.0 {
                #expect(first.1 < second.1, "equal deadlines fire in insertion order")
            }
        }

        @Test func sleepersWakeInDeadlineOrderAndNeverEarly() async throws {
            let reactor = Reactor.shared
            let base = ContinuousClock.now.advanced(by: .milliseconds(20))
            let order = Recorder()
            let early = SharedCounter()
            await withThrowingTaskGroup(of: Void.self) { group in
                for slot in [4, 1, 3, 0, 2] {
                    group.addTask {
                        let deadline = base.advanced(by: .milliseconds(60 * slot))
                        try await reactor.sleep(until: deadline)
                        if ContinuousClock.now < deadline { early.increment() }
                        order.append(slot)
                    }
                }
            }
            #expect(order.values == [0, 1, 2, 3, 4])
            #expect(early.load() == 0)
        }

        @Test func sleepIsCancellable() async throws {
            let sleeper = Task { try await Reactor.shared.sleep(for: .seconds(3600)) }
            sleeper.cancel()
            await #expect(throws: CancellationError.self) { try await sleeper.value }
        }

        @Test func pastDeadlineReturnsAtOnce() async throws {
            try await Reactor.shared.sleep(until: .now.advanced(by: .seconds(-1)))
        }

        @Test func withTimeoutCancelsAReadThatNeverCompletes() async throws {
            let (a, b) = try socketPair()
            defer { a.close(); b.close() }
            let error = await #expect(throws: TimeoutError.self) {
                try await withTimeout(.milliseconds(50), "read from the idle peer") {
                    try await a.read(maxBytes: 1)
                }
            }
            #expect(error?.description == "read from the idle peer timed out after 50 ms")
            // The socket survived the cancelled read.
            try await b.write([42])
            #expect(try await a.read(maxBytes: 1) == [42])
        }

        @Test func withTimeoutReturnsTheValueWhenInTime() async throws {
            let value = try await withTimeout(.seconds(30)) { 7 }
            #expect(value == 7)
            let error = await #expect(throws: TimeoutError.self) {
                try await withDeadline(.now.advanced(by: .milliseconds(10))) {
                    try await Reactor.shared.sleep(for: .seconds(3600))
                }
            }
            #expect(error?.description.contains("did not finish before its deadline") == true)
        }

        @Test func withTimeoutPassesOperationErrorsThrough() async throws {
            let error = await #expect(throws: IOError.self) {
                try await withTimeout(.seconds(30)) { throw IOError(errno: EIO, operation: "fail on purpose") }
            }
            #expect(error?.operation == "fail on purpose")
        }

        @Test func deregisterFailsPendingWaitersWithClosed() async throws {
            let reactor = Reactor.shared
            let pipe = try Pipe()
            let fd = pipe.readEnd.rawValue
            let waiter = Task { try await reactor.waitReadable(fd) }
            // Wait until the waiter is registered, so deregister has something to fail.
            while reactor.state.withLock({ $0.registrations[fd]?.readers.count ?? 0 }) == 0 {
                try await reactor.sleep(for: .milliseconds(1))
            }
            reactor.deregister(fd)
            let error = await #expect(throws: IOError.self) { try await waiter.value }
            #expect(error?.kind == .closed)
        }

        @Test func waitReadableWakesOnData() async throws {
            let reactor = Reactor.shared
            let pipe = try Pipe()
            let readFD = pipe.readEnd.rawValue
            let writeFD = pipe.writeEnd.rawValue
            let reader = Task { () throws -> [UInt8] in
                var buffer = [UInt8](repeating: 0, count: 16)
                while true {
                    let count = try syscall("read pipe") { read(readFD, &buffer, 16) }
                    if let count { return Array(buffer.prefix(count)) }
                    try await reactor.waitReadable(readFD)
                }
            }
            try await reactor.sleep(for: .milliseconds(5))
            var byte: UInt8 = 9
            #expect(write(writeFD, &byte, 1) == 1)
            #expect(try await reader.value == [9])
            reactor.deregister(readFD)
        }

        @Test func privateReactorShutsDownAndFailsWaiters() async throws {
            let reactor = try Reactor(name: "test-reactor")
            try await reactor.sleep(for: .milliseconds(1))
            let sleeper = Task { try await reactor.sleep(for: .seconds(3600)) }
            while reactor.state.withLock({ $0.timers.isEmpty }) { await Task.yield() }
            reactor.shutdown()
            let error = await #expect(throws: IOError.self) { try await sleeper.value }
            #expect(error?.kind == .closed)
        }
    }
}
