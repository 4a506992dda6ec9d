/// Offers inside an established session (re-INVITE, UPDATE; RFC 3264 §8):
/// answered like a first offer, or met with our own offer when the request
/// has no SDP; either way versioned after the SDP we sent last.
extension SIPAudioNegotiator {
    /// What to send back for an in-dialog request.
    public enum Renegotiation: Hashable, Sendable {
        /// The answer to the peer's offer, and what media switches to.
        case answer(SessionDescription, NegotiatedAudio)
        /// Our offer (the request had no SDP); the answer comes in the ACK.
        case offer(SessionDescription)
    }

    /// Answers `offer`, or offers when it is nil; the `o=` line follows `lastSent`.
    /// - Parameters:
    ///   - offer: the request's SDP, nil when it had none.
    ///   - local: our address, port, ids and key, as for the first offer/answer.
    ///   - lastSent: the SDP we sent last in this session.
    /// - Returns: what to send, or a rejection for a 488.
    public func renegotiate(offer: String?, local: SIPLocalMedia, lastSent: SessionDescription?)
        -> Result<Renegotiation, SDPRejection> {
        guard let offer else {
            do {
                return .success(.offer(try self.offer(local: local).versioned(after: lastSent)))
            } catch {
                return .failure(SDPRejection(.localConfiguration, "no SIP offer could be built: \(error.description)"))
            }
        }
        return answer(toOfferBytes: Array(offer.utf8), local: local).map { answer in
            .answer(answer.sdp.versioned(after: lastSent), answer.audio)
        }
    }
}
