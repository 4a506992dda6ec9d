/// Our side of the WhatsApp (WebRTC) leg: everything the SDP needs, supplied by
/// the caller (the ICE agent, the DTLS certificate, the RTP sender). Nothing here is
/// generated inside the `SDP` module.
public struct WebRTCLocalParameters: Hashable, Sendable {
    /// `a=ice-ufrag` (RFC 8839 §5.4: 4–256 ice-chars; 16 random ones is usual).
    public var iceUfrag: String
    /// `a=ice-pwd` (RFC 8839 §5.4: at least 22 ice-chars).
    public var icePwd: String
    /// The DTLS certificate's fingerprint (SHA-256; written upper-case).
    public var fingerprint: Fingerprint
    /// All our candidates, default candidate first (its address and port go in `c=`/`m=`).
    public var candidates: [ICECandidate]
    /// Our one RTP SSRC.
    public var ssrc: UInt32
    /// Our RTCP CNAME (RFC 3550 §6.5.1, RFC 7022).
    public var cname: String
    /// The `o=` session id.
    public var sessionID: UInt64
    /// The `o=` session version.
    public var sessionVersion: UInt64
    /// `a=setup` for answers: `.active` (DTLS client, the default toward Meta) or `.passive`.
    /// Offers always say `actpass`.
    public var setup: SetupRole
    /// Opus payload type in offers (answers echo the offer's): 111 as Meta uses.
    public var opusPayloadType: UInt8
    /// telephone-event payload type in offers (answers echo the offer's): 126 as Meta uses.
    public var telephoneEventPayloadType: UInt8
    /// The `a=mid` of offers (answers echo the offer's): `audio` as Meta uses.
    public var mid: String
    /// Packet time in ms (20: Meta sends and expects 20 ms Opus frames).
    public var ptime: Int
    /// Opus fmtp; `nil` picks the style's default (see `WebRTCSDP`).
    public var opusFormatParameters: String?
    /// The audio codecs we take on this leg: offers list them in this order;
    /// answers pick the first the offer lists that is also here (RFC 3264 §6.1:
    /// the offerer's preference). Opus always; PCMU/PCMA only when the number has
    /// Meta's `audio.additional_codecs` (docs/whatsapp.md#settings-and-permissions). Opus, PCMU and PCMA only.
    public var audioCodecs: [AudioCodec] = [.opus]

    /// Creates local parameters with Meta-compatible defaults.
    /// - Parameters:
    ///   - iceUfrag: our ICE username fragment.
    ///   - icePwd: our ICE password.
    ///   - fingerprint: our certificate fingerprint.
    ///   - candidates: our candidates, default first.
    ///   - ssrc: our SSRC.
    ///   - cname: our CNAME.
    ///   - sessionID: `o=` id.
    ///   - sessionVersion: `o=` version (1 by default).
    ///   - setup: answer role, `.active` by default.
    public init(
        iceUfrag: String, icePwd: String, fingerprint: Fingerprint, candidates: [ICECandidate],
        ssrc: UInt32, cname: String, sessionID: UInt64, sessionVersion: UInt64 = 1, setup: SetupRole = .active
    ) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprint = fingerprint
        self.candidates = candidates
        self.ssrc = ssrc
        self.cname = cname
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.setup = setup
        self.opusPayloadType = 111
        self.telephoneEventPayloadType = 126
        self.mid = "audio"
        self.ptime = 20
        self.opusFormatParameters = nil
    }

    /// The candidates a gateway usually has: one host candidate per local address on
    /// one port, and optionally the configured external (NAT) address, either as a
    /// host candidate (1:1 NAT, the port forwarded as is) or as server-reflexive.
    /// Foundations are `1`, `2`, …; priorities follow RFC 8445 §5.1.2.1 with local
    /// preference decreasing in list order.
    /// - Parameters:
    ///   - hostAddresses: local interface addresses, preferred first.
    ///   - port: the UDP port of the call's socket.
    ///   - externalAddress: the public address, if configured.
    ///   - externalKind: `.host` or `.serverReflexive`.
    public static func gatewayCandidates(
        hostAddresses: [String], port: Int, externalAddress: String? = nil,
        externalKind: ICECandidate.Kind = .serverReflexive
    ) -> [ICECandidate] {
        var result: [ICECandidate] = []
        var preference: UInt16 = 65_535
        if let externalAddress, externalKind == .host {
            result.append(ICECandidate(
                foundation: "1", priority: ICECandidate.priority(kind: .host, localPreference: preference),
                address: externalAddress, port: port, kind: .host
            ))
            preference -= 1
        }
        for address in hostAddresses {
            result.append(ICECandidate(
                foundation: String(result.count + 1), priority: ICECandidate.priority(kind: .host, localPreference: preference),
                address: address, port: port, kind: .host
            ))
            preference = preference > 0 ? preference - 1 : 0
        }
        if let externalAddress, externalKind != .host {
            result.append(ICECandidate(
                foundation: String(result.count + 1), priority: ICECandidate.priority(kind: externalKind, localPreference: 65_535),
                address: externalAddress, port: port, kind: externalKind,
                relatedAddress: hostAddresses.first ?? "0.0.0.0", relatedPort: port
            ))
        }
        return result
    }
}
