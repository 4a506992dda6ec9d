import CallControl
import Config
import Foundation
import Logging
import WhatsAppCloud

/// Call control's `WhatsAppCalling` over the Graph API clients, one per business
/// number (its phone_number_id and access token, one shared HTTP client). Users
/// arrive as ``WhatsAppUser`` and go to Meta by number (digits) or, without one, by
/// BSUID (``WhatsAppUser/graphRecipient()``); errors become `WhatsAppFailure`. Every
/// request's outcome feeds the Graph circuit breaker (one per app: Meta's outages
/// are app-wide), and every Meta error is logged once with the call's ids, Meta's
/// code and `fbtrace_id` (never the token).
struct GraphWhatsAppCalling: WhatsAppCalling {
    let graphs: GraphClients
    var timings: SetupTimings?
    var circuit: GraphCircuit?
    var logger: Logger?
    /// Where every request's action, outcome and latency are counted.
    var metrics: GatewayMetrics?

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
        let recipient = try user.graphRecipient()
        let permissions = try await perform("call_permissions", context) {
            try await graph.callPermissions(for: recipient)
        }
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
        try await connect(to: user, from: number, offer: offer, opaque: opaque, capture: MetaCaptureConfig(),
                          context: context)
    }

    func connect(to user: WhatsAppUser, from number: WhatsAppNumberID, offer: String, opaque: String,
                 capture: MetaCaptureConfig, context: CallLogContext) async throws(WhatsAppFailure) -> WACID {
        let graph = try client(number)
        let recipient = try user.graphRecipient()
        timings?.connectSent(context: context)
        return WACID(try await perform("connect", context) {
            try await graph.connect(to: recipient, offer: offer, bizOpaqueCallbackData: opaque,
                                    capture: Self.callCapture(capture))
        })
    }

    func preAccept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure) {
        let graph = try client(number)
        try await perform("pre_accept", context) { try await graph.preAccept(callID: call.rawValue, answer: answer) }
    }

    func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, context: CallLogContext)
        async throws(WhatsAppFailure) {
        try await accept(call, number: number, answer: answer, capture: MetaCaptureConfig(), context: context)
    }

    func accept(_ call: WACID, number: WhatsAppNumberID, answer: String, capture: MetaCaptureConfig,
                context: CallLogContext) async throws(WhatsAppFailure) {
        let graph = try client(number)
        try await perform("accept", context) {
            try await graph.accept(callID: call.rawValue, answer: answer, capture: Self.callCapture(capture))
        }
    }

    /// Meta's objects for a resolved capture: each only when enabled (Meta treats
    /// an absent object as not captured, so nothing is sent for a disabled one).
    static func callCapture(_ capture: MetaCaptureConfig) -> CallCapture {
        let language = capture.announcementLanguage ?? MetaCaptureConfig.defaultLanguage
        let object = capture.purpose.map { CallCaptureRequest.enabled(purpose: $0, announcementLanguage: language) }
        return CallCapture(recording: capture.recording == true ? object : nil,
                           transcription: capture.transcription == true ? object : nil)
    }

    func reject(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure) {
        let graph = try client(number)
        try await perform("reject", context) { try await graph.reject(callID: call.rawValue) }
    }

    func terminate(_ call: WACID, number: WhatsAppNumberID, context: CallLogContext) async throws(WhatsAppFailure) {
        let graph = try client(number)
        try await perform("terminate", context) { try await graph.terminate(callID: call.rawValue) }
    }

    func sendPermissionRequest(to user: WhatsAppUser, from number: WhatsAppNumberID, message: PermissionRequestMessage,
                               context: CallLogContext) async throws(WhatsAppFailure) {
        let graph = try client(number)
        let recipient = try user.graphRecipient()
        _ = try await perform("messages", context) {
            switch message {
            case .interactive(let text):
                try await graph.sendCallPermissionRequest(to: recipient, bodyText: text)
            case .template(let name, let language, let components):
                try await graph.sendTemplate(to: recipient, template: MessageRequest.Template(
                    name: name, languageCode: language,
                    components: components.isEmpty ? nil : components.map { component in
                        MessageRequest.Template.Component(type: component.type, parameters: component.parameters.map {
                            MessageRequest.Template.Parameter(text: $0.text, name: $0.name)
                        })
                    }))
            }
        }
    }

    private func perform<T>(_ action: String, _ context: CallLogContext,
                            _ body: () async throws -> T) async throws(WhatsAppFailure) -> T {
        let failure: WhatsAppFailure
        let start = ContinuousClock.now
        do {
            let result = try await body()
            circuit?.record(nil)
            metrics?.graphRequest(action, failure: nil, took: ContinuousClock.now - start)
            return result
        } catch let error as WhatsAppCloudError {
            failure = Self.failure(error)
            if case .graph(let graph) = error { log(graph, action: action, context: context) }
        } catch {
            failure = .transport("\(error)")
        }
        metrics?.graphRequest(action, failure: failure, took: ContinuousClock.now - start)
        circuit?.record(failure)
        throw failure
    }

    /// One line per Meta error: the call's ids, the Graph action, Meta's code, HTTP
    /// status, message, details and `fbtrace_id` (what Meta's support asks for).
    private func log(_ graph: GraphError, action: String, context: CallLogContext) {
        var metadata: Logger.Metadata = [
            "graph.action": .string(action), "graph.code": "\(graph.code)", "http.status": "\(graph.httpStatus)",
            "graph.message": .string(graph.message),
        ]
        for field in context.fields { metadata[field.key] = .string(field.value) }
        if let details = graph.details { metadata["graph.details"] = .string(details) }
        if let fbtraceID = graph.fbtraceID { metadata["fbtrace_id"] = .string(fbtraceID) }
        if let next = graph.nextCallAllowed { metadata["graph.next_call_allowed"] = "\(Int(next.timeIntervalSince1970))" }
        logger?.warning("WhatsApp API error", metadata: metadata)
    }

    /// A client error as call control sees it; Meta's wait (Retry-After, or the next
    /// allowed call time of 138012) becomes the failure's bounded `retryAfter`.
    static func failure(_ error: WhatsAppCloudError, at now: Date = Date()) -> WhatsAppFailure {
        switch error {
        case .graph(let graph):
            .graph(code: graph.code, httpStatus: graph.httpStatus, message: graph.message, details: graph.details,
                   retryAfter: graph.wait(at: now), fbtraceID: graph.fbtraceID)
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
        case .callArtifact(let artifact): artifact.metadata
        case .permissionReply(let reply): reply.metadata
        case .userMessage(let message): message.metadata
        case .errors(_, let metadata): metadata
        case .account(let account): WebhookMetadata(phoneNumberID: account.phoneNumberID)
        }
        return metadata.phoneNumberID.map(WhatsAppNumberID.init)
    }

    static func event(_ event: WebhookEvent) -> WhatsAppEvent? {
        switch event {
        case .callConnect(let connect):
            if connect.direction == .userInitiated {
                return .userCall(wacid: WACID(connect.callID), caller: WhatsAppUser(webhook: connect.user),
                                 number: connect.metadata.phoneNumberID.map(WhatsAppNumberID.init),
                                 offer: connect.session?.sdp,
                                 context: InboundCallContext(ctaPayload: connect.ctaPayload, deeplinkPayload: connect.deeplinkPayload))
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
            return .permissionReply(user: WhatsAppUser(webhook: reply.user), accepted: reply.accepted,
                                    permanent: reply.isPermanent, expiration: reply.expiration)
        case .userMessage(let message):
            return .userMessage(user: WhatsAppUser(webhook: message.user),
                                number: message.metadata.phoneNumberID.map(WhatsAppNumberID.init), at: message.timestamp)
        case .errors, .account, .callArtifact:
            return nil
        }
    }

    /// A recording/transcription result as call control sees it.
    static func artifact(_ event: CallArtifactEvent) -> MetaArtifact {
        MetaArtifact(wacid: WACID(event.callID), kind: event.kind, mediaID: event.mediaID, url: event.url)
    }
}
