import ArgumentParser
import Gateway

/// `wagate version`: print the version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("wagate \(WagateVersion.string)")
    }
}
