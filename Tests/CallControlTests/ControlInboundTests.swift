// The CallControl actor driving inbound calls through fake ports.

@testable import CallControl
import Config
import Testing
import TestSupport

@Suite("CallControl inbound")
struct ControlInboundTests {
    @Test("D1 full inbound flow: INVITE, 180 → pre_accept, 200 → accept → ACK → bridge, terminate → BYE")
    func fullFlow() async throws {
        let h = Harness()
        let call = try #require(await h.inboundCall())
        let leg = SIPLegID("\(call)/leg1")
        let invite = try #require(h.sip.placed.current.first)
        #expect(invite.callerNumber == "+14085550001")
        #expect(invite.callerDisplayName == "Zoe")
        #expect(invite.targets == [.contact(user: "alice", uri: "sip:alice@10.0.0.1:5062")])
        await h.sipEvent(.progress(status: 180, sdp: nil), on: leg)
        #expect(h.journal.contains("wa.pre_accept wacid.in1"))
        await h.sipEvent(.answered(sdp: "phone", sipCallID: "out-1"), on: leg)
        let j = h.journal
        let accept = try #require(j.index(of: "wa.accept wacid.in1"))
        let ack = try #require(j.index(of: "sip.ack \(leg)"))
        let bridge = try #require(j.index(of: "media.bridge \(call)"))
        #expect(accept < ack && ack < bridge)
        await h.webhook(.terminate(wacid: WACID("wacid.in1"), completed: true, duration: 5, errors: [], opaque: nil))
        #expect(j.contains("sip.bye \(leg)"))
        #expect(await h.activeCalls == 0)
        #expect(h.clock.pendingTimers == 0)
    }

    @Test("D2 ring timeout on the mock clock → CANCEL + reject inside Meta's window")
    func ringTimeout() async throws {
        let h = Harness()
        let call = try #require(await h.inboundCall())
        await h.advance(.seconds(24))
        #expect(h.journal.count("wa.reject") == 0)
        await h.advance(.seconds(1))
        #expect(h.journal.contains("sip.cancel \(call)/leg1"))
        #expect(h.journal.contains("wa.reject wacid.in1"))
    }

    @Test("D3 no registered contact → reject without ringing")
    func noContacts() async {
        let h = Harness()
        h.resolver.contacts.withValue { $0 = [:] }
        _ = await h.inboundCall()
        #expect(h.journal.contains("wa.reject wacid.in1"))
        #expect(h.journal.count("sip.invite") == 0)
        #expect(h.journal.count("media.open") == 0)
    }

    @Test("D4 terminate before answer → CANCEL; SIP BYE after answer → terminate")
    func hangUps() async throws {
        let h = Harness()
        let call = try #require(await h.inboundCall())
        await h.webhook(.terminate(wacid: WACID("wacid.in1"), completed: false, duration: nil, errors: [], opaque: nil))
        #expect(h.journal.contains("sip.cancel \(call)/leg1"))
        let second = try #require(await h.inboundCall("wacid.in2"))
        let leg = SIPLegID("\(second)/leg1")
        await h.sipEvent(.answered(sdp: nil, sipCallID: nil), on: leg)
        await h.sipEvent(.bye, on: leg)
        #expect(h.journal.contains("wa.terminate wacid.in2"))
    }

    @Test("D5 simultaneous ring group: one INVITE forked to every member's contacts")
    func simultaneousGroup() async throws {
        let h = Harness()
        _ = try #require(await h.inboundCall(from: "447700900001"))
        #expect(h.sip.placed.current.first?.targets.count == 3)
    }

    @Test("D6 sequential ring group: member timeout moves on; a late 200 of the first is hung up")
    func sequentialGroup() async throws {
        let h = Harness()
        let call = try #require(await h.inboundCall(from: "33612345678"))
        await h.advance(.seconds(10))
        #expect(h.journal.contains("sip.cancel \(call)/leg1"))
        #expect(h.sip.placed.current.map(\.leg) == [SIPLegID("\(call)/leg1"), SIPLegID("\(call)/leg2")])
        await h.sipEvent(.answered(sdp: nil, sipCallID: nil), on: SIPLegID("\(call)/leg1"))
        #expect(h.journal.contains("sip.bye \(call)/leg1"))
        #expect(await h.phase(call) == "inbound.ringing")
    }

    @Test("D7 trunk target: caller rewritten for the PBX")
    func trunk() async throws {
        let h = Harness()
        _ = try #require(await h.inboundCall(from: "491701234567"))
        #expect(h.sip.placed.current.first?.targets == [.trunk("pbx")])
        #expect(h.sip.placed.current.first?.callerNumber == "0491701234567")
    }

    @Test("D8 gateway limit or draining → reject, recorded")
    func refused() async {
        let h = Harness(config: .test(maxCalls: 1))
        await h.invite()
        _ = await h.inboundCall()
        #expect(h.journal.contains("wa.reject wacid.in1"))
        #expect(h.journal.count("sip.invite") == 0)
    }

    @Test("D9 accept failure → ACK + BYE the phone, terminate")
    func acceptFailure() async throws {
        let h = Harness()
        h.whatsApp.behaviours.withValue { $0["accept"] = .graph(code: 138004, httpStatus: 500, message: "x") }
        let call = try #require(await h.inboundCall())
        await h.sipEvent(.answered(sdp: nil, sipCallID: nil), on: SIPLegID("\(call)/leg1"))
        #expect(h.journal.contains("sip.bye \(call)/leg1"))
        #expect(h.journal.contains("wa.terminate wacid.in1"))
        #expect(await h.activeCalls == 0)
    }

    @Test("D10 busy everywhere → reject")
    func busy() async throws {
        let h = Harness()
        let call = try #require(await h.inboundCall())
        await h.sipEvent(.failed(status: 486, reason: "Busy Here"), on: SIPLegID("\(call)/leg1"))
        #expect(h.journal.contains("wa.reject wacid.in1"))
        #expect(h.records.endings(CallID(call)).first?.reason == .busy)
    }
}
