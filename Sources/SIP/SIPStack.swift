import CSofiaSIP
import CSofiaShims
import Config
import Foundation
public import Logging
import Synchronization

/// The SIP front end: one dedicated thread runs sofia's `su_root`; only that
/// thread calls `nua_*`. Other threads `send` commands, which are queued and
/// wake the root through a pipe; sofia's callbacks become `SIPEvent` values on
/// `events`. No call logic lives here.
///
/// `@unchecked Sendable`: the mutable state reachable from other threads is the
/// command queue (a `Mutex`) and the handle counter (an `Atomic`); everything
/// else belongs to the SIP thread (see `SofiaRuntime`).
public final class SIPStack: @unchecked Sendable {
    /// Events from the SIP side, in order.
    public let events: AsyncStream<SIPEvent>
    /// The binding table (readable from any thread).
    public let registrar: Registrar

    private let continuation: AsyncStream<SIPEvent>.Continuation
    private let queue = Mutex<[SIPCommand]>([])
    private let nextHandle = Atomic<UInt64>(1)
    private let settings: SIPStackSettings
    private let logger: Logger
    /// The pipe that wakes the SIP thread for queued commands; both ends are
    /// -1 before `start()` and again once the thread has stopped. Guarded so a
    /// `send` racing the shutdown never writes to a descriptor number the
    /// process has since reused.
    private let wakePipe = Mutex<(read: Int32, write: Int32)>((-1, -1))
    private var runtime: SofiaRuntime?
    private let finished = DispatchSemaphore(value: 0)
    private let tlsDirectory: TLSDirectory?

    /// Creates a stack; nothing listens until `start()`.
    public init(settings: SIPStackSettings, logger: Logger) throws(SIPError) {
        self.settings = settings
        self.logger = logger
        let general = settings.config.general
        registrar = Registrar(limits: .init(
            minimum: Int(general.registrationMinExpires.seconds),
            maximum: Int(general.registrationMaxExpires.seconds),
            defaultExpires: Int(general.registrationDefaultExpires.seconds)
        ))
        (events, continuation) = AsyncStream.makeStream(of: SIPEvent.self, bufferingPolicy: .unbounded)
        tlsDirectory = try general.tls.map { files throws(SIPError) in
            try TLSDirectory(files: files, caFile: general.tlsVerification.caFile)
        }
    }

    /// Bytes of the process's C heap in use right now (sofia, OpenSSL and the
    /// Swift runtime all allocate there). For metrics scrapes, not per packet.
    public static func heapInUse() -> Int {
        Int(clamping: wagate_heap_in_use())
    }

    /// A fresh handle id for an outgoing INVITE.
    public func makeHandle() -> SIPHandle {
        SIPHandle(rawValue: nextHandle.wrappingAdd(1, ordering: .relaxed).oldValue)
    }

    /// Queues a command for the SIP thread and wakes it.
    public func send(_ command: SIPCommand) {
        queue.withLock { $0.append(command) }
        wake()
    }

    private func wake() {
        wakePipe.withLock { pipe in
            guard pipe.write >= 0 else { return }
            var byte: UInt8 = 1
            _ = Glibc.write(pipe.write, &byte, 1)
        }
    }

    /// The wake pipe's descriptors, (-1, -1) when it is closed.
    var wakeDescriptors: (read: Int32, write: Int32) { wakePipe.withLock { $0 } }

    /// Closes both ends of the wake pipe; called when the SIP thread ends or
    /// the start fails. Later `send`s only queue.
    private func closeWakePipe() {
        wakePipe.withLock { pipe in
            if pipe.read >= 0 { close(pipe.read) }
            if pipe.write >= 0 { close(pipe.write) }
            pipe = (-1, -1)
        }
    }

    /// Binds the listeners and starts the SIP thread. Throws when sofia cannot
    /// bind (address in use, bad address), with the URL it tried.
    public func start() throws(SIPError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .startFailed("cannot create wake pipe") }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakePipe.withLock { $0 = (fds[0], fds[1]) }
        let urls: SofiaURLs
        do {
            urls = try SofiaURLs(config: settings.config)
        } catch {
            closeWakePipe()
            throw error
        }
        let started = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            self.threadMain(urls: urls, started: started)
        }
        thread.name = "sofia-sip"
        thread.start()
        started.wait()
        if let message = startFailure.withLock({ $0 }) { throw .startFailed(message) }
        logger.info("SIP listening", metadata: ["url": "\(urls.primary ?? "-")", "tls": "\(urls.tls ?? "-")"])
    }

    /// Shuts nua down (finishing transactions) and stops the thread.
    public func shutdown() async {
        shutdownRequested.withLock { $0 = true }
        wake()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [finished] in
                finished.wait()
                done.resume()
            }
        }
        continuation.finish()
    }

    private let shutdownRequested = Mutex(false)
    private let startFailure = Mutex<String?>(nil)

    // MARK: - The SIP thread

    private func threadMain(urls: SofiaURLs, started: DispatchSemaphore) {
        SofiaLog.install(logger: logger)
        su_init()
        let root = su_root_create(nil)
        let runtime = SofiaRuntime(
            settings: settings, registrar: registrar, logger: logger,
            allocateID: { [unowned self] in self.makeHandle().rawValue },
            emit: { [continuation] in continuation.yield($0) }
        )
        runtime.root = root
        self.runtime = runtime
        let magic = Unmanaged.passUnretained(self).toOpaque()
        _ = sofia_root_register_fd(root, wakeDescriptors.read, { _, _, arg in
            guard let arg else { return 0 }
            Unmanaged<SIPStack>.fromOpaque(arg).takeUnretainedValue().drainCommands()
            return 0
        }, magic)
        let tags = nuaTags(urls)
        runtime.nua = tags.withTags {
            sofia_nua_create(root, sofiaCallback, Unmanaged.passUnretained(runtime).toOpaque(), $0)
        }
        guard runtime.nua != nil else {
            startFailure.withLock { $0 = "sofia could not bind \(urls.primary ?? "") \(urls.tls ?? ""): \(String(cString: strerror(errno)))" }
            su_root_destroy(root)
            su_deinit()
            closeWakePipe()
            started.signal()
            finished.signal()
            return
        }
        started.signal()
        su_root_run(root)
        runtime.closeInDialog()
        nua_destroy(runtime.nua)
        su_root_destroy(root)
        su_deinit()
        closeWakePipe()
        finished.signal()
    }

    private func nuaTags(_ urls: SofiaURLs) -> TagList {
        let general = settings.config.general
        let tags = TagList()
        if let primary = urls.primary { tags.add(primary, sofia_nutag_url) }
        if let tls = urls.tls { tags.add(tls, sofia_nutag_sips_url) }
        if let dir = tlsDirectory?.path {
            tags.add(dir, sofia_tptag_certificate)
            SofiaTLSPolicy(general.tlsVerification).add(to: tags)
        }
        tags.add(sofia_nutag_media_enable(0))
        tags.add(sofia_nutag_autoanswer(0))
        tags.add(sofia_nutag_autoalert(0))
        // 2xx responses are ACKed by `SofiaRuntime.acknowledge`, which can put an answer in the ACK.
        tags.add(sofia_nutag_autoack(0))
        tags.add(sofia_nutag_enable_message(0))
        // SIPTAG_ALLOW replaces nua's default list (NUTAG_ALLOW would only add to it).
        tags.add(SofiaRuntime.allowedMethods, sofia_siptag_allow_str)
        tags.add(SofiaRuntime.acceptedTypes, sofia_siptag_accept_str)
        // REFER is answered by wagate (SofiaRuntime+Refer), not with nua's automatic 202.
        // OPTIONS is answered by wagate too: 200 with nua's capabilities, or 503 while draining.
        tags.add("REGISTER, INFO, UPDATE, REFER, OPTIONS", sofia_nutag_appl_method)
        tags.add(sofia_ntatag_server_rport(2))
        tags.add(general.userAgent, sofia_siptag_user_agent_str)
        if general.logging.sipTrace { tags.add(sofia_tptag_log(1)) }
        addSessionTimer(to: tags)
        return tags
    }

    /// RFC 4028 session timers as `[general]` says. With `session_timer = 0`
    /// wagate neither asks for nor agrees to a timer (Asterisk's
    /// `session-timers=refuse`): "timer" is left out of Supported, so nua adds
    /// no Session-Expires to requests or responses and answers a request that
    /// requires the extension with 420 Bad Extension. Otherwise wagate offers
    /// `session_timer` with its own `min_se` (nua's default Min-SE of 120 s is
    /// replaced), accepts what the peer asks for down to `min_se` (422 below
    /// it), and lets the negotiation pick the refresher (NUTAG_SESSION_REFRESHER
    /// left at nua_no_refresher: the UAC refreshes unless the peer chooses).
    /// Supported always lists `replaces` (RFC 3891 §6.2: wagate accepts a
    /// REFER whose Refer-To carries Replaces, and sends INVITEs with it).
    private func addSessionTimer(to tags: TagList) {
        let general = settings.config.general
        guard let timer = general.sessionTimer else {
            // nua's default Supported ("timer, 100rel") would agree to the peer's timer.
            tags.add("replaces", sofia_siptag_supported_str)
            tags.add(sofia_nutag_session_timer(0))
            return
        }
        tags.add("timer, replaces", sofia_siptag_supported_str)
        tags.add(sofia_nutag_session_timer(UInt32(timer.seconds)))
        tags.add(sofia_nutag_min_se(UInt32(general.minSE.seconds)))
    }

    private func drainCommands() {
        var byte = [UInt8](repeating: 0, count: 256)
        let readEnd = wakeDescriptors.read
        while Glibc.read(readEnd, &byte, byte.count) > 0 {}
        let commands = queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        guard let runtime else { return }
        for command in commands { runtime.execute(command) }
        if shutdownRequested.withLock({ $0 }), runtime.nua != nil, !runtime.shutdownStarted {
            runtime.shutdownStarted = true
            nua_shutdown(runtime.nua)
        }
    }
}
