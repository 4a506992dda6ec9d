/// `a=candidate:` (RFC 8839 §5.1):
///
/// ```
/// candidate-attribute = "candidate" ":" foundation SP component-id SP
///                       transport SP priority SP connection-address SP
///                       port SP cand-type [SP rel-addr] [SP rel-port]
///                       *(SP cand-extension)
/// cand-type  = "typ" SP ("host" / "srflx" / "prflx" / "relay" / token)
/// rel-addr   = "raddr" SP connection-address
/// rel-port   = "rport" SP port
/// ```
public struct ICECandidate: Hashable, Sendable, CustomStringConvertible {
    /// Candidate types (RFC 8445 §5.1.1), with a raw value for others.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        /// The token as written after `typ`.
        public var rawValue: String
        /// Creates a type from its token.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A local interface address.
        public static let host = Kind(rawValue: "host")
        /// A server-reflexive (public NAT) address.
        public static let serverReflexive = Kind(rawValue: "srflx")
        /// A peer-reflexive address learnt from checks.
        public static let peerReflexive = Kind(rawValue: "prflx")
        /// A TURN relay address.
        public static let relay = Kind(rawValue: "relay")

        /// The RFC 8445 §5.1.2.2 recommended type preference.
        public var typePreference: UInt32 {
            switch rawValue {
            case "host": return 126
            case "prflx": return 110
            case "srflx": return 100
            default: return 0
            }
        }
    }

    /// Groups candidates of the same type, base and server.
    public var foundation: String
    /// 1 for RTP, 2 for RTCP (absent with rtcp-mux).
    public var component: Int
    /// The transport, usually `udp` (compared case-insensitively).
    public var transport: String
    /// The priority (RFC 8445 §5.1.2).
    public var priority: UInt32
    /// The address (IPv4, IPv6, or an mDNS/FQDN name).
    public var address: String
    /// The port.
    public var port: Int
    /// The candidate type.
    public var kind: Kind
    /// `raddr`, for reflexive and relayed candidates.
    public var relatedAddress: String?
    /// `rport`, for reflexive and relayed candidates.
    public var relatedPort: Int?
    /// Further name/value pairs (`generation 0`, `tcptype active`, …), in order.
    public var extensions: [(name: String, value: String)]

    /// Creates a candidate.
    public init(
        foundation: String, component: Int = 1, transport: String = "udp", priority: UInt32,
        address: String, port: Int, kind: Kind, relatedAddress: String? = nil, relatedPort: Int? = nil,
        extensions: [(name: String, value: String)] = []
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.kind = kind
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.extensions = extensions
    }

    /// The RFC 8445 §5.1.2.1 priority:
    /// `2^24 * type preference + 2^8 * local preference + (256 - component)`.
    /// - Parameters:
    ///   - kind: the candidate type.
    ///   - localPreference: 0–65535; higher is preferred (e.g. IPv6 over IPv4).
    ///   - component: the component id, 1 for RTP.
    public static func priority(kind: Kind, localPreference: UInt16 = 65_535, component: Int = 1) -> UInt32 {
        let componentPart = UInt32(max(0, min(255, 256 - component)))
        return (kind.typePreference << 24) | (UInt32(localPreference) << 8) | componentPart
    }

    /// Parses the value after `a=candidate:` (a leading `candidate:` is tolerated).
    /// - Throws: `SDPError.Kind.invalidAttribute` when the grammar does not match.
    public init(attributeValue value: String) throws(SDPError) {
        var text = Substring(value)
        if text.hasPrefix("candidate:") {
            text = text.dropFirst("candidate:".count)
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 8, parts[6] == "typ", !parts[0].isEmpty, !parts[2].isEmpty, !parts[7].isEmpty else {
            throw SDPError(.invalidAttribute, "candidate needs 8 fields ending in typ <type>")
        }
        guard let component = Int(parts[1]), (1...256).contains(component) else {
            throw SDPError(.invalidAttribute, "candidate component must be 1-256")
        }
        guard let priority = UInt32(parts[3]) else {
            throw SDPError(.invalidAttribute, "candidate priority must be a 32-bit number")
        }
        guard let port = Int(parts[5]), (0...65_535).contains(port) else {
            throw SDPError(.invalidAttribute, "candidate port must be 0-65535")
        }
        self.init(
            foundation: parts[0], component: component, transport: parts[2], priority: priority,
            address: parts[4], port: port, kind: Kind(rawValue: parts[7])
        )
        try parseTail(parts.dropFirst(8))
    }

    /// `[raddr <a>] [rport <p>] *(<name> <value>)`.
    private mutating func parseTail(_ tail: ArraySlice<String>) throws(SDPError) {
        var index = tail.startIndex
        while index < tail.endIndex {
            guard index + 1 < tail.endIndex else {
                throw SDPError(.invalidAttribute, "candidate extension \(tail[index]) has no value")
            }
            let name = tail[index]
            let value = tail[index + 1]
            switch name {
            case "raddr" where relatedAddress == nil && extensions.isEmpty:
                relatedAddress = value
            case "rport" where relatedPort == nil && extensions.isEmpty:
                guard let port = Int(value), (0...65_535).contains(port) else {
                    throw SDPError(.invalidAttribute, "candidate rport must be 0-65535")
                }
                relatedPort = port
            default:
                extensions.append((name, value))
            }
            index += 2
        }
    }

    /// The value after `a=candidate:`.
    public var attributeValue: String {
        var text = "\(foundation) \(component) \(transport) \(priority) \(address) \(port) typ \(kind.rawValue)"
        if let relatedAddress { text += " raddr \(relatedAddress)" }
        if let relatedPort { text += " rport \(relatedPort)" }
        for item in extensions {
            text += " \(item.name) \(item.value)"
        }
        return text
    }

    /// The whole attribute.
    public var attribute: SDPAttribute {
        SDPAttribute("candidate", attributeValue)
    }

    /// Same as `attributeValue`.
    public var description: String {
        attributeValue
    }

    /// Compares every field, extensions included.
    public static func == (lhs: ICECandidate, rhs: ICECandidate) -> Bool {
        lhs.attributeValue == rhs.attributeValue
    }

    /// Hashes the serialised form.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(attributeValue)
    }
}
