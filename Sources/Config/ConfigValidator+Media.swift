// Building [media]: codecs, packetisation, Opus, jitter buffer and recording.

extension ConfigValidator {
    /// Validates `[media]`.
    func buildMedia(_ reader: SectionReader) -> MediaConfig {
        var config = MediaConfig.defaults
        if reader.has("codecs") { config.codecs = buildCodecs(reader) }
        if let entry = reader.usable("ptime") {
            if let ptime = TextScanning.decimal(entry.value), [10, 20, 30, 40].contains(ptime) {
                config.ptime = .milliseconds(ptime)
            } else {
                reader.bad(entry, expected: "one of 10, 20, 30, 40 (milliseconds)")
            }
        }
        config.opusComplexity = reader.int("opus_complexity", default: 5, in: 0...10)
        config.opusBitrate = reader.int("opus_bitrate", default: 24000, in: 6000...510_000, unit: "bits per second")
        config.opusFEC = reader.bool("opus_fec", default: true)
        config.opusSourceBand = reader.bool("opus_source_band", default: true)
        let jitterMin = reader.int("jitter_buffer_min", default: 20, in: 0...1000, unit: "milliseconds")
        let jitterMax = reader.int("jitter_buffer_max", default: 200, in: 0...1000, unit: "milliseconds")
        if jitterMin > jitterMax {
            reader.problem(firstSetLine(reader, "jitter_buffer_min", "jitter_buffer_max"),
                           "jitter_buffer_min (\(jitterMin) ms) must not exceed jitter_buffer_max (\(jitterMax) ms) in [\(reader.name)]")
        } else {
            config.jitterBufferMin = .milliseconds(jitterMin)
            config.jitterBufferMax = .milliseconds(jitterMax)
        }
        config.rtpTimeout = reader.optionalSeconds("rtp_timeout", default: 30, in: 0...3600)
        config.symmetricRTP = reader.bool("symmetric_rtp", default: true)
        buildMediaSources(reader, into: &config)
        buildRecording(reader, into: &config)
        config.dtmf = reader.choice("dtmf", default: config.dtmf)
        let busy = reader.int("admission_max_busy", default: 85, in: 1...100, unit: "percent")
        config.admissionMaxBusy = busy == 100 ? nil : Double(busy) / 100
        return config
    }

    /// `codecs`: a comma list of known codec names, each at most once.
    private func buildCodecs(_ reader: SectionReader) -> [Codec] {
        var codecs: [Codec] = []
        let names = Codec.allCases.map(\.rawValue)
        for (item, line) in reader.listItems("codecs") {
            guard let codec = Codec(name: item) else {
                reader.bad("codecs", value: item, line: line,
                           expected: "one of pcmu, pcma, g722, opus (or ulaw, alaw)" + Suggestion.didYouMean(item, among: names))
                continue
            }
            if codecs.contains(codec) {
                reader.problem(line, "codec '\(codec)' is listed twice in 'codecs' of [\(reader.name)]")
                continue
            }
            codecs.append(codec)
        }
        if codecs.isEmpty, let entry = reader.usable("codecs"), TextScanning.commaList(entry.value).isEmpty {
            reader.bad(entry, expected: "at least one of pcmu, pcma, g722, opus")
        }
        return codecs.isEmpty ? MediaConfig.defaults.codecs : codecs
    }
}
