import STUN

/// Consent freshness on the selected pair (RFC 7675 §5.1).
///
/// A check every `consentInterval ± consentJitter` (4–6 s by default, uniformly
/// from the injected generator); an authenticated response from the selected
/// peer renews consent; none for `consentTimeout` (30 s) ends ICE with `.consentLost`.
extension ICEAgent {
    /// Sends due consent checks and expires consent.
    mutating func runConsent(now: ICEInstant, actions: inout [ICEAction]) {
        guard case .selected(var consent) = state else { return }
        if now >= consent.lastResponseAt + configuration.consentTimeout {
            fail(.consentLost, actions: &actions)
            return
        }
        guard now >= consent.nextCheckAt else { return }
        consent.nextCheckAt = now + consentInterval()
        state = .selected(consent)
        let valid = validPairs[consent.validIndex]
        let priority = pairs[valid.pairIndex].checkPriority
        guard let request = makeRequest(priority: priority, extra: []) else { return }
        record(
            request, purpose: .consent, pairIndex: valid.pairIndex, to: consent.pair.remote,
            from: consent.pair.local, priority: priority, now: now
        )
        actions.append(.send(request.bytes, to: consent.pair.remote, from: consent.pair.local))
    }

    /// The next interval, uniform in `consentInterval ± consentJitter`.
    mutating func consentInterval() -> Duration {
        let mean = configuration.consentInterval.nanoseconds
        let jitter = max(0, configuration.consentJitter.nanoseconds)
        guard jitter > 0 else { return configuration.consentInterval }
        return .nanoseconds(mean + Int64.random(in: -jitter...jitter, using: &random))
    }
}
