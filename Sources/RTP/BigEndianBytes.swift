// Internal big-endian (network order, RFC 791 Appendix B) loads and stores on
// raw buffers, beside the UInt32 pair in RTPHeader.swift. Callers check bounds.

extension UnsafeRawBufferPointer {
    /// The big-endian 16-bit value at `offset`.
    @inline(__always)
    func loadBigEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// The big-endian 64-bit value at `offset`.
    @inline(__always)
    func loadBigEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(loadBigEndianUInt32(at: offset)) << 32 | UInt64(loadBigEndianUInt32(at: offset + 4))
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Stores `value` big-endian at `offset`.
    @inline(__always)
    func storeBigEndian(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    /// Stores `value` big-endian at `offset`.
    @inline(__always)
    func storeBigEndian(_ value: UInt64, at offset: Int) {
        storeBigEndian(UInt32(truncatingIfNeeded: value >> 32), at: offset)
        storeBigEndian(UInt32(truncatingIfNeeded: value), at: offset + 4)
    }
}
