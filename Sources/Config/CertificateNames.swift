// The DNS names a TLS server certificate is valid for, and whether one of them
// covers a given domain (RFC 6125 section 6.4): what Meta's TLS client checks
// when it connects to a SIP-mode number's `sip_domain`.

/// The DNS names of a certificate: its subjectAltName DNS entries and its subject CN.
public struct CertificateNames: Sendable, Equatable {
    /// subjectAltName `dNSName` entries, in certificate order.
    public var dnsNames: [String]
    /// The subject's common name, if any.
    public var commonName: String?

    /// Creates the names of one certificate.
    public init(dnsNames: [String], commonName: String?) {
        self.dnsNames = dnsNames
        self.commonName = commonName
    }

    /// The names a client checks: the subjectAltName DNS names, or the CN when
    /// there are none (RFC 6125 section 6.4.4).
    public var presented: [String] {
        dnsNames.isEmpty ? commonName.map { [$0] } ?? [] : dnsNames
    }

    /// True when a presented name matches `domain`: case-insensitive, a final
    /// dot ignored, and `*` only as the whole left-most label, standing for
    /// exactly one label and needing two labels after it (`*.example.com`
    /// covers `sip.example.com`, not `example.com` nor `a.sip.example.com`;
    /// RFC 6125 section 6.4.3).
    public func covers(_ domain: String) -> Bool {
        let wanted = Self.labels(domain)
        guard !wanted.isEmpty else { return false }
        return presented.contains { Self.matches(pattern: Self.labels($0), domain: wanted) }
    }

    private static func matches(pattern: [Substring], domain: [Substring]) -> Bool {
        guard pattern.count == domain.count, let first = pattern.first else { return false }
        if first == "*" {
            return pattern.count >= 3 && pattern.dropFirst() == domain.dropFirst()
        }
        return pattern == domain
    }

    /// Lower-cased labels, a final dot dropped; empty for an empty name or an empty label.
    private static func labels(_ name: String) -> [Substring] {
        var text = Substring(TextScanning.asciiLowercased(name))
        if text.hasSuffix(".") { text = text.dropLast() }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.contains(where: \.isEmpty) ? [] : labels
    }
}

extension GatewayConfig {
    /// One line per SIP-mode number whose `sip_domain` the TLS listener's
    /// certificate (`names`, read from `[general] tls_certificate`) does not
    /// cover, naming the number, the domain and the names the certificate has.
    /// Meta refuses to deliver calls over TLS to a server whose certificate does
    /// not cover the domain configured at Meta.
    public func metaSIPCertificateProblems(_ names: CertificateNames) -> [String] {
        metaSIPNumbers.compactMap { number in
            guard let domain = number.metaSIP?.domain, !names.covers(domain) else { return nil }
            let section = number.name == NumberConfig.implicitName ? "whatsapp" : number.name
            let has = names.presented.isEmpty ? "no DNS names" : "the names " + names.presented.joined(separator: ", ")
            return "sip_domain '\(domain)' of [\(section)] is not covered by the TLS certificate "
                + "'\(general.tls?.certificatePath ?? "")', which has \(has): Meta checks that the certificate "
                + "names the SIP domain configured for the number"
        }
    }
}
