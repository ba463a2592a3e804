"""`callbot voicemail`: the recorded messages dropped on answering machines while a list is worked."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import CallbotError
from .shared import out, runtime


def voicemail_record(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The message's name, e.g. default or follow-up.")] = "default",
    file: Annotated[
        Path | None, typer.Option(help="Use this WAV recording instead of the microphone.")
    ] = None,
    default: Annotated[
        bool, typer.Option("--default", help="Make it the message dropped from now on.")
    ] = False,
    seconds: Annotated[float, typer.Option(help="The longest message, from the microphone.")] = 45,
) -> None:
    """Record a voicemail message once (from the microphone, or a WAV file); the first one is the default."""
    box = runtime(ctx).voicemails()
    if file is not None:
        message = box.add(name, file, default=default)
    else:
        from ..speech.audio import MicrophoneSource, write_wav

        out.print("Speak your voicemail message now; it ends when you stop talking.")
        source = MicrophoneSource()
        try:
            clip = source.capture(timeout=10, phrase_limit=seconds)
        finally:
            source.close()
        if clip is None:
            raise CallbotError("no speech was heard; run callbot voicemail record again and speak")
        with tempfile.TemporaryDirectory() as tmp:
            message = box.add(name, write_wav(Path(tmp) / "message.wav", clip), default=default)
    current = box.default()
    tag = " (the default)" if current is not None and current.name == message.name else ""
    out.print(f"Voicemail {message.name!r} kept at {message.path}{tag}.")


def voicemail_list(ctx: typer.Context) -> None:
    """The recorded messages; the default one is dropped on answering machines."""
    box = runtime(ctx).voicemails()
    current = box.default()
    table = Table("Message", "Default", "File")
    for message in box.messages():
        table.add_row(message.name, "yes" if current and current.name == message.name else "", message.path)
    out.print(table)


def voicemail_default(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="A message's name.")]
) -> None:
    """Choose the message dropped on answering machines."""
    runtime(ctx).voicemails().set_default(name)
    out.print(f"Voicemail {name!r} is the default now.")
