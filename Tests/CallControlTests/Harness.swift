// A CallControl wired to fakes and a manual clock, with a test configuration.

import Config
import Foundation
import TestSupport
@testable import CallControl

/// CallControl over fakes.
struct Harness: CallControlDriver {
    let journal = Journal()
    let clock = ManualClock()
    let sip: FakeSIP
    let whatsApp: FakeWhatsApp
    let media: FakeMedia
    let records = FakeRecords()
    let resolver = FakeResolver()
    let echo: FakeEcho
    let control: CallControl
    private let inviteCounter = Locked(0)

    init(config: GatewayConfig = .test(), settings: CallSettings? = nil, circuit: GraphCircuit? = nil,
         counters: NumberCounters? = nil, headroom: (any MediaHeadroom)? = nil, slots: (any CallSlots)? = nil,
         requestLimits: (any SharedRequestLimits)? = nil) {
        sip = FakeSIP(journal: journal)
        whatsApp = FakeWhatsApp(journal: journal)
        media = FakeMedia(journal: journal)
        echo = FakeEcho(journal: journal)
        resolver.contacts.withValue {
            $0 = ["alice": ["sip:alice@10.0.0.1:5062"], "bob": ["sip:bob@10.0.0.2:5062", "sip:bob@10.0.0.3:5062"]]
        }
        let ports = CallControl.Ports(sip: sip, resolver: resolver, whatsApp: whatsApp, media: media,
                                      records: records, echo: echo, headroom: headroom, slots: slots,
                                      requestLimits: requestLimits)
        control = CallControl(config: config, ports: ports, clock: clock, settings: settings, idPrefix: "c",
                              circuit: circuit, counters: counters)
    }

    /// Sends an INVITE from `origin` dialling `dialled` and waits until everything settles.
    @discardableResult
    func invite(_ dialled: String = "+14085551234", from origin: SIPOrigin = .user("alice"),
                settle: Bool = true) async -> SIPLegID {
        let number = inviteCounter.withValue { $0 += 1; return $0 }
        let leg = SIPLegID("in\(number)")
        await control.handleIncomingInvite(IncomingInvite(leg: leg, sipCallID: "sip-call-\(number)", origin: origin,
                                                          dialled: dialled, sdpOffer: "sip-offer-\(number)"))
        if settle { await self.settle() }
        return leg
    }

    func sipEvent(_ event: SIPLegEvent, on leg: SIPLegID) async {
        await control.handleSIP(event, on: leg)
        await settle()
    }

    /// Drives an outbound call to answered: connect → RINGING → answer → ACCEPTED → media connected.
    @discardableResult
    func answeredOutbound(_ dialled: String = "+14085551234") async -> (leg: SIPLegID, call: String, wacid: WACID) {
        let leg = await invite(dialled)
        let call = (await control.summaries()).last!.context.callID.rawValue
        let wacid = (await control.summaries()).last!.context.wacid!
        await webhook(.status(wacid: wacid, .ringing, opaque: call))
        await webhook(.answer(wacid: wacid, sdp: "meta-answer", opaque: call))
        await webhook(.status(wacid: wacid, .accepted, opaque: call))
        await mediaEvent(.connected, call: call)
        return (leg, call, wacid)
    }

    /// Starts an inbound call from `caller` and returns its call id.
    func inboundCall(_ wacid: String = "wacid.in1", from caller: String = "14085550001") async -> String? {
        await webhook(.userCall(wacid: WACID(wacid), caller: .phone(caller, name: "Zoe"), number: nil, offer: "meta-offer"))
        return (await control.summaries()).first { $0.context.wacid == WACID(wacid) }?.context.callID.rawValue
    }

    func phase(_ call: String) async -> String? {
        (await control.summaries()).first { $0.context.callID.rawValue == call }?.phase
    }

    var activeCalls: Int { get async { await control.activeCallCount } }
}
