import ArgumentParser
import Config
import Foundation
import Gateway

/// `wagate check-config FILE`: validate sip.conf and print every problem as
/// `FILE:LINE: message`; exit status 1 when there is any.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a sip.conf file and report every problem as FILE:LINE: message."
    )

    @Argument(help: "Path to sip.conf.")
    var file: String

    @Option(name: .customLong("on"),
            help: "Judge the Graph API version's expiry as of this day (YYYY-MM-DD, UTC) instead of today.")
    var day: String?

    @Flag(name: .customLong("systemd-dropin"),
          help: "Print only the systemd drop-in for this file (CAP_NET_BIND_SERVICE when a port below 1024 is configured).")
    var systemdDropIn = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let date: Date
        if let day {
            guard let parsed = GraphVersion.day(day) else { throw ValidationError("--on expects a day such as 2027-01-21") }
            date = parsed
        } else {
            date = Date()
        }
        let config: GatewayConfig
        do {
            config = try ConfigLoader.load(path: file, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        if systemdDropIn {
            print(config.systemdDropIn(source: file), terminator: "")
            return
        }
        let certificateProblems = MetaSIPStart.certificateProblems(config)
        for problem in certificateProblems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
        if !certificateProblems.isEmpty { throw ExitCode(1) }
        switch GraphVersionCheck.verdict(for: config, on: date) {
        case .fine: break
        case .warning(let text): FileHandle.standardError.write(Data("\(file): warning: \(text)\n".utf8))
        case .refusal(let text):
            FileHandle.standardError.write(Data("\(file): \(text)\n".utf8))
            throw ExitCode(1)
        }
        print("\(file): OK (mode \(config.whatsapp.mode), \(config.users.count) users, "
            + "\(config.trunks.count) trunks, \(config.ringGroups.count) ring groups, "
            + "\(config.numbers.count) business numbers: \(config.numbers.map(\.businessNumber).joined(separator: ", ")))")
    }
}
