// A CDR row as log metadata: every column that has a value, under its
// snake_case name (`call_id`, `sip_codec`, `phone_number_id`, ...), nested
// groups (a leg's quality, a Meta artifact) as nested fields. Derived from the
// row's Codable form, so a column added to the CDR appears in the log without
// a second list of columns to keep in step.

import Foundation
import Logging
import Store

extension CallSummaryLog {
    /// Keys left out of the line: Meta's artifact download URLs are signed,
    /// short-lived credentials, not something to copy into log storage.
    static let omittedKeys: Set<String> = ["url"]

    /// The row's columns with values, plus the answered duration and setup time.
    static func rowFields(_ row: CallDetailRecord) -> Logger.Metadata {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(row),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var fields = Logger.Metadata()
        for (key, value) in object where !omittedKeys.contains(key) {
            if let converted = metadataValue(value) { fields[key] = converted }
        }
        if let duration = row.duration { fields["duration_s"] = .string(String(format: "%.1f", duration)) }
        if let answerAt = row.answerAt {
            fields["setup_s"] = .string(String(format: "%.3f", answerAt.timeIntervalSince(row.setupAt)))
        }
        return fields
    }

    /// A JSON value as metadata; nil for JSON null, an empty group, or an omitted key.
    private static func metadataValue(_ value: Any) -> Logger.Metadata.Value? {
        switch value {
        case let text as String:
            return .string(text)
        case let number as NSNumber:
            return .string(number.stringValue)
        case let object as [String: Any]:
            var nested = Logger.Metadata()
            for (key, item) in object where !omittedKeys.contains(key) {
                if let converted = metadataValue(item) { nested[key] = converted }
            }
            return nested.isEmpty ? nil : .dictionary(nested)
        case let items as [Any]:
            let converted = items.compactMap(metadataValue)
            return converted.isEmpty ? nil : .array(converted)
        default:
            return nil
        }
    }
}
