"""The command line, and callbot's composition root: the only place that picks engines and providers."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from . import config as config_mod
from .errors import CallbotError, ConfigError

app = typer.Typer(
    name="callbot",
    help="An offline-first voice dialer: say who to call, callbot finds them, calls, and logs the follow-up.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
contacts_app = typer.Typer(help="Import, list and find contacts.", no_args_is_help=True)
notes_app = typer.Typer(help="Spoken notes: list them, retry transcriptions.", no_args_is_help=True)
dnc_app = typer.Typer(help="The do-not-call list.", no_args_is_help=True)
config_app = typer.Typer(help="Show and check settings.", no_args_is_help=True)
db_app = typer.Typer(help="The call log database.", no_args_is_help=True)
app.add_typer(contacts_app, name="contacts")
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(notes_app, name="notes")
app.add_typer(dnc_app, name="dnc")

out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


class Runtime:
    """Settings and the parts built from them, made on first use."""

    def __init__(self, config_file: Path | None, db: str | None, provider: str | None = None):
        self.config_file = config_file
        self._closing: list[Any] = []
        self._engines: dict[str, Any] = {}  # one of each: commands and notes share a Whisper model
        self.overrides: dict[str, dict[str, Any]] = {
            "database": {"url": db},
            "telephony": {"provider": provider},
        }

    @cached_property
    def settings(self) -> config_mod.Settings:
        return config_mod.load(self.config_file, overrides=self.overrides)

    @cached_property
    def store(self) -> Any:
        from .calllog.store import Store

        return Store(self.settings.database_url, clock=self.clock.now)

    @cached_property
    def book(self) -> Any:
        from .contacts.book import ContactBook

        return ContactBook(self.store)

    def telephony(self) -> Any:
        settings = self.settings
        provider = settings.telephony.provider
        if provider == "simulator":
            from .telephony.simulator import Simulator

            sim = settings.simulator
            return Simulator(
                sim.outcomes,
                answer_after=sim.answer_after,
                duration=sim.duration,
                time_scale=sim.time_scale,
                caller_id=settings.telephony.caller_id or "+15005550006",
            )
        if provider == "twilio":
            from .telephony.twilio import TwilioCarrier

            carrier = TwilioCarrier(self.twilio_settings())
            self._closing.append(carrier.close)
            return carrier
        raise ConfigError([f"telephony.provider = {provider!r} is not a provider: use simulator or twilio"])

    def twilio_settings(self) -> Any:
        from .telephony.twilio import TwilioSettings

        s = self.settings
        return TwilioSettings(
            **asdict(s.twilio),
            auth_token=s.secrets.twilio_auth_token,
            caller_id=s.telephony.caller_id,
            agent_number=s.telephony.agent_number,
        )

    def close(self) -> None:
        """Release what was opened (database connections, a carrier's webhook server)."""
        for close in self._closing:
            close()
        if "store" in self.__dict__:
            self.store.close()

    def topics(self) -> list[str]:
        return list(dict.fromkeys([*self.settings.speech.topics, *self.store.known_topics()]))

    def command_recognizer(self, engine: str | None = None, book: Any = None, topics: Any = None) -> Any:
        """What turns a spoken command into words: the grammar engine (checked by a second one when unsure),
        or a free-form engine by name."""
        from .errors import MissingExtra
        from .intents import IntentParser

        speech = self.settings.speech
        name = engine or speech.engine
        book = book or self.book
        if name != "sphinx":
            from .speech.commands import FreeFormCommands

            return FreeFormCommands(self.free_form(name), book)
        from .speech.commands import CheckedCommands, GrammarCommands
        from .speech.sphinx import SphinxEngine

        wake = speech.wake_phrase if speech.mode == "wake" else ""
        parser = IntentParser()
        options = json.loads(os.environ.get("CALLBOT_SPHINX_OPTIONS", "{}"))  # for tuning experiments
        grammar = GrammarCommands(
            SphinxEngine(**options), parser.intents, book, self.topics() if topics is None else topics, wake
        )
        if not speech.check_with:
            return grammar
        try:
            second = self.free_form(speech.check_with)
        except MissingExtra as exc:
            out.print(f"{exc}; commands are not double-checked.")
            return grammar
        return CheckedCommands(
            grammar, second, parser, sure_at=speech.sure_confidence, min_confidence=speech.min_confidence
        )

    def free_form(self, name: str) -> Any:
        if name not in self._engines:
            self._engines[name] = self._free_form(name)
        return self._engines[name]

    def _free_form(self, name: str) -> Any:
        speech = self.settings.speech
        if name == "whisper":
            from .speech.whisper import WhisperTranscriber

            return WhisperTranscriber(speech.whisper_model)
        if name == "sphinx":
            from .speech.sphinx import SphinxDictation

            return SphinxDictation()
        from .speech.cloud import SpeechRecognitionTranscriber

        return SpeechRecognitionTranscriber(name, speech.cloud_key)

    def note_transcriber(self, say: Any = print) -> Any:
        """Whisper for notes by default; without the extra, pocketsphinx's dictation, and we say so."""
        from .errors import MissingExtra

        name = self.settings.speech.notes_engine
        try:
            return self.free_form(name)
        except MissingExtra as exc:
            if name != "whisper":
                raise
            say(f"{exc}. Notes are transcribed by pocketsphinx instead, less accurately.")
            return self.free_form("sphinx")

    def note_archive(self) -> Any:
        from .speech.audio import NoteArchive

        return NoteArchive(self.settings.data_dir / "notes")

    @cached_property
    def clock(self) -> Any:
        """The system clock, or a fixed one from CALLBOT_NOW (an ISO time with its zone: tests, replays)."""
        from .ports import FixedClock, SystemClock

        fixed = os.environ.get("CALLBOT_NOW", "")
        if not fixed:
            return SystemClock()
        try:
            return FixedClock(datetime.fromisoformat(fixed))
        except ValueError as exc:
            raise ConfigError([f"CALLBOT_NOW={fixed!r}: {exc}"]) from None

    def rules(self) -> Any:
        from .compliance import Rules

        c = self.settings.compliance
        try:
            return Rules.from_settings(
                c.calling_hours, c.days, c.outside_hours, self.settings.allowed_countries
            )
        except ValueError as exc:
            raise ConfigError([f"compliance: {exc}"]) from None

    def dnc_lookup(self) -> Any:
        """Why a number is on a do-not-call list: the log's list, then [compliance] dnc_file if set."""
        listed_in_file: set[str] = set()
        path = self.settings.compliance.dnc_file
        if path:
            from .compliance import read_dnc_file
            from .contacts.numbers import BadNumber, normalize

            file = Path(path).expanduser()
            try:
                text = file.read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise ConfigError([f"compliance.dnc_file {file}: {exc.strerror}"]) from None
            for written in read_dnc_file(text):
                try:
                    listed_in_file.add(normalize(written, self.settings.callbot.region))
                except BadNumber:
                    continue
        store = self.store

        def listed(e164: str) -> str | None:
            return store.dnc_reason(e164) or (f"listed in {path}" if e164 in listed_in_file else None)

        return listed

    def session(
        self, ear: Any, voice: Any, *, transcriber: Any = None, archive: Any = None, **kw: Any
    ) -> Any:
        from .session import Session, SessionSettings

        s = self.settings
        return Session(
            ear=ear,
            voice=voice,
            telephony=self.telephony(),
            log=self.store,
            book=self.book,
            transcriber=transcriber,
            archive=archive,
            clock=kw.pop("clock", None) or self.clock,
            listed=self.dnc_lookup(),
            settings=SessionSettings(
                rep=s.rep,
                region=s.callbot.region,
                confirm=s.dialog.confirm,
                cancel_window=s.dialog.cancel_window,
                ask_for_note=s.dialog.ask_for_note,
                min_confidence=s.speech.min_confidence,
                sure_confidence=s.speech.sure_confidence,
                rules=self.rules(),
                repeat_window=s.dialog.repeat_window,
                max_concurrent=s.telephony.max_concurrent,
                **kw,
            ),
        )


def _runtime(ctx: typer.Context) -> Runtime:
    runtime: Runtime = ctx.find_root().obj
    return runtime


@app.callback()
def _options(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", help="Your settings file (TOML).", envvar="CALLBOT_CONFIG")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Call log database URL (default: SQLite in the data dir).")
    ] = None,
) -> None:
    ctx.obj = Runtime(config, db)
    ctx.call_on_close(ctx.obj.close)


# -- the dialog ---------------------------------------------------------------------------------------------


@app.command()
def text(
    ctx: typer.Context,
    provider: Annotated[
        str | None, typer.Option(help="simulator or twilio (default: from settings).")
    ] = None,
    echo: Annotated[
        bool, typer.Option(help="Print each line read, so a piped session reads as a transcript.")
    ] = False,
) -> None:
    """Type commands instead of speaking them, one per line (a terminal or a pipe)."""
    from .console import PrintVoice, TextEar

    rt = _runtime(ctx)
    if provider:
        rt.overrides["telephony"]["provider"] = provider
    session = rt.session(TextEar(), PrintVoice(echo=echo))
    session.run()


@app.command()
def listen(
    ctx: typer.Context,
    audio: Annotated[
        Path | None,
        typer.Option(
            help="Play a WAV/FLAC/AIFF file, or a directory of them in order, instead of the microphone."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print replies instead of speaking them.")] = False,
    mode: Annotated[str | None, typer.Option(help="push-to-talk or wake (default: from settings).")] = None,
    engine: Annotated[
        str | None, typer.Option(help="Command engine: sphinx, whisper, or a speechrecognition one.")
    ] = None,
    provider: Annotated[
        str | None, typer.Option(help="simulator or twilio (default: from settings).")
    ] = None,
) -> None:
    """Hands-free: speak commands, answer callbot's questions, and dictate follow-up notes."""
    rt = _runtime(ctx)
    if provider:
        rt.overrides["telephony"]["provider"] = provider
    run_voice_session(rt, audio=audio, quiet=quiet, mode=mode, engine=engine)


def run_voice_session(
    rt: Runtime,
    *,
    audio: Path | None,
    quiet: bool,
    mode: str | None = None,
    engine: str | None = None,
    clock: Any = None,
) -> None:
    """Compose the voice front end from settings: source, recogniser, voice, display, and run the dialog."""
    from .console import TerminalDisplay
    from .speech.audio import FileSource, MicrophoneSource
    from .speech.ear import VoiceEar
    from .speech.voice import SpokenVoice, has_audio_output

    settings = rt.settings
    speech = settings.speech
    display = TerminalDisplay(echo=True)
    voice: Any = display
    if not quiet and settings.voice.enabled:
        if has_audio_output():
            voice = SpokenVoice(display, rate=settings.voice.rate, voice=settings.voice.voice)
            if voice.error:
                out.print(voice.error)
        else:
            out.print("No audio output device: replies are printed.")
    mode = mode or speech.mode
    source = FileSource.of(audio) if audio else MicrophoneSource()
    commands = rt.command_recognizer(engine)
    ptt = None
    if audio is None and mode == "push-to-talk":
        ptt = _push_to_talk(speech.ptt_key)
    ear = VoiceEar(
        source,
        commands,
        mode=mode if audio is None else "push-to-talk",
        wake_phrase=speech.wake_phrase,
        listen_timeout=speech.listen_timeout,
        phrase_limit=speech.phrase_time_limit,
        note_limit=speech.note_time_limit,
        wait_for_key=ptt,
        status=display.status,
    )
    transcriber = rt.note_transcriber(out.print)
    if hasattr(transcriber, "preload"):
        transcriber.preload()  # the note model loads while the first command is spoken
    live = audio is None
    session = rt.session(
        ear,
        voice,
        transcriber=transcriber,
        archive=rt.note_archive(),
        clock=clock,
        answer_timeout=speech.listen_timeout if live else None,
        note_timeout=speech.listen_timeout if live else None,
        review_timeout=6.0 if live else None,
    )
    if hasattr(commands, "refresh"):
        commands.refresh()
    if live:
        how = (
            f'say "{speech.wake_phrase}" and a command'
            if mode == "wake"
            else f"press {speech.ptt_key} and speak"
        )
        out.print(f"callbot is listening: {how}. Ctrl-C to stop.")
    session.run()


def _push_to_talk(key: str) -> Any:
    """Wait for the push-to-talk key (Enter by default) before each command."""
    import click

    wanted = {"enter": ("\r", "\n"), "space": (" ",)}.get(key.lower(), (key,))

    def wait() -> None:
        out.print(f"[dim]press {key} to talk[/]")
        while click.getchar() not in wanted:
            pass

    return wait


@app.command("eval")
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
) -> None:
    """Measure recognition on a spoken corpus: commands right, wrong dials, WER, latency."""
    from .evaluate import evaluate, failures, format_table

    rt = _runtime(ctx)
    speech = rt.settings.speech

    def recognizer(book: Any) -> Any:
        return rt.command_recognizer(engine, book=book, topics=speech.topics)

    report = evaluate(
        corpus,
        commands=recognizer,
        transcriber=rt.note_transcriber(out.print),
        min_confidence=speech.min_confidence,
        sure_confidence=speech.sure_confidence,
    )
    out.print(format_table(report), markup=False)
    if show_failures:
        for line in failures(report):
            out.print(line, markup=False)
    if json_out:
        json_out.write_text(json.dumps(report.to_json(), indent=1, default=str))
    print(report.summary_line())


@app.command()
def parse(
    ctx: typer.Context,
    words: Annotated[str, typer.Argument(help='What the user said, e.g. "call jane about the renewal".')],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the intent, slots and resolution for a sentence, without calling anyone."""
    from .intents import IntentParser

    rt = _runtime(ctx)
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
                from .compliance import check

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


def _resolution_json(resolution: Any) -> dict[str, Any]:
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


# -- contacts -----------------------------------------------------------------------------------------------


@contacts_app.command("import")
def contacts_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Google/Outlook CSV, HubSpot or Salesforce export, plain CSV, or .vcf")
    ],
    region: Annotated[str | None, typer.Option(help="Region for numbers without +country code.")] = None,
) -> None:
    """Import contacts; bad rows are reported by line and the rest are imported."""
    from .contacts.importers import read_contacts

    rt = _runtime(ctx)
    result = read_contacts(file, region or rt.settings.callbot.region)
    stats = rt.store.import_contacts(result.contacts, source=str(file))
    for problem in result.problems:
        out.print(f"[yellow]warning[/]: {problem}", markup=True)
    out.print(
        f"Imported {len(result.contacts)} contacts from {file} ({result.format}): "
        f"{stats.added} new, {stats.updated} updated; {len(result.problems)} problems."
    )


@contacts_app.command("list")
def contacts_list(ctx: typer.Context) -> None:
    """Every contact with their numbers."""
    from .contacts.numbers import display

    contacts = _runtime(ctx).store.contacts()
    table = Table("Name", "Company", "Numbers", "Aliases", "Time zone", "DNC")
    for c in contacts:
        numbers = "\n".join(
            f"{n.label}: {display(n.e164)}" + (" *" if n.preferred else "") for n in c.numbers
        )
        aliases = ", ".join([*c.aliases, *(f"{a} (learned)" for a in c.learned)])
        table.add_row(c.name, c.company, numbers, aliases, c.timezone, "yes" if c.do_not_call else "")
    out.print(table)
    out.print(f"{len(contacts)} contacts")


@contacts_app.command("find")
def contacts_find(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="A name as you would say it.")]
) -> None:
    """The ranked candidates for a name, with scores, and what callbot would do."""
    resolver = _runtime(ctx).book.resolver()
    resolution = resolver.resolve([name])
    table = Table("Score", "Name", "Company", "Matched by")
    for c in resolver.rank([name])[:10]:
        table.add_row(f"{c.score:.1f}", c.contact.name, c.contact.company, c.matched)
    out.print(table)
    verdict = {
        "dial": f"would call {resolution.contact.name if resolution.contact else ''}",
        "ask": "would ask which one",
        "refuse": "would say nobody matches",
    }[str(resolution.action)]
    out.print(f"callbot {verdict}.")


# -- the call log -------------------------------------------------------------------------------------------


log_app = typer.Typer(help="The call log: show, search, export, import.", invoke_without_command=True)
app.add_typer(log_app, name="log")
followups_app = typer.Typer(
    help="Follow-ups read from notes: what is due, and marking them done.", invoke_without_command=True
)
app.add_typer(followups_app, name="followups")


@log_app.callback()
def log_show(
    ctx: typer.Context,
    contact: Annotated[
        str | None, typer.Option(help="Only calls to this contact (part of the name).")
    ] = None,
    search: Annotated[
        str | None, typer.Option(help="Only calls whose notes or topic have these words.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many calls.")] = 20,
    rep: Annotated[str | None, typer.Option(help="Only this rep's calls.")] = None,
) -> None:
    """Recent calls, newest first, with their notes and follow-ups."""
    if ctx.invoked_subcommand:
        return
    store = _runtime(ctx).store
    if search:
        records = store.search(search, rep=rep, limit=limit)
        if contact:
            records = [r for r in records if contact.lower() in r.contact_name.lower()]
    else:
        records = store.recent_calls(contact=contact, limit=limit, rep=rep)
    print_log(records)


@log_app.command("export")
def log_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
    since: Annotated[str | None, typer.Option(help="Only calls on or after this date (YYYY-MM-DD).")] = None,
    rep: Annotated[str | None, typer.Option(help="Only this rep's calls.")] = None,
) -> None:
    """Write the log with HubSpot's call engagement columns (plus callbot's own) for a CRM import."""
    from .calllog.export import write

    records = _runtime(ctx).store.recent_calls(since=_since(since), rep=rep, limit=None)[::-1]
    count = write(records, file, fmt)
    out.print(f"Wrote {count} calls to {file}.")


@log_app.command("import")
def log_import(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="A callbot export (CSV or JSON lines).")]
) -> None:
    """Read a callbot export into this log; calls already here are skipped, so importing twice is harmless."""
    from .calllog.export import read

    imported, skipped = _runtime(ctx).store.import_rows(read(file), source=str(file))
    out.print(f"Imported {imported} calls from {file}; {skipped} were already in the log.")


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).astimezone()
    except ValueError:
        raise CallbotError(f"--since {text!r} is not a date: use YYYY-MM-DD") from None


@followups_app.callback()
def followups_list(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How far ahead to look.")] = 7,
    rep: Annotated[
        str | None, typer.Option(help="This rep's follow-ups (default: yours; 'all' for everyone).")
    ] = None,
) -> None:
    """Follow-ups due: overdue, today, and the coming days."""
    if ctx.invoked_subcommand:
        return
    from datetime import timedelta

    rt = _runtime(ctx)
    today = datetime.now().astimezone().date()
    who = None if rep == "all" else (rep or rt.settings.rep)
    due = rt.store.due_followups(until=today + timedelta(days=days - 1), rep=who)
    table = Table("ID", "Due", "When", "Contact", "Note")
    for note in due:
        assert note.followup is not None
        when = "overdue" if note.followup < today else "today" if note.followup == today else "this week"
        table.add_row(str(note.id), f"{note.followup:%a %d %b}", when, note.contact_name, note.text)
    out.print(table)
    out.print(f"{len(due)} follow-ups due in the next {days} days (overdue included).")


@followups_app.command("done")
def followups_done(
    ctx: typer.Context, note_id: Annotated[int, typer.Argument(help="The follow-up's ID.")]
) -> None:
    """Mark a follow-up done."""
    if not _runtime(ctx).store.followup_done(note_id):
        raise CallbotError(f"there is no follow-up {note_id}: see callbot followups")
    out.print(f"Follow-up {note_id} is done.")


@app.command()
def report(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for report.html and its charts.")],
    since: Annotated[str | None, typer.Option(help="Only calls on or after this date (YYYY-MM-DD).")] = None,
    rep: Annotated[str | None, typer.Option(help="Only this rep's calls.")] = None,
) -> None:
    """A self-contained HTML report with charts: calls by outcome, connect rate, talk time, best hours."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from .calllog.report import default_title, write

    rt = _runtime(ctx)
    store = rt.store
    start = _since(since)
    records = store.recent_calls(since=start, rep=rep, limit=None)
    today = datetime.now().astimezone().date()
    due = store.due_followups(until=today + timedelta(days=6), rep=rep)
    zones = {c.id: c.timezone for c in store.contacts() if c.id is not None and c.timezone}
    local = datetime.now().astimezone().tzinfo
    zone = local if isinstance(local, ZoneInfo) else ZoneInfo("UTC")
    path = write(
        records, due, out_dir, zone_of=zones, title=default_title(rep, start), today=today, local_zone=zone
    )
    out.print(f"Report for {len(records)} calls: {path}")


def print_log(records: list[Any]) -> None:
    from .contacts.numbers import display

    table = Table("When", "Contact", "Number", "Topic", "Outcome", "Duration", "Note", "Follow-up")
    for r in records:
        notes = [n for n in r.notes if n.status != "discarded"]
        note = "\n".join(n.text or f"({n.status})" for n in notes)
        followups = ", ".join(f"{n.followup:%a %d %b}" for n in notes if n.followup)
        duration = (
            f"{r.duration // 60}:{r.duration % 60:02d}" if r.duration is not None and r.answered_at else ""
        )
        outcome = r.outcome or r.status.value
        if r.reason and r.outcome in ("failed", "blocked", "canceled"):
            outcome += f" ({r.reason})"
        when = r.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        table.add_row(when, r.contact_name, display(r.to_number), r.topic, outcome, duration, note, followups)
    out.print(table)


# -- settings -----------------------------------------------------------------------------------------------


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """The merged settings (defaults + your file + environment), secrets masked."""
    rt = _runtime(ctx)
    settings = rt.settings
    out.print(f"# files merged: {', '.join(settings.files)}")
    out.print(
        f"# your file: {config_mod.user_config_path()}"
        + ("" if len(settings.files) > 1 else " (not present)")
    )
    for section, values in config_mod.as_dict(settings).items():
        out.print(f"\n[{section}]", markup=False)
        for key, value in values.items():
            out.print(f"{key} = {json.dumps(value, ensure_ascii=False)}", markup=False)


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Check every setting; say what is missing or wrong and how to fix it."""
    from .checks import check_settings

    rt = _runtime(ctx)
    try:
        settings = rt.settings
    except ConfigError as exc:
        for problem in exc.problems:
            out.print(f"[red]✗[/] {problem}")
        raise typer.Exit(1) from None
    extra = [_twilio_checks(rt)] if settings.telephony.provider == "twilio" else []
    results = check_settings(settings, extra)
    for setting, ok, message in results:
        mark = "[green]✓[/]" if ok else "[red]✗[/]"
        out.print(f"{mark} {setting}: {message}")
    bad = sum(1 for _, ok, _ in results if not ok)
    out.print("All settings look right." if not bad else f"{bad} setting(s) need attention.")
    if bad:
        raise typer.Exit(1)


@notes_app.command("list")
def notes_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="saved, pending or discarded.")] = None,
) -> None:
    """Notes with their status, follow-up date and recording."""
    table = Table("ID", "Contact", "When", "Status", "Text", "Follow-up", "Recording")
    for n in _runtime(ctx).store.notes(status=status):
        table.add_row(
            str(n.id),
            n.contact_name,
            n.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            n.status,
            n.text,
            f"{n.followup:%a %d %b}" if n.followup else "",
            n.audio_path,
        )
    out.print(table)


@notes_app.command("retry")
def notes_retry(ctx: typer.Context) -> None:
    """Transcribe the notes whose recording was kept but not yet transcribed."""
    from .calllog.followups import read_followup
    from .errors import TranscriptionFailed
    from .speech.audio import read_audio

    rt = _runtime(ctx)
    pending = rt.store.notes(status="pending")
    if not pending:
        out.print("No notes are waiting for transcription.")
        return
    transcriber = rt.note_transcriber(out.print)
    done = 0
    for note in pending:
        try:
            text = transcriber.transcribe(read_audio(Path(note.audio_path))).text.strip()
            if not text:
                raise TranscriptionFailed("no words were recognised")
        except CallbotError as exc:
            out.print(f"note {note.id} ({note.audio_path}): still pending: {exc}")
            continue
        followup = read_followup(text, datetime.now().astimezone())
        rt.store.update_note(note.id, text=text, status="saved", followup=followup)
        done += 1
        out.print(f'note {note.id}: "{text}"' + (f" (follow-up {followup.due:%a %d %b})" if followup else ""))
    out.print(f"{done} of {len(pending)} pending notes transcribed.")


def _twilio_checks(rt: Runtime) -> Any:
    """The Twilio settings, then a read-only request that proves the credentials and caller ID."""

    def check(_: config_mod.Settings) -> list[tuple[str, bool, str]]:
        from .telephony.twilio import TwilioCarrier

        twilio = rt.twilio_settings()
        problems = twilio.problems()
        if problems:
            return [("twilio", False, p) for p in problems]
        carrier = TwilioCarrier(twilio, serve_webhooks=False)
        return carrier.verify()

    return check


def _number(rt: Runtime, written: str) -> str:
    from .contacts.numbers import BadNumber, normalize

    try:
        return normalize(written, rt.settings.callbot.region)
    except BadNumber as exc:
        raise CallbotError(str(exc)) from None


@dnc_app.command("add")
def dnc_add(
    ctx: typer.Context,
    numbers: Annotated[list[str], typer.Argument(help="Numbers, or a contact's name (all their numbers).")],
    reason: Annotated[str, typer.Option(help="Why (shown when a call is refused).")] = "",
) -> None:
    """Put numbers (or a contact) on the do-not-call list."""
    rt = _runtime(ctx)
    store = rt.store
    found: list[str] = []
    for item in numbers:
        if any(ch.isdigit() for ch in item):
            found.append(_number(rt, item))
            continue
        resolution = rt.book.resolver().resolve([item])
        if resolution.contact is None or resolution.contact.id is None:
            raise CallbotError(
                f"{item!r} is neither a phone number nor one contact: try callbot contacts find"
            )
        store.set_do_not_call(resolution.contact.id, True)
        found += [n.e164 for n in resolution.contact.numbers]
    added = store.dnc_add(found, reason=reason, source="callbot dnc add", rep=rt.settings.rep)
    out.print(f"{added} numbers added to the do-not-call list ({len(found) - added} were on it already).")


@dnc_app.command("remove")
def dnc_remove(
    ctx: typer.Context, number: Annotated[str, typer.Argument(help="A number on the list.")]
) -> None:
    """Take a number off the do-not-call list."""
    rt = _runtime(ctx)
    e164 = _number(rt, number)
    if not rt.store.dnc_remove(e164):
        raise CallbotError(f"{e164} is not on the do-not-call list")
    contact = rt.store.contact_for_number(e164)
    if contact is not None and contact.id is not None and contact.do_not_call:
        rt.store.set_do_not_call(contact.id, False)
    out.print(f"{e164} may be called again.")


@dnc_app.command("list")
def dnc_list(ctx: typer.Context) -> None:
    """Every number on the do-not-call list, with why and when."""
    table = Table("Number", "Reason", "From", "Added")
    entries = _runtime(ctx).store.dnc_entries()
    for e164, reason, source, added in entries:
        table.add_row(e164, reason, source, added.astimezone().strftime("%Y-%m-%d"))
    out.print(table)
    out.print(f"{len(entries)} numbers.")


@dnc_app.command("import")
def dnc_import(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="One number per line, or a CSV.")]
) -> None:
    """Add a do-not-call list file to the log's list; numbers that cannot be read are reported."""
    from .compliance import read_dnc_file
    from .contacts.numbers import BadNumber, normalize

    rt = _runtime(ctx)
    try:
        written = read_dnc_file(file.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise CallbotError(f"cannot read {file}: {exc.strerror}") from None
    good = []
    for item in written:
        try:
            good.append(normalize(item, rt.settings.callbot.region))
        except BadNumber as exc:
            out.print(f"[yellow]skipped[/]: {exc}")
    added = rt.store.dnc_add(good, reason=f"listed in {file.name}", source=str(file), rep=rt.settings.rep)
    out.print(f"{added} numbers added from {file} ({len(good) - added} were on the list already).")


@db_app.command("backup")
def db_backup(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Where to write the copy.")]
) -> None:
    """A consistent copy of the SQLite call log, safe to take while callbot runs."""
    path = _runtime(ctx).store.backup(file)
    out.print(f"Backed up the call log to {path}.")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply pending migrations (also done automatically on first use)."""
    store = _runtime(ctx).store
    out.print(f"Call log at revision {store.revision()}.")


# -- demo ---------------------------------------------------------------------------------------------------


@app.command()
def demo(
    ctx: typer.Context,
    text_only: Annotated[
        bool, typer.Option("--text", help="Type the script instead of playing its recordings.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print replies instead of speaking them.")] = False,
) -> None:
    """A scripted session on the example contacts and the simulator: recordings through the recogniser."""
    import io

    from .console import PrintVoice, TextEar

    rt = _runtime(ctx)
    if not rt.store.contacts_version()[0]:
        from .contacts.importers import read_contacts

        example = config_mod.data_path("config") / "contacts.example.csv"
        rt.store.import_contacts(read_contacts(example, "US").contacts, source=str(example))
    before = {r.id for r in rt.store.recent_calls(limit=None)}  # a shared database may hold other calls
    started = datetime.now(UTC)
    demo_dir = config_mod.data_path("config") / "demo"
    # The demo's day starts at 17:00 UTC (09:00 in California), so its calls fall within calling hours
    # whenever it runs; CALLBOT_NOW still wins.
    from .ports import FixedClock

    clock = rt.clock if os.environ.get("CALLBOT_NOW") else FixedClock(started.replace(hour=17, minute=0))
    rt.store.now = clock.now
    if text_only:
        lines = [
            ln for ln in (demo_dir / "script.txt").read_text().splitlines() if ln and not ln.startswith("#")
        ]
        ear = TextEar(io.StringIO("\n".join(lines) + "\n"))
        rt.session(ear, PrintVoice(echo=True), clock=clock).run()
    else:
        run_voice_session(rt, audio=demo_dir, quiet=quiet, clock=clock)
    out.print("\nThe call log:")
    print_log([r for r in rt.store.recent_calls(limit=None) if r.id not in before][::-1])


def main() -> None:
    try:
        app()
    except CallbotError as exc:
        print(f"callbot: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
