import Crypto

/// The HMAC-SHA1 key of MESSAGE-INTEGRITY (RFC 8489 §9.1.1, §9.2.2, §14.5).
///
/// ICE uses the short-term mechanism: the key is the password's bytes (the
/// ice-pwd of the agent that answers a check, RFC 8445 §7.2.2).
public struct STUNIntegrityKey: Sendable {
    /// The key bytes (kept as bytes: `SymmetricKey` is not `Sendable`).
    private let keyBytes: [UInt8]

    private var key: SymmetricKey {
        SymmetricKey(data: keyBytes)
    }

    /// Short-term credential: the key is the UTF-8 password (RFC 8489 §9.1.1;
    /// ICE passwords are ASCII, so OpaqueString processing changes nothing).
    public init(shortTermPassword password: String) {
        keyBytes = Array(password.utf8)
    }

    /// Long-term credential: MD5(username ":" realm ":" password) (RFC 8489 §9.2.2);
    /// `password` must already be SASLprep/OpaqueString-processed.
    public init(longTermUsername username: String, realm: String, password: String) {
        let digest = Insecure.MD5.hash(data: Array("\(username):\(realm):\(password)".utf8))
        keyBytes = Array(digest)
    }

    /// A key from raw bytes.
    public init(bytes: [UInt8]) {
        keyBytes = bytes
    }

    /// HMAC-SHA1 of `bytes` (20 bytes).
    func mac(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: key))
    }

    /// HMAC-SHA1 of a header whose length field is replaced by `length`, then `body`.
    func mac(header: ArraySlice<UInt8>, length: UInt16, body: ArraySlice<UInt8>) -> [UInt8] {
        var hmac = HMAC<Insecure.SHA1>(key: key)
        let start = header.startIndex
        hmac.update(data: header[start..<(start + 2)])
        hmac.update(data: [UInt8(length >> 8), UInt8(length & 0xFF)])
        hmac.update(data: header[(start + 4)...])
        hmac.update(data: body)
        return Array(hmac.finalize())
    }
}
