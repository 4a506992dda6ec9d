/// The STUN message type: a method and a class (RFC 8489 §5).
///
/// ```
///  0                 1
///  2  3  4 5 6 7 8 9 0 1 2 3 4 5
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
/// |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct STUNMessageType: Hashable, Sendable, CustomStringConvertible {
    /// The message class (RFC 8489 §3).
    public enum Class: UInt8, Hashable, Sendable {
        /// A request (C1 C0 = 00).
        case request = 0b00
        /// An indication (01).
        case indication = 0b01
        /// A success response (10).
        case successResponse = 0b10
        /// An error response (11).
        case errorResponse = 0b11
    }

    /// The 12-bit method; 0x001 is Binding (RFC 8489 §18.2).
    public var method: UInt16
    /// The class.
    public var messageClass: Class

    /// The Binding method.
    public static let bindingMethod: UInt16 = 0x001
    /// Binding request (0x0001).
    public static let bindingRequest = STUNMessageType(method: bindingMethod, messageClass: .request)
    /// Binding indication (0x0011).
    public static let bindingIndication = STUNMessageType(method: bindingMethod, messageClass: .indication)
    /// Binding success response (0x0101).
    public static let bindingSuccess = STUNMessageType(method: bindingMethod, messageClass: .successResponse)
    /// Binding error response (0x0111).
    public static let bindingError = STUNMessageType(method: bindingMethod, messageClass: .errorResponse)

    /// Creates a type from a method (low 12 bits used) and a class.
    public init(method: UInt16, messageClass: Class) {
        self.method = method & 0x0FFF
        self.messageClass = messageClass
    }

    /// Decodes the 14-bit field (the two leading zero bits already checked).
    public init(rawValue: UInt16) {
        let method = (rawValue & 0x000F) | ((rawValue & 0x00E0) >> 1) | ((rawValue & 0x3E00) >> 2)
        let classBits = ((rawValue & 0x0010) >> 4) | ((rawValue & 0x0100) >> 7)
        self.method = method
        self.messageClass = Class(rawValue: UInt8(classBits)) ?? .request
    }

    /// The 16-bit wire value.
    public var rawValue: UInt16 {
        let m = method
        let c = UInt16(messageClass.rawValue)
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7)
    }

    /// Whether this is a success or error response.
    public var isResponse: Bool {
        messageClass == .successResponse || messageClass == .errorResponse
    }

    /// `binding request`, `method 0x3 success`, …
    public var description: String {
        let name = method == Self.bindingMethod ? "binding" : "method 0x" + String(method, radix: 16)
        switch messageClass {
        case .request: return name + " request"
        case .indication: return name + " indication"
        case .successResponse: return name + " success"
        case .errorResponse: return name + " error"
        }
    }
}
