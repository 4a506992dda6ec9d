"""A client of wagate's agent protocol (`wagate.agent.v1`) for interop tests: a
websocket-client socket read by a background thread into a queue, plus an aiortc
`RTCPeerConnection` with a tone track (aiortc_peer.Peer) as the browser's media."""
import json
import queue
import threading
import time

import websocket

from aiortc_peer import Peer

SUBPROTOCOL = "wagate.agent.v1"


class AgentPeer:
    """One logged-in browser session."""

    def __init__(self, gw, user, password, tone_hz=1000):
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{gw.http_port}/phone/ws", timeout=10,
                                              subprotocols=[SUBPROTOCOL])
        self.messages = queue.Queue()
        self.transcript = []
        self.seen = []
        self.next_id = 0
        self.media = None
        self.tone_hz = tone_hz
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.request({"type": "login", "v": 1, "user": user, "password": password})
        self.welcome = self.wait_for("welcome")

    def _read(self):
        """Reads until the socket closes. The connect timeout must not end the
        reader: a call can be quiet for longer than it."""
        while True:
            try:
                text = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except Exception:
                return
            if text:
                self.transcript.append("S→C " + text)
                self.messages.put(json.loads(text))

    def send(self, message):
        """Sends a request with a fresh id; returns the id."""
        self.next_id += 1
        message = dict(message, id=str(self.next_id))
        text = json.dumps(message, separators=(",", ":"))
        self.transcript.append("C→S " + text)
        self.ws.send(text)
        return message["id"]

    def request(self, message, timeout=10):
        """Sends a request and returns its `ok` (raises on `error`)."""
        request_id = self.send(message)
        answer = self.wait_for(lambda m: m.get("re") == request_id, timeout)
        if answer["type"] != "ok":
            raise AssertionError(f"{message['type']} refused: {answer}")
        return answer

    def wait_for(self, match, timeout=10):
        """The first message (seen before or arriving within `timeout`) that matches a type or a predicate."""
        predicate = match if callable(match) else (lambda m: m.get("type") == match)
        for message in self.seen:
            if predicate(message):
                self.seen.remove(message)
                return message
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                message = self.messages.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                break
            if predicate(message):
                return message
            self.seen.append(message)
        raise AssertionError(f"no {match} within {timeout} s; seen {self.seen}")

    def history(self):
        """The session's recent calls (the `history` request); [] until the CDR is written."""
        self.send({"type": "history", "limit": 10})
        return self.wait_for("history")["calls"]

    async def next(self, match, timeout=10):
        """`wait_for` without blocking the event loop (aiortc must keep answering ICE checks)."""
        import asyncio
        return await asyncio.to_thread(self.wait_for, match, timeout)

    async def ask(self, message, timeout=10):
        """`request` without blocking the event loop."""
        import asyncio
        return await asyncio.to_thread(self.request, message, timeout)

    async def answer(self, incoming):
        """Rings, then answers `incoming` with the aiortc peer's SDP answer."""
        from aiortc import RTCSessionDescription
        self.media = Peer(self.tone_hz)
        await self.media.pc.setRemoteDescription(RTCSessionDescription(sdp=incoming["sdp"], type="offer"))
        await self.media.pc.setLocalDescription(await self.media.pc.createAnswer())
        await self.ask({"type": "ringing", "call": incoming["call"]})
        await self.ask({"type": "answer", "call": incoming["call"], "sdp": self.media.pc.localDescription.sdp})

    async def dial(self, to):
        """Dials `to` with the aiortc peer's offer; returns the call id."""
        self.media = Peer(self.tone_hz)
        await self.media.pc.setLocalDescription(await self.media.pc.createOffer())
        return (await self.ask({"type": "dial", "to": to, "sdp": self.media.pc.localDescription.sdp}))["call"]

    async def apply_answer(self, sdp):
        from aiortc import RTCSessionDescription
        await self.media.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

    def save_transcript(self, path):
        """Writes the exchange as the protocol document shows it (passwords and tokens elided)."""
        import re
        text = "\n".join(self.transcript)
        text = re.sub(r'"(password|token)":"[^"]*"', r'"\1":"…"', text)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")

    async def close(self):
        if self.media:
            await self.media.close()
        self.ws.close()
