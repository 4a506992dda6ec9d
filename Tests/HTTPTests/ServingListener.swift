// Runs one HTTP listener for the length of a test body, as the gateway's
// service group would, and shuts it down whether the body passes or throws.

import HTTP
import Logging
import ServiceLifecycle

/// Starts `service`, waits until `port` is bound, runs `body` with
/// `http://127.0.0.1:PORT`, then shuts the service down.
func serving(_ service: some Service, port: ListeningPort, logger: Logger,
             _ body: (String) async throws -> Void) async throws {
    let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let bound = try await port.wait()
        do {
            try await body("http://127.0.0.1:\(bound)")
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
