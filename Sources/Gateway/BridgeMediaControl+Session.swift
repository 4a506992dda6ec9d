import CallControl
import Config
import Foundation
import Logging
import Media
import SDP

extension BridgeMediaControl {
    // MARK: - During the call

    func startWhatsApp(_ call: CallID, remoteAnswer: String?, context: CallLogContext) async {
        guard let entry = calls[call] else { return }
        if let remoteAnswer {  // outbound: Meta's answer to our actpass offer
            guard let remote = try? WebRTCRemoteParameters(parsing: Array(remoteAnswer.utf8)) else {
                await control?.handleMedia(.failed("the WhatsApp answer is not usable WebRTC SDP"), for: call)
                return
            }
            entry.bridge.webrtc.start(remote: remote, ourSetup: .actpass, sending: false)
        } else if let offer = entry.whatsAppOffer, let remote = try? WebRTCRemoteParameters(parsing: Array(offer.utf8)) {
            let ours: SetupRole = config.whatsapp.dtlsRole == .server ? .passive : .active
            entry.bridge.webrtc.start(remote: remote, ourSetup: ours, sending: false)
        }
    }

    func setSIPRemote(_ call: CallID, sdp: String, context: CallLogContext) async {
        guard var entry = calls[call] else { return }
        entry.local.sessionVersion += 1
        let negotiated: NegotiatedAudio?
        if let offer = entry.sipOffer, let ours = try? SessionDescription(parsing: offer),
           let theirs = try? SessionDescription(parsing: sdp) {
            // The answer to our offer (inbound call, or a late offer).
            negotiated = try? entry.negotiator.complete(offer: ours, answer: theirs, local: entry.local).get()
            entry.sipOffer = nil
        } else {
            // A new offer inside the dialog (hold, resume, new address): the SIP
            // layer answered it with our SDP; follow it on the media side.
            negotiated = try? entry.negotiator.answer(toOfferBytes: Array(sdp.utf8), local: entry.local).get().audio
        }
        calls[call] = entry
        guard let negotiated else {
            logger.warning("SIP SDP could not be applied to media", metadata: context.metadata)
            return
        }
        entry.bridge.setSIPLeg(SIPLegParameters(negotiated))
    }

    func startRingback(_ call: CallID, context: CallLogContext) async {
        guard let entry = calls[call] else { return }
        let tone = RingbackTone(rawValue: config.general.ringbackTone.rawValue) ?? .us
        logger.debug("local ringback on the SIP leg", metadata: context.metadata.merging(["tone": "\(tone)"]) { $1 })
        entry.bridge.startRingback(tone)
    }

    func startBridging(_ call: CallID, context: CallLogContext) async {
        calls[call]?.bridge.stopRingback()
        calls[call]?.bridge.webrtc.startSending()
    }

    func sendDTMF(_ digit: DTMFDigit, toward side: MediaSide, call: CallID, context: CallLogContext) async {
        guard side == .whatsApp, let entry = calls[call] else { return }
        entry.bridge.sendDTMFToWhatsApp(digit.digit, durationMs: digit.durationMilliseconds)
    }

    func close(_ call: CallID, context: CallLogContext) async {
        guard let entry = calls.removeValue(forKey: call) else { return }
        entry.pump?.cancel()
        await entry.bridge.close()
    }

    // MARK: - Events and helpers

    func pump(_ bridge: MediaBridge, _ call: CallID) -> Task<Void, Never> {
        Task { [weak self] in
            for await event in bridge.events {
                if case let .dtmf(digit, duration, from) = event {
                    self?.logger.info("DTMF relayed", metadata: ["call_id": "\(call)", "digit": "\(digit)",
                                                               "duration_ms": "\(duration)", "from": "\(from)"])
                }
                if case .sipMediaFlowing(let source) = event {
                    self?.logger.info("SIP-leg RTP source learnt", metadata: ["call_id": "\(call)", "source": "\(source)"])
                }
                guard let self, let mapped = Self.map(event) else { continue }
                await self.control?.handleMedia(mapped, for: call)
            }
        }
    }

    static func map(_ event: MediaBridgeEvent) -> MediaEvent? {
        switch event {
        case .webrtcConnected: .connected
        case .webrtcFailed(let reason): .failed(reason)
        case .rtpTimeout(let leg, _): .rtpTimeout(leg == .sip ? .sip : .whatsApp)
        case let .dtmf(digit, duration, from):
            .dtmf(DTMFDigit(digit, durationMilliseconds: duration), from: from == .sip ? .sip : .whatsApp, relayed: true)
        default: nil
        }
    }

    func makeNegotiator() -> SIPAudioNegotiator {
        let codecs = config.media.codecs.map(\.sdpCodec)
        return SIPAudioNegotiator(configuration: SIPAudioConfiguration(
            codecs: codecs, ptime: config.media.ptimeMilliseconds, srtp: .optional))
    }

    static func connectionAddress(_ sdp: String) -> String? {
        guard let parsed = try? SessionDescription(parsing: sdp) else { return nil }
        return parsed.media.first.flatMap { parsed.connection(of: $0)?.address } ?? parsed.connection?.address
    }

    static func sessionID() -> UInt64 { UInt64.random(in: 1...UInt64(Int64.max)) }

    /// A fresh SDES master key and salt (RFC 4568, 30 bytes for AES-CM), used
    /// only when a phone offers RTP/SAVP.
    static func sdesKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<30).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
