/// MESSAGE-INTEGRITY and FINGERPRINT checks (RFC 8489 §14.5, §14.7).
///
/// ```
/// MESSAGE-INTEGRITY: HMAC-SHA1 over the header and the attributes before it,
///   with the header length field set as if MESSAGE-INTEGRITY ended the message.
/// FINGERPRINT: CRC-32 XOR 0x5354554E over everything before it, with the
///   length field counting the FINGERPRINT attribute (it is the last one).
/// ```
extension STUNPacket {
    /// Checks MESSAGE-INTEGRITY against a key, in constant time.
    /// - Throws: `missingIntegrity`, `invalidAttribute` (not 20 bytes) or `integrityMismatch`.
    public func verifyIntegrity(key: STUNIntegrityKey) throws(STUNError) {
        guard let attribute = integrityAttribute else {
            throw STUNError(.missingIntegrity, "no MESSAGE-INTEGRITY", attribute: 0x0008)
        }
        guard attribute.valueRange.count == 20 else {
            throw STUNError(.invalidAttribute, "MESSAGE-INTEGRITY is not 20 bytes", attribute: 0x0008)
        }
        let attributeStart = attribute.valueRange.lowerBound - 4
        let length = UInt16(attribute.valueRange.upperBound - STUNMessage.headerLength)
        let expected = key.mac(
            header: bytes[0..<STUNMessage.headerLength], length: length,
            body: bytes[STUNMessage.headerLength..<attributeStart]
        )
        var difference: UInt8 = 0
        for (index, byte) in zip(attribute.valueRange, expected) {
            difference |= bytes[index] ^ byte
        }
        guard difference == 0 else {
            throw STUNError(.integrityMismatch, "MESSAGE-INTEGRITY does not match the key", attribute: 0x0008)
        }
    }

    /// Checks FINGERPRINT.
    /// - Throws: `missingFingerprint`, `invalidAttribute` (not 4 bytes) or `fingerprintMismatch`.
    public func verifyFingerprint() throws(STUNError) {
        guard let attribute = fingerprintAttribute else {
            throw STUNError(.missingFingerprint, "no FINGERPRINT", attribute: 0x8028)
        }
        guard attribute.valueRange.count == 4, attribute.valueRange.upperBound == bytes.count else {
            throw STUNError(.invalidAttribute, "FINGERPRINT is not 4 bytes at the end", attribute: 0x8028)
        }
        let value = bytes[attribute.valueRange].reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
        let computed = CRC32.checksum(bytes[0..<(attribute.valueRange.lowerBound - 4)]) ^ Self.fingerprintXOR
        guard value == computed else {
            throw STUNError(.fingerprintMismatch, "FINGERPRINT does not match the CRC-32", attribute: 0x8028)
        }
    }

    /// True when MESSAGE-INTEGRITY verifies and FINGERPRINT, if present, matches.
    public func isAuthentic(key: STUNIntegrityKey) -> Bool {
        do {
            if hasFingerprint { try verifyFingerprint() }
            try verifyIntegrity(key: key)
            return true
        } catch {
            return false
        }
    }
}
