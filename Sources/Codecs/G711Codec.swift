import CSpanDSP

/// G.711 µ-law or A-law (ITU-T G.711) through spandsp. One instance owns one
/// `g711_state_t`, freed in `deinit`. Not thread-safe: one call's media loop
/// owns it. Encode and decode work on caller-provided buffers and allocate nothing.
public final class G711Codec {
    /// The two G.711 laws, with their static RTP payload types (RFC 3551).
    public enum Law: Sendable {
        /// µ-law, PCMU, payload type 0.
        case ulaw
        /// A-law, PCMA, payload type 8.
        case alaw

        /// The static RTP payload type.
        public var payloadType: UInt8 { self == .ulaw ? 0 : 8 }
    }

    /// Which law this codec speaks.
    public let law: Law
    private let state: OpaquePointer

    /// Creates a codec. Throws when spandsp cannot allocate its state.
    public init(_ law: Law) throws(CodecError) {
        guard let state = g711_init(nil, law == .ulaw ? Int32(G711_ULAW) : Int32(G711_ALAW)) else {
            throw .allocationFailed("g711_init")
        }
        self.law = law
        self.state = state
    }

    deinit {
        g711_free(state)
    }

    /// Encodes PCM samples (8 kHz, 16-bit) into one byte per sample; returns the bytes written.
    public func encode(_ pcm: UnsafeBufferPointer<Int16>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let count = min(pcm.count, out.count)
        guard count > 0 else { return 0 }
        return Int(g711_encode(state, out.baseAddress, pcm.baseAddress, Int32(clamping: count)))
    }

    /// Decodes G.711 bytes into PCM samples; returns the samples written.
    public func decode(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Int16>) -> Int {
        let count = min(bytes.count, out.count)
        guard count > 0 else { return 0 }
        return Int(g711_decode(state, out.baseAddress, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(clamping: count)))
    }
}
