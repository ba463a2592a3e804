"""The rep's own voice: pocketsphinx's acoustic model adapted with the sphinxtrain tools (Debian packages).

    recordings + their sentences -> sphinx_fe (features, the model's own feat.params)
                                 -> bw (counts against the model the pocketsphinx wheel ships)
                                 -> map_adapt -> means         (MAP, the default)
                                 or mllr_solve -> mllr_matrix  (MLLR)
                                 -> SphinxEngine(adaptation=...) loads either (Decoder `mean=` / `mllr=`)

The wheel's model is semi-continuous and ships its mixture weights only as a quantised `sendump`; bw needs
them as a `mixture_weights` file, so they are unpacked first (what sphinxtrain's python/cmusphinx/sendump.py
does). The model has only 42 codebooks of 128 Gaussians (one per phone), shared by all 5,126 senones, so
30 sentences reach nearly every Gaussian: MAP moves each mean towards the voice as far as its own data
allows; MLLR moves them all by one transform per feature stream. MAP heard more commands right on the
synthetic voices measured (bench/enroll.py); only the means are kept, as variances and weights adapted from
this little speech heard worse.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import data_path
from ..errors import SpeechError
from ..models import AudioClip
from . import pronounce
from .sphinx import SphinxEngine, dictionary_path, model_dir

# Each tool and the Debian package that has it. Debian puts sphinxtrain's programs in /usr/lib/sphinxtrain,
# off PATH (the `sphinxtrain` command there runs them by name).
TOOLS = {
    "sphinx_fe": "sphinxbase-utils",
    "pocketsphinx_mdef_convert": "pocketsphinx",
    "bw": "sphinxtrain",
    "mllr_solve": "sphinxtrain",
    "map_adapt": "sphinxtrain",
}
TOOL_DIRS = ("/usr/lib/sphinxtrain", "/usr/local/lib/sphinxtrain", "/usr/libexec/sphinxtrain")
MIN_USABLE = 10  # sentences bw could align, at the least: a third of the prompts (chosen, not measured)
# bw's default beams (1e-100) lost 12 of 30 sentences of an espeak-ng voice in a first trial, 1e-200 lost 6;
# 1e-300 trips an assertion in bw 1.0.8 (backward.c, prior_beta > 0).
BEAM = "1e-200"
MIN_SECONDS = 0.5
METHODS = {"map": "means", "mllr": "mllr_matrix"}  # method -> the file it writes (sphinx.ADAPTATION_FILES)


@dataclass(frozen=True)
class Recording:
    """One sentence as the rep said it."""

    name: str  # what the rep is told about a failure: "03" or a file name
    text: str
    audio: AudioClip


@dataclass(frozen=True)
class Adaptation:
    path: Path
    used: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]  # (recording, why)


def sentences(path: Path | None = None) -> list[str]:
    """The sentences a rep reads to enroll (config/enroll.txt, or a prompts file: one a line, # comments)."""
    path = path or data_path("config") / "enroll.txt"
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def find_tools(search: Sequence[str] | None = None) -> dict[str, str]:
    """{tool: path}; a SpeechError naming the Debian packages to install when any is missing."""
    dirs = list(search) if search is not None else [*os.get_exec_path(), *TOOL_DIRS]
    path = os.pathsep.join(dirs)
    found = {tool: shutil.which(tool, path=path) for tool in TOOLS}
    missing = [tool for tool, where in found.items() if where is None]
    if missing:
        packages = " ".join(dict.fromkeys(TOOLS[t] for t in missing))
        raise SpeechError(
            f"enrolling a voice needs the sphinxtrain tools; not found: {', '.join(missing)}. "
            f"Install them: sudo apt-get install {packages}"
        )
    return {tool: str(where) for tool, where in found.items()}


def words(text: str) -> list[str]:
    """A sentence as the dictionary spells it: "Yes, go ahead." -> ["yes", "go", "ahead"]."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())


def adapt(
    recordings: Sequence[Recording],
    out_dir: Path,
    *,
    tools: dict[str, str] | None = None,
    minimum: int = MIN_USABLE,
    method: str = "map",
) -> Adaptation:
    """Adapt the model to the voice of `recordings`: out_dir/means (MAP) or out_dir/mllr_matrix (MLLR)."""
    if method not in METHODS:
        raise SpeechError(f"no adaptation method {method!r}: use {' or '.join(METHODS)}")
    tools = tools or find_tools()
    failed: list[tuple[str, str]] = []
    usable: list[Recording] = []
    for rec in recordings:
        why = _unusable(rec)
        if why:
            failed.append((rec.name, why))
        else:
            usable.append(rec)
    with tempfile.TemporaryDirectory(prefix="callbot-enroll-") as tmp:
        work = Path(tmp)
        hmm = _trainable_model(work / "hmm", tools)
        sayable = _write_dictionary(work / "enroll.dict", {w for rec in usable for w in words(rec.text)})
        for rec in [r for r in usable if not set(words(r.text)) <= sayable]:
            unknown = ", ".join(sorted(set(words(rec.text)) - sayable))
            failed.append((rec.name, f"no pronunciation for {unknown}"))
            usable.remove(rec)
        ids = {f"u{i:03d}": rec for i, rec in enumerate(usable)}
        for uid, rec in ids.items():
            _write_wav(work / f"{uid}.wav", rec.audio)
        (work / "fileids").write_text("".join(f"{uid}\n" for uid in ids))
        (work / "transcription").write_text(
            "".join(f"<s> {' '.join(words(rec.text))} </s> ({uid})\n" for uid, rec in ids.items())
        )
        _run(
            [
                tools["sphinx_fe"],
                *("-argfile", str(hmm / "feat.params"), "-samprate", "16000", "-c", "fileids"),
                *("-di", ".", "-do", ".", "-ei", "wav", "-eo", "mfc", "-mswav", "yes"),
            ],
            work,
        )
        log = _run(
            [
                tools["bw"],
                *("-hmmdir", str(hmm), "-moddeffn", str(hmm / "mdef.txt"), "-ts2cbfn", ".ptm."),
                *_feature_options(hmm / "feat.params"),
                *("-dictfn", "enroll.dict", "-fdictfn", str(hmm / "noisedict")),
                *("-ctlfn", "fileids", "-lsnfn", "transcription", "-accumdir", "."),
                *("-abeam", BEAM, "-bbeam", BEAM),
            ],
            work,
        )
        lost = set(re.findall(r"(u\d{3}) ignored", log))
        why = "it did not fit its sentence (misread, cut off or noisy?)"
        failed += [(ids[uid].name, why) for uid in sorted(lost)]
        used = [rec.name for uid, rec in ids.items() if uid not in lost]
        if len(used) < minimum:
            detail = "; ".join(f"{name}: {why}" for name, why in failed) or "none failed"
            raise SpeechError(
                f"only {len(used)} of {len(recordings)} recordings are usable, at least {minimum} are needed "
                f"({detail})"
            )
        made = work / "made"
        made.mkdir()
        _solve(method, hmm, work, made / METHODS[method], tools)
        SphinxEngine.check_adaptation(made / METHODS[method])  # one pocketsphinx refuses is never kept
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / METHODS[method]
        shutil.copyfile(made / METHODS[method], target.with_suffix(".part"))
    target.with_suffix(".part").replace(target)
    for other in METHODS.values():  # the voice's directory holds one adaptation: the one just made
        if other != target.name:
            (out_dir / other).unlink(missing_ok=True)
    return Adaptation(target, tuple(used), tuple(failed))


def _solve(method: str, hmm: Path, work: Path, out: Path, tools: dict[str, str]) -> None:
    """The adaptation from bw's counts in `work`."""
    if method == "mllr":
        command = [
            tools["mllr_solve"],
            *("-meanfn", str(hmm / "means"), "-varfn", str(hmm / "variances")),
            *("-outmllrfn", str(out), "-accumdir", "."),
        ]
    else:
        adapted = work / "map"
        adapted.mkdir()
        command = [
            tools["map_adapt"],
            *("-moddeffn", str(hmm / "mdef.txt"), "-ts2cbfn", ".ptm.", "-accumdir", "."),
            *("-meanfn", str(hmm / "means"), "-varfn", str(hmm / "variances")),
            *("-mixwfn", str(hmm / "mixture_weights"), "-tmatfn", str(hmm / "transition_matrices")),
            *("-mapmeanfn", str(out), "-mapvarfn", str(adapted / "variances")),
            *(
                "-mapmixwfn",
                str(adapted / "mixture_weights"),
                "-maptmatfn",
                str(adapted / "transition_matrices"),
            ),
        ]
    _run(command, work)


def _unusable(rec: Recording) -> str:
    if rec.audio.sample_rate != 16000:
        return "not 16 kHz audio"
    if rec.audio.seconds < MIN_SECONDS:
        return "too short"
    samples = array("h", rec.audio.pcm[: len(rec.audio.pcm) // 2 * 2])
    if max(map(abs, samples), default=0) < 300:  # under -40 dBFS at its loudest: nobody spoke
        return "silent"
    if not words(rec.text):
        return "no sentence"
    return ""


def _run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace", check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise SpeechError(f"{Path(command[0]).name} failed (exit {done.returncode}): {tail}")
    return done.stdout + done.stderr


def _feature_options(feat_params: Path) -> list[str]:
    """bw's feature options from the model's feat.params (its -feat, -svspec, -cmn, -agc, -varnorm, -lda)."""
    wanted = {"-feat", "-svspec", "-cmn", "-agc", "-varnorm", "-lda", "-ldadim"}
    options: list[str] = []
    tokens = feat_params.read_text().split()
    for key, value in zip(tokens[::2], tokens[1::2], strict=False):
        if key in wanted:
            options += [key, value]
    return options


def _trainable_model(hmm: Path, tools: dict[str, str]) -> Path:
    """The wheel's model as bw reads it: its files, the model definition as text, the mixture weights."""
    source = Path(model_dir())
    hmm.mkdir(parents=True)
    for part in ("feat.params", "means", "variances", "transition_matrices", "noisedict", "mdef"):
        (hmm / part).symlink_to(source / part)
    _run([tools["pocketsphinx_mdef_convert"], "-text", str(source / "mdef"), str(hmm / "mdef.txt")], hmm)
    if (source / "mixture_weights").exists():
        (hmm / "mixture_weights").symlink_to(source / "mixture_weights")
    else:
        sendump_to_mixture_weights(source / "sendump", hmm / "mixture_weights")
    return hmm


def sendump_to_mixture_weights(sendump: Path, out: Path) -> None:
    """Unpack a semi-continuous model's quantised mixture weights into a sphinxtrain mixture_weights file.

    sendump: a header of strings, then (feature, codeword) rows of one byte per senone, each byte a
    -log weight (base 1.0001) shifted right by mixw_shift bits. The s3 file is [senone][feature][codeword]
    floats; no checksum line, so none has to be computed.
    """
    data = sendump.read_bytes()
    pos = 0

    def string() -> bytes | None:
        nonlocal pos
        (n,) = struct.unpack_from("<I", data, pos)
        pos += 4
        text = data[pos : pos + n - 1] if n else None
        pos += n
        return text

    string()  # the title
    header: dict[str, int] = {}
    while (line := string()) is not None:
        key, _, value = line.decode("ascii", "replace").partition(" ")
        if value.strip().isdigit():
            header[key] = int(value)
    if header.get("cluster_count", 0):
        raise SpeechError(f"{sendump}: clustered mixture weights are not supported")
    codewords, senones = struct.unpack_from("<II", data, pos)
    pos += 8
    features, shift = header.get("feature_count", 1), header.get("mixw_shift", 10)
    table = [math.pow(1.0001, -(b << shift)) for b in range(256)]
    per_feature = []
    for f in range(features):
        rows = [
            data[pos + (f * codewords + c) * senones : pos + (f * codewords + c + 1) * senones]
            for c in range(codewords)
        ]
        per_feature.append(list(zip(*rows, strict=True)))  # [senone] -> that senone's codeword bytes
    weights = array("f")
    for s in range(senones):
        for f in range(features):
            w = [table[b] for b in per_feature[f][s]]
            total = sum(w) or 1.0
            weights.extend(x / total for x in w)
    head = b"s3\nversion 1.0\n"
    pad = b" " * ((4 - (len(head) + len(b"endhdr\n")) % 4) % 4)  # the data starts on a 4-byte boundary
    with open(out, "wb") as fh:
        fh.write(head + pad + b"endhdr\n" + struct.pack("<i", 0x11223344))
        fh.write(struct.pack("<IIII", senones, features, codewords, len(weights)))
        if weights.itemsize != 4:  # pragma: no cover - float is 32-bit on every platform pocketsphinx runs on
            raise SpeechError("this platform's float is not 32-bit")
        weights.tofile(fh)


def _write_dictionary(path: Path, needed: set[str]) -> set[str]:
    """The sentences' words with every pronunciation CMUdict has, espeak-ng's guess for the others; the words
    it could write."""
    lines = []
    found: set[str] = set()
    with open(dictionary_path(), encoding="utf-8") as fh:
        for line in fh:
            word = line.split(" ", 1)[0]
            if word.split("(")[0] in needed:
                lines.append(line.rstrip("\n"))
                found.add(word.split("(")[0])
    guessed = pronounce.guess(sorted(needed - found)) if needed - found else {}
    lines += [f"{w} {phones}" for w, phones in guessed.items()]
    path.write_text("\n".join(sorted(lines)) + "\n")
    return found | set(guessed)


def _write_wav(path: Path, clip: AudioClip) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(clip.sample_rate)
        out.writeframes(clip.pcm)
