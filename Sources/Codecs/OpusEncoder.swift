import COpus
import COpusShims

/// A mono Opus encoder (RFC 6716) through libopus's single-stream API. One
/// instance owns one `OpusEncoder *`, freed in `deinit`. Not thread-safe: one
/// call's media loop owns it.
///
/// The encoder runs at the SIP codec's PCM rate (8 kHz beside G.711, 16 kHz
/// beside G.722, or 48 kHz), which libopus accepts directly, so no resampler
/// is needed; the RTP clock of Opus stays 48 kHz whatever the PCM rate
/// (RFC 7587 §4.1). Configured for VoIP: signal voice, in-band FEC on with
/// an expected loss percentage (so LBRR data is actually coded), VBR, no DTX.
/// Encoding works on caller buffers and allocates nothing.
public final class OpusEncoder {
    /// The RTP clock rate of Opus, whatever the PCM rate (RFC 7587 §4.1).
    public static let rtpClockRate = 48_000
    /// The PCM rates libopus accepts.
    public static let supportedSampleRates = [8_000, 12_000, 16_000, 24_000, 48_000]
    /// The largest packet worth sending: RFC 6716 §3.4's 1275-byte frame plus TOC.
    public static let maxPacketSize = 1_276

    /// The PCM sample rate.
    public let sampleRate: Int
    /// Samples in one 20 ms frame at `sampleRate`.
    public let frameSize: Int
    /// RTP timestamp increment of one 20 ms frame (960 at 48 kHz).
    public let rtpTimestampIncrement = 960
    /// The encoder's look-ahead in samples at `sampleRate`: the delay between
    /// PCM in and decoded PCM out.
    public let lookahead: Int
    /// Owned; created in `init`, destroyed in `deinit`.
    private let encoder: OpaquePointer

    /// Creates an encoder: `bitrate` in bit/s (6000–510000), `complexity`
    /// 0–10, `expectedLossPercent` 0–100 (what FEC is sized for).
    public init(sampleRate: Int, bitrate: Int = 24_000, complexity: Int = 5, expectedLossPercent: Int = 10) throws(CodecError) {
        var error: Int32 = 0
        guard Self.supportedSampleRates.contains(sampleRate) else {
            throw .libraryError("opus_encoder_create(\(sampleRate) Hz)", code: OPUS_BAD_ARG)
        }
        guard let encoder = opus_encoder_create(Int32(sampleRate), 1, OPUS_APPLICATION_VOIP, &error), error == OPUS_OK else {
            throw .allocationFailed("opus_encoder_create: \(Self.message(error))")
        }
        self.encoder = encoder
        self.sampleRate = sampleRate
        frameSize = sampleRate / 50
        var samples: Int32 = 0
        let lookaheadStatus = opus_shim_get_lookahead(encoder, &samples)
        lookahead = Int(samples)
        try Self.check(lookaheadStatus, "OPUS_GET_LOOKAHEAD")
        try Self.check(opus_shim_set_bitrate(encoder, Int32(clamping: bitrate)), "OPUS_SET_BITRATE(\(bitrate))")
        try Self.check(opus_shim_set_complexity(encoder, Int32(clamping: complexity)), "OPUS_SET_COMPLEXITY(\(complexity))")
        try Self.check(opus_shim_set_signal_voice(encoder), "OPUS_SET_SIGNAL(VOICE)")
        try Self.check(opus_shim_set_inband_fec(encoder, 1), "OPUS_SET_INBAND_FEC(1)")
        try Self.check(
            opus_shim_set_packet_loss_perc(encoder, Int32(clamping: expectedLossPercent)),
            "OPUS_SET_PACKET_LOSS_PERC(\(expectedLossPercent))"
        )
        try Self.check(opus_shim_set_vbr(encoder, 1), "OPUS_SET_VBR(1)")
        try Self.check(opus_shim_set_dtx(encoder, 0), "OPUS_SET_DTX(0)")
    }

    deinit {
        opus_encoder_destroy(encoder)
    }

    /// Encodes one frame of mono PCM (normally `frameSize` samples, 20 ms;
    /// libopus also takes 2.5/5/10/40/60 ms) into `out`; returns the packet's
    /// size. `out` should hold `maxPacketSize` bytes.
    public func encode(pcm: UnsafeBufferPointer<Int16>, into out: UnsafeMutableRawBufferPointer) throws(CodecError) -> Int {
        guard let input = pcm.baseAddress, let output = out.baseAddress else {
            throw .libraryError("opus_encode(empty buffer)", code: OPUS_BAD_ARG)
        }
        let result = opus_encode(
            encoder, input, Int32(clamping: pcm.count),
            output.assumingMemoryBound(to: UInt8.self), Int32(clamping: out.count)
        )
        guard result >= 0 else { throw .libraryError("opus_encode", code: result) }
        return Int(result)
    }

    /// The bitrate in bit/s the encoder is set to.
    public var bitrate: Int {
        var value: Int32 = 0
        return opus_shim_get_bitrate(encoder, &value) == OPUS_OK ? Int(value) : 0
    }

    /// The complexity (0–10) the encoder is set to.
    public var complexity: Int {
        var value: Int32 = 0
        return opus_shim_get_complexity(encoder, &value) == OPUS_OK ? Int(value) : 0
    }

    /// Whether in-band FEC is on.
    public var isInbandFECEnabled: Bool {
        var value: Int32 = 0
        return opus_shim_get_inband_fec(encoder, &value) == OPUS_OK && value != 0
    }

    /// The expected packet loss, in percent, FEC is sized for.
    public var expectedLossPercent: Int {
        var value: Int32 = 0
        return opus_shim_get_packet_loss_perc(encoder, &value) == OPUS_OK ? Int(value) : 0
    }

    /// Tells the encoder a new loss estimate (e.g. from RTCP fraction lost).
    public func setExpectedLossPercent(_ percent: Int) throws(CodecError) {
        try Self.check(opus_shim_set_packet_loss_perc(encoder, Int32(clamping: percent)), "OPUS_SET_PACKET_LOSS_PERC(\(percent))")
    }

    /// Limits the audio bandwidth the encoder codes to what a source of
    /// `highestFrequency` Hz can hold (nil: no limit, the encoder's rate
    /// decides). A G.711 source has nothing above 4 kHz, so coding it as
    /// narrowband keeps all of it and spares the encoder its wideband and
    /// fullband analysis; `MediaBench --mode=rate` shows the quality.
    public func setHighestAudioFrequency(_ highestFrequency: Int?) throws(CodecError) {
        let bandwidth = Self.bandwidth(forHighestFrequency: highestFrequency)
        try Self.check(opus_shim_set_max_bandwidth(encoder, bandwidth), "OPUS_SET_MAX_BANDWIDTH(\(bandwidth))")
    }

    /// The widest band the encoder may code (an `OPUS_BANDWIDTH_*` value).
    public var maxBandwidth: Int32 {
        var value: Int32 = 0
        return opus_shim_get_max_bandwidth(encoder, &value) == OPUS_OK ? value : 0
    }

    /// The narrowest Opus band that holds audio up to `highestFrequency` Hz (nil or above 12 kHz: fullband).
    static func bandwidth(forHighestFrequency highestFrequency: Int?) -> Int32 {
        switch highestFrequency ?? .max {
        case ...4_000: OPUS_BANDWIDTH_NARROWBAND
        case ...6_000: OPUS_BANDWIDTH_MEDIUMBAND
        case ...8_000: OPUS_BANDWIDTH_WIDEBAND
        case ...12_000: OPUS_BANDWIDTH_SUPERWIDEBAND
        default: OPUS_BANDWIDTH_FULLBAND
        }
    }

    /// Resets the encoder to a fresh stream, keeping its settings.
    public func reset() throws(CodecError) {
        try Self.check(opus_shim_encoder_reset(encoder), "OPUS_RESET_STATE")
    }

    /// Turns a libopus status into a `CodecError` for `call`.
    static func check(_ status: Int32, _ call: @autoclosure () -> String) throws(CodecError) {
        guard status == OPUS_OK else { throw .libraryError(call(), code: status) }
    }

    /// libopus's text for an error code.
    static func message(_ code: Int32) -> String {
        opus_strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
