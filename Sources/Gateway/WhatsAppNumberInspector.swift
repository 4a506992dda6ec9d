public import AsyncHTTPClient
public import Config
public import Foundation
public import Logging
public import WhatsAppCloud

/// What one business number looks like at Meta compared with sip.conf: the
/// facts, the findings (what would break calls) and the settings differences.
public struct NumberSettingsReport: Sendable {
    /// The number.
    public let target: WhatsAppNumberTarget
    /// What Meta said.
    public let facts: CallingHealthFacts
    /// Most severe first.
    public let findings: [CallingFinding]
    /// Where Meta differs from sip.conf (empty when the settings could not be read).
    public let differences: [CallingSettingsDifference]

    /// Whether a finding says calls fail.
    public var breaksCalls: Bool { findings.contains { $0.severity == .critical } }
}

/// Reads a number's settings, subscriptions and restrictions from Meta (or the
/// sandbox simulator) and judges them; shared by `wagate whatsapp status|apply`
/// and the start-up check, so both say the same thing.
public enum WhatsAppNumberInspector {
    /// The Graph base URL: Meta's, or in sandbox mode the simulator at `simulator_listen`.
    public static func baseURL(_ config: GatewayConfig) -> String {
        let whatsapp = config.whatsapp
        guard whatsapp.mode == .sandbox else { return whatsapp.graphURL }
        return "http://\(whatsapp.simulatorListen.host):\(whatsapp.simulatorListen.port)"
    }

    /// A Graph client acting for `target`.
    public static func client(for target: WhatsAppNumberTarget, config: GatewayConfig, httpClient: HTTPClient,
                              logger: Logger) -> GraphClient {
        GraphClient(settings: GraphClientSettings(
            baseURL: baseURL(config), apiVersion: config.whatsapp.graphVersion, phoneNumberID: target.phoneNumberID,
            accessToken: target.accessToken.reveal(), requestTimeout: config.whatsapp.requestTimeout),
            httpClient: httpClient, logger: logger)
    }

    /// Asks Meta about `target` and judges the answers as of `now`.
    public static func inspect(_ target: WhatsAppNumberTarget, config: GatewayConfig, client: GraphClient,
                               now: Date = Date()) async -> NumberSettingsReport {
        let facts = await client.callingHealthFacts(wabaID: target.wabaID, appID: config.settingsAppID,
                                                    appSecret: config.whatsapp.appSecret.reveal())
        let differences = facts.settings.map {
            CallingSettingsComparer.differences(desired: target.desiredCallingSettings, current: $0)
        } ?? []
        // Meta's SIP interface being on is a fault only for a number wagate signals through Graph.
        let usesGraph = config.numbers.first { $0.phoneNumberID == target.phoneNumberID }?.signaling != .sip
        return NumberSettingsReport(target: target, facts: facts,
                                    findings: CallingHealth.findings(facts, usesGraph: usesGraph, now: now),
                                    differences: differences)
    }
}

extension WhatsAppNumberTarget {
    /// The `calling` object sip.conf wants Meta to have; unmanaged fields are nil.
    public var desiredCallingSettings: CallingSettings {
        var settings = CallingSettings()
        settings.status = desired.status?.rawValue.uppercased()
        settings.callIconVisibility = desired.callIconVisibility?.rawValue.uppercased()
        settings.callIcons = desired.callIconCountries.map { .init(restrictToUserCountries: $0) }
        settings.callbackPermissionStatus = desired.callbackPermission?.rawValue.uppercased()
        settings.callHours = desired.callHours.map(Self.metaHours)
        settings.audio = .init(additionalCodecs: additionalCodecs.map(\.metaCodecName))
        return settings
    }

    private static func metaHours(_ hours: CallHoursConfig) -> CallHours {
        guard hours.enforced else { return CallHours(status: "DISABLED") }
        return CallHours(
            status: "ENABLED", timezoneID: hours.timezoneID,
            weeklyOperatingHours: hours.weekly.map {
                .init(dayOfWeek: $0.day, openTime: CallHoursConfig.metaTime($0.open),
                      closeTime: CallHoursConfig.metaTime($0.close))
            },
            holidaySchedule: hours.holidays.isEmpty ? nil : hours.holidays.map {
                .init(date: $0.date, startTime: CallHoursConfig.metaTime($0.start), endTime: CallHoursConfig.metaTime($0.end))
            })
    }
}

extension Codec {
    /// Meta's name in `audio.additional_codecs` (`PCMA`, `PCMU`) for a G.711 law.
    var metaCodecName: String { self == .pcma ? "PCMA" : "PCMU" }
}
