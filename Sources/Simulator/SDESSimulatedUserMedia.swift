public import Logging
public import Media
public import NIOCore
public import SDP
import Synchronization

/// The simulated WhatsApp user's real media on a SIP-mode number keyed by SDES
/// (Meta's `srtp_key_exchange_protocol: SDES`): per call, a `WebRTCLeg` in
/// `.sdes` mode writing Meta's SDP (`RTP/SAVP`, Opus 111/48000/2,
/// telephone-event/8000, one `AES_CM_128_HMAC_SHA1_80` crypto line, no ICE or
/// fingerprint), playing a tone or echoing what it hears. As Meta does, it sends
/// nothing until the business's first packet has arrived and authenticated: a
/// gateway that waits for Meta to speak first hears silence.
public final class SDESSimulatedUserMedia: SimulatedUserMedia {
    private let behaviour: WebRTCSimulatedUserMedia.Behaviour
    private let configuration: WebRTCLegConfiguration
    private let ports: RTPPortAllocator
    private let group: any EventLoopGroup
    private let logger: Logger
    private let rtcpMux: Bool
    private let calls = Mutex<[String: SDESUserCall]>([:])

    /// One call's leg and where its SDES exchange stands.
    private struct SDESUserCall: Sendable {
        var leg: WebRTCLeg
        /// The user's offer (user-initiated calls), to read the business's answer with.
        var offer: (sdp: SessionDescription, local: SDESLocalParameters)?
        /// The agreed parameters (the user answered the business's offer).
        var agreed: SDESMediaParameters?
        var heard = ""
    }

    /// Creates the media side; legs bind `host` with ports from `ports`.
    /// - Parameters:
    ///   - additionalCodecs: PCMU/PCMA as Meta's `audio.additional_codecs` (listed after Opus).
    ///   - rtcpMux: whether Meta's offers carry `a=rtcp-mux` (without it RTCP goes to RTP + 1 or `a=rtcp`).
    public init(behaviour: WebRTCSimulatedUserMedia.Behaviour, host: String, ports: RTPPortAllocator,
                group: any EventLoopGroup, logger: Logger, additionalCodecs: [AudioCodec] = [], rtcpMux: Bool = true) {
        (self.behaviour, self.ports, self.group, self.logger, self.rtcpMux) = (behaviour, ports, group, logger, rtcpMux)
        configuration = Self.legConfiguration(host: host, additionalCodecs: additionalCodecs)
    }

    /// An `.sdes` leg on `host`: 16 kHz Opus, or 8 kHz when G.711 may be chosen.
    private static func legConfiguration(host: String, additionalCodecs: [AudioCodec]) -> WebRTCLegConfiguration {
        let laws = additionalCodecs.filter { $0 == .pcmu || $0 == .pcma }
        var configuration = WebRTCLegConfiguration(mode: .sdes, bindHost: host, candidateAddresses: [host],
                                                   sampleRate: laws.isEmpty ? 16_000 : 8_000)
        configuration.audioCodecs = [.opus] + laws
        return configuration
    }

    /// Meta's SDES offer for a user-initiated call, on a new leg.
    public func makeOffer(callID: String) async throws -> String {
        let leg = try await openLeg(callID: callID)
        var local = leg.sdesLocalParameters(sessionID: Self.sessionID())
        local.offeredSuites = [.aesCM128HMACSHA1_80]
        local.rtcpMux = rtcpMux
        let offer = try SDESSDP.metaStyleOffer(local: local)
        calls.withLock { $0[callID]?.offer = (offer, local) }
        return offer.serialized()
    }

    /// Meta's SDES answer to a business's offer, on a new leg that starts at `start`.
    public func answer(callID: String, offer: String) async throws -> String {
        let parsed = try SessionDescription(parsing: offer)
        let leg = try await openLeg(callID: callID)
        let answer: SDESSDP.Answer
        do {
            answer = try SDESSDP.metaStyleAnswer(toOffer: parsed, local: leg.sdesLocalParameters(sessionID: Self.sessionID()))
        } catch {
            await stop(callID: callID)
            throw error
        }
        calls.withLock { $0[callID]?.agreed = answer.media }
        return answer.sdp.serialized()
    }

    /// Keys the call's leg (from the agreed answer, or by reading the business's answer
    /// `remoteSDP` to the user's offer); it speaks once the business has.
    public func start(callID: String, remoteSDP: String) async {
        guard let call = calls.withLock({ $0[callID] }) else { return }
        var media = call.agreed
        if media == nil, let offer = call.offer {
            do {
                media = try SDESSDP.complete(offer: offer.sdp, answer: SessionDescription(parsing: remoteSDP), local: offer.local)
            } catch {
                logger.warning("simulated user cannot read the business SDES answer",
                               metadata: ["wacid": "\(callID)", "error": "\(error)"])
            }
        }
        guard let media else { return }
        call.leg.start(sdes: media, sending: .whenPeerHeard)
    }

    /// Closes the call's leg.
    public func stop(callID: String) async {
        guard let call = calls.withLock({ $0.removeValue(forKey: callID) }) else { return }
        await call.leg.close()
    }

    /// Presses `digits` on the call's leg (RFC 4733, 120 ms each, 250 ms apart).
    public func sendDTMF(callID: String, digits: String) async {
        guard let leg = calls.withLock({ $0[callID]?.leg }) else { return }
        for digit in digits {
            leg.sendDTMF(digit, durationMs: 120)
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// The digits heard on the call's leg.
    public func receivedDTMF(callID: String) async -> String {
        calls.withLock { $0[callID]?.heard ?? "" }
    }

    /// The call leg's counters while it is live.
    public func statistics(callID: String) async -> WebRTCLegStatistics? {
        guard let leg = calls.withLock({ $0[callID]?.leg }) else { return nil }
        return await leg.statistics()
    }

    /// Opens a leg for `callID`, keeps it, and collects the digits it hears.
    private func openLeg(callID: String) async throws -> WebRTCLeg {
        let behaviour = self.behaviour, rate = configuration.sampleRate
        let leg = try await WebRTCLeg.open(configuration: configuration, allocator: ports, group: group, logger: logger) {
            behaviour.makePort(sampleRate: rate)
        }
        calls.withLock { $0[callID] = SDESUserCall(leg: leg) }
        Task { [weak self] in
            for await case .dtmf(let digit, _) in leg.events {
                self?.calls.withLock { $0[callID]?.heard.append(digit) }
            }
        }
        return leg
    }

    private static func sessionID() -> UInt64 { UInt64.random(in: 1_000_000_000...9_999_999_999) }
}
