// swift-format-ignore: AlwaysUseLowerCamelCase
// The cases keep the tag-length suffix of the IANA names (_80).
/// An SRTP protection profile negotiated by the `use_srtp` extension, with its
/// IANA identifier as raw value (RFC 5764 §4.1.2, RFC 7714 §14.2).
public enum DTLSSRTPProfile: UInt16, Sendable, Hashable, CaseIterable {
    /// `SRTP_AES128_CM_HMAC_SHA1_80`: 16-byte key, 14-byte salt.
    case aes128CMHMACSHA1_80 = 0x0001
    /// `SRTP_AEAD_AES_128_GCM`: 16-byte key, 12-byte salt.
    case aeadAES128GCM = 0x0007

    /// Master key length in bytes.
    public var keyLength: Int { 16 }

    /// The name `SSL_CTX_set_tlsext_use_srtp` takes.
    var openSSLName: String {
        switch self {
        case .aes128CMHMACSHA1_80: "SRTP_AES128_CM_SHA1_80"
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        }
    }

    /// Master salt length in bytes.
    public var saltLength: Int {
        switch self {
        case .aes128CMHMACSHA1_80: 14
        case .aeadAES128GCM: 12
        }
    }
}

/// SRTP master keys exported from a finished handshake (RFC 5764 §4.2), already
/// split by direction: this endpoint protects with `local…`, unprotects with
/// `remote…` (the DTLS client writes with the client key).
public struct DTLSSRTPKeys: Sendable, Hashable {
    /// The negotiated profile.
    public var profile: DTLSSRTPProfile
    /// Master key for what this endpoint sends.
    public var localKey: [UInt8]
    /// Master salt for what this endpoint sends.
    public var localSalt: [UInt8]
    /// Master key for what the peer sends.
    public var remoteKey: [UInt8]
    /// Master salt for what the peer sends.
    public var remoteSalt: [UInt8]

    /// Creates keys (normally only `DTLSEndpoint` does).
    public init(profile: DTLSSRTPProfile, localKey: [UInt8], localSalt: [UInt8], remoteKey: [UInt8], remoteSalt: [UInt8]) {
        self.profile = profile
        self.localKey = localKey
        self.localSalt = localSalt
        self.remoteKey = remoteKey
        self.remoteSalt = remoteSalt
    }
}

/// Something the driver must act on, reported once.
public enum DTLSEvent: Sendable, Hashable {
    /// The handshake finished and the peer's certificate matched its SDP
    /// fingerprint: SRTP may start.
    case connected(DTLSSRTPKeys)
    /// The handshake or the association failed; end the call with the reason.
    /// No keys are (or will be) available.
    case failed(DTLSError)
    /// The peer closed the association (close_notify).
    case closed
}

/// What one input produced: datagrams to send now (in order), and at most one event.
public struct DTLSOutput: Sendable, Hashable {
    /// Datagrams to send to the peer, each at most the configured MTU.
    public var datagrams: [[UInt8]]
    /// A state change, if this input caused one.
    public var event: DTLSEvent?

    /// Creates an output.
    public init(datagrams: [[UInt8]] = [], event: DTLSEvent? = nil) {
        self.datagrams = datagrams
        self.event = event
    }
}
