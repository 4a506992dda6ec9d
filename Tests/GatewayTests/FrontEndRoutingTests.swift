// The SIP front end over the harness: authenticated INVITEs go in as stack
// events, responses and Graph requests come out. Admission is call control's:
// the front end must not refuse on the raw Request-URI user.

import CallControl
import Config
import Foundation
@testable import Gateway
import Logging
import SIP
import Testing
import TestSupport

/// The harness's recording stack with the lifecycle the front end expects
/// (nothing to bind; the event stream is never fed, events go in by `handle`).
final class RecordingStackService: SIPStackService {
    let recorder: FakeSIPStack
    let events: AsyncStream<SIPEvent>

    init(_ recorder: FakeSIPStack) {
        self.recorder = recorder
        events = AsyncStream { $0.finish() }
    }

    var registrar: Registrar { recorder.registrar }
    func makeHandle() -> SIPHandle { recorder.makeHandle() }
    func send(_ command: SIPCommand) { recorder.send(command) }
    func start() throws(SIPError) {}
    func shutdown() async {}
}

extension GatewayHarness {
    /// The SIP front end over this harness's stack and adapter.
    func frontEnd(config: GatewayConfig) -> SIPFrontEndService {
        SIPFrontEndService(config: config, stack: RecordingStackService(stack), registrations: nil,
                           calls: signaling, logger: Logger(label: "gateway-tests"))
    }

    /// An INVITE for `dialled` from `identity`, handed to the front end as the
    /// stack reports it after authentication. Returns its handle.
    func frontEndInvite(_ frontEnd: SIPFrontEndService, _ dialled: String,
                        from identity: SIPIdentity) async -> SIPHandle {
        let handle = stack.makeHandle()
        let request = SIPRequest(
            method: "INVITE", requestURI: "sip:\(dialled)@gw", requestUser: dialled, fromUser: "caller",
            callID: UUID().uuidString, body: Array("v=0 phone-offer".utf8),
            source: SIPSource(host: "192.0.2.50", port: 5060, transport: "udp"))
        await frontEnd.handle(.incomingCall(handle, identity, request))
        await settle()
        return handle
    }
}

@Suite("Gateway: SIP front end routing")
struct FrontEndRoutingTests {
    @Test("a trunk number refused as dialled but allowed after inbound_strip/inbound_prefix gets through")
    func rawUserRefusedRewrittenAllowed() async throws {
        let config = GatewayConfig.rewriting()
        let harness = await GatewayHarness(config: config)
        let handle = await harness.frontEndInvite(harness.frontEnd(config: config), "991701234567", from: .trunk("pbx"))
        #expect(harness.stack.responses(on: handle).allSatisfy { $0.status < 300 })
        #expect(harness.journal.matching("wa.connect").first?.hasPrefix("wa.connect +491701234567 ") == true)
    }

    @Test("a trunk number allowed as dialled but refused after the rewrite gets 403 with a Warning")
    func rawUserAllowedRewrittenRefused() async throws {
        let config = GatewayConfig.rewriting()
        let harness = await GatewayHarness(config: config)
        let handle = await harness.frontEndInvite(harness.frontEnd(config: config), "+491701234567", from: .trunk("fr"))
        let response = try #require(harness.stack.responses(on: handle).last)
        #expect(response.status == 403)
        #expect(response.headers.contains { $0.hasPrefix("Warning: 399 wagate \"") })
        #expect(harness.journal.matching("wa.connect").isEmpty)
    }

    @Test("the echo extension dialled by a user reaches the echo test; dialled by a trunk it is a number")
    func echoExtension() async throws {
        let config = GatewayConfig.rewriting()
        let harness = await GatewayHarness(config: config)
        let frontEnd = harness.frontEnd(config: config)
        _ = await harness.frontEndInvite(frontEnd, "*43", from: .user("alice"))
        #expect(harness.journal.matching("echo.open").count == 1)
        let trunk = await harness.frontEndInvite(frontEnd, "*43", from: .trunk("pbx"))
        #expect(harness.stack.responses(on: trunk).last?.status == 404)
        #expect(harness.journal.matching("echo.open").count == 1)
    }
}
