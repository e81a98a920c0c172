#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import KlientIO
import KlientRPC
import KlientWire
import Synchronization

/// What `exec` and `attach` do once their params are known: hand stdin,
/// stdout and stderr to klientd with `exec.start`, follow SIGWINCH with
/// `exec.resize`, wait with `exec.wait`, and exit with the remote status.
/// The terminal's mode and the descriptors' flags are put back on every
/// way out: return, error, or a terminating signal.
enum RemoteCommandRunner {
    /// Signals that end klientctl during a session (after restoring the terminal).
    static let terminatingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    static func run(_ context: CommandContext, params: ExecStartParams) async throws -> ExitCode {
        var params = params
        let verb = params.attach ? "attach" : "exec"
        if params.tty {
            // The terminal whose size the container gets: stdin's with -i, else stdout's.
            let fd: Int32 = params.stdin ? 0 : 1
            if Terminal.isTerminal(fd) {
                // A terminal that reports 0×0 (no size set) leaves the container's default.
                if let size = Terminal.size(of: fd), size.width > 0 || size.height > 0 {
                    params.terminalSize = TerminalSize(width: Int(size.width), height: Int(size.height))
                }
            } else {
                await context.console.error("klientctl: warning: -t ignored: \(params.stdin ? "stdin" : "stdout") is not a terminal\n")
                params.tty = false
            }
        }
        let daemon = try await context.connect()
        defer { daemon.close() }

        let stdio = StdioState(rawTerminal: params.tty && params.stdin ? 0 : nil)
        defer { stdio.restore() }
        try stdio.enter()
        let signals = try Signals.stream(terminatingSignals)
        let signalWatch = Task {
            for await signal in signals {
                stdio.restore()
                exit(128 + signal)
            }
        }
        defer { signalWatch.cancel() }
        let resizes = params.tty ? try Signals.stream([SIGWINCH]) : nil

        let startTimeout = context.requestTimeout + .seconds(10) // klientd gives the cluster 30 s to open the stream
        let raw = try await daemon.call(RPCMethod.execStart, params: params.json, descriptors: [0, 1, 2], timeout: startTimeout)
        let info: ExecInfo
        do { info = try ExecInfo(json: raw) } catch {
            throw RPCClientError.invalidResult(method: RPCMethod.execStart, detail: error.message)
        }
        if params.stdin, !params.tty, info.subprotocol.hasPrefix("v4.") {
            await context.console.error("klientctl: warning: the API server speaks \(info.subprotocol), which cannot pass the end "
                                        + "of stdin on: the command will not see end of file (Kubernetes ≥ 1.30 can)\n")
        }
        let rpc = daemon.rpc
        let id = info.id
        let terminalFD: Int32 = params.stdin ? 0 : 1
        let resizer = resizes.map { resizes in
            Task {
                for await _ in resizes {
                    guard let size = Terminal.size(of: terminalFD) else { continue }
                    let resize = ExecResizeParams(id: id, width: Int(size.width), height: Int(size.height))
                    _ = try? await rpc.call(RPCMethod.execResize, params: resize.json)
                }
            }
        }
        defer { resizer?.cancel() }

        // No time limit: the command runs as long as it runs.
        let exitJSON = try await rpc.call(RPCMethod.execWait, params: ExecWaitParams(id: info.id).json)
        let outcome: ExecExitResult
        do { outcome = try ExecExitResult(json: exitJSON) } catch {
            throw RPCClientError.invalidResult(method: RPCMethod.execWait, detail: error.message)
        }
        stdio.restore()
        switch outcome.end {
        case ExecEnd.exited:
            let code = outcome.exitCode ?? 0
            // The Status message of a plain non-zero exit only repeats the code; others explain.
            if let message = outcome.message, code != 0, !message.hasPrefix("command terminated with non-zero exit code") {
                await context.console.error("klientctl: \(message)\n")
            }
            if code == 0 { return .success }
            throw CommandExit(status: code)
        case ExecEnd.outputClosed:
            return .success // like any klientctl command whose reader went away
        default:
            await context.console.error("klientctl: \(verb) session \(info.id) ended: \(outcome.message ?? outcome.end)\n")
            return .failure
        }
    }
}

/// The state klientctl changes for a session and must put back: the raw
/// terminal, and the file status flags of 0, 1 and 2, which klientd changes
/// (O_NONBLOCK) through the open file descriptions it shares with us.
final class StdioState: Sendable {
    private let rawTerminal: Int32?
    private let savedFlags: [Int32]
    private let terminal = Mutex<Terminal?>(nil)

    init(rawTerminal: Int32?) {
        self.rawTerminal = rawTerminal
        savedFlags = (0...2).map { fcntl($0, F_GETFL) }
    }

    /// Puts the terminal in raw mode when asked.
    /// - Throws: ``IOError`` when the terminal cannot be set.
    func enter() throws {
        guard let fd = rawTerminal else { return }
        let raw = try Terminal(makingRaw: fd)
        terminal.withLock { $0 = raw }
    }

    /// Restores the terminal and the flags. Idempotent.
    func restore() {
        terminal.withLock { t in defer { t = nil }; return t }?.restore()
        for (fd, flags) in savedFlags.enumerated() where flags >= 0 {
            if fcntl(Int32(fd), F_GETFL) != flags { _ = fcntl(Int32(fd), F_SETFL, flags) }
        }
    }
}
