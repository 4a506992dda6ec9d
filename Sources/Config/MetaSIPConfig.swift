// How a business number is signalled: Meta's Graph API with webhooks, or
// Meta's SIP interface (SIP over TLS with Meta's servers, docs/whatsapp-sip-mode.md).

/// The signalling a business number uses towards Meta (`signaling` in its section).
public enum WhatsAppSignaling: String, Sendable, Equatable, CaseIterable {
    /// Graph API calls (`connect`, `pre_accept`, `accept`, …) and `calls` webhooks.
    case graph
    /// Meta's SIP interface: INVITE/BYE over TLS with Meta's SIP servers.
    case sip
}

/// How the SRTP keys of a SIP-mode number's media are agreed
/// (Meta's `srtp_key_exchange_protocol`).
public enum MetaSRTPKeyExchange: String, Sendable, Equatable, CaseIterable {
    /// ICE + DTLS-SRTP, Meta's default.
    case dtls
    /// SDES: `RTP/SAVP` with `a=crypto` keys in the SDP, no ICE and no DTLS.
    case sdes
}

/// The SIP-mode settings of one business number: where Meta's SIP servers
/// are, who wagate is at Meta, the digest credentials Meta asks for, and
/// which addresses Meta's INVITEs may come from.
public struct MetaSIPConfig: Sendable, Equatable {
    /// Meta's SIP server (`sip_host`, default `wa.meta.vc`).
    public var host: String
    /// Its TLS port (`sip_port`, default 5061).
    public var port: Int
    /// The SIP domain wagate is known by at Meta (`sip_domain`): the host of
    /// From in business-initiated INVITEs, the server configured in the
    /// number's `calling.sip.servers`, and a name the TLS listener's
    /// certificate must carry.
    public var domain: String
    /// The digest user name (`sip_username`, default the business number without `+`).
    public var username: String
    /// The digest password (`sip_password`); nil: fetched from Meta at start
    /// (`GET /{phone-number-id}/settings?include_sip_credentials=true`).
    public var password: Secret?
    /// `srtp`: DTLS (default) or SDES.
    public var srtp: MetaSRTPKeyExchange
    /// `sip_source_networks`: where Meta's requests may come from; empty: the
    /// addresses `host` resolves to at start.
    public var sourceNetworks: [CIDR]
    /// `sip_inbound_auth`: challenge Meta's INVITEs with digest (default no).
    public var inboundAuth: Bool

    /// Meta's SIP server name.
    public static let defaultHost = "wa.meta.vc"
    /// Meta's SIP TLS port.
    public static let defaultPort = 5061

    /// Creates the settings with the defaults of every optional key.
    public init(host: String = defaultHost, port: Int = defaultPort, domain: String, username: String,
                password: Secret? = nil, srtp: MetaSRTPKeyExchange = .dtls, sourceNetworks: [CIDR] = [],
                inboundAuth: Bool = false) {
        self.host = host
        self.port = port
        self.domain = domain
        self.username = username
        self.password = password
        self.srtp = srtp
        self.sourceNetworks = sourceNetworks
        self.inboundAuth = inboundAuth
    }
}
