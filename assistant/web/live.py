"""The live page while a list is worked: http://127.0.0.1:PORT/?token=..., bound to loopback, one token per
session. It shows the lead's card, the call's state and timer, what callbot said (the note as it is read
back), the queue and today's counts, updated by server-sent events; its buttons send the same words the rep
would say, into the same dialog.

The server runs in a background thread (the dialog stays synchronous); the page's actions and the rep's
ear meet in one queue.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, request

from ..models import Lead, Transcript, Utterance
from ..ports import Ear, EndOfInput, Expect, Screen, Voice

CALL_STATES = ("calling", "ringing", "ringing-agent", "connected", "ended")
# Each button sends what the rep would say.
ACTIONS = {
    "call": "call",
    "skip": "skip",
    "later": "later",
    "drop": "drop voicemail",
    "hangup": "hang up",
    "stop": "stop the list",
    "nonote": "no",
}


@dataclass
class Board:
    """Everything the page shows; each change bumps the version the page waits on."""

    version: int = 0
    lead: dict[str, Any] = field(default_factory=dict)
    call: dict[str, Any] = field(default_factory=lambda: {"state": "idle", "since": 0.0})
    said: list[str] = field(default_factory=list)
    queue: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def snapshot(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "lead": self.lead,
                "call": self.call,
                "said": self.said[-8:],
                "queue": self.queue,
                "counts": self.counts,
            }
        )


class LivePage:
    """The page's server and its state (the Screen port), and the actions its buttons send."""

    def __init__(self, port: int = 0, *, host: str = "127.0.0.1", token: str | None = None):
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Quiet(WSGIRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                return None  # the URLs carry the session's token: keep them out of the terminal

        self.token = token or secrets.token_urlsafe(18)
        self.board = Board()
        self.actions: queue.Queue[str] = queue.Queue()
        self._changed = threading.Condition()
        self._server = make_server(host, port, self.app(), threaded=True, request_handler=Quiet)
        self.port = self._server.server_port
        self.url = f"http://{host}:{self.port}/?token={self.token}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-page", daemon=True)
        self._thread.start()

    # -- the Screen port -----------------------------------------------------------------------------

    def lead(self, lead: Lead, history: Sequence[str]) -> None:
        card = {"name": lead.name, "title": lead.title, "company": lead.company, "number": lead.number}
        with self._changed:
            self.board.lead = {**card, "details": dict(lead.details), "history": list(history)}
            self._bump()

    def state(self, state: str, detail: str = "") -> None:
        with self._changed:
            if state in CALL_STATES:
                self.board.call = {"state": state, "since": time.time()}
            elif state == "said":
                self.board.said.append(detail)
            else:
                return
            self._bump()

    def queue(self, leads: Sequence[Lead], counts: Mapping[str, int]) -> None:
        rows = [{"name": x.name, "status": str(x.status), "outcome": x.last_outcome} for x in leads]
        with self._changed:
            self.board.queue, self.board.counts = rows, dict(counts)
            self._bump()

    def _bump(self) -> None:
        self.board.version += 1
        self._changed.notify_all()

    def _next(self, seen: int) -> tuple[int, str]:
        """The board once it is newer than `seen` (or as it is, after 15 s: a keep-alive)."""
        with self._changed:
            self._changed.wait_for(lambda: self.board.version != seen, timeout=15)
            return self.board.version, self.board.snapshot()

    # -- the web side ----------------------------------------------------------------------------------

    def app(self) -> Flask:
        app = Flask("callbot-live")

        def allowed() -> bool:
            return secrets.compare_digest(request.args.get("token", ""), self.token)

        @app.get("/")
        def page() -> Response:
            if not allowed():
                return Response("forbidden: open the URL callbot printed (it has the token)\n", status=403)
            return Response(PAGE.replace("{TOKEN}", self.token), mimetype="text/html")

        @app.get("/events")
        def events() -> Response:
            if not allowed():
                return Response(status=403)
            return Response(
                self._stream(), mimetype="text/event-stream", headers={"Cache-Control": "no-store"}
            )

        @app.post("/action")
        def action() -> Response:
            if not allowed():
                return Response(status=403)
            name = request.form.get("action", "")
            words = ACTIONS.get(name) or (
                name.removeprefix("outcome:") if name.startswith("outcome:") else ""
            )
            if not words:
                return Response("unknown action\n", status=400)
            self.actions.put(words)
            return Response(status=204)

        return app

    def _stream(self) -> Iterator[str]:
        seen = -1
        while True:
            seen, data = self._next(seen)
            yield f"data: {data}\n\n"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class PageVoice:
    """callbot's voice, also shown on the page: what it says, and the call's progress."""

    def __init__(self, voice: Voice, screen: Screen):
        self.voice = voice
        self.screen = screen

    def say(self, text: str) -> None:
        self.screen.state("said", text)
        self.voice.say(text)

    def status(self, state: str, detail: str = "") -> None:
        self.screen.state(state, detail)
        self.voice.status(state, detail)


class PageEar:
    """The rep's ear and the page's buttons as one: whichever speaks first is heard. The rep's own ear
    (typed lines, the microphone) is read in a background thread; None means the page alone."""

    def __init__(self, page: LivePage, ear: Ear | None = None):
        self.page = page
        self.ear = ear
        self._ended = False
        self._expect: queue.Queue[tuple[Expect, float | None]] = queue.Queue()
        self._heard: queue.Queue[Utterance | EndOfInput | None] = queue.Queue()
        if ear is not None:
            threading.Thread(target=self._read, name="live-page-ear", daemon=True).start()

    def _read(self) -> None:
        assert self.ear is not None
        while True:
            expect, timeout = self._expect.get()
            try:
                self._heard.put(self.ear.listen(expect, timeout))
            except EndOfInput as exc:
                self._heard.put(exc)
                return

    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        if self.ear is not None and not self._ended and self._heard.empty() and self._expect.empty():
            self._expect.put((expect, timeout))
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                words = self.page.actions.get_nowait()
                return Utterance(Transcript(words, confidence=1.0), source="page")
            except queue.Empty:
                pass
            try:
                heard = self._heard.get(timeout=0.05)
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    return None
                continue
            if isinstance(heard, EndOfInput):
                self._ended = True
                if self.page.actions.empty():
                    raise heard
                continue
            return heard


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>callbot: working a list</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #263238; display: grid;
       grid-template-columns: 2fr 1fr; gap: 1.5rem; }
.card, .call, .counts, .queue, .said { background: #eceff1; border-radius: 8px; padding: 1rem; }
h1 { margin: 0 0 .3rem; } .state { font-size: 1.6rem; font-weight: bold; }
button { margin: .2rem; padding: .4rem .8rem; }
table { border-collapse: collapse; width: 100%; } td { border-bottom: 1px solid #cfd8dc; padding: .2rem; }
.connected { color: #2e7d32; } .ringing, .calling { color: #ef6c00; }
</style></head><body>
<main>
  <section class="card"><h1 id="name">Waiting for the first lead...</h1><div id="role"></div>
    <div id="number"></div><ul id="details"></ul><h3>Past calls and notes</h3><ul id="history"></ul></section>
  <section class="call"><span id="state" class="state">idle</span> <span id="timer"></span>
    <div>
      <button data-action="call">Call</button><button data-action="skip">Skip</button>
      <button data-action="later">Later</button><button data-action="drop">Drop voicemail</button>
      <button data-action="hangup">Hang up</button><button data-action="nonote">No note</button>
      <button data-action="stop">Stop</button>
    </div>
    <div>Outcome:
      <button data-action="outcome:connected">Connected</button>
      <button data-action="outcome:busy">Busy</button>
      <button data-action="outcome:no answer">No answer</button>
      <button data-action="outcome:left live message">Left live message</button>
      <button data-action="outcome:left voicemail">Left voicemail</button>
      <button data-action="outcome:wrong number">Wrong number</button>
      <button data-action="outcome:meeting booked">Meeting booked</button>
      <button data-action="outcome:not interested">Not interested</button>
      <button data-action="outcome:call back">Call back</button>
    </div></section>
  <section class="said"><h3>callbot</h3><ul id="said"></ul></section>
</main>
<aside>
  <section class="counts"><h3>Today</h3><div id="counts"></div></section>
  <section class="queue"><h3>Queue</h3><table id="queue"></table></section>
</aside>
<script>
const token = "{TOKEN}";
let since = 0;
function text(id, value) { document.getElementById(id).textContent = value; }
function list(id, items) {
  const el = document.getElementById(id); el.replaceChildren();
  for (const item of items) { const li = document.createElement("li"); li.textContent = item; el.append(li); }
}
const events = new EventSource("/events?token=" + encodeURIComponent(token));
events.onmessage = (message) => {
  const s = JSON.parse(message.data);
  document.body.dataset.version = s.version;
  if (s.lead.name) {
    text("name", s.lead.name);
    text("role", [s.lead.title, s.lead.company].filter(Boolean).join(" at "));
    text("number", s.lead.number);
    list("details", Object.entries(s.lead.details).map(([k, v]) => k + ": " + v));
    list("history", s.lead.history.length ? s.lead.history : ["No calls yet."]);
  }
  const state = document.getElementById("state");
  state.textContent = s.call.state; state.className = "state " + s.call.state; since = s.call.since;
  list("said", s.said);
  text("counts", Object.entries(s.counts).map(([k, v]) => k + ": " + v).join(" \\u00b7 "));
  const table = document.getElementById("queue"); table.replaceChildren();
  for (const row of s.queue) {
    const tr = table.insertRow();
    for (const cell of [row.name, row.status, row.outcome]) tr.insertCell().textContent = cell;
  }
};
setInterval(() => {
  const live = ["ringing", "connected", "calling"].includes(document.getElementById("state").textContent);
  text("timer", live ? Math.round(Date.now() / 1000 - since) + " s" : "");
}, 500);
for (const button of document.querySelectorAll("button[data-action]")) {
  button.addEventListener("click", () => fetch("/action?token=" + encodeURIComponent(token), {
    method: "POST", body: new URLSearchParams({action: button.dataset.action})}));
}
</script>
</body></html>
"""
