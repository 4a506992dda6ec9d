// The entry point: read sip.conf (or take its text), parse, validate, and
// either return a GatewayConfig or throw one ConfigError listing every problem.

/// Loads and validates `sip.conf`. The only reader of the file and of the
/// environment in the program.
public enum ConfigLoader {
    /// Reads, parses and validates the file at `path`.
    ///
    /// Relative paths in the file resolve against the file's directory. A file
    /// that cannot be read gives one problem at line 0 with the OS reason.
    public static func load(path: String, environment: [String: String]) throws(ConfigError) -> GatewayConfig {
        let bytes: [UInt8]
        switch FileAccess.readAll(path) {
        case .success(let content):
            bytes = content
        case .failure(let error):
            throw ConfigError(problems: [ConfigProblem(file: path, line: 0, message: "cannot read configuration file: \(error.reason)")])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return try parse(text: text, file: path, environment: environment, baseDirectory: TextScanning.directory(of: path))
    }

    /// Parses and validates configuration `text`. `file` names it in problems
    /// and becomes ``GatewayConfig/sourceFile``; relative paths resolve
    /// against `baseDirectory`. TLS files named in it are checked readable.
    public static func parse(text: String, file: String, environment: [String: String],
                             baseDirectory: String) throws(ConfigError) -> GatewayConfig {
        let log = ProblemLog(file: file)
        let sections = INIParser(environment: environment, log: log).parse(text)
        let config = ConfigValidator(file: file, baseDirectory: baseDirectory, log: log).validate(sections)
        guard log.isEmpty else { throw ConfigError(problems: log.problems) }
        return config
    }

    /// What `wagate run` uses without `--config`: sandbox mode, SIP on
    /// `udp:127.0.0.1:5060` and `tcp:127.0.0.1:5060`, HTTP on `127.0.0.1:8080`,
    /// users `alice` and `bob` (secrets `alice-secret` and `bob-secret`, each
    /// allowed to call any number), and inbound calls ringing `user:alice`.
    /// Every other value is its documented default; the database is
    /// `wagate.sqlite` in the working directory.
    public static func sandboxDefaults() -> GatewayConfig {
        var general = GeneralConfig.defaults
        general.listeners = [SIPTransport.udp, .tcp].map {
            SIPListener(transport: $0, address: SocketAddressSpec(host: "127.0.0.1", port: 5060))
        }
        let anyNumber = DestinationPolicy(allow: [.prefix("+")])
        var config = GatewayConfig(
            general: general,
            users: [
                UserConfig(name: "alice", secret: Secret("alice-secret"), policy: anyNumber),
                UserConfig(name: "bob", secret: Secret("bob-secret"), policy: anyNumber),
            ],
            sourceFile: nil)
        config.inbound.target = .user("alice")
        return config
    }
}
