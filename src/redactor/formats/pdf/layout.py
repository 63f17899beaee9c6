"""Text layout: characters with boxes -> lines, blocks and table cells, each with a map from
every text position back to its character (``-1`` for a space, tab or line break we inserted).

The page text keeps the page's structure (``flow_blocks``): a line break per text line, a
blank line between blocks, columns read one after the other, rotated text read along its
own baseline. A line that runs to the right edge of its column and goes on at the left edge
of the next line is one line: Chinese wraps anywhere, without a hyphen, and a value wrapped
there (an ID, a name) must stay one string for the detectors. Everything else breaks: a mark
such as 内部资料 heading the page stays on a line of its own.

Characters are dicts with ``text``, ``x0``, ``x1``, ``top``, ``bottom`` (y grows downwards) in
the page's user space; ``chars`` may be a list or a mapping from index to dict.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

COLGAP = 1.5         # a gap of this many character heights inside a line separates columns

_DIGITS = re.compile(r"\d{4}")


def is_label(text: str) -> bool:
    """A header cell: short and without a number in it (a data row is not a header, and a
    header shown in a report must not carry a value)."""
    return len(text) <= 30 and not _DIGITS.search(text)


def is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def lines_of(ids: list[int], chars: list[dict]) -> list[list[int]]:
    """Group characters into lines (by vertical overlap), each sorted left to right."""
    lines: list[list[int]] = []
    bounds: list[tuple[float, float]] = []
    for ci in sorted(ids, key=lambda c: (chars[c]["top"], chars[c]["x0"])):
        c = chars[ci]
        t, b = c["top"], c["bottom"]
        if bounds:
            lt, lb = bounds[-1]
            if min(lb, b) - max(lt, t) > 0.5 * min(lb - lt, b - t, 1e9) or (b - t) <= 0:
                lines[-1].append(ci)
                bounds[-1] = (min(lt, t), max(lb, b))
                continue
        lines.append([ci])
        bounds.append((t, b))
    for line in lines:
        line.sort(key=lambda c: chars[c]["x0"])
    return lines


def line_text(line: list[int], chars: list[dict]) -> tuple[str, list[int]]:
    text: list[str] = []
    cmap: list[int] = []
    prev = None
    for k, ci in enumerate(line):
        c = chars[ci]
        if prev is not None:
            size = max(c["bottom"] - c["top"], 1.0)
            gap = c["x0"] - prev["x1"]
            # A wide gap is a word break, except between Chinese characters: spread-out
            # (justified, 分散对齐) Chinese has no spaces, and a space would split a name.
            # A column gap becomes a tab: '5120011966091\t16918768827' is two values, while
            # '139 1234 5678' may be one.
            # Letter-spaced text (Tc of half an em: '1 3 9 1 2 3 ...') has the same gap
            # everywhere: only a gap wider than its neighbours' is a word break.
            if gap >= COLGAP * size and prev["text"] != " " and c["text"] != " ":
                text.append("\t")
                cmap.append(-1)
            elif (gap > 0.3 * size and prev["text"] != " " and c["text"] != " "
                    and gap > _spacing(line, chars, k) + 0.2 * size
                    and not (is_cjk(prev["text"][-1:]) and is_cjk(c["text"][:1]))):
                text.append(" ")
                cmap.append(-1)
        for ch in c["text"]:
            text.append(ch)
            cmap.append(ci)
        prev = c
    return "".join(text), cmap


def _spacing(line: list[int], chars, k: int) -> float:
    """The wider of the gaps next to the gap before ``line[k]``: in letter-spaced text (Tc of
    half an em) every gap is that wide, and only a wider one is a word break."""
    gaps = []
    for j in (k - 1, k + 1):
        if 1 <= j < len(line):
            a, b = chars[line[j - 1]], chars[line[j]]
            if a["text"] != " " and b["text"] != " ":
                gaps.append(b["x0"] - a["x1"])
    return max(gaps, default=0.0)


def fragments(line: list[int], chars: list[dict]) -> list[list[int]]:
    """Split a line where the gap is wide enough to separate columns."""
    out: list[list[int]] = []
    prev = None
    for ci in line:
        c = chars[ci]
        if c["text"] == " ":
            continue
        size = max(c["bottom"] - c["top"], 1.0)
        if prev is None or c["x0"] - prev["x1"] >= COLGAP * size:
            out.append([])
        out[-1].append(ci)
        prev = c
    return out


def wrapped_cells(ids: list[int], chars: list[dict]) -> list[tuple[int, int, str | None, str, list[int]]]:
    """Cells of unruled tables whose text wraps onto following lines.

    A line split into two or more column fragments starts a row; a following line close below
    whose fragments all start where fragments of that row start (and that has fewer of them)
    continues those cells. Returns (line, column, header, text, char map) for each cell that
    spans two lines or more; the header is the fragment at the same position in the nearest
    line above made only of labels (姓名 身份证号码 ...)."""
    lines = lines_of(ids, chars)
    frags = [fragments(line, chars) for line in lines]
    out = []
    header: dict[int, str] = {}
    k = 0
    tol = 3.0
    while k < len(lines):
        row = frags[k]
        if len(row) < 2:
            k += 1
            continue
        texts = [block_text(f, chars)[0] for f in row]
        if all(is_label(t) for t in texts):
            header = {round(chars[f[0]]["x0"]): t for f, t in zip(row, texts)}
        starts = [chars[f[0]]["x0"] for f in row]
        cells = [list(f) for f in row]
        grown = [False] * len(row)
        j = k + 1
        while j < len(lines) and frags[j] and len(frags[j]) < len(row):
            above = max(chars[c]["bottom"] for c in lines[j - 1])
            top = min(chars[c]["top"] for c in lines[j])
            size = max(chars[c]["bottom"] - chars[c]["top"] for c in lines[j])
            cols = []
            for f in frags[j]:
                x0 = chars[f[0]]["x0"]
                col = next((n for n, s0 in enumerate(starts) if abs(s0 - x0) <= tol), None)
                cols.append(col)
            if top - above > 0.8 * size or None in cols or cols[0] == 0:
                break
            for f, col in zip(frags[j], cols):
                cells[col].extend(f)
                grown[col] = True
            j += 1
        for col, cell in enumerate(cells):
            if grown[col]:
                text, cmap = block_text(cell, chars)
                x0 = round(starts[col])
                head = next((t for hx, t in header.items() if abs(hx - x0) <= tol), None)
                out.append((k, col, head, text, cmap))
        k = j
    return out


def joiner(a: str, b: str) -> str:
    """What goes between two wrapped lines: nothing for Chinese and digits, a space for Latin."""
    if not a or not b:
        return ""
    x, y = a[-1], b[0]
    if x.isspace() or y.isspace():
        return ""
    if (x.isascii() and x.isalpha()) and (y.isascii() and y.isalpha()):
        return " "
    return ""


def block_text(ids: list[int], chars: list[dict]) -> tuple[str, list[int]]:
    """Text of one block (a table cell, a box): its lines joined as wrapped lines."""
    text, cmap = "", []
    for line in lines_of(ids, chars):
        lt, lm = line_text(line, chars)
        j = joiner(text, lt)
        text += j + lt
        cmap += [-1] * len(j) + lm
    return text, cmap


# --- the page text ----------------------------------------------------------------------------
@dataclass
class Line:
    """One text line (or one column's part of it) in reading order."""

    text: str
    cmap: list[int]
    x0: float
    x1: float
    top: float
    bottom: float
    unit: float     # width of what opens the line: its first Latin word or number, else one character
    starts: tuple[float, ...] = ()   # where each of its column fragments starts (split at column gaps)

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 1.0)

    def same_columns(self, other: Line) -> bool:
        """Two rows of one unruled table: both split in columns, two or more starting at the same place."""
        if len(self.starts) < 2 or len(other.starts) < 2:
            return False
        tol = 0.5 * max(self.size, other.size)
        return sum(1 for a in self.starts if any(abs(a - b) <= tol for b in other.starts)) >= 2


@dataclass
class Block:
    """Lines that belong together (a paragraph, a heading, a line of its own).

    ``right`` is the right edge a line must reach to be a wrapped line. A block may take in
    the first block of the next page when its last line was wrapped (``absorb``)."""

    lines: list[Line]
    right: float
    text: str = ""
    cmap: list[int] = field(default_factory=list)
    pages: int = 1
    angle: int = 0      # the direction the text runs (degrees counter-clockwise)
    edge: float | None = None   # the right edge of the text around it (None: too few lines to tell)

    def __post_init__(self) -> None:
        if not self.cmap:
            self.text, self.cmap = _join_lines(self.lines, self.right, self.left)

    @property
    def left(self) -> float:
        return min(line.x0 for line in self.lines)

    @property
    def top(self) -> float:
        return self.lines[0].top

    def wraps_into(self, nxt: Block) -> bool:
        """Does this block's last line go on as ``nxt``'s first line (across a page break)? Only
        when the last line reaches the right edge of the text around it (known from three
        lines or more) and ``nxt`` starts at this block's left edge, in the same size."""
        line, head = self.lines[-1], nxt.lines[0]
        if self.edge is None or abs(head.size - line.size) > 0.3 * line.size or head.x0 > self.left + 0.5 * line.size:
            return False
        return _wrapped(line, head, max(self.edge, self.right))

    def absorb(self, nxt: Block) -> None:
        j = joiner(self.text, nxt.text)
        self.text += j + nxt.text
        self.cmap += [-1] * len(j) + nxt.cmap
        self.pages += nxt.pages


# Characters a Chinese line may not start with (避头): the character before them wraps too.
_NO_START = set("，。、；：？！）」』】》〉”’,.;:?!)]}%")


def _wrapped(line: Line, nxt: Line, right: float) -> bool:
    """``line`` ends short of ``right`` by less than what opens ``nxt`` (plus half an em of
    slack, and one more character when ``nxt`` opens with punctuation a line may not start
    with): the typesetter wrapped it there."""
    slack = 0.5 * line.size + (line.size if nxt.text[:1] in _NO_START else 0.0)
    return right - line.x1 <= nxt.unit + slack


def _join_lines(lines: list[Line], right: float, left: float) -> tuple[str, list[int]]:
    """Lines joined: a wrapped line goes on without a break; a row of an unruled table, or a
    line that ends short, ends with one."""
    text, cmap = "", []
    for k, line in enumerate(lines):
        if k:
            prev = lines[k - 1]
            soft = (not prev.same_columns(line) and line.x0 <= left + 0.5 * line.size
                    and _wrapped(prev, line, right))
            j = joiner(text, line.text) if soft else "\n"
            text += j
            cmap += [-1] * len(j)
        text += line.text
        cmap += line.cmap
    return text, cmap


def _make_line(ids: list[int], chars) -> Line | None:
    ink = [k for k, ci in enumerate(ids) if chars[ci]["text"].strip()]
    if not ink:
        return None
    ids = ids[ink[0]:ink[-1] + 1]   # without leading and trailing space characters
    text, cmap = line_text(ids, chars)
    first = chars[ids[0]]
    unit_end = first["x1"]
    if first["text"][:1].isascii() and first["text"][:1].isalnum():
        size = max(first["bottom"] - first["top"], 1.0)
        for ci in ids[1:]:
            c = chars[ci]
            if not (c["text"][:1].isascii() and c["text"][:1].isalnum()) or c["x0"] - unit_end > 0.3 * size:
                break
            unit_end = c["x1"]
    starts = tuple([first["x0"]] + [chars[cmap[k + 1]]["x0"] for k, ch in enumerate(text)
                                    if ch == "\t" and k + 1 < len(cmap) and cmap[k + 1] >= 0])
    return Line(text, cmap, min(chars[c]["x0"] for c in ids), max(chars[c]["x1"] for c in ids),
                min(chars[c]["top"] for c in ids), max(chars[c]["bottom"] for c in ids), unit_end - first["x0"],
                starts)


def flow_blocks(ids: list[int], chars) -> list[Block]:
    """The page text (characters outside tables) as blocks in reading order: upright text
    first, by columns, then text at each other angle, read along its own baseline."""
    groups: dict[int, list[int]] = {}
    for ci in ids:
        groups.setdefault(chars[ci].get("angle", 0), []).append(ci)
    out: list[Block] = []
    for angle in sorted(groups, key=lambda a: (a != 0, a)):
        frame = chars if angle == 0 else {ci: _turn(chars[ci], angle) for ci in groups[angle]}
        for band in _bands(lines_of(groups[angle], frame), frame):
            for block in _blocks(band, frame):
                block.angle = angle
                out.append(block)
    return out


def _turn(c: dict, angle: int) -> dict:
    """A character of text drawn at ``angle`` degrees (counter-clockwise), in a frame where
    that text runs left to right: the box is turned about the origin by ``-angle``."""
    cx, cy = (c["x0"] + c["x1"]) / 2, -(c["top"] + c["bottom"]) / 2   # y up
    a = math.radians(angle)
    x = cx * math.cos(a) + cy * math.sin(a)
    y = -cx * math.sin(a) + cy * math.cos(a)
    if angle % 90 == 0:
        w, h = c["x1"] - c["x0"], c["bottom"] - c["top"]
        along, across = (w, h) if angle % 180 == 0 else (h, w)
    else:
        along, across = c.get("adv") or c.get("size", 10.0), c.get("size", 10.0)
    return {"text": c["text"], "x0": x - along / 2, "x1": x + along / 2, "top": -y - across / 2, "bottom": -y + across / 2}


def _bands(lines: list[list[int]], chars, depth: int = 0) -> list[list[list[int]]]:
    """Lines (lists of character indices) split into bands read one after the other: full-width
    runs of lines, and in a region set in columns, each column top to bottom.

    A region is in columns when at least three lines have a column gap (``COLGAP``) at the same
    place with running text on both sides (8 characters or more): an unruled table, whose
    cells are short, is read row by row instead."""
    if depth > 3 or len(lines) < 3:
        return [lines] if lines else []
    gutters: list[tuple[float, float, list[int]]] = []   # gap x0, gap x1, supporting line numbers
    for n, line in enumerate(lines):
        frags = fragments(line, chars)
        for a, b in itertools.pairwise(frags):
            if sum(1 for ci in a if chars[ci]["text"].strip()) < 8 or sum(1 for ci in b if chars[ci]["text"].strip()) < 8:
                continue
            g0, g1 = max(chars[ci]["x1"] for ci in a), min(chars[ci]["x0"] for ci in b)
            for k, (x0, x1, support) in enumerate(gutters):
                if min(x1, g1) - max(x0, g0) > 0:
                    gutters[k] = (max(x0, g0), min(x1, g1), support + [n])
                    break
            else:
                gutters.append((g0, g1, [n]))
    def crosses(n: int, mid: float) -> bool:
        return any(chars[ci]["x0"] < mid < chars[ci]["x1"] for ci in lines[n])

    runs = []   # (first line, last line, gutter middle) of each run of lines set in columns
    for g0, g1, support in gutters:
        mid = (g0 + g1) / 2
        run = [support[0]]
        for n in support[1:] + [None]:
            if n is not None and not any(crosses(m, mid) for m in range(run[-1] + 1, n)):
                run.append(n)
                continue
            if len(run) >= 3:
                runs.append((run[0], run[-1], mid))
            if n is not None:
                run = [n]
    if not runs:
        return [lines]
    first, last, mid = max(runs, key=lambda r: r[1] - r[0])
    while first > 0 and not crosses(first - 1, mid):
        first -= 1
    while last + 1 < len(lines) and not crosses(last + 1, mid):
        last += 1
    left = [[ci for ci in line if chars[ci]["x1"] <= mid] for line in lines[first:last + 1]]
    right = [[ci for ci in line if chars[ci]["x0"] >= mid] for line in lines[first:last + 1]]
    out = _bands(lines[:first], chars, depth + 1)
    out += _bands([line for line in left if line], chars, depth + 1)
    out += _bands([line for line in right if line], chars, depth + 1)
    out += _bands(lines[last + 1:], chars, depth + 1)
    return [band for band in out if band]


def _blocks(band: list[list[int]], chars) -> list[Block]:
    """Lines of one band grouped into blocks: a block ends at a gap wider than a line, a change
    of size, or before an indented line (a new paragraph)."""
    lines = [line for line in (_make_line(ids, chars) for ids in band) if line is not None]
    if not lines:
        return []
    # The band's right edge: the longest line, or in a long band the 90th percentile (a line
    # running into the margin does not set it).
    ends = sorted(line.x1 for line in lines)
    edge = ends[-1] if len(ends) < 10 else ends[(len(ends) * 9) // 10 - 1]
    groups: list[list[Line]] = [[lines[0]]]
    for prev, line in itertools.pairwise(lines):
        size = max(line.size, prev.size)
        left = min(x.x0 for x in groups[-1])
        if (line.top - prev.bottom > 0.9 * size or abs(line.size - prev.size) > 0.3 * prev.size
                or line.x0 > left + 1.5 * line.size):
            groups.append([line])
        else:
            groups[-1].append(line)
    out = []
    for group in groups:
        # A paragraph of three lines or more sets its own width; a line or two must reach the
        # band's edge to be wrapped (two short form lines, 联系人 / 电话, are two lines).
        right = max(x.x1 for x in group) if len(group) >= 3 else max(edge, max(x.x1 for x in group))
        out.append(Block(group, right, edge=edge if len(lines) >= 3 else None))
    return out
