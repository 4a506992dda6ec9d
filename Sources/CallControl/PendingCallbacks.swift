// Callbacks waiting for a WhatsApp user's permission: who was refused, for
// which user and business number, until when. Keyed by outside data (the
// users phones dial), so bounded per caller and in total, with expiry.

public import Foundation

/// A refused call to remember: the state machine asks for it with the 403.
public struct CallbackRequest: Sendable, Equatable {
    /// Who was refused.
    public var origin: SIPOrigin
    /// The refused INVITE's From user: a trunk is called back at it.
    public var fromUser: String?
    /// The refused INVITE's Call-ID, for logs.
    public var sipCallID: String
    /// The WhatsApp user dialled.
    public var user: WhatsAppUser
    /// How long a granted permission still triggers the callback.
    public var window: Duration

    /// Creates a request from the refused INVITE.
    public init(invite: IncomingInvite, user: WhatsAppUser, window: Duration) {
        self.origin = invite.origin
        self.fromUser = invite.fromUser
        self.sipCallID = invite.sipCallID
        self.user = user
        self.window = window
    }
}

/// One armed callback.
public struct PendingCallback: Sendable, Equatable {
    /// What was refused.
    public var request: CallbackRequest
    /// The business number the refused call went through (permission is per number).
    public var number: WhatsAppNumberID
    /// When it was armed.
    public var armedAt: Date
    /// Past this, a granted permission calls nobody back.
    public var deadline: Date
}

/// The table of armed callbacks: one per caller, user and number (a repeat
/// replaces it), at most `perCaller` per caller and `capacity` in all (the
/// oldest is dropped to make room).
public struct PendingCallbacks: Sendable {
    /// The most callbacks one user or trunk may have armed.
    public let perCaller: Int
    /// The most callbacks armed in all.
    public let capacity: Int
    /// The armed callbacks, oldest first.
    public private(set) var entries: [PendingCallback] = []

    /// Creates an empty table.
    public init(perCaller: Int = 16, capacity: Int = 1024) {
        self.perCaller = max(1, perCaller)
        self.capacity = max(1, capacity)
    }

    /// What arming did, for the log.
    public enum Armed: Sendable, Equatable {
        /// A new entry.
        case added
        /// The same caller, user and number were armed already: the new deadline replaces the old.
        case replaced
        /// Room was made by dropping the oldest entry (of the caller, or of all).
        case evicted(PendingCallback)
    }

    /// Arms a callback for `request` through `number` at `now`.
    public mutating func arm(_ request: CallbackRequest, number: WhatsAppNumberID, now: Date) -> Armed {
        let seconds = Double(request.window.components.seconds)
        let entry = PendingCallback(request: request, number: number, armedAt: now,
                                    deadline: now.addingTimeInterval(seconds))
        if let index = entries.firstIndex(where: { Self.sameKey($0, entry) }) {
            entries.remove(at: index)
            entries.append(entry)
            return .replaced
        }
        var result = Armed.added
        if let oldest = entries.firstIndex(where: { $0.request.origin == request.origin }),
           entries.count(where: { $0.request.origin == request.origin }) >= perCaller {
            result = .evicted(entries.remove(at: oldest))
        } else if entries.count >= capacity {
            result = .evicted(entries.removeFirst())
        }
        entries.append(entry)
        return result
    }

    /// Removes and returns the entries for `user` through `number` (any
    /// identifier in common): those still in time, and those past their deadline.
    public mutating func take(user: WhatsAppUser, number: WhatsAppNumberID,
                              now: Date) -> (due: [PendingCallback], expired: [PendingCallback]) {
        let keys = Set(user.identifiers)
        let matching = entries.filter { $0.number == number && !keys.isDisjoint(with: $0.request.user.identifiers) }
        guard !matching.isEmpty else { return ([], []) }
        entries.removeAll { entry in matching.contains(entry) }
        return (matching.filter { $0.deadline >= now }, matching.filter { $0.deadline < now })
    }

    /// Removes and returns the entries past their deadline.
    public mutating func expire(now: Date) -> [PendingCallback] {
        let expired = entries.filter { $0.deadline < now }
        if !expired.isEmpty { entries.removeAll { $0.deadline < now } }
        return expired
    }

    /// The earliest deadline, when any entry is armed.
    public var nextDeadline: Date? { entries.map(\.deadline).min() }

    private static func sameKey(_ lhs: PendingCallback, _ rhs: PendingCallback) -> Bool {
        lhs.request.origin == rhs.request.origin && lhs.number == rhs.number
            && !Set(lhs.request.user.identifiers).isDisjoint(with: rhs.request.user.identifiers)
    }
}
