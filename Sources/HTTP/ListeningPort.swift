import Foundation

/// Reports the port a server actually bound (useful with port 0), once it is listening.
public actor ListeningPort {
    private var port: Int?
    private var failed = false
    private var waiters: [CheckedContinuation<Int?, Never>] = []

    /// Creates an unresolved port.
    public init() {}

    /// Waits until the server listens and returns its port; `nil` if it stopped first.
    public func value() async -> Int? {
        if let port { return port }
        if failed { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Waits for the port, throwing if the server stopped first.
    public func wait(host: String = "", requested: Int = 0) async throws -> Int {
        guard let port = await value() else { throw HTTPError.notListening(host: host, port: requested) }
        return port
    }

    /// Records the bound port and wakes the waiters.
    public func resolve(_ port: Int) {
        self.port = port
        for waiter in waiters { waiter.resume(returning: port) }
        waiters.removeAll()
    }

    /// Records that the server stopped without listening and wakes the waiters.
    public func fail() {
        guard port == nil else { return }
        failed = true
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }
}
