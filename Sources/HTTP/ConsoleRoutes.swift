// The console on the admin listener: its constant resources, and the one API
// route only the console needs, the hourly aggregate behind its chart.

public import Foundation
public import Hummingbird
public import Logging

/// The console's routes on the admin listener.
public struct ConsoleRoutes: Sendable {
    /// The calls set up at or after a time, as the chart needs them (newest
    /// first; the source may stop at a cap of its own).
    public typealias Samples = @Sendable (_ since: Date) async throws -> [ConsoleCallSample]

    /// The path of the chart's aggregate.
    public static let hourlyPath = "/api/v1/stats/hourly"
    /// The API routes these add beside ``AdminRoutes/table`` (documented with
    /// them in docs/admin-openapi.yaml); the page's own resources under
    /// ``ConsolePage/basePath`` are not API and are not listed.
    public static let table: [AdminRoutes.Route] = [AdminRoutes.Route(method: "GET", path: hourlyPath, authenticated: true)]

    /// Where the chart's calls come from.
    let samples: Samples
    /// The admin token check and JSON errors.
    let route: BearerRoute
    /// The clock (a fixed one in tests).
    let now: @Sendable () -> Date

    /// Creates the routes, checking the token with the admin API's guard.
    public init(guard authGuard: BearerAuthGuard, samples: @escaping Samples, logger: Logger,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.samples = samples
        self.route = BearerRoute(guard: authGuard, logger: logger, name: "admin")
        self.now = now
    }

    /// Adds the console's resources and `GET /api/v1/stats/hourly?hours=N`
    /// (1…``ConsoleHourlyStats/maximumHours``, default 24) to `router`.
    public func register(on router: Router<PeerRequestContext>) {
        ConsolePage.register(on: router)
        let samples = self.samples, now = self.now
        router.get(RouterPath(Self.hourlyPath), use: route.authorized { request, _ in
            let hours = try Self.hours(request.uri.queryParameters.get("hours"))
            let time = now()
            let since = Date(timeIntervalSince1970: ((time.timeIntervalSince1970 / 3600).rounded(.down)
                                                     - Double(hours - 1)) * 3600)
            let calls: [ConsoleCallSample]
            do { calls = try await samples(since) } catch {
                throw AdminFailure(status: 503, "the call records cannot be read")
            }
            return (200, try ConsoleHourlyStats.json(ConsoleHourlyStats.buckets(calls, hours: hours, now: time)))
        })
    }

    /// The `hours` parameter: absent (24) or 1…``ConsoleHourlyStats/maximumHours``.
    static func hours(_ text: String?) throws(AdminFailure) -> Int {
        guard let text else { return 24 }
        guard text.utf8.count <= 3, let value = Int(text), (1...ConsoleHourlyStats.maximumHours).contains(value) else {
            throw AdminFailure(status: 400, "'hours' must be 1-\(ConsoleHourlyStats.maximumHours)")
        }
        return value
    }
}
