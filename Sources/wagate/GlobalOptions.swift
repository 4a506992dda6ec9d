public import ArgumentParser
import Logging

/// Options every subcommand accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// Installs a stderr log handler at the chosen level and returns a root logger.
    func bootstrapLogging() -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "wagate")
    }
}

// swift-format-ignore: AvoidRetroactiveConformances
// --log-level parses straight into swift-log's level; neither ArgumentParser nor
// swift-log can declare this conformance, so the executable does.
extension Logger.Level: @retroactive ExpressibleByArgument {}
