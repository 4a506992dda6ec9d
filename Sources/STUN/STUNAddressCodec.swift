/// MAPPED-ADDRESS and XOR-MAPPED-ADDRESS values (RFC 8489 §14.1, §14.2).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                X-Address (Variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// X-Port is the port XOR the cookie's high 16 bits; an IPv4 X-Address is XOR
/// the cookie, an IPv6 one XOR the cookie followed by the transaction id.
enum STUNAddressCodec {
    /// Family 0x01.
    static let familyIPv4: UInt8 = 0x01
    /// Family 0x02.
    static let familyIPv6: UInt8 = 0x02

    /// Appends the value; `xor` is the transaction id for XOR-MAPPED-ADDRESS, nil for MAPPED-ADDRESS.
    static func encode(_ address: TransportAddress, xor transactionID: STUNTransactionID?, into buffer: inout [UInt8]) {
        let cookie = STUNMessage.magicCookie
        let port = transactionID == nil ? address.port : address.port ^ UInt16(cookie >> 16)
        switch address.ip {
        case .v4(let value):
            buffer.append(contentsOf: [0, familyIPv4, UInt8(port >> 8), UInt8(port & 0xFF)])
            let ip = transactionID == nil ? value : value ^ cookie
            STUNAttribute.appendBigEndian(UInt64(ip), bytes: 4, to: &buffer)
        case .v6(let high, let low):
            buffer.append(contentsOf: [0, familyIPv6, UInt8(port >> 8), UInt8(port & 0xFF)])
            var xorHigh = high
            var xorLow = low
            if let transactionID {
                xorHigh ^= (UInt64(cookie) << 32) | (transactionID.high >> 32)
                xorLow ^= (transactionID.high << 32) | UInt64(transactionID.low)
            }
            STUNAttribute.appendBigEndian(xorHigh, bytes: 8, to: &buffer)
            STUNAttribute.appendBigEndian(xorLow, bytes: 8, to: &buffer)
        }
    }

    /// Decodes a value; `xor` as in `encode`.
    static func decode(
        _ value: ArraySlice<UInt8>, xor transactionID: STUNTransactionID?, type: UInt16
    ) throws(STUNError) -> TransportAddress {
        guard value.count >= 4 else {
            throw STUNError(.invalidAttribute, "address value shorter than 4 bytes", attribute: type)
        }
        let start = value.startIndex
        let family = value[start + 1]
        var port = UInt16(value[start + 2]) << 8 | UInt16(value[start + 3])
        if transactionID != nil {
            port ^= UInt16(STUNMessage.magicCookie >> 16)
        }
        let body = value.dropFirst(4)
        switch family {
        case familyIPv4:
            var ip = UInt32(try STUNAttribute.fixedWidth(body, bytes: 4, type: type))
            if transactionID != nil { ip ^= STUNMessage.magicCookie }
            return TransportAddress(ip: .v4(ip), port: port)
        case familyIPv6:
            guard body.count == 16 else {
                throw STUNError(.invalidAttribute, "IPv6 address must be 16 bytes", attribute: type)
            }
            var high = try STUNAttribute.fixedWidth(body.prefix(8), bytes: 8, type: type)
            var low = try STUNAttribute.fixedWidth(body.suffix(8), bytes: 8, type: type)
            if let transactionID {
                high ^= (UInt64(STUNMessage.magicCookie) << 32) | (transactionID.high >> 32)
                low ^= (transactionID.high << 32) | UInt64(transactionID.low)
            }
            return TransportAddress(ip: .v6(high, low), port: port)
        default:
            throw STUNError(.invalidAttribute, "unknown address family \(family)", attribute: type)
        }
    }
}
