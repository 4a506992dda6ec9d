import Foundation
import Logging
import Media
import NIOPosix
import SDP
import Synchronization

/// Collects every element of an event stream so tests can wait for and inspect them.
final class EventLog<Event: Sendable>: Sendable {
    private final class Box: Sendable {
        let items = Mutex<[Event]>([])
    }
    private let box = Box()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<Event>) {
        let box = self.box
        task = Task { for await event in stream { box.items.withLock { $0.append(event) } } }
    }

    var all: [Event] { box.items.withLock { $0 } }

    /// Waits until `predicate` holds for the log (or the timeout passes); returns whether it did.
    @discardableResult
    func wait(seconds: Double = 5, until predicate: ([Event]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if predicate(all) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return predicate(all)
    }
}

/// One bridged call on 127.0.0.1: a bridge, a simulated WhatsApp user (ICE-lite,
/// Meta-shaped SDP) and a SIP test endpoint.
struct BridgedCall {
    let bridge: MediaBridge
    let user: WebRTCLeg
    let endpoint: SIPTestEndpoint
    let bridgeEvents: EventLog<MediaBridgeEvent>
    let userEvents: EventLog<WebRTCLegEvent>
    let ports: RTPPortAllocator

    static let logger = Logger(label: "media-bridge-test")
    static let userRate = 16_000

    static func allocator(size: Int = 400) -> RTPPortAllocator {
        let base = 2 * Int.random(in: 10_000...29_000)
        return RTPPortAllocator(range: base...(base + size))
    }

    static func configuration(rate: Int = 8_000, timeout: Duration = .seconds(30),
                              symmetric: MediaBridgeConfiguration.SymmetricRTP = .signalledAddress,
                              recording: String? = nil) -> MediaBridgeConfiguration {
        var webRTC = WebRTCLegConfiguration(mode: .gateway, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                            sampleRate: rate, setupTimeout: .seconds(5))
        webRTC.consentInterval = .milliseconds(500)
        return MediaBridgeConfiguration(webRTC: webRTC, sipBindHost: "127.0.0.1", rtpInactivityTimeout: timeout,
                                        symmetricRTP: symmetric, recordingDirectory: recording, label: "test")
    }

    /// Opens everything, connects the WhatsApp side (the user offers, as Meta does
    /// for a user-initiated call), sets the SIP leg and starts the endpoint.
    static func open(_ options: SIPTestEndpoint.Options, configuration: MediaBridgeConfiguration? = nil,
                     userPort: @escaping @Sendable () -> any AudioPort = {
                         ToneRecorderPort(frequency: 600, sampleRate: userRate, maxSamples: userRate * 6)
                     },
                     direction: SIPMediaDirection = .sendrecv, startEndpoint: Bool = true,
                     rtcpMux: Bool = false) async throws -> BridgedCall {
        let ports = allocator()
        let codecRate = options.codec.isPassThrough ? 8_000 : options.codec.sampleRate
        let bridge = try await MediaBridge.open(configuration: configuration ?? Self.configuration(rate: codecRate),
                                                allocator: ports, group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        var userConfiguration = WebRTCLegConfiguration(mode: .simulatedUser, bindHost: "127.0.0.1",
                                                       candidateAddresses: ["127.0.0.1"], sampleRate: userRate,
                                                       setupTimeout: .seconds(5))
        userConfiguration.consentInterval = .milliseconds(500)
        let user = try await WebRTCLeg.open(configuration: userConfiguration, allocator: ports,
                                            group: MultiThreadedEventLoopGroup.singleton, logger: logger, audio: userPort)
        let call = BridgedCall(bridge: bridge, user: user, endpoint: try await SIPTestEndpoint.open(options),
                               bridgeEvents: EventLog(bridge.events), userEvents: EventLog(user.events), ports: ports)
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.answer(toOffer: offer, local: bridge.webrtc.localParameters(setup: .active, sessionID: 2))
        bridge.webrtc.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        bridge.setSIPLeg(SIPLegParameters(
            codec: options.codec, telephoneEventPayloadType: options.telephoneEventPayloadType, ptime: options.ptime,
            remoteAddress: "127.0.0.1", remotePort: call.endpoint.port, rtcpMux: rtcpMux, direction: direction, sdes: options.keys))
        if startEndpoint { call.endpoint.start(to: bridge.sipPort) }
        return call
    }

    /// What the simulated user heard (ToneRecorderPort only).
    func userHeard() async throws -> [Int16] {
        try await user.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? [] }
    }

    func close() async {
        await endpoint.close()
        await bridge.close()
        await user.close()
    }
}

/// Audio continuity checks.
enum Continuity {
    /// The longest run (ms) of 5 ms windows whose RMS is under 10 % of the whole
    /// signal's, ignoring the first `skipMs` (call setup, jitter buffer pre-roll).
    static func longestGapMs(_ samples: [Int16], sampleRate: Int, skipMs: Int = 300) -> Int {
        let window = sampleRate / 200
        let body = Array(samples.dropFirst(sampleRate * skipMs / 1000))
        guard body.count > window else { return Int.max }
        let rms = { (slice: ArraySlice<Int16>) -> Double in
            (slice.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(slice.count)).squareRoot()
        }
        let overall = rms(body[...])
        var longest = 0, run = 0
        var start = 0
        while start + window <= body.count {
            if rms(body[start..<(start + window)]) < overall * 0.1 { run += 5 } else { run = 0 }
            longest = max(longest, run)
            start += window
        }
        return longest
    }

    /// Level difference in dB between a recorded tone and the amplitude sent.
    static func levelDifferenceDB(rms: Double, sentAmplitude: Double) -> Double {
        20 * log10(rms / (sentAmplitude / 2.0.squareRoot()))
    }
}
