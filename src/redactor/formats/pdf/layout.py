"""Text layout: characters with boxes -> lines, paragraphs and table cells, each with a map
from every text position back to its character (``-1`` for a space or tab we inserted)."""
from __future__ import annotations

import re

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
    for ci in line:
        c = chars[ci]
        if prev is not None:
            size = max(c["bottom"] - c["top"], 1.0)
            gap = c["x0"] - prev["x1"]
            # A wide gap is a word break, except between Chinese characters: spread-out
            # (justified, 分散对齐) Chinese has no spaces, and a space would split a name.
            # A column gap becomes a tab: '5120011966091\t16918768827' is two values, while
            # '139 1234 5678' may be one.
            if gap >= COLGAP * size and prev["text"] != " " and c["text"] != " ":
                text.append("\t")
                cmap.append(-1)
            elif (gap > 0.3 * size and prev["text"] != " " and c["text"] != " "
                    and not (is_cjk(prev["text"][-1:]) and is_cjk(c["text"][:1]))):
                text.append(" ")
                cmap.append(-1)
        for ch in c["text"]:
            text.append(ch)
            cmap.append(ci)
        prev = c
    return "".join(text), cmap


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


def paragraphs(ids: list[int], chars: list[dict]) -> list[tuple[str, list[int]]]:
    """Lines grouped into paragraphs: a paragraph breaks at a wide vertical gap, an indented
    line, or after a line that ends well short of the others."""
    lines = lines_of(ids, chars)
    if not lines:
        return []
    paras: list[tuple[str, list[int]]] = []
    text, cmap = "", []
    prev = None
    for line in lines:
        x0 = min(chars[c]["x0"] for c in line)
        x1 = max(chars[c]["x1"] for c in line)
        top = min(chars[c]["top"] for c in line)
        bottom = max(chars[c]["bottom"] for c in line)
        size = max(bottom - top, 1.0)
        lt, lm = line_text(line, chars)
        if prev is not None:
            p_x0, _, p_bottom, p_size = prev
            # A line that ends short is NOT a break by itself: joining too much only makes a
            # segment longer, splitting a wrapped value would hide it from the detectors.
            new = (top - p_bottom > 0.9 * max(size, p_size) or x0 > p_x0 + 1.5 * size
                   or abs(size - p_size) > 0.3 * p_size)
            if new:
                paras.append((text, cmap))
                text, cmap = "", []
        j = joiner(text, lt)
        text += j + lt
        cmap += [-1] * len(j) + lm
        prev = (x0, x1, bottom, size)
    paras.append((text, cmap))
    return paras

