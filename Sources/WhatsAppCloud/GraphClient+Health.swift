import Foundation

extension GraphClient {
    /// Asks Meta everything the calling health check needs; never throws (each
    /// failure is kept in the facts). Without `wabaID` the subscribed apps, and
    /// without `appID` the app's webhook fields, are not asked for; nor is
    /// anything else when Meta could not be reached for the settings.
    public func callingHealthFacts(wabaID: String?, appID: String?, appSecret: String) async -> CallingHealthFacts {
        var facts = CallingHealthFacts(appID: appID)
        do {
            facts.settings = try await callingSettings()
        } catch let error as WhatsAppCloudError {
            facts.settingsError = error
        } catch {
            facts.settingsError = .transport(path: "settings", reason: "\(error)")
        }
        switch facts.settingsError {
        case .transport?, .timeout?: return facts
        default: break
        }
        if let wabaID {
            do {
                facts.subscribedApps = try await subscribedApps(wabaID: wabaID)
            } catch let error as WhatsAppCloudError {
                facts.subscribedAppsError = error
            } catch {
                facts.subscribedAppsError = .transport(path: "subscribed_apps", reason: "\(error)")
            }
        }
        if let appID {
            do {
                let subscriptions = try await appSubscriptions(appID: appID, appSecret: appSecret)
                facts.appSubscription = subscriptions.first { $0.object == "whatsapp_business_account" }
                if facts.appSubscription == nil { facts.appSubscriptionError = CallingHealthFacts.noWhatsAppSubscription }
            } catch {
                facts.appSubscriptionError = "\(error)"
            }
        }
        return facts
    }
}
