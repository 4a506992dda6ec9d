// Which users have an open 24-hour customer service window with one business
// number: Meta opens or refreshes it when the user messages or calls the number
// (docs/whatsapp.md#settings-and-permissions). Inside it the interactive permission
// request may be sent; outside it only a template.

public import Foundation

/// When each user last messaged or called one business number, found by any of
/// the user's identifiers. Bounded: past ``capacity`` users the least recently
/// refreshed one is forgotten (it then reads as closed, and a template goes out,
/// which Meta accepts in or out of the window).
public struct ServiceWindowTable: Sendable {
    private var table: IdentifierTable<Date>
    /// How long a window stays open after the user's last message or call.
    public static let length: TimeInterval = 24 * 3600

    /// Creates an empty table of at most `capacity` users.
    public init(capacity: Int = 10_000) {
        table = IdentifierTable(capacity: capacity)
    }

    /// The user wrote or called at `at` (Meta's timestamp, clamped to `now`: a
    /// timestamp from the future never keeps a window open longer).
    public mutating func userActivity(_ user: WhatsAppUser, at: Date?, now: Date) {
        let when = min(at ?? now, now)
        guard now.timeIntervalSince(when) < Self.length else { return }
        table.store(when, keys: user.identifiers) { new, old in max(new, old) }
    }

    /// Whether the user's window is open at `now`.
    public mutating func isOpen(_ user: WhatsAppUser, now: Date) -> Bool {
        guard let last = table.lookup(user.identifiers) else { return false }
        if now.timeIntervalSince(last) < Self.length { return true }
        table.remove(user.identifiers)
        return false
    }

    /// Meta said the window is closed (131047): forget it.
    public mutating func close(_ user: WhatsAppUser) {
        table.remove(user.identifiers)
    }

    /// The number of users remembered.
    public var count: Int { table.count }
}
