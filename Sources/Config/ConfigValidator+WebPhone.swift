// Building [webphone] and the [http] listener's TLS keys.

import NetTypes

extension ConfigValidator {
    /// The keys of `[webphone]`, in documentation order.
    static let webPhoneKeys = ["enabled", "path", "token_lifetime", "max_sessions_per_user", "reconnect_grace",
                               "allowed_origins", "trusted_proxies", "permission_watch"]

    /// Validates `[webphone]`; `anyWebRTCUser` is the default of `enabled`.
    /// `webhookPath` is `[http] webhook_path`, which the page must not shadow.
    func buildWebPhone(_ reader: SectionReader, anyWebRTCUser: Bool, webhookPath: String) -> WebPhoneConfig {
        var config = WebPhoneConfig.defaults
        config.enabled = reader.bool("enabled", default: anyWebRTCUser)
        if let entry = reader.usable("path") {
            let path = entry.value
            let valid = path.hasPrefix("/") && path.count > 1 && path.utf8.count <= 64 && !path.hasSuffix("/")
                && path.utf8.allSatisfy { TextScanning.isAlphanumeric($0, extra: "/-_.") }
            if !valid {
                reader.bad(entry, expected: "a path such as '/phone': '/' then letters, digits, '/', '-', '_' or '.', not ending in '/'")
            } else if webhookPath == path || webhookPath.hasPrefix(path + "/") || path == "/metrics" {
                reader.problem(entry.line, "path '\(path)' in [\(reader.name)] overlaps the webhook path or /metrics on the [http] listener")
            } else { config.path = path }
        }
        config.tokenLifetime = reader.seconds("token_lifetime", default: 43_200, in: 60...2_592_000)
        config.maxSessionsPerUser = reader.int("max_sessions_per_user", default: 3, in: 1...20)
        config.reconnectGrace = reader.seconds("reconnect_grace", default: 10, in: 0...300)
        config.permissionWatch = reader.seconds("permission_watch", default: 86_400, in: 60...604_800)
        config.allowedOrigins = reader.list("allowed_origins", expected: "an origin such as 'https://agents.example.com'") {
            Self.origin($0)
        }
        config.trustedProxies = reader.list("trusted_proxies", expected: "a CIDR block such as '10.0.0.0/8' or an IP address") {
            CIDR($0)
        }
        return config
    }

    /// `scheme://host[:port]` lower-cased, without a path, for `http` or `https`; else nil.
    static func origin(_ text: String) -> String? {
        let lower = TextScanning.asciiLowercased(text)
        guard let url = normalizedHTTPURL(lower) else { return nil }
        let authority = url.drop { $0 != "/" }.dropFirst(2)
        guard !authority.contains("/") else { return nil }
        return url
    }

    /// `[http] tls_certificate` and `tls_private_key`: both or neither, each a readable PEM file.
    func buildHTTPTLS(_ reader: SectionReader) -> HTTPTLSConfig? {
        let certificate = reader.path("tls_certificate", baseDirectory: baseDirectory)
        let key = reader.path("tls_private_key", baseDirectory: baseDirectory)
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case let (certificate?, key?):
            checkPEM(certificate, reader: reader, key: "tls_certificate", marker: "-----BEGIN CERTIFICATE-----")
            checkPEM(key, reader: reader, key: "tls_private_key", marker: "PRIVATE KEY-----")
            return HTTPTLSConfig(certificate: certificate, privateKey: key)
        default:
            reader.problem(firstSetLine(reader, "tls_certificate", "tls_private_key"),
                           "[\(reader.name)] needs both tls_certificate and tls_private_key, or neither")
            return nil
        }
    }

    /// Reports unless the file `path` of `key` is readable and holds `marker` (a PEM block).
    private func checkPEM(_ path: String, reader: SectionReader, key: String, marker: String) {
        guard let entry = reader.entry(key) else { return }
        switch FileAccess.readAll(path) {
        case .failure(let problem):
            reader.problem(entry.line, "cannot read \(key) '\(path)': \(problem.reason)")
        case .success(let bytes):
            if !String(decoding: bytes, as: UTF8.self).contains(marker) {
                reader.problem(entry.line, "\(key) '\(path)' in [\(reader.name)] is not a PEM file (no '\(marker)')")
            }
        }
    }
}
