// A bounded table of values about WhatsApp users, each found by any of the
// user's identifiers (phone number, BSUID, parent BSUID, username): what the
// permission cache and the user directory are built on.

/// Values keyed by a set of identifiers each: a look-up by any one identifier
/// finds the value; storing under identifiers that lead to several entries
/// merges them into one (the same person, named different ways). Bounded:
/// past ``capacity`` entries the least recently stored one is evicted.
struct IdentifierTable<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var value: Value
        var keys: Set<String>
    }

    private var entries: [Int: Entry] = [:]
    private var index: [String: Int] = [:]
    private var nextID = 0
    /// The most entries kept.
    let capacity: Int

    /// Creates an empty table of at most `capacity` entries.
    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// The number of entries.
    var count: Int { entries.count }

    /// The value any of `keys` leads to; the other keys are linked to it.
    mutating func lookup(_ keys: [String]) -> Value? {
        let index = self.index
        guard let id = keys.lazy.compactMap({ index[$0] }).first, var entry = entries[id] else { return nil }
        let new = keys.filter { index[$0] == nil }
        if !new.isEmpty {
            entry.keys.formUnion(new)
            entries[id] = entry
            for key in new { self.index[key] = id }
        }
        return entry.value
    }

    /// Stores `value` under `keys` and the keys of every entry they lead to,
    /// which it replaces; `merge` combines the value with each replaced one.
    mutating func store(_ value: Value, keys: [String], merge: (Value, Value) -> Value = { new, _ in new }) {
        var stored = Entry(value: value, keys: Set(keys))
        for id in Set(keys.compactMap { index[$0] }) {
            guard let old = remove(id) else { continue }
            stored.keys.formUnion(old.keys)
            stored.value = merge(stored.value, old.value)
        }
        guard !stored.keys.isEmpty else { return }
        if entries.count >= capacity, let oldest = entries.keys.min() { remove(oldest) }
        let id = nextID
        nextID += 1
        entries[id] = stored
        for key in stored.keys { index[key] = id }
    }

    /// Forgets every entry any of `keys` leads to.
    mutating func remove(_ keys: [String]) {
        for id in Set(keys.compactMap { index[$0] }) { remove(id) }
    }

    @discardableResult
    private mutating func remove(_ id: Int) -> Entry? {
        guard let entry = entries.removeValue(forKey: id) else { return nil }
        for key in entry.keys where index[key] == id { index[key] = nil }
        return entry
    }
}
