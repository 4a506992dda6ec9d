import CallControl
import Config
import Foundation
import SIP

extension StackSIPSignaling {
    /// The INVITE for one target, rendered from what call control decided: the
    /// caller number is final (a trunk's `outbound_strip`/`outbound_prefix`
    /// already applied by call control's router) and is written as is. A
    /// registered contact is sent to the address the phone registered from when
    /// it is behind NAT; a trunk gets its `dial` user (without one, the business
    /// number the WhatsApp user called), host, port, transport and
    /// credentials for challenges. Our host in From/To/PAI is
    /// ``GeneralConfig/localAddress(toward:)`` for the peer.
    func outgoingInvite(_ target: SIPTarget, _ call: OutgoingSIPCall) -> SIPOutgoingCall? {
        switch target {
        case let .contact(user, uri):
            let binding = stack.registrar.bindings(for: user, now: Date().timeIntervalSince1970).first { $0.contact == uri }
            let nat = config.user(named: user)?.nat ?? true
            let host = config.general.localAddress(toward: binding?.sourceHost)
            let caller = callerIdentity(call, host: host)
            return transferred(SIPOutgoingCall(
                requestURI: uri, to: SIPNameAddress(uri: SIPURI(user: user, host: host)).description,
                from: caller.description, proxy: nat ? binding?.sourceURI : nil, sdp: call.sdpOffer,
                headers: headers(call, caller: caller)), call, host: host)
        case .trunk(let name):
            guard let trunk = config.trunk(named: name) else { return nil }
            let caller = callerIdentity(call, host: config.general.localAddress(toward: trunk.host))
            let uri = trunk.sipURI(user: call.requestUser ?? (trunk.dialIsSet ? trunk.dial : call.calledNumber ?? trunk.dial))
            return transferred(SIPOutgoingCall(
                requestURI: uri.description, to: SIPNameAddress(uri: uri).description, from: caller.description,
                sdp: call.sdpOffer, headers: headers(call, caller: caller),
                credentials: trunk.remoteCredentials.map { ($0.username, $0.secret.reveal()) }),
                call, host: config.general.localAddress(toward: trunk.host))
        }
    }

    /// `invite` with a transfer's Replaces and Referred-By; nil when its
    /// Replaces cannot be rendered (the target is then not rung).
    private func transferred(_ invite: SIPOutgoingCall, _ call: OutgoingSIPCall, host: String) -> SIPOutgoingCall? {
        let (replaces, valid) = outgoingReplaces(call.replaces)
        guard valid else {
            logger.warning("transfer INVITE not placed: its Replaces cannot be rendered", metadata: ["leg": "\(call.leg)"])
            return nil
        }
        var invite = invite
        invite.replaces = replaces
        if let referredBy = referredByHeader(call.referredBy, host: host) { invite.headers.append(referredBy) }
        return invite
    }

    /// P-Asserted-Identity, then call control's extension headers about the
    /// caller (`X-WA-BSUID`, `X-WA-Username`), each written by the SIP layer's
    /// builder, which leaves out one it cannot write safely.
    private func headers(_ call: OutgoingSIPCall, caller: SIPNameAddress) -> [String] {
        [caller.assertedIdentityHeader] + call.headers.compactMap { SIPExtensionHeader.line(name: $0.name, value: $0.value) }
    }

    /// From and P-Asserted-Identity: the WhatsApp profile name and the caller
    /// number call control chose, both made header-safe by the SIP builders.
    private func callerIdentity(_ call: OutgoingSIPCall, host: String) -> SIPNameAddress {
        SIPNameAddress(displayName: call.callerDisplayName, uri: SIPURI(user: call.callerNumber, host: host))
    }
}
