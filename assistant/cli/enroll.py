"""`callbot enroll`: the rep reads prompted sentences once; commands are heard in that voice from then on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import SpeechError
from .shared import out, runtime

if TYPE_CHECKING:
    from ..speech.adapt import Recording

RECORDINGS = "recordings"  # a rep's enrollment, kept for --refresh
PHRASE_LIMIT = 15.0  # seconds: the longest sentence, read slowly


def enroll(
    ctx: typer.Context,
    audio: Annotated[
        Path | None,
        typer.Option(
            help="Take the sentences from WAV/FLAC/AIFF files in this directory, in name order, instead of "
            "the microphone (its prompts.txt, if any, says what they are).",
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="Adapt again from the kept recordings and the commands you confirmed, without reading.",
        ),
    ] = False,
    rep: Annotated[str | None, typer.Option(help="Whose voice (default: the rep in your settings).")] = None,
    method: Annotated[
        str, typer.Option(help="map (moves each sound towards your voice) or mllr (one transform for all).")
    ] = "map",
) -> None:
    """Adapt the recogniser to your voice: read about 30 sentences once (or give their recordings)."""
    from ..speech.adapt import METHODS, adapt, find_tools

    rt = runtime(ctx)
    if method not in METHODS:
        raise SpeechError(f"--method {method}: use {' or '.join(METHODS)}")
    tools = find_tools()  # before anybody reads 30 sentences for nothing
    voice = rt.settings.voice_dir(rep)
    if refresh:
        recordings = kept(voice)
        if not recordings:
            raise SpeechError(f"nothing to refresh from in {voice}: run callbot enroll first")
    elif audio is not None:
        recordings = from_files(audio)
    else:
        recordings = from_microphone(voice / RECORDINGS, rt.settings.speech.listen_timeout)
    out.print(f"Adapting the recogniser to {len(recordings)} recordings ...")
    done = adapt(recordings, voice, tools=tools, method=method)
    if audio is not None and not refresh:
        keep(recordings, voice / RECORDINGS)  # for the next --refresh, once they made an adaptation
    for name, why in done.failed:
        out.print(f"  left out {name}: {why}")
    out.print(
        f"Adapted to your voice from {len(done.used)} of {len(recordings)} recordings: {done.path}. "
        "callbot listen hears commands with it from now on."
    )


def from_files(directory: Path) -> list[Recording]:
    """The directory's recordings in name order, each paired with its sentence."""
    from ..speech.adapt import Recording, sentences
    from ..speech.audio import AUDIO_SUFFIXES, read_audio

    if not directory.is_dir():
        raise SpeechError(f"{directory} is not a directory of recordings")
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in AUDIO_SUFFIXES)
    prompts = directory / "prompts.txt"
    said = sentences(prompts) if prompts.exists() else sentences()
    if not files:
        raise SpeechError(f"{directory} has no audio files")
    if len(files) > len(said):
        raise SpeechError(
            f"{directory} has {len(files)} recordings but there are {len(said)} sentences: "
            "one recording per sentence, in order"
        )
    if len(files) < len(said):
        out.print(f"{len(files)} recordings: the first {len(files)} of the {len(said)} sentences.")
    return [Recording(f.name, text, read_audio(f)) for f, text in zip(files, said, strict=False)]


def keep(recordings: list[Recording], folder: Path) -> None:
    """The recordings and their sentences under the rep's voice, for the next --refresh."""
    from ..speech.audio import write_wav

    for old in [*folder.glob("*.wav"), *folder.glob("*.txt")]:
        old.unlink()
    for i, rec in enumerate(recordings, start=1):
        write_wav(folder / f"{i:02d}.wav", rec.audio)
        (folder / f"{i:02d}.txt").write_text(rec.text + "\n")


def from_microphone(keep: Path, timeout: float) -> list[Recording]:
    """Prompt each sentence, record it, and keep it (so --refresh needs no second reading)."""
    from ..speech.adapt import Recording, sentences
    from ..speech.audio import MicrophoneSource, write_wav

    said = sentences()
    source = MicrophoneSource()
    recordings = []
    out.print(f"Read each sentence aloud as you would speak to callbot ({len(said)} sentences).")
    try:
        for i, text in enumerate(said, start=1):
            clip = None
            for _attempt in range(3):
                out.print(f"[bold]{i}/{len(said)}[/]  {text}")
                clip = source.capture(timeout, PHRASE_LIMIT)
                if clip is not None:
                    break
                out.print("Nothing heard: read it again.")
            if clip is None:
                out.print("Skipped.")
                continue
            name = f"{i:02d}"
            write_wav(keep / f"{name}.wav", clip)
            (keep / f"{name}.txt").write_text(text + "\n")
            recordings.append(Recording(name, text, clip))
    finally:
        source.close()
    return recordings


def kept(voice: Path) -> list[Recording]:
    """The rep's kept enrollment and confirmed commands: each NAME.wav beside its NAME.txt."""
    from ..speech.adapt import Recording
    from ..speech.audio import read_audio
    from ..speech.confirmed import FOLDER

    found = []
    for folder in (voice / RECORDINGS, voice / FOLDER):
        for wav in sorted(folder.glob("*.wav")):
            text = wav.with_suffix(".txt")
            if text.exists():
                found.append(
                    Recording(f"{folder.name}/{wav.name}", text.read_text().strip(), read_audio(wav))
                )
    return found
