"""CSV files as records: the text's encoding, each record with its line, bad ones reported."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from ..errors import ContactsError
from .raw import Problem, RawContact, Row

Detector = Callable[[list[str], str], tuple[str, Callable[[Row], RawContact | None]]]


def decode(data: bytes) -> str:
    """Text from a contacts file: BOM first, then UTF-16 by its NULs, then UTF-8, then Windows-1252."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    head = data[:200]
    if head and head.count(0) > len(head) // 5:
        return data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def records(text: str, path: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """CSV records with their first line; a quote left open is reported and reading resumes after it."""
    lines = text.splitlines(keepends=True)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff("".join(lines[:5]), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    start = 0
    width = None
    while start < len(lines):
        reader = csv.reader(io.StringIO("".join(lines[start:])), dialect)
        restart = None
        line_no = start
        try:
            for record in reader:
                first = line_no + 1
                line_no = start + reader.line_num
                if width is None:
                    width = len(record)
                spans = line_no - first + 1
                if width and len(record) != width and spans > 1 and any("\n" in v for v in record):
                    problems.append(
                        Problem(
                            path,
                            first,
                            f"a quoted field opened here never closes; read again from line {first + 1}",
                        )
                    )
                    restart = first  # 0-based index of the next line
                    break
                yield first, record
        except csv.Error as exc:
            problems.append(
                Problem(path, line_no + 1, f"unreadable CSV ({exc}); read again from the next line")
            )
            restart = line_no + 1
        if restart is None:
            return
        start = restart


def read_csv(
    text: str, path: str, detect: Detector, row_type: type[Row] = Row
) -> tuple[str, list[RawContact], list[Problem]]:
    problems: list[Problem] = []
    rows = records(text, path, problems)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ContactsError(f"{path} is empty") from None
    fmt, mapper = detect(header, path)
    raws: list[RawContact] = []
    for line, values in rows:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            if fmt == "salesforce" and sum(1 for v in values if v.strip()) <= 1:
                break  # a report export's footer (title, copyright) follows the data
            problems.append(
                Problem(
                    path,
                    line,
                    f"expected {len(header)} fields, found {len(values)} (a stray comma or quote?)",
                )
            )
            continue
        raw = mapper(row_type(header, values, line))
        if raw is not None:
            raws.append(raw)
    return fmt, raws, problems
