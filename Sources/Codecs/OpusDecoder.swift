import COpus
import COpusShims

/// A mono Opus decoder (RFC 6716) through libopus's single-stream API, at
/// the SIP codec's PCM rate. One instance owns one `OpusDecoder *`, freed in
/// `deinit`. Not thread-safe: one call's media loop owns it.
///
/// On loss, prefer `decodeFEC(nextPacket:into:)` when the packet after the
/// gap has arrived (its LBRR data rebuilds the lost frame), else
/// `concealLoss(into:)` (packet loss concealment). Nothing allocates per frame.
public final class OpusDecoder {
    /// The PCM sample rate.
    public let sampleRate: Int
    /// Samples in one 20 ms frame at `sampleRate`.
    public let frameSize: Int
    /// The most samples one packet can decode to (120 ms).
    public let maxFrameSize: Int
    /// Owned; created in `init`, destroyed in `deinit`.
    private let decoder: OpaquePointer

    /// Creates a decoder producing mono PCM at `sampleRate` (8, 12, 16, 24 or 48 kHz).
    public init(sampleRate: Int) throws(CodecError) {
        guard OpusEncoder.supportedSampleRates.contains(sampleRate) else {
            throw .libraryError("opus_decoder_create(\(sampleRate) Hz)", code: OPUS_BAD_ARG)
        }
        var error: Int32 = 0
        guard let decoder = opus_decoder_create(Int32(sampleRate), 1, &error), error == OPUS_OK else {
            throw .allocationFailed("opus_decoder_create: \(OpusEncoder.message(error))")
        }
        self.decoder = decoder
        self.sampleRate = sampleRate
        frameSize = sampleRate / 50
        maxFrameSize = sampleRate * 120 / 1000
    }

    deinit {
        opus_decoder_destroy(decoder)
    }

    /// Decodes one packet into `out` (which should hold `maxFrameSize`, at
    /// least the packet's duration); returns the samples written.
    public func decode(packet: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Int16>) throws(CodecError) -> Int {
        guard let data = packet.baseAddress, !packet.isEmpty else {
            throw .libraryError("opus_decode(empty packet)", code: OPUS_BAD_ARG)
        }
        return try run(data, Int32(clamping: packet.count), out, frames: out.count, fec: 0, "opus_decode")
    }

    /// Rebuilds the lost frame before `nextPacket` from `nextPacket`'s in-band
    /// FEC (`decode_fec = 1`), `lostSamples` long (20 ms by default). When the
    /// packet carries no FEC data libopus conceals instead. Call `decode` on
    /// `nextPacket` afterwards as usual.
    public func decodeFEC(
        nextPacket: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Int16>, lostSamples: Int? = nil
    ) throws(CodecError) -> Int {
        guard let data = nextPacket.baseAddress, !nextPacket.isEmpty else {
            throw .libraryError("opus_decode(fec, empty packet)", code: OPUS_BAD_ARG)
        }
        let frames = lostSamples ?? frameSize
        guard out.count >= frames else { throw .libraryError("opus_decode(fec, short buffer)", code: OPUS_BUFFER_TOO_SMALL) }
        return try run(data, Int32(clamping: nextPacket.count), out, frames: frames, fec: 1, "opus_decode(fec)")
    }

    /// Conceals one lost frame (`lostSamples` long, 20 ms by default) with
    /// libopus's PLC (a NULL packet); returns the samples written.
    public func concealLoss(into out: UnsafeMutableBufferPointer<Int16>, lostSamples: Int? = nil) throws(CodecError) -> Int {
        let frames = lostSamples ?? frameSize
        guard out.count >= frames else { throw .libraryError("opus_decode(plc, short buffer)", code: OPUS_BUFFER_TOO_SMALL) }
        return try run(nil, 0, out, frames: frames, fec: 0, "opus_decode(plc)")
    }

    /// The duration in samples of the last packet decoded or concealed.
    public var lastPacketDuration: Int {
        var value: Int32 = 0
        return opus_shim_decoder_get_last_packet_duration(decoder, &value) == OPUS_OK ? Int(value) : 0
    }

    /// Resets the decoder to a fresh stream.
    public func reset() throws(CodecError) {
        try OpusEncoder.check(opus_shim_decoder_reset(decoder), "OPUS_RESET_STATE")
    }

    private func run(
        _ data: UnsafeRawPointer?, _ length: Int32, _ out: UnsafeMutableBufferPointer<Int16>,
        frames: Int, fec: Int32, _ call: StaticString
    ) throws(CodecError) -> Int {
        guard let output = out.baseAddress else { throw .libraryError("\(call)(empty output)", code: OPUS_BAD_ARG) }
        let bytes = data?.assumingMemoryBound(to: UInt8.self)
        let result = opus_decode(decoder, bytes, length, output, Int32(clamping: frames), fec)
        guard result >= 0 else { throw .libraryError("\(call)", code: result) }
        return Int(result)
    }
}
