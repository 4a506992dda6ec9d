// Overload control in [general]: request rates per source address, per trunk
// and for the whole gateway, in the manner of Kamailio's pike and ratelimit.

/// Rate limits applied to requests before any digest work. Each rate is a
/// token bucket that holds `burstSeconds` seconds' worth of requests, so a
/// short burst (a phone registering several lines, a PBX's busy second) passes.
/// 0 turns a limit off.
public struct OverloadConfig: Sendable, Equatable {
    /// Initial INVITEs per second from one source address that is not a trunk
    /// (`source_invite_rate`). Both INVITEs of a challenged call count.
    public var sourceInviteRate: Int = 10
    /// REGISTERs per second from one source address (`source_register_rate`).
    public var sourceRegisterRate: Int = 10
    /// Initial INVITEs per second from one trunk, matched by address; replaces
    /// the per-source limit for a trunk's addresses (`trunk_invite_rate`).
    /// 0: a trunk is bounded only by `call_attempt_rate`.
    public var trunkInviteRate: Int = 0
    /// Initial INVITEs per second for the whole gateway (`call_attempt_rate`).
    public var callAttemptRate: Int = 100
    /// How many seconds' worth of requests a bucket holds.
    public var burstSeconds: Double = 2

    /// The defaults.
    public init() {}
}
