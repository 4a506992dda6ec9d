import COpenSSL
import COpenSSLShims

/// Owns one OpenSSL `SSL_CTX` configured for WebRTC DTLS-SRTP, freed in `deinit`.
/// Make one per process (or per certificate) and share it between calls.
///
/// Settings: `DTLS_method()` pinned to DTLS 1.2 (min = max = 1.2; WebRTC peers
/// and aiortc speak 1.2), the certificate and key, SRTP profiles
/// `SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80` by default (RFC 5764, RFC 7714),
/// a peer certificate required in both directions and accepted by the verify
/// callback (it is self-signed; its fingerprint is checked against the SDP after
/// the handshake), and `SSL_OP_NO_QUERY_MTU` (memory BIOs have no MTU).
///
/// `@unchecked Sendable`: the context is only configured in `init`; afterwards
/// OpenSSL allows `SSL_new` from any thread.
public final class DTLSContext: @unchecked Sendable {
    /// The `SSL_CTX *`, owned.
    let pointer: OpaquePointer
    /// The certificate presented to peers.
    public let certificate: DTLSCertificate

    /// The SRTP protection profiles offered (client) or accepted (server), best first.
    public let srtpProfiles: [DTLSSRTPProfile]

    /// Creates a context presenting `certificate`.
    /// - Parameter srtpProfiles: the `use_srtp` profiles, best first; not empty.
    /// - Throws: `DTLSError.Kind.setup` with OpenSSL's reason.
    public init(
        certificate: DTLSCertificate, srtpProfiles: [DTLSSRTPProfile] = [.aeadAES128GCM, .aes128CMHMACSHA1_80]
    ) throws(DTLSError) {
        guard !srtpProfiles.isEmpty else { throw DTLSError(.configuration, "no SRTP profile to offer") }
        ERR_clear_error()
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw DTLSError.openSSL(.setup, "SSL_CTX_new(DTLS_method) failed")
        }
        do {
            try Self.configure(context, certificate: certificate, profiles: srtpProfiles)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.pointer = context
        self.certificate = certificate
        self.srtpProfiles = srtpProfiles
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    /// Applies the settings listed on the type. `context` is borrowed.
    private static func configure(_ context: OpaquePointer, certificate: DTLSCertificate, profiles: [DTLSSRTPProfile]) throws(DTLSError) {
        guard openssl_shim_ctx_set_min_proto_version(context, DTLS1_2_VERSION) == 1,
              openssl_shim_ctx_set_max_proto_version(context, DTLS1_2_VERSION) == 1
        else {
            throw DTLSError.openSSL(.setup, "cannot pin DTLS 1.2")
        }
        guard SSL_CTX_use_certificate(context, certificate.x509) == 1,
              SSL_CTX_use_PrivateKey(context, certificate.privateKey.pointer) == 1,
              SSL_CTX_check_private_key(context) == 1
        else {
            throw DTLSError.openSSL(.setup, "cannot use the DTLS certificate")
        }
        // SSL_CTX_set_tlsext_use_srtp returns 0 on success (sic).
        guard SSL_CTX_set_tlsext_use_srtp(context, profiles.map(\.openSSLName).joined(separator: ":")) == 0 else {
            throw DTLSError.openSSL(.setup, "cannot set the SRTP profiles")
        }
        _ = openssl_shim_ctx_set_options(context, openssl_shim_op_no_query_mtu())
        // Accept any (self-signed) chain; the fingerprint decides after the handshake.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, _ in 1 }
    }
}
