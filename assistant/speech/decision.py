"""One calibrated decision for a heard command.

What both engines say about a reading of the command (the grammar's, or Whisper's own) is put as numbers
(`Evidence`), and a logistic model fitted on a spoken corpus turns them into the probability that acting on
that reading does what the user asked. The threshold for acting without asking is read off the model's own
curve of dial rate against wrong-dial rate, for the wrong-dial rate the user accepts (`[speech]
wrong_dial_rate`, 0 by default); below `ask_from` callbot asks to hear it again. `callbot eval --train
CORPUS` fits a model for one's own recordings; the package ships one fitted on the development corpus.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# The evidence, in the order the model weighs it. Margins are clipped: a sentence Whisper cannot say at
# all scores -inf, which says no more than a very low score.
FEATURES = (
    "grammar_confidence",  # the grammar's path against the free phone loop, 0..1
    "named_confidence",  # the same with a free topic set aside
    "from_grammar",  # this reading is the grammar's (else Whisper's)
    "grammar_means",  # the grammar's reading means this
    "whisper_means",  # Whisper's best reading means this
    "whisper_beam",  # one of Whisper's runners-up means this
    "whisper_names",  # Whisper's best reading names this person (and label), its small words aside
    "whisper_writes",  # Whisper wrote a word of the person's name (not only a word that sounds like it)
    "whisper_confidence",  # Whisper's own, 0..1
    "whisper_sounds_like",  # how alike this reading and Whisper's best sound (Metaphone keys), 0..1
    "repair_unheeded",  # Whisper heard a correction ("..., no, David Kim"); this reading is not its meaning
    "topic_unheard",  # this reading goes on to a topic ("about ...") where Whisper's heard none
    "one_person",  # the reading names one contact to call
    "other_intent",  # the reading is not a call to a contact (redial, hang up, ...)
    "forced_done",  # Whisper was made to say this reading and its rivals
    "forced_margin",  # ... its sentence over the best rival's, mean log-probability per token
    "forced_below_own",  # ... its sentence below what Whisper heard on its own
    "rivals",  # contacts that sound like the heard name
    "name_words",  # words in the person's name
    "name_fit",  # how well the words said fit the person's name (the resolver's score, 0..1)
    "label_agrees",  # Whisper's reading names the same number label, or none as this does
    "snr_db",  # the utterance's signal-to-noise ratio, estimated
    "sphinx_done",  # pocketsphinx fitted this reading's sentence and another's to the audio (speech/align.py)
    "sphinx_margin",  # ... this one's fit over the best other's, per frame
    "book_done",  # Whisper was made to say this reading naming each other contact instead (speech/forced.py)
    "book_margin",  # ... this reading's sentence over the best of those, mean log-probability per token
)
# Worked out from the evidence above, for what a weighted sum cannot see on its own: both engines behind a
# reading is worth more than either alone; a reading only Whisper made, with nothing to check it, less.
DERIVED = {
    "both_engines": lambda v: (
        v.get("grammar_means", 0.0)
        * max(v.get("whisper_means", 0.0), v.get("whisper_beam", 0.0), v.get("whisper_names", 0.0))
    ),
    "whisper_unchecked": lambda v: (1.0 - v.get("grammar_means", 0.0)) * (1.0 - v.get("forced_done", 0.0)),
    "forced_clear": lambda v: v.get("forced_done", 0.0) * float(v.get("forced_margin", 0.0) >= 1.0),
    # the grammar, sure of itself, heard someone else: a reading only Whisper made is then in doubt
    "grammar_against": lambda v: v.get("grammar_confidence", 0.0) * (1.0 - v.get("grammar_means", 0.0)),
    # a margin over rivals means something only when there were rivals to beat
    "margin_over_rivals": lambda v: v.get("forced_margin", 0.0) * float(v.get("rivals", 0.0) > 0),
}
WEIGHED = (*FEATURES, *DERIVED)
# The logistic model's regularisation, chosen on the development corpus's cross-validated curve (checked
# commands acted on at 0 / 0.5 / 1% wrong dials: C=1 47 / 59 / 62%, C=0.1 50 / 57 / 62%, C=0.03 53 / 58 /
# 60%; on the evidence as shipped, C=0.3 48 / 57 / 61%, C=0.1 50 / 57 / 61%, C=0.03 52 / 58 / 60%).
C = 0.1
MARGIN_CLIP = 5.0  # a sphinx margin is per frame on another scale: clipped at twice this


@dataclass
class Evidence:
    """The numbers for one reading; any feature left out is 0."""

    values: dict[str, float] = field(default_factory=dict)

    def vector(self) -> list[float]:
        return [self.value(name) for name in WEIGHED]

    def value(self, name: str) -> float:
        derive = DERIVED.get(name)
        return float(derive(self.values)) if derive else float(self.values.get(name, 0.0))

    def set(self, name: str, value: float | bool) -> None:
        if name not in FEATURES:
            raise KeyError(f"unknown feature {name!r}")
        clip = 2 * MARGIN_CLIP if name.startswith("sphinx") else MARGIN_CLIP
        self.values[name] = max(-clip, min(clip, float(value))) if "margin" in name else float(value)


@dataclass(frozen=True)
class Point:
    """A threshold on the model's curve: the share of commands it acts on, and of those it dials wrongly."""

    threshold: float
    dial_rate: float
    wrong_rate: float


@dataclass(frozen=True)
class Model:
    """A logistic model over standardised features, and its curve on the corpus it was fitted to (each
    command scored by a model fitted without it: cross-validated, so the curve is not flattered)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    curve: tuple[Point, ...] = ()
    ask_from: float = 0.1  # below this, no reading is worth asking about: "say it again"
    trained_on: str = ""

    def probability(self, evidence: Evidence) -> float:
        z = self.bias
        for name, mean, scale, weight in zip(self.features, self.mean, self.scale, self.weights, strict=True):
            z += weight * (evidence.value(name) - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def dial_threshold(self, wrong_dial_rate: float = 0.0) -> float:
        """The lowest probability to act on without asking whose wrong-dial rate on the curve is at most
        `wrong_dial_rate` (and every threshold above it too); 1.0 (always ask) if none is."""
        best = 1.0
        for point in sorted(self.curve, key=lambda p: p.threshold, reverse=True):
            if point.wrong_rate > wrong_dial_rate:
                break
            best = point.threshold
        return best

    def save(self, path: Path) -> None:
        data = asdict(self)
        path.write_text(json.dumps(data, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path | None = None) -> Model:
        path = path or default_model_path()
        try:
            data = json.loads(path.read_text())
            data["curve"] = tuple(Point(**p) for p in data.get("curve", ()))
            for key in ("features", "mean", "scale", "weights"):
                data[key] = tuple(data[key])
            model = cls(**data)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ValueError(
                f"{path}: not a decision model ({exc}); refit it with `callbot eval --train CORPUS`"
            ) from None
        if model.features != WEIGHED:
            raise ValueError(
                f"{path}: fitted on other evidence ({', '.join(model.features)}); "
                "refit it with `callbot eval --train CORPUS`"
            )
        return model


def default_model_path() -> Path:
    return Path(__file__).with_name("decision.json")


def fit(
    rows: Sequence[Evidence],
    right: Sequence[bool],
    dials: Sequence[bool],
    groups: Sequence[str],
    name: str,
    held: Sequence[bool] | None = None,
) -> Model:
    """Fit the model (scikit-learn's logistic regression) on each reading's evidence and whether acting on it
    was right; `dials` marks the readings that would dial someone, `groups` the command each came from,
    `held` those a rule beside the model asks about however likely (never acted on, so never a wrong dial)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    x = np.array([r.vector() for r in rows], dtype=float)
    y = np.array(right, dtype=int)
    if len(set(y.tolist())) < 2:
        raise ValueError("the corpus needs both readings callbot got right and ones it got wrong to fit on")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    def model() -> LogisticRegression:
        return LogisticRegression(C=C, max_iter=2000)

    # Each command scored by a model that never saw it: the curve and the thresholds come from these
    unseen = np.zeros(len(y))
    folds = min(5, len(set(groups)))
    for train, test in GroupKFold(n_splits=folds).split(z, y, groups):
        if len(set(y[train].tolist())) < 2:
            unseen[test] = y[train].mean()
            continue
        unseen[test] = model().fit(z[train], y[train]).predict_proba(z[test])[:, 1]
    final = model().fit(z, y)
    return Model(
        features=WEIGHED,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in final.coef_[0]),
        bias=float(final.intercept_[0]),
        curve=tuple(curve(unseen, y, np.array(dials, dtype=bool), groups, held)),
        ask_from=_ask_from(unseen, y),
        trained_on=name,
    )


def _best_per_command(
    p: Any, y: Any, dials: Any, groups: Sequence[str], held: Sequence[bool]
) -> list[tuple[float, bool, bool, bool]]:
    """The reading callbot would take for each command (the likeliest), with whether it is right."""
    best: dict[str, tuple[float, bool, bool, bool]] = {}
    for prob, ok, dial, group, rule in zip(p, y, dials, groups, held, strict=True):
        if group not in best or prob > best[group][0]:
            best[group] = (float(prob), bool(ok), bool(dial), bool(rule))
    return list(best.values())


def curve(
    p: Any, y: Any, dials: Any, groups: Sequence[str], held: Sequence[bool] | None = None
) -> list[Point]:
    """Dial rate and wrong-dial rate at every threshold, each command taking its likeliest reading (one a
    rule holds back is asked about, whatever the threshold)."""
    taken = _best_per_command(p, y, dials, groups, [False] * len(groups) if held is None else held)
    n = len(taken)
    points = []
    for threshold in sorted({round(t[0], 4) for t in taken} | {1.0}):
        acted = [t for t in taken if t[0] >= threshold and not t[3]]
        wrong = sum(1 for t in acted if t[2] and not t[1])
        points.append(Point(threshold, len(acted) / n, wrong / n))
    return points


def _ask_from(p: Any, y: Any) -> float:
    """Below this probability a reading was right less than one time in five on the corpus: asking "did you
    mean ...?" about it wastes the user's time, so callbot asks to hear the command again."""
    import numpy as np

    p, y = np.asarray(p), np.asarray(y)
    best = 0.05
    for cut in np.linspace(0.05, 0.5, 10):
        below = y[p < cut]
        if len(below) and below.mean() < 0.2:
            best = float(round(cut, 2))
    return best


def snr_db(pcm: bytes) -> float:
    """A rough signal-to-noise ratio: the loudest tenth of 20 ms frames against the quietest tenth."""
    import numpy as np

    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    frame = 320
    if len(samples) < frame * 10:
        return 0.0
    frames = samples[: len(samples) // frame * frame].reshape(-1, frame)
    energy = np.sort((frames**2).mean(axis=1) + 1e-3)
    tenth = max(1, len(energy) // 10)
    return float(10 * np.log10(energy[-tenth:].mean() / energy[:tenth].mean()))
