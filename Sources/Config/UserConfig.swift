// `type = user` sections: SIP phones that register with wagate.

/// A `type = user` section: a SIP account phones register with.
public struct UserConfig: Sendable, Equatable {
    /// The section name: the SIP user name and digest username.
    public var name: String
    /// The digest password.
    public var secret: Secret
    /// The caller id presented on calls to this user; nil when not set.
    public var callerID: CallerID?
    /// Which WhatsApp numbers this user may call.
    public var policy: DestinationPolicy
    /// Simultaneous calls allowed (at least 1).
    public var maxCalls: Int
    /// Force rport and symmetric RTP for this user's phones.
    public var nat: Bool
    /// SDES-SRTP on the SIP leg.
    public var srtp: SRTPPolicy
    /// The business numbers (`type = number` names) this user may call from,
    /// the first being its default; empty allows only the first configured number.
    public var numbers: [String] = []
    /// How long after a call refused for lack of permission an accepted
    /// permission still rings this user back (`permission_callback`); nil: never.
    public var permissionCallback: Duration?
    /// Meta recording keys this user sets; they override the number's for calls the user places or answers.
    public var metaCapture = MetaCaptureConfig()
    /// Whether the user may log in from a browser (`webrtc`, default no); the
    /// browser then counts as one of the user's contacts.
    public var webrtc = false

    /// Creates a user with the defaults of every optional key.
    public init(
        name: String, secret: Secret, callerID: CallerID? = nil, policy: DestinationPolicy = DestinationPolicy(),
        maxCalls: Int = 2, nat: Bool = true, srtp: SRTPPolicy = .optional
    ) {
        self.name = name
        self.secret = secret
        self.callerID = callerID
        self.policy = policy
        self.maxCalls = maxCalls
        self.nat = nat
        self.srtp = srtp
    }
}

/// A caller id as Asterisk writes it: `"Alice" <1001>`, `Alice <1001>`, `<1001>` or `1001`.
public struct CallerID: Sendable, Equatable, CustomStringConvertible {
    /// The display name, without quotes.
    public var name: String?
    /// The number (or user part).
    public var number: String?

    /// Creates a caller id.
    public init(name: String?, number: String?) {
        self.name = name
        self.number = number
    }

    /// Parses Asterisk's `callerid` syntax; nil for an empty value or unbalanced `<`/`>`.
    public init?(parsing text: String) {
        let trimmed = TextScanning.trimmed(text)
        guard !trimmed.isEmpty else { return nil }
        if let open = trimmed.lastIndex(of: "<") {
            guard trimmed.hasSuffix(">"), trimmed.firstIndex(of: ">") == trimmed.index(before: trimmed.endIndex)
            else { return nil }
            let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            var display = TextScanning.trimmed(trimmed[..<open])
            if display.count >= 2, display.hasPrefix("\""), display.hasSuffix("\"") {
                display = String(display.dropFirst().dropLast())
            }
            let number = TextScanning.trimmed(inner)
            self.init(name: display.isEmpty ? nil : display, number: number.isEmpty ? nil : number)
        } else if trimmed.contains(">") {
            return nil
        } else if trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+*#".contains($0)) }) {
            self.init(name: nil, number: trimmed)
        } else {
            let display = trimmed.count >= 2 && trimmed.hasPrefix("\"") && trimmed.hasSuffix("\"")
                ? String(trimmed.dropFirst().dropLast()) : trimmed
            self.init(name: display, number: nil)
        }
        if name == nil, number == nil { return nil }
    }

    /// `"NAME" <NUMBER>`, or whichever part is present.
    public var description: String {
        switch (name, number) {
        case let (name?, number?): "\"\(name)\" <\(number)>"
        case let (name?, nil): "\"\(name)\""
        case let (nil, number?): "<\(number)>"
        case (nil, nil): ""
        }
    }
}

/// Whether the SIP leg uses SDES-SRTP (RFC 4568).
public enum SRTPPolicy: String, Sendable, Equatable, CaseIterable {
    /// Plain RTP only.
    case disabled = "no"
    /// Offer and accept SRTP, fall back to RTP.
    case optional
    /// Refuse calls without SRTP.
    case required
}
