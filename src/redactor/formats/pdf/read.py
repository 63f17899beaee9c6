"""Reading a PDF: the page text with a box per character (the page flow, tables, text under
dark boxes), scanned pages through OCR (``ocr_pages.py``), and the other parts (``parts.py``).

Segments come in reading order: on each page, the page text above the first table, the
table's cells, the text below it ... A paragraph that runs over a page break is one string:
its lines on the next page are joined to it (location ``{"page": n, "to_page": n + 1}``).
Every text position maps to a character by a document-wide index (``Handle.maps``).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ...document import BODY, TABLE, UNDER_BOX, Document, Segment
from ...errors import UnreadableFileError, describe_exception
from ...findings import Finding
from .geometry import Geo, luma
from .layout import Block, block_text, flow_blocks, is_label, wrapped_cells
from .model import Handle, Page

DARK = 0.35          # luminance at or below which a filled rectangle may hide text
CONTRAST = 0.25      # text whose luminance is this close to the box's cannot be read
MIN_BOX = 3.0        # points; thinner filled rectangles are rules and table lines
OCR_COVER = 0.5      # a page whose images cover this much and that has little text is a scan
OCR_MAX_CHARS = 20
FURNITURE = 0.12     # a short line this close to the top or bottom edge is a page number or header


def open_pike(path: Path):
    """The file opened with pikepdf; a clear per-file error (never the parser's message, which
    may quote the document) when it is not a readable, unencrypted PDF."""
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise UnreadableFileError("the PDF is password-protected (it needs a password to open); remove the "
                                  "protection and try again", path=str(path)) from None
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as e:
        raise UnreadableFileError(f"not a readable PDF (corrupt or not a PDF: {describe_exception(e)})",
                                  path=str(path)) from None
    if pdf.is_encrypted:
        pdf.close()
        raise UnreadableFileError("the PDF is encrypted (restrictions password); a redacted copy cannot be made "
                                  "safely — remove the encryption first", path=str(path))
    return pdf


@dataclass
class Item:
    """A segment waiting to be emitted, with what maps its text back to the file."""

    segment: Segment
    cmap: list[int] | None = None                                   # text layer: character per position
    boxes: list[tuple[float, float, float, float]] | None = None    # OCR: pixel box per position
    page: int = 0
    blocks: list[Block] | None = None                               # page text: built when emitted
    notices: list[Finding] = field(default_factory=list)            # findings on this segment


class Sink:
    """Segments and notices in order. A page's items wait until the next page is read, so that
    a paragraph broken by the page break can take in its end."""

    def __init__(self, h: Handle) -> None:
        self.h = h
        self.segments: list[Segment] = []
        self.notices: list[Finding] = []
        self._waiting: list[Item] = []
        self._frame = (0.0, 0.0)

    def page(self, items: list[Item], frame: tuple[float, float]) -> None:
        """A page's items; ``frame``: the page's top and bottom in its layout coordinates."""
        tail = _edge_block(self._waiting, self._frame, last=True)
        head = _edge_block(items, frame, last=False)
        if tail is not None and head is not None:
            (t_item, t_block), (h_item, h_block) = tail, head
            if t_block.wraps_into(h_block):
                t_block.absorb(h_block)
                h_item.blocks.remove(h_block)  # type: ignore[union-attr]
                t_item.segment = Segment(text="", origin=t_item.segment.origin,
                                         location={**t_item.segment.location, "to_page": h_item.page + 1})
        self.flush()
        self._waiting, self._frame = items, frame

    def add(self, item: Item) -> int | None:
        """An item that needs no stitching (document parts): emitted after the waiting page.
        Returns its segment's index."""
        self.flush()
        return self._emit(item)

    def flush(self) -> None:
        for item in self._waiting:
            self._emit(item)
        self._waiting = []

    def _emit(self, item: Item) -> int | None:
        seg = item.segment
        cmap = item.cmap
        if item.blocks is not None:
            text, cmap = "", []
            for block in item.blocks:
                if text:
                    text += "\n\n"
                    cmap += [-1, -1]
                text += block.text
                cmap += block.cmap
            if not text.strip():
                return None
            seg = Segment(text=text, origin=seg.origin, location=seg.location, column_header=seg.column_header)
        idx = len(self.segments)
        self.segments.append(seg)
        if cmap is not None:
            self.h.maps[idx] = cmap
        if item.boxes is not None:
            self.h.ocr_maps[idx] = item.boxes
            self.h.seg_page[idx] = item.page
        for f in item.notices:
            self.notices.append(f.with_(segment=idx))
        return idx


def _is_furniture(block: Block, frame: tuple[float, float]) -> bool:
    """A page number or running head: one short line near the top or bottom edge."""
    top, bottom = frame
    height = bottom - top
    if len(block.lines) != 1 or len(block.text.replace(" ", "")) > 12 or height <= 0:
        return False
    line = block.lines[0]
    return line.bottom < top + FURNITURE * height or line.top > bottom - FURNITURE * height


def _edge_block(items: list[Item], frame: tuple[float, float], last: bool) -> tuple[Item, Block] | None:
    """The last (or first) upright block of a page's text that is not page furniture."""
    flows = [it for it in items if it.blocks is not None and it.segment.origin == BODY]
    if not flows:
        return None
    item = flows[-1] if last else flows[0]
    blocks = [b for b in item.blocks if b.angle == 0 and not _is_furniture(b, frame)]  # type: ignore[union-attr]
    if not blocks:
        return None
    return item, (blocks[-1] if last else blocks[0])


def extract(path: Path, name: str = "pdf") -> Document:
    from .content import ParseCache
    from .fonts import FontCheck
    from .ocr_pages import OcrSession
    from .parts import read_parts

    path = Path(path)
    with path.open("rb") as f:
        if b"%PDF" not in f.read(1024):
            raise UnreadableFileError("not a PDF (no %PDF header)", path=str(path))
    pike = open_pike(path)
    try:
        import pdfplumber

        h = Handle(path=str(path))
        sink = Sink(h)
        ocr = OcrSession(path)
        parsed = ParseCache()
        fonts = FontCheck(parse=parsed)
        try:
            with _parsing(path):
                pl = pdfplumber.open(path)
            with pl:
                with _parsing(path):
                    pages = pl.pages
                for i, page in enumerate(pages):
                    items, frame = read_page(page, i, h, ocr, fonts.page(pike.pages[i]), path)
                    page.close()
                    sink.page(items, frame)
                sink.flush()
        finally:
            ocr.close()
        read_parts(pike, path, h, sink, parsed)
    finally:
        pike.close()
    return Document(path=str(path), format=name, segments=sink.segments, notices=sink.notices, handle=h)


@contextmanager
def _parsing(path: Path) -> Iterator[None]:
    """pdfminer and pdfplumber raise anything on a corrupt file (KeyError, struct.error,
    PSSyntaxError ...): around their parsing only, that is an unreadable file, named by type."""
    try:
        yield
    except UnreadableFileError:
        raise
    except Exception as e:  # noqa: BLE001 - third-party parsing only (see above)
        raise UnreadableFileError(f"corrupt PDF: its content cannot be parsed ({describe_exception(e)})",
                                  path=str(path)) from None


def read_page(page, i: int, h: Handle, ocr, doubts: list, path: Path) -> tuple[list[Item], tuple[float, float]]:
    """One page's items in reading order, and the page's top and bottom in layout coordinates
    (for page furniture). ``doubts``: fonts of the page that cannot be trusted (``fonts.py``)."""
    with _parsing(path):
        geo = Geo(page)
        raw_chars, rects, annots, images, lines = page.chars, page.rects, page.annots, page.images, page.lines
    info = Page(number=i + 1, first=h.total)
    h.pages.append(info)
    # Layout works in the page's own (unrotated) user space, y flipped: 'top' grows downwards.
    # A page shown rotated (/Rotate 90, 180, 270) is then laid out as it was written.
    chars = []
    for c in raw_chars:
        x0, top, x1, bottom = geo.box(c["x0"], c["top"], c["x1"], c["bottom"])
        chars.append({"text": c["text"], "x0": x0, "top": top, "x1": x1, "bottom": bottom,
                      "luma": luma(c.get("non_stroking_color")), "angle": geo.angle(c.get("matrix")),
                      "adv": c.get("adv"), "size": c.get("size")})
    info.boxes = [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars]
    h.total += len(chars)
    first = info.first

    def glob(cmap: list[int]) -> list[int]:
        return [ci + first if ci >= 0 else -1 for ci in cmap]

    # Filled dark rectangles, and the characters under them that cannot be read (too
    # little contrast: black on black); and redaction annotations marked but never
    # applied (Acrobat's /Redact): everything under those is meant to go.
    boxes: list[tuple[tuple[float, float, float, float], float | None]] = []
    for r in rects:
        if r.get("fill") and r["width"] >= MIN_BOX and r["height"] >= MIN_BOX:
            shade = luma(r.get("non_stroking_color"))
            if shade <= DARK:
                boxes.append((geo.box(r["x0"], r["top"], r["x1"], r["bottom"]), shade))
    for a in annots:
        sub = (a.get("data") or {}).get("Subtype")
        if getattr(sub, "name", sub) in ("Redact", b"Redact"):
            boxes.append((geo.box(a["x0"], a["top"], a["x1"], a["bottom"]), None))
    under: dict[int, list[int]] = {}
    if boxes:
        for ci, c in enumerate(chars):
            cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
            for bi, ((x0, t, x1, b), shade) in enumerate(boxes):
                if x0 <= cx <= x1 and t <= cy <= b and (shade is None or abs(c["luma"] - shade) < CONTRAST):
                    under.setdefault(bi, []).append(ci)
                    break
    info.under_box = sorted({ci for ids in under.values() for ci in ids})

    # Tables: cell text (an ID wrapping inside a cell is one string). Text under boxes
    # stays in the flow: a box over the middle of an ID leaves an ID, not two fragments.
    used: set[int] = set()
    tables: list[tuple[float, list[Item]]] = []   # (top, cells)
    if rects or lines:
        try:
            found = page.find_tables()
        except (ValueError, IndexError, ZeroDivisionError):
            found = []
        rows = sorted(((c["top"] + c["bottom"]) / 2, ci) for ci, c in enumerate(chars))   # by vertical centre
        for ti, table in enumerate(found):
            cells = []
            for ri, row in enumerate(table.rows):
                for col, cell in enumerate(row.cells):
                    if cell is None:
                        continue
                    x0, t, x1, b = geo.box(*cell)
                    lo, hi = bisect_left(rows, (t, -1)), bisect_right(rows, (b, len(chars)))
                    ids = sorted(ci for _, ci in rows[lo:hi] if ci not in used and chars[ci]["angle"] == 0
                                 and x0 <= (chars[ci]["x0"] + chars[ci]["x1"]) / 2 <= x1)
                    used.update(ids)
                    text, cmap = block_text(ids, chars)
                    cells.append((ri, col, text, cmap))
            # Row 0 is the header when it reads like labels; a table without one that has
            # as many columns as the last header seen continues that table (next page).
            ncols = len(table.columns)
            heads = {col: text for ri, col, text, _ in cells if ri == 0}
            if heads and all(is_label(t) for t in heads.values()):
                header, start = heads, 1
                h.last_header = (ncols, heads)
            elif h.last_header and h.last_header[0] == ncols:
                header, start = h.last_header[1], 0
            else:
                header, start = {}, 0
            top = geo.box(*table.bbox)[1]
            tables.append((top, [
                Item(Segment(text=text, origin=TABLE, location={"page": i + 1, "table": ti, "row": ri, "col": col},
                             column_header=header.get(col) if ri >= start else None), cmap=glob(cmap))
                for ri, col, text, cmap in cells if text.strip()]))
    tables.sort(key=lambda t: t[0])

    # The page text: the remaining characters as blocks in reading order, cut into pieces at
    # the tables (the text above a table, its cells, the text below ...).
    rest = [ci for ci in range(len(chars)) if ci not in used]
    pieces: list[list[Block]] = [[] for _ in range(len(tables) + 1)]
    k = 0
    for block in flow_blocks(rest, chars):
        block.cmap = glob(block.cmap)
        if block.angle == 0:  # rotated text goes with the piece it follows
            while k < len(tables) and tables[k][0] <= block.top:
                k += 1
        pieces[k].append(block)
    items: list[Item] = []
    for n, blocks in enumerate(pieces):
        location = {"page": i + 1} if n == 0 else {"page": i + 1, "below_table": n - 1}
        items.append(Item(Segment(text="", origin=BODY, location=location), blocks=blocks, page=i))
        if n < len(tables):
            items.extend(tables[n][1])
    # Tables without rules: the page text reads them row by row, which cuts a value that
    # wraps inside its column. Each such multi-line cell is one more segment.
    upright = [ci for ci in rest if chars[ci]["angle"] == 0]
    for line_no, col, header, text, cmap in wrapped_cells(upright, chars):
        items.append(Item(Segment(text=text, origin=TABLE, column_header=header,
                                  location={"page": i + 1, "line": line_no, "col": col, "unruled": True}),
                          cmap=glob(cmap)))

    # Text under dark boxes: read above like the rest, reported here (the segment is a
    # place holder without text, so no value is found twice), removed from the copy.
    for bi, ids in sorted(under.items()):
        text, _ = block_text(ids, chars)
        marked = boxes[bi][1] is None
        what = ("a redaction mark that was never applied (the text is still in the file)" if marked else
                "a filled dark box (a box hides it from the eye, not from copy-paste or search)")
        items.append(Item(Segment(text="", origin=UNDER_BOX, location={"page": i + 1, "box": bi}), notices=[Finding(
            kind="fake_redaction", start=0, end=0, text=text, score=1.0,
            rule="pdf.redact_annotation" if marked else "pdf.under_box",
            explanation=f"page {i + 1}: text lies under {what}; it is checked like visible text and "
                        f"removed from the redacted copy")]))

    # Pages that are images without (enough) text, or whose text cannot be decoded
    # (fonts without a Unicode map give '(cid:123)'): OCR or block.
    visible = sum(1 for c in chars if c["text"].strip())
    undecodable = sum(1 for c in chars if c["text"].startswith("(cid:"))
    if visible and undecodable > 0.3 * visible:
        items.extend(ocr.page(i, info, why="its text cannot be decoded (fonts without a Unicode map)"))
    elif visible and doubts:
        items.extend(ocr.crosscheck(i, info, "".join(c["text"] for c in chars), doubts))
    elif images and visible <= OCR_MAX_CHARS:
        area = max(1.0, float(page.width) * float(page.height))
        cover = sum(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in images) / area
        if visible == 0 or cover >= OCR_COVER:
            items.extend(ocr.page(i, info))
    return items, (-geo.mb[3], -geo.mb[1])
