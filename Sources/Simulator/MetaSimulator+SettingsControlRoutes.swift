import Foundation
import Hummingbird
import WhatsAppCloud

/// Control routes for settings, subscriptions and account webhooks
/// (documented in docs/whatsapp-setup.md#simulator-control-api).
extension MetaSimulator {
    /// Adds the routes.
    static func addSettingsControlRoutes(to router: Router<BasicRequestContext>, core: MetaSimulatorCore) {
        router.post("/control/settings", use: control { body, _ in
            let data = (try? GraphJSON.encoder.encode(body["calling"] ?? body)) ?? Data()
            guard let update = try? JSONDecoder().decode(CallingSettings.self, from: data) else {
                throw SimulatorError.badRequest("expected {\"calling\":{…}}")
            }
            // `business_number` (display number, `+E164` or phone_number_id) picks the number; default the first.
            let number = try await core.simulatedNumber(body["business_number"]?.lenientString)
            return try MetaSimulatorCore.encode(PhoneNumberSettings(calling: await core.merge(update, into: number)))
        })
        router.put("/control/subscriptions", use: control { body, _ in
            await core.setSubscriptions(appSubscribed: body["app_subscribed"]?.lenientBool,
                                        fields: body["fields"].map { $0.elements.compactMap(\.stringValue) })
        })
        router.get("/control/graph_requests", use: control { _, _ in ["requests": .array(await core.graphRequests())] })
        router.post("/control/account_events", use: control { body, _ in
            try await core.sendAccountEvent(field: body["field"]?.stringValue ?? "account_update", value: body["value"])
        })
    }
}
