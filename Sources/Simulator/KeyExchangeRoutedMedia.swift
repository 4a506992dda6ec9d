public import Media
import Synchronization

/// The simulated users' media when SIP-mode numbers may use SDES: DTLS calls
/// (Graph mode and SIP mode with DTLS) go to `dtls`, SDES calls to `sdes`.
/// A call's kind is fixed when its first SDP is made (``makeOffer(callID:kind:)``
/// or ``answer(callID:offer:kind:)``); every later operation on the call goes to
/// the same media. Calls made through the plain protocol methods are DTLS.
public final class KeyExchangeRoutedMedia: SimulatedUserMedia {
    private let dtls: any SimulatedUserMedia
    private let sdes: any SimulatedUserMedia
    /// The SDES calls by wacid; bounded by the simulator's live calls (a call
    /// leaves at `stop`), and by ``maximumCalls`` against a caller that never stops.
    private let sdesCalls = Mutex<Set<String>>([])
    /// At most this many SDES calls are remembered at once.
    static let maximumCalls = 4096

    /// Routes between the two media.
    public init(dtls: any SimulatedUserMedia, sdes: any SimulatedUserMedia) {
        (self.dtls, self.sdes) = (dtls, sdes)
    }

    /// An offer from the media of `kind`.
    func makeOffer(callID: String, kind: SimulatedMetaSIPMedia) async throws -> String {
        guard kind == .sdes else { return try await dtls.makeOffer(callID: callID) }
        remember(callID)
        return try await sdes.makeOffer(callID: callID)
    }

    /// An answer from the media of `kind`.
    func answer(callID: String, offer: String, kind: SimulatedMetaSIPMedia) async throws -> String {
        guard kind == .sdes else { return try await dtls.answer(callID: callID, offer: offer) }
        remember(callID)
        return try await sdes.answer(callID: callID, offer: offer)
    }

    /// A DTLS call's offer.
    public func makeOffer(callID: String) async throws -> String { try await dtls.makeOffer(callID: callID) }
    /// A DTLS call's answer.
    public func answer(callID: String, offer: String) async throws -> String {
        try await dtls.answer(callID: callID, offer: offer)
    }
    /// Starts the call's media on the media it was made with.
    public func start(callID: String, remoteSDP: String) async { await media(of: callID).start(callID: callID, remoteSDP: remoteSDP) }
    /// Connects the call's media early on the media it was made with.
    public func connect(callID: String, remoteSDP: String) async {
        await media(of: callID).connect(callID: callID, remoteSDP: remoteSDP)
    }
    /// Stops the call's media and forgets its kind.
    public func stop(callID: String) async {
        let media = media(of: callID)
        sdesCalls.withLock { _ = $0.remove(callID) }
        await media.stop(callID: callID)
    }
    /// Sends digits on the call's media.
    public func sendDTMF(callID: String, digits: String) async { await media(of: callID).sendDTMF(callID: callID, digits: digits) }
    /// The digits the call's media heard.
    public func receivedDTMF(callID: String) async -> String { await media(of: callID).receivedDTMF(callID: callID) }
    /// The call's leg statistics.
    public func statistics(callID: String) async -> WebRTCLegStatistics? { await media(of: callID).statistics(callID: callID) }

    private func remember(_ callID: String) {
        sdesCalls.withLock { calls in
            if calls.count >= Self.maximumCalls, let any = calls.first { calls.remove(any) }
            calls.insert(callID)
        }
    }

    private func media(of callID: String) -> any SimulatedUserMedia {
        sdesCalls.withLock { $0.contains(callID) } ? sdes : dtls
    }
}
