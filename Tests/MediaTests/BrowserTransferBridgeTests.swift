import Media
import TestSupport
import Testing

/// A browser agent transfers its call to a phone, at the bridge: the detach drops the
/// browser side at once (it no longer hears WhatsApp nor is heard), its leg waits for
/// its owner to close it, and the phone set on the call's RTP port is what the WhatsApp
/// user hears after the join (Opus decoded and encoded for the phone's G.711).
@Suite(.serialized) struct BrowserTransferBridgeTests {
    @Test func aDetachedBrowserIsDroppedAndAPhoneJoinsOnTheRTPPort() async throws {
        let call = try await BrowserBridgeTests.open()
        #expect(await BrowserBridgeTests.hears(call.user, 1000, changes: call.userChanges), "the user hears the browser")

        call.bridge.detachBusiness(filler: .silence)
        let phone = try await SIPTestEndpoint.open(SIPTestEndpoint.Options(codec: .pcmu, frequency: 1400))
        call.bridge.setSIPLeg(SIPLegParameters(codec: .pcmu, telephoneEventPayloadType: 101, remoteAddress: "127.0.0.1",
                                               remotePort: phone.port))
        phone.start(to: call.bridge.sipPort)
        call.bridge.joinBusiness()
        #expect(await BrowserBridgeTests.hears(call.user, 1400, changes: call.userChanges),
                "the user hears the phone, not the old browser")
        let phoneHears = await phone.wait(timeout: BridgedCall.mediaDeadline) { received in
            received.pcm.count >= 4_000
                && ToneCheck.isSteadyTone(Array(received.pcm.suffix(4_000)), frequency: 600, sampleRate: 8_000)
        }
        #expect(phoneHears, "the phone hears the user")
        let chromeBefore = await call.chrome.statistics().packetsReceived
        #expect(await phone.wait(timeout: BridgedCall.mediaDeadline) { $0.packets >= 100 })
        let chromeAfter = await call.chrome.statistics().packetsReceived
        #expect(chromeAfter - chromeBefore <= 2, "nothing reaches the old browser (\(chromeAfter - chromeBefore))")

        let stats = await call.bridge.statistics()
        #expect(stats.businessLeg != "browser" && stats.sip.codec == "PCMU" && !stats.passThrough, "\(stats.sip)")
        let leg = await call.bridge.detachBrowser()
        #expect(leg === call.browserLeg, "the old browser's leg is handed to its owner to close")
        await phone.close()
        await call.close()
    }
}
