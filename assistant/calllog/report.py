"""`callbot report`: a self-contained HTML page with PNG charts (matplotlib) of the call log.

Calls per day by outcome, connect rate, talk time, the best hours to reach people (connect rate by the
callee's local hour) and the follow-ups due. The PNGs are written beside the page and embedded in it,
so the page can be mailed on its own.
"""

from __future__ import annotations

import base64
import html
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..contacts.numbers import callee_zones, display
from ..errors import MissingExtra
from ..models import CallRecord, Note, Outcome

OUTCOME_COLOURS: dict[str, str] = {
    Outcome.CONNECTED: "#2e7d32",
    Outcome.VOICEMAIL: "#7cb342",
    Outcome.BUSY: "#f9a825",
    Outcome.NO_ANSWER: "#fb8c00",
    Outcome.FAILED: "#c62828",
    Outcome.CANCELED: "#90a4ae",
    Outcome.BLOCKED: "#6a1b9a",
}
ATTEMPTS = {Outcome.CONNECTED, Outcome.VOICEMAIL, Outcome.BUSY, Outcome.NO_ANSWER, Outcome.FAILED}


@dataclass(frozen=True)
class Figures:
    calls: int
    attempts: int  # calls that reached a carrier and rang
    connected: int
    talk_seconds: int
    per_day: dict[date, Counter[str]]
    talk_per_day: dict[date, int]
    by_hour: dict[int, tuple[int, int]]  # callee local hour -> (connected, attempts)

    @property
    def connect_rate(self) -> float:
        return self.connected / self.attempts if self.attempts else 0.0


def figures(records: Sequence[CallRecord], zone_of: dict[int, str], local_zone: ZoneInfo) -> Figures:
    per_day: dict[date, Counter[str]] = defaultdict(Counter)
    talk: dict[date, int] = defaultdict(int)
    by_hour: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    attempts = connected = talk_total = 0
    for r in records:
        day = r.created_at.astimezone(local_zone).date()
        outcome = r.outcome or "in progress"
        per_day[day][outcome] += 1
        if outcome not in ATTEMPTS:
            continue
        attempts += 1
        seconds = r.duration or 0 if r.answered_at else 0
        talk[day] += seconds
        talk_total += seconds
        hour = _callee_hour(r, zone_of.get(r.contact_id or -1, ""))
        by_hour[hour][1] += 1
        if outcome == Outcome.CONNECTED:
            connected += 1
            by_hour[hour][0] += 1
    return Figures(
        len(records),
        attempts,
        connected,
        talk_total,
        dict(per_day),
        dict(talk),
        {h: (c, a) for h, (c, a) in by_hour.items()},
    )


def _callee_hour(record: CallRecord, contact_zone: str) -> int:
    zones = callee_zones(record.to_number, contact_zone)
    try:
        zone = ZoneInfo(zones[0]) if zones else None
    except ZoneInfoNotFoundError:
        zone = None
    return record.created_at.astimezone(zone).hour if zone else record.created_at.hour


def _plt() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise MissingExtra("matplotlib (for reports)", "report") from None
    matplotlib.use("Agg")  # files only: no screen needed
    import matplotlib.pyplot as plt

    return plt


def charts(f: Figures, out: Path) -> dict[str, Path]:
    plt = _plt()
    made: dict[str, Path] = {}
    days = sorted(f.per_day)

    def save(name: str, fig: object) -> None:
        path = out / f"{name}.png"
        fig.savefig(path, dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
        plt.close(fig)
        made[name] = path

    fig, ax = plt.subplots(figsize=(8, 3.6))
    bottom = [0] * len(days)
    outcomes = sorted(
        {o for c in f.per_day.values() for o in c},
        key=lambda o: list(OUTCOME_COLOURS).index(o) if o in OUTCOME_COLOURS else 99,
    )
    labels = [d.strftime("%d %b") for d in days]
    for outcome in outcomes:
        counts = [f.per_day[d][outcome] for d in days]
        ax.bar(labels, counts, bottom=bottom, label=outcome, color=OUTCOME_COLOURS.get(outcome, "#b0bec5"))
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set_title("Calls per day by outcome")
    ax.set_ylabel("calls")
    ax.legend(fontsize=8, ncols=3)
    save("calls-per-day", fig)

    fig, ax = plt.subplots(figsize=(8, 3))
    rates = []
    for d in days:
        tried = sum(n for o, n in f.per_day[d].items() if o in ATTEMPTS)
        rates.append(100 * f.per_day[d][Outcome.CONNECTED] / tried if tried else 0)
    ax.plot(labels, rates, marker="o", color="#2e7d32")
    ax.set_ylim(0, 100)
    ax.set_title(f"Connect rate (overall {100 * f.connect_rate:.0f}%)")
    ax.set_ylabel("% of attempts answered")
    save("connect-rate", fig)

    fig, ax = plt.subplots(figsize=(8, 3))
    ax.bar(labels, [f.talk_per_day.get(d, 0) / 60 for d in days], color="#1565c0")
    ax.set_title(f"Talk time (total {f.talk_seconds // 60} min)")
    ax.set_ylabel("minutes")
    save("talk-time", fig)

    fig, ax = plt.subplots(figsize=(8, 3))
    hours = list(range(24))
    ax.bar(
        [f"{h:02d}" for h in hours],
        [100 * f.by_hour[h][0] / f.by_hour[h][1] if f.by_hour.get(h, (0, 0))[1] else 0 for h in hours],
        color="#00897b",
    )
    ax.set_title("Best hours to reach people: connect rate by the callee's local hour")
    ax.set_ylabel("% answered")
    ax.set_ylim(0, 100)
    save("best-hours", fig)
    return made


def write(
    records: Sequence[CallRecord],
    due: Sequence[Note],
    out: Path,
    *,
    zone_of: dict[int, str],
    title: str,
    today: date,
    local_zone: ZoneInfo,
    sections: Sequence[str] = (),
) -> Path:
    """Write report.html and its PNG charts into `out`; returns the page's path. `sections` are more
    HTML parts (the lead lists' table), placed before the follow-ups."""
    out.mkdir(parents=True, exist_ok=True)
    f = figures(records, zone_of, local_zone)
    images = charts(f, out) if records else {}
    page = _page(f, images, records, due, title, today, sections)
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def _page(
    f: Figures,
    images: dict[str, Path],
    records: Sequence[CallRecord],
    due: Sequence[Note],
    title: str,
    today: date,
    sections: Sequence[str] = (),
) -> str:
    esc = html.escape
    tiles = [
        ("Calls", str(f.calls)),
        ("Connect rate", f"{100 * f.connect_rate:.0f}%"),
        ("Talk time", f"{f.talk_seconds // 3600}h {f.talk_seconds % 3600 // 60:02d}m"),
        ("Follow-ups due", str(len(due))),
    ]
    figures_html = "\n".join(_img(p, name.replace("-", " ")) for name, p in images.items())
    due_rows = (
        "\n".join(
            f'<tr class="{"overdue" if n.followup and n.followup < today else ""}">'
            f"<td>{n.followup:%a %d %b}</td><td>{esc(n.contact_name)}</td><td>{esc(n.text)}</td></tr>"
            for n in due
            if n.followup
        )
        or '<tr><td colspan="3">Nothing due.</td></tr>'
    )
    recent = "\n".join(
        f"<tr><td>{r.created_at.astimezone():%Y-%m-%d %H:%M}</td><td>{esc(r.contact_name)}</td>"
        f"<td>{esc(display(r.to_number))}</td><td>{esc(r.outcome or str(r.status))}</td>"
        f"<td>{esc(r.topic)}</td></tr>"
        for r in list(records)[:50]
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #263238; }}
.tiles {{ display: flex; gap: 1rem; }}
.tile {{ flex: 1; background: #eceff1; border-radius: 8px; padding: 1rem; }}
.tile b {{ display: block; font-size: 1.8rem; }} figure {{ margin: 1.5rem 0; }} img {{ max-width: 100%; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #cfd8dc; padding: .3rem; text-align: left; }}
tr.overdue td {{ color: #c62828; }}
</style></head>
<body>
<h1>{esc(title)}</h1>
<div class="tiles">{"".join(f'<div class="tile">{esc(k)}<b>{esc(v)}</b></div>' for k, v in tiles)}</div>
{figures_html}
{"".join(sections)}
<h2>Follow-ups due</h2>
<table><tr><th>Due</th><th>Contact</th><th>Note</th></tr>
{due_rows}</table>
<h2>Recent calls</h2>
<table><tr><th>When</th><th>Contact</th><th>Number</th><th>Outcome</th><th>Topic</th></tr>
{recent}</table>
<script>
window.addEventListener("load", () => {{
  const shown = [...document.images].filter(i => i.complete && i.naturalWidth > 0).length;
  document.body.dataset.imagesShown = String(shown);
}});
</script>
</body></html>
"""


def default_title(rep: str | None, since: datetime | None) -> str:
    who = f"{rep}'s calls" if rep else "Calls"
    return f"{who} since {since:%d %b %Y}" if since else f"{who}: callbot report"
