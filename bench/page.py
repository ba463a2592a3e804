"""The live page's latency (issue 19): from a call's state change in callbot to the page showing it, over
100 changes, in Debian's headless Chromium (driven by Playwright). The page's clock and ours are the same
machine's, so each change's delay is the time the page drew it less the time callbot made it.

    python -m bench.page      # one run, as a markdown table
"""

from __future__ import annotations

import shutil
import statistics
import time
from typing import Any

CHANGES = 100
STATES = ("ringing", "connected", "ended", "calling")
# Record, for each state the page shows, when it showed it (epoch milliseconds).
WATCH = """() => {
  window.shown = [];
  new MutationObserver(() => window.shown.push([document.getElementById("state").textContent, Date.now()]))
    .observe(document.getElementById("state"), {childList: true, characterData: true, subtree: true});
}"""


def run() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from assistant.web.live import LivePage

    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        return {"skipped": "Chromium is not installed (apt-get install chromium)"}
    live = LivePage()
    made: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(live.url)
            page.wait_for_function("document.getElementById('state') !== null")
            live.state("idle-bench")  # not a call state: changes nothing
            page.wait_for_function("document.body.dataset.version !== undefined")
            page.evaluate(WATCH)
            for i in range(CHANGES):
                made.append(time.time() * 1000)
                live.state(STATES[i % len(STATES)])
                page.wait_for_function(f"window.shown.length >= {i + 1}")  # one change at a time
            shown = page.evaluate("window.shown")
            browser.close()
    finally:
        live.close()
    delays = [at - start for (_, at), start in zip(shown, made, strict=True)]
    return {
        "changes": len(delays),
        "p50_ms": round(statistics.median(delays), 1),
        "p95_ms": round(statistics.quantiles(delays, n=20)[-1], 1),
        "max_ms": round(max(delays), 1),
    }


def table(f: dict[str, Any]) -> str:
    if "skipped" in f:
        return f"Skipped: {f['skipped']}."
    return "\n".join(
        [
            "| state changes | to the page p50 | p95 | max |",
            "|---:|---:|---:|---:|",
            f"| {f['changes']} | {f['p50_ms']} ms | {f['p95_ms']} ms | {f['max_ms']} ms |",
        ]
    )


if __name__ == "__main__":
    print(table(run()))
