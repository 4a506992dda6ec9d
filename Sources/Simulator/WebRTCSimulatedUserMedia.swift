public import Logging
public import Media
public import NIOCore
public import SDP
import Synchronization

/// The simulated WhatsApp user's real media: per call, a `WebRTCLeg` in the
/// ICE-lite, controlled role offering and answering in Meta's SDP shape, which
/// plays a tone or echoes what it hears. As Meta does, it connects (ICE, DTLS)
/// as soon as it has both SDPs but sends no media before the call is answered.
public final class WebRTCSimulatedUserMedia: SimulatedUserMedia {
    /// What the simulated user sends.
    public enum Behaviour: Sendable, Equatable {
        /// A sine tone of this frequency.
        case tone(Double)
        /// Whatever it hears, back.
        case echo
        /// A tone encoded once at start and replayed; nothing heard is decoded
        /// (a load run's cheap media: the CPU goes to the gateway under test).
        case preEncodedTone(PreEncodedTone)
    }

    private let behaviour: Behaviour
    private let configuration: WebRTCLegConfiguration
    private let ports: RTPPortAllocator
    private let group: any EventLoopGroup
    private let logger: Logger
    private let legs = Mutex<[String: Call]>([:])
    private let heard = Mutex<[String: String]>([:])

    private struct Call: Sendable {
        var leg: WebRTCLeg
        var offered: Bool
        /// ICE and DTLS were started on an early SDP, audio not yet.
        var connected = false
        /// The business answered (``start(callID:remoteSDP:)`` ran): audio is wanted,
        /// even when the early connect is still starting the leg.
        var startRequested = false
    }

    /// Creates the media side; legs bind `host` with ports from `ports`.
    /// `additionalCodecs` (PCMU, PCMA) models Meta's `audio.additional_codecs`:
    /// offers list them after Opus, answers take the first the business lists.
    public init(behaviour: Behaviour, host: String, ports: RTPPortAllocator, group: any EventLoopGroup, logger: Logger,
                additionalCodecs: [AudioCodec] = []) {
        self.behaviour = behaviour
        // G.711 needs 8 kHz PCM on the leg; Opus is as happy at 8 kHz as at Meta's 16.
        var configuration = WebRTCLegConfiguration(mode: .iceLite, bindHost: host, candidateAddresses: [host],
                                                   sampleRate: additionalCodecs.isEmpty ? 16_000 : 8_000)
        configuration.audioCodecs = [.opus] + additionalCodecs.filter { $0 == .pcmu || $0 == .pcma }
        self.configuration = configuration
        self.ports = ports
        self.group = group
        self.logger = logger
    }

    /// An offer in Meta's shape for a user-initiated call, with a new leg's ICE and DTLS parameters.
    public func makeOffer(callID: String) async throws -> String {
        let leg = try await open()
        legs.withLock { $0[callID] = Call(leg: leg, offered: true) }
        listen(leg, callID: callID)
        return try WebRTCSDP.metaStyleOffer(local: leg.localParameters(setup: .actpass, sessionID: Self.sessionID()))
            .serialized()
    }

    /// The answer of a new leg to a business's offer.
    public func answer(callID: String, offer: String) async throws -> String {
        let parsed = try SessionDescription(parsing: offer)
        let remote = try WebRTCRemoteParameters(parsed)
        let leg = try await open()
        legs.withLock { $0[callID] = Call(leg: leg, offered: false) }
        listen(leg, callID: callID)
        let answer = try WebRTCSDP.metaStyleAnswer(toOffer: parsed, local: leg.localParameters(setup: .active,
                                                                                                sessionID: Self.sessionID()))
        leg.start(remote: remote, ourSetup: .active, sending: false)
        return answer.serialized()
    }

    /// Connects an offered call's leg towards an early `remoteSDP` (ICE, DTLS), silent until ``start(callID:remoteSDP:)``.
    public func connect(callID: String, remoteSDP: String) async {
        guard let call = legs.withLock({ $0[callID] }), call.offered, !call.connected else { return }
        guard let remote = try? WebRTCRemoteParameters(parsing: Array(remoteSDP.utf8)) else {
            logger.warning("simulated user cannot read the business's early SDP", metadata: ["wacid": "\(callID)"])
            return
        }
        // The 18x and the 200 can arrive together: whichever of connect and start
        // runs first starts the leg, and audio follows once the 200 has been seen.
        let claimed = legs.withLock { legs -> Bool in
            guard legs[callID]?.connected == false else { return false }
            legs[callID]?.connected = true
            return true
        }
        guard claimed else { return }
        call.leg.start(remote: remote, ourSetup: .actpass, sending: false)
        if legs.withLock({ $0[callID]?.startRequested == true }) { call.leg.startSending() }
    }

    /// Starts the call's leg towards `remoteSDP` (ICE, DTLS, then audio).
    public func start(callID: String, remoteSDP: String) async {
        let found = legs.withLock { legs -> (call: Call, claimed: Bool)? in
            guard let call = legs[callID] else { return nil }
            legs[callID]?.startRequested = true
            legs[callID]?.connected = true
            return (call, !call.connected)
        }
        guard let (call, claimed) = found else { return }
        if call.offered && !claimed {
            call.leg.startSending()
        } else if call.offered {
            guard let remote = try? WebRTCRemoteParameters(parsing: Array(remoteSDP.utf8)) else {
                logger.warning("simulated user cannot read the business SDP", metadata: ["wacid": "\(callID)"])
                return
            }
            call.leg.start(remote: remote, ourSetup: .actpass)
        } else {
            call.leg.startSending()
        }
    }

    /// Closes the call's leg.
    public func stop(callID: String) async {
        guard let call = legs.withLock({ $0.removeValue(forKey: callID) }) else { return }
        await call.leg.close()
    }

    /// Sends `digits` as RFC 4733 events on the call's leg.
    public func sendDTMF(callID: String, digits: String) async {
        guard let call = legs.withLock({ $0[callID] }) else { return }
        for digit in digits {
            call.leg.sendDTMF(digit, durationMs: 120)
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// The digits the call's leg has heard so far.
    public func receivedDTMF(callID: String) async -> String {
        heard.withLock { $0[callID] ?? "" }
    }

    /// Keeps the digits a call's leg hears.
    private func listen(_ leg: WebRTCLeg, callID: String) {
        Task { [weak self] in
            for await event in leg.events {
                if case .dtmf(let digit, _) = event { self?.heard.withLock { $0[callID, default: ""].append(digit) } }
            }
        }
    }

    /// The media statistics of a call's leg, if it is live.
    public func statistics(callID: String) async -> WebRTCLegStatistics? {
        guard let call = legs.withLock({ $0[callID] }) else { return nil }
        return await call.leg.statistics()
    }

    private func open() async throws -> WebRTCLeg {
        let behaviour = self.behaviour
        let rate = configuration.sampleRate
        return try await WebRTCLeg.open(configuration: configuration, allocator: ports, group: group, logger: logger) {
            behaviour.makePort(sampleRate: rate)
        }
    }

    private static func sessionID() -> UInt64 { UInt64.random(in: 1_000_000_000...9_999_999_999) }
}
