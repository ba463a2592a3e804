"""The dependency rules of the house, checked by scanning every module's imports (function-level ones too)."""

from __future__ import annotations

import ast
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


MODULES = {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def own(imports: set[str]) -> set[str]:
    return {i for i in imports if i.startswith("assistant")}


def test_models_and_errors_are_leaves():
    for leaf in ("assistant.models", "assistant.errors"):
        assert own(MODULES[leaf]) == set(), leaf


def test_session_sees_only_ports_and_pure_logic():
    allowed = (
        "assistant.models",
        "assistant.errors",
        "assistant.ports",
        "assistant.intents",
        "assistant.contacts",
        "assistant.compliance",
        "assistant.calllog.followups",
    )
    bad = {i for i in own(MODULES["assistant.session"]) if not i.startswith(allowed)}
    assert bad == set()
    assert not any(i.startswith("assistant.contacts.importers") for i in MODULES["assistant.session"])


@pytest.mark.parametrize("adapter", ["speech", "telephony", "calllog"])
def test_adapters_never_import_the_dialog_the_cli_or_each_other(adapter: str):
    others = {"speech", "telephony", "calllog"} - {adapter}
    forbidden = (
        "assistant.session",
        "assistant.cli",
        "assistant.console",
        *(f"assistant.{o}" for o in others),
    )
    for name, imports in MODULES.items():
        if name.startswith(f"assistant.{adapter}"):
            assert {i for i in own(imports) if i.startswith(forbidden)} == set(), name


@pytest.mark.parametrize(
    ("vendor", "home"),
    [
        ("twilio", "assistant.telephony.twilio"),
        ("speech_recognition", "assistant.speech"),
        ("pocketsphinx", "assistant.speech"),
        ("pyttsx3", "assistant.speech"),
        ("faster_whisper", "assistant.speech"),
        ("sqlalchemy", "assistant.calllog"),
        ("alembic", "assistant.calllog"),
        ("typer", "assistant.cli"),
        ("flask", "assistant.telephony"),
    ],
)
def test_each_vendor_sdk_is_imported_in_one_place(vendor: str, home: str):
    users = {name for name, imports in MODULES.items() if any(i.split(".")[0] == vendor for i in imports)}
    assert all(u.startswith(home) for u in users), f"{vendor} imported outside {home}: {users - {home}}"
