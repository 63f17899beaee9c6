"""Which row of a grid (a sheet, a CSV file) holds the column headers.

A header is context for the detectors (``Segment.column_header``): a cell under ``身份证号``
is an identifier even when its check character is wrong, a cell under ``姓名`` is a name. A
published list usually starts with a title row (one merged cell: ``2023年某镇低保公示名单``),
then one header row, then data. The header row is the first of the top rows with at least two
non-empty cells, none of them mostly digits (data rows carry numbers, IDs, phones) and at most
half of them with a digit at all (``2023年收入`` is a header).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

SCAN_ROWS = 20
_DIGIT = re.compile(r"[0-9０-９]")


def looks_like_header(cells: Sequence[str | None]) -> bool:
    filled = [c.strip() for c in cells if c and c.strip()]
    if len(filled) < 2 or any(len(c) > 40 or 2 * len(_DIGIT.findall(c)) >= len(c) for c in filled):
        return False
    return 2 * sum(1 for c in filled if _DIGIT.search(c)) <= len(filled)


def header_row(rows: Sequence[Sequence[str | None]]) -> int | None:
    """Index (into ``rows``) of the header row among the first ``SCAN_ROWS``, or None."""
    for i, cells in enumerate(rows[:SCAN_ROWS]):
        if looks_like_header(cells):
            return i
    return None
