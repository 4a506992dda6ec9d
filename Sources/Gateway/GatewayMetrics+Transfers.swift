import CallControl
import Prometheus

/// Call transfers: `wagate_transfers_total{kind,outcome}`, counted once per
/// transfer when it settles. Both labels are fixed sets (kind: blind,
/// attended; outcome: answered, returned, fallback, failed), all at zero from start.
extension GatewayMetrics {
    /// The settled outcomes a transfer is counted under.
    static let transferOutcomes: [TransferOutcome] = [.answered, .returned, .fallback, .failed]

    /// A transfer settled; a pending one is not counted yet.
    func transferSettled(_ record: TransferRecord) {
        guard record.outcome != .pending else { return }
        transfers(record.kind, record.outcome).increment()
    }

    /// Creates every transfer series at zero.
    func zeroTransfers() {
        for kind in [TransferKind.blind, .attended] {
            for outcome in Self.transferOutcomes { _ = transfers(kind, outcome) }
        }
    }

    private func transfers(_ kind: TransferKind, _ outcome: TransferOutcome) -> Counter {
        counter("wagate_transfers_total", "Call transfers settled, by kind (blind, attended) and outcome",
                [("kind", kind.rawValue), ("outcome", outcome.rawValue)])
    }
}
