#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Testing
@testable import KlientIO

extension KlientIOTests {
    @Suite struct SignalTests {
        @Test func deliversSIGUSR1ToEveryStreamThatAskedForIt() async throws {
            let first = try Signals.stream([SIGUSR1, SIGUSR2])
            let second = try Signals.stream([SIGUSR1])
            #expect(kill(getpid(), SIGUSR1) == 0)
            let got = try await withTimeout(.seconds(10), "wait for SIGUSR1") {
                var one = first.makeAsyncIterator()
                var two = second.makeAsyncIterator()
                return [await one.next(), await two.next()]
            }
            #expect(got == [SIGUSR1, SIGUSR1])
        }

        @Test func streamsEndAndCanBeCreatedAgain() async throws {
            for _ in 0..<3 {
                let stream = try Signals.stream([SIGUSR2])
                #expect(kill(getpid(), SIGUSR2) == 0)
                let got = try await withTimeout(.seconds(10), "wait for SIGUSR2") { () async -> Int32? in
                    for await signal in stream { return signal }
                    return nil
                }
                #expect(got == SIGUSR2)
            }
        }

        @Test func refusesUncatchableSignals() {
            #expect(throws: IOError.self) { try Signals.stream([SIGKILL]) }
        }

        @Test func ignoreSIGPIPEIsIdempotent() {
            ignoreSIGPIPE()
            ignoreSIGPIPE()
            var action = sigaction()
            #expect(sigaction(SIGPIPE, nil, &action) == 0)
            #expect(unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == 1)  // SIG_IGN
        }
    }
}
