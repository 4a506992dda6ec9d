// Whether a callback may start when permission arrives: the caller's window,
// its destination policy and the limits are checked again at that moment.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("Callback admission")
struct CallbackAdmissionTests {
    private static func request(_ origin: SIPOrigin, _ dialled: String) -> CallbackRequest {
        let invite = IncomingInvite(leg: SIPLegID("l"), sipCallID: "s", origin: origin, dialled: dialled, sdpOffer: nil)
        return CallbackRequest(invite: invite, user: .phone(dialled), window: .seconds(60))
    }

    private static func admission() -> Admission {
        var config = GatewayConfig.test()
        for index in config.users.indices { config.users[index].permissionCallback = .seconds(60) }
        config.trunks[0].permissionCallback = .seconds(60)
        return Admission(config: config)
    }

    @Test("the window is the caller's permission_callback; off for callers without one")
    func window() {
        let admission = Self.admission()
        #expect(admission.callbackWindow(.user("alice")) == .seconds(60))
        #expect(Admission(config: .test()).callbackWindow(.user("alice")) == nil)
        #expect(admission.callbackWindow(.user("nobody")) == nil)
    }

    @Test("policy, the caller's max_calls, the gateway's and draining are checked again")
    func rechecks() {
        let admission = Self.admission()
        let number = WhatsAppNumberID("")
        func check(_ origin: SIPOrigin, _ dialled: String, owners: [String: Int] = [:], active: Int = 0,
                   draining: Bool = false) -> Int? {
            admission.admitCallback(Self.request(origin, dialled), number: number, activeCalls: active,
                                    activeCallsByOwner: owners, activeCallsByNumber: [:], draining: draining)?
                .response.status
        }
        #expect(check(.user("alice"), "+14085551234") == nil)
        #expect(check(.user("alice"), "+19005551234") == 403, "deny +1900* still applies")
        #expect(check(.user("carol"), "+14085551234") == 403, "carol may call +44* only")
        #expect(check(.trunk("pbx"), "+4930123456") == nil)
        #expect(check(.trunk("pbx"), "+4930123456", owners: ["trunk:pbx": 1]) == 486)
        #expect(check(.user("alice"), "+14085551234", draining: true) == 503)
        #expect(Admission(config: .test()).admitCallback(Self.request(.user("alice"), "+14085551234"), number: number,
                                                         activeCalls: 0, activeCallsByOwner: [:],
                                                         activeCallsByNumber: [:], draining: false) != nil,
                "a caller whose permission_callback was turned off is not called back")
    }
}
