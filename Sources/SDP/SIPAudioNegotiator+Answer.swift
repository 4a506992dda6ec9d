/// Answering a SIP offer (RFC 3264 §6): the first acceptable audio stream is
/// accepted, every other stream is answered with port 0.
extension SIPAudioNegotiator {
    /// Answers an offer given as bytes (a SIP body); unparsable SDP is rejected.
    /// - Parameters:
    ///   - offerBytes: the offer SDP.
    ///   - local: our address, port, direction wish, ids and SDES key.
    /// - Returns: the answer, or a rejection for a 488 with a Warning.
    public func answer(toOfferBytes offerBytes: some Collection<UInt8>, local: SIPLocalMedia) -> Result<Answer, SDPRejection> {
        do {
            return answer(to: try SessionDescription(parsing: offerBytes), local: local)
        } catch {
            return .failure(SDPRejection(.invalidSDP, "invalid SDP: \(error.description)"))
        }
    }

    /// Answers an offer or re-offer (hold, resume, codec change).
    /// - Parameters:
    ///   - offer: the remote offer.
    ///   - local: our address, port, direction wish, ids and SDES key.
    /// - Returns: the answer and the agreed parameters, or a rejection for a 488.
    public func answer(to offer: SessionDescription, local: SIPLocalMedia) -> Result<Answer, SDPRejection> {
        var answerMedia: [MediaDescription] = []
        var accepted: (media: MediaDescription, audio: NegotiatedAudio)?
        var firstFailure: SDPRejection?
        for (index, media) in offer.media.enumerated() {
            guard accepted == nil, media.kind == "audio", !media.isRejected else {
                answerMedia.append(media.rejected())
                continue
            }
            switch answerStream(media, index: index, in: offer, local: local) {
            case .success(let result):
                accepted = result
                answerMedia.append(result.media)
            case .failure(let rejection):
                firstFailure = firstFailure ?? rejection
                answerMedia.append(media.rejected())
            }
        }
        guard let accepted else {
            return .failure(firstFailure ?? SDPRejection(.noAudioStream, "the offer has no audio stream"))
        }
        return .success(Answer(sdp: session(local: local, media: answerMedia), audio: accepted.audio))
    }

    /// Negotiates one offered audio stream.
    private func answerStream(
        _ media: MediaDescription, index: Int, in offer: SessionDescription, local: SIPLocalMedia
    ) -> Result<(media: MediaDescription, audio: NegotiatedAudio), SDPRejection> {
        let security: Security
        switch self.security(of: media) {
        case .success(let value): security = value
        case .failure(let rejection): return .failure(rejection)
        }
        guard let connection = offer.connection(of: media) else {
            return .failure(SDPRejection(.missingConnection, "the audio stream has no c= address"))
        }
        guard connection.isIPLiteral else { return .failure(.hostNameConnection(connection)) }
        let codecs = Array(commonCodecs(in: media).prefix(max(1, configuration.maxCodecsInAnswer)))
        guard !codecs.isEmpty else {
            let ours = configuration.codecs.map(\.encodingName).joined(separator: ", ")
            return .failure(SDPRejection(
                .noCommonCodec, "no common codec: offered \(describeCodecs(in: media)); supported \(ours)"
            ))
        }
        var sdes: NegotiatedAudio.SDES?
        if security == .sdes {
            switch chooseCrypto(in: media, local: local) {
            case .success(let value): sdes = value
            case .failure(let rejection): return .failure(rejection)
            }
        }
        let hold = offer.holdState(of: media)
        var offered = offer.effectiveDirection(of: media)
        if hold == .legacyZeroAddress {
            offered = MediaDirection(sends: offered.sends, receives: false)
        }
        let direction = offered.answer(wishing: local.direction)
        let telephoneEvent = configuration.telephoneEvent ? TelephoneEvent.payloadType(in: media) : nil
        let ptime = packetTime(for: media)
        let muxed = configuration.acceptsRTCPMux && media.rtcpMux
        var section = audioSection(
            port: local.port, proto: media.proto, codecs: codecs, telephoneEvent: telephoneEvent,
            ptime: ptime, direction: direction
        )
        decorate(&section, offered: media, muxed: muxed, sdes: sdes)
        let opus = codecs.first { $0.codec == .opus }.flatMap { media.formatParameters(for: $0.payloadType) }
        let audio = NegotiatedAudio(
            mediaIndex: index, codecs: codecs, telephoneEventPayloadType: telephoneEvent, ptime: ptime,
            remoteAddress: connection.address, remotePort: media.port,
            remoteRTCPPort: remoteRTCPPort(of: media, muxed: muxed), rtcpMux: muxed,
            localDirection: direction, remoteHold: hold, remoteOpusParameters: opus, sdes: sdes
        )
        return .success((section, audio))
    }

    /// Adds mid (RFC 5888 §9.1: echoed when offered), rtcp-mux and the crypto line.
    private func decorate(_ section: inout MediaDescription, offered: MediaDescription, muxed: Bool, sdes: NegotiatedAudio.SDES?) {
        var extra: [SDPAttribute] = []
        if let mid = offered.mid {
            extra.append(SDPAttribute("mid", mid))
        }
        if muxed {
            extra.append(SDPAttribute("rtcp-mux"))
        }
        if let sdes {
            let key = CryptoAttribute.KeyParameter(keyAndSalt: sdes.localKeyAndSalt)
            extra.append(CryptoAttribute(tag: sdes.tag, suite: sdes.suite.rawValue, keys: [key]).attribute)
        }
        section.attributes.insert(contentsOf: extra, at: section.attributes.count - 1)
    }

    /// Picks the offered `a=crypto` line of our most preferred suite (RFC 4568 §7.1.1):
    /// one key, 30 bytes, no MKI and no session parameters we would have to honour.
    private func chooseCrypto(in media: MediaDescription, local: SIPLocalMedia) -> Result<NegotiatedAudio.SDES, SDPRejection> {
        let offered = media.cryptos.filter { crypto in
            crypto.keys.count == 1 && crypto.keys[0].mki == nil && crypto.sessionParameters.isEmpty
                && crypto.keyAndSalt.count == crypto.knownSuite?.keyAndSaltLength
        }
        for suite in configuration.srtpSuites {
            guard let crypto = offered.first(where: { $0.knownSuite == suite }) else { continue }
            guard let key = local.sdesKeyAndSalt, key.count == suite.keyAndSaltLength else {
                return .failure(SDPRejection(.localConfiguration, "no local SRTP key of \(suite.keyAndSaltLength) bytes was supplied"))
            }
            return .success(NegotiatedAudio.SDES(suite: suite, tag: crypto.tag, localKeyAndSalt: key, remoteKeyAndSalt: crypto.keyAndSalt))
        }
        if media.attributes.contains("crypto") {
            let ours = configuration.srtpSuites.map(\.rawValue).joined(separator: ", ")
            return .failure(SDPRejection(.srtpNotAcceptable, "no acceptable a=crypto: supported suites \(ours) with one inline key and no MKI"))
        }
        return .failure(SDPRejection(.srtpNotAcceptable, "\(media.proto) without a=crypto (SDES) is not supported"))
    }
}
