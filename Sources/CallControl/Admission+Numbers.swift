// Which business number an outgoing call uses, and the per-number limits.
//
// A user or trunk lists the numbers it may call from (`numbers = sales, support`,
// the first being its default; without the key only the first configured number,
// so adding a number never widens what existing phones may do, as Asterisk
// users expect explicit permission). The caller picks another allowed number by
// dialling its `dial_prefix` before the WhatsApp number (stripped before the dial
// plan, like `${EXTEN:2}` in an Asterisk dial plan), or by naming its business
// number in `P-Preferred-Identity` (any authenticated caller) or in
// `P-Asserted-Identity` (trunks only: RFC 3325 trusts it from peers inside the
// trust domain). The prefix wins over a header. An identity naming no business
// number (a PBX asserting its extension) is ignored.

public import Config

/// The number a call goes out through, and the dialled digits after its prefix.
public struct NumberChoice: Sendable, Equatable {
    /// The business number.
    public var number: NumberConfig
    /// What was dialled, without the number's dial prefix.
    public var dialled: String
}

extension Admission {
    /// `Retry-After` seconds when a business number is at its own `max_calls` or `call_rate`.
    public static let numberLimitRetryAfter = 10

    /// The numbers `origin` may call from, its default first.
    public func allowedNumbers(_ origin: SIPOrigin) -> [NumberConfig] {
        let names: [String] = switch origin {
        case .user(let name): config.user(named: name)?.numbers ?? []
        case .trunk(let name): config.trunk(named: name)?.numbers ?? []
        }
        // Without a `numbers` key: the default number, and every number added at
        // runtime (onboarded), reached through its dial prefix.
        guard !names.isEmpty else {
            return Array(config.numbers.prefix(1)) + config.numbers.dropFirst().filter { runtimeNumbers.contains($0.phoneNumberID) }
        }
        return names.compactMap { config.number(named: $0) }
    }

    /// The business number for `invite`: by dial prefix, else by identity header,
    /// else the caller's default. 403 with a Warning for a number the caller may not use.
    public func chooseNumber(_ invite: IncomingInvite) -> Result<NumberChoice, SIPRefusal> {
        let allowed = allowedNumbers(invite.origin)
        guard let fallback = allowed.first else { return .failure(forbidden("no business number to call from")) }
        if let prefixed = config.numbers.first(where: { number in
            !number.dialPrefix.isEmpty && invite.dialled.hasPrefix(number.dialPrefix)
                && invite.dialled.utf8.count > number.dialPrefix.utf8.count
        }) {
            guard allowed.contains(prefixed) else { return .failure(notAllowed(prefixed, invite.origin)) }
            return .success(NumberChoice(number: prefixed,
                                         dialled: String(invite.dialled.dropFirst(prefixed.dialPrefix.count))))
        }
        if let named = identityNumber(invite) {
            guard allowed.contains(named) else { return .failure(notAllowed(named, invite.origin)) }
            return .success(NumberChoice(number: named, dialled: invite.dialled))
        }
        return .success(NumberChoice(number: fallback, dialled: invite.dialled))
    }

    /// 503 with Retry-After when `number` already carries its `max_calls`.
    func numberLimitRefusal(_ number: NumberConfig, activeCalls: Int) -> SIPRefusal? {
        guard activeCalls >= number.maxCalls else { return nil }
        return Self.numberBusy(number, what: "call limit")
    }

    /// 503 with Retry-After for a business number over one of its limits (`call limit`, `call rate`).
    public static func numberBusy(_ number: NumberConfig, what: String, retryAfter: Int = numberLimitRetryAfter)
        -> SIPRefusal {
        SIPRefusal(.limit, SIPResponse(
            status: 503, warning: "business number \(number.businessNumber) \(what) reached",
            reason: FailureMapping.sipReason(503, "Number \(what)"), retryAfter: retryAfter))
    }

    /// The business number named by P-Preferred-Identity, or by P-Asserted-Identity from a trunk.
    private func identityNumber(_ invite: IncomingInvite) -> NumberConfig? {
        var headers = [invite.preferredIdentity]
        if case .trunk = invite.origin { headers.append(invite.assertedIdentity) }
        for header in headers.compactMap({ $0 }) {
            for identity in Self.identityNumbers(header) {
                if let number = config.numbers.first(where: { $0.businessNumber == identity
                    || $0.businessNumberDigits == identity }) {
                    return number
                }
            }
        }
        return nil
    }

    /// The telephone numbers in an identity header value (`<sip:+1555…@host>`,
    /// `"Sales" <tel:+1555…>`, comma-separated): the user part, `+` and digits only.
    static func identityNumbers(_ header: String) -> [String] {
        header.split(separator: ",").prefix(4).compactMap { value -> String? in
            var text = Substring(value)
            if let open = text.firstIndex(of: "<") {
                text = text[text.index(after: open)...]
                text = text.prefix { $0 != ">" }
            }
            text = text.drop { $0 == " " || $0 == "\t" }
            for scheme in ["sips:", "sip:", "tel:"] where text.lowercased().hasPrefix(scheme) {
                text = text.dropFirst(scheme.count)
                break
            }
            let user = text.prefix { $0 != "@" && $0 != ";" && $0 != ">" }.filter { $0 != "-" && $0 != "." }
            guard user.utf8.count <= 32, !user.isEmpty,
                  user.enumerated().allSatisfy({ $1.isASCII && ($1.isNumber || ($0 == 0 && $1 == "+")) })
            else { return nil }
            return String(user)
        }
    }

    private func notAllowed(_ number: NumberConfig, _ origin: SIPOrigin) -> SIPRefusal {
        forbidden("\(origin) may not call from business number \(number.businessNumber) (\(number.name))")
    }
}
