"""Colours and boxes: how dark a fill is, pdfplumber's coordinates to the page's user space,
and character boxes merged into one box per run."""
from __future__ import annotations

import math
from typing import Any


def luma(color: Any) -> float:
    if color is None:
        return 0.0  # the default fill colour is black
    if isinstance(color, (int, float)):
        return float(color)
    if isinstance(color, (list, tuple)):
        try:
            c = [float(x) for x in color]
        except (TypeError, ValueError):
            return 1.0  # a pattern: do not guess
        if len(c) == 1:
            return c[0]
        if len(c) == 3:
            return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
        if len(c) == 4:
            k = c[3]
            r, g, b = ((1 - x) * (1 - k) for x in c[:3])
            return 0.299 * r + 0.587 * g + 0.114 * b
    return 1.0


class Geo:
    """pdfplumber coordinates -> the page's user space with y flipped (x0, top, x1, bottom).

    pdfplumber reports positions on the displayed (rotated) page relative to its MediaBox;
    pdfminer's device space is the user space moved by the MediaBox origin and turned by
    /Rotate (PDFPageInterpreter.process_page). This undoes both."""

    def __init__(self, page) -> None:
        self.pl_x0, self.pl_top = float(page.mediabox[0]), float(page.mediabox[1])
        self.height = float(page.height)
        x0, y0, x1, y1 = (float(v) for v in page.page_obj.mediabox)
        self.mb = (x0, y0, x1, y1)
        self.rotate = int(page.rotation or 0) % 360

    def point(self, x: float, top: float) -> tuple[float, float]:
        dx, dy = x - self.pl_x0, self.height - (top - self.pl_top)  # pdfminer device space
        x0, y0, x1, y1 = self.mb
        if self.rotate == 90:     # device = (uy - y0, x1 - ux)
            return x1 - dy, dx + y0
        if self.rotate == 180:    # device = (x1 - ux, y1 - uy)
            return x1 - dx, y1 - dy
        if self.rotate == 270:    # device = (y1 - uy, ux - x0)
            return dy + x0, y1 - dx
        return dx + x0, dy + y0

    def angle(self, matrix) -> int:
        """The direction a character's text runs in the page's user space, in degrees
        counter-clockwise, rounded to 5 (0: upright; 90: rotated, reading bottom to top)."""
        try:
            a, b = float(matrix[0]), float(matrix[1])
        except (TypeError, ValueError, IndexError):
            return 0
        if a == 0 and b == 0:
            return 0
        turn = (math.degrees(math.atan2(b, a)) + self.rotate) % 360
        return int(round(turn / 5.0) * 5) % 360

    def box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        ax, ay = self.point(x0, top)
        bx, by = self.point(x1, bottom)
        return min(ax, bx), -max(ay, by), max(ax, bx), -min(ay, by)


def merge_boxes(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Union character boxes that touch on one line into one box per run."""
    out: list[list[float]] = []
    for x0, t, x1, b in sorted(boxes, key=lambda r: (round(r[1]), r[0])):
        if out:
            cx0, ct, cx1, cb = out[-1]
            h = max(cb - ct, b - t, 1.0)
            if min(cb, b) - max(ct, t) > 0.5 * min(cb - ct, b - t) and x0 <= cx1 + 0.6 * h and x1 >= cx0 - 0.6 * h:
                out[-1] = [min(cx0, x0), min(ct, t), max(cx1, x1), max(cb, b)]
                continue
        out.append([x0, t, x1, b])
    return [tuple(r) for r in out]  # type: ignore[misc]
