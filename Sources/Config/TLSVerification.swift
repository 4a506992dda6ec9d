// [general] tls_verify, tls_ca_file and tls_client_names: whether the SIP TLS
// transport checks the peer's certificate, and against what.
//
// Sofia's TLS transport verifies agent-wide, not per trunk: one policy for
// every outgoing connection and one for every incoming connection, one CA
// bundle, one list of accepted client names. Outgoing, the name checked is the
// host wagate connects to (a trunk's `host`); sofia offers no pinned
// fingerprints and no per-trunk name or CA, so neither is offered here.

/// Which side of a SIP TLS connection has its certificate checked.
public enum TLSVerifyMode: String, Sendable, Equatable, CaseIterable {
    /// No certificate is checked (the historic behaviour).
    case none
    /// Servers wagate connects to (TLS trunks) must present a certificate
    /// chaining to the CA bundle whose name (subjectAltName DNS/IP or CN) is
    /// the host wagate connected to.
    case server
    /// Every peer connecting to wagate's TLS listener (trunks and phones) must
    /// present a client certificate chaining to the CA bundle.
    case client
    /// Both of the above.
    case both

    /// Whether outgoing connections check the server certificate.
    public var checksServers: Bool { self == .server || self == .both }
    /// Whether incoming connections must present a valid client certificate.
    public var checksClients: Bool { self == .client || self == .both }
}

/// Certificate verification on the SIP TLS transport.
public struct TLSVerification: Sendable, Equatable {
    /// The system CA bundle, used when `tls_ca_file` is not set.
    public static let systemBundle = "/etc/ssl/certs/ca-certificates.crt"

    /// Which connections are verified.
    public var mode: TLSVerifyMode
    /// The PEM bundle of trusted CAs; nil when `mode` is `.none`.
    public var caFile: String?
    /// Names a client certificate must carry (any one of them); empty accepts
    /// every certificate the CA signed.
    public var clientNames: [String]

    /// Creates a verification setting.
    public init(mode: TLSVerifyMode = .none, caFile: String? = nil, clientNames: [String] = []) {
        self.mode = mode
        self.caFile = caFile
        self.clientNames = clientNames
    }
}

extension ConfigValidator {
    /// `tls_verify`, `tls_ca_file` and `tls_client_names`. Verification needs
    /// the TLS certificate and key (sofia runs TLS only with them); the CA
    /// bundle defaults to the system's.
    func buildTLSVerification(_ reader: SectionReader, hasTLS: Bool) -> TLSVerification {
        let mode = reader.choice("tls_verify", default: TLSVerifyMode.none)
        let names = reader.list("tls_client_names", expected: "a host name or IP address") { name in
            Hostname.isValidHost(name) ? TextScanning.asciiLowercased(name) : nil
        }
        var caFile = reader.path("tls_ca_file", baseDirectory: baseDirectory)
        if let caFile, let entry = reader.entry("tls_ca_file") { checkReadable(caFile, entry: entry) }
        guard mode != .none else {
            for key in ["tls_ca_file", "tls_client_names"] where reader.has(key) {
                reader.problem(reader.line(of: key), "'\(key)' requires 'tls_verify' other than none in [\(reader.name)]")
            }
            return TLSVerification()
        }
        if !hasTLS {
            reader.problem(reader.line(of: "tls_verify"),
                           "'tls_verify' requires 'tls_certificate' and 'tls_private_key' in [\(reader.name)]")
        }
        if !mode.checksClients, reader.has("tls_client_names") {
            reader.problem(reader.line(of: "tls_client_names"),
                           "'tls_client_names' requires 'tls_verify = client' or 'both' in [\(reader.name)]")
        }
        if caFile == nil {
            caFile = TLSVerification.systemBundle
            if FileAccess.readabilityProblem(TLSVerification.systemBundle) != nil {
                reader.problem(reader.line(of: "tls_verify"),
                               "'tls_verify' needs 'tls_ca_file' in [\(reader.name)]: \(TLSVerification.systemBundle) is not readable")
            }
        }
        return TLSVerification(mode: mode, caFile: caFile, clientNames: names)
    }
}
