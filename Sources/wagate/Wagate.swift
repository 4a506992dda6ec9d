import ArgumentParser

/// `wagate`: the SIP ⇄ WhatsApp Business Calling gateway.
@main
struct Wagate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wagate",
        abstract: "A SIP back-to-back user agent bridging SIP phones and PBXs to WhatsApp Business Calling.",
        subcommands: [RunCommand.self, CheckConfigCommand.self, SimulateCommand.self, CallsCommand.self, NumbersCommand.self, WhatsAppCommand.self,
                      VersionCommand.self],
        defaultSubcommand: nil
    )
}
