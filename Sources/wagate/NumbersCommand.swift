import ArgumentParser
import AsyncHTTPClient
import Config
import Foundation
import WhatsAppCloud

/// `wagate numbers` and `wagate numbers remove ID`: the business numbers the
/// running gateway serves, asked of its onboarding listener (`[onboarding] bind`,
/// with its `token`), so the list includes numbers onboarded at runtime.
struct NumbersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers", abstract: "List the business numbers the running gateway serves (config and onboarded).",
        subcommands: [List.self, Remove.self], defaultSubcommand: List.self)

    /// `wagate numbers [list]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the numbers served.")
        @Option(name: .shortAndLong, help: "Path to sip.conf (its [onboarding] bind and token are used).")
        var config: String?
        @Flag(help: "Print the API's JSON answer.") var json = false

        func run() async throws {
            let (status, body) = try await NumbersCommand.call(delete: false, "/onboarding/numbers", configPath: config)
            guard status == 200 else { throw NumbersCommand.failure(status, body) }
            if json { print(String(decoding: body, as: UTF8.self)); return }
            struct Answer: Decodable { var numbers: [ListedNumber] }
            let numbers = try JSONDecoder().decode(Answer.self, from: body).numbers
            print(["name", "business number", "phone number id", "waba id", "source"].joined(separator: "\t"))
            for number in numbers {
                print([number.name, number.businessNumber, number.phoneNumberID, number.wabaID ?? "-",
                       number.source.rawValue].joined(separator: "\t"))
            }
        }
    }

    /// `wagate numbers remove ID`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Stop serving an onboarded number and forget it (config-file numbers stay).")
        @Argument(help: "The number's phone_number_id.") var phoneNumberID: String
        @Option(name: .shortAndLong, help: "Path to sip.conf (its [onboarding] bind and token are used).")
        var config: String?

        func run() async throws {
            guard (1...32).contains(phoneNumberID.utf8.count), phoneNumberID.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw ValidationError("the phone_number_id must be 1-32 digits")
            }
            let (status, body) = try await NumbersCommand.call(delete: true, "/onboarding/numbers/\(phoneNumberID)",
                                                               configPath: config)
            guard status == 204 else { throw NumbersCommand.failure(status, body) }
            print("removed \(phoneNumberID)")
        }
    }

    /// One request to the onboarding listener; a clear error when it is not running.
    static func call(delete: Bool, _ path: String, configPath: String?) async throws -> (Int, Data) {
        let settings = try ConfigFileLoading.load(configPath)
        guard let onboarding = settings.onboarding else {
            throw ValidationError("the configuration has no [onboarding] section: there is no onboarding listener to ask")
        }
        let host = ["0.0.0.0", "::"].contains(onboarding.bind.host) ? "127.0.0.1" : onboarding.bind.host
        let base = host.contains(":") ? "http://[\(host)]:\(onboarding.bind.port)" : "http://\(host):\(onboarding.bind.port)"
        var request = HTTPClientRequest(url: base + path)
        request.method = delete ? .DELETE : .GET
        request.headers.add(name: "Authorization", value: "Bearer \(onboarding.token.reveal())")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), Data(body.readableBytesView))
        } catch {
            throw ValidationError("the gateway's onboarding listener at \(base) does not answer (is wagate running?): \(error)")
        }
    }

    /// The API's error text as a command failure.
    static func failure(_ status: Int, _ body: Data) -> ValidationError {
        let text = (try? JSONDecoder().decode([String: String].self, from: body))?["error"]
            ?? String(decoding: body.prefix(200), as: UTF8.self)
        return ValidationError("the gateway answered \(status): \(text)")
    }
}
