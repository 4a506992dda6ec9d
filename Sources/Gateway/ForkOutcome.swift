/// A fork's final failure: its status and reason phrase.
struct ForkFailure: Sendable, Equatable {
    /// The final status (≥ 300).
    var status: Int
    /// The reason phrase, if any.
    var phrase: String?
}

/// The winner rules of one leg rung as several forks, whatever the forks are
/// (SIP handles of one INVITE, or a SIP sub-leg beside ringing browsers).
///
/// The first 2xx wins and every fork still ringing is to be cancelled; a fork
/// that answers after the winner is to be hung up (RFC 3261 §13.2.2.4). When
/// every fork failed the leg fails once: a 6xx wins, else the lowest status
/// (RFC 3261 §16.7). Call control sees one leg, never its forks.
struct ForkOutcome<Fork: Hashable & Sendable>: Sendable {
    /// The forks, one per target (or sub-leg).
    private(set) var forks: Set<Fork>
    /// The final failure of each fork that failed.
    private(set) var finals: [Fork: ForkFailure] = [:]
    /// The fork whose 2xx was reported as the leg's answer.
    private(set) var winner: Fork?
    /// True once call control got the leg's answer or failure.
    private(set) var reported = false

    /// What a fork's 2xx means for the leg.
    enum Answer: Equatable {
        /// The fork won: report the answer and cancel `losers`.
        case won(losers: [Fork])
        /// Another fork already won: hang this one up.
        case late
        /// The fork already won; a repeated 2xx changes nothing.
        case repeated
    }

    /// Creates the outcome of a leg rung as `forks`.
    init(forks: some Sequence<Fork>) {
        self.forks = Set(forks)
    }

    /// True while `fork` rings: neither failed nor the winner.
    func isRinging(_ fork: Fork) -> Bool {
        finals[fork] == nil && winner != fork
    }

    /// The forks still ringing.
    var ringing: [Fork] {
        forks.filter(isRinging)
    }

    /// True when `fork` has a final failure.
    func hasFailed(_ fork: Fork) -> Bool {
        finals[fork] != nil
    }

    /// `fork` answered.
    mutating func answered(_ fork: Fork) -> Answer {
        if let winner { return winner == fork ? .repeated : .late }
        winner = fork
        reported = true
        return .won(losers: forks.filter { $0 != fork && finals[$0] == nil })
    }

    /// `fork` failed finally. Returns the leg's one failure once every fork failed
    /// and nothing was reported yet.
    mutating func failed(_ fork: Fork, status: Int, phrase: String?) -> ForkFailure? {
        guard forks.contains(fork), finals[fork] == nil, winner != fork else { return nil }
        finals[fork] = ForkFailure(status: status, phrase: phrase)
        guard !reported, winner == nil, finals.count == forks.count else { return nil }
        reported = true
        let statuses = finals.values.map(\.status)
        let chosen = statuses.first { $0 >= 600 } ?? statuses.min() ?? 480
        return ForkFailure(status: chosen, phrase: finals.values.first { $0.status == chosen }?.phrase ?? nil)
    }
}
