import Crypto
public import Foundation

/// Where a cluster hands admitted webhook events: to this node's call control,
/// or to the node that owns the call (docs/cluster.md). A single node has no router.
public protocol WebhookRouting: Sendable {
    /// The admitted events this node handles itself; the others are handed to
    /// their owners before this returns. `delivery` is the signed delivery as received.
    func route(_ admitted: [WebhookEvent], of delivery: WebhookDelivery) async -> [WebhookEvent]
    /// The event keys a delivery handed on by another node is meant for here, when
    /// its `X-Wagate-Forward` header is genuine; nil refuses it.
    func accept(forward header: String, signature: String) -> Set<String>?
}

/// The `X-Wagate-Forward` header of a delivery one node hands to another: who sent
/// it, the keys of the events meant for the receiver, and an HMAC-SHA256 under the
/// cluster's shared secret over both and the delivery's Meta signature (so the
/// header cannot be moved to another body). The body keeps Meta's signature, which
/// the receiver checks first as for any delivery.
public struct WebhookForward: Sendable, Equatable {
    /// The header's name.
    public static let headerName = "X-Wagate-Forward"
    /// The most event keys one header may name.
    static let maximumKeys = 256

    /// The sending node.
    public var from: String
    /// The events meant for the receiver.
    public var keys: [String]

    /// Creates a header's content.
    public init(from: String, keys: [String]) {
        self.from = from
        self.keys = keys
    }

    /// The header value: base64url of `from` and the keys, one per line, then `.` and the MAC.
    public func header(secret: String, signature: String) -> String {
        let payload = Self.base64url(Data(([from] + keys).joined(separator: "\n").utf8))
        return payload + "." + Self.mac(payload, signature: signature, secret: secret)
    }

    /// Reads and checks a header; nil when it is malformed or its MAC is wrong.
    public static func verify(_ header: String, secret: String, signature: String) -> WebhookForward? {
        guard header.utf8.count <= 64 * 1024 else { return nil }
        let parts = header.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let payload = String(parts[0])
        let expected = mac(payload, signature: signature, secret: secret)
        guard WebhookProcessor.constantTimeEquals(Array(expected.utf8), Array(parts[1].utf8)) else { return nil }
        return decode(payload)
    }

    /// The sender and keys of a header's payload (its MAC already checked); nil when malformed.
    static func decode(_ payload: String) -> WebhookForward? {
        guard let data = data(base64url: payload) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let from = lines.first, !from.isEmpty, lines.count - 1 <= maximumKeys else { return nil }
        return WebhookForward(from: String(from), keys: lines.dropFirst().map(String.init))
    }

    private static func mac(_ payload: String, signature: String, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data((payload + "\n" + signature).utf8),
                                                   using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    private static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func data(base64url text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
