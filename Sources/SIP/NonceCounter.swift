/// Remembers the highest nonce-count (`nc`) accepted for each nonce we issued,
/// so a captured Authorization cannot be replayed (RFC 7616 §3.4: the count
/// must go up with every request that reuses a nonce).
///
/// Nonces are identified by the sequence number they carry (strictly
/// increasing within a process). The table is bounded; when a nonce is evicted
/// to make room, the watermark rises to its sequence number, and every nonce at
/// or below the watermark that is not in the table is treated as stale. An
/// evicted nonce can therefore never be accepted again: its owner is sent a
/// `stale=true` challenge and retries at once with a fresh nonce.
struct NonceCounter: Sendable {
    /// What a request's nonce and `nc` amount to.
    enum Admission: Equatable, Sendable {
        /// First use of the nonce, or an `nc` above every one seen: accepted and recorded.
        case fresh
        /// The `nc` was seen before (or a lower one): a replay.
        case replayed
        /// The nonce was evicted from the table: treat as stale.
        case forgotten
    }

    private var highest: BoundedLRU<UInt64, UInt32>
    /// The sequence number of the newest nonce evicted so far.
    private(set) var watermark: UInt64 = 0

    /// Creates a counter remembering at most `capacity` nonces.
    init(capacity: Int) {
        highest = BoundedLRU(capacity: capacity)
    }

    /// The number of nonces remembered.
    var count: Int { highest.count }

    /// Checks `nc` for the nonce with sequence `sequence` and records it when fresh.
    mutating func admit(sequence: UInt64, nc: UInt32) -> Admission {
        if let seen = highest.peek(sequence) {
            guard nc > seen else { return .replayed }
        } else if sequence <= watermark {
            return .forgotten
        }
        if let evicted = highest.set(nc, for: sequence) {
            watermark = max(watermark, evicted.key)
        }
        return .fresh
    }
}
