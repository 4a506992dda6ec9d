import Crypto
public import Foundation

/// `X-Hub-Signature-256`: `sha256=<lowercase hex HMAC-SHA256(app_secret, raw body)>` (docs/whatsapp.md#webhooks).
public enum WebhookSignature {
    /// The header's name.
    public static let headerName = "X-Hub-Signature-256"

    /// The header value for `body` signed with `appSecret`.
    public static func sign(body: some DataProtocol, appSecret: String) -> String {
        let key = SymmetricKey(data: Data(appSecret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Checks `header` against `body`, in constant time over the MAC.
    ///
    /// - Throws: ``WhatsAppCloudError/signatureMissing`` when `header` is nil or empty,
    ///   ``WhatsAppCloudError/signatureMismatch`` when it does not match.
    public static func verify(body: some DataProtocol, header: String?, appSecret: String) throws {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            throw WhatsAppCloudError.signatureMissing
        }
        let prefix = "sha256="
        guard header.lowercased().hasPrefix(prefix),
              let received = decodeHex(header.dropFirst(prefix.count)), received.count == SHA256.byteCount else {
            throw WhatsAppCloudError.signatureMismatch
        }
        let key = SymmetricKey(data: Data(appSecret.utf8))
        // HMAC.isValidAuthenticationCode compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(received, authenticating: body, using: key) else {
            throw WhatsAppCloudError.signatureMismatch
        }
    }

    /// Decodes hex (either case); `nil` on an odd length or a non-hex character.
    static func decodeHex(_ text: Substring) -> Data? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
