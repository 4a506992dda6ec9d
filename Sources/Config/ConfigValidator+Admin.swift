// Building [admin]: the admin API listener and its token.

extension ConfigValidator {
    /// Validates `[admin]` (called only when the section is present); nil when it is unusable.
    func buildAdmin(_ reader: SectionReader) -> AdminConfig? {
        let (bind, insecure) = listenerBind(reader, default: AdminConfig.defaultBind)
        guard let token = listenerToken(reader) else { return nil }
        return AdminConfig(bind: bind, allowInsecureBind: insecure, token: token)
    }
}
