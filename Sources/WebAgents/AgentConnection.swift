// One socket: a reader that decodes frames and runs the session machine, and
// a writer that drains the bounded outbound queue. Hummingbird's writer is
// valid only inside the handler, so every write goes through the queue.

import Foundation
public import HummingbirdWebSocket

extension AgentHub {
    /// Serves one upgraded socket until it closes. `peer` is the peer's address and
    /// whether a credential may travel over the connection.
    public func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
                      peerAddress: String, secure: Bool) async {
        let queue = AgentOutboundQueue()
        let connection = connect(queue)
        let peer = Peer(address: peerAddress, secure: secure)
        let deadline = Task { [weak self] in
            try await Task.sleep(for: .seconds(AgentProtocol.loginDeadline))
            await self?.loginDeadline(connection)
        }
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.read(inbound, queue: queue, connection: connection, peer: peer); return true }
            group.addTask { await Self.write(queue.stream, to: outbound); return false }
            if await group.next() ?? true {
                // The peer closed: the writer stops after what is queued.
                queue.finish()
            } else {
                // The server closed: the peer has a moment to answer the close, as
                // browsers do at once; a peer that stopped reading cannot hold the socket.
                group.addTask { try? await Task.sleep(for: .seconds(2)); return false }
                _ = await group.next()
                group.cancelAll()
            }
        }
        deadline.cancel()
        disconnected(connection)
    }

    private func read(_ inbound: WebSocketInboundStream, queue: AgentOutboundQueue, connection: Int, peer: Peer) async {
        var machine = AgentSessionMachine(now: clock())
        do {
            for try await message in inbound.messages(maxSize: AgentProtocol.maxMessageBytes) {
                let decoded: Result<AgentRequest, AgentError>
                switch message {
                case .text(let text): decoded = AgentRequestDecoder.decode(Array(text.utf8))
                case .binary: decoded = .failure(AgentError(re: nil, code: .badMessage, message: "binary frames are not used"))
                }
                guard let step = machine.receive(decoded, now: clock()) else { continue }
                if case .failure(let error) = decoded { note("bad agent message", ["reason": "\(error.message)", "peer": "\(peer.address)"]) }
                guard await perform(step, machine: &machine, queue: queue, connection: connection, peer: peer) else { return }
            }
        } catch {
            return
        }
    }

    /// Carries out one step; false when the socket is closing.
    private func perform(_ step: AgentStep, machine: inout AgentSessionMachine, queue: AgentOutboundQueue,
                         connection: Int, peer: Peer) async -> Bool {
        switch step {
        case .send(let message):
            return queue.put(.message(message))
        case .close(let code, let message):
            if let message { queue.put(.message(message)) }
            queue.put(.close(code))
            return false
        case .login(let id, let request):
            switch await logIn(request, re: id, connection: connection, peer: peer) {
            case .success(let session): machine.loggedIn(session: session)
            case .failure(let error):
                if case .close(let code, let message)? = machine.receive(.failure(error), now: clock()) {
                    if let message { queue.put(.message(message)) }
                    queue.put(.close(code))
                    return false
                }
                queue.put(.message(.error(error)))
            }
            return true
        case .handle(let request):
            guard case .loggedIn(let session) = machine.phase else {
                if case .logout = request.message, let id = sessions.values.first(where: { $0.connection == connection })?.id {
                    await handle(request, session: id)
                }
                return false
            }
            await handle(request, session: session)
            return true
        }
    }

    /// Drains `stream` into the socket; closes it with the queued code, or 1011 when
    /// the queue ended without one (overflow).
    private static func write(_ stream: AsyncStream<AgentOutbound>, to outbound: WebSocketOutboundWriter) async {
        for await item in stream {
            switch item {
            case .message(let message):
                do { try await outbound.write(.text(message.text)) } catch { return }
            case .close(let code):
                try? await outbound.close(.init(codeNumber: Int(code.rawValue)), reason: nil)
                return
            }
        }
        try? await outbound.close(.unexpectedServerError, reason: "outbound queue overflow")
    }
}
