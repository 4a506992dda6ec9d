import CallControl
import Logging

/// What call control gets as `sip` and `resolver`: the SIP stack's adapter and,
/// beside it, browser agents, so that a browser is one more contact of its user.
///
/// `registeredContacts(ofUser:)` lists the user's registered phones, then their
/// available browser sessions (`wagate-agent:<session>`): ring groups, user targets
/// and `max_calls` (owner = the user) treat a browser exactly as a phone, with no
/// change in call control. A leg whose targets mix phones and browsers is rung as
/// sub-legs (`<leg>~sip` through `StackSIPSignaling`, `<leg>~a<n>` per browser), and
/// this adapter owns the winner across them (`BusinessSignaling+Forks.swift`).
/// Legs without a browser go to the SIP adapter untouched; a browser's own call
/// (`dial`, legs `ag-<n>`) is the agent adapter's.
actor BusinessSignaling: SIPSignaling, SIPTargetResolver, SIPLegSink {
    /// The SIP stack's adapter.
    let sip: StackSIPSignaling
    /// The browser agents' adapter, when `[webphone]` is enabled.
    let agents: AgentSignaling?
    /// Call control.
    weak var sink: (any SIPLegSink)?
    let logger: Logger
    /// Legs rung across phones and browsers, by call control's leg.
    var composite: [SIPLegID: CompositeLeg] = [:]
    /// Each sub-leg's leg in call control.
    var parent: [SIPLegID: SIPLegID] = [:]

    /// Creates the adapter; `attach` wires both sides to it.
    init(sip: StackSIPSignaling, agents: AgentSignaling?, logger: Logger) {
        self.sip = sip
        self.agents = agents
        self.logger = logger
    }

    /// Reports to `control` from now on, and makes both adapters report here.
    func attach(_ control: any SIPLegSink) async {
        sink = control
        await sip.attach(self)
        await agents?.attach(self)
    }

    // MARK: - SIPTargetResolver

    func registeredContacts(ofUser user: String) async -> [String] {
        let phones = await sip.registeredContacts(ofUser: user)
        return phones + (await agents?.availableContacts(ofUser: user) ?? [])
    }

    func isTrunkUp(_ name: String) async -> Bool {
        await sip.isTrunkUp(name)
    }

    // MARK: - SIPLegSink

    func handleIncomingInvite(_ invite: IncomingInvite) async {
        await sink?.handleIncomingInvite(invite)
    }

    func handleSIP(_ event: SIPLegEvent, on leg: SIPLegID) async {
        guard let owner = parent[leg] else {
            await sink?.handleSIP(event, on: leg)
            return
        }
        await subLegEvent(event, on: leg, of: owner)
    }

    // MARK: - SIPSignaling

    func placeCall(_ call: OutgoingSIPCall, context: CallLogContext) async {
        let browsers = call.targets.filter(\.isAgent)
        guard let agents, !browsers.isEmpty else {
            var phones = call
            phones.targets = call.targets.filter { !$0.isAgent }
            await sip.placeCall(phones, context: context)
            return
        }
        await placeAcrossKinds(call, browsers: browsers, agents: agents, context: context)
    }

    func respond(to leg: SIPLegID, with response: SIPResponse, context: CallLogContext) async {
        if Self.isAgentLeg(leg) { await agents?.respond(to: leg, with: response, context: context) } else {
            await sip.respond(to: leg, with: response, context: context)
        }
    }

    func cancel(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async {
        guard let state = composite[leg] else {
            await sip.cancel(leg, reason: reason, context: context)
            return
        }
        for sub in state.outcome.ringing { await cancelSubLeg(sub, reason: .callerHungUp, context: context) }
    }

    func acknowledge(_ leg: SIPLegID, context: CallLogContext) async {
        let target = answeringLeg(leg)
        if !Self.isAgentLeg(target) { await sip.acknowledge(target, context: context) }
    }

    func hangUp(_ leg: SIPLegID, reason: SIPReason?, context: CallLogContext) async {
        let target = answeringLeg(leg)
        forget(leg)
        if Self.isAgentLeg(target) { await agents?.hangUp(target, reason: reason, context: context) } else {
            await sip.hangUp(target, reason: reason, context: context)
        }
    }

    func sendDTMF(_ digit: DTMFDigit, on leg: SIPLegID, context: CallLogContext) async {
        let target = answeringLeg(leg)
        if !Self.isAgentLeg(target) { await sip.sendDTMF(digit, on: target, context: context) }
    }

    func closeOrphanedDialog(sipCallID: String, context: CallLogContext) async {
        await sip.closeOrphanedDialog(sipCallID: sipCallID, context: context)
    }

    func notifyTransfer(_ leg: SIPLegID, status: Int, final: Bool, context: CallLogContext) async {
        let target = answeringLeg(leg)
        if Self.isAgentLeg(target) {
            await agents?.notifyTransfer(target, status: status, final: final, context: context)
        } else {
            await sip.notifyTransfer(target, status: status, final: final, context: context)
        }
    }

    // MARK: - Legs

    /// True for a leg the agent adapter owns: a browser fork or a browser's own call.
    static func isAgentLeg(_ leg: SIPLegID) -> Bool {
        leg.rawValue.hasPrefix(AgentSignaling.dialLegPrefix) || leg.rawValue.contains(agentForkMarker)
    }

    /// What marks a browser fork's sub-leg (`<leg>~a<n>`).
    static let agentForkMarker = "~a"

    /// The sub-leg that answered a composite leg, else `leg` itself.
    func answeringLeg(_ leg: SIPLegID) -> SIPLegID {
        composite[leg]?.outcome.winner ?? leg
    }
}
