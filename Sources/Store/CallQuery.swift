public import Foundation

/// A search over call detail records, shared by `wagate calls` and the admin
/// API so both filter the same way. Every filter is optional; set ones are
/// combined with AND. Results come newest first, paged by `limit`/`offset`, and
/// `limit` is clamped to ``maximumLimit`` so an outside caller cannot ask the
/// store for the whole table in one answer.
public struct CallQuery: Sendable, Equatable {
    /// The most rows one query returns.
    public static let maximumLimit = 1000
    /// Rows returned when no limit is given.
    public static let defaultLimit = 100

    /// Calls set up at or after this time.
    public var since: Date?
    /// Calls set up before this time.
    public var until: Date?
    /// The business number's `phone_number_id`.
    public var phoneNumberID: String?
    /// Matches the caller, or the calling user behind a trunk, exactly.
    public var caller: String?
    /// Matches the callee exactly.
    public var callee: String?
    /// Only ended calls that were never answered (rejected, busy, not found, errors...).
    public var failedOnly = false
    /// `inbound` or `outbound`.
    public var direction: String?
    /// A gateway user's calls: those they placed (`caller` `user:NAME`), those routed
    /// to them (`callee` `user:NAME`) and those they answered after a transfer.
    public var user: String?
    /// Rows to skip (paging).
    public private(set) var offset = 0
    /// Rows to return, 1…``maximumLimit``.
    public private(set) var limit = CallQuery.defaultLimit

    /// Creates a query; `limit` is clamped to 1…``maximumLimit`` and `offset` to 0 or more.
    public init(since: Date? = nil, until: Date? = nil, phoneNumberID: String? = nil, caller: String? = nil,
                callee: String? = nil, failedOnly: Bool = false, direction: String? = nil,
                limit: Int = CallQuery.defaultLimit, offset: Int = 0) {
        self.since = since
        self.until = until
        self.phoneNumberID = phoneNumberID
        self.caller = caller
        self.callee = callee
        self.failedOnly = failedOnly
        self.direction = direction
        setPage(limit: limit, offset: offset)
    }

    /// Sets the page, clamped as in ``init(since:until:phoneNumberID:caller:callee:failedOnly:direction:limit:offset:)``.
    public mutating func setPage(limit: Int, offset: Int) {
        self.limit = min(max(limit, 1), Self.maximumLimit)
        self.offset = max(offset, 0)
    }

    /// Whether `record` passes the filters (paging aside): the same rule the SQL applies.
    public func matches(_ record: CallDetailRecord) -> Bool {
        if let since, record.setupAt < since { return false }
        if let until, record.setupAt >= until { return false }
        if let phoneNumberID, record.phoneNumberID != phoneNumberID { return false }
        if let caller, record.caller != caller, record.sipFromUser != caller { return false }
        if let callee, record.callee != callee { return false }
        if let direction, record.direction != direction { return false }
        if let user, ![record.caller, record.callee, record.answeredBy].contains("user:" + user) { return false }
        if failedOnly, record.endAt == nil || record.answerAt != nil { return false }
        return true
    }
}
