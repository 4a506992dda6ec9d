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

    @Option(name: .shortAndLong, help: "How many calls to show.")
    var limit = 20

    @Flag(help: "Print JSON, one record per line.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.bootstrapLogging()
        let settings = try ConfigFileLoading.load(config)
        let store = try await SQLiteStore.open(StoreSettings(location: .file(path: settings.storage.databasePath)),
                                               logger: logger)
        let calls = try await store.recentCalls(limit: limit)
        try await store.close()
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            for call in calls { print(String(decoding: try encoder.encode(call), as: UTF8.self)) }
            return
        }
        print(Self.row(["setup (UTC)", "dir", "caller", "callee", "number", "answered", "secs", "end", "by",
                        "whatsapp user", "meta recording", "meta transcript", "wacid"]))
        for call in calls {
            print(Self.row([
                Self.timestamp(call.setupAt), call.direction, call.caller, call.callee,
                call.phoneNumberID.map { settings.number(withID: $0)?.name ?? $0 } ?? "-",
                call.answerAt.map(Self.timestamp) ?? "-", call.duration.map { String(Int($0)) } ?? "-",
                call.endAt == nil ? "in progress" : (call.endReason ?? "-"), call.endedBy ?? "-",
                Self.whatsAppUser(call), Self.artifact(call.metaRecording), Self.artifact(call.metaTranscription),
                call.wacid ?? "-",
            ]))
        }
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
