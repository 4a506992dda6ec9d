// The settings of the simulator's SIP-mode Meta: where it listens (TLS), its
// identity, where it reaches the business's SIP server, and the knobs tests use
// to make it behave like the Meta integrators have met.

/// How a simulated number is signalled (a number's `signaling`).
public enum SimulatedSignaling: String, Sendable, Equatable, CaseIterable {
    /// Graph API calls and `calls` webhooks.
    case graph
    /// Meta's SIP interface over TLS.
    case sip
}

/// The SIP-mode Meta's settings (``MetaSimulatorSettings/metaSIP``).
public struct SimulatedMetaSIPSettings: Sendable {
    /// Whether the TLS listener runs at all.
    public var enabled: Bool
    /// The listener's address (`[whatsapp] simulator_sip_listen`).
    public var host: String
    /// The listener's port; 0 picks a free one (see ``MetaSimulator/sipPort``).
    public var port: Int
    /// PEM certificate chain of the listener; nil makes a self-signed ECDSA P-256
    /// certificate for `wa.meta.vc`, `localhost` and 127.0.0.1 at start.
    public var certificatePEM: String?
    /// PEM private key matching ``certificatePEM``.
    public var privateKeyPEM: String?
    /// Where user-initiated INVITEs go (the gateway's TLS listener); nil: the
    /// number's `calling.sip.servers[0]` host and port.
    public var gatewayHost: String?
    /// The port for ``gatewayHost``.
    public var gatewayPort: Int?
    /// Check the gateway's certificate against the system trust store and the
    /// server name (off: anything is accepted, and what was presented is recorded).
    public var verifyGatewayCertificate: Bool
    /// The digest algorithm of the 407 challenge, unless a number has its own.
    public var digestAlgorithm: SimSIPDigestAlgorithm
    /// Send `calls` webhooks for SIP-mode calls too (Meta may; the gateway must ignore them).
    public var callWebhooks: Bool

    /// Creates the settings; the listener is off unless `enabled`.
    public init(enabled: Bool = false, host: String = "127.0.0.1", port: Int = 15061, certificatePEM: String? = nil,
                privateKeyPEM: String? = nil, gatewayHost: String? = nil, gatewayPort: Int? = nil,
                verifyGatewayCertificate: Bool = false, digestAlgorithm: SimSIPDigestAlgorithm = .sha256,
                callWebhooks: Bool = false) {
        self.enabled = enabled
        self.host = host
        self.port = port
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.gatewayHost = gatewayHost
        self.gatewayPort = gatewayPort
        self.verifyGatewayCertificate = verifyGatewayCertificate
        self.digestAlgorithm = digestAlgorithm
        self.callWebhooks = callWebhooks
    }
}

/// One number's SIP-mode facts at Meta: the business's SIP domain (the
/// `calling.sip.servers[0]` hostname, and the From host Meta requires), the
/// digest password (`sip_user_password`), and how SRTP keys are agreed.
public struct SimulatedNumberSIP: Sendable, Equatable {
    /// The business's SIP domain.
    public var domain: String
    /// The business's SIP server port (`servers[0].port`).
    public var port: Int
    /// The digest password Meta checks.
    public var password: String
    /// `DTLS` or `SDES`.
    public var srtp: SimulatedSRTPKeyExchange
    /// This number's challenge algorithm; nil: ``SimulatedMetaSIPSettings/digestAlgorithm``.
    public var digestAlgorithm: SimSIPDigestAlgorithm?

    /// Creates the facts.
    public init(domain: String, port: Int = 5061, password: String, srtp: SimulatedSRTPKeyExchange = .dtls,
                digestAlgorithm: SimSIPDigestAlgorithm? = nil) {
        self.domain = domain
        self.port = port
        self.password = password
        self.srtp = srtp
        self.digestAlgorithm = digestAlgorithm
    }
}

/// Meta's `srtp_key_exchange_protocol`.
public enum SimulatedSRTPKeyExchange: String, Sendable, Equatable, CaseIterable {
    /// ICE + DTLS-SRTP.
    case dtls = "DTLS"
    /// `RTP/SAVP` + `a=crypto`.
    case sdes = "SDES"
}
