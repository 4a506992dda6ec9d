import COpenSSL
import COpenSSLShims

/// Owns one OpenSSL `EVP_PKEY` (an ECDSA P-256 key), freed in `deinit`.
///
/// Ownership: this object holds the one reference it created; OpenSSL objects
/// that use the key (`X509_sign`, `SSL_CTX_use_PrivateKey`) take their own.
/// Thread: immutable after init; OpenSSL allows concurrent read-only use.
final class DTLSPrivateKey: @unchecked Sendable {
    /// The `EVP_PKEY *`, owned.
    let pointer: OpaquePointer

    /// Generates a fresh P-256 key.
    init() throws(DTLSError) {
        ERR_clear_error()
        guard let key = openssl_shim_ec_p256_generate() else {
            throw DTLSError.openSSL(.certificate, "EVP_EC_gen(P-256) failed")
        }
        pointer = key
    }

    deinit {
        EVP_PKEY_free(pointer)
    }
}
