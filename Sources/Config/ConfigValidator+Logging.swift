// Building the log settings of [general].

extension ConfigValidator {
    /// `log_format` and `sip_trace` from `[general]`.
    func buildLogging(_ reader: SectionReader) -> LoggingConfig {
        let defaults = LoggingConfig()
        return LoggingConfig(format: reader.choice("log_format", default: defaults.format),
                             sipTrace: reader.bool("sip_trace", default: defaults.sipTrace))
    }
}
