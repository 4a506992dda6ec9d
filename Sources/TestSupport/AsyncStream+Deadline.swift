// Test support: an event from a stream, with a deadline. Not shipped.

extension AsyncStream where Element: Sendable {
    /// The first element that satisfies `predicate` within `timeout`, or nil
    /// when the stream ends or the time is up first (the stream is then
    /// cancelled, as any iteration that is abandoned).
    public func first(within timeout: Duration,
                      where predicate: @escaping @Sendable (Element) -> Bool) async -> Element? {
        await withTaskGroup(of: Element?.self) { group in
            group.addTask {
                for await element in self where predicate(element) { return element }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
