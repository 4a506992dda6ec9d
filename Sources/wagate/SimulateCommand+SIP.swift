import ArgumentParser
import Foundation
import Simulator

extension SimulateCommand {
    /// `wagate simulate serve`'s options for the SIP-mode Meta (docs/whatsapp-setup.md).
    struct SIPOptions: ParsableArguments {
        @Option(help: "Run the SIP-mode Meta: its TLS listener HOST:PORT (port 0 picks one), e.g. 127.0.0.1:15061.")
        var sipListen: String?
        @Option(name: .customLong("sip-number"),
                help: "A number in SIP mode: PHONE_NUMBER_ID:SIP_DOMAIN:PASSWORD[:DTLS|SDES]. Repeatable.")
        var sipNumbers: [String] = []
        @Option(help: "Where user-initiated INVITEs go: HOST:PORT of the gateway's TLS listener (default: the number's SIP server).")
        var sipGateway: String?
        @Option(help: "The digest algorithm of Meta's 407: SHA-256 (default) or MD5.") var sipDigest = "SHA-256"
        @Option(help: "PEM certificate chain of the listener (default: a self-signed one for wa.meta.vc).")
        var sipCertificate: String?
        @Option(help: "PEM private key of --sip-certificate.") var sipPrivateKey: String?
        @Flag(help: "Verify the gateway's TLS certificate (default: record it, accept anything).")
        var sipVerifyGateway = false
        @Flag(help: "Send calls webhooks for SIP-mode calls too (Meta may).") var sipCallWebhooks = false

        /// Puts the options into `settings`.
        func apply(to settings: inout MetaSimulatorSettings) throws {
            guard let sipListen else { return }
            let (host, port) = try Self.hostPort(sipListen, option: "--sip-listen")
            guard let algorithm = SimSIPDigestAlgorithm(rawValue: sipDigest.uppercased()) else {
                throw ValidationError("--sip-digest must be SHA-256 or MD5")
            }
            var sip = SimulatedMetaSIPSettings(enabled: true, host: host, port: port, digestAlgorithm: algorithm)
            sip.verifyGatewayCertificate = sipVerifyGateway
            sip.callWebhooks = sipCallWebhooks
            if let sipGateway { (sip.gatewayHost, sip.gatewayPort) = try Self.hostPort(sipGateway, option: "--sip-gateway") }
            if let path = sipCertificate { sip.certificatePEM = try String(contentsOfFile: path, encoding: .utf8) }
            if let path = sipPrivateKey { sip.privateKeyPEM = try String(contentsOfFile: path, encoding: .utf8) }
            settings.metaSIP = sip
            for text in sipNumbers { try Self.apply(number: text, to: &settings) }
        }

        private static func apply(number text: String, to settings: inout MetaSimulatorSettings) throws {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (3...4).contains(parts.count), !parts[1].isEmpty, !parts[2].isEmpty,
                  let srtp = SimulatedSRTPKeyExchange(rawValue: parts.count == 4 ? parts[3].uppercased() : "DTLS") else {
                throw ValidationError("--sip-number must be PHONE_NUMBER_ID:SIP_DOMAIN:PASSWORD[:DTLS|SDES]")
            }
            let facts = SimulatedNumberSIP(domain: parts[1], password: parts[2], srtp: srtp)
            if parts[0] == settings.phoneNumberID {
                settings.primarySignaling = .sip
                settings.primarySIP = facts
            } else if let index = settings.additionalNumbers.firstIndex(where: { $0.phoneNumberID == parts[0] }) {
                settings.additionalNumbers[index].signaling = .sip
                settings.additionalNumbers[index].sip = facts
            } else {
                throw ValidationError("--sip-number names \(parts[0]), which is not a simulated number")
            }
        }

        private static func hostPort(_ text: String, option: String) throws -> (String, Int) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                  (0...65535).contains(port), colon != text.startIndex else {
                throw ValidationError("\(option) must be HOST:PORT")
            }
            return (String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
        }
    }
}
