import CSofiaSIP
import CSofiaShims

extension SofiaRuntime {
    /// The methods a dialog Meta opened accepts: a call's, plus PRACK for the
    /// reliable 183 wagate sends when Meta supports 100rel (RFC 3262).
    static let metaDialogMethods = dialogMethods + ", PRACK"

    /// Meta's `x-wa-meta-wacid` on a response to an INVITE placed to Meta (a
    /// SIP-mode number's dialog); nil on every other dialog, whose peers' headers
    /// mean nothing here.
    func metaWACID(_ known: UInt64, _ sip: UnsafePointer<sip_t>?) -> String? {
        guard case .meta = dialogPeers[known], let sip else { return nil }
        return SofiaMessageReader.unknownHeader(sip.pointee.sip_unknown, named: "x-wa-meta-wacid")
    }

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
