"""TLS in front of SIPp, for the peers that speak SIP over TLS only (Meta's SIP
servers, TLS trunks and phones).

Debian's SIPp (sip-tester 3.6.1 in Debian 12) is built without TLS; its source
package declares `Build-Conflicts: libssl-dev`, and the package mirror the
project's machines and CI use does not serve sip-tester's source tarballs, so it
cannot be rebuilt with `-DUSE_SSL=1` here. Debian 13's sip-tester 3.7.3 has TLS
through wolfSSL, but it completes the handshake and then never writes a SIP
message over it ("Unable to send TLS message: No error" as a client, "Error
sending TLS message" as a server). So SIPp runs over TCP (`-t t1`) and this relay
carries each of its TCP connections over a TLS connection of its own:

- `TLSRelay.client(target_port, ca)`: SIPp connects to `relay.port` over TCP; the
  relay connects to 127.0.0.1:`target_port` over TLS (checking the server's
  certificate against `ca` when given; no ALPN, no client certificate, as Meta).
- `TLSRelay.server(target_port, certificate)`: the gateway connects to
  `relay.port` over TLS and sees `certificate`; the relay connects to SIPp's TCP
  listener on `target_port`.

What a scenario writes is sent unchanged: a scenario for a TLS peer writes
`SIP/2.0/TLS` in its Via and `transport=tls` in its Contact (SIPp's
`[transport]` would say TCP), and names `relay.port` where the gateway must
reach it (`-key relay_port N` gives `[relay_port]`). `handshakes` records each
TLS session's version and the name the gateway's certificate carries, so a test
can check what was negotiated."""
import select
import socket
import ssl
import threading


class TLSRelay:
    """One listening socket on 127.0.0.1; every accepted connection is paired with
    a new connection to 127.0.0.1:`target_port` and bytes are copied both ways
    until either side closes."""

    def __init__(self, target_port, accept_tls=None, connect_tls=None):
        self.target_port = target_port
        self.accept_tls = accept_tls
        self.connect_tls = connect_tls
        self.handshakes = []
        self.errors = []
        self._sockets = []
        self._lock = threading.Lock()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @classmethod
    def client(cls, target_port, ca=None):
        """TCP in, TLS out: SIPp as a TLS client of the gateway's TLS listener."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if ca is None:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context.load_verify_locations(str(ca))
        return cls(target_port, connect_tls=context)

    @classmethod
    def server(cls, target_port, certificate):
        """TLS in, TCP out: SIPp as a TLS server (a trunk, or Meta) the gateway calls."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(certificate[0]), str(certificate[1]))
        return cls(target_port, accept_tls=context)

    def close(self):
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for each in [self.listener, *sockets]:
            try:
                each.close()
            except OSError:
                pass

    def _accept(self):
        while True:
            try:
                inbound, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._pair, args=(inbound,), daemon=True).start()

    def _pair(self, inbound):
        outbound = None
        try:
            inbound.settimeout(10)
            if self.accept_tls is not None:
                inbound = self.accept_tls.wrap_socket(inbound, server_side=True)
                self._record(inbound)
            outbound = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
            if self.connect_tls is not None:
                outbound = self.connect_tls.wrap_socket(outbound, server_hostname="127.0.0.1")
                self._record(outbound)
        except (OSError, ssl.SSLError) as error:
            self.errors.append(f"{type(error).__name__}: {error}")
            for each in (inbound, outbound):
                if each is not None:
                    each.close()
            return
        with self._lock:
            self._sockets += [inbound, outbound]
        self._pump(inbound, outbound)

    def _record(self, connection):
        peer = connection.getpeercert() or {}
        names = [value for kind, value in peer.get("subjectAltName", ()) if kind in ("DNS", "IP Address")]
        self.handshakes.append({"version": connection.version(), "cipher": connection.cipher()[0],
                                "peer_names": names})

    @staticmethod
    def _pump(first, second):
        """Copies both ways in one thread (an SSL socket must not be read and written
        from two threads at once) until either side ends, then closes both."""
        other = {first: second, second: first}
        try:
            while True:
                ready = [each for each in other if isinstance(each, ssl.SSLSocket) and each.pending()]
                if not ready:
                    ready, _, _ = select.select(list(other), [], [], 0.5)
                for source in ready:
                    data = TLSRelay._read(source)
                    if data == b"":
                        return
                    if data:
                        other[source].sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            for each in other:
                try:
                    each.close()
                except OSError:
                    pass

    @staticmethod
    def _read(source):
        """What `source` has now: bytes, b"" at its end, or None when a TLS record
        carried no data (a TLS 1.3 session ticket after the handshake makes the
        socket readable without any data for the other side)."""
        source.setblocking(False)
        try:
            return source.recv(65536)
        except (ssl.SSLWantReadError, BlockingIOError):
            return None
        finally:
            source.settimeout(10)
