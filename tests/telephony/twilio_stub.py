"""A local stand-in for api.twilio.com that answers with Twilio's JSON error shape, or slowly, or badly.

Prism serves the happy paths from Twilio's spec; this stub serves what the spec does not describe:
error bodies (21211 ...), rate limits with Retry-After, timeouts after the request was sent, 500s and
malformed JSON. It records every request so tests can count the calls it created.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SID = "AC" + "0123456789abcdef" * 2


@dataclass
class Reply:
    status: int = 201
    body: object | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def call_json(to: str, from_: str, status: str = "queued", sid: str | None = None) -> dict:
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    sid = sid or "CA" + uuid.uuid4().hex
    return {
        "sid": sid,
        "account_sid": SID,
        "to": to,
        "from": from_,
        "status": status,
        "direction": "outbound-api",
        "date_created": now,
        "date_updated": now,
        "start_time": None,
        "end_time": None,
        "duration": None,
        "parent_call_sid": None,
        "answered_by": None,
        "uri": f"/2010-04-01/Accounts/{SID}/Calls/{sid}.json",
    }


def error(code: int, message: str, status: int = 400) -> Reply:
    return Reply(
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )


class TwilioStub:
    """`replies` is a list consumed per POST to Calls.json; GET Calls.json lists the calls created."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self.created: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def do_POST(self) -> None:
                form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
                stub.requests.append(("POST", self.path, form))
                if urlsplit(self.path).path.endswith("/Calls.json"):
                    reply = stub.replies.pop(0) if stub.replies else Reply()
                    if reply.status < 300:  # created, whatever the answer then says
                        call = call_json(form["To"][0], form["From"][0])
                        stub.created.append(call)
                        if reply.body is None:
                            reply = Reply(reply.status, call, reply.headers, reply.delay)
                    self._send(reply)
                else:  # update (cancel / hang up)
                    self._send(Reply(200, call_json("+1", "+1", form.get("Status", ["completed"])[0])))

            def do_GET(self) -> None:
                stub.requests.append(("GET", self.path, {}))
                path = urlsplit(self.path).path
                if path.endswith("/Calls.json"):
                    page = {
                        "calls": stub.created,
                        "page": 0,
                        "page_size": 50,
                        "first_page_uri": path,
                        "next_page_uri": None,
                        "previous_page_uri": None,
                        "uri": path,
                        "start": 0,
                        "end": 0,
                    }
                    self._send(Reply(200, page))
                else:
                    self._send(error(20404, "The requested resource was not found", 404))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def posts(self, predicate: Callable[[str], bool] = lambda p: p.endswith("/Calls.json")) -> int:
        return sum(1 for m, p, _ in self.requests if m == "POST" and predicate(urlsplit(p).path))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
