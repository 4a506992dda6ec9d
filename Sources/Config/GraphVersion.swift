public import Foundation

/// A Graph API version (`vMAJOR.MINOR`) and what Meta publishes about its life.
///
/// Meta serves each Graph API version for about two years and then retires it:
/// requests to a retired version fail, so a gateway pinned to one stops placing
/// and answering calls on that day. The table below is Meta's published
/// schedule ("Graph API changelog: versions",
/// https://developers.facebook.com/docs/graph-api/changelog/versions/); a
/// version with no expiry date yet is the current one.
public struct GraphVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major number (`26` in `v26.0`).
    public var major: Int
    /// The minor number (`0` in `v26.0`).
    public var minor: Int

    /// A version from its numbers.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `vNN.N` (at most four digits a part); nil for anything else.
    public init?(_ text: String) {
        guard text.hasPrefix("v") else { return nil }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ TextScanning.isDigits($0) && $0.count <= 4 }),
              let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    /// `vMAJOR.MINOR`.
    public var description: String { "v\(major).\(minor)" }

    /// Older versions sort first.
    public static func < (lhs: GraphVersion, rhs: GraphVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// The version wagate uses when `graph_version` is not set: the newest in the table.
    public static let current = GraphVersion(major: 26, minor: 0)

    /// Meta's schedule: release and expiry dates (UTC days), newest first. A nil
    /// expiry means Meta has not announced one.
    static let schedule: [(version: GraphVersion, released: String, expires: String?)] = [
        (GraphVersion(major: 26, minor: 0), "2026-07-29", nil),
        (GraphVersion(major: 25, minor: 0), "2026-02-18", "2028-07-29"),
        (GraphVersion(major: 24, minor: 0), "2025-10-08", "2028-02-18"),
        (GraphVersion(major: 23, minor: 0), "2025-05-29", "2027-10-08"),
        (GraphVersion(major: 22, minor: 0), "2025-01-21", "2027-05-20"),
        (GraphVersion(major: 21, minor: 0), "2024-10-02", "2027-01-21"),
        (GraphVersion(major: 20, minor: 0), "2024-05-21", "2026-09-24"),
        (GraphVersion(major: 19, minor: 0), "2024-01-23", "2026-05-21"),
        (GraphVersion(major: 18, minor: 0), "2023-09-12", "2026-01-26"),
        (GraphVersion(major: 17, minor: 0), "2023-05-23", "2025-09-12"),
        (GraphVersion(major: 16, minor: 0), "2023-02-02", "2025-05-14"),
    ]

    /// How far ahead of a version's expiry wagate warns.
    public static let warningWindow: TimeInterval = 90 * 86_400

    /// Where a version stands on `date`.
    public enum Lifetime: Sendable, Equatable {
        /// Served, with no expiry within the warning window (or none announced).
        case supported
        /// Served until the given day, which is within the warning window.
        case expiresSoon(Date)
        /// Retired on the given day, or (nil) older than every version in the table.
        case expired(Date?)
        /// Not in the table: newer than this build of wagate knows, or a number
        /// Meta never shipped. Requests to it may fail.
        case unlisted
    }

    /// Where this version stands on `date`.
    public func lifetime(at date: Date) -> Lifetime {
        if let entry = Self.schedule.first(where: { $0.version == self }) {
            guard let expiry = entry.expires.flatMap(Self.day) else { return .supported }
            if date >= expiry { return .expired(expiry) }
            return expiry.timeIntervalSince(date) <= Self.warningWindow ? .expiresSoon(expiry) : .supported
        }
        if let oldest = Self.schedule.last?.version, self < oldest { return .expired(nil) }
        return .unlisted
    }

    /// Midnight UTC of a `YYYY-MM-DD` day; nil for anything else.
    public static func day(_ text: String) -> Date? {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 3, fields.allSatisfy({ TextScanning.isDigits($0) && $0.count <= 4 }) else { return nil }
        let parts = fields.compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar.date(from: components)
    }
}
