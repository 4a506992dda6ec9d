import Foundation

/// Whether a user allows the business to call them.
public enum CallPermissionStatus: String, Codable, Sendable {
    /// No approved permission: `connect` fails with 138006.
    case noPermission = "no_permission"
    /// Approved for a limited time (7 days).
    case temporary
    /// Approved until revoked.
    case permanent
}

/// The body of `GET /{PHONE_NUMBER_ID}/call_permissions?user_wa_id=…` (docs/whatsapp.md#settings-and-permissions).
public struct CallPermissions: Codable, Sendable, Equatable {
    /// `"whatsapp"`.
    public var messagingProduct: String?
    /// The current permission.
    public var permission: Permission
    /// What the business may do next, with limits.
    public var actions: [Action]

    /// Creates a value (used by the simulator).
    public init(permission: Permission, actions: [Action]) {
        messagingProduct = "whatsapp"
        self.permission = permission
        self.actions = actions
    }

    /// Whether `start_call` is currently allowed, when Meta said so.
    public var canStartCall: Bool? { actions.first { $0.actionName == "start_call" }?.canPerformAction }

    /// Whether a permission request may be sent now, when Meta said so.
    public var canRequestPermission: Bool? {
        actions.first { $0.actionName == "send_call_permission_request" }?.canPerformAction
    }

    /// `permission`: status and expiry (read from `expiration_time` or `expiration`).
    public struct Permission: Codable, Sendable, Equatable {
        /// The status; unknown strings read as `no_permission`.
        public var status: CallPermissionStatus
        /// Unix seconds when a temporary permission ends.
        public var expirationTime: Int?

        /// Creates a permission value.
        public init(status: CallPermissionStatus, expirationTime: Int? = nil) {
            self.status = status
            self.expirationTime = expirationTime
        }

        /// Decodes leniently: missing fields take their defaults.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let raw = container.lenientString(.status)?.lowercased() ?? ""
            status = CallPermissionStatus(rawValue: raw) ?? .noPermission
            expirationTime = container.lenientInt(.expirationTime) ?? container.lenientInt(.expiration)
        }

        /// Encodes the value in Meta's shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encodeIfPresent(expirationTime, forKey: .expirationTime)
        }

        enum CodingKeys: String, CodingKey {
            case status
            case expirationTime = "expiration_time"
            case expiration
        }
    }

    /// One entry of `actions`.
    public struct Action: Codable, Sendable, Equatable {
        /// `send_call_permission_request` or `start_call`.
        public var actionName: String
        /// Whether the action is allowed now.
        public var canPerformAction: Bool
        /// The limits that apply.
        public var limits: [Limit]

        /// Creates an action value.
        public init(actionName: String, canPerformAction: Bool, limits: [Limit]) {
            self.actionName = actionName
            self.canPerformAction = canPerformAction
            self.limits = limits
        }

        /// Decodes leniently: missing fields take their defaults.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            actionName = container.lenientString(.actionName) ?? ""
            canPerformAction = container.lenientBool(.canPerformAction) ?? false
            limits = container.lenientArray(Limit.self, .limits)
        }

        enum CodingKeys: String, CodingKey {
            case actionName = "action_name"
            case canPerformAction = "can_perform_action"
            case limits
        }
    }

    /// A usage limit such as "1 per PT24H".
    public struct Limit: Codable, Sendable, Equatable {
        /// ISO 8601 duration, e.g. `PT24H`, `P7D`.
        public var timePeriod: String
        /// The allowance in the period.
        public var maxAllowed: Int
        /// The usage so far.
        public var currentUsage: Int
        /// Unix seconds when the limit resets, if given.
        public var limitExpirationTime: Int?

        /// Creates a limit value.
        public init(timePeriod: String, maxAllowed: Int, currentUsage: Int, limitExpirationTime: Int? = nil) {
            self.timePeriod = timePeriod
            self.maxAllowed = maxAllowed
            self.currentUsage = currentUsage
            self.limitExpirationTime = limitExpirationTime
        }

        /// Decodes leniently: missing fields take their defaults.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            timePeriod = container.lenientString(.timePeriod) ?? ""
            maxAllowed = container.lenientInt(.maxAllowed) ?? 0
            currentUsage = container.lenientInt(.currentUsage) ?? 0
            limitExpirationTime = container.lenientInt(.limitExpirationTime)
        }

        enum CodingKeys: String, CodingKey {
            case timePeriod = "time_period"
            case maxAllowed = "max_allowed"
            case currentUsage = "current_usage"
            case limitExpirationTime = "limit_expiration_time"
        }
    }

    /// Decodes leniently: missing fields take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messagingProduct = container.lenientString(.messagingProduct)
        permission = container.lenient(Permission.self, .permission) ?? Permission(status: .noPermission)
        actions = container.lenientArray(Action.self, .actions)
    }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case permission, actions
    }
}
