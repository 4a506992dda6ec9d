public import AsyncHTTPClient
public import Config
public import Logging
import Simulator
import WhatsAppCloud

/// What SIP-mode numbers need before the gateway starts: the TLS listener's
/// certificate must cover each number's `sip_domain`, and each number needs its
/// digest password. A number without `sip_password` gets it from Meta
/// (`GET /{id}/settings?include_sip_credentials=true`, one request per number
/// with the Graph retry policy); in sandbox mode the gateway makes one up and
/// the simulator answers with the same. Any failure stops the start.
public enum MetaSIPStart {
    /// Why SIP mode cannot start; one line per problem, each naming the number.
    public struct Failure: Error, CustomStringConvertible {
        /// The problems.
        public var problems: [String]
        /// The problems, one per line.
        public var description: String { problems.joined(separator: "\n") }
    }

    /// The certificate problems of `config` (empty when no number is in SIP mode
    /// or every domain is covered): what `wagate check-config` and the start report.
    public static func certificateProblems(_ config: GatewayConfig) -> [String] {
        guard !config.metaSIPNumbers.isEmpty, let tls = config.general.tls else { return [] }
        do {
            return config.metaSIPCertificateProblems(try TLSCertificateNames.read(tls.certificatePath))
        } catch {
            return ["\(error): SIP-mode numbers need it to carry their sip_domain"]
        }
    }

    /// `config` with every SIP-mode number's password filled in, after the
    /// certificate check; throws ``Failure`` naming each number that cannot start.
    public static func prepare(_ config: GatewayConfig, logger: Logger) async throws -> GatewayConfig {
        let missing = config.metaSIPNumbers.filter { $0.metaSIP?.password == nil }
        var problems = certificateProblems(config)
        guard problems.isEmpty else { throw Failure(problems: problems) }
        guard !missing.isEmpty else { return config }
        var ready = config
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        for number in missing {
            do {
                let password = try await password(for: number, config: config, http: http, logger: logger)
                if let index = ready.numbers.firstIndex(where: { $0.name == number.name }) {
                    ready.numbers[index].metaSIP?.password = Secret(password)
                }
            } catch {
                problems.append("[\(number.name)] (phone number id \(number.phoneNumberID)) has no sip_password "
                    + "and Meta's SIP credentials could not be read: \(error)")
            }
        }
        try? await http.shutdown()
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return ready
    }

    /// The password of `number`: generated in sandbox mode, else read from Meta.
    private static func password(for number: NumberConfig, config: GatewayConfig, http: HTTPClient,
                                 logger: Logger) async throws -> String {
        guard config.whatsapp.mode == .cloud else {
            logger.info("SIP password made up for the sandbox number", metadata: ["number": "\(number.name)"])
            return SimulatedNumber.generatedSIPPassword()
        }
        let client = GraphClient(settings: GraphClientSettings(
            baseURL: config.whatsapp.graphURL, apiVersion: config.whatsapp.graphVersion,
            phoneNumberID: number.phoneNumberID, accessToken: number.accessToken.reveal(),
            requestTimeout: config.whatsapp.requestTimeout), httpClient: http, logger: logger)
        let credentials = try await client.sipCredentials()
        let domain = number.metaSIP?.domain ?? ""
        guard let password = credentials.password(appID: config.settingsAppID, domain: domain) else {
            throw CredentialsMissing(status: credentials.status, servers: credentials.servers.map(\.hostname),
                                     domain: domain)
        }
        logger.info("SIP password read from Meta", metadata: ["number": "\(number.name)"])
        return password
    }

    /// Meta answered, without a password for this gateway.
    struct CredentialsMissing: Error, CustomStringConvertible {
        var status: String?
        var servers: [String]
        var domain: String
        var description: String {
            "Meta's settings have SIP \(status ?? "not configured") with servers "
                + "[\(servers.joined(separator: ", "))] and no sip_user_password for '\(domain)' or this app: "
                + "enable SIP with server '\(domain)' (`wagate whatsapp apply`, docs/whatsapp-sip-mode.md)"
        }
    }
}
