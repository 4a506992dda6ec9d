// Performing a machine's actions through the ports, in per-call lanes.

import Foundation
import Logging

extension CallControl {
    /// Performs `actions` of call `id` in order: bookkeeping at once, I/O in the call's lanes.
    func perform(_ actions: [CallControlAction], for id: CallID, context: CallLogContext) {
        for action in actions {
            logAction(action, context: context)
            if action.isGraphRequest {
                performGraph(action, for: id, context: context)
            } else {
                performLocal(action, for: id, context: context)
            }
        }
    }

    private func performLocal(_ action: CallControlAction, for id: CallID, context: CallLogContext) {
        let sip = ports.sip
        let media = ports.media
        switch action {
        case .respond(let leg, let response):
            enqueue(id, .signalling) { await sip.respond(to: leg, with: response, context: context) }
        case .placeCall(let call):
            enqueue(id, .signalling) { await sip.placeCall(call, context: context) }
        case .cancel(let leg, let reason):
            enqueue(id, .signalling) { await sip.cancel(leg, reason: reason, context: context) }
        case .acknowledge(let leg):
            enqueue(id, .signalling) { await sip.acknowledge(leg, context: context) }
        case .hangUp(let leg, let reason):
            enqueue(id, .signalling) { await sip.hangUp(leg, reason: reason, context: context) }
        case .sendSIPDTMF(let digit, let leg):
            enqueue(id, .signalling) { await sip.sendDTMF(digit, on: leg, context: context) }
        case .invalidatePermission(let user):
            permissions.invalidate(user)
        case .rememberUnknownConnect:
            rememberUnknownConnect(id)
        case .openOutboundMedia(let offer):
            enqueue(id, .signalling) {
                do throws(MediaFailure) {
                    let session = try await media.openOutbound(id, sipOffer: offer, context: context)
                    await self.deliver(.outboundMediaOpened(session), to: id)
                } catch {
                    await self.deliver(.mediaOpenFailed(error), to: id)
                }
            }
        case .openInboundMedia(let offer):
            enqueue(id, .signalling) {
                do throws(MediaFailure) {
                    let session = try await media.openInbound(id, whatsAppOffer: offer, context: context)
                    await self.deliver(.inboundMediaOpened(session), to: id)
                } catch {
                    await self.deliver(.mediaOpenFailed(error), to: id)
                }
            }
        case .startWhatsAppMedia(let answer):
            enqueue(id, .signalling) { await media.startWhatsApp(id, remoteAnswer: answer, context: context) }
        case .setSIPRemote(let sdp):
            enqueue(id, .signalling) { await media.setSIPRemote(id, sdp: sdp, context: context) }
        case .startRingback:
            enqueue(id, .signalling) { await media.startRingback(id, context: context) }
        case .startBridging:
            enqueue(id, .signalling) { await media.startBridging(id, context: context) }
        case .sendMediaDTMF(let digit, let side):
            enqueue(id, .signalling) { await media.sendDTMF(digit, toward: side, call: id, context: context) }
        case .closeMedia:
            enqueue(id, .signalling) { await media.close(id, context: context) }
        case .openEchoMedia(let offer):
            openEchoMedia(id, offer: offer, context: context)
        case .closeEchoMedia:
            let echo = ports.echo
            enqueue(id, .signalling) { await echo?.closeEcho(id, context: context) }
        case .startTimer(let timer, let delay):
            armTimer(timer, after: delay, for: id)
        case .cancelTimer(let timer):
            calls[id]?.timers.removeValue(forKey: timer)?.cancel()
        case .record(let event):
            let records = ports.records
            let now = clock.now
            enqueue(id, .signalling) { await records.record(event, call: id, at: now, context: context) }
        default:
            break
        }
    }

    private func performGraph(_ action: CallControlAction, for id: CallID, context: CallLogContext) {
        let whatsApp = ports.whatsApp
        let logger = logger
        switch action {
        case .checkPermission(let user):
            if let cached = permissions.lookup(user, now: clock.now) {
                enqueue(id, .graph) { await self.deliver(.permissionChecked(cached), to: id) }
                return
            }
            enqueue(id, .graph) {
                do throws(WhatsAppFailure) {
                    let permission = try await whatsApp.callPermission(for: user, context: context)
                    await self.permissionAnswered(permission, user: user, call: id)
                } catch {
                    await self.deliver(.permissionCheckFailed(error), to: id)
                }
            }
        case .sendPermissionRequest(let user, let text):
            enqueue(id, .graph) {
                do throws(WhatsAppFailure) {
                    try await whatsApp.sendPermissionRequest(to: user, text: text, context: context)
                } catch {
                    logger.warning("permission request failed", metadata: Self.metadata(context, ["error": "\(error)"]))
                }
            }
        case .connect(let user, let offer):
            enqueue(id, .graph) {
                do throws(WhatsAppFailure) {
                    let wacid = try await whatsApp.connect(to: user, offer: offer, opaque: id.rawValue,
                                                           context: context)
                    await self.deliver(.connectSucceeded(wacid), to: id)
                } catch {
                    await self.deliver(.connectFailed(error), to: id)
                }
            }
        case .preAccept(let wacid, let answer):
            graphOperation(.preAccept, id: id, context: context) { () async throws(WhatsAppFailure) in
                try await whatsApp.preAccept(wacid, answer: answer, context: context)
            }
        case .accept(let wacid, let answer):
            graphOperation(.accept, id: id, context: context) { () async throws(WhatsAppFailure) in
                try await whatsApp.accept(wacid, answer: answer, context: context)
            }
        case .reject(let wacid):
            graphOperation(.reject, id: id, context: context) { () async throws(WhatsAppFailure) in
                try await whatsApp.reject(wacid, context: context)
            }
        case .terminate(let wacid):
            graphOperation(.terminate, id: id, context: context) { () async throws(WhatsAppFailure) in
                try await self.terminateUntilAcknowledged(wacid, context: context)
            }
        default:
            break
        }
    }

    private func graphOperation(_ operation: WhatsAppOperation, id: CallID, context: CallLogContext,
                                _ request: @escaping @Sendable () async throws(WhatsAppFailure) -> Void) {
        let logger = logger
        enqueue(id, .graph) {
            do throws(WhatsAppFailure) {
                try await request()
                await self.deliver(.whatsAppResult(operation, nil), to: id)
            } catch {
                logger.warning("\(operation.rawValue) failed",
                               metadata: Self.metadata(context, ["error": "\(error)"]))
                await self.deliver(.whatsAppResult(operation, error), to: id)
            }
        }
    }

    /// Caches Meta's answer and hands it to the call.
    func permissionAnswered(_ permission: CallPermission, user: String, call id: CallID) {
        permissions.store(permission, for: user, now: clock.now)
        deliver(.permissionChecked(permission), to: id)
    }

    private func armTimer(_ timer: CallTimer, after delay: Duration, for id: CallID) {
        guard calls[id] != nil else { return }
        calls[id]?.timers.removeValue(forKey: timer)?.cancel()
        let handle = clock.schedule(after: delay) { [weak self] in
            await self?.timerFired(timer, for: id)
        }
        calls[id]?.timers[timer] = handle
    }

    /// A call's timer fired.
    func timerFired(_ timer: CallTimer, for id: CallID) {
        guard calls[id]?.timers.removeValue(forKey: timer) != nil else { return }
        deliver(.timer(timer), to: id)
    }

    /// Appends work to one of a call's serial lanes.
    func enqueue(_ id: CallID, _ kind: LaneKind, _ work: @escaping @Sendable () async -> Void) {
        let previous = lanes[id]?[kind]?.task
        nextToken += 1
        let token = nextToken
        pendingWork[kind, default: 0] += 1
        let task = Task {
            await previous?.value
            await work()
            self.laneStepDone(id, kind, token: token)
        }
        lanes[id, default: [:]][kind] = Lane(task: task, token: token)
    }

    private func laneStepDone(_ id: CallID, _ kind: LaneKind, token: UInt64) {
        pendingWork[kind, default: 0] -= 1
        if lanes[id]?[kind]?.token == token {
            lanes[id]?[kind] = nil
            if lanes[id]?.isEmpty == true { lanes[id] = nil }
        }
        let waiters = idleWaiters
        idleWaiters.removeAll()
        for waiter in waiters {
            if isIdle(includingGraph: waiter.includingGraph) {
                waiter.continuation.resume()
            } else {
                idleWaiters.append(waiter)
            }
        }
    }

    private func isIdle(includingGraph: Bool) -> Bool {
        pendingWork[.signalling, default: 0] == 0 && (!includingGraph || pendingWork[.graph, default: 0] == 0)
    }

    /// Waits until no port call or result is outstanding (for tests and shutdown).
    /// With `includingGraph` false, Cloud API requests may still be in flight
    /// (tests that hold a `connect` open use this).
    public func waitUntilIdle(includingGraph: Bool = true) async {
        guard !isIdle(includingGraph: includingGraph) else { return }
        await withCheckedContinuation { idleWaiters.append((includingGraph, $0)) }
    }

    private func logAction(_ action: CallControlAction, context: CallLogContext) {
        logger.debug("call action", metadata: Self.metadata(context, ["action": "\(action)"]))
    }

    /// swift-log metadata of a log context.
    static func metadata(_ context: CallLogContext, _ extra: [String: String] = [:]) -> Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        for field in context.fields { metadata[field.key] = .string(field.value) }
        for (key, value) in extra { metadata[key] = .string(value) }
        return metadata
    }
}
