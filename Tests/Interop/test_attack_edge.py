"""Attacks on the SIP edge, from raw sockets against a real wagate: extreme
header values, out-of-dialog floods of every method, unserved methods, a UDP
packet claiming to be a TLS trunk, and hostile WhatsApp profile names. Each
test asserts the safe outcome: the process is alive and answers as designed."""
import json
import os
import random
import re
import socket
import time
import urllib.request

from conftest import free_port

SERVED = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "INFO", "UPDATE", "REGISTER"}
UNSERVED = ["SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH", "FOO", "XYZZY"]


def udp_socket(timeout=2.0):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(timeout)
    return sock


def request(method, gw, sock, call_id=None, headers=(), body="", uri=None, cseq=1):
    """One SIP request from `sock` to `gw`, as bytes."""
    port = sock.getsockname()[1]
    call_id = call_id or f"{random.getrandbits(64):x}@edge"
    lines = [
        f"{method} {uri or f'sip:wagate@127.0.0.1:{gw.sip_port}'} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK{random.getrandbits(48):x};rport",
        "Max-Forwards: 70",
        f"From: <sip:attacker@127.0.0.1:{port}>;tag={random.getrandbits(32):x}",
        f"To: <sip:wagate@127.0.0.1:{gw.sip_port}>",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} {method}",
        f"Contact: <sip:attacker@127.0.0.1:{port}>",
        *headers,
        f"Content-Length: {len(body.encode())}",
        "",
        body,
    ]
    return "\r\n".join(lines).encode()


def final_response(sock, call_id, timeout=3.0):
    """The first non-100 response for `call_id`: (status, text)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            break
        text = data.decode(errors="replace")
        match = re.match(r"SIP/2\.0 (\d{3})", text)
        if match and call_id in text and match.group(1) != "100":
            return int(match.group(1)), text
    raise AssertionError(f"no answer for {call_id}")


def header(text, name):
    match = re.search(rf"^{name}:\s*(.*)$", text, re.M | re.I)
    return match.group(1).strip() if match else None


def ask(gw, method, headers=(), body="", uri=None, cseq=1):
    with udp_socket() as sock:
        call_id = f"{random.getrandbits(64):x}@edge"
        sock.sendto(request(method, gw, sock, call_id, headers, body, uri, cseq), ("127.0.0.1", gw.sip_port))
        return final_response(sock, call_id)


def rss_kib(gw):
    with open(f"/proc/{gw.proc.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def live_handles(gw):
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()
    match = re.search(r"^wagate_sip_handles (\S+)$", metrics, re.M)
    return float(match.group(1)) if match else 0.0


def assert_alive(gw):
    assert gw.proc.poll() is None, gw.logs()[-4000:]
    status, _ = ask(gw, "OPTIONS")
    assert status == 200


# MARK: - The C boundary


def test_extreme_header_values_get_a_sane_answer(make_gateway):
    gw = make_gateway()
    huge = "18446744073709551615"
    for method in ("REGISTER", "INVITE"):
        status, _ = ask(gw, method, headers=[f"Expires: {huge}"])
        assert status in (401, 407), (method, status)
        status, _ = ask(gw, method, headers=[], cseq=4294967295)
        assert status in (401, 407), (method, status)
    status, _ = ask(gw, "REGISTER", headers=[f"Expires: 99999999999999999999999999"])
    assert 400 <= status < 500
    with udp_socket() as sock:  # Contact expires, Max-Forwards and CSeq past every integer type
        call_id = "contact-expires@edge"
        data = request("REGISTER", gw, sock, call_id, [f"Expires: {huge}"]).replace(
            b">\r\nExpires", f">;expires={huge}{huge}\r\nExpires".encode()).replace(
            b"Max-Forwards: 70", f"Max-Forwards: {huge}".encode())
        sock.sendto(data, ("127.0.0.1", gw.sip_port))
        status, _ = final_response(sock, call_id)
        assert 400 <= status < 500
        sock.sendto(request("OPTIONS", gw, sock, "cseq@edge").replace(b"CSeq: 1 ", f"CSeq: {huge} ".encode()),
                    ("127.0.0.1", gw.sip_port))
        sock.sendto(request("OPTIONS", gw, sock, "len@edge").replace(b"Content-Length: 0",
                                                                     f"Content-Length: {huge}".encode()),
                    ("127.0.0.1", gw.sip_port))
        sock.sendto(request("OPTIONS", gw, sock, "long@edge", [f"X-Long: {'a' * 60000}"]), ("127.0.0.1", gw.sip_port))
        sock.sendto(request("OPTIONS", gw, sock, "display@edge").replace(
            b"From: <", b'From: "' + b"\\" * 3000 + b'" <'), ("127.0.0.1", gw.sip_port))
    assert_alive(gw)


# MARK: - Methods and handles


def test_options_gets_200_with_allow_and_accept(make_gateway):
    gw = make_gateway()
    status, text = ask(gw, "OPTIONS")
    assert status == 200, text
    allowed = {m.strip() for m in (header(text, "Allow") or "").split(",")}
    assert allowed == SERVED, text
    assert "application/sdp" in (header(text, "Accept") or ""), text


def test_unserved_methods_get_405_with_allow_and_no_dialog_requests_481(make_gateway):
    gw = make_gateway()
    for method in UNSERVED:
        headers = ["Event: presence"] if method in ("SUBSCRIBE", "NOTIFY", "PUBLISH") else []
        if method == "REFER":
            headers = ["Refer-To: <sip:victim@127.0.0.1>"]
        status, text = ask(gw, method, headers=headers, body="hi" if method == "MESSAGE" else "")
        assert status in (405, 501), (method, text)
        if status == 405:
            assert {m.strip() for m in (header(text, "Allow") or "").split(",")} == SERVED, text
    # Without a dialog (or, for PRACK, a reliable provisional) these get 481.
    for method in ("INFO", "UPDATE", "BYE", "CANCEL", "PRACK"):
        status, text = ask(gw, method)
        assert status == 481, (method, text)
    assert live_handles(gw) == 0
    assert_alive(gw)


def mixed_datagrams(gw, sock, count):
    port = sock.getsockname()[1]
    kinds = ["OPTIONS", "SUBSCRIBE", "MESSAGE", "NOTIFY", "REFER", "PUBLISH", "FOO", "INFO", "BYE", "ACK",
             "CANCEL", "UPDATE", "GARBAGE"]
    out = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        if kind == "GARBAGE":
            out.append(os.urandom(40 + i % 200))
            continue
        headers = ["Event: presence"] if kind in ("SUBSCRIBE", "NOTIFY", "PUBLISH") else []
        out.append(request(kind, gw, sock, f"{port}-{i}@flood", headers, "x" if kind == "MESSAGE" else ""))
    return out


def flood(gw, total, senders=8, window=40):
    """Sends `total` mixed out-of-dialog requests, at most `window` unanswered
    at a time per sender (so sofia processes them rather than the kernel
    dropping them); returns how many were answered."""
    socks = [udp_socket(timeout=0) for _ in range(senders)]
    for sock in socks:
        sock.setblocking(False)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    per = total // senders
    queues = [mixed_datagrams(gw, sock, per) for sock in socks]
    answered, outstanding = 0, [0] * senders
    quiet_since = None
    while any(queues) or any(outstanding):
        progressed = False
        for n, sock in enumerate(socks):
            while queues[n] and outstanding[n] < window:
                sock.sendto(queues[n].pop(), ("127.0.0.1", gw.sip_port))
                outstanding[n] += 1
                progressed = True
            while True:
                try:
                    sock.recv(65535)
                except BlockingIOError:
                    break
                answered += 1
                progressed = True
                outstanding[n] = max(0, outstanding[n] - 1)
        if progressed:
            quiet_since = None
            continue
        quiet_since = quiet_since or time.time()
        if time.time() - quiet_since > 0.05:  # ACK and garbage get no answer; move on
            outstanding = [0] * senders
            quiet_since = None
        time.sleep(0.001)
    for sock in socks:
        sock.close()
    return answered


def metric(gw, name):
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()
    match = re.search(rf"^{name} (\S+)$", metrics, re.M)
    return float(match.group(1)) if match else 0.0


def test_100k_mixed_out_of_dialog_requests_leave_handles_and_memory_flat(make_gateway):
    gw = make_gateway()
    assert_alive(gw)
    baseline_handles = live_handles(gw)
    heap0, rss0 = metric(gw, "wagate_heap_in_use_bytes"), rss_kib(gw)
    started = time.time()
    answered = flood(gw, 100_000)
    flood_seconds = time.time() - started
    peak = rss_kib(gw)
    assert answered > 60_000, answered
    assert_alive(gw)
    # sofia keeps each answered UDP transaction for 64*T1 = 32 s (RFC 3261
    # Timer J); once they have ended, the heap in use must be back near its
    # baseline: a leaked handle per request would leave megabytes behind.
    deadline = time.time() + 45
    while metric(gw, "wagate_heap_in_use_bytes") > heap0 + 3_000_000 and time.time() < deadline:
        time.sleep(0.5)
    heap1 = metric(gw, "wagate_heap_in_use_bytes")
    assert live_handles(gw) == baseline_handles
    rss1 = rss_kib(gw)
    answered += flood(gw, 20_000)  # freed memory is reused: RSS does not grow again
    rss2 = rss_kib(gw)
    print(f"answered {answered} of 120000 ({flood_seconds:.1f} s for 100k); heap {heap0 / 1e6:.1f} MB -> "
          f"{heap1 / 1e6:.1f} MB after the transactions ended; RSS {rss0} KiB, peak {peak} KiB, {rss1} KiB, "
          f"{rss2} KiB after 20k more")
    assert heap1 - heap0 < 6_000_000, (heap0, heap1)
    assert rss2 - rss1 < 8 * 1024, (rss1, rss2)


# MARK: - Trunks


def test_udp_packet_from_a_tls_trunks_address_is_not_the_trunk(make_gateway):
    with udp_socket() as sock:
        port = sock.getsockname()[1]
        gw = make_gateway(extra_sections=f"""
[carrier]
type = trunk
host = 127.0.0.1
port = 5061
transport = tls
match = 127.0.0.1/32
match_port = {port}
allow = +*
""")
        sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
        call_id = "tls-trunk-spoof@edge"
        sock.sendto(request("INVITE", gw, sock, call_id, ["Content-Type: application/sdp"], sdp,
                            uri=f"sip:+15551234567@127.0.0.1:{gw.sip_port}"), ("127.0.0.1", gw.sip_port))
        status, text = final_response(sock, call_id)
        assert status in (401, 407, 403), text
        assert "trunk" not in gw.logs().split(call_id)[-1].lower() or status != 200
    assert_alive(gw)


# MARK: - Names from WhatsApp


HOSTILE_NAMES = [
    ("Eve\r\nVia: SIP/2.0/UDP evil", '"Eve Via: SIP/2.0/UDP evil"'),
    ("ends in backslash\\", '"ends in backslash\\\\"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("nul\u0000bell\u0007", '"nulbell"'),
    ("é" * 4000, '"' + "é" * 64 + '"'),
]


def test_hostile_whatsapp_names_still_ring_the_phone_with_a_safe_display_name(make_gateway):
    phone = udp_socket(timeout=15)
    phone_port = phone.getsockname()[1]
    simulator = free_port(socket.SOCK_STREAM, both=False)
    gw = make_gateway(
        whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{simulator}\n",
        extra_sections=f"""
[pbx]
type = trunk
host = 127.0.0.1
port = {phone_port}
match = 127.0.0.1/32
match_port = {phone_port}
allow = +*
[inbound]
target = trunk:pbx
ring_timeout = 10
""")
    try:
        for name, shown in HOSTILE_NAMES:
            body = json.dumps({"name": name}).encode()
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{simulator}/control/users/447700900123/call", data=body,
                headers={"Content-Type": "application/json"}, method="POST"), timeout=5).read()
            invite = receive_invite(phone)
            from_header = header(invite, "From")
            assert from_header.startswith(shown + " <sip:+447700900123@"), (name[:40], from_header)
            assert header(invite, "P-Asserted-Identity").startswith(shown + " <sip:"), invite
            answer_busy(phone, invite)
        assert_alive(gw)
    finally:
        phone.close()


def receive_invite(sock):
    deadline = time.time() + 15
    while time.time() < deadline:
        data, _ = sock.recvfrom(65535)
        text = data.decode(errors="replace")
        if text.startswith("INVITE "):
            return text
    raise AssertionError("no INVITE reached the phone")


def answer_busy(sock, invite):
    """486 to the INVITE (and then the ACK and any retransmission are read away)."""
    head = invite.split("\r\n\r\n", 1)[0].split("\r\n")
    keep = [line for line in head[1:] if re.match(r"(Via|From|To|Call-ID|CSeq):", line, re.I)]
    keep = [line + ";tag=busy" if line.lower().startswith("to:") else line for line in keep]
    response = "\r\n".join(["SIP/2.0 486 Busy Here", *keep, "Content-Length: 0", "", ""]).encode()
    via = header(invite, "Via")
    match = re.search(r"SIP/2\.0/UDP ([\d.]+):(\d+)", via)
    target = (match.group(1), int(match.group(2)))
    sock.sendto(response, target)
    call_id = header(invite, "Call-ID")
    deadline = time.time() + 5
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            break
        text = data.decode(errors="replace")
        if text.startswith("ACK ") and call_id in text:
            return
        if text.startswith("INVITE ") and call_id in text:
            sock.sendto(response, target)
    raise AssertionError("no ACK for the 486")
