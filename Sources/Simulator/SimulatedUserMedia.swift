import Crypto
import Foundation
public import Media

/// The simulated WhatsApp user's media endpoint.
///
/// The default ``MetaShapedSDPMedia`` only writes SDP in Meta's shape and carries no
/// media. A real WebRTC leg (ICE-lite, controlled, DTLS, Opus) that answers, plays
/// a tone or echoes conforms to this protocol too.
public protocol SimulatedUserMedia: Sendable {
    /// An offer for a user-initiated call (`setup:actpass`, as Meta sends).
    func makeOffer(callID: String) async throws -> String
    /// The answer to a business's offer in a business-initiated call (`setup:active`).
    func answer(callID: String, offer: String) async throws -> String
    /// Media may flow: the call was answered; `remoteSDP` is the business's SDP.
    func start(callID: String, remoteSDP: String) async
    /// The business's SDP came early (a SIP 18x): connect (ICE, DTLS) toward it,
    /// but send no audio before ``start(callID:remoteSDP:)``.
    func connect(callID: String, remoteSDP: String) async
    /// The call ended; release anything held for it.
    func stop(callID: String) async
    /// The user presses keys: RFC 4733 events toward the business.
    func sendDTMF(callID: String, digits: String) async
    /// The digits the user has heard (RFC 4733 from the business), in order.
    func receivedDTMF(callID: String) async -> String
    /// The media counters of a call's leg while it is live (nil without RTP).
    func statistics(callID: String) async -> WebRTCLegStatistics?
}

extension SimulatedUserMedia {
    /// Media that cannot connect early waits for ``start(callID:remoteSDP:)``.
    public func connect(callID: String, remoteSDP: String) async {}
    /// Media without RTP sends nothing.
    public func sendDTMF(callID: String, digits: String) async {}
    /// Media without RTP hears nothing.
    public func receivedDTMF(callID: String) async -> String { "" }
    /// Media without RTP counts nothing.
    public func statistics(callID: String) async -> WebRTCLegStatistics? { nil }
}

/// SDP exactly in the shape of Meta's offers (docs/whatsapp.md#media) and no media at all.
public struct MetaShapedSDPMedia: SimulatedUserMedia {
    /// The address written into `c=` and the IPv4 candidate.
    public var address: String
    /// The port written into `m=` and both candidates.
    public var port: Int

    /// Creates the endpoint description.
    public init(address: String = "127.0.0.1", port: Int = 3484) {
        self.address = address
        self.port = port
    }

    /// An offer with `a=setup:actpass`.
    public func makeOffer(callID: String) async throws -> String { sdp(setup: "actpass") }

    /// An answer with `a=setup:active`; refuses an offer without a fingerprint.
    public func answer(callID: String, offer: String) async throws -> String {
        guard offer.contains("a=fingerprint:") else { throw SimulatorError.media("offer has no fingerprint") }
        return sdp(setup: "active")
    }

    /// Does nothing: no media is carried.
    public func start(callID: String, remoteSDP: String) async {}

    /// Does nothing: no media is carried.
    public func stop(callID: String) async {}

    /// Meta's SDP with fresh ICE credentials, a well-formed SHA-256 fingerprint and one SSRC.
    public func sdp(setup: String) -> String {
        let sessionID = UInt64.random(in: 1_000_000_000...9_999_999_999)
        let ufrag = Self.token(4)
        let pwd = Self.token(24)
        let fingerprint = SHA256.hash(data: Data((ufrag + pwd).utf8)).map { String(format: "%02X", $0) }
            .joined(separator: ":")
        let ssrc = UInt32.random(in: 1...UInt32.max)
        let lines = [
            "v=0",
            "o=- \(sessionID) 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=ice-lite",
            "a=group:BUNDLE audio",
            "a=msid-semantic: WMS WhatsAppAudioStream1",
            "m=audio \(port) UDP/TLS/RTP/SAVPF 111 126",
            "c=IN IP4 \(address)",
            "a=rtcp:\(port) IN IP4 \(address)",
            "a=candidate:1 1 udp 2122260223 \(address) \(port) typ host generation 0",
            "a=candidate:2 1 udp 2122262783 ::1 \(port) typ host generation 0",
            "a=ice-ufrag:\(ufrag)",
            "a=ice-pwd:\(pwd)",
            "a=fingerprint:sha-256 \(fingerprint)",
            "a=setup:\(setup)",
            "a=mid:audio",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1",
            "a=rtpmap:126 telephone-event/8000",
            "a=ptime:20",
            "a=maxptime:20",
            "a=ssrc:\(ssrc) cname:WhatsAppAudioStream1",
        ]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A random ICE token of `length` characters.
    static func token(_ length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/")
        return String((0..<length).map { _ in alphabet.randomElement()! })
    }
}
