// Strict reading of what clients send to the admin API: call ids from paths,
// CDR filters from the query string. Anything else is a 400 naming the field.

import Foundation
public import Hummingbird

/// Parses and checks admin API input.
public enum AdminRequestParsing {
    /// The most CDRs one request returns.
    public static let maxLimit = 1000

    /// A call id: 1-64 of `A-Z a-z 0-9 - _ .`.
    public static func callID(_ text: String?) throws(AdminFailure) -> String {
        guard let text, (1...64).contains(text.utf8.count), text.utf8.allSatisfy(isIDByte) else {
            throw AdminFailure(status: 400, "'id' must be a call id (1-64 letters, digits, '-', '_' or '.')")
        }
        return text
    }

    /// The CDR filters: `since`, `until` (ISO 8601 or seconds since 1970),
    /// `number`, `caller`, `callee`, `direction`, `failed` (`true`/`false`),
    /// `limit` (1-1000, default 100), `offset`.
    public static func recordQuery(_ parameters: Parameters) throws(AdminFailure) -> AdminRecordQuery {
        let known: Set<String> = ["since", "until", "number", "caller", "callee", "direction", "failed", "limit", "offset"]
        for (key, _) in parameters where !known.contains(String(key)) {
            throw AdminFailure(status: 400, "unknown filter '\(key.prefix(40))'")
        }
        var query = AdminRecordQuery()
        query.since = try time(parameters.get("since"), field: "since")
        query.until = try time(parameters.get("until"), field: "until")
        query.number = try text(parameters.get("number"), field: "number")
        query.caller = try text(parameters.get("caller"), field: "caller")
        query.callee = try text(parameters.get("callee"), field: "callee")
        query.direction = parameters.get("direction")
        guard [nil, "inbound", "outbound"].contains(query.direction) else {
            throw AdminFailure(status: 400, "'direction' must be inbound or outbound")
        }
        switch parameters.get("failed") {
        case nil, "false", "0": query.failed = false
        case "true", "1": query.failed = true
        default: throw AdminFailure(status: 400, "'failed' must be true or false")
        }
        if let limit = parameters.get("limit") {
            guard let value = Int(limit), (1...maxLimit).contains(value) else {
                throw AdminFailure(status: 400, "'limit' must be 1-\(maxLimit)")
            }
            query.limit = value
        }
        if let offset = parameters.get("offset") {
            guard let value = Int(offset), (0...1_000_000).contains(value) else {
                throw AdminFailure(status: 400, "'offset' must be 0-1000000")
            }
            query.offset = value
        }
        return query
    }

    private static func time(_ text: String?, field: String) throws(AdminFailure) -> Date? {
        guard let text else { return nil }
        if let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds < 1e11 {
            return Date(timeIntervalSince1970: seconds)
        }
        if text.utf8.count <= 40, let date = ISO8601DateFormatter().date(from: text) { return date }
        throw AdminFailure(status: 400, "'\(field)' must be an ISO 8601 time or seconds since 1970")
    }

    private static func text(_ text: String?, field: String) throws(AdminFailure) -> String? {
        guard let text else { return nil }
        guard (1...64).contains(text.utf8.count), text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw AdminFailure(status: 400, "'\(field)' must be 1-64 printable characters")
        }
        return text
    }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x5F || byte == 0x2E
    }
}
