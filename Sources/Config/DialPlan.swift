// Turning what a user dialled into an E.164 number (ITU-T E.164: at most 15
// digits, country code first, never starting with 0).

/// The `[dialplan]` section: how dialled strings become `+E164` numbers.
public struct DialPlan: Sendable, Equatable {
    /// Digits that introduce an international number (`00` in most of the
    /// world, `011` in North America); empty disables the rule.
    public var internationalPrefix: String
    /// The trunk prefix of national numbers (`0` in most of Europe, `1` in
    /// North America); empty disables the rule.
    public var nationalPrefix: String
    /// The country code (1–3 digits) added to national numbers; nil means
    /// national numbers cannot be normalised.
    public var defaultCountryCode: String?

    /// Creates a dial plan.
    public init(internationalPrefix: String = "00", nationalPrefix: String = "0", defaultCountryCode: String? = nil) {
        self.internationalPrefix = internationalPrefix
        self.nationalPrefix = nationalPrefix
        self.defaultCountryCode = defaultCountryCode
    }

    /// The `+E164` form of `dialled`, or nil when it cannot be one.
    ///
    /// Rules, in order, after removing the visual separators space, `-`, `(`,
    /// `)` and `.`:
    /// 1. `+DIGITS` is taken as is.
    /// 2. Otherwise only digits are accepted. The international prefix is
    ///    replaced by `+` (`0044…` → `+44…`).
    /// 3. The national prefix is replaced by `+` and the default country code
    ///    (`07700…` → `+447700…`); without a country code this gives nil.
    /// 4. Any other digits are a full number without the `+`, as WhatsApp
    ///    writes user ids (`14085551234` → `+14085551234`).
    ///
    /// The result must have 7–15 digits and must not start with 0.
    public func normalize(_ dialled: String) -> String? {
        let separators: Set<Character> = [" ", "-", "(", ")", "."]
        let cleaned = String(dialled.filter { !separators.contains($0) })
        let digits: Substring
        if cleaned.hasPrefix("+") {
            digits = cleaned.dropFirst()
        } else if !internationalPrefix.isEmpty, cleaned.hasPrefix(internationalPrefix) {
            digits = cleaned.dropFirst(internationalPrefix.count)
        } else if !nationalPrefix.isEmpty, cleaned.hasPrefix(nationalPrefix) {
            guard let countryCode = defaultCountryCode else { return nil }
            digits = Substring(countryCode + cleaned.dropFirst(nationalPrefix.count))
        } else {
            digits = Substring(cleaned)
        }
        guard TextScanning.isDigits(digits), (7...15).contains(digits.utf8.count), !digits.hasPrefix("0") else {
            return nil
        }
        return "+" + digits
    }
}
