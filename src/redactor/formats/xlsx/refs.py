"""Cell references: A1 <-> (row, col), and the ranges a formula reads.

Only what the writer needs to decide whether a formula's cached value could show a masked
cell: ``formula_ranges`` returns the ranges a formula references (sheet-qualified or not,
``$`` anchors, whole rows and columns, defined names expanded), or None when it cannot tell
(``INDIRECT``/``OFFSET``, structured table references, an unknown name, an external
workbook): the caller then assumes the worst.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_ROW, MAX_COL = 1_048_576, 16_384

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_index(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def col_letters(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_cell(ref: str) -> tuple[int, int] | None:
    """'C5' (or '$C$5') -> (5, 3)."""
    m = _CELL.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)), col_index(m.group(1))


def cell_name(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


@dataclass(frozen=True)
class Area:
    """A rectangle on one sheet (``sheet`` None: the formula's own sheet), 1-based, inclusive.
    ``rel_rows``/``rel_cols``: the reference moves with the formula (no ``$``), which matters
    for shared formulas."""

    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int
    rel_rows: bool = True
    rel_cols: bool = True

    def grown(self, rows: int, cols: int) -> Area:
        """The area a shared formula's relative reference covers over ``rows`` x ``cols`` more cells."""
        return Area(self.sheet, self.r1, self.c1, min(MAX_ROW, self.r2 + (rows if self.rel_rows else 0)),
                    min(MAX_COL, self.c2 + (cols if self.rel_cols else 0)), self.rel_rows, self.rel_cols)

    def contains(self, row: int, col: int) -> bool:
        return self.r1 <= row <= self.r2 and self.c1 <= col <= self.c2


def parse_area(ref: str, sheet: str | None = None) -> Area | None:
    """'A1', 'A1:C9', '$B:$B', '2:4' -> Area."""
    parts = ref.split(":")
    if len(parts) == 1:
        cell = parse_cell(parts[0])
        if cell is None:
            return None
        return Area(sheet, cell[0], cell[1], cell[0], cell[1], "$" not in parts[0][1:], not parts[0].startswith("$"))
    if len(parts) != 2:
        return None
    a, b = parts
    ca, cb = parse_cell(a), parse_cell(b)
    if ca and cb:
        return Area(sheet, min(ca[0], cb[0]), min(ca[1], cb[1]), max(ca[0], cb[0]), max(ca[1], cb[1]),
                    "$" not in a.lstrip("$"), not a.startswith("$"))
    ra, rb = a.replace("$", ""), b.replace("$", "")
    if ra.isalpha() and rb.isalpha():  # whole columns
        c1, c2 = sorted((col_index(ra), col_index(rb)))
        return Area(sheet, 1, c1, MAX_ROW, c2, False, not a.startswith("$"))
    if ra.isdigit() and rb.isdigit():  # whole rows
        r1, r2 = sorted((int(ra), int(rb)))
        return Area(sheet, r1, 1, r2, MAX_COL, not a.startswith("$"), False)
    return None


# A token of a formula: a string literal (skipped), a sheet-qualified or plain reference, or a
# name. Sheet names: quoted ('My Sheet'!) or bare (Sheet1!, 名单!).
_TOKEN = re.compile(
    r"""
    (?P<str>"(?:[^"]|"")*")
  | (?P<ext>\[\d+\])
  | (?:(?P<qsheet>'(?:[^']|'')+')|(?P<sheet>[^\s'!"(),;:=+\-*/^&<>{}\[\]%]+))!(?P<sref>[$A-Za-z0-9:]+)
  | (?P<ref>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+)(?![\w(])
  | (?P<num>\d+(?:\.\d*)?(?:[Ee][+-]?\d+)?)
  | (?P<name>[A-Za-z_\\\u3400-\u9fff][\w.\u3400-\u9fff]*)(?P<call>\s*\()?
  | (?P<table>\[)
    """,
    re.VERBOSE,
)
_UNKNOWABLE_FUNCTIONS = {"INDIRECT", "OFFSET", "CELL", "INFO", "GETPIVOTDATA", "HYPERLINK"}
_CONSTANTS = {"TRUE", "FALSE"}


def formula_ranges(formula: str, names: Mapping[str, str] | None = None, _depth: int = 0) -> list[Area] | None:
    """The areas ``formula`` reads; None when that cannot be known."""
    names = names or {}
    out: list[Area] = []
    for m in _TOKEN.finditer(formula):
        if m.group("str") or m.group("num"):
            continue
        if m.group("ext") or m.group("table"):
            return None  # another workbook, or a structured table reference
        if m.group("sref"):
            sheet = m.group("qsheet")
            sheet = sheet[1:-1].replace("''", "'") if sheet else m.group("sheet")
            if "[" in sheet:
                return None
            area = parse_area(m.group("sref"), sheet)
            if area is None:
                return None
            out.append(area)
        elif m.group("ref"):
            area = parse_area(m.group("ref"))
            if area is None:
                return None
            out.append(area)
        elif m.group("name"):
            word = m.group("name")
            upper = word.upper()
            if m.group("call"):
                if upper.removeprefix("_XLFN.").removeprefix("_XLWS.") in _UNKNOWABLE_FUNCTIONS:
                    return None
                continue
            if upper in _CONSTANTS:
                continue
            target = names.get(upper)
            if target is None or _depth > 8:
                return None  # a name we do not know, or names defined through each other too deep
            inner = formula_ranges(target, names, _depth + 1)
            if inner is None:
                return None
            out.extend(inner)
    return out
