import CallControl
import Media

extension BridgeMediaControl {
    /// Live figures of the calls that have a bridge (for the admin API).
    func statistics(of ids: [CallID]) async -> [CallID: MediaBridgeStatistics] {
        var result: [CallID: MediaBridgeStatistics] = [:]
        for id in ids {
            guard let bridge = calls[id]?.bridge else { continue }
            result[id] = await bridge.statistics()
        }
        return result
    }
}
