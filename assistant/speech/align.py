"""How well pocketsphinx's acoustic model fits given sentences to a recording: a check of the free-form
engine's reading by the other engine's ears.

Each sentence is aligned to the audio (pocketsphinx's forced alignment) and scored per frame, on the same
channel as the grammar heard it (the cepstral mean of the first second). The scores compare sentences over
one recording: how much better one fits than another is the evidence, not their level (which would take
the free phone loop's score over the same audio, a third decode that their difference cancels). A reading
Whisper made up from a prompt's names, or from noise, fits the sound worse than what was said; the
grammar's sentence, forced into its nearest words, fits worse than Whisper's right one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..contacts.names import fold
from ..errors import SpeechError
from ..models import AudioClip
from .sphinx import SphinxEngine
from .sphinx_stream import CHANNEL_BYTES

_NOT_A_WORD = re.compile(r"[^a-z ]+")


def words(sentence: str) -> list[str]:
    """A sentence as dictionary words: folded (which drops apostrophes), without punctuation or digits."""
    return _NOT_A_WORD.sub(" ", fold(sentence).replace("-", " ")).split()


def fits(engine: SphinxEngine, audio: AudioClip, sentences: Sequence[str]) -> list[float | None]:
    """Each sentence's alignment score per frame, to set against the others' (their difference is the same
    as of their scores over the free phone loop's); None for a sentence it cannot align or say."""
    if not audio.pcm or audio.sample_rate != 16000:
        return [None] * len(sentences)
    said = [words(s) for s in sentences]
    try:
        engine.prepare({w for ws in said for w in ws})
    except SpeechError:
        said = [ws if all(engine.knows(w) for w in ws) else [] for ws in said]
    out: list[float | None] = []
    with engine.lock:
        decoder, loop = engine.decoder, engine.loop
        loop.reinit_feat()
        loop.start_utt()
        loop.process_raw(audio.pcm[:CHANNEL_BYTES], False, True)
        loop.end_utt()
        cmn = loop.get_cmn(False)
        try:
            for text in said:
                if not text:
                    out.append(None)
                    continue
                try:
                    decoder.set_align_text(" ".join(text))
                except (RuntimeError, ValueError):
                    out.append(None)
                    continue
                score = _decode(decoder, audio, cmn)
                frames = max(decoder.n_frames(), 1)
                out.append(None if score is None else score / frames)
        finally:
            decoder.activate_search("phones")  # the grammars' searches are activated per utterance
    return out


def _decode(decoder: Any, audio: AudioClip, cmn: str) -> float | None:
    """The log score of the decoder's best path over the whole recording, on the given channel."""
    decoder.reinit_feat()
    if cmn:
        decoder.set_cmn(cmn)
    decoder.start_utt()
    decoder.process_raw(audio.pcm, False, True)
    decoder.end_utt()
    hyp = decoder.hyp()
    if hyp is None or hyp.score <= 0:
        return None
    return float(decoder.logmath.log(hyp.score))
