import Foundation
import Media
import Testing

/// RFC 4733 through the bridge: digits from the SIP endpoint arrive on the
/// WhatsApp leg exactly once each, in order, with sensible durations; digits
/// from the simulated user arrive at the SIP endpoint the same way; SIP INFO
/// digits go out as RFC 4733.
@Suite(.serialized) struct MediaBridgeDTMFTests {
    static let digits = "0123456789*#"

    func userDigits(_ call: BridgedCall) -> [(Character, Int)] {
        call.userEvents.all.compactMap { if case let .dtmf(digit, ms) = $0 { (digit, ms) } else { nil } }
    }

    @Test func sipRFC4733DigitsReachWhatsAppOnceInOrder() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        call.endpoint.sendDigits(Self.digits, durationMs: 100, gapMs: 60)
        let done = await call.userEvents.wait(seconds: 8) { events in
            events.filter { if case .dtmf = $0 { true } else { false } }.count >= Self.digits.count
        }
        #expect(done)
        #expect(try await call.waitForMoreAudio(seconds: 0.3))  // any duplicate would show up by now
        let heard = userDigits(call)
        #expect(String(heard.map(\.0)) == Self.digits, "\(heard)")
        // A relayed digit lasts until its end packet arrives: never shorter than the
        // 100 ms sent, longer only by what a stalled sender delayed its end.
        #expect(heard.allSatisfy { (100...1_000).contains($0.1) }, "durations \(heard.map(\.1))")
        // The bridge reports its own digit events through an asynchronous pump:
        // wait for them rather than read them the moment the user has all digits.
        let sipDigits = { (events: [MediaBridgeEvent]) in
            events.compactMap { if case let .dtmf(d, _, .sip) = $0 { d } else { nil } }
        }
        #expect(await call.bridgeEvents.wait { sipDigits($0).count >= Self.digits.count })
        #expect(String(sipDigits(call.bridgeEvents.all)) == Self.digits)
        await call.close()
    }

    @Test func whatsAppDigitsReachSIPOnceInOrder() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        for digit in Self.digits { call.user.sendDTMF(digit, durationMs: 100) }
        let count = Self.digits.count
        #expect(await call.endpoint.wait(timeout: .seconds(10)) { Set($0.events.filter(\.end).map(\.timestamp)).count >= count })
        let packets = await call.endpoint.received().packets
        #expect(await call.endpoint.wait { $0.packets >= packets + 15 })  // any duplicate would show up by now
        let events = await call.endpoint.received().events
        // One event per timestamp; its code constant; ended; in order.
        var order: [UInt32] = []
        for event in events where !order.contains(event.timestamp) { order.append(event.timestamp) }
        let digits = order.map { timestamp in
            Set(events.filter { $0.timestamp == timestamp }.map(\.code))
        }
        #expect(digits.count == Self.digits.count && digits.allSatisfy { $0.count == 1 }, "\(digits)")
        let text = String(digits.compactMap { $0.first }.map { Array(Self.digits)[Int($0)] })
        #expect(text == Self.digits)
        for timestamp in order {
            let ends = events.filter { $0.timestamp == timestamp && $0.end }
            #expect((1...3).contains(ends.count), "end packets \(ends.count)")
            #expect(ends.allSatisfy { (640...1280).contains($0.duration) }, "durations \(ends.map(\.duration))")
        }
        await call.close()
    }

    @Test func sipInfoDigitsGoOutAsRFC4733() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcma))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        for digit in "159#" { call.bridge.sendDTMFToWhatsApp(digit, durationMs: 120) }
        #expect(await call.userEvents.wait(seconds: 5) { events in
            events.filter { if case .dtmf = $0 { true } else { false } }.count >= 4
        })
        #expect(try await call.waitForMoreAudio(seconds: 0.2))
        let heard = userDigits(call)
        #expect(String(heard.map(\.0)) == "159#" && heard.allSatisfy { (100...160).contains($0.1) }, "\(heard)")
        await call.close()
    }
}
