// The one owner of call state: a table of CallStateMachines, events routed to
// them, their actions performed through the ports.
//
// Ordering: each call has two serial lanes. The signalling lane carries SIP,
// media and record actions in the order the machine emitted them; the Graph
// lane carries Cloud API requests (slow, and never allowed to hold up a SIP
// response). Results come back into the actor as events.

public import Config
import Foundation
public import Logging

/// Owns every call; the only place call state changes.
public actor CallControl {
    /// The adapters call control acts through.
    public struct Ports: Sendable {
        /// The SIP front end.
        public var sip: any SIPSignaling
        /// Registered contacts of users.
        public var resolver: any SIPTargetResolver
        /// The Cloud API.
        public var whatsApp: any WhatsAppCalling
        /// The media bridge.
        public var media: any MediaControl
        /// CDRs and in-progress rows.
        public var records: any CallRecords
        /// The echo test's media; nil refuses echo calls with 503.
        public var echo: (any EchoMedia)?
        /// The media loops' measured load, checked against `[media] admission_max_busy`
        /// before a new call is admitted; nil admits regardless of load.
        public var headroom: (any MediaHeadroom)?
        /// Limits shared with the other nodes of a cluster (per-number and per-caller
        /// `max_calls` across nodes); nil on a single node, where the counts here suffice.
        public var slots: (any CallSlots)?
        /// Meta's permission request limits counted with the other nodes of a cluster;
        /// nil on a single node, where ``PermissionRequestLimiter`` counts alone.
        public var requestLimits: (any SharedRequestLimits)?
        /// Work one node of a cluster does for all (a callback armed on several
        /// nodes, placed once); nil on a single node.
        public var claims: (any ClusterClaims)?

        /// Groups the adapters.
        public init(sip: any SIPSignaling, resolver: any SIPTargetResolver, whatsApp: any WhatsAppCalling,
                    media: any MediaControl, records: any CallRecords, echo: (any EchoMedia)? = nil,
                    headroom: (any MediaHeadroom)? = nil, slots: (any CallSlots)? = nil,
                    requestLimits: (any SharedRequestLimits)? = nil, claims: (any ClusterClaims)? = nil) {
            self.sip = sip
            self.resolver = resolver
            self.whatsApp = whatsApp
            self.media = media
            self.records = records
            self.echo = echo
            self.headroom = headroom
            self.slots = slots
            self.requestLimits = requestLimits
            self.claims = claims
        }
    }

    /// One call in the table.
    struct Entry {
        /// The call's state machine.
        var machine: CallStateMachine
        /// The business number the call's Graph requests go through.
        var number: WhatsAppNumberID
        /// Users and trunks the call counts against.
        var owners: Set<String>
        /// The call's SIP legs.
        var legs: Set<SIPLegID> = []
        /// Armed timers.
        var timers: [CallTimer: any CallTimerHandle] = [:]
        /// Outbound calls: what a permission request template's `{dialled}` and `{caller}` are.
        var requester: PermissionRequestContext?
        /// While a transfer leg rings: the owners before it (restored if it fails).
        var ownersBeforeTransfer: Set<String>?
    }

    /// The two serial lanes of a call.
    enum LaneKind: Hashable { case signalling, graph }

    /// The tail of a lane.
    struct Lane {
        /// The last queued step.
        var task: Task<Void, Never>
        /// Identifies the step.
        var token: UInt64
    }

    /// The adapters.
    let ports: Ports
    /// Time.
    let clock: any CallClock
    /// Structured logs with call_id, wacid, sip_call_id.
    let logger: Logger
    /// The behaviour settings, copied into each new call's state machine (a reload changes them for new calls).
    var settings: CallSettings
    /// Policy and limits (its numbers change with ``addNumber(_:)`` and ``removeNumber(_:)``).
    var admission: Admission
    /// The inbound plan; `router.config.numbers` is the table of numbers served.
    var router: InboundRouter
    /// The prefix of call ids.
    let idPrefix: String
    /// Graph health shared with the WhatsApp adapter: new outbound calls are refused while it is open.
    let circuit: GraphCircuit?
    /// How long an unacknowledged `terminate` is retried.
    let terminateRetryHorizon: Duration
    /// Once drain has emptied the table: when pending terminate retries give up.
    var retryCutoff: Date?
    /// How long an event for an unknown business-initiated wacid waits for its `connect` to claim it.
    let unclaimedGrace: Duration
    /// The calls, by id.
    var calls: [CallID: Entry] = [:]
    /// Calls by SIP leg.
    var byLeg: [SIPLegID: CallID] = [:]
    /// INVITEs waiting for their cluster slots, with the leg events that arrived
    /// meanwhile (a CANCEL), handed to the call once it exists.
    var awaitingSlots: [SIPLegID: [SIPLegEvent]] = [:]
    /// Calls by wacid.
    var byWACID: [WACID: CallID] = [:]
    /// Wacids of finished, refused or terminated-unknown calls, with when: late events for them are ignored.
    var tombstones: [WACID: Date] = [:]
    /// Call ids whose `connect` timed out: a webhook echoing one is for a call that must be terminated.
    var unknownConnects: [String: Date] = [:]
    /// Business-initiated events for wacids no call claimed yet (a `connect` may still answer).
    var unclaimed: [WACID: (since: Date, number: WhatsAppNumberID, events: [WhatsAppEvent])] = [:]
    /// The timer that terminates unclaimed wacids.
    var unclaimedSweep: (any CallTimerHandle)?
    /// Inbound wacids being routed (contact lookup in progress).
    var routing: Set<WACID> = []
    /// Per business number: calls being routed, recent connects, unknown numbers logged.
    var numberState = NumberState()
    /// Counters for `/metrics`.
    let counters: NumberCounters
    /// Cached permissions, per business number: Meta grants a user's permission
    /// to one number (`/{PHONE_NUMBER_ID}/call_permissions`). Keys are configured
    /// numbers only (webhooks for others are ignored before they get here).
    var permissions: [WhatsAppNumberID: PermissionCache] = [:]
    /// Open customer service windows, per business number (see ServiceWindowTable).
    var serviceWindows: [WhatsAppNumberID: ServiceWindowTable] = [:]
    /// Permission requests sent, per business number (see PermissionRequestLimiter).
    var requestLimits: [WhatsAppNumberID: PermissionRequestLimiter] = [:]
    /// Business numbers whose missing `permission_template` was already logged.
    var loggedNoTemplate: Set<WhatsAppNumberID> = []
    /// Per business number: when a held-back permission request was last logged, and how many since.
    var limitedLog: [WhatsAppNumberID: (last: Date, suppressed: Int)] = [:]
    /// The WhatsApp users webhooks named, by every identifier.
    var directory = WhatsAppUserDirectory()
    /// Refused callers waiting for a permission reply (`permission_callback`).
    var callbacks = PendingCallbacks()
    /// Web agents waiting to hear that a user they asked granted permission.
    var permissionWatchers = PermissionWatchers()
    /// Where those agents are told (the browser agents' adapter), when any.
    var agentNotifications: (any AgentNotifications)?
    /// The timer that drops callbacks at their deadline.
    var callbackSweep: (any CallTimerHandle)?
    /// New calls refused.
    var draining = false
    /// The drain deadline.
    var drainTimer: (any CallTimerHandle)?
    /// Callers of `drain` waiting for the table to empty.
    var drainWaiters: [CheckedContinuation<Void, Never>] = []
    /// Lane tails by call.
    var lanes: [CallID: [LaneKind: Lane]] = [:]
    /// The last lane step token.
    var nextToken: UInt64 = 0
    /// Lane steps not yet done, by lane kind.
    var pendingWork: [LaneKind: Int] = [:]
    /// Callers of `waitUntilIdle`.
    var idleWaiters: [(includingGraph: Bool, continuation: CheckedContinuation<Void, Never>)] = []
    /// The number of the last call id.
    var callCounter = 0
    /// How often a Meta result for an unknown wacid is logged.
    var unknownArtifactLog = LogAllowance()

    /// Creates call control over `config` and the adapters. `idPrefix` starts every call id
    /// (make it unique per run, e.g. from the start time, so CDRs of runs never collide).
    public init(config: GatewayConfig, ports: Ports, clock: any CallClock = SystemCallClock(),
                settings: CallSettings? = nil, idPrefix: String = "wg",
                unclaimedGrace: Duration = .seconds(30), circuit: GraphCircuit? = nil,
                counters: NumberCounters? = nil, logger: Logger = Logger(label: "wagate.callcontrol")) {
        self.counters = counters ?? NumberCounters(numberNames: config.numbers.map(\.name))
        self.ports = ports
        self.clock = clock
        self.logger = logger
        self.settings = settings ?? CallSettings(config: config)
        self.admission = Admission(config: config)
        self.router = InboundRouter(config: config)
        self.idPrefix = idPrefix
        self.unclaimedGrace = unclaimedGrace
        self.circuit = circuit
        self.terminateRetryHorizon = config.whatsapp.resilience.terminateRetryHorizon
    }

    // MARK: Entry points

    /// A new INVITE (after 100 Trying and authentication): to the echo test when a
    /// user dialled the echo extension, an internal call when a user dialled a user
    /// or group name (`[transfer] internal_calls`), else to a WhatsApp number, admitted here
    /// (dial plan after the trunk's rewrite, policy, limits, media load) or refused.
    /// A second INVITE for a leg already in the table (a retransmission the SIP layer let through) is ignored.
    public func handleIncomingInvite(_ invite: IncomingInvite) async {
        guard byLeg[invite.leg] == nil, awaitingSlots[invite.leg] == nil else { return }
        if admission.isEchoTest(invite) {
            handleEchoInvite(invite)
            return
        }
        if let target = admission.internalTarget(invite) {
            await handleInternalInvite(invite, target: target)
            return
        }
        let id = makeCallID()
        let owner = Admission.ownerKey(invite.origin)
        switch admission.admit(invite, activeCalls: activeCallCount, activeCallsByOwner: ownerCounts(),
                               activeCallsByNumber: numberCallCounts(), draining: draining) {
        case .failure(let refusal):
            let number = (try? admission.chooseNumber(invite).get()).map { WhatsAppNumberID($0.number.phoneNumberID) }
            countNumberLimit(refusal, number: number)
            refuse(invite, id: id, refusal: refusal, number: number)
        case .success(let admitted):
            if let refusal = graphUnavailableRefusal() ?? numberRateRefusal(admitted.number)
                ?? mediaLoadRefusal(.outbound) {
                refuse(invite, id: id, refusal: refusal, number: admitted.number)
                return
            }
            var held: [SIPLegEvent] = []
            if let slots = ports.slots {
                awaitingSlots[invite.leg] = []
                let full = await slots.reserve(call: id, requests: slotRequests(number: admitted.number, owner: owner))
                held = awaitingSlots.removeValue(forKey: invite.leg) ?? []
                if let full {
                    refuse(invite, id: id, refusal: clusterLimitRefusal(full, number: admitted.number, origin: invite.origin),
                           number: admitted.number)
                    return
                }
            }
            var machine = CallStateMachine(id: id, outbound: invite, user: directory.complete(admitted.user),
                                           settings: settings, callbackWindow: admission.callbackWindow(invite.origin))
            let actions = machine.start()
            calls[id] = Entry(machine: machine, number: admitted.number, owners: [owner], legs: [invite.leg],
                              requester: requester(of: invite, number: admitted.number))
            byLeg[invite.leg] = id
            afterStep(id, actions: actions)
            for event in held { deliver(.sip(invite.leg, event), to: id) }
        }
    }

    /// Something happened on a SIP leg (incoming INVITE's dialog or an outgoing call we placed).
    public func handleSIP(_ event: SIPLegEvent, on leg: SIPLegID) {
        if awaitingSlots[leg] != nil {
            awaitingSlots[leg]?.append(event)
            return
        }
        guard let id = byLeg[leg] else {
            strayLeg(leg, event: event)
            return
        }
        deliver(.sip(leg, event), to: id)
    }

    /// Something from the media bridge about `call`.
    public func handleMedia(_ event: MediaEvent, for call: CallID) {
        deliver(.media(event), to: call)
    }

    /// The number of calls not yet ended.
    public var activeCallCount: Int {
        calls.values.count { !$0.machine.isEnded } + routing.count
    }

    /// One line per call in the table: id, direction, phase and log ids.
    public func summaries() -> [CallSummary] {
        calls.values.map {
            CallSummary(context: $0.machine.context, direction: $0.machine.direction, phase: $0.machine.phase)
        }.sorted { $0.context.callID < $1.context.callID }
    }

    /// Whether new calls are refused (graceful shutdown started).
    public var isDraining: Bool { draining }

    // MARK: Internals shared by the extensions

    /// The next call id.
    func makeCallID() -> CallID {
        callCounter += 1
        let number = String(callCounter)
        return CallID("\(idPrefix)-\(String(repeating: "0", count: max(0, 6 - number.count)))\(number)")
    }

    /// Active calls per user/trunk.
    func ownerCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for entry in calls.values where !entry.machine.isEnded {
            for owner in entry.owners { counts[owner, default: 0] += 1 }
        }
        return counts
    }

    /// Feeds an event to a call's machine and performs what comes out.
    func deliver(_ event: CallEvent, to id: CallID) {
        guard var entry = calls[id] else {
            lateResult(event, for: id)
            return
        }
        let actions = entry.machine.handle(event)
        calls[id] = entry
        afterStep(id, actions: actions)
    }

    /// Updates the indexes from the machine, performs the actions, forgets a finished call.
    func afterStep(_ id: CallID, actions: [CallControlAction]) {
        guard var entry = calls[id] else { return }
        var newWACID: WACID?
        if let wacid = entry.machine.context.wacid, byWACID[wacid] == nil {
            byWACID[wacid] = id
            newWACID = wacid
        }
        for case .placeCall(let call) in actions {
            byLeg[call.leg] = id
            entry.legs.insert(call.leg)
            transferLegPlaced(call, entry: &entry)
        }
        calls[id] = entry
        perform(actions, for: id, context: entry.machine.context)
        if entry.machine.isFinished { forget(id) }
        if let newWACID { replayUnclaimed(newWACID, to: id) }
    }

    /// Removes a finished call from the table and its indexes.
    func forget(_ id: CallID) {
        guard let entry = calls.removeValue(forKey: id) else { return }
        for leg in entry.legs where byLeg[leg] == id { byLeg[leg] = nil }
        if let wacid = entry.machine.context.wacid {
            byWACID[wacid] = nil
            tombstones[wacid] = clock.now
        }
        for timer in entry.timers.values { timer.cancel() }
        if calls.isEmpty && routing.isEmpty { resumeDrainWaiters() }
    }
}

/// A call in the table, for status pages and tests.
public struct CallSummary: Sendable, Equatable {
    /// Its log ids.
    public var context: CallLogContext
    /// Which way.
    public var direction: BridgeDirection
    /// The machine's phase (`outbound.setup`, `inbound.ringing`, `ended`, …).
    public var phase: String
}
