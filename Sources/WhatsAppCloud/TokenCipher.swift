// Business tokens at rest: sealed with AES-256-GCM under the operator's
// `[onboarding] encryption_key`, a fresh random 96-bit nonce per seal.

import Crypto
import Foundation

/// Seals and opens access tokens. The key id (a short hash of the key, not the
/// key) is stored beside each sealed token, so a row sealed under another key
/// is recognised and refused with a clear error instead of failing to decrypt.
public struct TokenCipher: Sendable {
    /// The key bytes (a `SymmetricKey` is built per use: it is not `Sendable`).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// The first 8 bytes of SHA-256 over the key, hex, prefixed `k1-`.
    public let keyID: String

    /// Why a sealed token could not be opened.
    public enum OpenError: Error, Equatable, CustomStringConvertible {
        /// It was sealed under a different key.
        case otherKey(String)
        /// The blob is damaged or the key is wrong (authentication failed).
        case corrupt

        /// A description safe to log.
        public var description: String {
            switch self {
            case .otherKey(let id): "sealed under key \(id), not the configured encryption_key"
            case .corrupt: "the sealed token is damaged or the key is wrong"
            }
        }
    }

    /// Creates a cipher over a 32-byte key.
    public init(key bytes: [UInt8]) {
        keyBytes = bytes
        let digest = SHA256.hash(data: bytes)
        keyID = "k1-" + digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// `token` sealed: nonce (12 bytes), ciphertext, tag (16 bytes).
    public func seal(_ token: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(Data(token.utf8), using: key, nonce: AES.GCM.Nonce(),
                                   authenticating: Data(keyID.utf8))
        guard let combined = box.combined else { throw OpenError.corrupt }
        return Array(combined)
    }

    /// The token in `sealed`, sealed under `keyID`.
    public func open(_ sealed: [UInt8], keyID sealedKeyID: String) throws(OpenError) -> String {
        guard sealedKeyID == keyID else { throw .otherKey(sealedKeyID) }
        do {
            let box = try AES.GCM.SealedBox(combined: Data(sealed))
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(keyID.utf8))
            guard let text = String(data: plain, encoding: .utf8) else { throw OpenError.corrupt }
            return text
        } catch {
            throw .corrupt
        }
    }
}
