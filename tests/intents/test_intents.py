"""Every intent's sentence tests (tests/intents/<lang>/<Intent>.yaml), mirrored from intents/<lang>/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.intents import IntentParser
from assistant.language import Replies, intent_files, language_dir

HERE = Path(__file__).parent
# tests/intents/<lang>/ mirrors intents/<lang>/; other folders (data/) hold test sets
LANGUAGES = sorted(
    p.name for p in HERE.iterdir() if p.is_dir() and (HERE.parent.parent / "intents" / p.name).is_dir()
)


def _cases() -> list[tuple[str, str, dict, object]]:
    cases = []
    for lang in LANGUAGES:
        for path in sorted((HERE / lang).glob("*.yaml")):
            data = yaml.safe_load(path.read_text())
            context = data.get("context", {})
            for block in data["tests"]:
                expected = block.get("intent")
                for sentence in block["sentences"]:
                    cases.append((lang, sentence, context, expected))
    return cases


@pytest.fixture(scope="module")
def parsers() -> dict[str, IntentParser]:
    return {lang: IntentParser(language_dir(lang)) for lang in LANGUAGES}


@pytest.mark.parametrize(("lang", "sentence", "context", "expected"), _cases())
def test_sentence(
    parsers: dict[str, IntentParser], lang: str, sentence: str, context: dict, expected: dict | None
):
    intent = parsers[lang].parse(sentence, context=context)
    if expected is None:
        assert intent is None, f"{sentence!r} should not match, got {intent}"
        return
    assert intent is not None, f"{sentence!r} matched nothing"
    assert intent.name == expected["name"]
    for slot, value in (expected.get("slots") or {}).items():
        assert intent.slot(slot).lower() == str(value).lower(), f"{sentence!r}: slot {slot}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_intent_file_has_a_test_file(lang: str):
    intents = {p.stem for p in intent_files(language_dir(lang)) if not p.stem.startswith("_")}
    tests = {p.stem for p in (HERE / lang).glob("*.yaml") if not p.stem.startswith("_")}
    assert intents == tests


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_test_file_tests_its_own_intent(lang: str):
    for path in (HERE / lang).glob("[!_]*.yaml"):
        names = {block["intent"]["name"] for block in yaml.safe_load(path.read_text())["tests"]}
        assert names == {path.stem}, path.name


def test_replies_used_by_the_dialog_exist_and_every_reply_is_used():
    import re

    import assistant

    package = Path(assistant.__file__).parent
    dialog = [
        package / "session.py",
        package / "phrasing.py",
        *sorted((package / "dialog").glob("*.py")),
        *sorted((package / "leads").glob("*.py")),  # the list mode (issue 19) speaks too
    ]
    source = "\n".join(p.read_text() for p in dialog)
    templates = set(Replies().templates)
    said = set(re.findall(r'(?:reply|say)\(\s*"([a-z_]+)"', source))
    assert said - templates == set(), "replies missing from _responses.yaml"
    unused = {key for key in templates if f'"{key}"' not in source}
    assert unused == set(), "replies nobody says"


def test_words_the_dialog_listens_for_exist_and_every_word_list_is_used():
    import re

    import assistant.phrasing as phrasing

    source = Path(phrasing.__file__).read_text()
    words = set(yaml.safe_load((language_dir() / "_responses.yaml").read_text())["words"])
    used = set(re.findall(r'\["words"\]\["([a-z_]+)"\]', source))
    assert used and used - words == set(), "word lists missing from _responses.yaml"
    assert words - used == set(), "word lists nobody uses"


def test_a_word_list_entry_yaml_reads_as_true_is_refused_naming_the_file_and_line(tmp_path: Path):
    import shutil

    from assistant.language import Speechways

    shutil.copytree(language_dir(), tmp_path / "en")
    common = tmp_path / "en" / "_common.yaml"
    lines = common.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("after_name:"))
    lines[at] = "after_name:\n  - in\n  - on\n  - at"
    common.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError) as refused:
        Speechways.of(tmp_path / "en")
    message = str(refused.value)
    assert f"_common.yaml, line {at + 3}" in message
    assert "after_name" in message and "quotes" in message


def test_every_small_word_is_read_as_a_word():
    from assistant.language import Speechways

    ways = Speechways.of(language_dir())
    assert "on" in ways.carriers and "on" in ways.after_name
    assert all(isinstance(w, str) for w in ways.carriers | ways.after_name | ways.fillers | ways.topic_lead)


def test_a_language_file_that_is_not_yaml_is_refused_naming_the_file_and_line(tmp_path: Path):
    import shutil

    from assistant.language import Speechways

    shutil.copytree(language_dir(), tmp_path / "en")
    common = tmp_path / "en" / "_common.yaml"
    common.write_text(common.read_text() + 'fillers: ["uh", "um"\n')
    with pytest.raises(ValueError) as refused:
        Speechways.of(tmp_path / "en")
    message = str(refused.value)
    assert "_common.yaml" in message and "line" in message and "mend it" in message
