"""`callbot report` on the demo's data, opened in a real browser (headless Chromium)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import callbot

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        message = "Chromium is not installed: make test installs it (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_demo_report_renders_in_headless_chromium(tmp_path: Path):
    browser = chromium()
    (tmp_path / "empty.toml").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALLBOT_", "TWILIO_"))}
    env.update(CALLBOT_CONFIG=str(tmp_path / "empty.toml"), CALLBOT_DATA_DIR=str(tmp_path / "data"))
    callbot(env, "demo", "--text", timeout=300)
    out = tmp_path / "report"
    printed = callbot(env, "report", "--out", str(out), timeout=300).stdout
    assert "Report for 7 calls" in printed  # the demo's 5, and its lead list's 2
    assert "Demo: 2 dials" in printed
    page = out / "report.html"
    charts = sorted(p.name for p in out.glob("*.png"))
    assert charts == ["best-hours.png", "calls-per-day.png", "connect-rate.png", "talk-time.png"]
    text = page.read_text()
    assert "Follow-ups due" in text and "Jane Smith" in text and 'src="data:image/png;base64,' in text

    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--virtual-time-budget=5000",
    ]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert 'data-images-shown="4"' in dom.stdout, dom.stderr[-2000:]  # every chart decoded and drawn
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    subprocess.run(
        [browser, *flags, "--window-size=1280,2600", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.exists() and shot.stat().st_size > 20_000  # a real picture of the page, not a blank one
