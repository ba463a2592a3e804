"""Contact resolution at scale: callbot's resolver against rapidfuzz's extractOne(WRatio), side by side.

For each book size the same perturbed queries go through both; each figure is the median over RUNS runs.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from rapidfuzz import fuzz, process

from assistant.contacts.names import Nicknames
from assistant.contacts.resolver import Resolver
from assistant.models import Action, Contact, PhoneNumber

from .names import book, perturb

SIZES = (1_000, 10_000, 100_000)
QUERIES = 300
RUNS = 3


def contacts(size: int) -> list[Contact]:
    return [
        Contact(name, (PhoneNumber(f"+1415{i:07d}"),), company=company, id=i, source_key=f"bench:{i}")
        for i, (name, company) in enumerate(book(size))
    ]


def queries(people: list[Contact], seed: int) -> list[tuple[str, Contact]]:
    rng = random.Random(seed)
    return [(perturb(c.name, rng)[0], c) for c in rng.sample(people, QUERIES)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def one_run(resolver: Resolver, names: list[str], asked: list[tuple[str, Contact]]) -> dict[str, float]:
    ours: list[float] = []
    base: list[float] = []
    right = base_right = wrong_dials = asks = 0
    for query, wanted in asked:
        started = time.perf_counter()
        ranked = resolver.rank([query])
        ours.append(time.perf_counter() - started)
        right += bool(ranked) and ranked[0].contact.id == wanted.id
        resolution = resolver.resolve([query])
        dialled = resolution.contact if resolution.action == Action.DIAL else None
        wrong_dials += dialled is not None and dialled.id != wanted.id
        asks += resolution.action == Action.ASK

        started = time.perf_counter()
        best = process.extractOne(query, names, scorer=fuzz.WRatio)
        base.append(time.perf_counter() - started)
        base_right += best is not None and best[2] == wanted.id
    n = len(asked)
    return {
        "p50_ms": 1000 * percentile(ours, 50),
        "p95_ms": 1000 * percentile(ours, 95),
        "top1": right / n,
        "wrong_dial": wrong_dials / n,
        "asks": asks / n,
        "base_p50_ms": 1000 * percentile(base, 50),
        "base_p95_ms": 1000 * percentile(base, 95),
        "base_top1": base_right / n,
    }


def run(sizes: tuple[int, ...] = SIZES, runs: int = RUNS) -> list[dict[str, Any]]:
    rows = []
    nicknames = Nicknames()
    for size in sizes:
        people = contacts(size)
        names = [c.name for c in people]
        started = time.perf_counter()
        resolver = Resolver(people, nicknames)
        build = time.perf_counter() - started
        results = [one_run(resolver, names, queries(people, seed)) for seed in range(runs)]
        row: dict[str, Any] = {"contacts": size, "queries": QUERIES, "runs": runs, "index_s": build}
        for key in results[0]:
            row[key] = statistics.median(r[key] for r in results)
        row["speedup_p95"] = row["base_p95_ms"] / row["p95_ms"]
        rows.append(row)
        print(
            f"  {size:>7} contacts: p50 {row['p50_ms']:.2f} ms, p95 {row['p95_ms']:.2f} ms, "
            f"top-1 {row['top1']:.1%} (extractOne: {row['base_p95_ms']:.1f} ms p95, {row['base_top1']:.1%})",
            flush=True,
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| contacts | p50 ms | p95 ms | top-1 | wrong dial | asks | extractOne p50/p95 ms | extractOne top-1 "
        "| p95 speed-up | index build s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['contacts']:,} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['top1']:.1%} "
            f"| {r['wrong_dial']:.1%} | {r['asks']:.1%} | {r['base_p50_ms']:.1f} / {r['base_p95_ms']:.1f} "
            f"| {r['base_top1']:.1%} | {r['speedup_p95']:.0f}x | {r['index_s']:.1f} |"
        )
    return "\n".join(lines)
