// `type = ringgroup` sections: several users rung for one inbound call.

/// A `type = ringgroup` section.
public struct RingGroupConfig: Sendable, Equatable {
    /// The section name.
    public var name: String
    /// The users rung, in order (each names a `type = user` section).
    public var members: [String]
    /// All at once, or one after another.
    public var strategy: RingStrategy
    /// How long each member rings when the strategy is sequential.
    public var memberTimeout: Duration

    /// Creates a ring group.
    public init(name: String, members: [String], strategy: RingStrategy = .simultaneous,
                memberTimeout: Duration = .seconds(15)) {
        self.name = name
        self.members = members
        self.strategy = strategy
        self.memberTimeout = memberTimeout
    }
}

/// How a ring group rings its members.
public enum RingStrategy: String, Sendable, Equatable, CaseIterable {
    /// Ring every member at once; the first to answer takes the call.
    case simultaneous
    /// Ring members one by one, each for `memberTimeout`.
    case sequential
}
