import ArgumentParser
import Simulator

extension SimulateCommand {
    /// `message --from <user>`: the user writes to the business, which opens
    /// their 24-hour customer service window (a `messages` webhook goes out).
    struct Message: AsyncParsableCommand {
        /// The subcommand's name and help.
        static let configuration = CommandConfiguration(
            abstract: "A WhatsApp user sends the business a text (opens the 24-hour customer service window).")
        /// Where the control API is.
        @OptionGroup var target: Target
        @Option(help: "The user's number, e.g. +447700900123, or a BSUID.") var from: String
        @Option(name: .customLong("to"), help: "The business number written to (+E164 or phone_number_id). Default: the first.")
        var businessNumber: String?
        @Option(help: "The message text (never stored by wagate).") var text = "Hello"

        /// Runs the subcommand.
        func run() async throws {
            try target.print(try await target.client.userMessages(from, text: text, businessNumber: businessNumber))
        }
    }
}
