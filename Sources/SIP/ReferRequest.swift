// An incoming REFER (RFC 3515) as the SIP layer hands it on after answering
// 202: where the far end asks wagate to send the call, and for an attended
// transfer which dialog the new call replaces (RFC 3891 §5).

/// A REFER accepted inside a confirmed dialog.
public struct ReferRequest: Sendable, Equatable {
    /// The longest Refer-To or Referred-By value accepted; a longer one is refused with 400.
    public static let maximumHeaderLength = 2048

    /// The Refer-To URI (without display name and angle brackets, headers kept).
    public var referTo: String
    /// The Refer-To URI's user part, unescaped (`bob`, `+441234567890`); nil when it has none.
    public var targetUser: String?
    /// The `Replaces` header embedded in the Refer-To URI (attended transfer).
    public var replaces: ReplacesHeader?
    /// The local dialog `replaces` names, when wagate is part of it (the
    /// consultation call went through wagate).
    public var replacedHandle: SIPHandle?
    /// The Referred-By value when the REFER carried one (RFC 3892).
    public var referredBy: String?

    /// Creates a request.
    public init(referTo: String, targetUser: String?, replaces: ReplacesHeader? = nil,
                replacedHandle: SIPHandle? = nil, referredBy: String? = nil) {
        self.referTo = referTo
        self.targetUser = targetUser
        self.replaces = replaces
        self.replacedHandle = replacedHandle
        self.referredBy = referredBy
    }

    /// Why a Refer-To value is refused (the Warning text of the 400).
    public enum ReferToProblem: Error, Equatable {
        /// Missing, empty, too long or not a URI.
        case malformed
        /// A URI scheme other than sip or sips (tel:, http:, …): nothing wagate can call.
        case unsupportedScheme(String)
        /// An embedded `Replaces` that does not parse.
        case badReplaces

        /// The Warning text.
        public var text: String {
            switch self {
            case .malformed: "Refer-To is missing or malformed"
            case .unsupportedScheme(let scheme): "Refer-To scheme '\(scheme.prefix(16))' is not sip or sips"
            case .badReplaces: "Replaces in Refer-To is malformed"
            }
        }
    }

    /// Parses a Refer-To header value (`"Bob" <sip:bob@host?Replaces=…>` or a
    /// bare `sip:bob@host`) into a request without a resolved local dialog.
    public static func parse(referTo value: String) -> Result<ReferRequest, ReferToProblem> {
        guard value.utf8.count <= maximumHeaderLength, !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            return .failure(.malformed)
        }
        let uri = uriPart(of: value)
        guard let colon = uri.firstIndex(of: ":"), colon != uri.startIndex else { return .failure(.malformed) }
        let scheme = uri[..<colon].lowercased()
        guard scheme == "sip" || scheme == "sips" else { return .failure(.unsupportedScheme(scheme)) }
        let rest = uri[uri.index(after: colon)...]
        let (address, headers) = splitHeaders(rest)
        guard !address.isEmpty else { return .failure(.malformed) }
        var user: String?
        if let at = address.lastIndex(of: "@") {
            let raw = address[..<at].split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            user = raw.isEmpty ? nil : SofiaMessageReader.unescape(raw)
        }
        var replaces: ReplacesHeader?
        for header in headers where header.name.lowercased() == "replaces" {
            guard let parsed = ReplacesHeader(SofiaMessageReader.unescape(header.value)) else {
                return .failure(.badReplaces)
            }
            replaces = parsed
        }
        return .success(ReferRequest(referTo: uri, targetUser: user, replaces: replaces))
    }

    /// The URI inside `<…>`, else the value up to its first `;` (header parameters).
    private static func uriPart(of value: String) -> String {
        if let open = value.firstIndex(of: "<") {
            let after = value[value.index(after: open)...]
            return String(after.prefix { $0 != ">" }).trimmingSpaces()
        }
        return String(value.prefix { $0 != ";" }).trimmingSpaces()
    }

    /// The URI without its `?…` headers, and those headers as name/value pairs (still escaped).
    private static func splitHeaders(_ rest: Substring) -> (String, [(name: String, value: String)]) {
        guard let question = rest.firstIndex(of: "?") else { return (String(rest), []) }
        let headers = rest[rest.index(after: question)...].split(separator: "&").map { field in
            let pair = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: String(pair[0]), value: pair.count == 2 ? String(pair[1]) : "")
        }
        return (String(rest[..<question]), headers)
    }
}
