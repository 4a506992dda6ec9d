/// The product version, printed by `wagate version` and sent as User-Agent.
public enum WagateVersion {
    /// Semantic version of this build.
    public static let string = "0.1.0"
}
