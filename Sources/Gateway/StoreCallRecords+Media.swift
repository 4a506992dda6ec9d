import CallControl
import Foundation
import Media
import Store

/// The media half of a CDR: both legs' codecs, packets, loss, jitter, RTT and
/// MOS, and the recording file, written once when the call's bridge closes.
/// It goes through the same actor as call control's steps, so it neither races
/// the end step nor is lost by it (each step reads the stored row first).
extension StoreCallRecords {
    /// Writes the bridge's figures onto the call's row; nothing when the row is gone.
    func recordMedia(_ statistics: MediaBridgeStatistics, call: CallID) async {
        guard var record = await current(call) else { return }
        Self.apply(statistics, to: &record)
        await save(record)
    }

    /// Copies the figures into the record's columns. A leg with no codec had no
    /// media; a leg that never carried a packet (a call refused before answer)
    /// keeps its negotiated codec but no figures, so no MOS is claimed for silence.
    static func apply(_ statistics: MediaBridgeStatistics, to record: inout CallDetailRecord) {
        if !statistics.sip.codec.isEmpty { record.sipCodec = statistics.sip.codec }
        if !statistics.whatsapp.codec.isEmpty { record.whatsappCodec = statistics.whatsapp.codec }
        if let sip = quality(statistics.sip) { record.sipQuality = sip }
        if let whatsapp = quality(statistics.whatsapp) { record.whatsappQuality = whatsapp }
        record.recordingPath = statistics.recordingPath ?? record.recordingPath
    }

    private static func quality(_ leg: MediaLegStatistics) -> CallLegQuality? {
        guard leg.packetsSent + leg.packetsReceived > 0 else { return nil }
        return CallLegQuality(packetsSent: leg.packetsSent, packetsReceived: leg.packetsReceived,
                       packetsLost: leg.packetsLost, jitterMs: (leg.jitterMs * 100).rounded() / 100,
                       roundTripMs: leg.roundTripMs.map { ($0 * 100).rounded() / 100 },
                       mos: (leg.mos * 100).rounded() / 100)
    }
}
