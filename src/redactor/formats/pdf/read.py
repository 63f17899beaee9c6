"""Reading a PDF: the page text with a box per character (tables, paragraphs, text under
dark boxes), scanned pages through OCR, and the other parts (``parts.py``)."""
from __future__ import annotations

from pathlib import Path

from ...document import BODY, TABLE, UNDER_BOX, Document, Segment
from ...errors import UnreadableFileError
from ...findings import Finding
from .geometry import Geo, luma
from .layout import block_text, is_label, paragraphs, wrapped_cells
from .model import Handle, Page
from .ocr_pages import ocr_page
from .parts import (
    read_annotations,
    read_attachments,
    read_metadata,
    read_outlines,
    read_revisions,
    read_structure,
)

DARK = 0.35          # luminance at or below which a filled rectangle may hide text
CONTRAST = 0.25      # text whose luminance is this close to the box's cannot be read
MIN_BOX = 3.0        # points; thinner filled rectangles are rules and table lines
OCR_COVER = 0.5      # a page whose images cover this much and that has little text is a scan
OCR_MAX_CHARS = 20


def open_pike(path: Path):
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise UnreadableFileError("the PDF is password-protected (it needs a password to open); remove the protection and try again", path=str(path)) from None
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as e:
        raise UnreadableFileError(f"not a readable PDF (corrupt or not a PDF): {e}", path=str(path)) from None
    if pdf.is_encrypted:
        pdf.close()
        raise UnreadableFileError("the PDF is encrypted (restrictions password); a redacted copy cannot be made safely — remove the encryption first", path=str(path))
    return pdf



def extract(path: Path, name: str = "pdf") -> Document:
    path = Path(path)
    with path.open("rb") as f:
        if b"%PDF" not in f.read(1024):
            raise UnreadableFileError("not a PDF (no %PDF header)", path=str(path))
    pike = open_pike(path)
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psparser import PSException
        from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

        segments: list[Segment] = []
        notices: list[Finding] = []
        h = Handle(path=str(path))
        try:
            with pdfplumber.open(path) as pl:
                pium = None
                for i, page in enumerate(pl.pages):
                    pium = _read_page(page, i, segments, notices, h, pium, path)
                    page.close()
                if pium is not None:
                    pium.close()
        except (PDFSyntaxError, PSException, MalformedPDFException, PdfminerException) as e:
            raise UnreadableFileError(f"corrupt PDF: {e}", path=str(path)) from None
        read_metadata(pike, segments, notices)
        read_annotations(pike, segments, notices)
        read_attachments(pike, segments, notices)
        read_outlines(pike, segments)
        read_structure(pike, segments)
        read_revisions(path, pike, segments, notices)
    finally:
        pike.close()
    return Document(path=str(path), format=name, segments=segments, notices=notices, handle=h)

def _read_page(page, i: int, segments: list[Segment], notices: list[Finding], h: Handle, pium, path: Path):
    geo = Geo(page)
    info = Page(number=i + 1)
    h.pages.append(info)
    # Layout works in the page's own (unrotated) user space, y flipped: 'top' grows downwards.
    # A page shown rotated (/Rotate 90, 180, 270) is then laid out as it was written.
    chars = []
    for c in page.chars:
        x0, top, x1, bottom = geo.box(c["x0"], c["top"], c["x1"], c["bottom"])
        chars.append({"text": c["text"], "x0": x0, "top": top, "x1": x1, "bottom": bottom,
                      "luma": luma(c.get("non_stroking_color"))})
    info.boxes = [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars]
    texts = [c["text"] for c in chars]

    # Filled dark rectangles, and the characters under them that cannot be read (too
    # little contrast: black on black); and redaction annotations marked but never
    # applied (Acrobat's /Redact): everything under those is meant to go.
    boxes: list[tuple[tuple[float, float, float, float], float | None]] = []
    for r in page.rects:
        if r.get("fill") and r["width"] >= MIN_BOX and r["height"] >= MIN_BOX:
            shade = luma(r.get("non_stroking_color"))
            if shade <= DARK:
                boxes.append((geo.box(r["x0"], r["top"], r["x1"], r["bottom"]), shade))
    for a in page.annots:
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
    hidden = {ci for ids in under.values() for ci in ids}
    info.under_box = sorted(hidden)

    # Tables: cell text (an ID wrapping inside a cell is one string). Text under boxes
    # stays in the flow: a box over the middle of an ID leaves an ID, not two fragments.
    used: set[int] = set()
    if page.rects or page.lines:
        try:
            tables = page.find_tables()
        except (ValueError, IndexError, ZeroDivisionError):
            tables = []
        for ti, table in enumerate(tables):
            cells = []
            for ri, row in enumerate(table.rows):
                for col, cell in enumerate(row.cells):
                    if cell is None:
                        continue
                    x0, t, x1, b = geo.box(*cell)
                    ids = [ci for ci, c in enumerate(chars) if ci not in used
                           and x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and t <= (c["top"] + c["bottom"]) / 2 <= b]
                    used.update(ids)
                    text, cmap = block_text(ids, chars)
                    cells.append((ri, col, text, cmap))
            # Row 0 is the header when it reads like labels; a table without one that has
            # as many columns as the last header seen continues that table (next page).
            ncols = len(table.columns)
            first = {col: text for ri, col, text, _ in cells if ri == 0}
            if first and all(is_label(t) for t in first.values()):
                header, start = first, 1
                h.last_header = (ncols, first)
            elif h.last_header and h.last_header[0] == ncols:
                header, start = h.last_header[1], 0
            else:
                header, start = {}, 0
            for ri, col, text, cmap in cells:
                if text.strip():
                    _add(segments, h, i, cmap, Segment(
                        text=text, origin=TABLE,
                        location={"page": i + 1, "table": ti, "row": ri, "col": col},
                        column_header=header.get(col) if ri >= start else None))

    # Paragraphs from the remaining characters.
    rest = [ci for ci in range(len(chars)) if ci not in used]
    for pi, (text, cmap) in enumerate(paragraphs(rest, chars)):
        if text.strip():
            _add(segments, h, i, cmap, Segment(text=text, origin=BODY, location={"page": i + 1, "paragraph": pi}))
    # Tables without rules: the paragraphs above read them row by row, which cuts a value
    # that wraps inside its column. Each such multi-line cell is one more segment.
    for line_no, col, header, text, cmap in wrapped_cells(rest, chars):
        _add(segments, h, i, cmap, Segment(
            text=text, origin=TABLE, location={"page": i + 1, "line": line_no, "col": col, "unruled": True},
            column_header=header))

    # Text under dark boxes: read above like the rest, reported here (the segment is a
    # place holder without text, so no value is found twice), removed from the copy.
    for bi, ids in sorted(under.items()):
        text, _ = block_text(ids, chars)
        seg = len(segments)
        segments.append(Segment(text="", origin=UNDER_BOX, location={"page": i + 1, "box": bi}))
        marked = boxes[bi][1] is None
        what = ("a redaction mark that was never applied (the text is still in the file)" if marked else
                "a filled dark box (a box hides it from the eye, not from copy-paste or search)")
        notices.append(Finding(
            kind="fake_redaction", start=0, end=0, text=text, score=1.0,
            rule="pdf.redact_annotation" if marked else "pdf.under_box",
            explanation=f"page {i + 1}: text lies under {what}; it is checked like visible text and "
                        f"removed from the redacted copy",
            segment=seg))

    # Pages that are images without (enough) text, or whose text cannot be decoded
    # (fonts without a Unicode map give '(cid:123)'): OCR or block.
    visible = sum(1 for t in texts if t.strip())
    undecodable = sum(1 for t in texts if t.startswith("(cid:"))
    if visible and undecodable > 0.3 * visible:
        pium = ocr_page(i, segments, notices, h, pium, path, why="its text cannot be decoded (fonts without a Unicode map)")
    elif page.images and visible <= OCR_MAX_CHARS:
        area = max(1.0, float(page.width) * float(page.height))
        cover = sum(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images) / area
        if visible == 0 or cover >= OCR_COVER:
            pium = ocr_page(i, segments, notices, h, pium, path)
    del texts
    return pium

def _add(segments: list[Segment], h: Handle, page: int, cmap: list[int], seg: Segment) -> int:
    idx = len(segments)
    segments.append(seg)
    h.maps[idx] = cmap
    h.seg_page[idx] = page
    return idx
