/// The structured session-level and media-level fields (`o=`, `c=`, `b=`, `t=`).
extension SessionDescription {
    /// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`
    /// (RFC 8866 §5.2). Ids are kept as decimal text: peers send values beyond 64 bits.
    public struct Origin: Hashable, Sendable {
        /// The user's login, or `-`.
        public var username: String
        /// The session id, a numeric string.
        public var sessionID: String
        /// The session version, a numeric string incremented on each re-offer.
        public var sessionVersion: String
        /// Network type, `IN`.
        public var networkType: String
        /// Address type, `IP4` or `IP6`.
        public var addressType: String
        /// The originating host's address or name.
        public var address: String

        /// Creates an origin from numeric ids.
        /// - Parameters:
        ///   - username: the user name (`-` by default).
        ///   - sessionID: the session id.
        ///   - sessionVersion: the session version.
        ///   - address: the host address; its type is inferred (`IP6` when it has a colon).
        public init(username: String = "-", sessionID: UInt64, sessionVersion: UInt64, address: String) {
            self.username = username
            self.sessionID = String(sessionID)
            self.sessionVersion = String(sessionVersion)
            self.networkType = "IN"
            self.addressType = Connection.addressType(of: address)
            self.address = address
        }

        /// Creates an origin from its six fields verbatim.
        public init(
            username: String, sessionID: String, sessionVersion: String,
            networkType: String, addressType: String, address: String
        ) {
            self.username = username
            self.sessionID = sessionID
            self.sessionVersion = sessionVersion
            self.networkType = networkType
            self.addressType = addressType
            self.address = address
        }

        /// This origin with the session version incremented by one, as a re-offer needs
        /// (RFC 3264 §8). Non-numeric or overflowing versions restart at 1.
        public func nextVersion() -> Origin {
            var copy = self
            if let value = UInt64(sessionVersion), value < UInt64.max {
                copy.sessionVersion = String(value + 1)
            } else {
                copy.sessionVersion = "1"
            }
            return copy
        }

        /// The field as it appears after `o=`.
        public var fieldValue: String {
            "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(address)"
        }
    }

    /// `c=<nettype> <addrtype> <connection-address>` (RFC 8866 §5.7). A multicast
    /// `/ttl/count` suffix stays in `address`.
    public struct Connection: Hashable, Sendable {
        /// Network type, `IN`.
        public var networkType: String
        /// Address type, `IP4` or `IP6`.
        public var addressType: String
        /// The address (or host name), with any multicast suffix.
        public var address: String

        /// Creates `IN IP4|IP6 <address>`, the type inferred from the address.
        /// - Parameter address: an IPv4 or IPv6 address.
        public init(address: String) {
            self.networkType = "IN"
            self.addressType = Connection.addressType(of: address)
            self.address = address
        }

        /// Creates a connection field from its three parts verbatim.
        public init(networkType: String, addressType: String, address: String) {
            self.networkType = networkType
            self.addressType = addressType
            self.address = address
        }

        /// Whether this is the RFC 2543 hold address `0.0.0.0` (RFC 3264 §8.4).
        public var isLegacyHold: Bool {
            addressType == "IP4" && address == "0.0.0.0"
        }

        /// `IP6` when the address contains a colon, else `IP4`.
        /// - Parameter address: an address literal.
        public static func addressType(of address: String) -> String {
            address.contains(":") ? "IP6" : "IP4"
        }

        /// The field as it appears after `c=`.
        public var fieldValue: String {
            "\(networkType) \(addressType) \(address)"
        }
    }

    /// `b=<bwtype>:<bandwidth>` (RFC 8866 §5.8), e.g. `AS:64` or `TIAS:64000`.
    public struct Bandwidth: Hashable, Sendable {
        /// The modifier: `CT`, `AS`, `TIAS`, `RS`, `RR`, …
        public var type: String
        /// The value (kilobits per second for `AS`/`CT`).
        public var value: UInt64

        /// Creates a bandwidth line.
        public init(type: String, value: UInt64) {
            self.type = type
            self.value = value
        }

        /// The field as it appears after `b=`.
        public var fieldValue: String {
            "\(type):\(value)"
        }
    }

    /// `t=<start-time> <stop-time>` with its `r=` lines (RFC 8866 §5.9, §5.10).
    public struct Timing: Hashable, Sendable {
        /// NTP start time, 0 for unbounded.
        public var start: UInt64
        /// NTP stop time, 0 for unbounded.
        public var stop: UInt64
        /// `r=` lines, verbatim.
        public var repeats: [String]

        /// Creates a timing; `t=0 0` (permanent session) by default.
        public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
            self.start = start
            self.stop = stop
            self.repeats = repeats
        }

        /// The field as it appears after `t=`.
        public var fieldValue: String {
            "\(start) \(stop)"
        }
    }
}
