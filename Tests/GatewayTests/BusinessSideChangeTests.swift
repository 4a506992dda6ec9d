// The media adapter when the business side of a call changes (blind or
// attended transfer): a re-offer is a new dialog's offer on the call's own RTP
// port, and the target's answer, not the old phone's, is what the SIP leg then
// runs; an attended transfer's transferor keeps the media until that answer.

import CallControl
import Config
import Logging
import Media
import NIOPosix
import SDP
import Testing
@testable import Gateway

@Suite("Gateway: the business side changes")
struct BusinessSideChangeTests {
    static func phoneAnswer(port: Int, payloadType: Int, name: String) -> String {
        ["v=0", "o=- 7 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
         "m=audio \(port) RTP/AVP \(payloadType) 101", "a=rtpmap:\(payloadType) \(name)/8000",
         "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15", "a=sendrecv", ""].joined(separator: "\r\n")
    }

    static func metaOffer() throws -> String {
        let local = WebRTCLocalParameters(iceUfrag: "abcd", icePwd: String(repeating: "p", count: 24),
                                          fingerprint: Fingerprint(hashFunction: "sha-256", bytes: [UInt8](repeating: 1, count: 32)),
                                          candidates: [], ssrc: 1, cname: "x", sessionID: 1)
        return try WebRTCSDP.metaStyleOffer(local: local).serialized()
    }

    /// An inbound call's bridge whose phone answered with PCMU: (media, ports, call, context, our first offer).
    static func answeredCall() async throws
        -> (BridgeMediaControl, RTPPortAllocator, CallID, CallLogContext, SessionDescription) {
        var config = GatewayConfig.test()
        config.general.listeners = [SIPListener(transport: .udp, address: SocketAddressSpec(host: "127.0.0.1", port: 5060))]
        let base = 2 * Int.random(in: 15_000...29_000)
        let ports = RTPPortAllocator(range: base...(base + 20))
        let media = BridgeMediaControl(config: config, ports: ports, group: MultiThreadedEventLoopGroup.singleton,
                                       logger: Logger(label: "business-side-test"))
        let call = CallID("xfer-test")
        let context = CallLogContext(callID: call)
        let opened = try await media.openInbound(call, whatsAppOffer: try Self.metaOffer(), number: WhatsAppNumberID("1"),
                                                 preferOpus: false, context: context)
        await media.setSIPRemote(call, sdp: Self.phoneAnswer(port: 40_000, payloadType: 0, name: "PCMU"), context: context)
        #expect(await media.calls[call]?.bridge.statistics().sip.codec == "PCMU")
        return (media, ports, call, context, try SessionDescription(parsing: opened.sipOffer))
    }

    @Test("an attended transfer's re-offer leaves the transferor's side attached until the target answers")
    func attendedReofferKeepsTheTransferor() async throws {
        let (media, ports, call, context, first) = try await Self.answeredCall()
        let reoffer = try SessionDescription(parsing: try await media.reofferBusiness(call, context: context))
        #expect(reoffer.origin.sessionID != first.origin.sessionID, "the target's dialog is a new session")
        #expect(await media.calls[call]?.businessDetached == false)
        #expect(await media.calls[call]?.bridge.statistics().sip.codec == "PCMU", "the transferor is still bridged")
        // The target refuses: the transferor's re-INVITE (resume) is answered in its own session.
        let resumed = try SessionDescription(parsing: try await media.renegotiate(
            call, offer: Self.phoneAnswer(port: 40_002, payloadType: 0, name: "PCMU"), context: context))
        #expect(resumed.origin.sessionID == first.origin.sessionID)

        // A second attempt is answered: the target's answer replaces the transferor.
        _ = try await media.reofferBusiness(call, context: context)
        await media.setSIPRemote(call, sdp: Self.phoneAnswer(port: 40_010, payloadType: 8, name: "PCMA"), context: context)
        await media.startBridging(call, context: context)
        #expect(await media.calls[call]?.bridge.statistics().sip.codec == "PCMA", "the target's answer is applied")
        #expect(await media.calls[call]?.businessDetached == false)
        #expect(await media.calls[call]?.pendingReoffer == nil, "the re-offer's media is the call's now")
        await media.close(call, context: context)
        #expect(ports.allocatedCount == 0)
    }

    @Test("a re-offer is a new dialog on the same port; the target's PCMA answer replaces the old phone's PCMU")
    func reofferForTheTarget() async throws {
        let (media, ports, call, context, first) = try await Self.answeredCall()

        await media.detachBusiness(call, filler: .ringback, context: context)
        #expect(await media.calls[call]?.bridge.statistics().sip.codec == "", "the old phone's figures end at the detach")
        let second = try SessionDescription(parsing: try await media.reofferBusiness(call, context: context))
        #expect(second.media.first?.port == first.media.first?.port, "the call's RTP port stays")
        #expect(second.media.first?.formats == first.media.first?.formats, "the codecs an inbound call offers")
        #expect(second.origin.sessionID != first.origin.sessionID && second.origin.sessionVersion == "1", "a new session")
        await #expect(throws: MediaFailure.self) {
            _ = try await media.renegotiate(call, offer: Self.phoneAnswer(port: 40_000, payloadType: 0, name: "PCMU"),
                                            context: context)
        }

        await media.setSIPRemote(call, sdp: Self.phoneAnswer(port: 40_010, payloadType: 8, name: "PCMA"), context: context)
        await media.startBridging(call, context: context)
        #expect(await media.calls[call]?.bridge.statistics().sip.codec == "PCMA", "the target's answer is applied")
        #expect(await media.calls[call]?.businessDetached == false, "bridging joins the target")
        await media.close(call, context: context)
        #expect(ports.allocatedCount == 0)
    }

    @Test("a call without media cannot be re-offered")
    func reofferWithoutMedia() async {
        let media = BridgeMediaControl(config: .test(), ports: RTPPortAllocator(range: 50_000...50_010),
                                       group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "business-side-test"))
        await #expect(throws: MediaFailure.self) { _ = try await media.reofferBusiness(CallID("none"), context: CallLogContext(callID: CallID("none"))) }
    }
}
