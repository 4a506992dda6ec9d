/// A map that holds at most `capacity` entries and evicts the least recently
/// used one to make room. Lookups, stores and removals are O(1): the recency
/// order is a doubly linked list threaded through one array of nodes, so a
/// table keyed by outside data (source addresses, nonces) stays bounded
/// however many keys an attacker invents. Not thread-safe; its owner's thread
/// uses it.
struct BoundedLRU<Key: Hashable, Value> {
    fileprivate struct Node {
        var key: Key
        var value: Value
        var newer: Int
        var older: Int
    }

    /// The most entries held.
    let capacity: Int
    private var nodes: [Node] = []
    private var slots: [Key: Int] = [:]
    private var freeSlots: [Int] = []
    private var newest = -1
    private var oldest = -1

    /// Creates an empty table holding at most `capacity` (at least 1) entries.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The number of entries.
    var count: Int { slots.count }

    /// The value for `key` without changing its recency.
    func peek(_ key: Key) -> Value? {
        slots[key].map { nodes[$0].value }
    }

    /// The value for `key`, which becomes the most recently used.
    mutating func value(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        touch(slot)
        return nodes[slot].value
    }

    /// Stores `value` for `key` as the most recently used entry. Returns the
    /// entry evicted to make room, if the table was full.
    @discardableResult
    mutating func set(_ value: Value, for key: Key) -> (key: Key, value: Value)? {
        if let slot = slots[key] {
            nodes[slot].value = value
            touch(slot)
            return nil
        }
        var evicted: (key: Key, value: Value)?
        let slot: Int
        let node = Node(key: key, value: value, newer: -1, older: -1)
        if let free = freeSlots.popLast() {
            slot = free
            nodes[slot] = node
        } else if nodes.count < capacity {
            slot = nodes.count
            nodes.append(node)
        } else {
            slot = oldest
            evicted = (nodes[slot].key, nodes[slot].value)
            unlink(slot)
            slots[nodes[slot].key] = nil
            nodes[slot] = node
        }
        slots[key] = slot
        linkAsNewest(slot)
        return evicted
    }

    /// Removes the entry for `key`, if any.
    mutating func removeValue(for key: Key) {
        guard let slot = slots.removeValue(forKey: key) else { return }
        unlink(slot)
        freeSlots.append(slot)
    }

    private mutating func touch(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        linkAsNewest(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let node = nodes[slot]
        if node.newer >= 0 { nodes[node.newer].older = node.older } else { newest = node.older }
        if node.older >= 0 { nodes[node.older].newer = node.newer } else { oldest = node.newer }
    }

    private mutating func linkAsNewest(_ slot: Int) {
        nodes[slot].newer = -1
        nodes[slot].older = newest
        if newest >= 0 { nodes[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }
}

extension BoundedLRU: Sendable where Key: Sendable, Value: Sendable {}
extension BoundedLRU.Node: Sendable where Key: Sendable, Value: Sendable {}
