// How every subcommand that takes `--config` reads it.

import ArgumentParser
import Config
import Foundation

/// Loads the configuration a subcommand was given.
enum ConfigFileLoading {
    /// The configuration at `path`, or the sandbox defaults when no path was
    /// given; an invalid file prints its `FILE:LINE` problems on stderr and
    /// exits with status 1.
    static func load(_ path: String?) throws -> GatewayConfig {
        guard let path else { return ConfigLoader.sandboxDefaults() }
        do {
            return try ConfigLoader.load(path: path, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
