import Foundation
import WhatsAppCloud

/// Requests from the business's SIP server, as Meta answers them: REGISTER 403,
/// OPTIONS 200, re-INVITE 500 and the call torn down, BYE and CANCEL ending the call.
extension SimulatedMetaSIP {
    /// Methods Meta takes.
    static let allow = "INVITE, ACK, CANCEL, BYE, OPTIONS"

    /// A request: one method each.
    func handleRequest(_ request: SimSIPMessage, on connection: SimulatedMetaSIPConnection) {
        guard request.value("Call-ID") != nil, request.cseq != nil, !request.values("Via").isEmpty,
              request.value("From") != nil, request.value("To") != nil else {
            logRefusal("simulated Meta SIP: request without Call-ID, CSeq, Via, From or To dropped")
            return
        }
        switch request.method ?? "" {
        case "INVITE": handleInvite(request, on: connection)
        case "ACK": handleACK(request)
        case "BYE": handleBYE(request, on: connection)
        case "CANCEL": handleCANCEL(request, on: connection)
        case "REGISTER": send(response(to: request, 403, "Forbidden"), on: connection)
        case "OPTIONS": send(response(to: request, 200, "OK", extra: [("Allow", Self.allow)]), on: connection)
        default: send(response(to: request, 405, "Method Not Allowed", extra: [("Allow", Self.allow)]), on: connection)
        }
    }

    /// A response to `request`: its Vias, From, To (with `toTag` unless it has
    /// one), Call-ID and CSeq, then `extra` headers and the SDP `body`.
    func response(to request: SimSIPMessage, _ status: Int, _ reason: String, toTag: String? = nil,
                  extra: [(String, String)] = [], body: String? = nil) -> SimSIPMessage {
        var message = SimSIPMessage(start: .response(status: status, reason: reason))
        for via in request.values("Via") { message.add("Via", via) }
        message.add("From", request.value("From") ?? "")
        let to = request.value("To") ?? ""
        message.add("To", toTag.map { SimulatedMetaSIPDialog.withTag(to, $0) } ?? to)
        message.add("Call-ID", request.value("Call-ID") ?? "")
        message.add("CSeq", request.value("CSeq") ?? "")
        for (name, value) in extra { message.add(name, value) }
        if let body {
            message.add("Content-Type", "application/sdp")
            message.body = Array(body.utf8)
        }
        return message
    }

    /// An INVITE: in a dialog it is a re-INVITE (500, then BYE: Meta supports
    /// none); a retransmission is ignored; else a new business-initiated call.
    private func handleInvite(_ request: SimSIPMessage, on connection: SimulatedMetaSIPConnection) {
        let callID = request.value("Call-ID") ?? ""
        if SimSIPHeaderValue.parameter("tag", in: request.value("To") ?? "") != nil {
            guard var dialog = dialogs[callID] else {
                send(response(to: request, 481, "Call/Transaction Does Not Exist"), on: connection)
                return
            }
            send(response(to: request, 500, "Server Internal Error"), on: connection)
            logger.info("simulated Meta SIP refuses a re-INVITE and ends the call", metadata: ["wacid": "\(dialog.wacid)"])
            dialog.connection = connection
            sendBYE(&dialog)
            finish(dialog, failed: false)
            return
        }
        guard dialogs[callID] == nil, !admitting.contains(callID) else { return }
        send(response(to: request, 100, "Trying"), on: connection)
        guard dialogs.count < Self.dialogLimit else {
            send(response(to: request, 503, "Service Unavailable"), on: connection)
            return
        }
        Task { await self.admitBusinessCall(request, on: connection) }
    }

    private func handleACK(_ request: SimSIPMessage) {
        guard let callID = request.value("Call-ID"), dialogs[callID] != nil else { return }
        Task { await core.recordSIP(dialogs[callID]?.wacid ?? "", "ack_received", true) }
    }

    private func handleBYE(_ request: SimSIPMessage, on connection: SimulatedMetaSIPConnection) {
        guard let dialog = dialogs[request.value("Call-ID") ?? ""] else {
            send(response(to: request, 481, "Call/Transaction Does Not Exist"), on: connection)
            return
        }
        send(response(to: request, 200, "OK"), on: connection)
        logger.info("simulated Meta SIP: the business hung up", metadata: ["wacid": "\(dialog.wacid)"])
        let core = self.core
        Task { await core.recordSIP(dialog.wacid, "bye_from_business", true) }
        finish(dialog, failed: false)
    }

    private func handleCANCEL(_ request: SimSIPMessage, on connection: SimulatedMetaSIPConnection) {
        guard let dialog = dialogs[request.value("Call-ID") ?? ""], dialog.role == .uas else {
            send(response(to: request, 481, "Call/Transaction Does Not Exist"), on: connection)
            return
        }
        send(response(to: request, 200, "OK"), on: connection)
        guard dialog.finalStatus == nil else { return }
        send(response(to: dialog.invite, 487, "Request Terminated", toTag: dialog.localTag), on: dialog.connection)
        recordFinalStatus(487, of: dialog.wacid)
        finish(dialog, failed: true)
    }

    /// Forgets the dialog and tells the core the call ended (no SIP goes out for it).
    func finish(_ dialog: SimulatedMetaSIPDialog, failed: Bool) {
        dialogs[dialog.callID] = nil
        sipCallIDs[dialog.wacid] = nil
        let core = self.core
        let wacid = dialog.wacid
        Task { await core.sipEnded(wacid, failed: failed) }
    }

    /// Sends BYE in the dialog, with Meta's `x-wa-meta-call-duration` (seconds answered).
    func sendBYE(_ dialog: inout SimulatedMetaSIPDialog) {
        var bye = inDialogRequest("BYE", &dialog)
        let seconds = dialog.answeredAt.map { Int(Date().timeIntervalSince($0).rounded()) } ?? 0
        bye.add("x-wa-meta-call-duration", "\(seconds)")
        send(bye, on: dialog.connection)
    }

    /// A request inside `dialog` (RFC 3261 §12.2.1.1): to the remote target, along the route set.
    func inDialogRequest(_ method: String, _ dialog: inout SimulatedMetaSIPDialog) -> SimSIPMessage {
        var request = SimSIPMessage(start: .request(method: method, uri: dialog.remoteTarget))
        request.add("Via", "SIP/2.0/TLS \(localHostPort);branch=z9hG4bK\(SimSIPHeaderValue.token())")
        request.add("Max-Forwards", "70")
        for route in dialog.routeSet { request.add("Route", route) }
        request.add("From", dialog.localParty)
        request.add("To", dialog.remoteParty)
        request.add("Call-ID", dialog.callID)
        dialog.localCSeq += 1
        request.add("CSeq", "\(dialog.localCSeq) \(method)")
        dialogs[dialog.callID] = dialog
        return request
    }
}
