import CSofiaSIP
import CSofiaShims

extension SofiaRuntime {
    /// The methods a dialog Meta opened accepts: a call's, plus PRACK for the
    /// reliable 183 wagate sends when Meta supports 100rel (RFC 3262).
    static let metaDialogMethods = dialogMethods + ", PRACK"

    /// Logs the `x-wa-meta-call-duration` Meta puts in its BYE on a SIP-mode
    /// number's dialog (Meta's own count of the call's seconds, for comparing
    /// with the CDR). Other dialogs' BYEs are not read.
    func logMetaCallDuration(_ known: UInt64, _ sip: UnsafePointer<sip_t>?) {
        guard case .meta(let number) = dialogPeers[known], let sip else { return }
        let duration = SofiaMessageReader.unknownHeader(sip.pointee.sip_unknown, named: "x-wa-meta-call-duration")
        let callID = sip.pointee.sip_call_id?.pointee.i_id.map { String(cString: $0) } ?? ""
        logger.info("BYE from Meta", metadata: [
            "number": "\(number)", "sip_call_id": "\(callID.prefix(128))",
            "meta_call_duration": "\(duration.map { String($0.prefix(16)) } ?? "-")",
        ])
    }
}
