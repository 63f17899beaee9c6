"""OCR for pages without a text layer: Tesseract (chi_sim + eng) run as a subprocess.

Optional and lazy: nothing here runs unless a PDF page has images and no text. Tesseract is
found on PATH (Debian: ``apt-get install -y tesseract-ocr tesseract-ocr-chi-sim``) or at
``$REDACTOR_TESSERACT``; ``REDACTOR_OCR=0`` switches OCR off (the page is then reported as
``no_text_layer`` and the file is blocked, never passed as clean).

Tesseract is run with ``OMP_THREAD_LIMIT=1``: its OpenMP threads make it several times slower
on a small machine, and the pipeline parallelises over files, not inside one page.

Tesseract's chi_sim model puts a space between every Chinese character and between Chinese
characters and digits ("申 请 人 110101 1990...") and often splits long digit runs. ``words_to_lines``
joins the words of a line without spaces except between two Latin words, so an ID the engine
split in two is one string again; each character keeps the box of the word it came from
(split proportionally across the word) so a masked value can be painted over.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Sequence

LANGS = "chi_sim+eng"
DPI = 300


class OcrUnavailable(Exception):
    """Tesseract (or its chi_sim model) is not installed, or OCR is switched off."""


@dataclass(frozen=True)
class OcrWord:
    text: str
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in image pixels
    line: tuple[int, int, int]              # (block, paragraph, line) as Tesseract numbers them
    conf: float


@dataclass(frozen=True)
class OcrLine:
    text: str
    boxes: tuple[tuple[float, float, float, float], ...]  # one box per character of text (pixels)
    paragraph: tuple[int, int] = (0, 0)                   # Tesseract's (block, paragraph)


def tesseract_path() -> str | None:
    """The tesseract executable to use, or None when OCR is unavailable or switched off."""
    if os.environ.get("REDACTOR_OCR", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    explicit = os.environ.get("REDACTOR_TESSERACT")
    if explicit:
        return explicit if os.path.isfile(explicit) and os.access(explicit, os.X_OK) else None
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=4)
def _languages(exe: str) -> frozenset[str]:
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in (out.stdout + out.stderr).splitlines()[1:] if line.strip())


def available() -> str | None:
    """Why OCR cannot run (a sentence), or None when it can."""
    exe = tesseract_path()
    if exe is None:
        return "Tesseract OCR is not installed or is switched off (REDACTOR_OCR=0)"
    langs = _languages(exe)
    if "chi_sim" not in langs:
        return "Tesseract is installed without the chi_sim language data (Debian: tesseract-ocr-chi-sim)"
    return None


def ocr_png(png: bytes, timeout: float = 120.0) -> list[OcrWord]:
    """Run Tesseract on one PNG image; return its words with pixel boxes."""
    why = available()
    if why:
        raise OcrUnavailable(why)
    exe = tesseract_path()
    assert exe is not None
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            [exe, "stdin", "stdout", "-l", LANGS, "--dpi", str(DPI), "--psm", "3", "tsv"],
            input=png,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as e:
        raise OcrUnavailable(f"Tesseract failed to run: {e}") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrUnavailable(f"Tesseract failed: {msg[-1] if msg else proc.returncode}")
    return parse_tsv(proc.stdout.decode("utf-8", "replace"))


def read_line(png: bytes, whitelist: str = "", timeout: float = 30.0) -> str:
    """Read one line of text (Tesseract ``--psm 7``, English model), only ``whitelist``
    characters when given: for checking what a font's glyphs show."""
    why = available()
    if why:
        raise OcrUnavailable(why)
    exe = tesseract_path()
    assert exe is not None
    args = [exe, "stdin", "stdout", "-l", "eng", "--psm", "7"]
    if whitelist:
        args += ["-c", f"tessedit_char_whitelist={whitelist}"]
    try:
        proc = subprocess.run(args, input=png, capture_output=True, timeout=timeout,
                              env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=False)
    except (OSError, subprocess.SubprocessError) as e:
        raise OcrUnavailable(f"Tesseract failed to run: {e}") from None
    if proc.returncode != 0:
        raise OcrUnavailable(f"Tesseract failed: exit code {proc.returncode}")
    return proc.stdout.decode("utf-8", "replace").strip()


def parse_tsv(tsv: str) -> list[OcrWord]:
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        left, top, width, height = (float(c) for c in cols[6:10])
        words.append(
            OcrWord(
                text=text,
                box=(left, top, left + width, top + height),
                line=(int(cols[2]), int(cols[3]), int(cols[4])),
                conf=float(cols[10]),
            )
        )
    return words


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def words_to_lines(words: Sequence[OcrWord]) -> list[OcrLine]:
    """Join Tesseract words into lines of text, undoing the spaces it inserts (see module doc)."""
    lines: list[OcrLine] = []
    current: list[OcrWord] = []
    key = None
    for w in list(words) + [None]:  # type: ignore[list-item]
        if w is None or (key is not None and w.line != key):
            if current:
                lines.append(_join(current))
            current = []
        if w is None:
            break
        key = w.line
        current.append(w)
    return lines


def lines_to_paragraphs(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """Join the lines of each Tesseract paragraph as wrapped lines: nothing between Chinese
    characters and digits (an ID that wraps is one string again), a space between Latin words."""
    out: list[OcrLine] = []
    for line in lines:
        if out and out[-1].paragraph == line.paragraph:
            prev = out[-1]
            sep = " " if prev.text and _is_latin(prev.text[-1]) and line.text and _is_latin(line.text[0]) else ""
            boxes = prev.boxes + ((prev.boxes[-1],) if sep else ()) + line.boxes
            out[-1] = OcrLine(prev.text + sep + line.text, boxes, prev.paragraph)
        else:
            out.append(line)
    return out


def _join(words: Sequence[OcrWord]) -> OcrLine:
    text: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    for w in words:
        if text and _is_latin(text[-1]) and _is_latin(w.text[0]):
            x = boxes[-1][2]
            text.append(" ")
            boxes.append((x, w.box[1], w.box[0], w.box[3]))
        x0, top, x1, bottom = w.box
        step = (x1 - x0) / len(w.text)
        for i, ch in enumerate(w.text):
            text.append(ch)
            boxes.append((x0 + i * step, top, x0 + (i + 1) * step, bottom))
    return OcrLine(text="".join(text), boxes=tuple(boxes), paragraph=words[0].line[:2])


# --- words -> characters, table cells in the picture, boxes that cover whole glyphs -------------
def words_to_chars(words: Sequence[OcrWord]) -> list[dict]:
    """One character dict per character of the words (``text``, ``x0``, ``x1``, ``top``,
    ``bottom`` in pixels), each with its share of its word's box: the shape the PDF layout
    (``formats/pdf/layout.py``) reads pages in, so OCR'd pages get lines, blocks and columns."""
    chars: list[dict] = []
    line, right = None, 0.0
    for w in words:
        x0, top, x1, bottom = w.box
        if w.line == line:
            # the engine's word order is the reading order: a box that starts left of the
            # previous one (a wide glyph, a loose box) must not move its word back
            x0 = max(x0, right)
            x1 = max(x1, x0 + 1.0)
        line = w.line
        step = (x1 - x0) / max(len(w.text), 1)
        for i, ch in enumerate(w.text):
            chars.append({"text": ch, "x0": x0 + i * step, "x1": x0 + (i + 1) * step, "top": top, "bottom": bottom})
        right = x1
    return chars


def _runs(dark, length: int, axis: int):
    """Where ``dark`` has ``length`` dark pixels in a row along ``axis``: a boolean array, true
    at the start of each such run."""
    import numpy as np

    cs = np.cumsum(dark, axis=axis, dtype=np.int32)
    zero = np.zeros((1, dark.shape[1]) if axis == 0 else (dark.shape[0], 1), dtype=np.int32)
    cs = np.concatenate([zero, cs], axis=axis)
    if axis == 1:
        return (cs[:, length:] - cs[:, :-length]) == length
    return (cs[length:, :] - cs[:-length, :]) == length


def _rules(runs, length: int, axis: int) -> list[tuple[int, int, int]]:
    """Ruling lines from run starts: (position across, start along, end along), neighbouring
    rows (or columns) of one thick line merged."""
    import numpy as np

    lines: list[list[int]] = []
    hits = runs if axis == 1 else runs.T
    for pos in np.nonzero(hits.any(axis=1))[0]:
        xs = np.nonzero(hits[pos])[0]
        a, b = int(xs.min()), int(xs.max()) + length
        if lines and pos - lines[-1][0] <= 3 and min(b, lines[-1][2]) - max(a, lines[-1][1]) > 0:
            lines[-1] = [int(pos), min(a, lines[-1][1]), max(b, lines[-1][2])]
        else:
            lines.append([int(pos), a, b])
    return [(p, a, b) for p, a, b in lines]


def table_cells(png: bytes, min_rule: int = 100) -> list[tuple[float, float, float, float]]:
    """Cells of ruled tables in a picture (x0, top, x1, bottom in pixels): the spaces between
    neighbouring horizontal rules crossed by vertical rules on both sides. A rule is a run of
    ``min_rule`` dark pixels or more (a third of an inch at 300 dpi: longer than any stroke of
    body text)."""
    import io as _io

    import numpy as np
    from PIL import Image

    gray = np.asarray(Image.open(_io.BytesIO(png)).convert("L"))
    dark = gray < 128
    if dark.shape[0] <= min_rule or dark.shape[1] <= min_rule:
        return []
    hor = _rules(_runs(dark, min_rule, 1), min_rule, 1)    # (y, x0, x1)
    ver = _rules(_runs(dark, min_rule, 0), min_rule, 0)    # (x, y0, y1)
    tol = 6
    cells = []
    for (ya, ax0, ax1), (yb, bx0, bx1) in zip(hor, hor[1:]):
        if yb - ya < 12:
            continue
        xs = sorted(x for x, y0, y1 in ver if y0 <= ya + tol and y1 >= yb - tol)
        for xa, xb in zip(xs, xs[1:]):
            if xb - xa < 12:
                continue
            if ax0 <= xa + tol and ax1 >= xb - tol and bx0 <= xa + tol and bx1 >= xb - tol:
                cells.append((float(xa), float(ya), float(xb), float(yb)))
    return cells


def cover_glyphs(gray, boxes: Sequence[tuple[float, float, float, float]],
                 bands: Sequence[tuple[float, float]] = ()) -> list[tuple[int, int, int, int]]:
    """Grow each box (pixels) until it covers whole glyphs: up and down to the text line it
    sits in (``bands``: (top, bottom) of OCR'd characters), sideways to the first column of
    that band with no ink (at most a glyph's height further), then up and down to the first
    row without ink (at most half that). A box cut from a word's box by
    proportion, or a glyph whose strokes reach past the engine's box, is then painted whole."""
    import numpy as np

    h, w = gray.shape
    dark = gray < 160
    out = []
    for x0, top, x1, bottom in boxes:
        t, b = top, bottom
        for bt, bb in bands:
            if min(bb, bottom) - max(bt, top) > 0.5 * (bottom - top):
                t, b = min(t, bt), max(b, bb)
        t, b = max(0, int(t) - 2), min(h, int(b) + 3)
        reach = int(b - t)
        ink = dark[t:b].any(axis=0) if b > t else np.zeros(w, dtype=bool)
        left, right = max(0, int(x0)), min(w - 1, int(x1))
        limit = max(0, left - reach)
        while left > limit and ink[left - 1]:
            left -= 1
        limit = min(w - 1, right + reach)
        while right < limit and ink[right + 1]:
            right += 1
        rows = dark[:, left:right + 1].any(axis=1)
        limit = max(0, t - reach // 2)
        while t > limit and rows[t - 1]:
            t -= 1
        limit = min(h, b + reach // 2)
        while b < limit and rows[b]:
            b += 1
        out.append((left - 2, t - 1, right + 2, b + 1))
    return out
