// The [onboarding] section: the Embedded Signup listener, its bearer token, the
// key that encrypts stored business tokens, and what the signup page shows.

import Foundation

/// The `[onboarding]` section. Absent means no onboarding listener at all.
public struct OnboardingConfig: Sendable, Equatable {
    /// Where the onboarding listener binds (`bind`, default `127.0.0.1:8090`).
    public var bind: SocketAddressSpec
    /// True when a non-loopback `bind` was explicitly allowed without TLS
    /// (`allow_insecure_bind = yes`): the operator puts a TLS proxy in front.
    public var allowInsecureBind: Bool
    /// The bearer token every API route requires (`token`, at least 16 characters).
    public var token: Secret
    /// The 32-byte AES-GCM key that encrypts business tokens at rest (`encryption_key`).
    public var encryptionKey: EncryptionKey
    /// The Meta app id the page runs the flow with (`app_id`, else `[whatsapp] app_id`).
    public var appID: String
    /// The Embedded Signup configuration id (`config_id`).
    public var configID: String
    /// Where the page loads Meta's JavaScript SDK (`sdk_url`).
    public var sdkURL: String
    /// The origin whose `WA_EMBEDDED_SIGNUP` messages the page trusts (`dialog_origin`).
    public var dialogOrigin: String
    /// The two-step verification PIN a number is registered with (`registration_pin`, 6 digits).
    public var registrationPIN: Secret?
    /// Where calls to onboarded numbers ring (`inbound_target`); nil uses `[inbound]`.
    public var inboundTarget: InboundTarget?

    /// The default listener address.
    public static let defaultBind = SocketAddressSpec(host: "127.0.0.1", port: 8090)
    /// The default SDK address.
    public static let defaultSDKURL = "https://connect.facebook.net/en_US/sdk.js"
    /// The default dialog origin.
    public static let defaultDialogOrigin = "https://www.facebook.com"
    /// The shortest bearer token accepted.
    public static let minimumTokenLength = ConfigValidator.minimumListenerTokenLength

    /// Creates an `[onboarding]` configuration.
    public init(bind: SocketAddressSpec = defaultBind, allowInsecureBind: Bool = false, token: Secret,
                encryptionKey: EncryptionKey, appID: String, configID: String, sdkURL: String = defaultSDKURL,
                dialogOrigin: String = defaultDialogOrigin, registrationPIN: Secret? = nil,
                inboundTarget: InboundTarget? = nil) {
        self.bind = bind
        self.allowInsecureBind = allowInsecureBind
        self.token = token
        self.encryptionKey = encryptionKey
        self.appID = appID
        self.configID = configID
        self.sdkURL = sdkURL
        self.dialogOrigin = dialogOrigin
        self.registrationPIN = registrationPIN
        self.inboundTarget = inboundTarget
    }
}

/// A 32-byte symmetric key, written as 64 hex digits or base64; never printed.
public struct EncryptionKey: Sendable, Equatable, CustomStringConvertible {
    /// The key bytes.
    private let bytes: [UInt8]

    /// Parses 64 hex digits or base64 of 32 bytes; nil otherwise.
    public init?(text: String) {
        if text.utf8.count == 64, let hex = Self.hex(text) {
            bytes = hex
        } else if let data = Data(base64Encoded: text), data.count == 32 {
            bytes = Array(data)
        } else {
            return nil
        }
    }

    /// The key bytes. Never log them.
    public func reveal() -> [UInt8] { bytes }

    /// Always `******`.
    public var description: String { "******" }

    private static func hex(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var high: UInt8?
        for char in text.utf8 {
            let value: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = char - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                out.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return out.count == 32 ? out : nil
    }
}
