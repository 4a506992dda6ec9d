import Foundation
import Logging
import Media
import NIOPosix
import SDP
import Synchronization
import TestSupport

/// Collects every element of an event stream so tests can wait for and inspect them.
final class EventLog<Event: Sendable>: Sendable {
    private final class Box: Sendable {
        let items = Mutex<[Event]>([])
        let changes = ChangeSignal()
    }
    private let box = Box()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<Event>) {
        let box = self.box
        task = Task {
            for await event in stream {
                box.items.withLock { $0.append(event) }
                box.changes.notify()
            }
        }
    }

    var all: [Event] { box.items.withLock { $0 } }

    /// Waits until `predicate` holds for the log, checked at each new event, or
    /// the timeout passes; returns whether it did.
    @discardableResult
    func wait(seconds: Double = 5, until predicate: ([Event]) -> Bool) async -> Bool {
        await box.changes.wait(timeout: .milliseconds(Int(seconds * 1000))) { predicate(all) }
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
    /// Notified by the user's audio port at every frame (or payload) it hears.
    let userChanges: ChangeSignal

    static let logger = Logger(label: "media-bridge-test")
    static let userRate = 16_000

    static func allocator(size: Int = 400) -> RTPPortAllocator {
        let base = 2 * Int.random(in: 10_000...29_000)
        return RTPPortAllocator(range: base...(base + size))
    }

    static func configuration(rate: Int = 8_000, timeout: Duration = .seconds(30),
                              symmetric: MediaBridgeConfiguration.SymmetricRTP = .signalledAddress,
                              recording: String? = nil, clock: MediaClock = .system) -> MediaBridgeConfiguration {
        var webRTC = WebRTCLegConfiguration(mode: .gateway, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                            sampleRate: rate, setupTimeout: .seconds(5))
        webRTC.consentInterval = .milliseconds(500)
        webRTC.clock = clock
        return MediaBridgeConfiguration(webRTC: webRTC, sipBindHost: "127.0.0.1", rtpInactivityTimeout: timeout,
                                        symmetricRTP: symmetric, recordingDirectory: recording, label: "test")
    }

    /// Opens everything, connects the WhatsApp side (the user offers, as Meta does
    /// for a user-initiated call), sets the SIP leg and starts the endpoint.
    static func open(_ options: SIPTestEndpoint.Options, configuration: MediaBridgeConfiguration? = nil,
                     userPort: @escaping @Sendable (ChangeSignal) -> any AudioPort = {
                         ToneRecorderPort(frequency: 600, sampleRate: userRate, maxSamples: userRecordingLimit, changes: $0)
                     },
                     direction: SIPMediaDirection = .sendrecv, startEndpoint: Bool = true,
                     rtcpMux: Bool = false) async throws -> BridgedCall {
        let ports = allocator()
        let codecRate = options.codec.isPassThrough ? 8_000 : options.codec.sampleRate
        let bridge = try await MediaBridge.open(configuration: configuration ?? Self.configuration(rate: codecRate),
                                                allocator: ports, group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        var userConfiguration = WebRTCLegConfiguration(mode: .iceLite, bindHost: "127.0.0.1",
                                                       candidateAddresses: ["127.0.0.1"], sampleRate: userRate,
                                                       setupTimeout: .seconds(5))
        userConfiguration.consentInterval = .milliseconds(500)
        let userChanges = ChangeSignal()
        let user = try await WebRTCLeg.open(configuration: userConfiguration, allocator: ports,
                                            group: MultiThreadedEventLoopGroup.singleton, logger: logger) { userPort(userChanges) }
        let call = BridgedCall(bridge: bridge, user: user, endpoint: try await SIPTestEndpoint.open(options),
                               bridgeEvents: EventLog(bridge.events), userEvents: EventLog(user.events), ports: ports,
                               userChanges: userChanges)
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

    /// What the simulated user heard (ToneRecorderPort or StreamListenerPort).
    func userHeard() async throws -> [Int16] {
        try await user.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? ($0 as? StreamListenerPort)?.heard ?? [] }
    }

    /// Waits until the simulated user has heard at least `samples` samples in all.
    @discardableResult
    func waitUntilUserHeard(samples: Int, timeout: Duration = .seconds(5)) async -> Bool {
        await userChanges.wait(timeout: timeout) { ((try? await userHeard()) ?? []).count >= samples }
    }

    /// Waits until the user has heard `seconds` more audio than now, and the SIP
    /// endpoint has received at least `sipPackets` more packets: media that
    /// flowed, counted as it arrives, instead of a sleep.
    @discardableResult
    func waitForMoreAudio(seconds: Double, sipPackets: Int = 0, timeout: Duration = .seconds(5)) async throws -> Bool {
        let heard = try await userHeard().count
        let packets = await endpoint.received().packets
        let user = await waitUntilUserHeard(samples: heard + Int(seconds * Double(Self.userRate)), timeout: timeout)
        let sip = await endpoint.wait(timeout: timeout) { $0.packets >= packets + sipPackets }
        return user && sip
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
