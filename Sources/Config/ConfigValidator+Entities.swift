// Building `type = user`, `type = trunk` and `type = ringgroup` sections.

import NetTypes

extension ConfigValidator {
    /// Validates a `type = user` section.
    func buildUser(_ reader: SectionReader, names: [String: SectionKind]) -> UserConfig {
        var user = UserConfig(name: reader.name, secret: Secret(""))
        if reader.required("secret") != nil, let secret = secret(reader, "secret") { user.secret = secret }
        if let entry = reader.usable("callerid"), !entry.value.isEmpty {
            if let callerID = CallerID(parsing: entry.value) { user.callerID = callerID } else {
                reader.bad(entry, expected: "a caller id such as '\"Alice\" <1001>'")
            }
        }
        user.policy = buildPolicy(reader)
        user.maxCalls = reader.int("max_calls", default: 2, in: 1...1000)
        user.nat = reader.bool("nat", default: true)
        user.srtp = reader.choice("srtp", default: .optional)
        user.numbers = numberNames(reader, names: names)
        user.permissionCallback = permissionCallback(reader)
        user.webrtc = reader.bool("webrtc", default: false)
        return user
    }

    /// Validates a `type = trunk` section; `businessNumber` is the default `dial`.
    func buildTrunk(_ reader: SectionReader, businessNumber: String, names: [String: SectionKind]) -> TrunkConfig {
        var trunk = TrunkConfig(name: reader.name, host: "", dial: businessNumber)
        trunk.dialIsSet = false
        if let entry = reader.required("host") {
            var host = entry.value
            if host.hasPrefix("["), host.hasSuffix("]"), host.count >= 2 { host = String(host.dropFirst().dropLast()) }
            if Hostname.isValidHost(host) { trunk.host = host } else {
                reader.bad(entry, expected: "an IP address or host name")
            }
        }
        trunk.transport = reader.choice("transport", default: .udp)
        trunk.port = reader.int("port", default: trunk.transport == .tls ? 5061 : 5060, in: 1...65535)
        trunk.match = reader.list("match", expected: "a CIDR block such as '203.0.113.0/24' or an IP address") { CIDR($0) }
        if reader.has("match_port") { trunk.matchPort = reader.int("match_port", default: trunk.port, in: 1...65535) }
        trunk.inboundCredentials = credentials(reader, user: "username", secret: "secret")
        trunk.remoteCredentials = credentials(reader, user: "remote_username", secret: "remote_secret")
        if !reader.has("match"), let address = IPAddress(trunk.host) {
            trunk.match = CIDR(address: address, prefixLength: address.bytes.count * 8).map { [$0] } ?? []
        }
        if trunk.match.isEmpty, !reader.has("match"), !reader.has("username"), !reader.has("secret"), reader.has("host") {
            reader.problem(reader.headerLine, "trunk [\(reader.name)] cannot be recognised: "
                + "host '\(TextScanning.excerpt(trunk.host))' is not an IP address, so set 'match' or 'username' and 'secret'")
        }
        trunk.policy = buildPolicy(reader)
        trunk.maxCalls = reader.int("max_calls", default: 30, in: 1...100_000)
        trunk.inboundStrip = reader.int("inbound_strip", default: 0, in: 0...15)
        trunk.inboundPrefix = dialPrefix(reader, "inbound_prefix")
        trunk.outboundStrip = reader.int("outbound_strip", default: 0, in: 0...15)
        trunk.outboundPrefix = dialPrefix(reader, "outbound_prefix")
        trunk.numbers = numberNames(reader, names: names)
        trunk.permissionCallback = permissionCallback(reader)
        if let entry = reader.usable("dial") {
            if !entry.value.isEmpty, entry.value.utf8.count <= 64,
               entry.value.utf8.allSatisfy({ TextScanning.isAlphanumeric($0, extra: "+-_.*#") }) {
                trunk.dial = entry.value
                trunk.dialIsSet = true
            } else {
                reader.bad(entry, expected: "a SIP user part of letters, digits and + - _ . * #")
            }
        }
        return trunk
    }

    /// Validates a `type = ringgroup` section; members must name users.
    func buildRingGroup(_ reader: SectionReader, names: [String: SectionKind]) -> RingGroupConfig {
        var group = RingGroupConfig(name: reader.name, members: [])
        if reader.required("members") != nil {
            for (member, line) in reader.listItems("members") {
                if group.members.contains(member) {
                    reader.problem(line, "user '\(TextScanning.excerpt(member))' is listed twice in 'members' of [\(reader.name)]")
                    continue
                }
                checkReference(member, expected: .user, names: names, line: line, context: "'members' of [\(reader.name)]")
                group.members.append(member)
            }
            if group.members.isEmpty, let entry = reader.entry("members") {
                reader.bad(entry, expected: "a comma-separated list of users")
            }
        }
        group.strategy = reader.choice("strategy", default: .simultaneous)
        group.memberTimeout = reader.seconds("member_timeout", default: 15, in: 5...300)
        return group
    }

    /// Validates `[inbound]`: targets and routes must name existing sections.
    func buildInbound(_ reader: SectionReader, names: [String: SectionKind], sandboxDefault: InboundTarget?) -> InboundConfig {
        var config = InboundConfig.defaults
        config.target = sandboxDefault
        if let entry = reader.usable("target"), !entry.value.isEmpty {
            config.target = inboundTarget(entry.value, reader: reader, key: "target", line: entry.line, names: names)
        }
        config.routes = inboundRoutes(reader, names: names)
        config.ringTimeout = reader.seconds("ring_timeout", default: 25, in: 5...55)
        return config
    }

    /// The `route = PATTERN TARGET` lines of `reader`, checked.
    func inboundRoutes(_ reader: SectionReader, names: [String: SectionKind]) -> [InboundRoute] {
        var routes: [InboundRoute] = []
        for entry in reader.entries("route") where entry.isUsable {
            for item in entry.value.split(separator: ",").map({ TextScanning.trimmed($0) }) where !item.isEmpty {
                let words = TextScanning.words(item)
                guard words.count == 2, let pattern = NumberPattern(words[0]) else {
                    reader.bad("route", value: item, line: entry.line, expected: "PATTERN TARGET, e.g. '+44* group:uk'")
                    continue
                }
                if let target = inboundTarget(words[1], reader: reader, key: "route", line: entry.line, names: names) {
                    routes.append(InboundRoute(pattern: pattern, target: target))
                }
            }
        }
        return routes
    }

    /// A parsed and checked `user:NAME`, `group:NAME` or `trunk:NAME`.
    func inboundTarget(_ text: String, reader: SectionReader, key: String, line: Int,
                               names: [String: SectionKind]) -> InboundTarget? {
        guard let target = InboundTarget(text) else {
            reader.bad(key, value: text, line: line, expected: "user:NAME, group:NAME or trunk:NAME")
            return nil
        }
        let kind: SectionKind = switch target {
        case .user: .user
        case .group: .ringgroup
        case .trunk: .trunk
        }
        checkReference(target.name, expected: kind, names: names, line: line, context: "'\(key)' of [\(reader.name)]")
        return target
    }

    /// `allow` and `deny` pattern lists.
    private func buildPolicy(_ reader: SectionReader) -> DestinationPolicy {
        let expected = "a number pattern such as '+44*', '+*' or '+14085551234'"
        return DestinationPolicy(
            allow: reader.list("allow", expected: expected) { NumberPattern($0) },
            deny: reader.list("deny", expected: expected) { NumberPattern($0) })
    }

    /// A username/secret pair: both or neither.
    private func credentials(_ reader: SectionReader, user userKey: String, secret secretKey: String) -> Credentials? {
        switch (reader.has(userKey), reader.has(secretKey)) {
        case (true, false):
            reader.problem(reader.line(of: userKey), "'\(userKey)' requires '\(secretKey)' in [\(reader.name)]")
        case (false, true):
            reader.problem(reader.line(of: secretKey), "'\(secretKey)' requires '\(userKey)' in [\(reader.name)]")
        case (true, true):
            guard let user = reader.optionalString(userKey) else {
                if let entry = reader.usable(userKey) { reader.bad(entry, expected: "a user name") }
                return nil
            }
            return secret(reader, secretKey).map { Credentials(username: user, secret: $0) }
        case (false, false):
            break
        }
        return nil
    }

    /// A digit prefix (digits, `+`, `*`, `#`; may be empty).
    func dialPrefix(_ reader: SectionReader, _ key: String) -> String {
        guard let entry = reader.usable(key) else { return "" }
        guard entry.value.utf8.count <= 16, entry.value.utf8.allSatisfy({ (0x30...0x39).contains($0) || "+*#".utf8.contains($0) })
        else {
            reader.bad(entry, expected: "digits, +, * or # (at most 16)")
            return ""
        }
        return entry.value
    }
}
