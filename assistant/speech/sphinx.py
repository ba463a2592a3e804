"""Commands by pocketsphinx: long-lived Decoders, one JSGF search per listening state, and rejection.

A grammar forces any sound into its nearest sentence, so each result is scored against a free phone loop
over the same audio: speech that fits the grammar scores close to the phone loop, speech that does not
(a name not in the book, chatter) scores far below it and is rejected rather than acted on. The phone loop
runs in a second Decoder fed alongside the first, so its score too is ready when the speech ends (decoding
it afterwards took 80 ms of a 3 s command here).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .. import language
from ..errors import MissingExtra, SpeechError
from ..models import AudioClip, Transcript
from . import pronounce
from .grammar import Grammar
from .sphinx_stream import Decoded, SphinxStream, unmarked

# Score per frame of the grammar's best path minus the free phone loop's: at the threshold a result
# gets confidence 0.5. Calibrated on the development corpus (see `callbot eval`).
REJECT_RATIO = -30.0
RATIO_SCALE = 4.0
# A topic the grammar knows, when said, fits about as well as the phone loop: on the development corpus
# the grammar's topic was right in 40 of 41 topic commands whose topic part scored above this per frame,
# and in 25 of 59 below it (where a topic nobody listed, or noise, was forced into the nearest one).
FREE_FITS = -25.0


class SphinxEngine:
    """A pocketsphinx Decoder that decodes 16 kHz PCM against named grammars."""

    name = "sphinx"

    def __init__(
        self,
        *,
        reject_ratio: float = REJECT_RATIO,
        nbest: int = 0,
        adaptation: str | Path | None = None,
        sounds: Mapping[str, Sequence[str]] | None = None,
        **decoder_options: object,
    ):
        """`adaptation`: the model adapted to one voice (`callbot enroll`), as adaptation_options reads it;
        `sounds`: pronunciations to add beside the dictionary's (the language's `sounds` by default)."""
        try:
            from pocketsphinx import Decoder, get_model_path
        except ImportError:  # pragma: no cover - pocketsphinx is a core dependency
            raise MissingExtra("pocketsphinx", "all") from None
        if adaptation is not None:
            decoder_options = {**decoder_options, **adaptation_options(adaptation)}
        options = {
            "hmm": get_model_path("en-us/en-us"),
            "dict": get_model_path("en-us/cmudict-en-us.dict"),
            "lm": None,
            "samprate": 16000,
            "loglevel": "FATAL",
            "bestpath": False,  # the lattice pass truncates grammar results; Viterbi's best path is better
            # Wider beams than the defaults: names that sound alike survive to the end of the utterance.
            # It costs about 40% more computing, spent while the user is still speaking.
            "beam": 1e-80,
            "wbeam": 1e-60,
            "pbeam": 1e-80,
            **decoder_options,
        }
        try:
            self.decoder = Decoder(**options)
        except (RuntimeError, ValueError) as exc:
            if adaptation is None:
                raise
            raise SpeechError(f"the voice adaptation {adaptation} could not be loaded ({exc})") from None
        self.adaptation = Path(adaptation) if adaptation is not None else None
        self.decoder.add_allphone_file("phones", None)
        self.decoder.activate_search("phones")
        self.loop = Decoder(**{**options, "dict": None})  # phones need no dictionary
        self.loop.add_allphone_file("phones", None)
        self.loop.activate_search("phones")
        self.reject_ratio = reject_ratio
        self.nbest = nbest
        self._added: set[str] = set()
        for word, variants in (language.sounds() if sounds is None else sounds).items():
            for phones in variants:
                self._add_variant(word, phones)
        self._searches: dict[str, str] = {}  # grammar name -> current search name
        self._generation = 0
        self._lock = threading.Lock()  # one decoder: one utterance at a time

    @staticmethod
    def check_adaptation(path: str | Path) -> None:
        """SpeechError unless pocketsphinx loads this adaptation with its model. In a child process: on some
        malformed files pocketsphinx ends the process rather than raising."""
        options = adaptation_options(path)
        load = (
            "import json, sys\n"
            "from pocketsphinx import Decoder, get_model_path\n"
            "Decoder(hmm=get_model_path('en-us/en-us'), dict=get_model_path('en-us/cmudict-en-us.dict'),"
            " lm=None, loglevel='ERROR', **json.loads(sys.argv[1]))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", load, json.dumps(options)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            said = [ln for ln in done.stderr.splitlines() if ln.strip()]
            raise SpeechError(
                f"pocketsphinx cannot load the voice adaptation {path} ({said[-1] if said else 'no reason'})"
            )

    def load(self, grammars: Iterable[Grammar]) -> None:
        """Add (or replace) grammars; words the dictionary lacks get pronunciations first."""
        grammars = list(grammars)
        with self._lock:
            self._add_words(set().union(*(g.words for g in grammars)) if grammars else set())
            self._generation += 1
            self.decoder.activate_search("phones")  # never replace the active search
            for grammar in grammars:
                search = f"{grammar.name}_{self._generation}"
                try:
                    self.decoder.add_jsgf_string(search, grammar.jsgf)
                except (ValueError, RuntimeError) as exc:
                    raise SpeechError(f"the {grammar.name} grammar could not be built: {exc}") from None
                old = self._searches.get(grammar.name)
                self._searches[grammar.name] = search
                if old:
                    self.decoder.remove_search(old)

    @property
    def lock(self) -> threading.Lock:
        """Held while an utterance is decoded: one Decoder, one utterance at a time."""
        return self._lock

    def prepare(self, words: Iterable[str]) -> None:
        """Pronunciations for words the dictionary lacks (another engine's reading), before aligning. The
        phone loop is made the active search first: adding words rebuilds the active search, and a grammar's
        takes as long as loading it."""
        with self._lock:
            self.decoder.activate_search("phones")
            self._add_words(set(words))

    def has(self, grammar_name: str) -> bool:
        return grammar_name in self._searches

    def knows(self, word: str) -> bool:
        """Whether the pronunciation dictionary has this word."""
        return self.decoder.lookup_word(word) is not None

    def _add_words(self, words: set[str]) -> None:
        missing = sorted(w for w in words - self._added if self.decoder.lookup_word(w) is None)
        if not missing:
            return
        guessed = pronounce.guess(missing)
        unsayable = [w for w in missing if w not in guessed]
        if unsayable:
            raise SpeechError(f"no pronunciation for {', '.join(unsayable)}")
        for i, word in enumerate(missing):
            self.decoder.add_word(word, guessed[word], i == len(missing) - 1)
            self._added.add(word)

    def _add_variant(self, word: str, phones: str) -> None:
        """Another way to say a word the dictionary has, beside its own (`word(2)`, `word(3)` ...)."""
        variant = word
        n = 2
        while (known := self.decoder.lookup_word(variant)) is not None:
            if known == phones:
                return
            variant = f"{word}({n})"
            n += 1
        try:
            self.decoder.add_word(variant, phones, True)
        except RuntimeError:
            raise SpeechError(
                f"cannot add the pronunciation {phones!r} of {word!r} (intents' `sounds`): "
                "write it in the recogniser's ARPAbet phones, as in M OW B AY L"
            ) from None

    def start(self, grammar_name: str) -> SphinxStream:
        """Begin an utterance: feed it audio while it is being spoken, then finish it."""
        if grammar_name not in self._searches:
            raise SpeechError(f"no {grammar_name} grammar is loaded")
        return SphinxStream(self, self._searches[grammar_name])

    def decode(self, audio: AudioClip, grammar_name: str) -> Decoded:
        """Decode a whole recorded utterance."""
        if audio.sample_rate != 16000:
            raise SpeechError("pocketsphinx needs 16 kHz audio")
        stream = self.start(grammar_name)
        stream.feed(audio.pcm)
        return stream.finish()

    def runners_up(self, best: str) -> tuple[str, ...]:
        """Runners-up from the lattice; off by default: with wide beams the A* search can take seconds."""
        seen = [best]
        try:
            for i, hyp in enumerate(self.decoder.nbest()):
                if hyp is None or i > 50:
                    break
                text = unmarked(hyp.hypstr)
                if text and text not in seen:
                    seen.append(text)
                if len(seen) > self.nbest:
                    break
        except (RuntimeError, ValueError):
            pass
        return tuple(seen[1:])

    def confidence(self, ratio: float | None) -> float:
        """0..1 from the phone-loop ratio; 0.5 at the rejection threshold."""
        if ratio is None:
            return 0.0
        return 1.0 / (1.0 + math.exp(-(ratio - self.reject_ratio) / RATIO_SCALE))

    def transcript(self, decoded: Decoded) -> Transcript:
        return Transcript(
            decoded.text,
            decoded.alternatives,
            self.confidence(decoded.ratio),
            engine="sphinx",
            free_from=decoded.free_from,
            named_confidence=self.confidence(decoded.named_ratio)
            if decoded.named_ratio is not None
            else None,
            free_fits=decoded.free_ratio is not None and decoded.free_ratio >= FREE_FITS,
        )


# What `callbot enroll` writes, and the Decoder option that loads it: MAP-adapted Gaussian means (they
# replace the model's own) or an MLLR transform (applied to the model's means as they load).
ADAPTATION_FILES = {"means": "mean", "mllr_matrix": "mllr"}


def adaptation_options(path: str | Path) -> dict[str, str]:
    """Decoder options for an adaptation: a voice's directory (what it holds), a `means` file, or an MLLR
    transform (a file by any other name)."""
    path = Path(path)
    if not path.is_dir():
        found = {ADAPTATION_FILES.get(path.name, "mllr"): str(path)}
    else:
        found = {o: str(path / name) for name, o in ADAPTATION_FILES.items() if (path / name).is_file()}
    if not found:
        raise SpeechError(f"{path} holds no voice adaptation ({' or '.join(ADAPTATION_FILES)})")
    if "mean" in found:
        _check_means(Path(found["mean"]))
    return found


def _check_means(path: Path) -> None:
    """pocketsphinx ends the whole process on a malformed means file: one that is not this model's shape is
    refused here instead (an s3 file, exactly as long as the model's own)."""
    own = Path(model_dir()) / "means"
    try:
        head = path.read_bytes()[:1024]
        fits = head.startswith(b"s3\n") and b"endhdr\n" in head and path.stat().st_size == own.stat().st_size
    except OSError as exc:
        raise SpeechError(f"the voice adaptation {path} could not be read ({exc.strerror})") from None
    if not fits:
        raise SpeechError(f"the voice adaptation {path} could not be loaded (not means for this model)")


def model_dir() -> str:
    """The acoustic model the recogniser uses (en-us, as the wheel ships it)."""
    from pocketsphinx import get_model_path

    return str(get_model_path("en-us/en-us"))


def dictionary_path() -> str:
    """The pronunciation dictionary the recogniser uses (CMUdict, as the wheel ships it)."""
    from pocketsphinx import get_model_path

    return str(get_model_path("en-us/cmudict-en-us.dict"))


class SphinxDictation:
    """Notes by pocketsphinx's general English language model: the fallback when Whisper is not installed."""

    name = "sphinx-dictation"

    def __init__(self) -> None:
        from pocketsphinx import Decoder, get_model_path

        self.decoder = Decoder(
            hmm=get_model_path("en-us/en-us"),
            dict=get_model_path("en-us/cmudict-en-us.dict"),
            lm=get_model_path("en-us/en-us.lm.bin"),
            samprate=16000,
            loglevel="FATAL",
        )
        self._lock = threading.Lock()

    def transcribe(
        self, audio: AudioClip, prompt: str = "", hotwords: str = "", *, quick: bool = False
    ) -> Transcript:
        with self._lock:
            d = self.decoder
            d.start_utt()
            d.process_raw(audio.pcm, False, True)
            d.end_utt()
            hyp = d.hyp()
        text = unmarked(hyp.hypstr) if hyp is not None else ""
        return Transcript(" ".join(w for w in text.split() if not w.startswith(("<", "["))), engine=self.name)
