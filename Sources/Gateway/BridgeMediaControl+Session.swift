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
        if let exchange = entry.sdes {
            await startSDES(call, exchange: exchange, remoteAnswer: remoteAnswer, bridge: entry.bridge, context: context)
        } else if let remoteAnswer {  // outbound: Meta's answer to our actpass offer
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

    /// The answer to our pending SIP offer (inbound call's 200, a late-offer
    /// or offerless re-INVITE's ACK) switches the SIP leg to what was agreed.
    func setSIPRemote(_ call: CallID, sdp: String, context: CallLogContext) async {
        await adoptPendingReoffer(call)
        guard var entry = calls[call], let offer = entry.sipOffer else {
            logger.notice("SIP answer without an offer of ours pending; ignored", metadata: context.metadata)
            return
        }
        entry.sipOffer = nil
        calls[call] = entry
        guard let ours = try? SessionDescription(parsing: offer), let theirs = try? SessionDescription(parsing: sdp),
              case .success(let negotiated) = entry.negotiator.complete(offer: ours, answer: theirs, local: entry.local)
        else {
            logger.warning("SIP answer could not be applied to media", metadata: context.metadata)
            return
        }
        entry.bridge.setSIPLeg(SIPLegParameters(negotiated))
    }

    /// Answers a re-INVITE/UPDATE offer with the call's negotiator and moves the
    /// SIP leg to it (codec, address, hold); offers our SDP when `offer` is nil.
    func renegotiate(_ call: CallID, offer: String?, context: CallLogContext) async throws(MediaFailure) -> String {
        guard var entry = calls[call] else { throw MediaFailure(.setupFailed, "the call has no media") }
        // The old party of a transfer (its re-INVITE before its BYE) no longer has the media.
        guard !entry.businessDetached else { throw MediaFailure(.incompatibleSDP, "the call is being transferred") }
        let sent: SessionDescription
        switch entry.negotiator.renegotiate(offer: offer, local: entry.local, lastSent: entry.lastSent) {
        case .failure(let rejection):
            throw MediaFailure(.incompatibleSDP, rejection.text)
        case .success(.answer(let answer, let audio)):
            entry.bridge.setSIPLeg(SIPLegParameters(audio))
            sent = answer
        case .success(.offer(let ours)):
            entry.sipOffer = ours.serialized()
            entry.pendingReoffer = nil  // the offer now pending is this dialog's own
            sent = ours
        }
        entry.lastSent = sent
        calls[call] = entry
        logger.info("SIP leg renegotiated", metadata: context.metadata.merging(
            ["codec": "\(sent.media.first?.formats.first ?? "-")", "offer": offer == nil ? "ours" : "theirs"]) { $1 })
        return sent.serialized()
    }

    func startRingback(_ call: CallID, context: CallLogContext) async {
        guard let entry = calls[call] else { return }
        let tone = RingbackTone(rawValue: config.general.ringbackTone.rawValue) ?? .us
        logger.debug("local ringback on the SIP leg", metadata: context.metadata.merging(["tone": "\(tone)"]) { $1 })
        entry.bridge.startRingback(tone)
    }

    func startBridging(_ call: CallID, context: CallLogContext) async {
        joinBusinessIfDetached(call)
        calls[call]?.bridge.sipAnswered()
        calls[call]?.bridge.webrtc.startSending()
    }

    func sendDTMF(_ digit: DTMFDigit, toward side: MediaSide, call: CallID, context: CallLogContext) async {
        guard side == .whatsApp, let entry = calls[call] else { return }
        entry.bridge.sendDTMFToWhatsApp(digit.digit, durationMs: digit.durationMilliseconds)
    }

    func close(_ call: CallID, context: CallLogContext) async {
        guard let entry = calls.removeValue(forKey: call) else { return }
        entry.pump?.cancel()
        // The figures are read before the legs close; the CDR gets them after,
        // so the ports are free first.
        let statistics = await entry.bridge.statistics()
        metrics?.mediaEnded(statistics)
        await entry.bridge.close()
        await closeAgentLegs(call)
        await mediaRecords?.recordMedia(statistics, call: call)
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
                if case .webrtcFailed(let reason) = event { self?.metrics?.mediaSetupFailed(reason) }
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
