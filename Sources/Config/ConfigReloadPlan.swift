// What a re-read sip.conf changes in a running gateway, decided once here so
// every swap point applies the same configuration.
//
// Live (the next call, registration or authentication uses the new values;
// calls in progress keep what they started with): users, trunks, ring groups,
// config-file numbers (but their signalling: see ConfigReloadPlan+MetaSIP), `[dialplan]`, `[inbound]`, `[transfer]`, `[webphone]` but its
// `path` and `enabled`, and the per-call settings of
// `[general]` and `[whatsapp]` listed in `liveGeneral()` and
// `liveWhatsApp()`. Everything else (listeners and binds, the RTP port
// range, TLS files, `[http]`, `[storage]`, `[media]`, `[onboarding]`, `[admin]`, Graph
// endpoints and credentials of `[whatsapp]`) is bound to sockets, threads or
// files opened at start: a change is named as needing a restart and the
// running value stays, as Kamailio's `cfg.set` and Asterisk's `module reload`
// leave bind addresses to a restart.

/// The outcome of comparing the running configuration with a newly loaded one.
public struct ConfigReloadPlan: Sendable, Equatable {
    /// The configuration to run from now on: the loaded one, with every
    /// restart-only value kept as it runs.
    public var effective: GatewayConfig
    /// Sections whose live values changed (`users`, `trunks`, `ringgroups`,
    /// `numbers`, `dialplan`, `inbound`, `transfer`, `webphone`, `general`, `whatsapp`), in that order.
    public var applied: [String]
    /// `section.key` of every changed value that needs a restart, in file-section order.
    public var restartRequired: [String]

    /// A value of a section applied live: its property name and how to copy it.
    typealias LiveField<Section> = (name: String, copy: (inout Section, Section) -> Void)

    /// The `[general]` values applied live (the next call uses them).
    static func liveGeneral() -> [LiveField<GeneralConfig>] {
        [live("echoExtension", \.echoExtension), live("echoAnswerDelay", \.echoAnswerDelay),
         live("earlyMedia", \.earlyMedia), live("ringbackTone", \.ringbackTone), live("maxCalls", \.maxCalls)]
    }

    /// The `[whatsapp]` values applied live (the next call or permission request uses them).
    static func liveWhatsApp() -> [LiveField<WhatsAppConfig>] {
        [live("sendPermissionRequest", \.sendPermissionRequest),
         live("permissionRequestText", \.permissionRequestText),
         live("permissionTemplate", \.permissionTemplate), live("calling", \.calling),
         live("metaCapture", \.metaCapture)]
    }

    private static func live<S, T>(_ name: String, _ path: WritableKeyPath<S, T>) -> LiveField<S> {
        (name, { $0[keyPath: path] = $1[keyPath: path] })
    }

    /// `running` with the live fields taken from `loaded`; the changed
    /// restart-only property names go to `restart` as `section.key`.
    private static func merge<S>(_ section: String, running: S, loaded: S, fields: [LiveField<S>],
                                 applied: inout [String], restart: inout [String]) -> S {
        let changed = ConfigFieldDiff(running, loaded).changed
        let names = Set(fields.map(\.name))
        var merged = running
        for field in fields { field.copy(&merged, loaded) }
        if changed.contains(where: names.contains) { applied.append(section) }
        restart += changed.filter { !names.contains($0) }.map { section + "." + ConfigFieldDiff<S>.key($0) }
        return merged
    }

    /// Compares `running` with `loaded`.
    public init(running: GatewayConfig, loaded: GatewayConfig) {
        var effective = running
        var applied: [String] = []
        var restart: [String] = []
        func take<T: Equatable>(_ path: WritableKeyPath<GatewayConfig, T>, _ name: String) {
            guard running[keyPath: path] != loaded[keyPath: path] else { return }
            effective[keyPath: path] = loaded[keyPath: path]
            applied.append(name)
        }
        take(\.users, "users")
        take(\.trunks, "trunks")
        take(\.ringGroups, "ringgroups")
        let numbers = Self.mergeSignaling(running: running.numbers, loaded: loaded.numbers, restart: &restart)
        if numbers != running.numbers {
            effective.numbers = numbers
            applied.append("numbers")
        }
        take(\.dialplan, "dialplan")
        take(\.inbound, "inbound")
        take(\.transfer, "transfer")
        effective.webphone = Self.mergeWebPhone(running: running.webphone, loaded: loaded.webphone,
                                                applied: &applied, restart: &restart)
        effective.general = Self.merge("general", running: running.general, loaded: loaded.general,
                                       fields: Self.liveGeneral(), applied: &applied, restart: &restart)
        effective.whatsapp = Self.merge("whatsapp", running: running.whatsapp, loaded: loaded.whatsapp,
                                        fields: Self.liveWhatsApp(), applied: &applied, restart: &restart)
        restart += ConfigFieldDiff(running.http, loaded.http).changed.map { "http." + ConfigFieldDiff<HTTPConfig>.key($0) }
        restart += ConfigFieldDiff(running.media, loaded.media).changed.map { "media." + ConfigFieldDiff<MediaConfig>.key($0) }
        restart += ConfigFieldDiff(running.storage, loaded.storage).changed.map { "storage." + ConfigFieldDiff<StorageConfig>.key($0) }
        if running.onboarding != loaded.onboarding { restart.append("onboarding") }
        if running.admin != loaded.admin { restart.append("admin") }
        self.effective = effective
        self.applied = applied
        self.restartRequired = restart
    }

    /// `[webphone]`: every key applies to the next login and the sessions' next
    /// step, except `path` and `enabled`, which the listener's routes are built from.
    private static func mergeWebPhone(running: WebPhoneConfig, loaded: WebPhoneConfig,
                                      applied: inout [String], restart: inout [String]) -> WebPhoneConfig {
        let fields: [LiveField<WebPhoneConfig>] = [
            live("tokenLifetime", \.tokenLifetime), live("maxSessionsPerUser", \.maxSessionsPerUser),
            live("reconnectGrace", \.reconnectGrace), live("allowedOrigins", \.allowedOrigins),
            live("trustedProxies", \.trustedProxies), live("permissionWatch", \.permissionWatch),
        ]
        return merge("webphone", running: running, loaded: loaded, fields: fields, applied: &applied, restart: &restart)
    }

    /// True when nothing differs.
    public var isEmpty: Bool { applied.isEmpty && restartRequired.isEmpty }
}
