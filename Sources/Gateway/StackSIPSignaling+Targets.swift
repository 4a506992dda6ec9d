import CallControl
import Config
import Foundation
import Media
import SIP

extension StackSIPSignaling {
    /// The INVITE for one target: a registered contact (sent to the address the
    /// phone registered from when it is behind NAT) or a trunk (its `dial` user,
    /// its credentials for challenges, caller number rewritten as configured).
    func outgoingInvite(_ target: SIPTarget, _ call: OutgoingSIPCall) -> SIPOutgoingCall? {
        // The profile name and number come from WhatsApp: made header-safe so
        // that no name can break (or silently lose) the INVITE.
        let display = call.callerDisplayName.flatMap(SIPHeaderText.quotedDisplayName).map { $0 + " " } ?? ""
        let caller = SIPHeaderText.userPart(call.callerNumber)
        switch target {
        case let .contact(user, uri):
            let binding = stack.registrar.bindings(for: user, now: Date().timeIntervalSince1970).first { $0.contact == uri }
            let nat = config.user(named: user)?.nat ?? true
            let host = localHost(toward: binding?.sourceHost)
            return SIPOutgoingCall(
                requestURI: uri, to: "<sip:\(user)@\(host)>",
                from: "\(display)<sip:\(caller)@\(host)>",
                proxy: nat ? binding?.sourceURI : nil, sdp: call.sdpOffer,
                headers: ["P-Asserted-Identity: \(display)<sip:\(caller)@\(host)>"])
        case .trunk(let name):
            guard let trunk = config.trunk(named: name) else { return nil }
            let host = localHost(toward: trunk.host)
            let number = SIPHeaderText.userPart(
                rewrite(call.callerNumber, strip: trunk.outboundStrip, prefix: trunk.outboundPrefix))
            let transport = trunk.transport == .udp ? "" : ";transport=\(trunk.transport.rawValue)"
            let trunkHost = trunk.host.contains(":") ? "[\(trunk.host)]" : trunk.host
            let uri = "sip:\(trunk.dial)@\(trunkHost):\(trunk.port)\(transport)"
            return SIPOutgoingCall(
                requestURI: uri, to: "<\(uri)>", from: "\(display)<sip:\(number)@\(host)>", sdp: call.sdpOffer,
                headers: ["P-Asserted-Identity: \(display)<sip:\(number)@\(host)>"],
                credentials: trunk.remoteCredentials.map { ($0.username, $0.secret.reveal()) })
        }
    }

    private func rewrite(_ number: String, strip: Int, prefix: String) -> String {
        prefix + String(number.dropFirst(min(strip, number.count)))
    }

    /// Our host for From/PAI: the external address, the listener's address, or
    /// the local address routed toward the peer.
    private func localHost(toward peer: String?) -> String {
        if let external = config.general.externalAddress { return external }
        let listener = config.general.listeners.first?.address.host ?? "127.0.0.1"
        if listener != "0.0.0.0" && listener != "::" { return listener.contains(":") ? "[\(listener)]" : listener }
        return peer.flatMap { LocalAddressResolver.localAddress(toward: $0) } ?? "127.0.0.1"
    }
}
