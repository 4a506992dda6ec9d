import CSpanDSP

/// G.722 at 64 kbit/s (ITU-T G.722) through spandsp. One instance owns one
/// `g722_encode_state_t` and one `g722_decode_state_t`, both freed in
/// `deinit`. Not thread-safe: one call's media loop owns it.
///
/// PCM is 16 kHz, two samples per coded byte; the RTP clock is nevertheless
/// 8000 Hz (RFC 3551 §4.5.2, an erratum kept for compatibility), so a 20 ms
/// frame is 320 samples, 160 bytes, and advances the RTP timestamp by 160.
/// Encode and decode work on caller buffers and allocate nothing.
public final class G722Codec {
    /// The static RTP payload type (RFC 3551).
    public static let payloadType: UInt8 = 9
    /// The RTP clock rate signalled for G.722 (RFC 3551 §4.5.2).
    public static let rtpClockRate = 8_000
    /// The PCM sample rate.
    public static let sampleRate = 16_000
    /// The bit rate used.
    public static let bitRate = 64_000

    /// Owned; created in `init`, freed in `deinit`.
    private let encoder: OpaquePointer
    /// Owned; created in `init`, freed in `deinit`.
    private let decoder: OpaquePointer

    /// Creates an encoder and a decoder at 64 kbit/s, 16 kHz PCM, unpacked
    /// (one octet per code word pair, as RTP carries it).
    public init() throws(CodecError) {
        guard let encoder = g722_encode_init(nil, Int32(Self.bitRate), 0) else {
            throw .allocationFailed("g722_encode_init")
        }
        guard let decoder = g722_decode_init(nil, Int32(Self.bitRate), 0) else {
            g722_encode_free(encoder)
            throw .allocationFailed("g722_decode_init")
        }
        self.encoder = encoder
        self.decoder = decoder
    }

    deinit {
        g722_encode_free(encoder)
        g722_decode_free(decoder)
    }

    /// Encodes 16 kHz PCM (an even number of samples) into one byte per two
    /// samples; returns the bytes written.
    public func encode(_ pcm: UnsafeBufferPointer<Int16>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let samples = min(pcm.count, 2 * out.count) & ~1
        guard samples > 0 else { return 0 }
        return Int(g722_encode(encoder, out.baseAddress, pcm.baseAddress, Int32(clamping: samples)))
    }

    /// Decodes G.722 bytes into 16 kHz PCM, two samples per byte; returns the samples written.
    public func decode(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        let count = min(bytes.count, out.count / 2)
        guard count > 0 else { return 0 }
        return Int(g722_decode(decoder, out.baseAddress, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(clamping: count)))
    }
}
