import ArgumentParser
import Config
import Foundation
import Store

/// `wagate calls`: recent call detail records from the configured database.
struct CallsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls", abstract: "List recent calls (CDRs) from the database in [storage].")

    @Option(name: .shortAndLong, help: "Path to sip.conf. Without it, the sandbox defaults' database.")
    var config: String?

    @Option(name: .shortAndLong, help: "How many calls to show (at most \(CallQuery.maximumLimit)).")
    var limit = 20

    @Option(help: "Only calls set up since this time: ISO 8601 (2026-12-06T10:00:00Z), a date, or an age (30m, 12h, 7d).")
    var since: String?

    @Option(help: "Only calls through this business number (its name in sip.conf or its phone_number_id).")
    var number: String?

    @Option(help: "Only calls from this caller (a +E164, user:NAME, trunk:NAME, or the user behind a trunk).")
    var caller: String?

    @Flag(help: "Only calls that ended without being answered.")
    var failed = false

    @Flag(help: "Print JSON, one record per line.")
    var json = false

    @Flag(help: "Print CSV (RFC 4180) with every column.")
    var csv = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv exclude each other") }
        if let since, CallsCommand.parseSince(since, now: Date()) == nil {
            throw ValidationError("--since \(since): expected ISO 8601, YYYY-MM-DD or an age like 30m, 12h, 7d")
        }
    }

    func run() async throws {
        let logger = global.bootstrapLogging()
        let settings = try ConfigFileLoading.load(config)
        let store = try await GatewayStore.open(try settings.storage.storeSettings(), logger: logger)
        let query = CallQuery(since: since.flatMap { Self.parseSince($0, now: Date()) },
                              phoneNumberID: number.map { settings.number(named: $0)?.phoneNumberID ?? $0 },
                              caller: caller, failedOnly: failed, limit: limit)
        let calls = try await store.calls(matching: query)
        try await store.close()
        if csv {
            print(CallRecordExport.csv(calls), terminator: "")
        } else if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            for call in calls { print(String(decoding: try encoder.encode(call), as: UTF8.self)) }
        } else {
            printTable(calls, settings: settings)
        }
    }

    private func printTable(_ calls: [CallDetailRecord], settings: GatewayConfig) {
        print(Self.row(["setup (UTC)", "dir", "caller", "callee", "number", "answered", "secs", "end", "by",
                        "whatsapp user", "meta recording", "meta transcript", "transfers", "wacid"]))
        for call in calls {
            print(Self.row([
                Self.timestamp(call.setupAt), call.direction, call.sipFromUser.map { "\(call.caller)/\($0)" } ?? call.caller,
                call.callee, call.phoneNumberID.map { settings.number(withID: $0)?.name ?? $0 } ?? "-",
                call.answerAt.map(Self.timestamp) ?? "-", call.duration.map { String(Int($0)) } ?? "-",
                call.endAt == nil ? "in progress" : Self.ending(call), call.endedBy ?? "-",
                Self.whatsAppUser(call), Self.artifact(call.metaRecording), Self.artifact(call.metaTranscription),
                Self.transfers(call), call.wacid ?? "-",
            ]))
        }
    }

    /// How often the call was transferred and who took it last (`2 → user:bob`), or `-`.
    static func transfers(_ call: CallDetailRecord) -> String {
        guard call.transferCount > 0 else { return "-" }
        return call.answeredBy.map { "\(call.transferCount) → \($0)" } ?? String(call.transferCount)
    }

    /// The end reason with the SIP status and Meta's code when there were any (`not_found sip=404`).
    static func ending(_ call: CallDetailRecord) -> String {
        var text = call.endReason ?? "-"
        if let status = call.sipStatus { text += " sip=\(status)" }
        if let code = call.metaErrorCode { text += " wa=\(code)" }
        return text
    }

    /// `--since`: ISO 8601 date-time, a `YYYY-MM-DD` date (UTC midnight), or an age in s, m, h or d.
    static func parseSince(_ text: String, now: Date) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return date }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()), amount >= 0,
              amount <= 36_500 * 86_400 / unit else { return nil }
        return now.addingTimeInterval(-amount * unit)
    }

    /// Every identifier of the call's WhatsApp user: number, BSUID, parent BSUID,
    /// `@username` and the quoted profile name; `-` when none was stored.
    static func whatsAppUser(_ call: CallDetailRecord) -> String {
        let parts = [call.waPhone, call.waBSUID, call.waParentBSUID, call.waUsername.map { "@" + $0 },
                     call.waProfileName.map { "\"\($0)\"" }].compactMap { $0 }
        return parts.isEmpty ? "-" : parts.joined(separator: " ")
    }

    /// A Meta recording or transcript: `requested`, `available:MEDIA_ID`, or `-`
    /// when the call did not ask for it (the URL is in `--json`; it expires in minutes).
    static func artifact(_ columns: MetaArtifactColumns) -> String {
        guard let status = columns.status else { return "-" }
        return columns.mediaID.map { "\(status):\($0)" } ?? status
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime]
        return formatter.string(from: date)
    }

    private static func row(_ fields: [String]) -> String {
        let widths = [19, 8, 16, 16, 10, 19, 5, 14, 8, 24, 26, 26, 0]
        return zip(fields, widths).map { field, width in
            width == 0 ? field : field.padding(toLength: max(width, field.count), withPad: " ", startingAt: 0)
        }.joined(separator: " ")
    }
}
