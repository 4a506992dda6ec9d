import Foundation
import WhatsAppCloud

/// Business-initiated calls: the gateway's INVITE to `sip:+<user>@wa.meta.vc;transport=tls`,
/// checked as Meta checks it, then 180 and 200 (or a failure) as the user behaves.
extension SimulatedMetaSIP {
    /// Admits a new INVITE: Meta's checks, then the core's (permission, limits), then 180.
    func admitBusinessCall(_ invite: SimSIPMessage, on connection: SimulatedMetaSIPConnection) async {
        let callID = invite.value("Call-ID") ?? ""
        admitting.insert(callID)
        defer { admitting.remove(callID) }
        let tag = SimSIPHeaderValue.token()
        let admitted: (number: SimulatedNumber, user: String)
        switch await checkInvite(invite) {
        case .success(let value): admitted = value
        case .failure(let refusal):
            send(refusal.status == 407 ? refusal.message : response(to: invite, refusal.status, refusal.reason, toTag: tag),
                 on: connection)
            return
        }
        let result: (SimulatedCall, String)
        do {
            result = try await core.sipBusinessCall(number: admitted.number, user: admitted.user,
                                                   offer: invite.bodyText, sipCallID: callID)
        } catch {
            logRefusal("simulated Meta SIP refuses a business call", metadata: [
                "sip_call_id": "\(callID)", "status": "\(error.status)",
            ])
            send(response(to: invite, error.status, error.reason, toTag: tag), on: connection)
            return
        }
        let (call, answer) = result
        let contact = SimSIPHeaderValue.uri(of: invite.value("From") ?? "")
        var dialog = SimulatedMetaSIPDialog(wacid: call.id, role: .uas, invite: invite, connection: connection,
                                            localTag: tag, remoteTag: SimSIPHeaderValue.parameter("tag", in: invite.value("From") ?? ""),
                                            remoteTarget: invite.value("Contact").map(SimSIPHeaderValue.uri(of:)) ?? contact,
                                            routeSet: invite.values("Record-Route"))
        dialog.localSDP = answer
        dialogs[callID] = dialog
        sipCallIDs[call.id] = callID
        send(response(to: invite, 180, "Ringing", toTag: tag, extra: dialogHeaders(for: dialog)), on: connection)
        // The user may have answered (or hung up) while the core was deciding.
        for event in earlyEvents.removeValue(forKey: call.id) ?? [] { handle(event) }
        await core.recordSIP(call.id, "gateway_certificate_names", .array(connection.peerNames.withLock { $0 }.map(JSONValue.string)))
        await recordAdmission(of: invite, wacid: call.id)
    }

    /// What the control API shows of an admitted INVITE: its Request-URI and the
    /// credentials that passed (algorithm, `uri`, user name), as a test checks them.
    private func recordAdmission(of invite: SimSIPMessage, wacid: String) async {
        let header = invite.value("Proxy-Authorization") ?? invite.value("Authorization") ?? ""
        let credentials = SimSIPDigestCredentials(header: header)
        await core.recordSIP(wacid, "request_uri", .string(invite.requestURI ?? ""))
        await core.recordSIP(wacid, "digest_algorithm", .string(credentials?["algorithm"] ?? "MD5"))
        await core.recordSIP(wacid, "digest_uri", .string(credentials?["uri"] ?? ""))
        await core.recordSIP(wacid, "digest_username", .string(credentials?["username"] ?? ""))
    }

    /// Records the final status Meta sent to the business's INVITE.
    func recordFinalStatus(_ status: Int, of wacid: String) {
        let core = self.core
        Task { await core.recordSIP(wacid, "final_status", .number(Double(status))) }
    }

    /// Record-Route echoed and Meta's Contact, for 18x and 2xx responses.
    func dialogHeaders(for dialog: SimulatedMetaSIPDialog) -> [(String, String)] {
        let user = SimSIPHeaderValue.userHost(dialog.invite.requestURI ?? "")?.user ?? ""
        return dialog.invite.values("Record-Route").map { ("Record-Route", $0) }
            + [("Contact", "<sip:\(user)@\(localHostPort);transport=tls>"), ("x-wa-meta-wacid", dialog.wacid)]
    }

    /// The user answered: 200 with the user's SDP answer.
    func answerBusinessCall(_ wacid: String) {
        guard let callID = sipCallIDs[wacid], var dialog = dialogs[callID], dialog.role == .uas,
              dialog.finalStatus == nil else { return }
        dialog.finalStatus = 200
        dialog.answeredAt = Date()
        dialogs[callID] = dialog
        recordFinalStatus(200, of: wacid)
        send(response(to: dialog.invite, 200, "OK", toTag: dialog.localTag, extra: dialogHeaders(for: dialog),
                      body: dialog.localSDP), on: dialog.connection)
    }

    /// A refusal of an INVITE: a status, or the whole 407.
    struct Refusal: Error {
        var status: Int
        var reason: String
        var message = SimSIPMessage(start: .response(status: 0, reason: ""))
    }

    /// Meta's checks of an INVITE, in Meta's order: the Request-URI names a
    /// user, the From user a SIP-mode number, digest (407 without credentials,
    /// 403 for a wrong `uri`, user or response), then the From domain.
    func checkInvite(_ invite: SimSIPMessage) async -> Result<(number: SimulatedNumber, user: String), Refusal> {
        let requestURI = invite.requestURI ?? ""
        guard let target = SimSIPHeaderValue.userHost(requestURI), target.user.hasPrefix("+"),
              target.user.dropFirst().allSatisfy(\.isNumber), target.user.count > 1 else {
            return .failure(Refusal(status: 404, reason: "Not Found"))
        }
        let from = SimSIPHeaderValue.userHost(SimSIPHeaderValue.uri(of: invite.value("From") ?? ""))
        let digits = String((from?.user ?? "").filter(\.isNumber))
        guard let number = await core.number(digits: digits), await core.signaling(of: number) == .sip,
              let facts = number.sip else {
            return .failure(Refusal(status: 403, reason: "Forbidden"))
        }
        let algorithm = facts.digestAlgorithm ?? settings.digestAlgorithm
        if let refusal = checkDigest(invite, number: number, password: facts.password, algorithm: algorithm) {
            return .failure(refusal)
        }
        guard from?.host == facts.domain.lowercased() else {
            logRefusal("simulated Meta SIP: From domain is not the number's SIP domain", metadata: [
                "from_host": "\(from?.host ?? "")", "sip_domain": "\(facts.domain)",
            ])
            return .failure(Refusal(status: 403, reason: "Forbidden"))
        }
        return .success((number, String(target.user.dropFirst())))
    }

    private func checkDigest(_ invite: SimSIPMessage, number: SimulatedNumber, password: String,
                             algorithm: SimSIPDigestAlgorithm) -> Refusal? {
        let header = invite.value("Proxy-Authorization") ?? invite.value("Authorization")
        guard let header, let credentials = SimSIPDigestCredentials(header: header) else {
            return challenge(invite, algorithm: algorithm, stale: false)
        }
        let now = Date()
        nonces = nonces.filter { now.timeIntervalSince($0.value.issued) < Self.nonceLifetime }
        guard let nonce = credentials["nonce"], let issued = nonces[nonce] else {
            return challenge(invite, algorithm: algorithm, stale: true)
        }
        let reason: String? = if credentials["uri"] != invite.requestURI {
            "digest uri is not the Request-URI"
        } else if credentials["username"] != number.displayPhoneNumber {
            "digest username is not the business number"
        } else if credentials["realm"] != digest.realm {
            "digest realm is not \(digest.realm)"
        } else if !digest.verify(credentials, password: password, method: "INVITE", algorithm: issued.algorithm) {
            "digest response does not match"
        } else {
            nil
        }
        guard let reason else { return nil }
        logRefusal("simulated Meta SIP refuses credentials", kind: reason, metadata: [
            "reason": "\(reason)", "uri": "\(credentials["uri"] ?? "")", "request_uri": "\(invite.requestURI ?? "")",
        ])
        return Refusal(status: 403, reason: "Forbidden")
    }

    private func challenge(_ invite: SimSIPMessage, algorithm: SimSIPDigestAlgorithm, stale: Bool) -> Refusal {
        if nonces.count >= Self.nonceLimit, let oldest = nonces.min(by: { $0.value.issued < $1.value.issued }) {
            nonces[oldest.key] = nil
        }
        let nonce = SimSIPDigest.hexToken()
        nonces[nonce] = (Date(), algorithm)
        let header = digest.challenge(nonce: nonce, opaque: SimSIPDigest.hexToken(), algorithm: algorithm, stale: stale)
        let message = response(to: invite, 407, "Proxy Authentication Required", toTag: SimSIPHeaderValue.token(),
                               extra: [("Proxy-Authenticate", header)])
        return Refusal(status: 407, reason: "Proxy Authentication Required", message: message)
    }
}
