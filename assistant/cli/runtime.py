"""callbot's composition root: settings, and the parts built from them, made on first use.

The only place that picks engines and providers. Every factory names the concrete type it returns, so
mypy checks the wiring; the adapters are imported inside the factories, so a command pays only for the
parts it uses (`callbot log` never loads a recogniser).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from .. import config as config_mod
from ..errors import ConfigError
from .hearing import Hearing

if TYPE_CHECKING:
    from ..calllog.store import Store
    from ..compliance import Rules
    from ..contacts.book import ContactBook
    from ..leads.launch import ListLauncher
    from ..leads.work import ListSession
    from ..ports import Archive, Clock, Ear, FixedClock, Screen, SystemClock, Voice
    from ..session import Session
    from ..speech.checked import CheckedCommands
    from ..speech.cloud import SpeechRecognitionTranscriber
    from ..speech.commands import GrammarCommands
    from ..speech.freeform import FreeFormCommands
    from ..speech.sphinx import SphinxDictation
    from ..speech.whisper import WhisperTranscriber
    from ..telephony.simulator import Simulator
    from ..telephony.twilio import TwilioCarrier, TwilioSettings
    from ..telephony.voicemail import Voicemails

    FreeForm: TypeAlias = WhisperTranscriber | SphinxDictation | SpeechRecognitionTranscriber
    Commands: TypeAlias = GrammarCommands | CheckedCommands | FreeFormCommands
    Carrier: TypeAlias = Simulator | TwilioCarrier


class Runtime(Hearing):
    """Settings and the parts built from them, made on first use (the speech parts: cli/hearing.py)."""

    def __init__(self, config_file: Path | None, db: str | None, provider: str | None = None):
        self.config_file = config_file
        self._closing: list[Callable[[], None]] = []
        self._engines: dict[str, FreeForm] = {}  # one of each: commands and notes share a Whisper model
        self._carrier: Carrier | None = None
        self.overrides: dict[str, dict[str, Any]] = {
            "database": {"url": db},
            "telephony": {"provider": provider},
        }

    @cached_property
    def settings(self) -> config_mod.Settings:
        return config_mod.load(self.config_file, overrides=self.overrides)

    @cached_property
    def store(self) -> Store:
        from ..calllog.store import Store

        return Store(self.settings.database_url, clock=self.clock.now)

    @cached_property
    def book(self) -> ContactBook:
        from ..contacts.book import ContactBook
        from ..speech.pronounce import shared

        # how names sound (read on first need: a heard name that sounds like another contact's is asked about)
        return ContactBook(self.store, pronounce=shared().names)

    def telephony(self) -> Carrier:
        """The carrier, made once: a list worked from within a session shares the session's."""
        if self._carrier is None:
            self._carrier = self._telephony()
        return self._carrier

    def _telephony(self) -> Carrier:
        settings = self.settings
        provider = settings.telephony.provider
        if provider == "simulator":
            from ..telephony.simulator import Simulator

            sim = settings.simulator
            return Simulator(
                sim.outcomes,
                answer_after=sim.answer_after,
                duration=sim.duration,
                time_scale=sim.time_scale,
                caller_id=settings.telephony.caller_id or "+15005550006",
            )
        if provider == "twilio":
            from ..telephony.twilio import TwilioCarrier

            carrier = TwilioCarrier(self.twilio_settings())
            self._closing.append(carrier.close)
            return carrier
        raise ConfigError([f"telephony.provider = {provider!r} is not a provider: use simulator or twilio"])

    def twilio_settings(self) -> TwilioSettings:
        from ..telephony.twilio import TwilioSettings

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

    @cached_property
    def clock(self) -> SystemClock | FixedClock:
        """The system clock, or a fixed one from CALLBOT_NOW (an ISO time with its zone: tests, replays)."""
        from ..ports import FixedClock, SystemClock

        fixed = os.environ.get("CALLBOT_NOW", "")
        if not fixed:
            return SystemClock()
        try:
            return FixedClock(datetime.fromisoformat(fixed))
        except ValueError as exc:
            raise ConfigError([f"CALLBOT_NOW={fixed!r}: {exc}"]) from None

    def rules(self) -> Rules:
        from ..compliance import Rules

        c = self.settings.compliance
        try:
            return Rules.from_settings(
                c.calling_hours, c.days, c.outside_hours, self.settings.allowed_countries
            )
        except ValueError as exc:
            raise ConfigError([f"compliance: {exc}"]) from None

    def dnc_lookup(self) -> Callable[[str], str | None]:
        """Why a number is on a do-not-call list: the log's list, then [compliance] dnc_file if set."""
        listed_in_file: set[str] = set()
        path = self.settings.compliance.dnc_file
        if path:
            from ..compliance import read_dnc_file

            file = Path(path).expanduser()
            try:
                text = file.read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise ConfigError([f"compliance.dnc_file {file}: {exc.strerror}"]) from None
            dnc = read_dnc_file(text, self.settings.callbot.region, str(file))
            for problem in dnc.problems:  # a number dropped from a do-not-call list is never silent
                print(f"callbot: {problem}", file=sys.stderr)
            listed_in_file.update(dnc)
        store = self.store

        def listed(e164: str) -> str | None:
            return store.dnc_reason(e164) or (f"listed in {path}" if e164 in listed_in_file else None)

        return listed

    def session(
        self,
        ear: Ear,
        voice: Voice,
        *,
        transcriber: FreeForm | None = None,
        archive: Archive | None = None,
        clock: Clock | None = None,
        answer_timeout: float | None = None,
        note_timeout: float | None = None,
        review_timeout: float | None = 6.0,
    ) -> Session:
        from ..session import Session, SessionSettings

        s = self.settings
        # Spoken commands the rep confirms are kept for `callbot enroll --refresh` (README). A voice ear
        # exists only once its module is loaded, so a typed session never imports the speech stack here.
        voice_ear = getattr(sys.modules.get("assistant.speech.ear"), "VoiceEar", None)
        inner: Any = ear
        while not (voice_ear is not None and isinstance(inner, voice_ear)) and hasattr(inner, "ear"):
            inner = inner.ear  # under a wrapper (the list launcher)
        if s.speech.learn and voice_ear is not None and isinstance(inner, voice_ear):
            from ..speech.confirmed import FOLDER, ConfirmedKeeper

            ear = ConfirmedKeeper(ear, s.voice_dir() / FOLDER)
        return Session(
            ear=ear,
            voice=voice,
            telephony=self.telephony(),
            log=self.store,
            book=self.book,
            transcriber=transcriber,
            archive=archive,
            clock=clock or self.clock,
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
                answer_timeout=answer_timeout,
                note_timeout=note_timeout,
                review_timeout=review_timeout,
            ),
        )

    def list_session(
        self,
        name: str,
        ear: Ear,
        voice: Voice,
        *,
        transcriber: FreeForm | None = None,
        archive: Archive | None = None,
        answer_timeout: float | None = None,
        note_timeout: float | None = None,
        review_timeout: float | None = 6.0,
        screen: Screen | None = None,
        clock: Clock | None = None,
    ) -> ListSession:
        """Working a lead list (issue 19): the same carrier, log, rules and settings as a session."""
        from ..leads.work import ListSession
        from ..phrasing import no_note_words

        base = self.session(
            ear,
            voice,
            transcriber=transcriber,
            archive=archive,
            answer_timeout=answer_timeout,
            note_timeout=note_timeout,
            review_timeout=review_timeout,
            clock=clock,
        )
        contacts = {c.id: c for c in self.book.contacts() if c.id is not None}
        return ListSession(
            name,
            ear=ear,
            voice=voice,
            telephony=base.calls.telephony,
            log=self.store,
            contacts=contacts,
            settings=base.settings,
            auto_advance=self.settings.leads.auto_advance,
            parser=base.parser,
            replies=base.turns.say,
            transcriber=transcriber,
            archive=archive,
            clock=base.clock,
            listed=base.gate.listed,
            no_note=no_note_words(),
            voicemail=self.voicemails().default(),
            screen=screen,
        )

    def voicemails(self) -> Voicemails:
        """The rep's recorded voicemail messages, in the data directory."""
        from ..telephony.voicemail import Voicemails

        return Voicemails(self.settings.data_dir / "voicemail")

    def list_launcher(self, ear: Ear, voice: Voice, **list_options: Any) -> ListLauncher:
        """The ear of `callbot text` / `listen`, which also hears "work the Acme list" and works it there."""
        from ..intents import IntentParser
        from ..language import Replies
        from ..leads.launch import ListLauncher

        def work(name: str) -> None:
            self.list_session(name, ear, voice, **list_options).run()

        return ListLauncher(ear, voice, IntentParser(), self.store.lead_lists, work, Replies())
