import Config

/// Sheds load before any digest work, as Kamailio's pike and ratelimit do: a
/// token bucket per source address for INVITE and for REGISTER, a bucket per
/// trunk for INVITEs from a trunk's addresses (a PBX sends many calls from one
/// address; the per-source default would throttle it), and one gateway-wide
/// bucket of call attempts, which addresses that authenticated recently skip. Above any of them the request gets 503 with
/// Retry-After instead of queueing. A refusal is logged once per source per
/// `logPeriod`, not per packet. The per-source table is a `BoundedLRU`, O(1)
/// per request. Clock-injected; owned by the SIP thread.
struct OverloadGuard {
    /// A refused request.
    struct Refusal: Equatable {
        /// The Retry-After value in seconds.
        var retryAfter: Int
        /// What was exceeded, for the log line (`source`, `trunk`, `gateway`).
        var limit: String
        /// Whether this refusal should be logged (the first in its log period).
        var log: Bool
    }

    /// Seconds between two log lines about the same bucket.
    static let logPeriod = 60.0

    let config: OverloadConfig
    private var sources: BoundedLRU<String, TokenBucket>
    private var trunks: [String: TokenBucket] = [:]
    private var gateway: TokenBucket?

    /// Creates a guard whose per-source table holds at most `tableSize` entries.
    init(config: OverloadConfig, tableSize: Int = 65536) {
        self.config = config
        sources = BoundedLRU(capacity: tableSize)
    }

    /// The number of source addresses with a bucket.
    var trackedSources: Int { sources.count }

    /// Checks one request with `method` from `source`; `trunk` names the trunk
    /// the address belongs to, if any. `trusted` (an address that authenticated
    /// recently) exempts an INVITE from the gateway-wide ceiling, so a flood from
    /// many strangers does not stop registered phones from calling; it is still
    /// held to its per-source rate. Returns nil when the request may proceed.
    mutating func admit(method: String, source: String, trunk: String?, trusted: Bool = false, now: Double) -> Refusal? {
        switch method {
        case "REGISTER":
            return takeFromSource("REGISTER " + source, rate: config.sourceRegisterRate, now: now, limit: "source")
        case "INVITE":
            if let trunk {
                if let refusal = takeFromTrunk(trunk, now: now) { return refusal }
            } else if let refusal = takeFromSource("INVITE " + source, rate: config.sourceInviteRate, now: now, limit: "source") {
                return refusal
            }
            return trusted ? nil : takeFromGateway(now: now)
        default:
            return nil
        }
    }

    private mutating func takeFromSource(_ key: String, rate: Int, now: Double, limit: String) -> Refusal? {
        guard rate > 0 else { return nil }
        let burst = burst(rate)
        var bucket = sources.value(for: key) ?? TokenBucket(burst: burst, now: now)
        let refusal = Self.take(&bucket, rate: rate, burst: burst, now: now, limit: limit)
        sources.set(bucket, for: key)
        return refusal
    }

    private mutating func takeFromTrunk(_ trunk: String, now: Double) -> Refusal? {
        let rate = config.trunkInviteRate
        guard rate > 0 else { return nil }
        let burst = burst(rate)
        var bucket = trunks[trunk] ?? TokenBucket(burst: burst, now: now)
        let refusal = Self.take(&bucket, rate: rate, burst: burst, now: now, limit: "trunk")
        trunks[trunk] = bucket
        return refusal
    }

    private mutating func takeFromGateway(now: Double) -> Refusal? {
        let rate = config.callAttemptRate
        guard rate > 0 else { return nil }
        let burst = burst(rate)
        var bucket = gateway ?? TokenBucket(burst: burst, now: now)
        let refusal = Self.take(&bucket, rate: rate, burst: burst, now: now, limit: "gateway")
        gateway = bucket
        return refusal
    }

    private func burst(_ rate: Int) -> Double { max(1, Double(rate) * config.burstSeconds) }

    private static func take(_ bucket: inout TokenBucket, rate: Int, burst: Double, now: Double, limit: String) -> Refusal? {
        guard let retryAfter = bucket.take(rate: Double(rate), burst: burst, now: now) else { return nil }
        let log = now - bucket.lastLogged >= logPeriod
        if log { bucket.lastLogged = now }
        return Refusal(retryAfter: retryAfter, limit: limit, log: log)
    }
}
