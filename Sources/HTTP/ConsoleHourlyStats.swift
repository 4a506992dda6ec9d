// The console chart's data: calls and their mean MOS per hour over the last
// day, as `GET /api/v1/stats/hourly` answers it.

public import Foundation

/// What the chart needs from one call: when it was set up, whether it was
/// answered or failed, and its MOS (the worse of its two legs, when measured).
public struct ConsoleCallSample: Sendable, Equatable {
    /// When the call was set up.
    public var setupAt: Date
    /// Whether it was answered.
    public var answered: Bool
    /// Whether it ended without being answered.
    public var failed: Bool
    /// The call's MOS: the lower of its legs' estimates, nil when neither leg measured one.
    public var mos: Double?

    /// Creates a sample.
    public init(setupAt: Date, answered: Bool, failed: Bool, mos: Double?) {
        self.setupAt = setupAt
        self.answered = answered
        self.failed = failed
        self.mos = mos
    }
}

/// One hour of the chart.
public struct ConsoleHour: Sendable, Equatable, Codable {
    /// The hour's start (a whole UTC hour).
    public var start: Date
    /// Calls set up in the hour.
    public var calls: Int
    /// Of those, answered.
    public var answered: Int
    /// Of those, ended without an answer.
    public var failed: Int
    /// Calls with a MOS.
    public var rated: Int
    /// Their mean MOS, nil when none had one.
    public var mos: Double?
}

/// Groups calls into the whole UTC hours ending with the current one.
public enum ConsoleHourlyStats {
    /// The most hours one answer covers (a week).
    public static let maximumHours = 168

    /// `hours` buckets, oldest first, the last one holding `now`. `hours` is
    /// clamped to 1…``maximumHours``; samples outside the range are ignored, and
    /// a MOS outside 1…5 (or not finite) is not averaged.
    public static func buckets(_ samples: [ConsoleCallSample], hours: Int, now: Date) -> [ConsoleHour] {
        let count = min(max(hours, 1), maximumHours)
        let currentHour = (now.timeIntervalSince1970 / 3600).rounded(.down)
        let first = currentHour - Double(count - 1)
        var result = (0..<count).map { index in
            ConsoleHour(start: Date(timeIntervalSince1970: (first + Double(index)) * 3600),
                        calls: 0, answered: 0, failed: 0, rated: 0, mos: nil)
        }
        var sums = [Double](repeating: 0, count: count)
        for sample in samples {
            let hour = (sample.setupAt.timeIntervalSince1970 / 3600).rounded(.down)
            guard hour.isFinite, hour >= first, hour <= currentHour else { continue }
            let index = Int(hour - first)
            result[index].calls += 1
            if sample.answered { result[index].answered += 1 }
            if sample.failed { result[index].failed += 1 }
            if let mos = sample.mos, mos.isFinite, (1...5).contains(mos) {
                result[index].rated += 1
                sums[index] += mos
            }
        }
        for index in result.indices where result[index].rated > 0 {
            result[index].mos = sums[index] / Double(result[index].rated)
        }
        return result
    }

    /// The JSON answer: `{"hours": [{"start": ISO 8601, "calls", "answered",
    /// "failed", "rated", "mos"}]}`, `mos` omitted for an hour without one.
    public static func json(_ hours: [ConsoleHour]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(["hours": hours])
    }
}
