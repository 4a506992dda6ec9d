import Codecs
import RTP
import SDP

/// The leg's audio codec, chosen by the SDP exchange (ICE/DTLS or SDES alike):
/// Opus at the leg's PCM rate, or G.711 when Meta's `additional_codecs` let the
/// peer pick it (8 kHz PCM only).
extension WebRTCLegEngine {
    /// Makes the codec for `chosen` and the RTP mapping; fails the leg when it cannot.
    func prepareCodec(_ chosen: WebRTCAudioPayload, telephoneEvent: UInt8?) -> Bool {
        do {
            switch chosen.codec {
            case .pcmu, .pcma:
                guard setup.configuration.sampleRate == 8_000 else {
                    fail("G.711 on the WhatsApp leg needs 8 kHz PCM, the leg runs at \(setup.configuration.sampleRate) Hz")
                    return false
                }
                g711 = try G711Codec(chosen.codec == .pcmu ? .ulaw : .alaw)
            default:
                encoder = try OpusEncoder(sampleRate: setup.configuration.sampleRate, bitrate: setup.configuration.opusBitrate,
                                          complexity: setup.configuration.opusComplexity)
                decoder = try OpusDecoder(sampleRate: setup.configuration.sampleRate)
                encoderBandLimit = .none
            }
        } catch {
            fail("cannot set up the media leg: \(error)")
            return false
        }
        media.useCodec(chosen)
        rtcp.send = RTPSendStatistics(clockRate: media.clockRate)
        statistics.codec = chosen.codec.encodingName
        media.eventPayloadType = telephoneEvent
        return true
    }
}
