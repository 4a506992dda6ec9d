// The composition layer with browser agents: call control behind
// `BusinessSignaling`, which rings phones through the real SIP adapter (over a
// recording stack) and browsers through the real agent adapter (over a fake hub
// and fake browser media).

import CallControl
import Config
import Foundation
import Logging
import TestSupport
import WebAgents
@testable import Gateway
@testable import SIP

/// One gateway with phones and browsers, minus sockets.
struct AgentCallsHarness: CallControlDriver {
    let journal = Journal()
    let clock = ManualClock()
    let stack = FakeSIPStack()
    let hub = FakeAgentHub()
    let whatsApp: FakeWhatsApp
    let media: FakeMedia
    let records = FakeRecords()
    let sip: StackSIPSignaling
    let agents: AgentSignaling
    let business: BusinessSignaling
    let control: CallControl

    init(config: GatewayConfig = .test()) async {
        whatsApp = FakeWhatsApp(journal: journal)
        media = FakeMedia(journal: journal)
        let logger = Logger(label: "agent-calls-tests")
        sip = StackSIPSignaling(stack: stack, config: config, logger: logger)
        agents = AgentSignaling(hub: hub, media: FakeAgentMedia(journal: journal), logger: logger)
        business = BusinessSignaling(sip: sip, agents: agents, logger: logger)
        control = CallControl(
            config: config,
            ports: .init(sip: business, resolver: business, whatsApp: whatsApp, media: media, records: records,
                         echo: FakeEcho(journal: journal)),
            clock: clock, idPrefix: "g")
        await business.attach(control)
        await agents.attachControl(control)
        await control.attachAgents(agents)
    }

    /// Registers `user`'s phone at `host`.
    func register(_ user: String, host: String) {
        let request = SIPRequest(
            method: "REGISTER", requestURI: "sip:wagate", requestUser: "", toUser: user, callID: "reg-\(user)",
            contacts: [SIPContact(uri: "sip:\(user)@\(host):5062", expires: 3600, isWildcard: false)],
            source: SIPSource(host: host, port: 5062, transport: "udp"))
        _ = stack.registrar.register(request, user: user, now: Date().timeIntervalSince1970)
    }

    /// A request from the page of `session` (user `user`), then settle.
    func page(_ request: AgentCallRequest, session: String, user: String, re: String = "r") async {
        await agents.handle(request, re: re, session: session, user: user)
        await settle()
    }

    /// A stack event, then settle.
    func event(_ event: SIPEvent) async {
        await sip.event(event)
        await settle()
    }

    /// A phone fork's response.
    func phone(_ handle: SIPHandle, _ status: Int, body: String = "") async {
        await event(.inviteResponse(handle, status: status, phrase: "", body: Array(body.utf8),
                                    contentType: body.isEmpty ? nil : "application/sdp"))
    }

    /// The `incoming` messages `session` got.
    func incoming(_ session: String) -> [AgentIncoming] {
        hub.messages(to: session).compactMap { if case .incoming(let incoming) = $0 { incoming } else { nil } }
    }

    /// The newest call's id.
    func lastCall() async -> String? {
        await control.summaries().last?.context.callID.rawValue
    }
}
