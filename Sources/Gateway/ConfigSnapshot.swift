// The configuration in force, for a long-running service that reads it now
// and then (not per packet) and must follow a reload.

import Config
import Synchronization

/// The current configuration; replaced by the reloader, read by anyone.
final class ConfigSnapshot: Sendable {
    private let current: Mutex<GatewayConfig>

    /// A snapshot holding `config`.
    init(_ config: GatewayConfig) {
        current = Mutex(config)
    }

    /// The configuration in force.
    var value: GatewayConfig { current.withLock { $0 } }

    /// Puts `config` in force.
    func replace(_ config: GatewayConfig) {
        current.withLock { $0 = config }
    }
}
