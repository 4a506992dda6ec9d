// Helpers shared by the Config tests: fixture paths and one-line parsing.

@testable import Config

/// Paths and parse shortcuts for the tests.
enum TestSupport {
    /// The directory of this source file.
    static let testsDirectory: String = {
        let path = #filePath
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }()

    /// `sip.conf.example` at the package root.
    static var examplePath: String { testsDirectory + "/../../sip.conf.example" }

    /// A file in `Fixtures/`.
    static func fixture(_ name: String) -> String { testsDirectory + "/Fixtures/" + name }

    /// Parses `text` as `sip.conf` with relative paths under `/nonexistent`.
    static func parse(_ text: String, environment: [String: String] = [:],
                      baseDirectory: String = "/nonexistent") throws(ConfigError) -> GatewayConfig {
        try ConfigLoader.parse(text: text, file: "sip.conf", environment: environment, baseDirectory: baseDirectory)
    }

    /// The problems `text` produces, as `FILE:LINE: message` strings (empty when it is valid).
    static func problems(_ text: String, environment: [String: String] = [:],
                         baseDirectory: String = "/nonexistent") -> [String] {
        do {
            _ = try parse(text, environment: environment, baseDirectory: baseDirectory)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// A small valid configuration: one listener and user `alice`.
    static let minimal = """
        [general]
        listen = udp:127.0.0.1:5060

        [alice]
        type = user
        secret = alice-secret
        allow = +*
        """
}
