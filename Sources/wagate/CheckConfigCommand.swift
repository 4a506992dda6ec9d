import ArgumentParser
import Config
import Foundation

/// `wagate check-config FILE`: validate sip.conf and print every problem as
/// `FILE:LINE: message`; exit status 1 when there is any.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a sip.conf file and report every problem as FILE:LINE: message."
    )

    @Argument(help: "Path to sip.conf.")
    var file: String

    @OptionGroup var global: GlobalOptions

    func run() throws {
        do {
            let config = try ConfigLoader.load(path: file, environment: ProcessInfo.processInfo.environment)
            print("\(file): OK (mode \(config.whatsapp.mode), \(config.users.count) users, "
                + "\(config.trunks.count) trunks, \(config.ringGroups.count) ring groups)")
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
