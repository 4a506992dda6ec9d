/// Timers and limits of `ICEAgent` and `ICELiteResponder`.
public struct ICEConfiguration: Hashable, Sendable {
    /// Ta: the pacing between new check transactions (RFC 8445 §14.2); 50 ms.
    public var pacingInterval: Duration = .milliseconds(50)
    /// The first retransmission timeout, doubled each time (RFC 8489 §6.2.1); 100 ms.
    public var initialRTO: Duration = .milliseconds(100)
    /// Rc: requests sent per transaction (RFC 8489 §6.2.1); 7.
    public var maxTransmissions: Int = 7
    /// Rm: after the last send, wait `Rm × initialRTO` for a response; 16.
    /// With the defaults a check times out 7.9 s after it was first sent.
    public var finalWaitFactor: Int = 16
    /// Give up when no pair is selected this long after `start`; 10 s.
    public var connectivityTimeout: Duration = .seconds(10)
    /// How long a controlling agent waits for a better pair once one pair is
    /// valid before nominating the best valid pair; 200 ms. It nominates at
    /// once when no higher-priority pair is still being checked.
    public var nominationDelay: Duration = .milliseconds(200)
    /// The mean interval between consent checks (RFC 7675 §5.1); 5 s.
    public var consentInterval: Duration = .seconds(5)
    /// Consent checks are spread uniformly over `consentInterval ± consentJitter`
    /// (RFC 7675 §5.1: 0.8–1.2 × 5 s); 1 s.
    public var consentJitter: Duration = .seconds(1)
    /// Consent is lost after this long without an authenticated response
    /// (or, for the lite responder, without a check) (RFC 7675 §5.1); 30 s.
    public var consentTimeout: Duration = .seconds(30)
    /// SOFTWARE to put in requests and responses, if any.
    public var software: String?

    /// The defaults above.
    public init() {}
}
