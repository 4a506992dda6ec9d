// Performing a machine's actions through the ports, in per-call lanes.

import Foundation
import Logging

extension CallControl {
    /// Performs `actions` of call `id` in order. One exhaustive switch: each
    /// action picks its lane here — bookkeeping at once, SIP and media in the
    /// call's signalling lane, Graph requests in its Graph lane — so a new
    /// action cannot be dropped by falling into a default. Graph requests go
    /// through the call's business number, or `number` for a call not in the table.
    func perform(_ actions: [CallControlAction], for id: CallID, context: CallLogContext,
                 number: WhatsAppNumberID? = nil) {
        let sip = ports.sip
        let media = ports.media
        let number = number ?? calls[id]?.number ?? settings.defaultNumber
        // A callback is armed only when a permission request of this batch can
        // reach the user, and then the refusal that follows says so.
        var request: PermissionRequestOutcome?
        var announceCallback = false
        for var action in actions {
            if announceCallback, case .respond(let leg, let response) = action {
                action = .respond(leg, FailureMapping.announcingCallback(response))
                announceCallback = false
            }
            logAction(action, context: context)
            switch action {
            case .respond(let leg, let response), .respondInDialog(let leg, let response):
                enqueue(id, .signalling) { await sip.respond(to: leg, with: response, context: context) }
            case .placeCall(let call):
                enqueue(id, .signalling) { await sip.placeCall(call, context: context) }
            case .cancel(let leg, let reason):
                enqueue(id, .signalling) { await sip.cancel(leg, reason: reason, context: context) }
            case .acknowledge(let leg):
                enqueue(id, .signalling) { await sip.acknowledge(leg, context: context) }
            case .hangUp(let leg, let reason):
                let reason = endingReason(of: id, adding: reason)
                enqueue(id, .signalling) { await sip.hangUp(leg, reason: reason, context: context) }
            case .sendSIPDTMF(let digit, let leg):
                enqueue(id, .signalling) { await sip.sendDTMF(digit, on: leg, context: context) }
            case .notifyTransfer(let leg, let status, let final):
                enqueue(id, .signalling) { await sip.notifyTransfer(leg, status: status, final: final, context: context) }
            case .resolveTransfer(let lookup, let caller):
                resolveTransfer(id, lookup, caller: caller)
            case .reofferBusiness:
                reofferBusiness(id, context: context)
            case .detachBusiness(let filler):
                enqueue(id, .signalling) { await media.detachBusiness(id, filler: filler, context: context) }
            case .setBusinessMedia(let state):
                enqueue(id, .signalling) { await media.setBusinessMedia(id, state, context: context) }
            case .setOwners(let owners):
                setOwners(owners, of: id)
            case .armCallback(let callback):
                announceCallback = armCallback(callback, number: number, after: request, context: context)
            case .invalidatePermission(let user):
                permissions[number]?.invalidate(user)
            case .rememberUnknownConnect:
                rememberUnknownConnect(id)
            case .openOutboundMedia(let offer):
                openMedia(id) { () async throws(MediaFailure) in
                    .outboundMediaOpened(try await media.openOutbound(id, sipOffer: offer, number: number,
                                                                       context: context))
                }
            case .openInboundMedia(let offer, let webRTCTargets):
                openMedia(id) { () async throws(MediaFailure) in
                    .inboundMediaOpened(try await media.openInbound(id, whatsAppOffer: offer, number: number,
                                                                     preferOpus: webRTCTargets, context: context))
                }
            case .openInternalMedia(let offer, let browserTargets):
                openMedia(id) { () async throws(MediaFailure) in
                    .internalMediaOpened(try await media.openInternal(id, callerOffer: offer, browserTargets: browserTargets,
                                                                      context: context))
                }
            case .startWhatsAppMedia(let answer):
                enqueue(id, .signalling) { await media.startWhatsApp(id, remoteAnswer: answer, context: context) }
            case .setSIPRemote(let sdp):
                enqueue(id, .signalling) { await media.setSIPRemote(id, sdp: sdp, context: context) }
            case .answerOffer(let leg, let offer):
                answerOffer(id, leg: leg, context: context) { () async throws(MediaFailure) in
                    try await media.renegotiate(id, offer: offer, context: context)
                }
            case .startRingback:
                enqueue(id, .signalling) { await media.startRingback(id, context: context) }
            case .startBridging:
                enqueue(id, .signalling) { await media.startBridging(id, context: context) }
            case .sendMediaDTMF(let digit, let side):
                enqueue(id, .signalling) { await media.sendDTMF(digit, toward: side, call: id, context: context) }
            case .closeMedia:
                enqueue(id, .signalling) { await media.close(id, context: context) }
            case .openEchoMedia(let offer):
                let echo = ports.echo
                openMedia(id) { () async throws(MediaFailure) in
                    guard let echo else { throw MediaFailure(.resources, "echo test not available") }
                    return .echoMediaOpened(sipAnswer: try await echo.openEcho(id, sipOffer: offer, context: context))
                }
            case .answerEchoOffer(let leg, let offer):
                let echo = ports.echo
                answerOffer(id, leg: leg, context: context) { () async throws(MediaFailure) in
                    guard let echo else { throw MediaFailure(.resources, "echo test not available") }
                    return try await echo.renegotiate(id, offer: offer, context: context)
                }
            case .setEchoRemote(let sdp):
                let echo = ports.echo
                enqueue(id, .signalling) { await echo?.setSIPRemote(id, sdp: sdp, context: context) }
            case .closeEchoMedia:
                let echo = ports.echo
                enqueue(id, .signalling) { await echo?.closeEcho(id, context: context) }
            case .startTimer(let timer, let delay):
                armTimer(timer, after: delay, for: id)
            case .cancelTimer(let timer):
                calls[id]?.timers.removeValue(forKey: timer)?.cancel()
            case .record(let recorded):
                if case .answered = recorded, calls[id]?.machine.direction != .internal {
                    businessCallConnected(id, number: number)
                }
                let event = numbered(recorded, number: number)
                let records = ports.records
                let now = clock.now
                enqueue(id, .signalling) { await records.record(event, call: id, at: now, context: context) }
            case .checkPermission(let user):
                checkPermission(id, user: user, number: number, context: context)
            case .sendPermissionRequest(let user, let text):
                request = sendPermissionRequest(id, user: user, number: number, text: text, context: context)
            case .connect(let user, let offer):
                connect(id, user: user, number: number, offer: offer, context: context)
            case .preAccept(let wacid, let answer):
                let whatsApp = ports.whatsApp
                graphOperation(.preAccept, id: id, context: context) { () async throws(WhatsAppFailure) in
                    try await whatsApp.preAccept(wacid, number: number, answer: answer, context: context)
                }
            case .accept(let wacid, let answer):
                let whatsApp = ports.whatsApp
                let capture = metaCapture(for: id)
                noteCaptureRequested(capture, for: id, context: context)
                graphOperation(.accept, id: id, context: context) { () async throws(WhatsAppFailure) in
                    try await whatsApp.accept(wacid, number: number, answer: answer, capture: capture, context: context)
                }
            case .reject(let wacid):
                let whatsApp = ports.whatsApp
                graphOperation(.reject, id: id, context: context) { () async throws(WhatsAppFailure) in
                    try await whatsApp.reject(wacid, number: number, context: context)
                }
            case .terminate(let wacid):
                graphOperation(.terminate, id: id, context: context) { () async throws(WhatsAppFailure) in
                    try await self.terminateUntilAcknowledged(wacid, number: number, context: context)
                }
            }
        }
    }

    /// Signalling lane: asks media (or the echo media) for the answer to an
    /// in-dialog offer and sends it: 200 with the SDP, or media's refusal (488
    /// when nothing matches) with a Warning.
    private func answerOffer(_ id: CallID, leg: SIPLegID, context: CallLogContext,
                             _ negotiate: @escaping @Sendable () async throws(MediaFailure) -> String) {
        let sip = ports.sip
        let logger = logger
        enqueue(id, .signalling) {
            let response: SIPResponse
            do throws(MediaFailure) {
                response = SIPResponse(status: 200, sdp: try await negotiate())
            } catch {
                logger.notice("in-dialog offer refused", metadata: Self.metadata(context, ["error": "\(error)"]))
                response = FailureMapping.response(for: error)
            }
            await sip.respond(to: leg, with: response, context: context)
        }
    }

    /// Signalling lane: opens a call's media; the result comes back to the call as an event.
    func openMedia(_ id: CallID, _ open: @escaping @Sendable () async throws(MediaFailure) -> CallEvent) {
        enqueue(id, .signalling) {
            do throws(MediaFailure) {
                await self.deliver(try await open(), to: id)
            } catch {
                await self.deliver(.mediaOpenFailed(error), to: id)
            }
        }
    }

    /// A call's start record, with the business number it goes through.
    private func numbered(_ event: CallRecordEvent, number: WhatsAppNumberID) -> CallRecordEvent {
        guard case .started(var start) = event, start.direction != .echo, start.direction != .internal else { return event }
        start.number = start.number ?? number
        return .started(start)
    }

    /// Graph lane (or at once from the cache): the user's call permission.
    private func checkPermission(_ id: CallID, user: WhatsAppUser, number: WhatsAppNumberID, context: CallLogContext) {
        if let cached = permissions[number, default: PermissionCache()].lookup(user, now: clock.now) {
            enqueue(id, .graph) { await self.deliver(.permissionChecked(cached), to: id) }
            return
        }
        let whatsApp = ports.whatsApp
        enqueue(id, .graph) {
            do throws(WhatsAppFailure) {
                let permission = try await whatsApp.callPermission(for: user, number: number, context: context)
                await self.permissionAnswered(permission, user: user, number: number, call: id)
            } catch {
                await self.deliver(.permissionCheckFailed(error), to: id)
            }
        }
    }

    /// Graph lane: `connect`.
    private func connect(_ id: CallID, user: WhatsAppUser, number: WhatsAppNumberID, offer: String,
                         context: CallLogContext) {
        let whatsApp = ports.whatsApp
        let capture = metaCapture(for: id)
        noteCaptureRequested(capture, for: id, context: context)
        enqueue(id, .graph) {
            do throws(WhatsAppFailure) {
                let wacid = try await whatsApp.connect(to: user, from: number, offer: offer, opaque: id.rawValue,
                                                      capture: capture, context: context)
                await self.deliver(.connectSucceeded(wacid), to: id)
            } catch {
                await self.deliver(.connectFailed(error), to: id)
            }
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

    /// Caches Meta's answer for `number` and hands it to the call.
    func permissionAnswered(_ permission: CallPermission, user: WhatsAppUser, number: WhatsAppNumberID,
                            call id: CallID) {
        permissions[number, default: PermissionCache()].store(permission, for: user, now: clock.now)
        deliver(.permissionChecked(permission), to: id)
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
