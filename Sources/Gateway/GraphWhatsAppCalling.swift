import CallControl
import Foundation
import Logging
import WhatsAppCloud

/// Call control's `WhatsAppCalling` over the Graph API clients, one per business
/// number (its phone_number_id and access token, one shared HTTP client). Numbers
/// arrive as +E164 and go to Meta as digits; errors become `WhatsAppFailure`. Every
/// request's outcome feeds the Graph circuit breaker (one per app: Meta's outages
/// are app-wide).
struct GraphWhatsAppCalling: WhatsAppCalling {
    let graphs: [WhatsAppNumberID: GraphClient]
    var timings: SetupTimings?
    var circuit: GraphCircuit?

    /// The client of `number`; a number not configured fails without a request.
    private func client(_ number: WhatsAppNumberID) throws(WhatsAppFailure) -> GraphClient {
        guard let graph = graphs[number] else {
            throw WhatsAppFailure.unexpectedResponse("business number \(number) is not configured")
        }
        return graph
    }

    func callPermission(for user: WhatsAppUser, number: WhatsAppNumberID, context: CallLogContext)
        async throws(WhatsAppFailure) -> CallPermission {
        let graph = try client(number)
        let permissions = try await perform { try await graph.callPermissions(userWaID: Self.digits(user.address)) }
        let status: CallPermission.Status = switch permissions.permission.status {
        case .noPermission: .noPermission
        case .temporary: .temporary
        case .permanent: .permanent
        }
        let expiration = permissions.permission.expirationTime.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        return CallPermission(status: status, expiration: expiration, canRequestPermission: permissions.canRequestPermission)
    }

    func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                 context: CallLogContext) async throws(WhatsAppFailure) -> WACID {
        let graph = try client(number)
        timings?.connectSent(context: context)
        return WACID(try await perform {
            try await graph.connect(to: Self.digits(user.address), offer: offer, bizOpaqueCallbackData: opaque)
        })
    }

    func preAccept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure) {
        let graph = try client(number)
        try await perform { try await graph.preAccept(callID: call.rawValue, answer: answer) }
    }

    func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure) {
        let graph = try client(number)
        try await perform { try await graph.accept(callID: call.rawValue, answer: answer) }
    }

    func reject(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure) {
        let graph = try client(number)
        try await perform { try await graph.reject(callID: call.rawValue) }
    }

    func terminate(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure) {
        let graph = try client(number)
        try await perform { try await graph.terminate(callID: call.rawValue) }
    }

    func sendPermissionRequest(to user: WhatsAppUser, from number: WhatsAppNumberID, text: String,
                               context: CallLogContext) async throws(WhatsAppFailure) {
        let graph = try client(number)
        _ = try await perform {
            try await graph.sendCallPermissionRequest(to: Self.digits(user.address), bodyText: text)
        }
    }

    /// Meta wants digits without the `+`.
    static func digits(_ number: String) -> String { number.filter(\.isNumber) }

    private func perform<T>(_ body: () async throws -> T) async throws(WhatsAppFailure) -> T {
        let failure: WhatsAppFailure
        do {
            let result = try await body()
            circuit?.record(nil)
            return result
        } catch let error as WhatsAppCloudError {
            failure = Self.failure(error)
        } catch {
            failure = .transport("\(error)")
        }
        circuit?.record(failure)
        throw failure
    }

    static func failure(_ error: WhatsAppCloudError) -> WhatsAppFailure {
        switch error {
        case .graph(let graph):
            .graph(code: graph.code, httpStatus: graph.httpStatus, message: graph.message, details: graph.details,
                   retryAfter: graph.retryAfter)
        case .timeout(_, let outcomeUnknown): .timeout(outcomeUnknown: outcomeUnknown)
        case .transport(_, let reason): .transport(reason)
        default: .unexpectedResponse(error.description)
        }
    }
}

/// Webhook events as call control sees them.
enum WebhookMapping {
    /// The business number a webhook event is for (`metadata.phone_number_id`).
    static func number(_ event: WebhookEvent) -> WhatsAppNumberID? {
        let metadata: WebhookMetadata = switch event {
        case .callConnect(let connect): connect.metadata
        case .callStatus(let status): status.metadata
        case .callTerminate(let terminate): terminate.metadata
        case .permissionReply(let reply): reply.metadata
        case .errors(_, let metadata): metadata
        }
        return metadata.phoneNumberID.map(WhatsAppNumberID.init)
    }

    static func event(_ event: WebhookEvent) -> WhatsAppEvent? {
        switch event {
        case .callConnect(let connect):
            if connect.direction == .userInitiated {
                let caller = WhatsAppUser(phone: "+" + GraphWhatsAppCalling.digits(connect.from ?? ""),
                                          profileName: connect.contactName)
                return .userCall(wacid: WACID(connect.callID), caller: caller,
                                 number: connect.metadata.phoneNumberID.map(WhatsAppNumberID.init),
                                 offer: connect.session?.sdp)
            }
            return .answer(wacid: WACID(connect.callID), sdp: connect.session?.sdp, opaque: connect.bizOpaqueCallbackData)
        case .callStatus(let status):
            let value: WhatsAppCallStatus = switch status.status {
            case .ringing: .ringing
            case .accepted: .accepted
            case .rejected: .rejected
            }
            return .status(wacid: WACID(status.callID), value, opaque: status.bizOpaqueCallbackData)
        case .callTerminate(let terminate):
            return .terminate(wacid: WACID(terminate.callID), completed: terminate.status == .completed,
                              duration: terminate.duration,
                              errors: terminate.errors.map { WhatsAppCallError(code: $0.code, title: $0.title) },
                              opaque: terminate.bizOpaqueCallbackData)
        case .permissionReply(let reply):
            return .permissionReply(user: WhatsAppUser(phone: "+" + GraphWhatsAppCalling.digits(reply.from)),
                                    accepted: reply.accepted,
                                    permanent: reply.isPermanent, expiration: reply.expiration)
        case .errors:
            return nil
        }
    }
}
