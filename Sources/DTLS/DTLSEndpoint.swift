import COpenSSL
import COpenSSLShims
public import NetTypes

/// One DTLS-SRTP association (one per call), sans-I/O: datagrams and time go
/// in, datagrams and at most one event per input come out. It never sends
/// application data; its product is the SRTP keys of `DTLSEvent.connected`.
///
/// Driver loop (e.g. on the call's NIO event loop):
/// 1. `start(now:)`, send `datagrams`; schedule a timer at `nextTimeout(now:)`.
/// 2. Every DTLS datagram from the peer (RFC 7983: first byte 20…63) →
///    `receive(_:now:)`; send the datagrams, act on the event, re-arm the timer.
/// 3. When the timer fires → `handleTimeout(now:)`, same handling.
///
/// `now` is the caller's monotonic time since any fixed origin (NIO:
/// `.nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds))`). OpenSSL 3.0 runs
/// its retransmission timer on the wall clock internally, so `nextTimeout`
/// converts OpenSSL's remaining time into the caller's clock, and the overall
/// `handshakeTimeout` is measured in the caller's clock.
///
/// Ownership: owns one `SSL` (freed in `deinit`), which owns both memory BIOs.
/// Thread: not `Sendable`; use from one thread (the call's event loop) only.
public final class DTLSEndpoint {
    /// How an endpoint behaves.
    public struct Configuration: Sendable {
        /// Client (sends ClientHello) or server.
        public var role: DTLSRole
        /// The peer's `a=fingerprint` values; the peer certificate must match one.
        public var remoteFingerprints: [DTLSFingerprint]
        /// Largest datagram OpenSSL may produce (`DTLS_set_link_mtu`).
        public var mtu: Int
        /// First retransmission timeout; doubles per retransmission up to 60 s.
        public var initialRetransmitTimeout: Duration
        /// The handshake fails with `.timeout` if not finished this long after `start`.
        public var handshakeTimeout: Duration

        /// Creates a configuration.
        public init(
            role: DTLSRole, remoteFingerprints: [DTLSFingerprint], mtu: Int = 1200,
            initialRetransmitTimeout: Duration = .seconds(1), handshakeTimeout: Duration = .seconds(30)
        ) {
            self.role = role
            self.remoteFingerprints = remoteFingerprints
            self.mtu = mtu
            self.initialRetransmitTimeout = initialRetransmitTimeout
            self.handshakeTimeout = handshakeTimeout
        }
    }

    /// Where the association is.
    enum State {
        case idle
        case handshaking(deadline: Duration)
        case connected(DTLSSRTPKeys)
        case failed(DTLSError)
        case closed
    }

    /// The `SSL *`, owned; it owns `readBIO` and `writeBIO`.
    let ssl: OpaquePointer
    /// Datagrams from the peer are written here (borrowed from `ssl`).
    let readBIO: OpaquePointer
    /// OpenSSL writes its records here (borrowed from `ssl`).
    let writeBIO: OpaquePointer
    /// The configuration.
    public let configuration: Configuration
    /// Keeps the `SSL_CTX` alive as long as the `SSL`.
    let context: DTLSContext
    /// The current state.
    var state: State = .idle
    /// Scratch for discarding post-handshake application data (allocated once).
    var scratch = [UInt8](repeating: 0, count: 2048)

    /// Creates an endpoint; call `start(now:)` next.
    /// - Throws: `.configuration` without a usable remote fingerprint; `.setup` if OpenSSL fails.
    public init(context: DTLSContext, configuration: Configuration) throws(DTLSError) {
        guard !configuration.remoteFingerprints.isEmpty else {
            throw DTLSError(.configuration, "no remote a=fingerprint to check the peer against")
        }
        guard configuration.mtu >= 256, configuration.initialRetransmitTimeout > .zero else {
            throw DTLSError(.configuration, "MTU below 256 or non-positive retransmit timeout")
        }
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else { throw DTLSError.openSSL(.setup, "SSL_new failed") }
        guard let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw DTLSError.openSSL(.setup, "BIO_new(BIO_s_mem) failed")
        }
        // An empty read BIO means "no datagram yet" (retry), not end of stream.
        _ = openssl_shim_bio_set_mem_eof_return(readBIO, -1)
        _ = openssl_shim_bio_set_mem_eof_return(writeBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)  // ssl now owns both BIOs
        _ = openssl_shim_dtls_set_link_mtu(ssl, configuration.mtu)
        Self.installTimer(on: ssl, initial: configuration.initialRetransmitTimeout)
        switch configuration.role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.context = context
        self.configuration = configuration
    }

    deinit {
        SSL_free(ssl)
    }

    /// The keys, once connected.
    public var keys: DTLSSRTPKeys? {
        if case .connected(let keys) = state { keys } else { nil }
    }

    /// True once the handshake finished and the fingerprint matched.
    public var isConnected: Bool { keys != nil }

    /// Why the association failed, if it did.
    public var failure: DTLSError? {
        if case .failed(let error) = state { error } else { nil }
    }

    /// Starts the handshake: the client emits its ClientHello; the server only
    /// arms the overall deadline and waits. Calling it again does nothing.
    public func start(now: Duration) -> DTLSOutput {
        guard case .idle = state else { return DTLSOutput() }
        state = .handshaking(deadline: now + configuration.handshakeTimeout)
        guard configuration.role == .client else { return DTLSOutput() }
        return advanceHandshake()
    }

    /// Feeds one datagram from the peer. Garbage is dropped by OpenSSL.
    public func receive(_ datagram: UnsafeRawBufferPointer, now: Duration) -> DTLSOutput {
        if case .idle = state { _ = start(now: now) }
        guard !datagram.isEmpty, let base = datagram.baseAddress else { return DTLSOutput() }
        switch state {
        case .handshaking:
            _ = BIO_write(readBIO, base, Int32(clamping: datagram.count))
            return advanceHandshake()
        case .connected:
            _ = BIO_write(readBIO, base, Int32(clamping: datagram.count))
            return readAfterHandshake()
        case .idle, .failed, .closed:
            return DTLSOutput()
        }
    }

    /// Feeds one datagram from the peer (copying convenience for tests and tools).
    public func receive(_ datagram: [UInt8], now: Duration) -> DTLSOutput {
        datagram.withUnsafeBytes { receive($0, now: now) }
    }
}
