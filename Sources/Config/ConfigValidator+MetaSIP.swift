// A business number's signalling towards Meta: `signaling = graph | sip` and,
// in SIP mode, where Meta's SIP servers are, the domain and digest credentials
// wagate has at Meta, the SRTP key exchange and where Meta's requests may come
// from (docs/configuration.md, "SIP mode"). Read in every `type = number`
// section and, for the implicit number, in [whatsapp].

extension ConfigValidator {
    /// The keys of a number's signalling; all but `signaling` need `signaling = sip`.
    static let metaSIPKeys = ["signaling", "sip_host", "sip_port", "sip_domain", "sip_username", "sip_password",
                              "srtp", "sip_source_networks", "sip_inbound_auth"]

    /// The longest digest user name accepted (Meta's is the business number's digits).
    static let maximumSIPUsernameLength = 64

    /// The signalling of the number read from `reader`, and its SIP-mode settings
    /// exactly when it is `sip`. `businessNumber` (`+E164`) gives the default
    /// `sip_username`; `hasTLSListener` says whether `[general] listen` has a
    /// `tls:` listener, which SIP mode needs (Meta speaks SIP over TLS only).
    func buildSignaling(_ reader: SectionReader, businessNumber: String,
                        hasTLSListener: Bool) -> (WhatsAppSignaling, MetaSIPConfig?) {
        let signaling = reader.choice("signaling", default: WhatsAppSignaling.graph)
        guard signaling == .sip else {
            // An unexpandable `signaling` was reported already; its SIP keys are not blamed too.
            if reader.entry("signaling")?.isUsable != false {
                for key in Self.metaSIPKeys.dropFirst() {
                    guard let entry = reader.entry(key) else { continue }
                    reader.problem(entry.line, "'\(key)' needs signaling = sip in [\(reader.name)]")
                }
            }
            return (.graph, nil)
        }
        if !hasTLSListener {
            reader.problem(reader.line(of: "signaling"), "[\(reader.name)] has signaling = sip, which needs a tls: "
                + "listener in [general] listen (Meta speaks SIP over TLS only), e.g. 'listen = tls:0.0.0.0:5061'")
        }
        var sip = MetaSIPConfig(domain: metaSIPDomain(reader), username: String(businessNumber.drop { $0 == "+" }))
        if let entry = reader.usable("sip_host") {
            if Hostname.isValidHost(entry.value) { sip.host = TextScanning.asciiLowercased(entry.value) } else {
                reader.bad(entry, expected: "a host name or IP address, e.g. '\(MetaSIPConfig.defaultHost)'")
            }
        }
        sip.port = reader.int("sip_port", default: MetaSIPConfig.defaultPort, in: 1...65535)
        if let entry = reader.usable("sip_username") {
            if Self.isDigestUsername(entry.value) { sip.username = entry.value } else {
                reader.bad(entry, expected: "a user name of 1-\(Self.maximumSIPUsernameLength) printable characters "
                    + "without spaces, quotes or backslashes (Meta's is the business number without '+')")
            }
        }
        sip.password = secret(reader, "sip_password")
        sip.srtp = reader.choice("srtp", default: MetaSRTPKeyExchange.dtls)
        sip.sourceNetworks = reader.list(
            "sip_source_networks", expected: "a CIDR block or address such as '157.240.0.0/16' or '2a03:2880::/32'") {
            CIDR($0)
        }
        sip.inboundAuth = reader.bool("sip_inbound_auth", default: false)
        return (.sip, sip)
    }

    /// `sip_domain`, required in SIP mode: a DNS name (Meta checks the TLS
    /// certificate against it, so an IP address will not do); "" when missing or bad.
    private func metaSIPDomain(_ reader: SectionReader) -> String {
        guard let entry = reader.required("sip_domain", reason: "required with signaling = sip: the SIP domain "
            + "configured for the number at Meta") else { return "" }
        guard Hostname.isValid(entry.value), entry.value.contains(".") else {
            reader.bad(entry, expected: "a DNS name with a dot, e.g. 'sip.example.com' (the name Meta checks "
                + "on the TLS certificate; not an IP address)")
            return ""
        }
        return TextScanning.asciiLowercased(entry.value)
    }

    /// Printable ASCII without spaces, quotes or backslashes: what a digest
    /// `username="…"` carries without escaping (RFC 7616 section 3.4).
    static func isDigestUsername(_ text: String) -> Bool {
        let bytes = text.utf8
        return (1...maximumSIPUsernameLength).contains(bytes.count)
            && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// Reports every signalling key set in `[whatsapp]` when `type = number`
    /// sections exist: each number says its own.
    func refuseSharedSignaling(_ whatsappReader: SectionReader) {
        for key in Self.metaSIPKeys {
            guard let entry = whatsappReader.entry(key) else { continue }
            whatsappReader.problem(entry.line, "'\(key)' in [whatsapp] cannot be combined with type = number "
                + "sections; set it in each type = number section")
        }
    }
}

extension ConfigValidator {
    /// `[whatsapp] simulator_sip_listen` (an IP:PORT) and the simulator's
    /// optional SIP TLS identity, `simulator_sip_certificate` with
    /// `simulator_sip_private_key` (both or neither, each readable now).
    func buildSimulatorSIP(_ reader: SectionReader, into config: inout WhatsAppConfig) {
        config.simulatorSIPListen = listenAddress(reader, "simulator_sip_listen", default: config.simulatorSIPListen,
                                                  example: "'127.0.0.1:15061'")
        let certificate = reader.path("simulator_sip_certificate", baseDirectory: baseDirectory)
        let key = reader.path("simulator_sip_private_key", baseDirectory: baseDirectory)
        if let certificate, let entry = reader.entry("simulator_sip_certificate") { checkReadable(certificate, entry: entry) }
        if let key, let entry = reader.entry("simulator_sip_private_key") { checkReadable(key, entry: entry) }
        if let certificate, let key {
            config.simulatorSIPIdentity = TLSFiles(certificatePath: certificate, privateKeyPath: key)
        } else if certificate != nil || key != nil {
            let (set, missing) = certificate != nil
                ? ("simulator_sip_certificate", "simulator_sip_private_key")
                : ("simulator_sip_private_key", "simulator_sip_certificate")
            reader.problem(reader.line(of: set), "'\(set)' requires '\(missing)' in [\(reader.name)]")
        }
    }
}
