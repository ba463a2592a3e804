"""The live page in a real headless Chromium (Debian's, driven by Playwright) during a simulated list session:
the lead's card, the call going from ringing to connected, and the page's buttons changing the database."""

from __future__ import annotations

import io
import os
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant.calllog.store import Store
from assistant.console import PrintVoice
from assistant.leads.work import ListSession
from assistant.phrasing import no_note_words
from assistant.session import SessionSettings
from assistant.telephony.simulator import Simulator
from assistant.web.live import LivePage, PageEar, PageVoice

from ..leads.test_work import EARLY, by_name

# Every state the call shows, in order, as the page itself saw them.
WATCH = """() => {
  window.states = [];
  new MutationObserver(() => window.states.push(document.getElementById("state").textContent))
    .observe(document.getElementById("state"), {childList: true, characterData: true, subtree: true});
}"""


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Chromium is not installed: make test installs it (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_the_page_follows_the_call_and_its_buttons_work(acme: Store, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    live = LivePage()
    out = io.StringIO()
    carrier = Simulator({"+12125550189": "hold"}, answer_after=3, time_scale=0.3)  # rings ~1 s, then talks
    session = ListSession(
        "Acme",
        ear=PageEar(live),
        voice=PageVoice(PrintVoice(out), live),
        telephony=carrier,
        log=acme,
        contacts={c.id: c for c in acme.contacts() if c.id is not None},
        settings=SessionSettings(rep="tester", poll_interval=0.05, review_timeout=0),
        clock=EARLY,
        listed=acme.dnc_reason,
        no_note=no_note_words(),
        screen=live,
    )
    worker = threading.Thread(target=session.run, name="list-session")
    worker.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(live.url)
            page.wait_for_function("document.getElementById('name').textContent === 'Marcus Lee'")
            assert page.inner_text("#role") == "Head of IT at Globex"
            assert "deal stage: demo" in page.inner_text("#details")
            assert "Marcus Lee" in page.inner_text("#queue")
            page.evaluate(WATCH)
            page.click("button[data-action=call]")
            page.wait_for_function("window.states.includes('connected')")
            states = page.evaluate("window.states")
            assert states.index("ringing") < states.index("connected")
            page.screenshot(path=str(tmp_path / "live-page.png"), full_page=True)
            page.click("button[data-action=hangup]")
            page.wait_for_function("document.getElementById('said').textContent.includes('Outcome?')")
            page.click("button[data-action='outcome:meeting booked']")
            page.wait_for_function("document.getElementById('said').textContent.includes('follow-up note')")
            page.click("button[data-action=nonote]")
            page.wait_for_function("document.getElementById('name').textContent === 'Olu Adeyemi'")
            assert "meetings: 1" in page.inner_text("#counts") and "dials: 1" in page.inner_text("#counts")
            page.click("button[data-action=stop]")
            browser.close()
        worker.join(timeout=30)
        assert not worker.is_alive()
        marcus = by_name(acme)["Marcus Lee"]
        assert (marcus.status, marcus.last_outcome) == ("done", "meeting booked")
        assert [r.to for r in carrier.placed] == ["+12125550189"]
        assert (tmp_path / "live-page.png").stat().st_size > 10_000  # a real picture, not a blank page
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(tmp_path / "live-page.png", ARTIFACTS / "live-page.png")  # README's picture
        with pytest.raises(urllib.error.HTTPError) as refused:  # no token, no page
            urllib.request.urlopen(live.url.split("?")[0], timeout=5)
        assert refused.value.code == 403
        refused.value.close()
    finally:
        live.actions.put("stop the list")
        worker.join(timeout=10)
        live.close()
