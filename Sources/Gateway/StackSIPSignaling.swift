import CallControl
import Config
import Foundation
import Logging
import Media
import SIP

/// Call control's `SIPSignaling` and `SIPTargetResolver` over the sofia stack.
/// It maps call control's leg ids onto stack handles — one handle for an
/// incoming INVITE, one per fork for a call we place — and turns stack events
/// into `SIPLegEvent`s. The stack already cancels losing forks and hangs up on
/// a late second answer; this adapter picks the final response of a failed
/// fork set (RFC 3261 §16.7: a 6xx wins, else the lowest class).
actor StackSIPSignaling: SIPSignaling, SIPTargetResolver {
    private struct OutgoingLeg {
        var forks: Set<SIPHandle>
        var finals: [SIPHandle: (status: Int, phrase: String)] = [:]
        var winner: SIPHandle?
        var reported = false
    }

    let stack: any SIPCommandChannel
    let config: GatewayConfig
    private let logger: Logger
    private weak var control: CallControl?
    private var incoming: [SIPHandle: SIPLegID] = [:]
    private var incomingHandle: [SIPLegID: SIPHandle] = [:]
    private var outgoing: [SIPLegID: OutgoingLeg] = [:]
    private var forkLeg: [SIPHandle: SIPLegID] = [:]
    private let timings: SetupTimings?

    init(stack: any SIPCommandChannel, config: GatewayConfig, timings: SetupTimings? = nil, logger: Logger) {
        self.stack = stack
        self.config = config
        self.timings = timings
        self.logger = logger
    }

    func attach(_ control: CallControl) {
        self.control = control
    }

    /// True when `handle` belongs to a call of call control.
    func owns(_ handle: SIPHandle) -> Bool {
        incoming[handle] != nil || forkLeg[handle] != nil
    }

    // MARK: - Events from the stack

    /// A new authenticated INVITE, handed to call control, which decides where
    /// it goes (a WhatsApp number or the echo test) or refuses it.
    func incomingCall(_ handle: SIPHandle, _ identity: SIPIdentity, _ request: SIPRequest) async {
        timings?.inviteArrived(sipCallID: request.callID)
        let leg = SIPLegID("in-\(handle.rawValue)")
        incoming[handle] = leg
        incomingHandle[leg] = handle
        let origin: SIPOrigin = switch identity {
        case .user(let name): .user(name)
        case .trunk(let name): .trunk(name)
        }
        let sdp = request.body.isEmpty ? nil : String(decoding: request.body, as: UTF8.self)
        await control?.handleIncomingInvite(IncomingInvite(
            leg: leg, sipCallID: request.callID, origin: origin, dialled: request.requestUser,
            fromUser: request.fromUser, fromDisplayName: request.fromDisplay, sdpOffer: sdp))
    }

    /// Any other stack event for a handle this adapter owns.
    func event(_ event: SIPEvent) async {
        switch event {
        case .cancelled(let handle): await deliver(.cancelled, handle)
        case .acknowledged(let handle): await deliver(.acknowledged(sdp: nil), handle)
        case .bye(let handle): await deliver(.bye, handle)
        case let .dtmf(handle, digit, duration): await deliver(.dtmf(DTMFDigit(digit, durationMilliseconds: duration)), handle)
        case let .reinvite(handle, request), let .update(handle, request):
            if !request.body.isEmpty { await deliver(.remoteSDPChanged(String(decoding: request.body, as: UTF8.self)), handle) }
        case let .inviteResponse(handle, status, phrase, body, _):
            await forkResponse(handle, status: status, phrase: phrase, body: body)
        case let .terminated(handle, status, phrase):
            await terminated(handle, status: status, phrase: phrase)
        default:
            break
        }
    }

    private func deliver(_ event: SIPLegEvent, _ handle: SIPHandle) async {
        if let leg = incoming[handle] ?? forkLeg[handle] {
            await control?.handleSIP(event, on: leg)
        }
    }

    private func forkResponse(_ handle: SIPHandle, status: Int, phrase: String, body: [UInt8]) async {
        guard let leg = forkLeg[handle], var state = outgoing[leg] else { return }
        let sdp = body.isEmpty ? nil : String(decoding: body, as: UTF8.self)
        switch status {
        case 100: return
        case 101..<200:
            await control?.handleSIP(.progress(status: status, sdp: sdp), on: leg)
        case 200..<300:
            state.winner = handle
            state.reported = true
            outgoing[leg] = state
            await control?.handleSIP(.answered(sdp: sdp, sipCallID: nil), on: leg)
        default:
            state.finals[handle] = (status, phrase)
            outgoing[leg] = state
            await reportIfAllFailed(leg)
        }
    }

    private func terminated(_ handle: SIPHandle, status: Int, phrase: String) async {
        if let leg = incoming.removeValue(forKey: handle) {
            incomingHandle[leg] = nil
            // An echo call whose dialog the stack ended (no ACK, transport error) is over.
            if await control?.isEchoCall(on: leg) == true {
                await control?.handleSIP(.failed(status: status >= 300 ? status : 408, reason: phrase), on: leg)
            }
            return
        }
        guard let leg = forkLeg.removeValue(forKey: handle), var state = outgoing[leg] else { return }
        if state.winner == nil, state.finals[handle] == nil {
            state.finals[handle] = (status >= 300 ? status : 408, phrase)
            outgoing[leg] = state
            await reportIfAllFailed(leg)
        }
        if outgoing[leg]?.forks.allSatisfy({ forkLeg[$0] == nil }) == true { outgoing[leg] = nil }
    }

    private func reportIfAllFailed(_ leg: SIPLegID) async {
        guard var state = outgoing[leg], !state.reported, state.winner == nil,
              state.finals.count == state.forks.count else { return }
        state.reported = true
        outgoing[leg] = state
        let statuses = state.finals.values.map(\.status)
        let chosen = statuses.first { $0 >= 600 } ?? statuses.min() ?? 480
        let phrase = state.finals.values.first { $0.status == chosen }?.phrase
        await control?.handleSIP(.failed(status: chosen, reason: phrase), on: leg)
    }

    // MARK: - SIPSignaling

    func respond(to leg: SIPLegID, with response: SIPResponse, context: CallLogContext) async {
        guard let handle = incomingHandle[leg] else { return }
        var headers: [String] = []
        // Warning and Reason texts may quote Graph API errors: the builders make them header-safe.
        if let warning = response.warning.flatMap(SIPWarning.init) { headers.append(warning.header) }
        if let reason = response.reason {
            headers.append(SIPReasonHeader(protocolName: reason.protocolName, cause: reason.cause, text: reason.text).header)
        }
        if let retryAfter = response.retryAfter { headers.append("Retry-After: \(retryAfter)") }
        stack.send(.respond(handle, status: response.status, phrase: response.phrase ?? "", sdp: response.sdp,
                            headers: headers))
        if response.status == 200 { timings?.okSent(context: context) }
    }

    func placeCall(_ call: OutgoingSIPCall, context: CallLogContext) async {
        let forks = call.targets.compactMap { target -> (SIPHandle, SIPOutgoingCall)? in
            guard let invite = outgoingInvite(target, call) else { return nil }
            return (stack.makeHandle(), invite)
        }
        guard !forks.isEmpty else {
            await control?.handleSIP(.failed(status: 480, reason: "no reachable target"), on: call.leg)
            return
        }
        outgoing[call.leg] = OutgoingLeg(forks: Set(forks.map(\.0)))
        for (handle, _) in forks { forkLeg[handle] = call.leg }
        stack.send(.inviteForks(forks))
        logger.info("ringing SIP targets", metadata: context.metadata.merging(
            ["targets": "\(call.targets.map(\.description).joined(separator: ","))"]) { $1 })
    }

    func cancel(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async {
        guard let state = outgoing[leg] else { return }
        for fork in state.forks where state.finals[fork] == nil && state.winner != fork {
            stack.send(.cancel(fork))
        }
    }

    func acknowledge(_ leg: SIPLegID, context: CallLogContext) async {
        // nua acknowledges 2xx responses itself (NUTAG_AUTOACK).
    }

    func hangUp(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async {
        if let handle = incomingHandle[leg] ?? outgoing[leg]?.winner { stack.send(.bye(handle)) }
    }

    func sendDTMF(_ digit: DTMFDigit, on leg: SIPLegID, context: CallLogContext) async {
        if let handle = incomingHandle[leg] ?? outgoing[leg]?.winner {
            stack.send(.info(handle, digit: digit.digit, durationMs: digit.durationMilliseconds))
        }
    }

    func closeOrphanedDialog(sipCallID: String, context: CallLogContext) async {
        // The dialog died with the previous process (sofia keeps no state on disk);
        // the phone ends it by its session timer or RTP timeout.
        logger.notice("orphaned SIP dialog left to the phone's timers", metadata: context.metadata)
    }

    // MARK: - SIPTargetResolver

    func registeredContacts(ofUser user: String) async -> [String] {
        stack.registrar.bindings(for: user, now: Date().timeIntervalSince1970).map(\.contact)
    }
}

extension CallLogContext {
    /// The ids as log metadata.
    var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        for field in fields { metadata[field.key] = "\(field.value)" }
        return metadata
    }
}
