import CSpeexDSP

/// Converts 16-bit mono PCM from one rate to another through speexdsp's
/// polyphase resampler (a Kaiser-windowed sinc, SSE inner products).
///
/// The bridge uses one per direction when the SIP codec's rate differs from
/// the WhatsApp leg's Opus rate (8 kHz G.711 against a 48 kHz leg, G.722 chosen
/// after an 8 kHz open), and filler music uses one when its file's rate is not
/// the leg's. speexdsp replaced a Swift FIR because at `defaultQuality` it is
/// flatter (8 → 48 → 8 kHz: −0.0 dB at 3 kHz and −1.3 dB at 3.4 kHz, against
/// −1.8 and −7.2 dB) and 2.4× fewer instructions per frame (docs/performance.md,
/// "Rate conversion"). One instance owns one `SpeexResamplerState *`, freed in
/// `deinit`; its filter and history are allocated once, and `convert`
/// allocates nothing. Not thread-safe: one call's media loop owns it.
public final class RateConverter {
    /// speexdsp's quality (0…10) the bridge uses: 3 is speexdsp's own "VoIP"
    /// setting, and the cheapest one that keeps the exact-ratio (direct)
    /// filter for 8 ⇄ 48 kHz; lower qualities interpolate their filter and
    /// cost more. The figures that picked it are in docs/performance.md.
    public static let defaultQuality = 3
    /// Input rate.
    public let inputRate: Int
    /// Output rate.
    public let outputRate: Int
    /// Owned; created in `init`, destroyed in `deinit`.
    private let state: OpaquePointer

    /// A converter from `inputRate` to `outputRate` (1 Hz … 384 kHz each); nil
    /// when the rates are equal or out of range, or speexdsp refuses them.
    public init?(from inputRate: Int, to outputRate: Int, quality: Int = RateConverter.defaultQuality) {
        let rates = 1...384_000
        guard inputRate != outputRate, rates.contains(inputRate), rates.contains(outputRate), (0...10).contains(quality) else {
            return nil
        }
        var error: Int32 = 0
        guard let state = speex_resampler_init(1, UInt32(inputRate), UInt32(outputRate), Int32(quality), &error),
              error == Int32(RESAMPLER_ERR_SUCCESS)
        else { return nil }
        self.state = state
        self.inputRate = inputRate
        self.outputRate = outputRate
    }

    deinit {
        speex_resampler_destroy(state)
    }

    /// Samples out for `count` samples in (exact for 20 ms frames between the
    /// codec rates; otherwise the count the rate ratio gives, rounded down).
    public func outputCount(for count: Int) -> Int { count * outputRate / inputRate }

    /// The filter's delay in output samples (constant; speexdsp keeps it in its history).
    public var latency: Int { Int(speex_resampler_get_output_latency(state)) }

    /// Converts all of `input` into `output`, which should hold
    /// `outputCount(for: input.count)`; returns the samples written. A
    /// smaller `output` gets what fits and the rest of the input is dropped:
    /// the stream stays continuous only when every frame fits.
    @discardableResult
    public func convert(_ input: UnsafeBufferPointer<Int16>, into output: UnsafeMutableBufferPointer<Int16>) -> Int {
        guard let source = input.baseAddress, let target = output.baseAddress, !input.isEmpty, !output.isEmpty else { return 0 }
        var consumed = UInt32(clamping: input.count)
        var produced = UInt32(clamping: output.count)
        _ = speex_resampler_process_int(state, 0, source, &consumed, target, &produced)
        return Int(produced)
    }

    /// Forgets the history (a new stream starts from silence).
    public func reset() {
        _ = speex_resampler_reset_mem(state)
    }
}
