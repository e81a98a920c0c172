import KlientRPC
import KlientWire

extension Daemon {
    /// exec.start, exec.resize, exec.wait (exec.wait waits in its own task, so
    /// the connection goes on serving exec.resize meanwhile).
    func registerExecMethods() {
        router.register(RPCMethod.execStart) { [weak self] params, context in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            let start: ExecStartParams
            do {
                start = try ExecStartParams(json: params ?? .object([:]))
            } catch {
                // The descriptors of a request klientd refuses are closed, not left for the next one.
                _ = context.connection.takeDescriptors()
                throw error
            }
            return try await self.execs.start(start, context: context).json
        }
        router.register(RPCMethod.execResize) { [weak self] params, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            return try await self.execs.resize(ExecResizeParams(json: params ?? .object([:]))).json
        }
        router.register(RPCMethod.execWait, concurrent: true) { [weak self] params, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            return try await self.execs.wait(ExecWaitParams(json: params ?? .object([:]))).json
        }
    }
}
