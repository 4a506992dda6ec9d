import COpenSSL
import COpenSSLShims

extension DTLSEndpoint {
    /// When the driver should call `handleTimeout(now:)`, in the caller's clock,
    /// or nil when no timer is needed (idle, connected, failed, closed).
    public func nextTimeout(now: Duration) -> Duration? {
        guard case .handshaking(let deadline) = state else { return nil }
        var remaining = timeval()
        guard openssl_shim_dtls_get_timeout(ssl, &remaining) == 1 else { return deadline }
        let retransmit = now + .seconds(remaining.tv_sec) + .microseconds(remaining.tv_usec)
        return min(retransmit, deadline)
    }

    /// Retransmits the last flight if OpenSSL's timer expired, or fails the
    /// handshake when its overall deadline passed or retransmissions ran out.
    public func handleTimeout(now: Duration) -> DTLSOutput {
        guard case .handshaking(let deadline) = state else { return DTLSOutput() }
        if now >= deadline {
            return fail(DTLSError(.timeout, "DTLS handshake not finished within \(configuration.handshakeTimeout)"))
        }
        ERR_clear_error()
        if openssl_shim_dtls_handle_timeout(ssl) < 0 {
            return fail(DTLSError.openSSL(.timeout, "DTLS handshake retransmissions exhausted"))
        }
        return DTLSOutput(datagrams: drainWriteBIO())
    }

    /// Closes the association: sends close_notify (if a handshake was under way
    /// or done) and reports nothing further.
    public func close() -> DTLSOutput {
        switch state {
        case .handshaking, .connected:
            state = .closed
            ERR_clear_error()
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
            return DTLSOutput(datagrams: drainWriteBIO())
        case .idle, .failed, .closed:
            state = .closed
            return DTLSOutput()
        }
    }

    /// Makes OpenSSL's retransmission timer start at `initial` and double up to
    /// 60 s (RFC 6347 §4.2.4.1). The initial value rides in the `SSL`'s app-data
    /// slot as an integer, since a C callback cannot capture.
    /// Ownership: `ssl` borrowed; nothing is retained.
    static func installTimer(on ssl: OpaquePointer, initial: Duration) {
        let microseconds = max(1, initial.components.seconds * 1_000_000 + initial.components.attoseconds / 1_000_000_000_000)
        _ = SSL_set_ex_data(ssl, 0, UnsafeMutableRawPointer(bitPattern: UInt(clamping: microseconds)))
        DTLS_set_timer_cb(ssl) { ssl, previous in
            guard previous > 0 else {
                let initial = UInt(bitPattern: SSL_get_ex_data(ssl, 0))
                return UInt32(clamping: initial)
            }
            return min(previous.multipliedReportingOverflow(by: 2).partialValue, 60_000_000)
        }
    }
}
