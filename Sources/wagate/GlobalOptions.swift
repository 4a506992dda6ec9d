public import ArgumentParser
import Config
import Gateway
import Logging

/// Options every subcommand accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .long, help: "Log line format: text or json (overrides [general] log_format).")
    var logFormat: LogFormat?

    /// Installs a stderr log handler at the chosen level and returns a root
    /// logger. `configured` is the file's `log_format`; `--log-format` wins.
    func bootstrapLogging(configured: LogFormat = .text) -> Logger {
        let level = logLevel
        let format = logFormat ?? configured
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: "wagate")
    }
}

// swift-format-ignore: AvoidRetroactiveConformances
// --log-level parses straight into swift-log's level; neither ArgumentParser nor
// swift-log can declare this conformance, so the executable does.
extension Logger.Level: @retroactive ExpressibleByArgument {}

// --log-format parses straight into the config's enum; Config does not depend
// on ArgumentParser, so the executable declares the conformance.
extension LogFormat: ExpressibleByArgument {}
