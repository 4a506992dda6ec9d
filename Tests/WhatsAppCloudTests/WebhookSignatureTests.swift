import Foundation
import Testing
@testable import WhatsAppCloud

/// `X-Hub-Signature-256` vectors, pinned with Python's `hmac` module.
@Suite struct WebhookSignatureTests {
    let secret = "test-app-secret"
    let body = Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
    let expected = "sha256=c84a394cc475525991e78ff16e430b02e47f953877d2af0ade26956ce6f384dc"

    @Test func knownVectors() throws {
        #expect(WebhookSignature.sign(body: body, appSecret: secret) == expected)
        #expect(WebhookSignature.sign(body: Array("The quick brown fox jumps over the lazy dog".utf8), appSecret: "key")
            == "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
        try WebhookSignature.verify(body: body, header: expected, appSecret: secret)
        try WebhookSignature.verify(body: body, header: expected.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="),
                                    appSecret: secret)
    }

    @Test func oneByteChangeFails() {
        for index in body.indices {
            var changed = body
            changed[index] ^= 0x01
            #expect(throws: WhatsAppCloudError.signatureMismatch) {
                try WebhookSignature.verify(body: changed, header: expected, appSecret: secret)
            }
        }
    }

    @Test func wrongSecretFails() {
        #expect(throws: WhatsAppCloudError.signatureMismatch) {
            try WebhookSignature.verify(body: body, header: expected, appSecret: "other-secret")
        }
    }

    @Test func missingOrMalformedHeader() {
        #expect(throws: WhatsAppCloudError.signatureMissing) {
            try WebhookSignature.verify(body: body, header: nil, appSecret: secret)
        }
        #expect(throws: WhatsAppCloudError.signatureMissing) {
            try WebhookSignature.verify(body: body, header: "  ", appSecret: secret)
        }
        for header in ["sha1=abc", "sha256=", "sha256=zz", String(expected.dropLast()), expected + "00"] {
            #expect(throws: WhatsAppCloudError.signatureMismatch) {
                try WebhookSignature.verify(body: body, header: header, appSecret: secret)
            }
        }
    }
}
