// `permission_callback` of `type = user` and `type = trunk` sections.

extension ConfigValidator {
    /// The longest `permission_callback`: Meta's interactive permission
    /// request lives in a 24-hour window, and a caller stops expecting a call
    /// back long before then.
    static let permissionCallbackRange = 1...86_400

    /// `permission_callback = SECONDS` (or `off`/`no`/`0`): how long after a
    /// call refused for lack of permission an accepted permission still calls
    /// the caller back. Absent or off: nil.
    func permissionCallback(_ reader: SectionReader) -> Duration? {
        guard let entry = reader.usable("permission_callback") else { return nil }
        let value = TextScanning.trimmed(entry.value).lowercased()
        if ["off", "no", "0"].contains(value) { return nil }
        let range = Self.permissionCallbackRange
        guard let seconds = TextScanning.decimal(value), range.contains(seconds) else {
            reader.bad(entry, expected: "a whole number of seconds from \(range.lowerBound) to \(range.upperBound), or 'off'")
            return nil
        }
        return .seconds(seconds)
    }
}
