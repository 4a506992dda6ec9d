import Foundation
import WhatsAppCloud

/// User-initiated calls: Meta's INVITE to the business's SIP server, in the
/// shape integrators capture (`Call-ID: outgoing:wacid.…`, `X-FB-External-Domain`,
/// `x-wa-meta-wacid`, two Record-Routes the 200 must echo), and its responses.
extension SimulatedMetaSIP {
    /// User `user` calls SIP-mode number `businessNumber` (nil: the first):
    /// connects (or reuses the connection) to the business's SIP server and sends the INVITE.
    func placeUserCall(_ user: String, name: String?, businessNumber: String?) async throws -> SimulatedCall {
        let (call, number) = try await core.sipUserCall(user, name: name, businessNumber: businessNumber)
        let server = await core.callingSettings(of: number).sip?.servers?.first
        guard let domain = server?.hostname ?? number.sip?.domain else {
            await core.sipEnded(call.id, failed: true)
            throw SimulatorError.badRequest("number \(number.displayPhoneNumber) has no SIP server")
        }
        let host = settings.gatewayHost ?? domain
        let port = settings.gatewayPort ?? server?.port ?? 5061
        let connection: SimulatedMetaSIPConnection
        do {
            connection = try await self.connection(toHost: host, port: port, serverName: domain)
        } catch {
            await core.sipEnded(call.id, failed: true)
            throw SimulatorError.badRequest("cannot reach the business's SIP server \(host):\(port): \(error)")
        }
        let invite = userInvite(call, number: number, domain: domain, port: server?.port, name: name)
        let dialog = SimulatedMetaSIPDialog(wacid: call.id, role: .uac, invite: invite, connection: connection,
                                            localTag: SimSIPHeaderValue.parameter("tag", in: invite.value("From") ?? "") ?? "",
                                            remoteTarget: invite.requestURI ?? "", routeSet: [])
        dialogs[dialog.callID] = dialog
        sipCallIDs[call.id] = dialog.callID
        await core.recordSIP(call.id, "call_id", .string(dialog.callID))
        send(invite, on: connection)
        logger.info("simulated Meta SIP: user calls the business", metadata: [
            "wacid": "\(call.id)", "sip_call_id": "\(dialog.callID)", "target": "\(host):\(port)",
        ])
        return try await core.call(call.id)
    }

    /// Meta's INVITE for a user's call.
    func userInvite(_ call: SimulatedCall, number: SimulatedNumber, domain: String, port: Int?,
                    name: String?) -> SimSIPMessage {
        let portPart = port.map { $0 == 5061 ? "" : ":\($0)" } ?? ""
        let business = "sip:+\(number.displayPhoneNumber)@\(domain)\(portPart)"
        var invite = SimSIPMessage(start: .request(method: "INVITE", uri: "\(business);transport=tls"))
        invite.add("Via", "SIP/2.0/TLS \(localHostPort);branch=z9hG4bK\(SimSIPHeaderValue.token())")
        invite.add("Max-Forwards", "70")
        for edge in ["edge-1", "edge-2"] {
            invite.add("Record-Route", "<sip:\(localHostPort);transport=tls;lr;wa=\(edge)>")
        }
        let display = name.map { "\"\($0.filter { $0 != "\"" && $0 != "\\" })\" " } ?? ""
        invite.add("From", "\(display)<sip:+\(call.user)@\(SimSIPDigest.metaRealm)>;tag=\(SimSIPHeaderValue.token())")
        invite.add("To", "<\(business)>")
        invite.add("Call-ID", "outgoing:\(call.id)")
        invite.add("CSeq", "1 INVITE")
        invite.add("Contact", "<sip:+\(call.user)@\(localHostPort);transport=tls>")
        invite.add("Allow", Self.allow)
        invite.add("X-FB-External-Domain", SimSIPDigest.metaRealm)
        invite.add("x-wa-meta-wacid", call.id)
        invite.add("Content-Type", "application/sdp")
        invite.body = Array((call.userSDP ?? "").utf8)
        return invite
    }

    /// A response to one of Meta's requests.
    func handleResponse(_ response: SimSIPMessage) {
        guard let callID = response.value("Call-ID"), var dialog = dialogs[callID], let status = response.status,
              let cseq = response.cseq else { return }
        guard cseq.method == "INVITE", dialog.role == .uac else { return }
        if let tag = SimSIPHeaderValue.parameter("tag", in: response.value("To") ?? "") { dialog.remoteTag = tag }
        switch status {
        case 100: return
        case 101...199:
            if !response.body.isEmpty && !dialog.mediaStarted {
                dialog.mediaStarted = true
                startMedia(dialog.wacid, sdp: response.bodyText)
                // What a test checks of early media: the 18x that carried the answer, and whether it was reliable.
                let (core, wacid, reliable) = (self.core, dialog.wacid, response.value("RSeq") != nil)
                Task {
                    await core.recordSIP(wacid, "early_sdp_status", .number(Double(status)))
                    await core.recordSIP(wacid, "early_sdp_reliable", .bool(reliable))
                }
            }
            dialogs[callID] = dialog
        case 200...299: accepted(response, &dialog)
        default:
            send(ack(for: dialog, response: response, branch: dialog.invite.value("Via")), on: dialog.connection)
            let wacid = dialog.wacid
            Task { await core.recordSIP(wacid, "final_status", .number(Double(status))) }
            finish(dialog, failed: true)
        }
    }

    private func accepted(_ response: SimSIPMessage, _ dialog: inout SimulatedMetaSIPDialog) {
        if dialog.answeredAt == nil {
            dialog.answeredAt = Date()
            dialog.finalStatus = response.status
            dialog.remoteTarget = response.value("Contact").map(SimSIPHeaderValue.uri(of:)) ?? dialog.remoteTarget
            dialog.routeSet = response.values("Record-Route").reversed()
            dialogs[dialog.callID] = dialog
            let echoed = response.values("Record-Route") == dialog.invite.values("Record-Route")
            let names = dialog.connection.peerNames.withLock { $0 }
            let (core, wacid, sdp) = (self.core, dialog.wacid, response.bodyText)
            Task {
                await core.recordSIP(wacid, "record_routes_echoed", .bool(echoed))
                await core.recordSIP(wacid, "gateway_certificate_names", .array(names.map(JSONValue.string)))
                await core.sipUserCallAccepted(wacid, sdp: sdp)
            }
        }
        send(ack(for: dialog, response: response, branch: nil), on: dialog.connection)
    }

    /// The ACK of the INVITE: for a 2xx a new transaction along the route set, for
    /// a failure the INVITE's own branch (RFC 3261 §13.2.2.4, §17.1.1.3).
    private func ack(for dialog: SimulatedMetaSIPDialog, response: SimSIPMessage, branch: String?) -> SimSIPMessage {
        let success = (response.status ?? 0) < 300
        var ack = SimSIPMessage(start: .request(method: "ACK", uri: success ? dialog.remoteTarget : dialog.invite.requestURI ?? ""))
        ack.add("Via", branch ?? "SIP/2.0/TLS \(localHostPort);branch=z9hG4bK\(SimSIPHeaderValue.token())")
        ack.add("Max-Forwards", "70")
        if success { for route in dialog.routeSet { ack.add("Route", route) } }
        ack.add("From", dialog.invite.value("From") ?? "")
        ack.add("To", response.value("To") ?? "")
        ack.add("Call-ID", dialog.callID)
        ack.add("CSeq", "\(dialog.invite.cseq?.number ?? 1) ACK")
        return ack
    }

    /// An early SDP (18x): the user's media connects, silent until the 200.
    private func startMedia(_ wacid: String, sdp: String) {
        let core = self.core
        Task { await core.media.connect(callID: wacid, remoteSDP: sdp) }
    }

    /// The core's events for SIP calls.
    func handle(_ event: SimulatedSIPCallEvent) {
        if !admitting.isEmpty, sipCallIDs[event.wacid] == nil {
            // An INVITE is being admitted: the event may be for its call; kept until it is.
            if earlyEvents.count >= Self.dialogLimit { earlyEvents.removeAll() }
            earlyEvents[event.wacid, default: []].append(event)
            return
        }
        switch event {
        case .answered(let wacid): answerBusinessCall(wacid)
        case .rejected(let wacid, let busy): rejectBusinessCall(wacid, busy: busy)
        case .ended(let wacid): endedByUser(wacid)
        }
    }

    private func rejectBusinessCall(_ wacid: String, busy: Bool) {
        guard let callID = sipCallIDs[wacid], var dialog = dialogs[callID], dialog.finalStatus == nil else { return }
        dialog.finalStatus = busy ? 486 : 603
        dialogs[callID] = dialog
        send(response(to: dialog.invite, busy ? 486 : 603, busy ? "Busy Here" : "Decline", toTag: dialog.localTag),
             on: dialog.connection)
        recordFinalStatus(busy ? 486 : 603, of: wacid)
    }

    /// The user hung up or the call timed out: 480 to a ringing INVITE, CANCEL of
    /// an unanswered INVITE of Meta's, else BYE.
    private func endedByUser(_ wacid: String) {
        guard let callID = sipCallIDs.removeValue(forKey: wacid), var dialog = dialogs.removeValue(forKey: callID) else { return }
        switch (dialog.role, dialog.answeredAt) {
        case (.uas, nil) where dialog.finalStatus == nil:
            send(response(to: dialog.invite, 480, "Temporarily Unavailable", toTag: dialog.localTag), on: dialog.connection)
            recordFinalStatus(480, of: wacid)
        case (.uac, nil):
            var cancel = SimSIPMessage(start: .request(method: "CANCEL", uri: dialog.invite.requestURI ?? ""))
            for name in ["Via", "Max-Forwards", "From", "To", "Call-ID"] { cancel.add(name, dialog.invite.value(name) ?? "") }
            cancel.add("CSeq", "\(dialog.invite.cseq?.number ?? 1) CANCEL")
            send(cancel, on: dialog.connection)
            // The 487 still arrives and is ACKed while the dialog is remembered.
            dialogs[callID] = dialog
        case (_, .some):
            sendBYE(&dialog)
            dialogs[callID] = nil
        default:
            break
        }
    }
}
