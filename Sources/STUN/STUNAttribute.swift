/// One decoded STUN attribute (RFC 8489 §14, RFC 8445 §16.1).
///
/// Every attribute is a TLV padded to a multiple of 4 bytes (RFC 8489 §14):
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Value (variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// MESSAGE-INTEGRITY and FINGERPRINT are not cases: they are computed by
/// `STUNMessage.encode(integrityKey:fingerprint:)` and checked on `STUNPacket`.
public enum STUNAttribute: Hashable, Sendable {
    /// MAPPED-ADDRESS (RFC 8489 §14.1).
    case mappedAddress(TransportAddress)
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
    case xorMappedAddress(TransportAddress)
    /// USERNAME, at most 513 bytes (RFC 8489 §14.3); ICE uses `remoteUfrag:localUfrag`.
    case username(String)
    /// ERROR-CODE (RFC 8489 §14.8).
    case errorCode(STUNErrorCode)
    /// UNKNOWN-ATTRIBUTES (RFC 8489 §14.9).
    case unknownAttributes([UInt16])
    /// REALM (RFC 8489 §14.9).
    case realm(String)
    /// NONCE (RFC 8489 §14.10).
    case nonce(String)
    /// SOFTWARE (RFC 8489 §14.14).
    case software(String)
    /// PRIORITY (RFC 8445 §7.1.1).
    case priority(UInt32)
    /// USE-CANDIDATE (RFC 8445 §7.1.2), empty.
    case useCandidate
    /// ICE-CONTROLLED with its tie-breaker (RFC 8445 §7.1.3).
    case iceControlled(UInt64)
    /// ICE-CONTROLLING with its tie-breaker (RFC 8445 §7.1.3).
    case iceControlling(UInt64)
    /// Any other attribute, kept as raw value bytes (unpadded).
    case other(type: UInt16, value: [UInt8])

    /// The wire type.
    public var type: STUNAttributeType {
        switch self {
        case .mappedAddress: return .mappedAddress
        case .xorMappedAddress: return .xorMappedAddress
        case .username: return .username
        case .errorCode: return .errorCode
        case .unknownAttributes: return .unknownAttributes
        case .realm: return .realm
        case .nonce: return .nonce
        case .software: return .software
        case .priority: return .priority
        case .useCandidate: return .useCandidate
        case .iceControlled: return .iceControlled
        case .iceControlling: return .iceControlling
        case .other(let type, _): return STUNAttributeType(rawValue: type)
        }
    }

    /// Appends the (unpadded) value bytes.
    func encodeValue(into buffer: inout [UInt8], transactionID: STUNTransactionID) throws(STUNError) {
        switch self {
        case .mappedAddress(let address):
            STUNAddressCodec.encode(address, xor: nil, into: &buffer)
        case .xorMappedAddress(let address):
            STUNAddressCodec.encode(address, xor: transactionID, into: &buffer)
        case .username(let text), .realm(let text), .nonce(let text), .software(let text):
            let limit = type == .username ? 513 : 763
            guard text.utf8.count <= limit else {
                throw STUNError(.invalidParameter, "value longer than \(limit) bytes", attribute: type.rawValue)
            }
            buffer.append(contentsOf: text.utf8)
        case .errorCode(let code):
            try code.encodeValue(into: &buffer)
        case .unknownAttributes(let types):
            for item in types {
                Self.appendBigEndian(UInt64(item), bytes: 2, to: &buffer)
            }
        case .priority(let value):
            Self.appendBigEndian(UInt64(value), bytes: 4, to: &buffer)
        case .useCandidate:
            break
        case .iceControlled(let value), .iceControlling(let value):
            Self.appendBigEndian(value, bytes: 8, to: &buffer)
        case .other(_, let value):
            buffer.append(contentsOf: value)
        }
    }

    /// Decodes one attribute's value; unknown types become `.other`.
    public init(type: UInt16, value: ArraySlice<UInt8>, transactionID: STUNTransactionID) throws(STUNError) {
        switch STUNAttributeType(rawValue: type) {
        case .mappedAddress:
            self = .mappedAddress(try STUNAddressCodec.decode(value, xor: nil, type: type))
        case .xorMappedAddress:
            self = .xorMappedAddress(try STUNAddressCodec.decode(value, xor: transactionID, type: type))
        case .username: self = .username(String(decoding: value, as: UTF8.self))
        case .realm: self = .realm(String(decoding: value, as: UTF8.self))
        case .nonce: self = .nonce(String(decoding: value, as: UTF8.self))
        case .software: self = .software(String(decoding: value, as: UTF8.self))
        case .errorCode: self = .errorCode(try STUNErrorCode(value: value))
        case .unknownAttributes:
            guard value.count % 2 == 0 else {
                throw STUNError(.invalidAttribute, "UNKNOWN-ATTRIBUTES length is odd", attribute: type)
            }
            self = .unknownAttributes(stride(from: value.startIndex, to: value.endIndex, by: 2).map {
                UInt16(value[$0]) << 8 | UInt16(value[$0 + 1])
            })
        case .priority:
            self = .priority(UInt32(try Self.fixedWidth(value, bytes: 4, type: type)))
        case .useCandidate:
            guard value.isEmpty else { throw STUNError(.invalidAttribute, "USE-CANDIDATE is not empty", attribute: type) }
            self = .useCandidate
        case .iceControlled: self = .iceControlled(try Self.fixedWidth(value, bytes: 8, type: type))
        case .iceControlling: self = .iceControlling(try Self.fixedWidth(value, bytes: 8, type: type))
        default: self = .other(type: type, value: Array(value))
        }
    }

    /// Reads a big-endian integer of exactly `bytes` bytes.
    static func fixedWidth(_ value: ArraySlice<UInt8>, bytes: Int, type: UInt16) throws(STUNError) -> UInt64 {
        guard value.count == bytes else {
            throw STUNError(.invalidAttribute, "value must be \(bytes) bytes, got \(value.count)", attribute: type)
        }
        return value.reduce(0) { ($0 << 8) | UInt64($1) }
    }

    /// Appends the low `bytes` bytes of `value`, big-endian.
    static func appendBigEndian(_ value: UInt64, bytes: Int, to buffer: inout [UInt8]) {
        for index in stride(from: bytes - 1, through: 0, by: -1) {
            buffer.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * index)))
        }
    }
}
