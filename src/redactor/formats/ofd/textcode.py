"""OFD text objects: where each character is drawn, and how to take characters out.

A ``TextObject`` (GB/T 33190-2016, 11.2) has a ``Boundary`` ``x y w h`` (its origin on the
page, millimetres, y downwards), an optional ``CTM`` ``a b c d e f`` and a ``Size``; its
``TextCode`` children hold characters, the first drawn at ``X``/``Y`` (the baseline, in
object space) and each next one ``DeltaX``/``DeltaY`` further (``g N d`` repeats ``d`` N
times). Where the deltas run out the font's advance applies; we do not read fonts, so we
assume a full em for CJK characters and half an em for the rest (only positions of
characters past the deltas use this estimate).

Removing characters splits a ``TextCode``: the characters before stay as they were, the
characters after start a new ``TextCode`` whose ``X``/``Y`` is where its first character
was drawn, with the deltas that followed it. Every kept character is drawn exactly where it
was, as text.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

Box = tuple[float, float, float, float]  # x0, top, x1, bottom on the page (mm, y downwards)
ASCENT, DESCENT = 0.9, 0.2                # of the font size: a glyph's extent above/below the baseline


def local(el) -> str:
    """An element's local name (producers differ in namespace prefixes, some use none)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def floats(value: str | None, n: int | None = None) -> list[float] | None:
    if value is None:
        return None
    try:
        out = [float(t) for t in value.replace(",", " ").split()]
    except ValueError:
        return None
    return out if n is None or len(out) == n else None


def deltas(value: str | None) -> list[float]:
    """A DeltaX/DeltaY list with its ``g N d`` repetitions expanded."""
    if not value:
        return []
    tokens = value.split()
    out: list[float] = []
    i = 0
    try:
        while i < len(tokens):
            if tokens[i] == "g" and i + 2 < len(tokens):
                out += [float(tokens[i + 2])] * min(int(tokens[i + 1]), 1_000_000)
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
    except ValueError:
        return out
    return out


def _fmt(v: float) -> str:
    s = f"{v:.5f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def fmt_list(values: Sequence[float]) -> str:
    return " ".join(_fmt(v) for v in values)


@dataclass(frozen=True)
class Placed:
    """One character of a TextCode and where it is drawn."""

    char: str
    code: int      # index of the TextCode in its TextObject
    index: int     # index of the character in the TextCode
    x: float       # baseline origin on the page
    y: float
    size: float    # font size on the page (CTM scale applied)
    box: Box


class TextObject:
    """A parsed ``TextObject`` element (geometry only; the element stays the source of truth)."""

    def __init__(self, el) -> None:
        self.el = el
        b = floats(el.get("Boundary"), 4) or [0.0, 0.0, 0.0, 0.0]
        self.origin = (b[0], b[1])
        ctm = floats(el.get("CTM"), 6)
        self.ctm = ctm if ctm else [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        try:
            self.size = float(el.get("Size") or 0) or 3.5
        except ValueError:
            self.size = 3.5
        self.codes = [c for c in el if local(c) == "TextCode"]
        self.has_glyph_map = any(local(c) == "CGTransform" for c in el)

    def page_point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.ctm
        return self.origin[0] + a * x + c * y + e, self.origin[1] + b * x + d * y + f

    def chars(self) -> list[Placed]:
        out: list[Placed] = []
        a, b, c, d, _e, _f = self.ctm
        scale = max(abs(a * d - b * c), 1e-9) ** 0.5
        x = y = 0.0
        for ci, code in enumerate(self.codes):
            text = code.text or ""
            if code.get("X") is not None:
                x = _num(code.get("X"), x)
            if code.get("Y") is not None:
                y = _num(code.get("Y"), y)
            dx, dy = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
            for i, ch in enumerate(text):
                adv = dx[i] if i < len(dx) else self.size * (0.5 if ch.isascii() else 1.0)
                x0, top = self.page_point(x, y - self.size * ASCENT)
                x1, bottom = self.page_point(x + max(adv, self.size * 0.3), y + self.size * DESCENT)
                px, py = self.page_point(x, y)
                out.append(Placed(ch, ci, i, px, py, self.size * scale,
                                  (min(x0, x1), min(top, bottom), max(x0, x1), max(top, bottom))))
                x += adv
                y += dy[i] if i < len(dy) else 0.0
        return out

    def remove(self, doomed: dict[int, set[int]]) -> None:
        """Take characters out: ``doomed`` maps a TextCode index to character indices."""
        x = y = 0.0
        for ci, code in enumerate(list(self.codes)):
            text = code.text or ""
            if code.get("X") is not None:
                x = _num(code.get("X"), x)
            if code.get("Y") is not None:
                y = _num(code.get("Y"), y)
            dx, dy = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
            # position of every character, and of the point after the last one
            xs, ys = [x], [y]
            for i, ch in enumerate(text):
                xs.append(xs[-1] + (dx[i] if i < len(dx) else self.size * (0.5 if ch.isascii() else 1.0)))
                ys.append(ys[-1] + (dy[i] if i < len(dy) else 0.0))
            x, y = xs[-1], ys[-1]
            gone = doomed.get(ci)
            if not gone:
                continue
            runs: list[tuple[int, int]] = []  # kept runs [start, end)
            start = None
            for i in range(len(text) + 1):
                keep = i < len(text) and i not in gone
                if keep and start is None:
                    start = i
                elif not keep and start is not None:
                    runs.append((start, i))
                    start = None
            parent = code.getparent()
            at = parent.index(code)
            parent.remove(code)
            for k, (s, e) in enumerate(runs):
                new = etree.Element(code.tag, nsmap=code.nsmap)
                for key, value in code.attrib.items():
                    if key not in ("X", "Y", "DeltaX", "DeltaY"):
                        new.set(key, value)
                new.set("X", _fmt(xs[s]))
                new.set("Y", _fmt(ys[s]))
                # the run keeps its own deltas; past them the font's advances apply, as before
                if dx[s:e - 1]:
                    new.set("DeltaX", fmt_list(dx[s:e - 1]))
                if dy[s:e - 1]:
                    new.set("DeltaY", fmt_list(dy[s:e - 1]))
                new.text = text[s:e]
                parent.insert(at + k, new)


def _num(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default
