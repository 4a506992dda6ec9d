import CSRTP

/// Owns one libsrtp session (`srtp_t`) for one direction, freed in `deinit`.
///
/// Outbound contexts use libsrtp's `ssrc_any_outbound` template and inbound
/// ones `ssrc_any_inbound`, so any SSRC is accepted; libsrtp clones a stream
/// (one allocation) the first time it sees an SSRC, never per packet after that.
/// Ownership: libsrtp copies (derives from) the key during `srtp_create`; the
/// key bytes are not retained. Thread: not `Sendable`; one thread at a time.
final class SRTPContext {
    /// Which way packets go through this context.
    enum Direction {
        /// `srtp_protect`/`srtp_protect_rtcp` (what we send).
        case outbound
        /// `srtp_unprotect`/`srtp_unprotect_rtcp` (what we receive).
        case inbound
    }

    /// The `srtp_t`, owned.
    let session: OpaquePointer

    /// Creates a context from a master key and salt.
    /// - Parameter replayWindow: packets in the replay window (64…32768).
    init(profile: SRTPProfile, key: [UInt8], salt: [UInt8], direction: Direction, replayWindow: Int) throws(SRTPError) {
        try SRTPLibrary.ensureInitialized()
        guard key.count == profile.keyLength, salt.count == profile.saltLength else {
            throw SRTPError(
                .invalidKey,
                "\(profile) needs a \(profile.keyLength)-byte key and \(profile.saltLength)-byte salt, got \(key.count) and \(salt.count)")
        }
        var policy = srtp_policy_t()
        Self.setCryptoPolicies(&policy, for: profile)
        policy.ssrc.type = direction == .outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.window_size = UInt(max(64, min(replayWindow, 0x8000)))
        policy.allow_repeat_tx = 0
        var keyAndSalt = key + salt
        var created: OpaquePointer?
        let status = keyAndSalt.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            return srtp_create(&created, &policy)
        }
        for index in keyAndSalt.indices { keyAndSalt[index] = 0 }
        guard status == srtp_err_status_ok, let created else {
            throw SRTPError(.setup, "srtp_create failed for \(profile)", status: status.rawValue)
        }
        session = created
    }

    deinit {
        srtp_dealloc(session)
    }

    /// Fills the RTP and RTCP crypto policies of `policy` for `profile`.
    private static func setCryptoPolicies(_ policy: inout srtp_policy_t, for profile: SRTPProfile) {
        switch profile {
        case .aesCM128HMACSHA1_80:
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        case .aesCM128HMACSHA1_32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)  // SRTCP keeps the 80-bit tag
        case .aesCM256HMACSHA1_80:
            srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy.rtp)
            srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy.rtcp)
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        }
    }
}
