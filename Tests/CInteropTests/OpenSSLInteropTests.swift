import COpenSSL
import COpenSSLShims
import Testing

/// OpenSSL: a DTLS context with the DTLS-SRTP profiles and a fresh P-256 key.
@Suite struct OpenSSLInteropTests {
    @Test func dtlsContextWithSRTPProfilesAndECDSAKey() throws {
        let context = try #require(SSL_CTX_new(DTLS_method()))
        defer { SSL_CTX_free(context) }
        // SSL_CTX_set_tlsext_use_srtp returns 0 on success (sic).
        #expect(SSL_CTX_set_tlsext_use_srtp(context, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80") == 0)
        _ = openssl_shim_ctx_set_options(context, openssl_shim_op_no_query_mtu())
        let key = try #require(openssl_shim_ec_p256_generate())
        defer { EVP_PKEY_free(key) }
        #expect(EVP_PKEY_get_bits(key) == 256)
        #expect(SSL_CTX_use_PrivateKey(context, key) == 1)
        let ssl = try #require(SSL_new(context))
        defer { SSL_free(ssl) }
        #expect(openssl_shim_dtls_set_link_mtu(ssl, 1200) == 1)
    }
}
