"""The composition root's speech parts: the command recogniser (grammar, Whisper's check and the decision
model, the rep's voice adaptation), the free-form engines and the notes' transcriber, made on first use."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias

from .. import config as config_mod
from ..errors import ConfigError

if TYPE_CHECKING:
    from ..calllog.store import Store
    from ..contacts.book import ContactBook
    from ..speech.audio import NoteArchive
    from ..speech.checked import CheckedCommands
    from ..speech.cloud import SpeechRecognitionTranscriber
    from ..speech.commands import Book, GrammarCommands
    from ..speech.decision import Model as DecisionModel
    from ..speech.freeform import FreeFormCommands
    from ..speech.sphinx import SphinxDictation
    from ..speech.whisper import WhisperTranscriber

    FreeForm: TypeAlias = WhisperTranscriber | SphinxDictation | SpeechRecognitionTranscriber
    Commands: TypeAlias = GrammarCommands | CheckedCommands | FreeFormCommands


class Hearing:
    """Mixed into Runtime, which provides the settings, the store, the book and the engines' cache."""

    _engines: dict[str, FreeForm]

    @property
    def settings(self) -> config_mod.Settings:
        raise NotImplementedError

    @property
    def store(self) -> Store:
        raise NotImplementedError

    @property
    def book(self) -> ContactBook:
        raise NotImplementedError

    def topics(self) -> list[str]:
        return list(dict.fromkeys([*self.settings.speech.topics, *self.store.known_topics()]))

    def command_recognizer(
        self,
        engine: str | None = None,
        book: Book | None = None,
        topics: Sequence[str] | None = None,
        say: Callable[[str], None] = print,
        adaptation: Path | Literal["settings"] | None = "settings",
    ) -> Commands:
        """What turns a spoken command into words: the grammar engine (checked by a second one when unsure),
        or a free-form engine by name. `adaptation`: the voice adaptation to hear with, None for none
        (default: the settings', or the rep's own)."""
        from ..errors import MissingExtra
        from ..intents import IntentParser

        speech = self.settings.speech
        name = engine or speech.engine
        book = book or self.book
        if name != "sphinx":
            from ..speech.freeform import FreeFormCommands

            return FreeFormCommands(self.free_form(name), book)
        from ..speech.checked import CheckedCommands
        from ..speech.commands import GrammarCommands
        from ..speech.sphinx import SphinxEngine

        wake = speech.wake_phrase if speech.mode == "wake" else ""
        parser = IntentParser()
        options = json.loads(os.environ.get("CALLBOT_SPHINX_OPTIONS", "{}"))  # for tuning experiments
        if adaptation == "settings":
            adaptation = self.adaptation()
        if adaptation is not None:
            say(f"Commands are heard with the voice adaptation {adaptation} (callbot enroll).")
        grammar = GrammarCommands(
            SphinxEngine(adaptation=adaptation, **options),
            parser.intents,
            book,
            self.topics() if topics is None else topics,
            wake,
            denoise=speech.denoise,
        )
        if not speech.check_with:
            return grammar
        try:
            second = self.free_form(speech.check_with, speech.check_model)
        except MissingExtra as exc:
            say(f"{exc}; commands are not double-checked.")
            return grammar
        return CheckedCommands(
            grammar,
            second,
            parser,
            model=self.decision_model(),
            wrong_dial_rate=speech.wrong_dial_rate,
            sure_at=speech.sure_confidence,
            min_confidence=speech.min_confidence,
        )

    def adaptation(self) -> Path | None:
        """The voice adaptation commands are decoded with: [speech] adaptation, or the rep's own."""
        path = self.settings.adaptation
        if path is not None and not path.exists():
            raise ConfigError([f"speech.adaptation: {path} does not exist (run callbot enroll, or say off)"])
        return path

    def decision_model(self) -> DecisionModel:
        """The configured decision model, else the user's own (`callbot eval --train`), else the shipped."""
        from ..speech.decision import Model

        configured = self.settings.speech.decision_model
        own = self.settings.data_dir / "decision.json"
        path = Path(configured).expanduser() if configured else own if own.exists() else None
        try:
            return Model.load(path)
        except ValueError as exc:
            raise ConfigError([f"speech.decision_model: {exc}"]) from None

    def free_form(self, name: str, model: str | None = None) -> FreeForm:
        """A free-form engine; Whisper with `model` (a catalog name, a directory or a model name), by
        default `[speech] whisper_model`. One engine per model, shared by the roles that use it."""
        model = self.settings.speech.whisper_model if model is None else model
        key = f"{name}:{model}" if name == "whisper" else name
        if key not in self._engines:
            self._engines[key] = self._free_form(name, model)
        return self._engines[key]

    def whisper_model_path(self, model: str) -> str:
        """A catalog name (`callbot models`) as the directory its packages' parts join into."""
        from ..speech.catalog import known, model_dir

        entry = known(model)
        return str(model_dir(entry, self.settings.data_dir)) if entry is not None else model

    def _free_form(self, name: str, model: str) -> FreeForm:
        if name == "whisper":
            from ..speech.whisper import WhisperTranscriber

            return WhisperTranscriber(self.whisper_model_path(model))
        if name == "sphinx":
            from ..speech.sphinx import SphinxDictation

            return SphinxDictation()
        from ..speech.cloud import SpeechRecognitionTranscriber

        return SpeechRecognitionTranscriber(name, self.settings.speech.cloud_key)

    def note_transcriber(self, say: Callable[[str], None] = print) -> FreeForm:
        """Whisper for notes by default; without the extra, pocketsphinx's dictation, and we say so."""
        from ..errors import MissingExtra

        name = self.settings.speech.notes_engine
        try:
            return self.free_form(name)
        except MissingExtra as exc:
            if name != "whisper":
                raise
            say(f"{exc}. Notes are transcribed by pocketsphinx instead, less accurately.")
            return self.free_form("sphinx")

    def note_archive(self) -> NoteArchive:
        from ..speech.audio import NoteArchive

        return NoteArchive(self.settings.data_dir / "notes")
