// Escaping for values written into HTML pages the gateway and the simulator
// serve: inside a `<script>` element, and inside a double-quoted attribute.

/// Context-specific escaping for values rendered into an HTML page.
public enum HTMLEscaping {
    /// `value` as a double-quoted JavaScript/JSON string literal in which every
    /// character outside `[A-Za-z0-9 .,:/_+@?=#%~-]` is a `\uXXXX` escape (UTF-16
    /// units, so characters beyond the BMP become surrogate pairs). Such a literal
    /// cannot contain `<`, `>`, `&`, quotes, backslashes or line terminators, so it
    /// is safe inside a `<script>` element and valid JSON.
    public static func jsString(_ value: String) -> String {
        var out = "\""
        for unit in value.utf16 {
            if let scalar = Unicode.Scalar(unit), isSafeInScript(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u" + String(unit, radix: 16, uppercase: false).leftPadded(to: 4)
            }
        }
        return out + "\""
    }

    /// A flat JSON object of string values, each written with ``jsString(_:)``,
    /// for a `<script type="application/json">` data block.
    public static func scriptJSON(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(jsString($0.0)):\(jsString($0.1))" }.joined(separator: ",") + "}"
    }

    /// `value` with `&`, `<`, `>`, `"` and `'` as character references, for a
    /// double-quoted HTML attribute.
    public static func htmlAttribute(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func isSafeInScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case " ", ".", ",", ":", "/", "_", "+", "@", "?", "=", "#", "%", "~", "-": true
        default: false
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
