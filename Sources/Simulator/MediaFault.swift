import Foundation

/// A fault of the simulated Meta media relay for the next call(s), injected through
/// `POST /control/faults` with `kind` `media_unreachable` or `dtls_fingerprint_mismatch`
/// (docs/whatsapp-setup.md). It changes the SDP the simulated user sends (the answer
/// to a business's offer, or a user-initiated call's offer), whichever comes first.
enum MediaFault: String, Sendable, CaseIterable {
    /// The relay answers no STUN check: the SDP's address and candidates point at a
    /// UDP socket that takes every datagram and answers none, as a firewall dropping
    /// UDP toward Meta's relays does. The business's ICE can only time out.
    case mediaUnreachable = "media_unreachable"
    /// The SDP's `a=fingerprint` is not the relay's certificate: the business's DTLS
    /// handshake fails its certificate check.
    case dtlsFingerprintMismatch = "dtls_fingerprint_mismatch"

    /// `sdp` with every `c=` address, `m=` port, `a=rtcp` and candidate moved to `port` on
    /// `host` (``mediaUnreachable``), or with a random SHA-256 fingerprint (``dtlsFingerprintMismatch``).
    func apply(to sdp: String, sinkHost host: String, sinkPort port: Int) -> String {
        let lines = sdp.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
        return lines.map { rewrite($0, host: host, port: port) }.joined(separator: "\r\n") + "\r\n"
    }

    private func rewrite(_ line: String, host: String, port: Int) -> String {
        switch self {
        case .dtlsFingerprintMismatch:
            guard line.hasPrefix("a=fingerprint:") else { return line }
            let bytes = (0..<32).map { _ in String(format: "%02X", UInt8.random(in: 0...255)) }
            return "a=fingerprint:sha-256 " + bytes.joined(separator: ":")
        case .mediaUnreachable:
            var fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if line.hasPrefix("m="), fields.count > 1 {
                fields[1] = "\(port)"
            } else if line.hasPrefix("c=IN "), fields.count == 3 {
                fields[1] = "IP4"
                fields[2] = host
            } else if line.hasPrefix("a=rtcp:") {
                return "a=rtcp:\(port) IN IP4 \(host)"
            } else if line.hasPrefix("a=candidate:") {
                // One host candidate (IPv4) at the sink; the other families would let ICE fail early.
                guard fields.count > 5, !fields[4].contains(":") else { return "" }
                fields[4] = host
                fields[5] = "\(port)"
            }
            return fields.joined(separator: " ")
        }
    }
}
