// Meta does no mutual TLS: as a client its servers present no certificate, and
// a server that asks for one fails the handshake, so Meta's INVITEs would never
// arrive and nothing would say why. A gateway with SIP-mode numbers therefore
// may verify servers (`tls_verify = server`, the default in cloud mode) but
// never clients.

extension ConfigValidator {
    /// Reports `tls_verify = client | both` at its line when some number is in
    /// SIP mode, naming those numbers.
    func checkMetaSIPClientVerification(_ general: GeneralConfig, numbers: [NumberConfig],
                                        generalReader: SectionReader) {
        guard general.tlsVerification.mode.checksClients else { return }
        let names = numbers.filter { $0.signaling == .sip }.map { "[\($0.name)]" }
        guard !names.isEmpty else { return }
        let mode = general.tlsVerification.mode.rawValue
        let numberWord = names.count == 1 ? "number" : "numbers"
        generalReader.problem(generalReader.line(of: "tls_verify"),
                              "'tls_verify = \(mode)' asks every TLS client for a certificate, but Meta does no "
                                  + "mutual TLS: its calls to the SIP-mode \(numberWord) \(names.joined(separator: ", ")) "
                                  + "would never arrive; use 'server' or 'none'")
    }

    /// `[general] tls_verify` when the file does not set it and a number talks
    /// to Meta's SIP servers in cloud mode: `server`, against the system CA
    /// bundle, so that wagate only speaks to a `wa.meta.vc` that proves its name
    /// (Meta presents a publicly trusted certificate). Sandbox mode keeps `none`:
    /// its Meta is the built-in simulator on this machine. An explicit
    /// `tls_verify` always wins.
    func sipModeTLSVerification(_ reader: SectionReader, general: GeneralConfig, numbers: [NumberConfig],
                                mode: WhatsAppMode) -> TLSVerification {
        guard mode == .cloud, !reader.has("tls_verify"), general.tls != nil,
              numbers.contains(where: { $0.signaling == .sip }),
              FileAccess.readabilityProblem(TLSVerification.systemBundle) == nil else { return general.tlsVerification }
        return TLSVerification(mode: .server, caFile: TLSVerification.systemBundle)
    }
}
