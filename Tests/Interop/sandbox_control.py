"""The sandbox gateway's built-in simulator, through its control API."""
import json
import time
import urllib.request


class Sandbox:
    """The gateway's built-in simulator at 127.0.0.1:`port`, through its control API."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def calls(self):
        return self.request("GET", "/control/calls")["calls"]

    def wait_for_call(self, predicate, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for call in self.calls():
                if predicate(call):
                    return call
            time.sleep(0.02)
        raise AssertionError(f"no such call; calls: {self.calls()}")
