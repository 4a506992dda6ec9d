import CallControl
import Synchronization
import WhatsAppCloud

/// The Graph clients by business number: one per number, sharing one HTTP
/// client. Config-file numbers are added at start; onboarded numbers join and
/// leave while the gateway runs. A removed number's client stays until restart,
/// so calls in progress on it can still be ended at Meta.
final class GraphClients: Sendable {
    private let table: Mutex<[WhatsAppNumberID: GraphClient]>

    /// Creates the registry with `clients`.
    init(_ clients: [WhatsAppNumberID: GraphClient] = [:]) {
        table = Mutex(clients)
    }

    /// The client of `number`.
    subscript(number: WhatsAppNumberID) -> GraphClient? {
        table.withLock { $0[number] }
    }

    /// Adds or replaces the client of `number`.
    func set(_ client: GraphClient, for number: WhatsAppNumberID) {
        table.withLock { $0[number] = client }
    }
}
