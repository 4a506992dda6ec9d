/// The `o=` version of the SDP we send again in one session (RFC 3264 §8):
/// the same origin as last time, the version unchanged when nothing else
/// changed (a session refresh gets byte-identical SDP), else the next version.
extension SessionDescription {
    /// This description with the origin of `previous`, our last SDP in the
    /// session: same version when the rest is identical, else the next.
    /// - Parameter previous: what we sent last, or nil for the first SDP.
    public func versioned(after previous: SessionDescription?) -> SessionDescription {
        guard let previous else { return self }
        var copy = self
        copy.origin = previous.origin
        if copy.serialized() != previous.serialized() { copy.origin = previous.origin.nextVersion() }
        return copy
    }
}
