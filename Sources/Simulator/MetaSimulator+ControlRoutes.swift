import Foundation
import Hummingbird
import WhatsAppCloud

/// The control API under `/control/` (documented in docs/whatsapp-setup.md).
extension MetaSimulator {
    /// A Hummingbird route handler.
    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// Adds the `/control/` routes.
    static func addControlRoutes(to router: Router<BasicRequestContext>, core: MetaSimulatorCore,
                                 dispatcher: WebhookDispatcher) {
        router.get("/control/health") { _, _ in jsonResponse(status: 200, ["status": "ok"]) }
        router.post("/control/users/:user/call", use: control { body, user in
            try await core.userCalls(user, name: body["name"]?.stringValue,
                                     ctaPayload: body["cta_payload"]?.stringValue, sdp: body["sdp"]?.stringValue,
                                     identity: body, businessNumber: body["business_number"]?.lenientString).json
        })
        router.post("/control/calls/:id/answer", use: control { body, id in
            try await core.userAnswers(id, sdp: body["sdp"]?.stringValue).json
        })
        router.post("/control/calls/:id/reject", use: control { _, id in try await core.userRejects(id).json })
        router.post("/control/calls/:id/hangup", use: control { _, id in try await core.userHangsUp(id).json })
        router.get("/control/calls/:id", use: control { _, id in try await core.call(id).json })
        router.post("/control/calls/:id/dtmf", use: control { body, id in
            _ = try await core.call(id)
            await core.media.sendDTMF(callID: id, digits: body["digits"]?.stringValue ?? "")
            return ["sent": .string(body["digits"]?.stringValue ?? "")]
        })
        router.get("/control/calls/:id/dtmf", use: control { _, id in
            _ = try await core.call(id)
            return ["received": .string(await core.media.receivedDTMF(callID: id))]
        })
        router.get("/control/calls", use: control { _, _ in ["calls": .array(await core.allCalls().map(\.json))] })
        router.post("/control/users/:user/permission", use: control { body, user in
            let accepted = (body["response"]?.stringValue ?? "accept").lowercased() == "accept"
            let permissions = await core.grantPermission(
                user: user, accepted: accepted, permanent: body["permanent"]?.lenientBool ?? false,
                automatic: body["response_source"]?.stringValue == "automatic",
                notify: body["notify"]?.lenientBool ?? true)
            return try MetaSimulatorCore.encode(permissions)
        })
        router.post("/control/users/:user/message", use: control { body, user in
            try await core.userMessages(user, identity: body, body: body["text"]?.stringValue ?? "Hello",
                                        businessNumber: (body["to"] ?? body["business_number"])?.lenientString)
        })
        router.delete("/control/users/:user/permission", use: control { _, user in
            try MetaSimulatorCore.encode(await core.revokePermission(user: user))
        })
        router.get("/control/users/:user/permission", use: control { _, user in
            try MetaSimulatorCore.encode(await core.permission(core.userKey(user)).snapshot(at: core.now()))
        })
        router.post("/control/faults", use: control { body, _ in
            if let kind = body["kind"]?.stringValue, let media = MediaFault(rawValue: kind) {
                let pending = await core.failNextMedia(body["count"]?.lenientInt ?? 1, with: media)
                return ["pending": .number(Double(pending))]
            }
            let fault = try InjectedFault(control: body)
            let pending = await core.failNext(body["count"]?.lenientInt ?? 1, with: fault)
            return ["pending": .number(Double(pending))]
        })
        router.put("/control/capture/policy", use: control { body, _ in
            let mode = body["mode"]?.stringValue ?? "deliver"
            guard ["deliver", "drop", "empty"].contains(mode) else { throw SimulatorError.badRequest("mode must be deliver, drop or empty") }
            await core.setCapturePolicy(mode: mode, delay: .milliseconds(max(0, min(body["delay_ms"]?.lenientInt ?? 200,
                                                                                    600_000))))
            return ["ok": true]
        })
        router.post("/control/onboarding/codes", use: control { body, _ in try await core.createSignup(body) })
        router.get("/control/onboarding/:id", use: control { _, id in try await core.signupState(id) })
        addWebhookControlRoutes(to: router, core: core, dispatcher: dispatcher)
        addMediaControlRoutes(to: router, core: core)
        addSettingsControlRoutes(to: router, core: core)
    }

    private static func addWebhookControlRoutes(to router: Router<BasicRequestContext>, core: MetaSimulatorCore,
                                                dispatcher: WebhookDispatcher) {
        router.post("/control/webhooks/hold", use: control { _, _ in
            dispatcher.hold()
            return ["holding": true]
        })
        router.post("/control/webhooks/release", use: control { body, _ in
            let reversed = body["order"]?.stringValue == "reverse"
            return ["released": .number(Double(await dispatcher.release(reversed: reversed)))]
        })
        router.put("/control/webhooks/policy", use: control { body, _ in
            let policy = WebhookDeliveryPolicy(
                delay: .milliseconds(body["delay_ms"]?.lenientInt ?? 0), duplicates: body["duplicates"]?.lenientInt ?? 0,
                reorder: body["reorder"]?.lenientBool ?? false)
            await dispatcher.setPolicy(policy)
            return ["ok": true]
        })
        router.get("/control/webhooks", use: control { _, _ in
            let records = await dispatcher.records.map { record -> JSONValue in
                ["body": .string(record.body), "status": record.status.map { .number(Double($0)) } ?? .null]
            }
            return ["deliveries": .array(records)]
        })
        router.get("/control/messages", use: control { _, _ in ["messages": .array(await core.messages())] })
    }

    /// Wraps a control action: parses an optional JSON body, passes the path's
    /// `:user` or `:id`, and turns ``SimulatorError`` into its HTTP status.
    static func control(_ action: @escaping @Sendable (JSONValue, String) async throws -> JSONValue) -> Handler {
        { request, context in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 16)
            let body = buffer.readableBytes == 0
                ? JSONValue.object([:]) : ((try? JSONValue.parse(Data(buffer.readableBytesView))) ?? .object([:]))
            let parameter = context.parameters.get("user") ?? context.parameters.get("id") ?? ""
            do {
                return jsonResponse(status: 200, try await action(body, parameter))
            } catch let error as SimulatorError {
                return jsonResponse(status: error.httpStatus, ["error": .string(error.description)])
            }
        }
    }
}
