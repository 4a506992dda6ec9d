// Meta does no mutual TLS: as a client its servers present no certificate, and
// a server that asks for one fails the handshake, so Meta's INVITEs would never
// arrive and nothing would say why. A gateway with SIP-mode numbers therefore
// may verify servers (`tls_verify = server`) but never clients.

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
}
