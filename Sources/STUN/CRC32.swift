/// CRC-32 as used by FINGERPRINT (RFC 8489 §14.7, ISO/IEC 13239 / ITU-T V.42):
/// reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
/// Table-driven, one byte at a time.
public enum CRC32 {
    /// The 256-entry lookup table, built once.
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    /// The CRC-32 of `bytes` (`"123456789"` gives 0xCBF43926).
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
