import CallControl
import Config
import Foundation
import Logging
import Media
import SIP

/// Call control's `SIPSignaling` and `SIPTargetResolver` over the sofia stack.
/// It maps call control's leg ids onto stack handles — one handle for an
/// incoming INVITE, one per fork for a call we place — and turns stack events
/// into `SIPLegEvent`s. It is the one owner of a forked leg's winner (see
/// `StackSIPSignaling+Forks.swift`): the stack reports every fork's responses,
/// this adapter reports one answer or one failure per leg to call control.
actor StackSIPSignaling: SIPSignaling, SIPTargetResolver {
    let stack: any SIPCommandChannel
    /// Users and trunks targets are built from; replaced by ``apply(_:)``.
    private(set) var config: GatewayConfig
    let logger: Logger
    /// Where leg events and new INVITEs go: call control, or the composite adapter in front of it.
    weak var sink: (any SIPLegSink)?
    var incoming: [SIPHandle: SIPLegID] = [:]
    var incomingHandle: [SIPLegID: SIPHandle] = [:]
    /// Calls we placed, by call control's leg: their forks and the winner.
    var outgoing: [SIPLegID: OutgoingLeg] = [:]
    var forkLeg: [SIPHandle: SIPLegID] = [:]
    /// The user that placed each incoming leg, when a user did (a REFER's `referredBy`).
    var incomingUser: [SIPLegID: String] = [:]
    private let timings: SetupTimings?
    /// Which trunks answer the keepalive; down trunks are skipped by routing.
    nonisolated let trunkHealth: TrunkHealth

    init(stack: any SIPCommandChannel, config: GatewayConfig, timings: SetupTimings? = nil, logger: Logger) {
        self.stack = stack
        self.config = config
        self.timings = timings
        self.logger = logger
        trunkHealth = TrunkHealth(config: config, registry: timings?.registry, logger: logger)
    }

    /// Sends leg events and new INVITEs to `sink` from now on.
    func attach(_ sink: any SIPLegSink) {
        self.sink = sink
    }

    /// The SIP side's swap point on a reload: new INVITEs are built from and
    /// new requests authenticated against `config`'s users and trunks, trunks
    /// are probed as now configured. Dialogs in progress keep their handles.
    func apply(_ config: GatewayConfig) {
        self.config = config
        stack.send(.reconfigure(config))
        trunkHealth.track(config.trunks.map(\.name))
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
        let origin: SIPOrigin
        switch identity {
        case .user(let name): origin = .user(name)
        case .trunk(let name): origin = .trunk(name)
        case .meta:
            // Meta's INVITEs go to MetaSIPCalling; one reaching here has no owner.
            stack.send(.respond(handle, status: 503, phrase: "Service Unavailable", sdp: nil, headers: []))
            return
        }
        let leg = SIPLegID("in-\(handle.rawValue)")
        incoming[handle] = leg
        incomingHandle[leg] = handle
        if case .user(let name) = identity { incomingUser[leg] = name }
        let sdp = request.body.isEmpty ? nil : String(decoding: request.body, as: UTF8.self)
        await sink?.handleIncomingInvite(IncomingInvite(
            leg: leg, sipCallID: request.callID, origin: origin, dialled: request.requestUser,
            fromUser: request.fromUser, fromDisplayName: request.fromDisplay, sdpOffer: sdp,
            preferredIdentity: request.preferredIdentity, assertedIdentity: request.assertedIdentity))
    }

    /// Any other stack event for a handle this adapter owns.
    func event(_ event: SIPEvent) async {
        switch event {
        case .cancelled(let handle): await deliver(.cancelled, handle)
        case let .acknowledged(handle, body): await deliver(.acknowledged(sdp: Self.sdp(body)), handle)
        case .bye(let handle): await deliver(.bye, handle)
        case let .dtmf(handle, digit, duration): await deliver(.dtmf(DTMFDigit(digit, durationMilliseconds: duration)), handle)
        case let .reinvite(handle, request), let .update(handle, request):
            await deliver(.offered(sdp: Self.sdp(request.body)), handle)
        case let .inviteResponse(handle, status, phrase, body, _, callID, _):
            await forkResponse(handle, status: status, phrase: phrase, body: body, callID: callID)
        case let .inDialogResponse(handle, method, status, phrase):
            inDialogResponse(handle, method: method, status: status, phrase: phrase)
        case let .terminated(handle, status, phrase):
            await terminated(handle, status: status, phrase: phrase)
        case let .refer(handle, request):
            await refer(handle, request)
        default:
            break
        }
    }

    /// A message body as SDP text, nil when empty.
    private static func sdp(_ body: [UInt8]) -> String? {
        body.isEmpty ? nil : String(decoding: body, as: UTF8.self)
    }

    private func deliver(_ event: SIPLegEvent, _ handle: SIPHandle) async {
        if let leg = incoming[handle] ?? forkLeg[handle] {
            await sink?.handleSIP(event, on: leg)
        }
    }

    // MARK: - SIPSignaling

    /// Answers the incoming INVITE of `leg`, or the re-INVITE/UPDATE pending on
    /// its dialog (an incoming call's handle, or the winning fork of a call we placed).
    func respond(to leg: SIPLegID, with response: SIPResponse, context: CallLogContext) async {
        guard let handle = incomingHandle[leg] ?? outgoing[leg]?.winner else { return }
        var headers: [String] = []
        // Warning and Reason texts may quote Graph API errors: the builders make them header-safe.
        if let warning = response.warning.flatMap(SIPWarning.init) { headers.append(warning.header) }
        if let reason = response.reason {
            headers.append(SIPReasonHeader(protocolName: reason.protocolName, cause: reason.cause, text: reason.text).header)
        }
        if let retryAfter = response.retryAfter { headers.append(SIPRetryAfter(seconds: retryAfter).header) }
        stack.send(.respond(handle, status: response.status, phrase: response.phrase ?? "", sdp: response.sdp,
                            headers: headers))
        if response.status == 200 { timings?.okSent(context: context) }
    }

    func placeCall(_ call: OutgoingSIPCall, context: CallLogContext) async {
        let forks = call.targets.compactMap { target -> (SIPHandle, SIPOutgoingCall, SIPTarget)? in
            guard let invite = outgoingInvite(target, call) else { return nil }
            return (stack.makeHandle(), invite, target)
        }
        guard !forks.isEmpty else {
            await sink?.handleSIP(.failed(status: 480, reason: "no reachable target"), on: call.leg)
            return
        }
        outgoing[call.leg] = OutgoingLeg(outcome: ForkOutcome(forks: forks.map(\.0)), context: context,
                                         trunks: OutgoingLeg.trunks(of: forks.map { ($0.0, $0.2) }),
                                         users: OutgoingLeg.users(of: forks.map { ($0.0, $0.2) }))
        for (handle, _, _) in forks { forkLeg[handle] = call.leg }
        stack.send(.inviteForks(forks.map { ($0.0, $0.1) }))
        logger.info("ringing SIP targets", metadata: context.metadata.merging(
            ["targets": "\(call.targets.map(\.description).joined(separator: ","))"]) { $1 })
    }

    func cancel(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async {
        guard let state = outgoing[leg] else { return }
        for fork in state.outcome.ringing { stack.send(.cancel(fork)) }
    }

    func acknowledge(_ leg: SIPLegID, context: CallLogContext) async {
        // The SIP stack ACKs every 2xx as it arrives (SofiaRuntime.acknowledge).
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

    func isTrunkUp(_ name: String) async -> Bool {
        trunkHealth.isUp(name)
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
