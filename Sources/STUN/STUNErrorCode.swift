/// The value of ERROR-CODE: a code 300–699 and a reason phrase (RFC 8489 §14.8).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Reserved, should be 0         |Class|     Number    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Reason Phrase (variable)                                ..
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct STUNErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The code, e.g. 487.
    public var code: Int
    /// The reason phrase.
    public var reason: String

    /// Creates an error code.
    public init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// 400 Bad Request (RFC 8489 §14.8).
    public static let badRequest = STUNErrorCode(code: 400, reason: "Bad Request")
    /// 401 Unauthenticated (RFC 8489 §14.8).
    public static let unauthenticated = STUNErrorCode(code: 401, reason: "Unauthenticated")
    /// 420 Unknown Attribute (RFC 8489 §14.8).
    public static let unknownAttribute = STUNErrorCode(code: 420, reason: "Unknown Attribute")
    /// 487 Role Conflict (RFC 8445 §7.3.1.1, §16.2).
    public static let roleConflict = STUNErrorCode(code: 487, reason: "Role Conflict")
    /// 500 Server Error (RFC 8489 §14.8).
    public static let serverError = STUNErrorCode(code: 500, reason: "Server Error")

    /// Encodes the attribute value.
    func encodeValue(into buffer: inout [UInt8]) throws(STUNError) {
        guard (300...699).contains(code) else {
            throw STUNError(.invalidParameter, "error code \(code) is outside 300-699", attribute: 0x0009)
        }
        buffer.append(contentsOf: [0, 0, UInt8(code / 100), UInt8(code % 100)])
        buffer.append(contentsOf: Array(reason.utf8.prefix(763)))
    }

    /// Decodes the attribute value.
    init(value: ArraySlice<UInt8>) throws(STUNError) {
        guard value.count >= 4 else {
            throw STUNError(.invalidAttribute, "ERROR-CODE shorter than 4 bytes", attribute: 0x0009)
        }
        let start = value.startIndex
        let errorClass = Int(value[start + 2] & 0x07)
        let number = Int(value[start + 3])
        guard (3...6).contains(errorClass), number < 100 else {
            throw STUNError(.invalidAttribute, "ERROR-CODE class \(errorClass) number \(number)", attribute: 0x0009)
        }
        self.init(code: errorClass * 100 + number, reason: String(decoding: value.dropFirst(4), as: UTF8.self))
    }

    /// `487 Role Conflict`.
    public var description: String {
        "\(code) \(reason)"
    }
}
