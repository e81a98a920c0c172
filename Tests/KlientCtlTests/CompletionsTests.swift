import Foundation
import KlientCtlKit
import KlientIO
import Testing

@Suite struct CompletionsTests {
    /// Every command path and every flag spelling in the tree.
    static var everyWord: [String] {
        var words: [String] = []
        func visit(_ command: CommandSpec) {
            for sub in command.subcommands {
                words.append(sub.name)
                visit(sub)
            }
            for flag in command.allFlags { words += flag.spellings.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) } }
        }
        visit(CommandTable.root)
        return words
    }

    @Test(arguments: Completions.Shell.allCases)
    func scriptsMentionEveryCommandAndFlag(shell: Completions.Shell) {
        let script = Completions.script(for: shell)
        for word in Self.everyWord {
            #expect(script.contains(word), "\(shell) script lacks \(word)")
        }
        for value in OutputFormat.names + ["bash", "zsh", "fish", "session.started", "forward"] {
            #expect(script.contains(value), "\(shell) script lacks \(value)")
        }
        #expect(script.hasSuffix("\n"))
    }

    @Test func newCommandsAppearInCompletions() {
        let forward = CommandSpec("forward", summary: "Manage port forwards", subcommands: [
            CommandSpec("add", summary: "Add a forward", flags: [FlagSpec("namespace", short: "n", value: "NS", help: "namespace")],
                        action: { _ in .success }),
        ])
        let root = CommandSpec("klientctl", summary: "", subcommands: CommandTable.commands + [forward])
        for shell in Completions.Shell.allCases {
            let script = Completions.script(for: shell, root: root)
            #expect(script.contains("forward add") || script.contains("\"forward $word\""), "\(shell)")
            #expect(script.contains("namespace"), "\(shell)")
        }
    }

    /// `bash -n`, `zsh -n`, `fish -n` accept the scripts (when the shell is installed).
    @Test(arguments: Completions.Shell.allCases)
    func scriptsParse(shell: Completions.Shell) async throws {
        guard let binary = ["/usr/bin/", "/bin/", "/usr/local/bin/"].map({ $0 + shell.rawValue })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("klientctl-\(getpid()).\(shell.rawValue)")
        try Completions.script(for: shell).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await ProgramRun.run(binary, ["-n", file.path])
        #expect(run.status == 0, "\(shell) -n: \(run.stderr)")
    }

    /// Drives the bash script the way bash's completion does, when bash is installed.
    @Test func bashCompletesCommandsFlagsAndValues() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("klientctl-drive-\(getpid()).bash")
        try Completions.script(for: .bash).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let driver = """
            source \(file.path)
            t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _klientctl; echo "${COMPREPLY[*]}"; }
            t klientctl ""
            t klientctl session ""
            t klientctl --socket /x session l
            t klientctl session list --kind ""
            t klientctl status -o ""
            t klientctl --output = j
            t klientctl completion ""
            t klientctl completion bash ""
            t klientctl status --h
            t klientctl forward ""
            t klientctl forward add --mode ""
            t klientctl forward add -n shop --mode=t
            """
        let run = try await ProgramRun.run("/bin/bash", ["-c", driver])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
            "status session forward exec attach events config version completion help",
            "list stop",
            "list",
            "forward exec attach",
            "table json wide",
            "json",
            "bash zsh fish",
            "",
            "--help",
            "add list rm wait",
            "auto tunnel channel",
            "--mode=tunnel",
            "",
        ])
    }
}
