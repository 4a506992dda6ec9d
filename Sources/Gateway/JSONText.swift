// JSON text for log lines: strings escaped per RFC 8259 section 7 (quote,
// backslash and every control character), plus U+2028/U+2029, which some
// JavaScript-based log viewers treat as line ends. A SIP header or a display
// name from the network can carry any of these, so nothing is written raw.

import Foundation
import Logging

/// Writing log values as JSON text.
enum JSONText {
    private static let hex: [Character] = Array("0123456789abcdef")

    /// Appends `text` as a quoted, escaped JSON string.
    static func appendString(_ text: String, to out: inout String) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{2028}", "\u{2029}", "\u{7F}":
                appendEscape(scalar.value, to: &out)
            default:
                if scalar.value < 0x20 { appendEscape(scalar.value, to: &out) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out.append("\"")
    }

    /// Appends a swift-log metadata value: strings as strings, dictionaries as
    /// objects (keys sorted), arrays as arrays.
    static func appendValue(_ value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let text): appendString(text, to: &out)
        case .stringConvertible(let item): appendString(item.description, to: &out)
        case .dictionary(let entries):
            out.append("{")
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { out.append(",") }
                appendString(key, to: &out)
                out.append(":")
                if let item = entries[key] { appendValue(item, to: &out) }
            }
            out.append("}")
        case .array(let items):
            out.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(",") }
                appendValue(item, to: &out)
            }
            out.append("]")
        }
    }

    /// RFC 3339 UTC with milliseconds, e.g. `2026-03-01T12:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = min(999, max(0, Int((interval - Double(seconds)) * 1000)))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(millis, 3))Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// `\uXXXX` for a scalar of the Basic Multilingual Plane.
    private static func appendEscape(_ value: UInt32, to out: inout String) {
        out.append("\\u")
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hex[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}
