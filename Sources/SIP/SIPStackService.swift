/// The whole SIP stack as the SIP front end runs it: the command side plus its
/// lifecycle and the one stream of events. `SIPStack` is the real one; tests
/// put a recording fake in its place to drive the front end without sockets.
public protocol SIPStackService: SIPCommandChannel {
    /// Everything the stack reports, consumed by one task.
    var events: AsyncStream<SIPEvent> { get }
    /// Binds the listeners and starts the SIP thread.
    func start() throws(SIPError)
    /// Finishes transactions, stops the thread and ends `events`.
    func shutdown() async
}

extension SIPStack: SIPStackService {}
