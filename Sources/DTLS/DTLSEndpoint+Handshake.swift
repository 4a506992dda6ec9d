import COpenSSL

extension DTLSEndpoint {
    /// Runs `SSL_do_handshake` on whatever arrived; on completion checks the
    /// peer fingerprint and exports the keys.
    /// Thread: the endpoint's thread; OpenSSL's error queue is cleared first.
    func advanceHandshake() -> DTLSOutput {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            return finishHandshake()
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            ERR_clear_error()
            return DTLSOutput(datagrams: drainWriteBIO())
        case SSL_ERROR_ZERO_RETURN:
            return fail(DTLSError(.handshake, "peer sent close_notify during the handshake"))
        default:
            return fail(DTLSError.openSSL(.handshake, "handshake failed"))
        }
    }

    /// After the handshake: lets OpenSSL process retransmitted flights (it
    /// answers them), alerts and close_notify; application data is discarded.
    func readAfterHandshake() -> DTLSOutput {
        ERR_clear_error()
        while true {
            let count = scratch.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(clamping: $0.count)) }
            if count > 0 { continue }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                ERR_clear_error()
                return DTLSOutput(datagrams: drainWriteBIO())
            case SSL_ERROR_ZERO_RETURN:
                state = .closed
                return DTLSOutput(datagrams: drainWriteBIO(), event: .closed)
            default:
                return fail(DTLSError.openSSL(.handshake, "DTLS association failed"))
            }
        }
    }

    /// The handshake finished: fingerprint check, then key export.
    private func finishHandshake() -> DTLSOutput {
        let flight = drainWriteBIO()
        do {
            try verifyPeerFingerprint()
            let keys = try exportKeys()
            state = .connected(keys)
            return DTLSOutput(datagrams: flight, event: .connected(keys))
        } catch {
            var output = fail(error)
            output.datagrams = flight + output.datagrams
            return output
        }
    }

    /// Ends the association with `error`, telling the peer (close_notify) if possible.
    func fail(_ error: DTLSError) -> DTLSOutput {
        state = .failed(error)
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
        return DTLSOutput(datagrams: drainWriteBIO(), event: .failed(error))
    }

    /// Compares the peer certificate's digest with the SDP fingerprints (RFC 8122 §5).
    /// Ownership: `SSL_get1_peer_certificate` returns a new reference, freed here.
    private func verifyPeerFingerprint() throws(DTLSError) {
        guard let peer = SSL_get1_peer_certificate(ssl) else {
            throw DTLSError(.fingerprintMismatch, "peer presented no certificate")
        }
        defer { X509_free(peer) }
        var checked: [String] = []
        for expected in configuration.remoteFingerprints {
            let actual = try DTLSCertificate.fingerprint(of: peer, algorithm: expected.algorithm)
            if actual.bytes == expected.bytes { return }
            checked.append(actual.attributeValue)
        }
        let wanted = configuration.remoteFingerprints.map(\.attributeValue).joined(separator: ", ")
        throw DTLSError(
            .fingerprintMismatch,
            "peer certificate \(checked.first ?? "?") does not match the SDP fingerprint \(wanted)")
    }

    /// Exports and splits the SRTP master keys (RFC 5764 §4.2): the block is
    /// client key ‖ server key ‖ client salt ‖ server salt.
    private func exportKeys() throws(DTLSError) -> DTLSSRTPKeys {
        guard let selected = SSL_get_selected_srtp_profile(ssl) else {
            throw DTLSError(.handshake, "no SRTP profile in common (use_srtp not negotiated)")
        }
        guard let profile = DTLSSRTPProfile(rawValue: UInt16(truncatingIfNeeded: selected.pointee.id)) else {
            throw DTLSError(.handshake, "unsupported SRTP profile id \(selected.pointee.id)")
        }
        let keyLength = profile.keyLength, saltLength = profile.saltLength
        var block = [UInt8](repeating: 0, count: 2 * (keyLength + saltLength))
        let label = "EXTRACTOR-dtls_srtp"
        let status = SSL_export_keying_material(ssl, &block, block.count, label, label.utf8.count, nil, 0, 0)
        guard status == 1 else { throw DTLSError.openSSL(.keyExport, "SSL_export_keying_material failed") }
        let clientKey = Array(block[0..<keyLength])
        let serverKey = Array(block[keyLength..<2 * keyLength])
        let clientSalt = Array(block[2 * keyLength..<2 * keyLength + saltLength])
        let serverSalt = Array(block[(2 * keyLength + saltLength)...])
        switch configuration.role {
        case .client:
            return DTLSSRTPKeys(profile: profile, localKey: clientKey, localSalt: clientSalt, remoteKey: serverKey, remoteSalt: serverSalt)
        case .server:
            return DTLSSRTPKeys(profile: profile, localKey: serverKey, localSalt: serverSalt, remoteKey: clientKey, remoteSalt: clientSalt)
        }
    }

    /// Everything OpenSSL wrote since the last call, cut into datagrams.
    /// Ownership: the write BIO belongs to `ssl`; bytes are copied out.
    func drainWriteBIO() -> [[UInt8]] {
        // BIO_ctrl_pending is a size_t; one flight is far below Int32.max.
        let pending = Int(clamping: BIO_ctrl_pending(writeBIO))
        guard pending > 0, pending <= Int(Int32.max) else { return [] }
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = bytes.withUnsafeMutableBytes { BIO_read(writeBIO, $0.baseAddress, Int32(clamping: pending)) }
        guard read > 0 else { return [] }
        return DTLSRecordPacker.datagrams(from: Array(bytes.prefix(min(Int(read), pending))), mtu: configuration.mtu)
    }
}
