import KlientRPC
import KlientWire

extension Daemon {
    /// forward.add, forward.list, forward.remove, forward.wait.
    func registerForwardMethods() {
        router.register(RPCMethod.forwardAdd) { [weak self] params, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            return try await self.forwards.add(ForwardAddParams(json: params ?? .object([:]))).json
        }
        router.register(RPCMethod.forwardList) { [weak self] _, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            return ForwardListResult(forwards: self.forwards.list()).json
        }
        router.register(RPCMethod.forwardRemove) { [weak self] params, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            let removed = try await self.forwards.remove(ForwardRemoveParams(json: params ?? .object([:])))
            return ForwardRemoveResult(removed: removed).json
        }
        router.register(RPCMethod.forwardWait) { [weak self] params, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            return try await self.forwards.wait(ForwardWaitParams(json: params ?? .object([:]))).json
        }
    }
}
