import Foundation

/// The timestamp inside a 138012 `error_data.details` text. Meta documents that
/// the details "include a timestamp when the next call is allowed" without fixing
/// its form, so both a Unix time (10 digits) and an ISO 8601 date-time are read.
enum GraphErrorTimestamp {
    /// The first plausible timestamp in `text`, or nil.
    static func first(in text: String) -> Date? {
        let text = String(text.prefix(GraphError.textLimit))
        if let match = text.firstMatch(of: /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})/) {
            let stamp = String(match.output.0).replacingOccurrences(of: " ", with: "T")
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: stamp) { return date }
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: stamp) { return date }
        }
        return digitRuns(in: text).lazy.filter { $0.count == 10 }
            .compactMap { Double($0).flatMap(GraphError.plausibleDate) }.first
    }

    /// The runs of ASCII digits in `text`.
    static func digitRuns(in text: String) -> [Substring] {
        text.split { !("0"..."9").contains($0) }
    }
}
