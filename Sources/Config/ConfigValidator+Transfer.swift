// Building [transfer]: whether and how calls may be transferred.

extension ConfigValidator {
    /// The keys `[transfer]` accepts, in documentation order.
    static let transferKeys = ["enabled", "from_trunks", "ring_timeout", "fallback", "extension_trunk",
                               "internal_calls", "notify_progress"]

    /// Validates `[transfer]` (defaults when absent); names are checked against `names`.
    func buildTransfer(_ reader: SectionReader, names: [String: SectionKind]) -> TransferConfig {
        var config = TransferConfig.defaults
        config.enabled = reader.bool("enabled", default: config.enabled)
        config.fromTrunks = reader.bool("from_trunks", default: config.fromTrunks)
        config.ringTimeout = reader.seconds("ring_timeout", default: 30, in: 5...300)
        config.internalCalls = reader.bool("internal_calls", default: config.internalCalls)
        config.notifyProgress = reader.bool("notify_progress", default: config.notifyProgress)
        if let entry = reader.usable("fallback"), !entry.value.isEmpty {
            config.fallback = transferFallback(entry, reader: reader, names: names) ?? config.fallback
        }
        if let entry = reader.usable("extension_trunk"), !entry.value.isEmpty {
            checkReference(entry.value, expected: .trunk, names: names, line: entry.line,
                           context: "'extension_trunk' of [\(reader.name)]")
            config.extensionTrunk = entry.value
        }
        return config
    }

    /// A parsed `fallback` whose target names an existing entity of its kind.
    private func transferFallback(_ entry: RawEntry, reader: SectionReader,
                                  names: [String: SectionKind]) -> TransferFallback? {
        guard let fallback = TransferFallback(entry.value) else {
            reader.bad("fallback", value: entry.value, line: entry.line,
                       expected: "return, none, user:NAME, group:NAME or trunk:NAME")
            return nil
        }
        if case .target(let target) = fallback {
            _ = inboundTarget(target.description, reader: reader, key: "fallback", line: entry.line, names: names)
        }
        return fallback
    }
}
