"""Reading order for the characters of an OFD page: lines, then paragraphs.

OFD keeps no reading order of its own: producers write one ``TextObject`` per character, per
word or per line, in any order. Characters are grouped into lines by their baselines (within
half a font size), each line read left to right; a gap of more than 1.5 font sizes inside a
line is a column gap (``\\t``: cells of a table stay apart), a smaller gap over 0.4 a space.
Consecutive lines of about the same size, at most 1.8 sizes apart, form a paragraph. A
line that reaches the right edge of the page's text wrapped: it joins the next one with
nothing between (an ID number broken over two lines is one string again; a space between
two Latin words); a shorter line ends with ``\\n`` (a table row, a heading, a last line).

Every character of a paragraph's string maps to the character it came from; the
separators we insert map to ``-1``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

COLUMN_GAP = 1.5
WORD_GAP = 0.4
LINE_TOLERANCE = 0.5
PARAGRAPH_GAP = 1.8


@dataclass(frozen=True)
class Glyph:
    char: str
    x: float
    y: float      # baseline
    size: float
    x1: float     # right edge


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def lines(glyphs: Sequence[Glyph]) -> list[list[int]]:
    order = sorted(range(len(glyphs)), key=lambda i: (glyphs[i].y, glyphs[i].x))
    out: list[list[int]] = []
    base = None
    for i in order:
        g = glyphs[i]
        if out and base is not None and abs(g.y - base) <= LINE_TOLERANCE * max(g.size, 0.1):
            out[-1].append(i)
        else:
            out.append([i])
            base = g.y
    return [sorted(line, key=lambda i: glyphs[i].x) for line in out]


def _line_text(line: list[int], glyphs: Sequence[Glyph]) -> tuple[str, list[int]]:
    text: list[str] = []
    cmap: list[int] = []
    prev = None
    for i in line:
        g = glyphs[i]
        if prev is not None and g.char.strip() and glyphs[prev].char.strip():
            gap = g.x - glyphs[prev].x1
            size = max(g.size, 0.1)
            if gap > COLUMN_GAP * size:
                text.append("\t")
                cmap.append(-1)
            elif gap > WORD_GAP * size:
                text.append(" ")
                cmap.append(-1)
        text.append(g.char)
        cmap.append(i)
        prev = i
    return "".join(text), cmap


def paragraphs(glyphs: Sequence[Glyph]) -> list[tuple[str, list[int]]]:
    """(text, map to glyph indices) per paragraph, top to bottom."""
    ls = lines(glyphs)
    if not ls:
        return []
    right = max(glyphs[i].x1 for line in ls for i in line)
    out: list[tuple[str, list[int]]] = []
    prev_line: list[int] | None = None
    for line in ls:
        text, cmap = _line_text(line, glyphs)
        if prev_line is not None:
            a, b = glyphs[prev_line[0]], glyphs[line[0]]
            size = max(a.size, b.size, 0.1)
            same = abs(a.size - b.size) <= 0.2 * size and 0 < b.y - a.y <= PARAGRAPH_GAP * size
            if same:
                ptext, pmap = out[-1]
                last = glyphs[prev_line[-1]]
                wrapped = last.x1 >= right - 2 * size
                if wrapped:
                    sep = " " if ptext and text and _latin(ptext[-1]) and _latin(text[0]) else ""
                else:
                    sep = "\n"
                out[-1] = (ptext + sep + text, pmap + [-1] * len(sep) + cmap)
                prev_line = line
                continue
        out.append((text, cmap))
        prev_line = line
    return out
