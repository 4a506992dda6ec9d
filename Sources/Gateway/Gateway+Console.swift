import Foundation
import HTTP
import Logging
import Store

extension Gateway {
    /// The most calls the console chart counts over its period: ten pages of
    /// the CDR query layer's largest page, newest first.
    static let consoleChartCallCap = 10 * CallQuery.maximumLimit

    /// The console's routes on the admin listener, its chart fed from the
    /// store's call records through the CDR query layer.
    static func consoleRoutes(store: GatewayStore, guard authGuard: BearerAuthGuard, logger: Logger) -> ConsoleRoutes {
        ConsoleRoutes(guard: authGuard, samples: { since in
            try await consoleSamples(store: store, since: since)
        }, logger: logger)
    }

    /// The calls set up at or after `since` as chart samples, newest first, at
    /// most ``consoleChartCallCap`` of them. A call's MOS is its worse leg's.
    static func consoleSamples(store: GatewayStore, since: Date) async throws -> [ConsoleCallSample] {
        var samples: [ConsoleCallSample] = []
        while samples.count < consoleChartCallCap {
            let query = CallQuery(since: since, limit: CallQuery.maximumLimit, offset: samples.count)
            let page = try await store.calls(matching: query)
            samples += page.map { record in
                let mos = [record.sipQuality.mos, record.whatsappQuality.mos].compactMap { $0 }.min()
                return ConsoleCallSample(setupAt: record.setupAt, answered: record.answerAt != nil,
                                         failed: record.endAt != nil && record.answerAt == nil, mos: mos)
            }
            if page.count < CallQuery.maximumLimit { break }
        }
        return samples
    }
}
