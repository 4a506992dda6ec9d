// The composition layer over fakes: call control and the real SIP adapter
// (`StackSIPSignaling`), with a recording SIP stack below it and fakes of the
// media bridge, Graph and the store beside it, on a manual clock. Tests feed
// stack events in and assert on the SIP commands that come out.

import CallControl
import Config
import Foundation
import Logging
import TestSupport
@testable import Gateway
@testable import SIP

/// One gateway minus sockets.
struct GatewayHarness: CallControlDriver {
    let journal = Journal()
    let clock = ManualClock()
    let stack = FakeSIPStack()
    let whatsApp: FakeWhatsApp
    let media: FakeMedia
    let echo: FakeEcho
    let records = FakeRecords()
    let signaling: StackSIPSignaling
    let control: CallControl

    /// `metrics`, when given, counts the calls as the gateway does (call records through `MeteredCallRecords`).
    init(config: GatewayConfig = .test(), settings: CallSettings? = nil, metrics: GatewayMetrics? = nil,
         claims: (any ClusterClaims)? = nil) async {
        whatsApp = FakeWhatsApp(journal: journal)
        media = FakeMedia(journal: journal)
        echo = FakeEcho(journal: journal)
        let logger = Logger(label: "gateway-tests")
        signaling = StackSIPSignaling(stack: stack, config: config, logger: logger)
        control = CallControl(
            config: config,
            ports: .init(sip: signaling, resolver: signaling, whatsApp: whatsApp, media: media,
                         records: Self.records(records, metrics), echo: echo, claims: claims),
            clock: clock, settings: settings, idPrefix: "g")
        await signaling.attach(control)
    }

    /// The records port: `fake`, counted through `metrics` when given.
    static func records(_ fake: FakeRecords, _ metrics: GatewayMetrics?) -> any CallRecords {
        metrics.map { MeteredCallRecords(next: fake, metrics: $0) } ?? fake
    }

    /// An INVITE from `identity` for `dialled`, with `sdp` as its body (nil: late offer),
    /// handed to the adapter as the stack would after authentication. Returns its handle.
    @discardableResult
    func invite(_ dialled: String = "+14085551234", from identity: SIPIdentity = .user("alice"),
                sdp: String? = "v=0 phone-offer", callID: String = UUID().uuidString) async -> SIPHandle {
        let handle = stack.makeHandle()
        let request = SIPRequest(
            method: "INVITE", requestURI: "sip:\(dialled)@gw", requestUser: dialled, fromUser: "caller",
            callID: callID, body: sdp.map { Array($0.utf8) } ?? [],
            source: SIPSource(host: "192.0.2.50", port: 5060, transport: "udp"))
        await signaling.incomingCall(handle, identity, request)
        await settle()
        return handle
    }

    /// Registers `user`'s phone at `host` in the stack's binding table.
    func register(_ user: String, host: String) {
        let request = SIPRequest(
            method: "REGISTER", requestURI: "sip:wagate", requestUser: "", toUser: user, callID: "reg-\(user)",
            contacts: [SIPContact(uri: "sip:\(user)@\(host):5062", expires: 3600, isWildcard: false)],
            source: SIPSource(host: host, port: 5062, transport: "udp"))
        _ = stack.registrar.register(request, user: user, now: Date().timeIntervalSince1970)
    }

    /// A stack event, as the SIP front end hands it on.
    func event(_ event: SIPEvent) async {
        await signaling.event(event)
        await settle()
    }

    /// The newest call's id and WhatsApp call id.
    func lastCall() async -> (call: String, wacid: WACID?)? {
        guard let summary = await control.summaries().last else { return nil }
        return (summary.context.callID.rawValue, summary.context.wacid)
    }
}
