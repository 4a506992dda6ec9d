import ArgumentParser
import Config
import Foundation
import Gateway
import WhatsAppCloud

/// `wagate whatsapp apply [NUMBER] [--dry-run]`: shows how Meta's calling
/// settings differ from sip.conf, then POSTs only the differing fields. With no
/// difference nothing is sent ("no changes"), so running it twice is harmless.
struct WhatsAppApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Push the calling settings of sip.conf to Meta (POST /{phone-number-id}/settings), showing the difference first.")

    @OptionGroup var target: WhatsAppTargetOptions

    @Flag(name: .customLong("dry-run"), help: "Show the difference and the request body, but send nothing.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.bootstrapLogging()
        let (config, targets) = try target.load()
        let failed = try await WhatsAppTargetOptions.withHTTPClient { http in
            var failed = false
            for number in targets {
                let client = WhatsAppNumberInspector.client(for: number, config: config, httpClient: http, logger: logger)
                if await !apply(number, client: client, config: config) { failed = true }
            }
            return failed
        }
        if failed { throw ExitCode(1) }
    }

    /// Applies one number; false when it could not be read or changed.
    private func apply(_ number: WhatsAppNumberTarget, client: GraphClient, config: GatewayConfig) async -> Bool {
        print("number \(number.label) (phone number id \(number.phoneNumberID))")
        let current: CallingSettings
        do {
            current = try await client.callingSettings()
        } catch {
            print("  error: the calling settings could not be read: \(error)")
            if case .transport? = error as? WhatsAppCloudError { print("  hint: \(WhatsAppTargetOptions.unreachableHint(config))") }
            return false
        }
        let desired = number.desiredCallingSettings
        let differences = CallingSettingsComparer.differences(desired: desired, current: current)
        guard let update = CallingSettingsComparer.update(desired: desired, current: current) else {
            print("  no changes: Meta's settings match sip.conf")
            return true
        }
        print("  differences:")
        for difference in differences { print("    \(difference)") }
        let body = (try? GraphJSON.encoder.encode(PhoneNumberSettings(calling: update))).map { String(decoding: $0, as: UTF8.self) }
        print("  POST /\(number.phoneNumberID)/settings \(body ?? "")")
        if dryRun {
            print("  dry run: nothing sent")
            return true
        }
        do {
            try await client.updateCallingSettings(update)
            let after = try await client.callingSettings()
            let left = CallingSettingsComparer.differences(desired: desired, current: after)
            print(left.isEmpty ? "  applied: Meta's settings now match sip.conf"
                : "  applied, but Meta still differs: " + left.map(\.description).joined(separator: "; "))
            return left.isEmpty
        } catch {
            print("  error: Meta refused the settings: \(error)")
            return false
        }
    }
}
