// The [inbound] section: where calls from WhatsApp users ring.

/// Something an inbound call can ring: a user, a ring group or a trunk.
public enum InboundTarget: Sendable, Hashable, CustomStringConvertible {
    /// A registered user (its phones).
    case user(String)
    /// A ring group.
    case group(String)
    /// A trunk to a PBX.
    case trunk(String)

    /// Parses `user:NAME`, `group:NAME` or `trunk:NAME` (the kind case-insensitive).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        let name = String(parts[1])
        switch TextScanning.asciiLowercased(String(parts[0])) {
        case "user": self = .user(name)
        case "group": self = .group(name)
        case "trunk": self = .trunk(name)
        default: return nil
        }
    }

    /// The referenced section name.
    public var name: String {
        switch self {
        case .user(let name), .group(let name), .trunk(let name): name
        }
    }

    /// `user:NAME`, `group:NAME` or `trunk:NAME`.
    public var description: String {
        switch self {
        case .user(let name): "user:\(name)"
        case .group(let name): "group:\(name)"
        case .trunk(let name): "trunk:\(name)"
        }
    }
}

/// One `route = PATTERN TARGET` line: callers matching `pattern` ring `target`.
public struct InboundRoute: Sendable, Equatable {
    /// The pattern over the caller's `+E164` number.
    public var pattern: NumberPattern
    /// Where matching calls ring.
    public var target: InboundTarget

    /// Creates a route.
    public init(pattern: NumberPattern, target: InboundTarget) {
        self.pattern = pattern
        self.target = target
    }
}

/// The `[inbound]` section.
public struct InboundConfig: Sendable, Equatable {
    /// Where calls that match no route ring; nil rejects them.
    public var target: InboundTarget?
    /// Routes by caller number, tried in file order before `target`.
    public var routes: [InboundRoute]
    /// How long SIP phones ring before the WhatsApp call is rejected (5–55 s:
    /// Meta drops unanswered calls after 30–60 s).
    public var ringTimeout: Duration

    /// No target, no routes, 25 s ring timeout.
    public static let defaults = InboundConfig(target: nil, routes: [], ringTimeout: .seconds(25))

    /// Creates an `[inbound]` configuration.
    public init(target: InboundTarget?, routes: [InboundRoute], ringTimeout: Duration) {
        self.target = target
        self.routes = routes
        self.ringTimeout = ringTimeout
    }

    /// Where a call from `callerE164` rings: the first matching route, else `target`.
    public func target(forCaller callerE164: String) -> InboundTarget? {
        routes.first { $0.pattern.matches(callerE164) }?.target ?? target
    }
}
