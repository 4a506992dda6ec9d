// Building [general]: listeners, NAT, RTP ports, TLS files, auth and timers.

extension ConfigValidator {
    /// Validates `[general]`.
    func buildGeneral(_ reader: SectionReader) -> GeneralConfig {
        let defaults = GeneralConfig.defaults
        let listeners = buildListeners(reader)
        let external = reader.optionalString("external_address")
        if let external, !Hostname.isValidHost(external), let entry = reader.entry("external_address") {
            reader.bad(entry, expected: "an IP address or host name")
        }
        let localNetworks = reader.list(
            "local_networks", expected: "a CIDR block such as '192.168.0.0/16' or 'fd00::/8'") { CIDR($0) }
        let realm = reader.string("realm", default: defaults.realm)
        if let entry = reader.usable("realm"), realm.isEmpty || !realm.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x22 }) {
            reader.bad(entry, expected: "a non-empty word without spaces or quotes")
        }
        let userAgent = reader.string("user_agent", default: defaults.userAgent)
        if let entry = reader.usable("user_agent"), userAgent.isEmpty || userAgent.contains(where: { $0.isNewline }) {
            reader.bad(entry, expected: "non-empty text")
        }
        let echo = reader.has("echo_extension") ? reader.optionalString("echo_extension") : defaults.echoExtension
        if let echo, let entry = reader.usable("echo_extension"),
           !echo.utf8.allSatisfy({ TextScanning.isAlphanumeric($0, extra: "*#+") }) || echo.utf8.count > 32 {
            reader.bad(entry, expected: "digits, letters, * and # (or nothing to disable)")
        }
        let minSE = reader.int("min_se", default: 90, in: 90...86400, unit: "seconds")
        let sessionTimer = reader.int("session_timer", default: 1800, in: 0...86400, unit: "seconds")
        if sessionTimer != 0, sessionTimer < minSE {
            reader.problem(firstSetLine(reader, "session_timer", "min_se"),
                           "session_timer (\(sessionTimer) s) must be 0 or at least min_se (\(minSE) s) in [\(reader.name)]")
        }
        let maxFailures = reader.int("auth_max_failures", default: 5, in: 0...1000)
        let portRange = buildPortRange(reader)
        // Absent: as many calls as the RTP range has ports for (see
        // `GeneralConfig.callsFitting`); an explicit 0 still means unlimited.
        let maxCalls = reader.has("max_calls")
            ? reader.int("max_calls", default: 0, in: 0...100_000) : GeneralConfig.callsFitting(portRange)
        let expires = buildRegistrationExpires(reader)
        var general = GeneralConfig(
            listeners: listeners, externalAddress: external, localNetworks: localNetworks,
            rtpPortRange: portRange, realm: realm, tls: buildTLS(reader, listeners: listeners),
            userAgent: userAgent, echoExtension: echo,
            nonceLifetime: reader.seconds("nonce_lifetime", default: 300, in: 1...86400),
            authMaxFailures: maxFailures == 0 ? nil : maxFailures,
            authFailureWindow: reader.seconds("auth_failure_window", default: 60, in: 1...86400),
            authLockoutTime: reader.seconds("auth_lockout_time", default: 300, in: 1...86400),
            optionsKeepalive: reader.optionalSeconds("options_keepalive", default: 0, in: 0...3600),
            sessionTimer: sessionTimer == 0 ? nil : .seconds(sessionTimer), minSE: .seconds(minSE),
            registrationMinExpires: .seconds(expires.min), registrationMaxExpires: .seconds(expires.max),
            registrationDefaultExpires: .seconds(expires.default),
            earlyMedia: reader.choice("early_media", default: defaults.earlyMedia),
            maxCalls: maxCalls == 0 ? nil : maxCalls,
            drainTime: reader.seconds("drain_time", default: 30, in: 0...3600))
        let algorithms = reader.list("auth_algorithms", expected: "md5 or sha-256") {
            DigestAlgorithmName(rawValue: TextScanning.asciiLowercased($0))
        }
        if reader.has("auth_algorithms") && !algorithms.isEmpty { general.authAlgorithms = algorithms }
        general.overload = buildOverload(reader)
        general.logging = buildLogging(reader)
        general.tlsVerification = buildTLSVerification(reader, hasTLS: general.tls != nil)
        general.ringbackTone = reader.choice("ringback_tone", default: general.ringbackTone)
        general.echoAnswerDelay = .milliseconds(
            reader.int("echo_answer_delay", default: 0, in: 0...60_000, unit: "milliseconds"))
        return general
    }

    /// `listen`: repeatable and comma-separated `TRANSPORT:HOST:PORT` items.
    private func buildListeners(_ reader: SectionReader) -> [SIPListener] {
        guard reader.has("listen") else { return GeneralConfig.defaults.listeners }
        var listeners: [SIPListener] = []
        for (item, line) in reader.listItems("listen") {
            guard let listener = SIPListener.parse(item) else {
                reader.bad("listen", value: item, line: line,
                           expected: "TRANSPORT:IP:PORT with transport udp, tcp or tls, e.g. 'udp:0.0.0.0:5060' or 'tls:[::]:5061'")
                continue
            }
            if listeners.contains(listener) {
                reader.problem(line, "duplicate listener '\(listener)' in [\(reader.name)]")
                continue
            }
            if listener.transport.isStreamBased,
               let other = listeners.first(where: { $0.transport.isStreamBased && $0.address == listener.address }) {
                reader.problem(line, "listener '\(listener)' conflicts with '\(other)': "
                    + "both need TCP port \(listener.address.port) on \(listener.address.host)")
                continue
            }
            listeners.append(listener)
        }
        if listeners.isEmpty, let entry = reader.entry("listen"), entry.isUsable, TextScanning.commaList(entry.value).isEmpty {
            reader.bad(entry, expected: "at least one listener such as 'udp:0.0.0.0:5060'")
        }
        return listeners
    }

    /// `rtp_port_range`: `START-END`, even start, start < end, within 1024–65535.
    private func buildPortRange(_ reader: SectionReader) -> ClosedRange<Int> {
        let fallback = GeneralConfig.defaults.rtpPortRange
        guard let entry = reader.usable("rtp_port_range") else { return fallback }
        let parts = entry.value.split(separator: "-", omittingEmptySubsequences: false).map { TextScanning.trimmed($0) }
        guard parts.count == 2, let start = TextScanning.decimal(parts[0]), let end = TextScanning.decimal(parts[1]),
              start >= 1024, end <= 65535, start < end, start % 2 == 0
        else {
            reader.bad(entry, expected: "START-END with an even START below END, both within 1024-65535, e.g. '10000-20000'")
            return fallback
        }
        return start...end
    }

    /// `tls_certificate` and `tls_private_key`: both or neither, required by a
    /// tls listener, each readable now.
    private func buildTLS(_ reader: SectionReader, listeners: [SIPListener]) -> TLSFiles? {
        let certificate = reader.path("tls_certificate", baseDirectory: baseDirectory)
        let key = reader.path("tls_private_key", baseDirectory: baseDirectory)
        if let certificate, let entry = reader.entry("tls_certificate") { checkReadable(certificate, entry: entry) }
        if let key, let entry = reader.entry("tls_private_key") { checkReadable(key, entry: entry) }
        let needsTLS = listeners.contains { $0.transport == .tls }
        for (name, value) in [("tls_certificate", certificate), ("tls_private_key", key)] where value == nil {
            if needsTLS, reader.entry(name)?.isUsable != false {
                reader.problem(reader.entry(name)?.line ?? reader.headerLine,
                               "missing required key '\(name)' in [\(reader.name)] (required by a tls listener)")
            } else if !needsTLS, certificate != nil || key != nil {
                let other = name == "tls_certificate" ? "tls_private_key" : "tls_certificate"
                reader.problem(reader.line(of: other), "'\(other)' requires '\(name)' in [\(reader.name)]")
            }
        }
        guard let certificate, let key else { return nil }
        return TLSFiles(certificatePath: certificate, privateKeyPath: key)
    }

    /// The three registration expiry settings, min ≤ default ≤ max.
    private func buildRegistrationExpires(_ reader: SectionReader) -> (min: Int, max: Int, default: Int) {
        let minimum = reader.int("registration_min_expires", default: 60, in: 1...86400, unit: "seconds")
        let maximum = reader.int("registration_max_expires", default: 3600, in: 1...604_800, unit: "seconds")
        let standard = reader.int("registration_default_expires", default: 600, in: 1...604_800, unit: "seconds")
        if minimum > maximum {
            reader.problem(firstSetLine(reader, "registration_min_expires", "registration_max_expires"),
                           "registration_min_expires (\(minimum) s) must not exceed "
                               + "registration_max_expires (\(maximum) s) in [\(reader.name)]")
        } else if !(minimum...maximum).contains(standard) {
            reader.problem(firstSetLine(reader, "registration_default_expires", "registration_max_expires", "registration_min_expires"),
                           "registration_default_expires (\(standard) s) must be between "
                               + "registration_min_expires (\(minimum) s) and registration_max_expires (\(maximum) s) in [\(reader.name)]")
        }
        return (minimum, maximum, standard)
    }
}
