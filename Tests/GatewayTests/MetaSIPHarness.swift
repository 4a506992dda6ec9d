// The composition of SIP mode over fakes: call control with the real SIP
// adapter, the real MetaSIPCalling and the router in front of a fake Graph, all
// fed through the real SIP front end from a recording stack.

import CallControl
import Config
import Foundation
import Logging
import TestSupport
@testable import Gateway
@testable import SIP

/// One gateway with a SIP-mode number, minus sockets.
struct MetaSIPHarness: CallControlDriver {
    let journal = Journal()
    let clock = ManualClock()
    let stack = FakeSIPStack()
    let graph: FakeWhatsApp
    let media: FakeMedia
    let records = FakeRecords()
    let signaling: StackSIPSignaling
    let meta: MetaSIPCalling
    let control: CallControl
    let frontEnd: SIPFrontEndService
    /// The SIP-mode number's phone_number_id.
    let sipNumber = WhatsAppNumberID("333")

    init(config: GatewayConfig = .metaSIP(), counters: NumberCounters = NumberCounters(),
         logger: Logger = Logger(label: "gateway-tests")) async {
        graph = FakeWhatsApp(journal: journal)
        media = FakeMedia(journal: journal)
        signaling = StackSIPSignaling(stack: stack, config: config, logger: logger)
        meta = MetaSIPCalling(stack: stack, config: config, logger: logger)
        control = CallControl(
            config: config,
            ports: .init(sip: signaling, resolver: signaling, whatsApp: WhatsAppCallingRouter(graph: graph, sip: meta),
                         media: media, records: records, echo: FakeEcho(journal: journal)),
            clock: clock, idPrefix: "m", counters: counters)
        frontEnd = SIPFrontEndService(config: config, stack: RecordingStackService(stack), registrations: nil,
                                      calls: signaling, meta: meta, logger: logger)
        await signaling.attach(control)
        await meta.attach(control)
    }

    /// A stack event through the front end, then settle (a `connect` may stay in flight).
    func event(_ event: SIPEvent) async {
        await frontEnd.handle(event)
        await control.waitUntilIdle(includingGraph: false)
    }

    /// alice's INVITE to `dialled`; returns its handle once the INVITE to Meta is out.
    func phoneInvite(_ dialled: String = "+447700900123") async -> SIPHandle {
        let handle = stack.makeHandle()
        let request = SIPRequest(
            method: "INVITE", requestURI: "sip:\(dialled)@gw", requestUser: dialled, fromUser: "alice",
            callID: "phone-\(handle.rawValue)", body: Array("v=0 phone-offer".utf8),
            source: SIPSource(host: "192.0.2.50", port: 5060, transport: "udp"))
        await event(.incomingCall(handle, .user("alice"), request))
        await untilMetaInviteOrAnswer(phone: handle)
        return handle
    }

    /// Waits (at most 5 s) until the INVITE to Meta is out or the phone has a final answer:
    /// the permission look-up, media and `connect` run on call control's Graph lane.
    func untilMetaInviteOrAnswer(phone: SIPHandle) async {
        let deadline = ContinuousClock.now + .seconds(5)
        while metaInvite == nil, !stack.responses(on: phone).contains(where: { $0.status >= 300 }),
              ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// The INVITE sent to Meta (the newest one with `metaNumber` set).
    var metaInvite: (handle: SIPHandle, call: SIPOutgoingCall)? {
        stack.invites.last { $0.call.metaNumber != nil }
    }

    /// Meta's INVITE for the SIP-mode number, as the SIP layer reports it after recognising Meta.
    func metaCall(from caller: String = "+447700900123", wacid: String? = "wacid.META1", offers100rel: Bool = true,
                  callID: String = "outgoing:wacid.META1.x") async -> SIPHandle {
        let handle = stack.makeHandle()
        var request = SIPRequest(
            method: "INVITE", requestURI: "sip:+15550100002@gw.example.com;transport=tls", requestUser: "+15550100002",
            fromUser: caller, callID: callID, body: Array("v=0 meta-offer".utf8),
            source: SIPSource(host: "203.0.113.7", port: 5061, transport: "tls"))
        request.metaWACID = wacid
        request.offers100rel = offers100rel
        await event(.incomingCall(handle, .meta("wa-sip"), request))
        return handle
    }

    /// Registers alice's phone, so the inbound plan can ring it.
    func registerAlice() {
        let request = SIPRequest(
            method: "REGISTER", requestURI: "sip:wagate", requestUser: "", toUser: "alice", callID: "reg-alice",
            contacts: [SIPContact(uri: "sip:alice@192.0.2.60:5062", expires: 3600, isWildcard: false)],
            source: SIPSource(host: "192.0.2.60", port: 5062, transport: "udp"))
        _ = stack.registrar.register(request, user: "alice", now: Date().timeIntervalSince1970)
    }

    /// The newest call's id.
    func lastCall() async -> CallID? {
        await control.summaries().last?.context.callID
    }
}
