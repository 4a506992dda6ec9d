// Which keys each kind of section accepts, and which of them may repeat.
// The single source of truth for "unknown key" and "duplicate key" checks.

/// The kinds of section a configuration file may contain.
enum SectionKind: String, CaseIterable {
    /// `[general]`.
    case general
    /// `[http]`.
    case http
    /// `[whatsapp]`.
    case whatsapp
    /// `[media]`.
    case media
    /// `[storage]`.
    case storage
    /// `[dialplan]`.
    case dialplan
    /// `[inbound]`.
    case inbound
    /// `[onboarding]`.
    case onboarding
    /// `[admin]`.
    case admin
    /// `[webphone]`.
    case webphone
    /// `[transfer]`.
    case transfer
    /// `[cluster]`.
    case cluster
    /// A `type = user` section.
    case user
    /// A `type = trunk` section.
    case trunk
    /// A `type = ringgroup` section.
    case ringgroup
    /// A `type = number` section: a WhatsApp business number.
    case number

    /// The section names with a fixed meaning (no `type` key).
    static let reserved: [SectionKind] = [.general, .http, .whatsapp, .media, .storage, .dialplan, .inbound, .onboarding, .admin, .webphone,
                                          .transfer, .cluster]

    /// The values `type` may take.
    static let entityTypes: [SectionKind] = [.user, .trunk, .ringgroup, .number]

    /// True for `type = …` sections.
    var isEntity: Bool { Self.entityTypes.contains(self) }

    /// Every key valid in this kind of section, in documentation order.
    var keys: [String] {
        switch self {
        case .general:
            ["listen", "external_address", "local_networks", "rtp_port_range", "realm", "tls_certificate",
             "tls_private_key", "tls_verify", "tls_ca_file", "tls_client_names", "user_agent", "echo_extension", "echo_answer_delay", "auth_algorithms", "nonce_lifetime", "auth_max_failures",
             "auth_failure_window", "auth_lockout_time", "options_keepalive", "session_timer", "min_se",
             "registration_min_expires", "registration_max_expires", "registration_default_expires",
             "early_media", "ringback_tone", "max_calls", "drain_time", "log_format", "sip_trace",
             "source_invite_rate", "source_register_rate", "trunk_invite_rate", "call_attempt_rate"]
        case .http:
            ["listen", "webhook_path", "tls_certificate", "tls_private_key"]
        case .whatsapp:
            ["mode", "graph_url", "graph_version", "phone_number_id", "business_number", "access_token",
             "app_secret", "verify_token", "request_timeout", "send_permission_request",
             "permission_request_text", "dtls_role", "additional_codecs", "simulator_listen", "simulator_media",
             "simulator_sip_listen", "simulator_sip_certificate", "simulator_sip_private_key"]
                + ConfigValidator.graphResilienceKeys + ["waba_id", "app_id"] + ConfigValidator.callingSettingsKeys
                + ConfigValidator.metaCaptureKeys
                + ConfigValidator.permissionTemplateKeys + ConfigValidator.metaSIPKeys
        case .media:
            ["codecs", "ptime", "opus_complexity", "opus_bitrate", "opus_fec", "opus_source_band", "jitter_buffer_min",
             "jitter_buffer_max", "rtp_timeout", "symmetric_rtp", "strict_rtp", "rtp_probation", "recording", "recording_path", "dtmf",
             "admission_max_busy"]
        case .storage:
            ["database", "cdr_retention_days", "webhook_body_retention", "webhook_retention", "retention_interval",
             "max_size_mb", "postgres"]
        case .cluster:
            ["node_id", "node_url", "secret", "heartbeat", "lease"]
        case .dialplan:
            ["international_prefix", "national_prefix", "default_country_code"]
        case .inbound:
            ["target", "route", "ring_timeout"]
        case .onboarding:
            ["bind", "allow_insecure_bind", "token", "encryption_key", "app_id", "config_id", "sdk_url",
             "dialog_origin", "registration_pin", "inbound_target"]
        case .admin:
            ["bind", "allow_insecure_bind", "token"]
        case .webphone:
            ConfigValidator.webPhoneKeys
        case .transfer:
            ConfigValidator.transferKeys
        case .user:
            ["type", "secret", "callerid", "allow", "deny", "max_calls", "nat", "srtp", "numbers", "permission_callback", "webrtc"]
                + ConfigValidator.metaCaptureKeys
        case .trunk:
            ["type", "host", "port", "transport", "match", "match_port", "username", "secret", "remote_username",
             "remote_secret", "allow", "deny", "max_calls", "inbound_strip", "inbound_prefix", "outbound_strip",
             "outbound_prefix", "dial", "numbers", "permission_callback"]
        case .ringgroup:
            ["type", "members", "strategy", "member_timeout"]
        case .number:
            ["type", "phone_number_id", "business_number", "waba_id", "access_token", "inbound_target", "route",
             "max_calls", "call_rate", "additional_codecs", "dial_prefix"] + ConfigValidator.callingSettingsKeys
                + ConfigValidator.metaCaptureKeys
                + ConfigValidator.permissionTemplateKeys + ConfigValidator.metaSIPKeys
        }
    }

    /// Keys that may appear more than once; their values accumulate. Every
    /// other key may appear once.
    var repeatableKeys: Set<String> {
        switch self {
        case .general: ["listen", "local_networks"]
        case .inbound: ["route"]
        case .user: ["allow", "deny"]
        case .trunk: ["allow", "deny", "match"]
        case .whatsapp: ["call_hours", "call_holiday", "permission_template_component"]
        case .number: ["route", "call_hours", "call_holiday", "permission_template_component"]
        case .webphone: ["allowed_origins", "trusted_proxies"]
        case .http, .media, .storage, .dialplan, .ringgroup, .onboarding, .admin, .transfer, .cluster: []
        }
    }

    /// The word used in messages: `user`, `trunk`, `ring group`, or the section name.
    var noun: String {
        self == .ringgroup ? "ring group" : rawValue
    }
}
