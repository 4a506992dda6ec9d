import COpenSSL

/// A self-signed ECDSA P-256 X.509 certificate and its key, as WebRTC uses for
/// DTLS-SRTP: random serial, about 30 days of validity, subject CN `wagate`.
/// Its SHA-256 fingerprint is what wagate puts in its SDP.
///
/// Ownership: owns one `X509` (freed in `deinit`) and the key object.
/// `@unchecked Sendable`: both are immutable after init and only read (signed
/// once here; `SSL_CTX_use_certificate` takes its own reference).
public final class DTLSCertificate: @unchecked Sendable {
    /// The `X509 *`, owned.
    let x509: OpaquePointer
    /// The private key that signed it.
    let privateKey: DTLSPrivateKey
    /// The SHA-256 fingerprint of the DER certificate (`a=fingerprint:sha-256 …`).
    public let fingerprint: DTLSFingerprint

    /// One certificate per process, made on first use (thread-safe, lazy).
    private static let processWide = Result { () throws(DTLSError) -> DTLSCertificate in
        try DTLSCertificate()
    }

    /// The per-process certificate; generated once, then shared by every call.
    /// - Throws: `DTLSError.Kind.certificate` if generation failed.
    public static func shared() throws(DTLSError) -> DTLSCertificate {
        try processWide.get()
    }

    /// Generates a new self-signed certificate.
    /// - Parameters:
    ///   - commonName: the subject and issuer CN.
    ///   - validityDays: days from now until `notAfter` (`notBefore` is one day back, for skew).
    /// - Throws: `DTLSError.Kind.certificate` with OpenSSL's reason.
    public init(commonName: String = "wagate", validityDays: Int = 30) throws(DTLSError) {
        let key = try DTLSPrivateKey()
        ERR_clear_error()
        guard let x509 = X509_new() else { throw DTLSError.openSSL(.certificate, "X509_new failed") }
        do {
            try Self.fill(x509, key: key, commonName: commonName, validityDays: validityDays)
            fingerprint = try Self.fingerprint(of: x509, algorithm: .sha256)
        } catch {
            X509_free(x509)
            throw error
        }
        self.x509 = x509
        self.privateKey = key
    }

    deinit {
        X509_free(x509)
    }

    /// Sets version, serial, validity, names and public key, then signs with SHA-256.
    /// Ownership: `x509` is borrowed; every value set on it is copied by OpenSSL.
    private static func fill(_ x509: OpaquePointer, key: DTLSPrivateKey, commonName: String, validityDays: Int) throws(DTLSError) {
        var serial: UInt64 = 0
        guard withUnsafeMutableBytes(of: &serial, { RAND_bytes($0.baseAddress, 8) }) == 1 else {
            throw DTLSError.openSSL(.certificate, "RAND_bytes failed")
        }
        serial = max(serial >> 1, 1)  // positive, non-zero (RFC 5280 §4.1.2.2)
        guard X509_set_version(x509, 2) == 1,  // v3
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial) == 1,
              X509_gmtime_adj(X509_getm_notBefore(x509), -86_400) != nil,
              X509_gmtime_adj(X509_getm_notAfter(x509), validityDays * 86_400) != nil,
              let name = X509_get_subject_name(x509),
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
              X509_set_issuer_name(x509, name) == 1,
              X509_set_pubkey(x509, key.pointer) == 1
        else {
            throw DTLSError.openSSL(.certificate, "building the X.509 certificate failed")
        }
        guard X509_sign(x509, key.pointer, EVP_sha256()) > 0 else {
            throw DTLSError.openSSL(.certificate, "X509_sign failed")
        }
    }

    /// The digest of a DER certificate. `x509` is borrowed for the call.
    static func fingerprint(of x509: OpaquePointer, algorithm: DTLSFingerprint.Algorithm) throws(DTLSError) -> DTLSFingerprint {
        let digest: OpaquePointer? = switch algorithm {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
        var bytes = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(x509, digest, &bytes, &length) == 1 else {
            throw DTLSError.openSSL(.certificate, "X509_digest failed")
        }
        return DTLSFingerprint(algorithm: algorithm, bytes: Array(bytes.prefix(min(Int(length), bytes.count))))
    }
}
