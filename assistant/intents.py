"""Language as data: hassil sentence templates (intents/<lang>/*.yaml) -> Intent, and the replies file."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from hassil import Intents, recognize_all
from hassil.models import MatchEntity
from hassil.util import merge_dict

from .config import data_path
from .models import Intent

RESPONSES_FILE = "_responses.yaml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: 10x faster
_DIGITS = re.compile(r"(?<=\d)[\s().-]+(?=\d)")


def language_dir(language: str = "en") -> Path:
    path = data_path("intents") / language
    if not path.is_dir():
        raise FileNotFoundError(f"no intents for language {language!r} in {path.parent}")
    return path


def intent_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name != RESPONSES_FILE)


@functools.cache
def load_intents(directory: Path) -> Intents:
    """The templates of one language directory, read once per process (hassil's own reader, faster)."""
    merged: dict[str, Any] = {}
    for path in intent_files(directory):
        with open(path, encoding="utf-8") as fh:
            merge_dict(merged, yaml.load(fh, Loader=_Loader))
    return Intents.from_dict(merged)


class IntentParser:
    """Typed or transcribed text -> the best matching Intent, or None (never a guess)."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory or language_dir()
        self.intents = load_intents(self.directory)

    @property
    def names(self) -> list[str]:
        return sorted(self.intents.intents)

    def parse(
        self,
        text: str,
        *,
        allowed: Iterable[str] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> Intent | None:
        """The intent with the most matched template words among `allowed`; ties go to fewer wildcards."""
        prepared = prepare(text)
        if not prepared:
            return None
        allowed_set = set(allowed) if allowed is not None else None
        best: tuple[tuple[int, int], Any] | None = None
        for result in recognize_all(prepared, self.intents, intent_context=dict(context or {})):
            if allowed_set is not None and result.intent.name not in allowed_set:
                continue
            wild = sum(1 for e in result.entities_list if e.is_wildcard)
            rank = (result.text_chunks_matched, -wild)
            if best is None or rank > best[0]:
                best = (rank, result)
        if best is None:
            return None
        result = best[1]
        slots = {e.name: _slot_value(e) for e in result.entities_list}
        return Intent(result.intent.name, {k: v for k, v in slots.items() if v}, text=text)


def prepare(text: str) -> str:
    """Text as the templates expect it: digits spelt one by one ("415-555" -> "4 1 5 5 5 5"), "+" as plus."""
    text = " ".join(text.replace("’", "'").split())
    text = re.sub(r"\((?=\d)|(?<=\d)\)", " ", text)  # "(415) 555" -> " 415  555"
    text = _DIGITS.sub("", text)
    text = re.sub(r"\+(?=\s*\d)", " plus ", text)
    text = re.sub(r"(?<=\d)(?=\d)", " ", text)
    return " ".join(text.strip(" .!?,").split())


def _slot_value(entity: MatchEntity) -> str:
    value = entity.value if entity.value is not None else entity.text
    return " ".join(str(value).strip(" .!?,;:").split())


class Replies:
    """What callbot says: keyed templates from intents/<lang>/_responses.yaml."""

    def __init__(self, directory: Path | None = None):
        path = (directory or language_dir()) / RESPONSES_FILE
        with open(path, encoding="utf-8") as fh:
            self.templates: dict[str, str] = yaml.load(fh, Loader=_Loader)["responses"]

    def __call__(self, key: str, **values: object) -> str:
        return self.templates[key].format(**values)
