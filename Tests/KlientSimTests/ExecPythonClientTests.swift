import KlientSim
import KlientTestSupport
import Testing

@Suite("Exec with the official Python client")
struct ExecPythonClientTests {
    @Test(.enabled(if: TestPython.isAvailable))
    func streamExecWithStdinAndExitCode() async throws {
        let harness = try ExecHarness()
        let python = try TestPython.run("exec_python_client.py", [harness.server.url])
        #expect(try await python.waitForLine(startingWith: "stdout=") == "stdout=from-python")
        #expect(try await python.waitForLine(startingWith: "returncode=") == "returncode=3")
        #expect(try await python.waitForLine(startingWith: "stdin=") == "stdin=got:hello")
        #expect(try await python.waitForLine(startingWith: "returncode2=") == "returncode2=0")
        #expect(try await python.finish() == 0, "\(python.transcript)")
    }
}
