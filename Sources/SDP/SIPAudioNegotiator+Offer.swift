/// Offering to a phone or trunk (RFC 3264 §5) and reading its answer (RFC 3264 §7).
extension SIPAudioNegotiator {
    /// Builds our offer: one audio stream with our codecs in preference order (static
    /// payload types for G.711/G.722, `opusPayloadType` for Opus), telephone-event,
    /// ptime, direction, and RTP/SAVP with two crypto lines when SRTP is required.
    /// - Parameter local: our address, port, direction, ids and (for SRTP) key.
    /// - Throws: `SDPError.Kind.invalidParameter` on a bad port, an empty codec list,
    ///   a payload type clash, or a missing SDES key.
    public func offer(local: SIPLocalMedia) throws(SDPError) -> SessionDescription {
        guard (1...65_535).contains(local.port) else {
            throw SDPError(.invalidParameter, "local RTP port \(local.port) is not 1-65535")
        }
        let codecs = offeredCodecs()
        guard !codecs.isEmpty else {
            throw SDPError(.invalidParameter, "no codecs configured")
        }
        let telephoneEvent = configuration.telephoneEvent ? configuration.telephoneEventPayloadType : nil
        let payloadTypes = codecs.map(\.payloadType) + (telephoneEvent.map { [$0] } ?? [])
        guard Set(payloadTypes).count == payloadTypes.count, payloadTypes.allSatisfy({ $0 < 128 }) else {
            throw SDPError(.invalidParameter, "payload types clash or exceed 127: \(payloadTypes)")
        }
        let secure = configuration.srtp == .required
        var section = audioSection(
            port: local.port, proto: secure ? "RTP/SAVP" : "RTP/AVP", codecs: codecs,
            telephoneEvent: telephoneEvent, ptime: configuration.ptime, direction: local.direction
        )
        if secure {
            guard let key = local.sdesKeyAndSalt, configuration.srtpSuites.allSatisfy({ $0.keyAndSaltLength == key.count }) else {
                throw SDPError(.invalidParameter, "SRTP is required but no SDES key of the suites' length was supplied")
            }
            let lines = configuration.srtpSuites.enumerated().map { index, suite in
                CryptoAttribute(tag: UInt32(index + 1), suite: suite.rawValue, keys: [.init(keyAndSalt: key)]).attribute
            }
            section.attributes.insert(contentsOf: lines, at: section.attributes.count - 1)
        }
        return session(local: local, media: [section])
    }

    /// Our codecs with the payload types our offers use.
    func offeredCodecs() -> [NegotiatedAudio.Codec] {
        var seen: [AudioCodec] = []
        return configuration.codecs.compactMap { codec in
            guard !seen.contains(codec) else { return nil }
            seen.append(codec)
            return NegotiatedAudio.Codec(codec: codec, payloadType: codec.staticPayloadType ?? configuration.opusPayloadType)
        }
    }

    /// Reads the answer to an offer we made.
    /// - Parameters:
    ///   - offer: the offer we sent (from `offer(local:)`).
    ///   - answer: the peer's answer.
    ///   - local: the inputs the offer was built with.
    /// - Returns: the agreed parameters, or a rejection (then end the call: CANCEL/BYE).
    public func complete(offer: SessionDescription, answer: SessionDescription, local: SIPLocalMedia) -> Result<NegotiatedAudio, SDPRejection> {
        guard let index = offer.firstAudioIndex, index < answer.media.count else {
            return .failure(SDPRejection(.noAudioStream, "the answer has no audio stream"))
        }
        let media = answer.media[index]
        guard media.kind == "audio", !media.isRejected else {
            return .failure(SDPRejection(.rejectedByPeer, "the peer rejected the audio stream"))
        }
        guard media.proto.uppercased() == offer.media[index].proto.uppercased() else {
            return .failure(SDPRejection(.unsupportedTransport, "the answer changed the transport to \(media.proto)"))
        }
        guard let connection = answer.connection(of: media) else {
            return .failure(SDPRejection(.missingConnection, "the audio stream has no c= address"))
        }
        guard connection.isIPLiteral else { return .failure(.hostNameConnection(connection)) }
        // RFC 3264 §7: the answer's order is the answerer's preference; send its first codec we offered.
        let ours = offeredCodecs()
        let codecs = media.payloadTypes.compactMap { payloadType -> NegotiatedAudio.Codec? in
            guard let map = media.rtpMap(for: payloadType), let codec = AudioCodec(map),
                  ours.contains(where: { $0.codec == codec }) else { return nil }
            return NegotiatedAudio.Codec(codec: codec, payloadType: payloadType)
        }
        guard !codecs.isEmpty else {
            return .failure(SDPRejection(.noCommonCodec, "the answer holds none of our codecs: \(describeCodecs(in: media))"))
        }
        var sdes: NegotiatedAudio.SDES?
        if media.isSDESProfile {
            guard let crypto = media.cryptos.first, let suite = crypto.knownSuite, configuration.srtpSuites.contains(suite),
                  let key = local.sdesKeyAndSalt, crypto.keyAndSalt.count == suite.keyAndSaltLength else {
                return .failure(SDPRejection(.srtpNotAcceptable, "the answer has no acceptable a=crypto"))
            }
            sdes = NegotiatedAudio.SDES(suite: suite, tag: crypto.tag, localKeyAndSalt: key, remoteKeyAndSalt: crypto.keyAndSalt)
        }
        let hold = answer.holdState(of: media)
        var answered = answer.effectiveDirection(of: media)
        if hold == .legacyZeroAddress {
            answered = MediaDirection(sends: answered.sends, receives: false)
        }
        let muxed = media.rtcpMux && offer.media[index].rtcpMux
        return .success(NegotiatedAudio(
            mediaIndex: index, codecs: codecs,
            telephoneEventPayloadType: configuration.telephoneEvent ? TelephoneEvent.payloadType(in: media) : nil,
            ptime: packetTime(for: media), remoteAddress: connection.address, remotePort: media.port,
            remoteRTCPPort: remoteRTCPPort(of: media, muxed: muxed), rtcpMux: muxed,
            localDirection: answered.answer(wishing: local.direction), remoteHold: hold,
            remoteOpusParameters: codecs.first { $0.codec == .opus }.flatMap { media.formatParameters(for: $0.payloadType) },
            sdes: sdes
        ))
    }
}
