public import SDP
public import STUN

/// One of our candidates: the SDP candidate we advertise and its base, the
/// transport address we actually send from (RFC 8445 §5.1.1).
///
/// A host candidate is its own base. The configured external address is either
/// a host candidate (1:1 NAT, the same port forwarded) or server-reflexive; in
/// both cases its base is the local host address of the same family, so pairs
/// that would send the same packets are pruned as redundant (§6.1.2.4).
public struct ICELocalCandidate: Hashable, Sendable {
    /// The candidate as advertised in SDP.
    public var candidate: ICECandidate
    /// Where packets for this candidate are sent from.
    public var base: TransportAddress

    /// Creates a candidate with an explicit base.
    public init(candidate: ICECandidate, base: TransportAddress) {
        self.candidate = candidate
        self.base = base
    }

    /// A host candidate from an address; its base is itself.
    /// - Throws: `ICEError.Kind.invalidCandidate` when the address is not an IP literal.
    public init(host candidate: ICECandidate) throws(ICEError) {
        guard let address = TransportAddress(candidate.address, port: candidate.port) else {
            throw ICEError(.invalidCandidate, "\(candidate.address) is not an IP address")
        }
        self.init(candidate: candidate, base: address)
    }

    /// The advertised transport address, nil for a non-IP address.
    public var address: TransportAddress? {
        TransportAddress(candidate.address, port: candidate.port)
    }

    /// The gateway's candidates for one UDP socket: one host candidate per local
    /// address plus, optionally, the external address (as
    /// `WebRTCLocalParameters.gatewayCandidates` builds them for the SDP), each
    /// with its base. Addresses that are not IP literals are skipped.
    /// - Parameters:
    ///   - hostAddresses: local interface addresses the socket is reachable on, preferred first.
    ///   - port: the socket's port.
    ///   - externalAddress: the configured public address, if any.
    ///   - externalKind: `.host` (1:1 NAT) or `.serverReflexive`.
    public static func gatewayCandidates(
        hostAddresses: [String], port: Int, externalAddress: String? = nil,
        externalKind: ICECandidate.Kind = .serverReflexive
    ) -> [ICELocalCandidate] {
        let candidates = WebRTCLocalParameters.gatewayCandidates(
            hostAddresses: hostAddresses, port: port, externalAddress: externalAddress, externalKind: externalKind
        )
        let hosts = hostAddresses.compactMap { TransportAddress($0, port: port) }
        return candidates.compactMap { candidate in
            guard let address = TransportAddress(candidate.address, port: candidate.port) else { return nil }
            let isExternal = candidate.address == externalAddress && !hostAddresses.contains(candidate.address)
            let base = isExternal ? hosts.first { $0.isIPv6 == address.isIPv6 } ?? address : address
            return ICELocalCandidate(candidate: candidate, base: base)
        }
    }
}
