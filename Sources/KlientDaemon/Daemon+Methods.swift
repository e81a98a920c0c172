import Foundation
import KlientRPC
import KlientWire

extension Daemon {
    /// The control-plane methods: daemon.hello, daemon.status, session.list,
    /// session.stop, events.subscribe, config.reload.
    func registerMethods() {
        router.register(RPCMethod.hello) { params, _ in
            let hello = try HelloParams(json: params ?? .object([:]))
            guard hello.protocolVersion == RPCProtocol.version else {
                throw RPCError.application(.unsupportedVersion,
                                           "klientd speaks protocol version \(RPCProtocol.version), the client \(hello.protocolVersion); "
                                           + "use a klientctl of the same release as klientd",
                                           details: ["supported": [.int(Int64(RPCProtocol.version))]])
            }
            return HelloResult(protocolVersion: RPCProtocol.version, daemonVersion: RPCProtocol.softwareVersion,
                               pid: getpid()).json
        }
        router.register(RPCMethod.status) { [weak self] _, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            return self.status().json
        }
        router.register(RPCMethod.sessionList) { [weak self] params, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            let list = try params.map { try SessionListParams(json: $0) } ?? SessionListParams(kind: nil)
            return SessionListResult(sessions: self.sessions.list(kind: list.kind)).json
        }
        router.register(RPCMethod.sessionStop) { [weak self] params, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            let stop = try SessionStopParams(json: params ?? .object([:]))
            let stopped = await self.forwards.stopSession(stop.id) ? true : await self.sessions.stop(stop.id)
            guard stopped else {
                throw RPCError.application(.notFound, "no session \"\(stop.id)\"; klientctl session list shows the running ones",
                                           details: ["id": .string(stop.id)])
            }
            self.logger.log(.info, "session stopped by request", fields: ["SESSION_ID": stop.id])
            return SessionStopResult(id: stop.id, stopped: true).json
        }
        router.register(RPCMethod.eventsSubscribe) { [weak self] params, context in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            let subscribe = try params.map { try EventsSubscribeParams(json: $0) } ?? EventsSubscribeParams(kinds: nil)
            context.connection.forward(self.events.subscribe(kinds: subscribe.kinds))
            return EventsSubscribeResult(subscribed: true).json
        }
        router.register(RPCMethod.configReload) { [weak self] _, _ in
            guard let self else { throw RPCError.application(.shuttingDown, "klientd is stopping") }
            _ = try self.reloadConfiguration().get()
            return ConfigReloadResult(contexts: self.kubeconfig.contexts, currentContext: self.kubeconfig.currentContext,
                                      kubeconfig: self.kubeconfig.files).json
        }
    }

    func status() -> DaemonStatus {
        let socket = socketState.withLock { $0 }
        return DaemonStatus(daemonVersion: RPCProtocol.softwareVersion, protocolVersion: RPCProtocol.version, pid: getpid(),
                            startedAt: DaemonClock.timestamp(startedAt),
                            uptimeSeconds: Int(Date().timeIntervalSince(startedAt)), socket: socket.path,
                            socketActivated: socket.activated, stateDirectory: stateDirectory,
                            kubeconfig: kubeconfig.files, contexts: kubeconfig.contexts,
                            currentContext: kubeconfig.currentContext, sessions: sessions.count,
                            forwards: sessions.count(kind: "forward"), connections: 0,
                            clients: clientCount, summary: statusSummary())
    }
}
