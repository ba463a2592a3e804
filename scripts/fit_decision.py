"""Fit the decision model callbot ships on several eval reports at once (one corpus each).

    python scripts/fit_decision.py CORPUS=REPORT.json [CORPUS=REPORT.json ...] [--out PATH]

Each REPORT is `callbot eval CORPUS --json REPORT` of a development corpus; the readings of every command
are labelled afresh against the corpus's expectations and fitted together (`callbot eval --train` does the
same for one corpus). The package's model: the dev set drawn eight times (seeds 7, 1, 11, 43, 97, 101, 3 and
5, 80 utterances each; seed 7 is `make bench`'s).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.calibrate import commands, curve_lines, report_items, train
from assistant.speech.decision import default_model_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="+", help="CORPUS=REPORT.json")
    parser.add_argument("--out", type=Path, default=default_model_path())
    args = parser.parse_args()
    labelled = []
    names = []
    for pair in args.pairs:
        corpus, _, report = pair.partition("=")
        names.append(Path(corpus).name)
        items = [{**i, "id": f"{corpus}:{i['id']}"} for i in report_items(Path(report))]
        labelled += commands(Path(corpus), items)
    model = train(labelled, "+".join(names), args.out)
    print(f"fitted on {len(labelled)} commands of {', '.join(names)}; saved to {args.out}")
    print("\n".join(curve_lines(model)))


if __name__ == "__main__":
    main()
