// A number's signalling is restart-only. SIP mode is bound to what the gateway
// sets up at start: the TLS listener whose certificate was checked against
// `sip_domain`, the SIP layer's recognition of Meta (`sip_host` resolved once,
// `sip_source_networks`, `sip_inbound_auth`) and the password fetched from
// Meta when `sip_password` is absent. So a reload keeps each number's running
// `signaling` and SIP-mode settings, names every changed key as needing a
// restart, and applies the number's other keys as usual.

extension ConfigReloadPlan {
    /// `loaded`'s numbers with the running signalling kept. A number that
    /// becomes SIP-mode by the reload is left out until a restart; a SIP-mode
    /// number the file dropped keeps running. A loaded SIP-mode number without
    /// `sip_password` keeps the password fetched at start. Changed keys go to
    /// `restart` as `SECTION.KEY`.
    static func mergeSignaling(running: [NumberConfig], loaded: [NumberConfig],
                               restart: inout [String]) -> [NumberConfig] {
        var merged: [NumberConfig] = []
        for var number in loaded {
            guard let old = running.first(where: { $0.name == number.name }) else {
                if number.signaling == .sip { restart.append(section(of: number) + ".signaling") } else { merged.append(number) }
                continue
            }
            if number.metaSIP?.password == nil, old.metaSIP != nil { number.metaSIP?.password = old.metaSIP?.password }
            restart += changedKeys(running: old, loaded: number).map { section(of: number) + "." + $0 }
            number.signaling = old.signaling
            number.metaSIP = old.metaSIP
            merged.append(number)
        }
        for old in running where old.signaling == .sip && !loaded.contains(where: { $0.name == old.name }) {
            restart.append(section(of: old) + ".signaling")
            merged.append(old)
        }
        return merged
    }

    /// The signalling keys whose values differ between two versions of one number.
    private static func changedKeys(running: NumberConfig, loaded: NumberConfig) -> [String] {
        guard running.signaling == loaded.signaling else { return ["signaling"] }
        guard let old = running.metaSIP, let new = loaded.metaSIP else { return [] }
        return ConfigFieldDiff(old, new).changed.map { metaSIPKey[$0] ?? $0 }
    }

    /// The config-file key of each ``MetaSIPConfig`` property.
    private static let metaSIPKey = [
        "host": "sip_host", "port": "sip_port", "domain": "sip_domain", "username": "sip_username",
        "password": "sip_password", "srtp": "srtp", "sourceNetworks": "sip_source_networks",
        "inboundAuth": "sip_inbound_auth",
    ]

    /// The section a number's keys are in: its own, or `[whatsapp]` for the implicit number.
    private static func section(of number: NumberConfig) -> String {
        number.name == NumberConfig.implicitName ? "whatsapp" : number.name
    }
}
