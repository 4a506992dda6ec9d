// What the HTTP listeners share. Every one ([http] listen, [onboarding] and
// [admin] bind, [whatsapp] simulator_listen) takes an IP:PORT read the same way;
// the operator-facing ones ([onboarding], [admin]) also keep that address on
// loopback unless explicitly allowed and require a bearer token. [http] has
// neither: Meta must reach the webhook (through the operator's TLS proxy) and
// authenticates it by signature.

import NetTypes

extension ConfigValidator {
    /// The shortest bearer token accepted on an operator listener.
    static let minimumListenerTokenLength = 16

    /// `bind` and `allow_insecure_bind` of `reader`. The listeners have no TLS of
    /// their own, so, like `/metrics`, they bind to loopback unless
    /// `allow_insecure_bind = yes` says a TLS proxy is in front.
    func listenerBind(_ reader: SectionReader, default fallback: SocketAddressSpec) -> (SocketAddressSpec, Bool) {
        let bind = listenAddress(reader, "bind", default: fallback, example: "'\(fallback)'")
        let insecure = reader.bool("allow_insecure_bind", default: false)
        if let address = bind.ipAddress, !Self.isLoopback(address), !insecure {
            reader.problem(reader.line(of: "bind"), "'bind' of [\(reader.name)] is \(bind), not a loopback address: "
                + "the \(reader.name) API has no TLS; bind to 127.0.0.1 behind a TLS proxy or set 'allow_insecure_bind = yes'")
        }
        return (bind, insecure)
    }

    /// `key` of `reader` as the `IP:PORT` a listener binds (an address, not a
    /// name); `fallback` when absent or bad, a bad value reported with `example`.
    func listenAddress(_ reader: SectionReader, _ key: String, default fallback: SocketAddressSpec,
                       example: String) -> SocketAddressSpec {
        guard let entry = reader.usable(key) else { return fallback }
        guard let parsed = SocketAddressSpec.parse(entry.value, requireIP: true) else {
            reader.bad(entry, expected: "IP:PORT, e.g. \(example)")
            return fallback
        }
        return parsed
    }

    /// The required bearer `token` of `reader`: at least 16 printable ASCII characters.
    func listenerToken(_ reader: SectionReader) -> Secret? {
        guard let token = secret(reader, "token") else {
            if !reader.has("token") { reader.problem(reader.headerLine, "[\(reader.name)] needs 'token' (the API's bearer token)") }
            return nil
        }
        guard token.reveal().count >= Self.minimumListenerTokenLength,
              token.reveal().allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            reader.problem(reader.line(of: "token"), "'token' of [\(reader.name)] must be at least "
                + "\(Self.minimumListenerTokenLength) printable ASCII characters without spaces")
            return nil
        }
        return token
    }

    /// True for 127.0.0.0/8 and ::1.
    static func isLoopback(_ address: IPAddress) -> Bool {
        let bytes = address.bytes
        return address.isIPv4 ? bytes.first == 127 : bytes == Array(repeating: 0, count: 15) + [1]
    }
}
