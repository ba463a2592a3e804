"""One utterance in progress through the pocketsphinx engine's two Decoders (speech/sphinx.py): the grammar's
and the free phone loop's, fed alongside each other so that both scores are ready when the speech ends."""

from __future__ import annotations

import math
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sphinx import SphinxEngine


# The audio that sets an utterance's cepstral mean (see SphinxStream). Decoding each command with the mean
# of the previous ones, as pocketsphinx does live, halved what it heard right in noise when the noise
# changed between commands (dev corpus, grammar alone: noisy dial commands 38 -> 65 of 183 right).
CHANNEL_S = 1.0
CHANNEL_BYTES = int(CHANNEL_S * 16000) * 2


@dataclass(frozen=True)
class Decoded:
    text: str
    alternatives: tuple[str, ...]
    ratio: float | None  # None: nothing decoded
    seconds: float  # spent after the audio ended
    free_from: int | None = None  # the first word of free speech (a topic), as a word index of `text`
    named_ratio: float | None = None  # the ratio with the free speech scored as the phone loop scores it
    free_ratio: float | None = None  # the free speech's own ratio: how well the grammar's words for it fit


class SphinxStream:
    """One utterance in progress: audio is decoded as it arrives, so the answer is ready when speech ends.

    Decoding starts once CHANNEL_S of audio is in: that first second (the pause before the phrase and its
    first syllables) sets the cepstral mean the utterance is decoded with, so each command is heard on its
    own channel and noise rather than on whatever the last one sounded like.
    """

    def __init__(self, engine: SphinxEngine, search: str):
        self.engine = engine
        self.compute = 0.0  # seconds spent decoding, for the real-time factor
        self._held: list[bytes] = []  # audio before decoding starts
        self._held_bytes = 0
        self._decoding = False
        engine.lock.acquire()
        try:
            engine.decoder.activate_search(search)
        except BaseException:
            engine.lock.release()
            raise
        self._open = True

    def feed(self, pcm: bytes) -> None:
        started = time.perf_counter()
        if self._decoding:
            self._process(pcm)
        else:
            self._held.append(pcm)
            self._held_bytes += len(pcm)
            if self._held_bytes >= CHANNEL_BYTES:
                self._start()
        self.compute += time.perf_counter() - started

    def _start(self) -> None:
        """Set the channel from the audio held so far, then decode it and everything after it."""
        engine = self.engine
        held = b"".join(self._held)
        self._held = []
        cmn = None
        if held:  # the cepstral mean of its first CHANNEL_S, by a pass over that alone
            engine.loop.reinit_feat()
            engine.loop.start_utt()
            engine.loop.process_raw(held[:CHANNEL_BYTES], False, True)
            engine.loop.end_utt()
            cmn = engine.loop.get_cmn(False)
        for decoder in (engine.decoder, engine.loop):
            decoder.reinit_feat()  # a fresh front end: nothing of the last utterance's noise carries over
            if cmn:
                decoder.set_cmn(cmn)
            decoder.start_utt()
        self._decoding = True
        if held:
            self._process(held)

    def _process(self, pcm: bytes) -> None:
        self.engine.decoder.process_raw(pcm, False, False)
        self.engine.loop.process_raw(pcm, False, False)

    def finish(self, free_after: Collection[str] = ()) -> Decoded:
        """The utterance's best sentence and how well it fits against the phone loop. What follows one of
        `free_after` ("about") is free speech the grammar can only approximate (a topic): `named_ratio` scores
        it as fitting as well as the phone loop, so that a topic nobody listed need not sink the command's
        confidence once another engine has heard one there.
        """
        started = time.perf_counter()
        engine = self.engine
        free_from = None
        try:
            if not self._decoding:  # shorter than CHANNEL_S ("yes", "cancel"): all of it sets the channel
                self._start()
            engine.decoder.end_utt()
            engine.loop.end_utt()
            self._decoding = False
            frames = engine.decoder.n_frames()
            text, score = _best(engine.decoder)
            alternatives: tuple[str, ...] = ()
            ratio = named_ratio = free_ratio = None
            if text:
                alternatives = engine.runners_up(text) if engine.nbest else ()
                loop = _best(engine.loop)[1]
                ratio = (score - loop) / max(frames, 1)
                free_from, frame = _free_speech(engine.decoder, text, free_after)
                if frame is not None:
                    free = _score_from(engine.decoder, frame) - _score_from(engine.loop, frame)
                    named_ratio = (score - loop - free) / max(frames, 1)
                    free_ratio = free / max(frames - frame, 1)
        finally:
            self._open = False
            engine.lock.release()
        elapsed = time.perf_counter() - started
        self.compute += elapsed
        return Decoded(text, alternatives, ratio, elapsed, free_from, named_ratio, free_ratio)

    def cancel(self) -> None:
        if self._open:
            try:
                if self._decoding:
                    self.engine.decoder.end_utt()
                    self.engine.loop.end_utt()
            finally:
                self._decoding = self._open = False
                self.engine.lock.release()


def _free_speech(decoder: Any, text: str, free_after: Collection[str]) -> tuple[int | None, int | None]:
    """(the word index in `text`, the frame) where free speech begins: after the first of `free_after`."""
    if not free_after or not set(text.split()) & set(free_after):
        return None, None
    spoken = [
        s for s in decoder.seg() if unmarked(s.word) in text.split() and not s.word.startswith(("<", "["))
    ]
    for index, seg in enumerate(spoken):
        if unmarked(seg.word) in free_after and index + 1 < len(spoken):
            return index + 1, int(seg.end_frame) + 1
    return None, None


def _best(decoder: Any) -> tuple[str, float]:
    """The decoder's best sentence and its log score."""
    hyp = decoder.hyp()
    if hyp is None or not hyp.hypstr.strip():
        return "", -math.inf
    score = decoder.logmath.log(hyp.score) if hyp.score > 0 else -math.inf
    return unmarked(hyp.hypstr), score


def _score_from(decoder: Any, frame: int) -> float:
    """The log score of the decoder's best path from `frame` on (acoustic and language)."""
    log = decoder.logmath.log
    return float(sum(log(s.ascore) + log(s.lscore) for s in decoder.seg() if s.start_frame >= frame))


def unmarked(hypstr: str) -> str:
    """Drop pronunciation-variant markers: "smith(2)" -> "smith"."""
    return " ".join(w.split("(")[0] for w in hypstr.split())
