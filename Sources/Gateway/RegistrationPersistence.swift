import Foundation
import Logging
import SIP
import Store

/// Keeps the registrar's bindings in the database so phones stay reachable
/// across a restart (Asterisk keeps them in astdb, FreeSWITCH in its sqlite):
/// restored before SIP starts listening, saved per user on every change.
struct RegistrationPersistence: Sendable {
    let store: GatewayStore
    let registrar: Registrar
    let logger: Logger

    /// Loads saved bindings into the registrar (expired ones are dropped).
    func restore() async {
        do {
            let now = Date().timeIntervalSince1970
            var restored = 0
            for row in try await store.loadRegistrations() {
                let bindings = try JSONDecoder().decode([RegistrationBinding].self, from: Data(row.encodedBindings))
                registrar.restore(bindings, now: now)
                restored += bindings.filter { $0.expiresAt > now }.count
            }
            logger.info("registrations restored", metadata: ["contacts": "\(restored)"])
        } catch {
            logger.warning("could not restore registrations", metadata: ["error": "\(error)"])
        }
    }

    /// Saves `user`'s current bindings.
    func save(user: String) async {
        let bindings = registrar.bindings(for: user, now: Date().timeIntervalSince1970)
        do {
            let encoded = bindings.isEmpty ? nil : Array(try JSONEncoder().encode(bindings))
            try await store.saveRegistrations(user: user, encodedBindings: encoded)
        } catch {
            // Counted and logged by the store, rate-limited.
            logger.debug("could not save registrations", metadata: ["user": "\(user)", "error": "\(error)"])
        }
    }
}
