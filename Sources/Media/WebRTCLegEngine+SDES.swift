import NIOCore
import SDP
import SRTP

/// The WhatsApp leg keyed by SDES (Meta's SIP interface with
/// `srtp_key_exchange_protocol: SDES`): no ICE and no DTLS. The SRTP session is
/// made from the two `a=crypto` keys, media goes to the SDP's address (RTCP to its
/// RTCP port when not muxed), and SRTP/SRTCP from any other address is dropped and
/// counted in `foreignDropped` before it reaches libsrtp. Everything after keying
/// (pacing, Opus or G.711, RTCP SR/RR, RFC 4733) is the DTLS leg's own code.
extension WebRTCLegEngine {
    /// Keys the leg and starts it: reports `.sdesKeyed` at once and sends according to `sending`.
    func startSDES(_ parameters: SDESMediaParameters, sending: SDESSending) {
        guard !finished, srtp == nil, remote == nil else { return }
        guard setup.configuration.mode == .sdes else {
            fail("only an SDES leg is keyed from the SDP")
            return
        }
        guard setup.configuration.audioCodecs.contains(parameters.audio.codec) else {
            fail("the SDES exchange chose \(parameters.audio.codec.encodingName), this leg takes "
                 + "\(setup.configuration.audioCodecs.map(\.encodingName))")
            return
        }
        guard let address = try? SocketAddress(ipAddress: parameters.remoteAddress, port: parameters.remotePort),
              let rtcpAddress = try? SocketAddress(ipAddress: parameters.remoteAddress, port: parameters.remoteRTCPPort) else {
            fail("the SDES peer address \(parameters.remoteAddress):\(parameters.remotePort) is not usable")
            return
        }
        let keys = parameters.keys
        guard let profile = SRTPProfile(sdesSuite: keys.suite.rawValue),
              let session = try? SRTPSession(profile: profile, localKeyAndSalt: keys.localKeyAndSalt,
                                             remoteKeyAndSalt: keys.remoteKeyAndSalt) else {
            fail("SRTP could not be keyed from the SDES keys (\(keys.suite.rawValue))")
            return
        }
        guard prepareCodec(parameters.audio, telephoneEvent: parameters.telephoneEventPayloadType) else { return }
        remoteAddress = address
        remoteRTCPAddress = parameters.rtcpMux ? nil : rtcpAddress
        srtp = session
        setup.emit(.sdesKeyed(keys.suite.rawValue))
        // With no ICE or DTLS to time out, a peer that never sends anything that
        // authenticates (dead, or keyed wrong) would hold the call silent for ever:
        // the DTLS leg's setup deadline applies to its first authenticated packet.
        armSetupDeadline()
        rescheduleTimer()
        switch sending {
        case .now:
            sendingEnabled = true
            startMedia()
        case .whenPeerHeard:
            sendingEnabled = false
            sendsWhenPeerHeard = true
        case .onRequest:
            sendingEnabled = false
        }
    }
}
