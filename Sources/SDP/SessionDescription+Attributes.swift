/// Typed accessors over session-level attributes, and the "media wins over
/// session" resolution that RFC 8866 §5 and RFC 8839 §5.4 describe.
extension SessionDescription {
    /// `a=group:BUNDLE` lists of mids (RFC 9143 §7.1).
    public var bundleGroups: [[String]] {
        attributes.values("group").compactMap { value in
            let parts = value.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.first == "BUNDLE" else { return nil }
            return parts.dropFirst().map(String.init)
        }
    }

    /// Whether the session declares `a=ice-lite` (RFC 8839 §5.3).
    public var isICELite: Bool {
        attributes.contains("ice-lite")
    }

    /// The session-level direction attribute, if any (RFC 8866 §6.7).
    public var direction: MediaDirection? {
        attributes.lazy.compactMap { MediaDirection(rawValue: $0.name) }.first
    }

    /// The direction of a media section: its own attribute, else the session's, else
    /// `sendrecv` (RFC 8866 §6.7).
    /// - Parameter media: a media section of this description.
    public func effectiveDirection(of media: MediaDescription) -> MediaDirection {
        media.direction ?? direction ?? .sendrecv
    }

    /// The ICE credentials of a media section: media level wins over session level
    /// (RFC 8839 §5.4). `nil` unless both ufrag and pwd are found.
    /// - Parameter media: a media section of this description.
    public func iceCredentials(of media: MediaDescription) -> (ufrag: String, pwd: String)? {
        guard let ufrag = media.iceUfrag ?? attributes.firstValue("ice-ufrag"),
              let pwd = media.icePwd ?? attributes.firstValue("ice-pwd"),
              !ufrag.isEmpty, !pwd.isEmpty else { return nil }
        return (ufrag, pwd)
    }

    /// The fingerprints of a media section, else the session's (RFC 8122 §5).
    /// - Parameter media: a media section of this description.
    public func fingerprints(of media: MediaDescription) -> [Fingerprint] {
        let own = media.fingerprints
        if !own.isEmpty {
            return own
        }
        return attributes.values("fingerprint").compactMap { try? Fingerprint(attributeValue: $0) }
    }

    /// The `a=setup` of a media section, else the session's (RFC 4145 §4).
    /// - Parameter media: a media section of this description.
    public func setup(of media: MediaDescription) -> SetupRole? {
        media.setup ?? attributes.firstValue("setup").flatMap { SetupRole(rawValue: $0.trimmingSpaces.lowercased()) }
    }

    /// The `c=` address of a media section: media level, else session level.
    /// - Parameter media: a media section of this description.
    public func connection(of media: MediaDescription) -> Connection? {
        media.effectiveConnection(in: self)
    }

    /// How a (re-)offer or answer holds a media section (RFC 3264 §8.4).
    /// - Parameter media: a media section of this description.
    public func holdState(of media: MediaDescription) -> HoldState {
        if connection(of: media)?.isLegacyHold == true {
            return .legacyZeroAddress
        }
        switch effectiveDirection(of: media) {
        case .sendonly: return .sendonly
        case .inactive: return .inactive
        case .sendrecv, .recvonly: return .active
        }
    }
}
