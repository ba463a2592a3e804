"""`callbot notes`: list spoken notes, retry the transcriptions that failed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import CallbotError
from .shared import out, runtime


def notes_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="saved, pending or discarded.")] = None,
) -> None:
    """Notes with their status, follow-up date and recording."""
    table = Table("ID", "Contact", "When", "Status", "Text", "Follow-up", "Recording")
    for n in runtime(ctx).store.notes(status=status):
        table.add_row(
            str(n.id),
            n.contact_name,
            n.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            n.status,
            n.text,
            f"{n.followup:%a %d %b}" if n.followup else "",
            n.audio_path,
        )
    out.print(table)


def notes_retry(ctx: typer.Context) -> None:
    """Transcribe the notes whose recording was kept but not yet transcribed."""
    from ..calllog.followups import read_followup
    from ..errors import TranscriptionFailed
    from ..speech.audio import read_audio

    rt = runtime(ctx)
    pending = rt.store.notes(status="pending")
    if not pending:
        out.print("No notes are waiting for transcription.")
        return
    transcriber = rt.note_transcriber(out.print)
    done = 0
    for note in pending:
        try:
            text = transcriber.transcribe(read_audio(Path(note.audio_path))).text.strip()
            if not text:
                raise TranscriptionFailed("no words were recognised")
        except CallbotError as exc:
            out.print(f"note {note.id} ({note.audio_path}): still pending: {exc}")
            continue
        followup = read_followup(text, datetime.now().astimezone())
        rt.store.update_note(note.id, text=text, status="saved", followup=followup)
        done += 1
        out.print(f'note {note.id}: "{text}"' + (f" (follow-up {followup.due:%a %d %b})" if followup else ""))
    out.print(f"{done} of {len(pending)} pending notes transcribed.")
