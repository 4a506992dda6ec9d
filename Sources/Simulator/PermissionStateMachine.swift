public import Foundation
public import WhatsAppCloud

/// Meta's call-permission rules for one business + user pair (docs/whatsapp.md#settings-and-permissions), as a
/// pure value: every input carries the current time, so tests need no sleeps.
///
/// - temporary permission lasts 7 days, permanent until revoked; no event on expiry;
/// - permission requests: 1 per 24 h and 2 per 7 days; a connected call resets them;
/// - 100 connected business-initiated calls per 24 h;
/// - 4 unanswered business-initiated calls in a row revoke the permission.
public struct PermissionStateMachine: Sendable, Equatable {
    /// The permission as granted.
    public enum Grant: Sendable, Equatable {
        /// None.
        case none
        /// Until the given time.
        case temporary(until: Date)
        /// Until revoked.
        case permanent
    }

    /// The limits, Meta's by default.
    public struct Limits: Sendable, Equatable {
        /// How long a temporary permission lasts.
        public var temporaryDuration: TimeInterval = 7 * 86_400
        /// Requests allowed per 24 h.
        public var requestsPerDay = 1
        /// Requests allowed per 7 days.
        public var requestsPerWeek = 2
        /// Connected business-initiated calls per 24 h.
        public var connectedCallsPerDay = 100
        /// Unanswered calls in a row that revoke the permission.
        public var unansweredBeforeRevoke = 4

        /// Meta's limits.
        public init() {}
    }

    /// The limits in force.
    public var limits: Limits
    private(set) var grant: Grant = .none
    private(set) var requestTimes: [Date] = []
    private(set) var connectedCallTimes: [Date] = []
    /// Unanswered business-initiated calls since the last answered one.
    public private(set) var unansweredInARow = 0

    /// A pair with no permission and no history.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The status at `now` (a temporary permission past its end reads as none).
    public func status(at now: Date) -> CallPermissionStatus {
        switch grant {
        case .none: return .noPermission
        case .permanent: return .permanent
        case .temporary(let until): return until > now ? .temporary : .noPermission
        }
    }

    /// Whether a permission request may be sent at `now`.
    public func canRequest(at now: Date) -> Bool {
        requestsIn(86_400, at: now) < limits.requestsPerDay && requestsIn(7 * 86_400, at: now) < limits.requestsPerWeek
    }

    /// Records a permission request; `false` (Meta's 138009) when over the limit.
    public mutating func recordRequest(at now: Date) -> Bool {
        guard canRequest(at: now) else { return false }
        requestTimes.append(now)
        return true
    }

    /// The user approved: temporary for 7 days, or permanent. Clears the unanswered count.
    public mutating func grant(permanent: Bool, at now: Date) {
        grant = permanent ? .permanent : .temporary(until: now.addingTimeInterval(limits.temporaryDuration))
        unansweredInARow = 0
    }

    /// The user (or Meta) revoked the permission.
    public mutating func revoke() {
        grant = .none
    }

    /// Why a business-initiated call may not start at `now`: 138006 or 138012, else `nil`.
    public func callRefusal(at now: Date) -> Int? {
        if status(at: now) == .noPermission { return 138006 }
        if connectedCallsIn(86_400, at: now) >= limits.connectedCallsPerDay { return 138012 }
        return nil
    }

    /// When the next business-initiated call is allowed under the daily limit.
    public func nextCallAllowed(at now: Date) -> Date? {
        let recent = connectedCallTimes.filter { now.timeIntervalSince($0) < 86_400 }
        guard recent.count >= limits.connectedCallsPerDay, let oldest = recent.min() else { return nil }
        return oldest.addingTimeInterval(86_400)
    }

    /// A business-initiated call was answered: resets request limits and the unanswered count.
    public mutating func recordConnected(at now: Date) {
        connectedCallTimes.append(now)
        connectedCallTimes.removeAll { now.timeIntervalSince($0) >= 86_400 }
        requestTimes.removeAll()
        unansweredInARow = 0
    }

    /// A business-initiated call ended unanswered; the fourth in a row revokes.
    public mutating func recordUnanswered(at now: Date) {
        unansweredInARow += 1
        if unansweredInARow >= limits.unansweredBeforeRevoke {
            grant = .none
            unansweredInARow = 0
        }
    }

    /// The `GET call_permissions` answer at `now`.
    public func snapshot(at now: Date) -> CallPermissions {
        let status = status(at: now)
        var expiration: Int?
        if case .temporary(let until) = grant, status == .temporary { expiration = Int(until.timeIntervalSince1970) }
        let requestLimits = [
            CallPermissions.Limit(timePeriod: "PT24H", maxAllowed: limits.requestsPerDay,
                                  currentUsage: requestsIn(86_400, at: now)),
            CallPermissions.Limit(timePeriod: "P7D", maxAllowed: limits.requestsPerWeek,
                                  currentUsage: requestsIn(7 * 86_400, at: now)),
        ]
        let callLimits = [
            CallPermissions.Limit(timePeriod: "PT24H", maxAllowed: limits.connectedCallsPerDay,
                                  currentUsage: connectedCallsIn(86_400, at: now)),
        ]
        return CallPermissions(
            permission: .init(status: status, expirationTime: expiration),
            actions: [
                .init(actionName: "send_call_permission_request",
                      canPerformAction: status != .permanent && canRequest(at: now), limits: requestLimits),
                .init(actionName: "start_call", canPerformAction: callRefusal(at: now) == nil, limits: callLimits),
            ])
    }

    private func requestsIn(_ window: TimeInterval, at now: Date) -> Int {
        requestTimes.filter { now.timeIntervalSince($0) < window }.count
    }

    private func connectedCallsIn(_ window: TimeInterval, at now: Date) -> Int {
        connectedCallTimes.filter { now.timeIntervalSince($0) < window }.count
    }
}
