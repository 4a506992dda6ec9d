import CSpanDSP

/// Packet loss concealment for 8 kHz PCM through spandsp's PLC (a pitch-
/// period repeating concealer in the manner of ITU-T G.711 Appendix I).
/// One instance owns one `plc_state_t`, freed in `deinit`. Not thread-safe:
/// one call's media loop owns it.
///
/// Pass every good decoded frame through `received(_:)` (it records the
/// history and smooths the first samples after a gap, in place); call
/// `fillIn(_:)` for each frame that did not arrive in time. Concealment fades
/// to silence over consecutive losses. Nothing allocates per frame.
public final class G711PLC {
    /// Owned; created in `init`, freed in `deinit`.
    private let state: UnsafeMutablePointer<plc_state_t>

    /// Creates a concealer. Throws when spandsp cannot allocate its state.
    public init() throws(CodecError) {
        guard let state = plc_init(nil) else { throw .allocationFailed("plc_init") }
        self.state = state
    }

    deinit {
        plc_free(state)
    }

    /// Records a good frame of decoded PCM; after a concealed gap the start of
    /// `frame` is cross-faded with the concealment, in place. Returns the samples processed.
    @discardableResult
    public func received(_ frame: UnsafeMutableBufferPointer<Int16>) -> Int {
        guard let samples = frame.baseAddress, !frame.isEmpty else { return 0 }
        return Int(plc_rx(state, samples, Int32(clamping: frame.count)))
    }

    /// Synthesises `out.count` samples to stand in for a lost frame; returns the samples written.
    @discardableResult
    public func fillIn(_ out: UnsafeMutableBufferPointer<Int16>) -> Int {
        guard let samples = out.baseAddress, !out.isEmpty else { return 0 }
        return Int(plc_fillin(state, samples, Int32(clamping: out.count)))
    }
}
