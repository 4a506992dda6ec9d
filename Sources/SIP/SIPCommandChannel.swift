/// The command side of the SIP stack, as the composition layer uses it: fresh
/// handles for outgoing requests, commands queued for the SIP thread, and the
/// binding table. `SIPStack` is the real one; tests drive the layers above it
/// with a recording fake.
public protocol SIPCommandChannel: AnyObject, Sendable {
    /// The binding table (readable from any thread).
    var registrar: Registrar { get }
    /// A fresh handle id for an outgoing request.
    func makeHandle() -> SIPHandle
    /// Queues a command for the SIP thread.
    func send(_ command: SIPCommand)
}

extension SIPStack: SIPCommandChannel {}
