// The answer to a configuration reload, for the log, the admin API and tests.

import Config

/// What a reload did: applied, nothing to do, or refused with the file's
/// problems. Encodes as JSON with snake_case keys, e.g.
/// `{"outcome":"applied","file":"/etc/wagate/sip.conf","applied":["users"],
/// "restart_required":["general.listen"],"errors":[]}`.
public struct ReloadReport: Sendable, Codable, Equatable {
    /// How a reload ended.
    public enum Outcome: String, Sendable, Codable {
        /// Live values changed and are in force for new calls.
        case applied
        /// The file was valid and no live value differs (restart-only keys may).
        case unchanged
        /// The file was unreadable or invalid; the running configuration stays.
        case refused
    }

    /// How the reload ended.
    public var outcome: Outcome
    /// The file re-read; nil when the gateway runs on built-in defaults.
    public var file: String?
    /// Sections whose live values changed (`users`, `trunks`, `ringgroups`,
    /// `numbers`, `dialplan`, `inbound`, `general`, `whatsapp`).
    public var applied: [String]
    /// `section.key` of changed values that take effect only after a restart;
    /// the running values stay.
    public var restartRequired: [String]
    /// `FILE:LINE: message` for each problem when refused.
    public var errors: [String]

    /// Creates a report.
    public init(outcome: Outcome, file: String?, applied: [String] = [], restartRequired: [String] = [],
                errors: [String] = []) {
        self.outcome = outcome
        self.file = file
        self.applied = applied
        self.restartRequired = restartRequired
        self.errors = errors
    }

    /// True unless the file was refused.
    public var succeeded: Bool { outcome != .refused }

    enum CodingKeys: String, CodingKey {
        case outcome, file, applied
        case restartRequired = "restart_required"
        case errors
    }
}
