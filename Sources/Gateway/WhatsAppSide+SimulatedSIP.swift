import Config
import Foundation
import Simulator

/// Sandbox: the simulator's SIP-mode Meta plays Meta's SIP servers for the
/// numbers configured with `signaling = sip`.
extension WhatsAppSide {
    /// The simulator's SIP settings: on when some number is in SIP mode, at
    /// `[whatsapp] simulator_sip_listen` with `simulator_sip_certificate`/`_private_key`
    /// when given (else a certificate made at start); user calls go to the
    /// gateway's `tls:` listener.
    static func simulatedMetaSIP(_ config: GatewayConfig) -> SimulatedMetaSIPSettings {
        let whatsapp = config.whatsapp
        var settings = SimulatedMetaSIPSettings(enabled: config.numbers.contains { $0.signaling == .sip },
                                                host: whatsapp.simulatorSIPListen.host,
                                                port: whatsapp.simulatorSIPListen.port)
        if let identity = whatsapp.simulatorSIPIdentity {
            // Readable at load (the config check); a file gone since is a made-up certificate.
            settings.certificatePEM = try? String(contentsOfFile: identity.certificatePath, encoding: .utf8)
            settings.privateKeyPEM = try? String(contentsOfFile: identity.privateKeyPath, encoding: .utf8)
        }
        if let tls = config.general.listeners.first(where: { $0.transport == .tls }) {
            settings.gatewayHost = ["0.0.0.0", "::"].contains(tls.address.host) ? "127.0.0.1" : tls.address.host
            settings.gatewayPort = tls.address.port
        }
        return settings
    }

    /// A number's signalling and SIP-mode facts as the simulator holds them;
    /// a number without a `sip_password` gets a password made up at start.
    static func simulatedSIP(of number: NumberConfig) -> (SimulatedSignaling, SimulatedNumberSIP?) {
        guard number.signaling == .sip, let sip = number.metaSIP else { return (.graph, nil) }
        let srtp: SimulatedSRTPKeyExchange = sip.srtp == .sdes ? .sdes : .dtls
        let password = sip.password?.reveal() ?? String(UInt64.random(in: 1_000_000_000...UInt64.max), radix: 36)
        return (.sip, SimulatedNumberSIP(domain: sip.domain, password: password, srtp: srtp))
    }
}
