"""A standalone `wagate simulate serve` playing Meta for end-to-end tests, with
its control API, and the [whatsapp] section that points a gateway at it."""
import json
import socket
import subprocess
import time
import urllib.request

from conftest import WAGATE, free_port, free_range

SECRET, TOKEN, VERIFY = "e2e-app-secret", "e2e-access-token", "e2e-verify-token"
BUSINESS = "+15550001111"


class MetaSimulator:
    def __init__(self, tmp, webhook_port, media="tone:600", extra=()):
        self.port = free_port(socket.SOCK_STREAM, both=False)
        media_base = free_range(100)
        self.log_path = tmp / "simulator.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(WAGATE), "simulate", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--app-secret", SECRET, "--access-token", TOKEN, "--display-phone-number", BUSINESS[1:],
             "--webhook-url", f"http://127.0.0.1:{webhook_port}/whatsapp/webhook", "--media", media,
             "--media-ports", f"{media_base}-{media_base + 100}", "--log-level", "debug", *extra],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                self.get("/control/health")
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("simulator did not start:\n" + self.log_path.read_text())

    def whatsapp_section(self):
        return (f"mode = cloud\ngraph_url = http://127.0.0.1:{self.port}\nphone_number_id = 100000000000001\n"
                f"business_number = {BUSINESS}\naccess_token = {TOKEN}\napp_secret = {SECRET}\n"
                f"verify_token = {VERIFY}\nrequest_timeout = 2\n")

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return {"http_error": error.code, "body": error.read().decode()}

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body=None):
        return self.request("POST", path, body or {})

    def calls(self):
        return self.get("/control/calls").get("calls", [])

    def wait_for_call(self, state, user=None, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for call in self.calls():
                if call.get("state") == state and (user is None or call.get("user") == user):
                    return call
            time.sleep(0.05)
        raise AssertionError(f"no call in state {state}; calls: {self.calls()}")

    def wait_for_state(self, call_id, state, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            call = self.get(f"/control/calls/{call_id}")
            if call.get("state") == state:
                return call
            time.sleep(0.05)
        raise AssertionError(f"call {call_id} never reached {state}: {self.get(f'/control/calls/{call_id}')}")

    def answer_calls(self, stop):
        """The WhatsApp users answer every call the business places, until `stop` is set
        (run it in a thread)."""
        answered = set()
        while not stop.is_set():
            try:
                for call in self.calls():
                    if call.get("state") == "ringing" and call.get("direction") != "USER_INITIATED" \
                            and call["id"] not in answered \
                            and "http_error" not in self.post(f"/control/calls/{call['id']}/answer"):
                        answered.add(call["id"])
            except OSError:
                pass  # the simulator was slow to answer: the next round tries again
            stop.wait(0.05)

    def grant(self, user):
        return self.post(f"/control/users/{user}/permission", {"permanent": True})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
