"""Measuring understanding: `callbot eval` over a spoken corpus, `callbot parse` for one sentence."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from ..models import Resolution
from .shared import out, runtime

if TYPE_CHECKING:
    from ..evaluate import SimpleBook
    from ..scorecard import Outcome, Report
    from .runtime import Commands, Runtime


def eval_corpus(
    ctx: typer.Context,
    corpus: Annotated[
        Path, typer.Argument(help="A directory with contacts.csv, manifest.jsonl and the audio.")
    ],
    engine: Annotated[str | None, typer.Option(help="Command engine (default: from settings).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the full report here.")] = None,
    show_failures: Annotated[
        bool, typer.Option("--failures", help="List each command it got wrong.")
    ] = False,
    train: Annotated[
        bool,
        typer.Option("--train", help="Refit the decision model on this corpus (your own recordings)."),
    ] = False,
    readings: Annotated[
        Path | None,
        typer.Option(help="With --train: fit on the readings of an earlier --json report of this corpus."),
    ] = None,
    model_out: Annotated[
        Path | None,
        typer.Option(
            help="Where --train writes the model (default: DATA_DIR/decision.json, used from then on)."
        ),
    ] = None,
    enroll: Annotated[
        Path | None,
        typer.Option(
            help="A voice's enrollment recordings (as callbot enroll --audio takes them): adapt to them and "
            "measure the corpus (that voice's commands) without and with the adaptation.",
        ),
    ] = None,
) -> None:
    """Measure recognition on a spoken corpus: commands right, wrong dials, WER, latency, and the decision
    model's curve; with --train, fit the model on it."""
    from ..scorecard import failures, format_table

    rt = runtime(ctx)
    if readings is not None:  # refit on what an earlier run heard
        if not train:
            raise typer.BadParameter("--readings is for --train: fit on an earlier report's readings")
        from ..calibrate import report_items

        try:
            items = report_items(readings)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--readings") from None
        _fit(corpus, items, model_out or rt.settings.data_dir / "decision.json")
        return

    if enroll is not None:
        if train:
            raise typer.BadParameter("--enroll measures an adaptation; --train fits the decision without one")
        _with_and_without(rt, corpus, enroll, engine, json_out)
        return

    report = _measure(rt, corpus, engine, "settings")
    out.print(format_table(report), markup=False)
    if show_failures:
        for line in failures(report):
            out.print(line, markup=False)
    if json_out:
        json_out.write_text(json.dumps(report.to_json(), indent=1, default=str))
    if train:
        _fit(corpus, report.to_json()["items"], model_out or rt.settings.data_dir / "decision.json")
    print(report.summary_line())


def _measure(
    rt: Runtime, corpus: Path, engine: str | None, adaptation: Path | Literal["settings"] | None
) -> Report:
    from ..evaluate import evaluate

    speech = rt.settings.speech

    def recognizer(book: SimpleBook) -> Commands:
        return rt.command_recognizer(
            engine, book=book, topics=speech.topics, say=out.print, adaptation=adaptation
        )

    with _progress(corpus) as progress:
        return evaluate(
            corpus,
            commands=recognizer,
            transcriber=rt.note_transcriber(out.print),
            min_confidence=speech.min_confidence,
            sure_confidence=speech.sure_confidence,
            progress=progress,
        )


def _with_and_without(
    rt: Runtime, corpus: Path, recordings: Path, engine: str | None, json_out: Path | None
) -> None:
    """`callbot eval --enroll`: the corpus heard with the wheel's model, then adapted to the recordings
    (MAP, as `callbot enroll` makes it)."""
    from ..scorecard import format_table
    from ..speech.adapt import adapt
    from .enroll import from_files

    with tempfile.TemporaryDirectory(prefix="callbot-eval-enroll-") as tmp:
        made = adapt(from_files(recordings), Path(tmp))
        out.print(f"Adapted to {len(made.used)} of {len(made.used) + len(made.failed)} recordings.")
        reports = {}
        for name, adaptation in (("without", None), ("with", made.path.parent)):
            reports[name] = report = _measure(rt, corpus, engine, adaptation)
            out.print(f"{name} the adaptation:")
            out.print(format_table(report), markup=False)
    if json_out:
        both = {name: report.to_json() for name, report in reports.items()}
        json_out.write_text(json.dumps(both, indent=1, default=str))
    before, after = (reports[n].group() for n in ("without", "with"))
    print(
        f"enrollment: {before['success_rate']:.1f}% -> {after['success_rate']:.1f}% commands right, "
        f"{before['wrong_dials']} -> {after['wrong_dials']} wrong dials ({after['commands']} commands)"
    )


def _fit(corpus: Path, items: list[dict[str, Any]], target: Path) -> None:
    """Fit the decision model on an eval's items (their readings, labelled against the corpus) and save it."""
    from ..calibrate import commands, curve_lines, train

    try:
        model = train(commands(corpus, items), corpus.name, target)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="CORPUS") from None
    out.print(f"Decision model fitted on {corpus} and saved to {target}; its curve (cross-validated):")
    out.print("\n".join(curve_lines(model)), markup=False)


@contextmanager
def _progress(corpus: Path) -> Iterator[Callable[[Outcome], None] | None]:
    """A progress bar with the running figures, on a terminal; nothing in a pipe or under CI."""
    manifest = corpus / "manifest.jsonl"
    if not sys.stderr.isatty() or os.environ.get("CI") or not manifest.exists():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    total = sum(1 for line in manifest.read_text().splitlines() if line.strip())
    tally = {"commands": 0, "right": 0, "wrong": 0}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("eval", total=total)

        def advance(outcome: Outcome) -> None:
            if outcome.kind == "command":
                tally["commands"] += 1
                tally["right"] += outcome.success
                tally["wrong"] += outcome.wrong_dial
            n = tally["commands"]
            right = f"{100 * tally['right'] / n:.1f}% right" if n else "-"
            bar.update(task, advance=1, description=f"{right}, {tally['wrong']} wrong dials")

        yield advance


def parse(
    ctx: typer.Context,
    words: Annotated[str, typer.Argument(help='What the user said, e.g. "call jane about the renewal".')],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the intent, slots and resolution for a sentence, without calling anyone."""
    from ..intents import IntentParser

    rt = runtime(ctx)
    intent = IntentParser().parse(words)
    result: dict[str, Any] = {"text": words, "intent": None}
    if intent is not None:
        result["intent"] = intent.name
        result["slots"] = dict(intent.slots)
        if intent.name == "CallContact":
            resolution = rt.book.resolver().resolve(
                [intent.slot("contact")], label=intent.slot("label"), company=intent.slot("company")
            )
            result["resolution"] = _resolution_json(resolution)
            if resolution.contact is not None and resolution.number is not None:
                from ..compliance import check

                verdict = check(
                    resolution.contact, resolution.number.e164, rt.clock.now(), rt.rules(), rt.dnc_lookup()
                )
                result["compliance"] = {
                    "allowed": verdict.allowed,
                    "rule": verdict.rule or None,
                    "reason": verdict.reason or None,
                    "may_override": verdict.may_override,
                    "callee_time": verdict.callee_time.isoformat() if verdict.callee_time else None,
                }
    if as_json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    if intent is None:
        out.print("No intent: callbot would say it didn't catch that.")
        return
    out.print(f"intent: {intent.name}  slots: {dict(intent.slots)}")
    rule = result.get("compliance")
    if rule and not rule["allowed"]:
        overridable = " (you may say call anyway)" if rule["may_override"] else ""
        out.print(f"blocked by the {rule['rule']} rule: {rule['reason']}{overridable}")
    res = result.get("resolution")
    if res:
        out.print(
            f"action: {res['action']}  contact: {res['contact'] or '-'}  number: {res['number'] or '-'}"
        )
        for c in res["candidates"]:
            out.print(f"  {c['score']:5.1f}  {c['name']}  ({c['company'] or '-'}; {c['matched']})")


def _resolution_json(resolution: Resolution) -> dict[str, Any]:
    return {
        "action": str(resolution.action),
        "reason": resolution.reason,
        "contact": resolution.contact.name if resolution.contact else None,
        "number": resolution.number.e164 if resolution.number else None,
        "label": resolution.number.label if resolution.number else None,
        "label_guessed": resolution.label_guessed,
        "label_missing": resolution.label_missing,
        "certain": resolution.certain,
        "candidates": [
            {"name": c.contact.name, "company": c.contact.company, "score": c.score, "matched": c.matched}
            for c in resolution.candidates
        ],
    }
