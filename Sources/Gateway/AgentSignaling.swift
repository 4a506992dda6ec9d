import CallControl
import Logging
import WebAgents

/// Browser agents as call control's SIP side: one agent call (`a-…`) per ringing
/// browser fork of an inbound call, or per `dial` of a browser.
///
/// Inbound, a fork rings only when its `wagate-agent:` session exists, is connected
/// and belongs to the target's user; the page gets `incoming` with wagate's offer
/// (`AgentMedia.offerForAgent`), the caller and the CTA payload. `ringing` is the
/// fork's 180, `answer` attaches the browser to the bridge (`agentAnswered`) and is
/// then the fork's 2xx **without SDP**, so call control accepts and bridges exactly as
/// for a phone. Outbound, `dial` is an `IncomingInvite` from the user (same
/// admission, dial plan, policy, limits and permission as a phone), and call
/// control's responses become `progress`, `answered` and `ended`.
actor AgentSignaling {
    /// The legs of a browser's own calls start with this (`ag-<n>`).
    static let dialLegPrefix = "ag-"

    /// One agent call.
    struct Call: Sendable {
        /// `incoming` to the page, or the page's `dial`.
        enum Direction: Sendable { case inbound, outbound }
        /// The session it belongs to, and its user.
        var session: String
        var user: String
        /// Call control's (sub-)leg.
        var leg: SIPLegID
        var direction: Direction
        /// The gateway call, for media: known from the start for inbound forks, from
        /// call control's first response for a dial.
        var callID: CallID?
        /// True once answered.
        var answered = false
        /// The number or BSUID dialled (outbound).
        var dialled: String?
        /// Where the agent asked to transfer this call, while a transfer runs.
        var transferTo: String?
        /// The last hold and mute state the page asked for.
        var media = BusinessMediaState(held: false, muted: false)
    }

    let hub: any AgentHubPort
    let media: any AgentMedia
    let logger: Logger
    weak var sink: (any SIPLegSink)?
    /// The composite adapter, which decides the winner among forks.
    weak var business: BusinessSignaling?
    /// Call control, for what is not a leg event (permission requests).
    weak var control: CallControl?
    /// Agent calls by their `a-…` id, and the ids by leg.
    var calls: [String: Call] = [:]
    var byLeg: [SIPLegID: String] = [:]
    private var dialCount = 0

    /// Creates the adapter; ``run()`` consumes the hub's call requests.
    init(hub: any AgentHubPort, media: any AgentMedia, logger: Logger) {
        self.hub = hub
        self.media = media
        self.logger = logger
    }

    /// Reports to `business` from now on, which also decides who wins a fork race.
    func attach(_ business: BusinessSignaling) {
        sink = business
        self.business = business
    }

    /// Takes the hub's call requests until it stops.
    func run() async {
        let events = await hub.attachCalls { [weak self] session in await self?.summaries(of: session) ?? [] }
        for await event in events {
            switch event {
            case let .request(session, user, re, request): await handle(request, re: re, session: session, user: user)
            case let .sessionEnded(session, _): await sessionEnded(session)
            }
        }
    }

    /// The `wagate-agent:` contacts of `user`'s available sessions.
    func availableContacts(ofUser user: String) async -> [String] {
        await hub.availableContacts(ofUser: user)
    }

    /// A session's calls, for the `welcome` of a reconnect.
    func summaries(of session: String) -> [AgentCallSummary] {
        calls.filter { $0.value.session == session }
            .map { AgentCallSummary(call: $0.key, state: $0.value.answered ? "answered" : "ringing") }
    }

    /// A new leg id for a browser's `dial`.
    func nextDialLeg() -> SIPLegID {
        dialCount += 1
        return SIPLegID(Self.dialLegPrefix + "\(dialCount)")
    }

    /// Records `call` under `id`.
    func insert(_ call: Call, id: String) {
        calls[id] = call
        byLeg[call.leg] = id
    }

    /// Forgets the call on `leg`; returns its id and state.
    @discardableResult
    func remove(_ leg: SIPLegID) -> (id: String, call: Call)? {
        guard let id = byLeg.removeValue(forKey: leg), let call = calls.removeValue(forKey: id) else { return nil }
        return (id, call)
    }

    /// Sends `message` to the session of agent call `id`.
    func tell(_ message: AgentServerMessage, session: String) async {
        await hub.send(message, to: session)
    }
}
