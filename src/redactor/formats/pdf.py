"""PDF: pdfplumber reads, pikepdf writes a truly redacted copy, Tesseract reads scanned pages.

Reading (``extract``)
    pdfplumber gives every character with its box. Characters become segments: table cells
    (pdfplumber's ruled-table finder; location {page, table, row, col}, ``column_header`` =
    the cell in row 0 when it reads like a label, carried over to a table continued on the
    next page), paragraphs (lines grouped by position; a line break inside a paragraph adds
    no character, so an ID that wraps is one string; location {page, paragraph}), and the
    cells of unruled tables that wrap (location {page, line, col, unruled}). Text lying
    under a filled dark rectangle (dark text on it: unreadable) or under a /Redact mark that
    was never applied is read in its place like any other and reported with a
    ``fake_redaction`` notice on a text-less segment of origin ``under_box``, one per box:
    the classic failed redaction.
    ``Document.handle`` keeps, for each segment, the page and the pdfplumber character index
    of each text position, so ``write`` knows exactly which glyphs an ``Edit`` covers.
    A page with images and no text is OCR'd (``formats/ocr.py``, origin ``ocr``, notice
    ``ocr_page``, info); when OCR is unavailable it gets a ``no_text_layer`` notice, which
    blocks the file by default: an unread page is never passed as clean. Document
    information and XMP (``metadata``), annotations (``annotation``), embedded files
    (``attachment``) and earlier versions kept by incremental updates (``previous_versions``)
    are reported, and their text is scanned too; so are bookmark titles and link targets.

Writing (``write``)
    The glyphs of every masked value, and all text found under dark boxes, are removed from
    the content stream and a black box is drawn where they were; every other glyph stays
    where it was, as text (``pdf_content.py`` explains how). Where removed text lies over a
    picture (a scan with an invisible OCR text layer), the picture's pixels are painted too.
    Metadata (Info author and any masked Info value, the whole XMP packet), annotations
    other than links, form fields and embedded files are removed; the copy is written fresh,
    without earlier versions. A scanned (OCR'd) page with a masked value is rasterised at
    the OCR resolution, the OCR boxes of the value are painted over in the pixels, and the
    page is replaced by that image: painting a box over the original image would leave the
    image (and the value) in the file. The pipeline then re-extracts the copy (re-running
    OCR on such pages) and refuses a copy in which a masked value can still be read.

Why pikepdf (measured on generated files, see tests/test_pdf.py and benchmarks/bench_pdf.py)
    * pikepdf (qpdf, MPL-2.0) parses and rewrites content streams losslessly: only the
      strings that hold removed glyphs change. Fonts must be decoded with care: simple fonts
      use 1-byte codes, Type0/Identity-H fonts (what Word and LibreOffice write for Chinese)
      2-byte codes, other CMaps a code-space trie. We do not guess: pdfminer's own font and
      CMap objects (built from the pikepdf dictionaries) split the strings, so the n-th glyph
      we see is the n-th character pdfplumber reported, checked by count on every edited
      page (a mismatch is an error, never a silent partial redaction). Writing a 50-page
      file takes well under the 5 pages/s budget.
    * pypdfium2 (Apache-2.0/BSD) can only delete whole text objects. Measured by
      benchmarks/bench_pdf.py on the 50-page benchmark file: deleting the text objects that
      hold the masked values would also delete 1652 other characters for 692 masked ones
      (2.4 per masked character: the sentence around a name goes with it); glyph removal
      deletes none (tests/test_pdf.py::test_kept_text_does_not_move). We use pdfium for
      rendering (OCR, rasterised pages) and as an independent reader in tests.
    * PyMuPDF's apply_redactions does character-level removal but is AGPL-3.0: not a
      dependency of this package.

Lossy, by design: fonts keep glyph outlines of removed characters (shapes, not text); the
copy shows a box, not the operator's replacement text, where characters go (an embedded
font subset has no glyphs to write new text with); text inside annotation appearance
streams and form fields goes with the annotation; a rasterised OCR page stays an image.
Alternate texts of a tagged PDF are read; if one holds a masked value the tags are dropped
from the copy (it stays readable, no longer tagged). Bookmark titles and link targets are
read: a masked value in a bookmark is masked there, a link whose target holds one is removed.
Read and masked like any text, but not reported as hidden: text drawn white on white, behind
pictures, outside the page or in hidden layers (only dark boxes and /Redact marks are).
Not read: a page's thumbnail image (removed from the copy), text drawn as vector outlines.
"""
from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..document import METADATA, OCR, TABLE, UNDER_BOX, BODY, Document, Edit, Segment
from ..errors import UnreadableFileError
from ..findings import Finding

ANNOTATION = "annotation"
OUTLINE = "outline"
PREVIOUS = "previous_version"
STRUCTURE = "structure"
ATTACHMENT = "attachment"
NO_TEXT = "image"


DARK = 0.35          # luminance at or below which a filled rectangle may hide text
CONTRAST = 0.25      # text whose luminance is this close to the box's cannot be read
COLGAP = 1.5         # a gap of this many character heights inside a line separates columns
MIN_BOX = 3.0        # points; thinner filled rectangles are rules and table lines
OCR_COVER = 0.5      # a page whose images cover this much and that has little text is a scan
OCR_MAX_CHARS = 20
# Author values that name no one (generators' and Office defaults): not reported.
GENERIC_AUTHORS = {"", "anonymous", "unknown", "unspecified", "administrator", "admin", "user", "owner", "author",
                   "微软用户", "微软中国", "用户", "作者", "系统管理员", "walkinwifi", "lenovo", "dell", "hp",
                   "python-docx", "reportlab", "libreoffice", "wps", "microsoft word", "microsoft office user"}


def _luma(color: Any) -> float:
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


_DIGITS = re.compile(r"\d{4}")


def _is_label(text: str) -> bool:
    """A header cell: short and without a number in it (a data row is not a header, and a
    header shown in a report must not carry a value)."""
    return len(text) <= 30 and not _DIGITS.search(text)


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


class _Geo:
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

    def box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        ax, ay = self.point(x0, top)
        bx, by = self.point(x1, bottom)
        return min(ax, bx), -max(ay, by), max(ax, bx), -min(ay, by)


@dataclass
class _Page:
    number: int                      # 1-based
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # per char: x0, top, x1, bottom (user space, y flipped)
    under_box: list[int] = field(default_factory=list)   # char indices that lie under dark boxes
    ocr: bool = False


@dataclass
class _Handle:
    path: str
    pages: list[_Page] = field(default_factory=list)
    maps: dict[int, list[int]] = field(default_factory=dict)            # segment -> char index per text position
    ocr_maps: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)  # pixel boxes
    seg_page: dict[int, int] = field(default_factory=dict)              # segment -> page index
    last_header: tuple[int, dict[int, str]] | None = None               # while extracting: (columns, header)


def _open_pike(path: Path):
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


class PdfAdapter:
    name = "pdf"
    suffixes = (".pdf",)

    # ------------------------------------------------------------------ extract
    def extract(self, path: Path) -> Document:
        path = Path(path)
        with path.open("rb") as f:
            if b"%PDF" not in f.read(1024):
                raise UnreadableFileError("not a PDF (no %PDF header)", path=str(path))
        pike = _open_pike(path)
        try:
            import pdfplumber
            from pdfminer.pdfparser import PDFSyntaxError
            from pdfminer.psparser import PSException
            from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

            segments: list[Segment] = []
            notices: list[Finding] = []
            h = _Handle(path=str(path))
            try:
                with pdfplumber.open(path) as pl:
                    pium = None
                    for i, page in enumerate(pl.pages):
                        pium = self._page(page, i, segments, notices, h, pium, path)
                        page.close()
                    if pium is not None:
                        pium.close()
            except (PDFSyntaxError, PSException, MalformedPDFException, PdfminerException) as e:
                raise UnreadableFileError(f"corrupt PDF: {e}", path=str(path)) from None
            self._metadata(pike, segments, notices)
            self._annotations(pike, segments, notices)
            self._attachments(pike, segments, notices)
            self._outlines(pike, segments)
            self._structure(pike, segments)
            self._revisions(path, pike, segments, notices)
        finally:
            pike.close()
        return Document(path=str(path), format=self.name, segments=segments, notices=notices, handle=h)

    def _page(self, page, i: int, segments: list[Segment], notices: list[Finding], h: _Handle, pium, path: Path):
        geo = _Geo(page)
        info = _Page(number=i + 1)
        h.pages.append(info)
        # Layout works in the page's own (unrotated) user space, y flipped: 'top' grows downwards.
        # A page shown rotated (/Rotate 90, 180, 270) is then laid out as it was written.
        chars = []
        for c in page.chars:
            x0, top, x1, bottom = geo.box(c["x0"], c["top"], c["x1"], c["bottom"])
            chars.append({"text": c["text"], "x0": x0, "top": top, "x1": x1, "bottom": bottom,
                          "luma": _luma(c.get("non_stroking_color"))})
        info.boxes = [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars]
        texts = [c["text"] for c in chars]

        # Filled dark rectangles, and the characters under them that cannot be read (too
        # little contrast: black on black); and redaction annotations marked but never
        # applied (Acrobat's /Redact): everything under those is meant to go.
        boxes: list[tuple[tuple[float, float, float, float], float | None]] = []
        for r in page.rects:
            if r.get("fill") and r["width"] >= MIN_BOX and r["height"] >= MIN_BOX:
                luma = _luma(r.get("non_stroking_color"))
                if luma <= DARK:
                    boxes.append((geo.box(r["x0"], r["top"], r["x1"], r["bottom"]), luma))
        for a in page.annots:
            sub = (a.get("data") or {}).get("Subtype")
            if getattr(sub, "name", sub) in ("Redact", b"Redact"):
                boxes.append((geo.box(a["x0"], a["top"], a["x1"], a["bottom"]), None))
        under: dict[int, list[int]] = {}
        if boxes:
            for ci, c in enumerate(chars):
                cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
                for bi, ((x0, t, x1, b), luma) in enumerate(boxes):
                    if x0 <= cx <= x1 and t <= cy <= b and (luma is None or abs(c["luma"] - luma) < CONTRAST):
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
                        text, cmap = _layout(ids, chars)
                        cells.append((ri, col, text, cmap))
                # Row 0 is the header when it reads like labels; a table without one that has
                # as many columns as the last header seen continues that table (next page).
                ncols = len(table.columns)
                first = {col: text for ri, col, text, _ in cells if ri == 0}
                if first and all(_is_label(t) for t in first.values()):
                    header, start = first, 1
                    h.last_header = (ncols, first)
                elif h.last_header and h.last_header[0] == ncols:
                    header, start = h.last_header[1], 0
                else:
                    header, start = {}, 0
                for ri, col, text, cmap in cells:
                    if text.strip():
                        self._add(segments, h, i, cmap, Segment(
                            text=text, origin=TABLE,
                            location={"page": i + 1, "table": ti, "row": ri, "col": col},
                            column_header=header.get(col) if ri >= start else None))

        # Paragraphs from the remaining characters.
        rest = [ci for ci in range(len(chars)) if ci not in used]
        for pi, (text, cmap) in enumerate(_paragraphs(rest, chars)):
            if text.strip():
                self._add(segments, h, i, cmap, Segment(text=text, origin=BODY, location={"page": i + 1, "paragraph": pi}))
        # Tables without rules: the paragraphs above read them row by row, which cuts a value
        # that wraps inside its column. Each such multi-line cell is one more segment.
        for line_no, col, header, text, cmap in _wrapped_cells(rest, chars):
            self._add(segments, h, i, cmap, Segment(
                text=text, origin=TABLE, location={"page": i + 1, "line": line_no, "col": col, "unruled": True},
                column_header=header))

        # Text under dark boxes: read above like the rest, reported here (the segment is a
        # place holder without text, so no value is found twice), removed from the copy.
        for bi, ids in sorted(under.items()):
            text, _ = _layout(ids, chars)
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
            pium = self._ocr_page(i, segments, notices, h, pium, path, why="its text cannot be decoded (fonts without a Unicode map)")
        elif page.images and visible <= OCR_MAX_CHARS:
            area = max(1.0, float(page.width) * float(page.height))
            cover = sum(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images) / area
            if visible == 0 or cover >= OCR_COVER:
                pium = self._ocr_page(i, segments, notices, h, pium, path)
        del texts
        return pium

    def _ocr_page(self, i: int, segments: list[Segment], notices: list[Finding], h: _Handle, pium, path: Path,
                  why: str = "it is an image without a text layer"):
        from . import ocr

        missing = ocr.available()
        if missing:
            _unchecked_page(segments, notices, i, f"{why}, and OCR is not available ({missing}). It may hold "
                            "personal data; install Tesseract with chi_sim or check it by eye")
            return pium
        if pium is None:
            import pypdfium2 as pdfium

            pium = pdfium.PdfDocument(str(path))
        png = render_png(pium, i)
        try:
            words = ocr.ocr_png(png)
        except ocr.OcrUnavailable as e:
            _unchecked_page(segments, notices, i, f"{why}, and OCR failed: {e}")
            return pium
        h.pages[i].ocr = True
        first = len(segments)
        for li, line in enumerate(ocr.lines_to_paragraphs(ocr.words_to_lines(words))):
            seg = len(segments)
            segments.append(Segment(text=line.text, origin=OCR, location={"page": i + 1, "paragraph": li}))
            h.ocr_maps[seg] = list(line.boxes)
            h.seg_page[seg] = i
        if len(segments) == first:
            segments.append(Segment(text="", origin=OCR, location={"page": i + 1}))
        notices.append(Finding(
            kind="ocr_page", start=0, end=0, text="", score=1.0, rule="pdf.ocr",
            explanation=f"page {i + 1}: {why}; its text was read by OCR (Tesseract chi_sim, {ocr.DPI} dpi), "
                        f"which can misread characters: check masked values by eye",
            segment=first))
        return pium

    @staticmethod
    def _add(segments: list[Segment], h: _Handle, page: int, cmap: list[int], seg: Segment) -> int:
        idx = len(segments)
        segments.append(seg)
        h.maps[idx] = cmap
        h.seg_page[idx] = page
        return idx

    def _metadata(self, pike, segments: list[Segment], notices: list[Finding]) -> None:
        info = pike.trailer.get("/Info")
        personal = []
        if info is not None:
            for key, value in info.items():
                try:
                    text = str(value).strip()
                except (TypeError, ValueError):
                    continue
                if not text:
                    continue
                segments.append(Segment(text=text, origin=METADATA, location={"property": key[1:]}))
                if key in ("/Author", "/LastModifiedBy") and text.lower() not in GENERIC_AUTHORS:
                    personal.append((len(segments) - 1, key[1:], text))
        xmp = pike.Root.get("/Metadata")
        if xmp is not None:
            try:
                raw = xmp.read_bytes().decode("utf-8", "replace")
            except Exception:  # noqa: BLE001 - a broken XMP stream is still removed on write
                raw = ""
            text = " ".join(t.strip() for t in re.findall(r">([^<>]+)<", raw) if t.strip())
            segments.append(Segment(text=text, origin=METADATA, location={"property": "XMP"}))
            m = re.search(r"<dc:creator[^>]*>.*?<rdf:li[^>]*>([^<]*)<|<pdf:Author[^>]*>([^<]*)<|pdf:Author=\"([^\"]*)\"", raw, re.S)
            if m and (m.group(1) or m.group(2) or m.group(3) or "").strip().lower() not in GENERIC_AUTHORS:
                personal.append((len(segments) - 1, "XMP creator", text))
        for seg, key, text in personal:
            notices.append(Finding(
                kind="metadata", start=0, end=len(text), text=text, score=1.0, rule=f"pdf.metadata.{key}",
                explanation=f"document property '{key}' names a person; it is removed from the redacted copy",
                segment=seg))

    def _annotations(self, pike, segments: list[Segment], notices: list[Finding]) -> None:
        import pikepdf

        for pi, page in enumerate(pike.pages):
            for ai, annot in enumerate(page.obj.get("/Annots") or []):
                try:
                    sub = str(annot.get("/Subtype", "/Unknown"))[1:]
                except (AttributeError, TypeError):
                    continue
                if sub == "Link":  # kept in the copy, but its target may name someone (mailto:)
                    action = annot.get("/A")
                    uri = action.get("/URI") if isinstance(action, pikepdf.Dictionary) else None
                    if isinstance(uri, pikepdf.String) and str(uri).strip():
                        segments.append(Segment(text=str(uri), origin=ANNOTATION,
                                                location={"page": pi + 1, "annotation": ai, "subtype": "Link"}))
                    continue
                if sub == "Popup":
                    continue
                parts = []
                for k in ("/T", "/Contents", "/Subj", "/TU", "/V"):
                    v = annot.get(k)
                    if isinstance(v, pikepdf.String):
                        parts.append(str(v))
                rc = annot.get("/RC")
                if rc is not None:
                    try:
                        rc_text = rc.read_bytes().decode("utf-8", "replace") if hasattr(rc, "read_bytes") else str(rc)
                        parts.append(" ".join(re.findall(r">([^<>]+)<", rc_text)))
                    except Exception:  # noqa: BLE001
                        pass
                text = "\n".join(p for p in parts if p.strip())
                seg = len(segments)
                kind = ATTACHMENT if sub == "FileAttachment" else ANNOTATION
                segments.append(Segment(text=text, origin=kind, location={"page": pi + 1, "annotation": ai, "subtype": sub}))
                what = "a form field" if sub == "Widget" else f"a {sub} annotation"
                notices.append(Finding(
                    kind=kind, start=0, end=len(text), text=text, score=1.0, rule=f"pdf.annotation.{sub}",
                    explanation=f"page {pi + 1}: {what} (comments and attached files are not part of the page text); "
                                f"it is removed from the redacted copy", segment=seg))

    def _attachments(self, pike, segments: list[Segment], notices: list[Finding]) -> None:
        try:
            names = list(pike.attachments.keys())
        except Exception:  # noqa: BLE001 - a broken name tree is still removed on write
            names = ["(unreadable)"] if "/Names" in pike.Root and "/EmbeddedFiles" in pike.Root.Names else []
        for name in names:
            seg = len(segments)
            segments.append(Segment(text=name, origin=ATTACHMENT, location={"attachment": name}))
            notices.append(Finding(
                kind="attachment", start=0, end=len(name), text=name, score=1.0, rule="pdf.attachment",
                explanation="an embedded file; its content is not checked and it is removed from the redacted copy",
                segment=seg))

    # ------------------------------------------------------------------ write
    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        import pikepdf

        from .pdf_content import ContentMismatch, FontCache, paint_images, remove_glyphs

        h: _Handle = doc.handle
        remove: dict[int, set[int]] = {}
        paint: dict[int, list[tuple[float, float, float, float]]] = {}
        meta: dict[str, list[Edit]] = {}
        for e in edits:
            seg = doc.segments[e.segment]
            span = _changed(seg.text[e.start:e.end], e.replacement)
            if e.segment in h.maps:
                cmap = h.maps[e.segment]
                ids = [cmap[e.start + k] for k in span if cmap[e.start + k] >= 0]
                remove.setdefault(h.seg_page[e.segment], set()).update(ids)
            elif e.segment in h.ocr_maps:
                boxes = h.ocr_maps[e.segment]
                paint.setdefault(h.seg_page[e.segment], []).extend(boxes[e.start + k] for k in span)
            elif seg.origin == METADATA:
                meta.setdefault(str(seg.location.get("property")), []).append(e)
            elif seg.origin == STRUCTURE:
                meta.setdefault("structure", [])
            elif seg.origin == OUTLINE:
                meta.setdefault(f"outline:{seg.location['outline']}", []).append(e)
            elif seg.origin == ANNOTATION and seg.location.get("subtype") == "Link":
                meta.setdefault(f"link:{seg.location['page'] - 1}:{seg.location['annotation']}", [])
        for pi, page in enumerate(h.pages):
            if page.under_box:
                remove.setdefault(pi, set()).update(page.under_box)

        pdf = pikepdf.open(h.path)
        try:
            fonts = FontCache()
            for pi, ids in sorted(remove.items()):
                if not ids:
                    continue
                info = h.pages[pi]
                boxes = _merge([info.boxes[c] for c in sorted(ids)])
                try:
                    images = remove_glyphs(pdf, pdf.pages[pi], ids, fonts, expected=len(info.boxes), append=self._box_ops(info, boxes))
                except ContentMismatch as e:
                    raise UnreadableFileError(f"page {info.number}: cannot locate the text to remove ({e})", path=doc.path) from None
                if images:  # text over a picture (a scan with an OCR text layer): paint the pixels too
                    paint_images(pdf, pdf.pages[pi], images, [(x0, -b, x1, -t) for x0, t, x1, b in boxes])
            if paint:
                import pypdfium2 as pdfium

                # Render the pages as edited so far: text removed and boxed on a page that is
                # also OCR'd (undecodable fonts) must not come back as pixels.
                staged = io.BytesIO()
                pdf.save(staged)
                pium = pdfium.PdfDocument(staged.getvalue())
                try:
                    for pi, pboxes in sorted(paint.items()):
                        _rasterise(pdf, pdf.pages[pi], pium, pi, pboxes)
                finally:
                    pium.close()
            self._scrub(pdf, meta, doc)
            pdf.save(out_path)
        finally:
            pdf.close()

    @staticmethod
    def _box_ops(info: _Page, boxes: list[tuple[float, float, float, float]]) -> bytes:
        ops = [b"q 0 0 0 rg"]
        for x0, top, x1, bottom in boxes:
            ops.append(b"%.3f %.3f %.3f %.3f re f" % (x0, -bottom, x1 - x0, bottom - top))
        ops.append(b"Q\n")
        return b"\n".join(ops)

    def _scrub(self, pdf, meta: dict[str, list[Edit]], doc: Document) -> None:
        import pikepdf

        from .text import apply_edits

        info = pdf.trailer.get("/Info")
        if info is not None:
            for key in list(info.keys()):
                name = key[1:]
                if key in ("/Author", "/LastModifiedBy"):
                    del info[key]
                elif name in meta:
                    seg_idx = meta[name][0].segment
                    info[key] = pikepdf.String(apply_edits(doc.segments[seg_idx].text, meta[name]))
        if "structure" in meta:  # alternate texts hold a masked value: drop the tags
            for key in ("/StructTreeRoot", "/MarkInfo"):
                if key in pdf.Root:
                    del pdf.Root[key]
            for p in pdf.pages:
                if "/StructParents" in p.obj:
                    del p.obj["/StructParents"]
        for owner in [pdf.Root] + [p.obj for p in pdf.pages]:
            for key in ("/Metadata", "/PieceInfo", "/Thumb"):
                if key in owner:
                    del owner[key]
        if "/Names" in pdf.Root and "/EmbeddedFiles" in pdf.Root.Names:
            del pdf.Root.Names["/EmbeddedFiles"]
        if "/AF" in pdf.Root:
            del pdf.Root["/AF"]
        for pi, page in enumerate(pdf.pages):
            annots = page.obj.get("/Annots")
            if annots is None:
                continue
            keep = [a for ai, a in enumerate(annots) if a.get("/Subtype") == "/Link" and f"link:{pi}:{ai}" not in meta]
            if keep:
                page.obj["/Annots"] = pikepdf.Array(keep)
            else:
                del page.obj["/Annots"]
        if "/AcroForm" in pdf.Root:
            del pdf.Root["/AcroForm"]
        for n, item in enumerate(_outline_items(pdf)):
            key = f"outline:{n}"
            if key in meta:
                item["/Title"] = pikepdf.String(apply_edits(str(item.get("/Title", "")), meta[key]))

    def _revisions(self, path: Path, pike, segments: list[Segment], notices: list[Finding]) -> None:
        """Incremental updates keep every earlier version of the file after its end: text
        deleted in an editor is still there. Counted by end-of-file markers (a linearised
        file has one more); the redacted copy is written fresh, with the current version only."""
        import mmap

        ends = []
        with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            pos = m.find(b"%%EOF")
            while pos >= 0:
                ends.append(pos + 5)
                pos = m.find(b"%%EOF", pos + 5)
        expected = 2 if pike.is_linearized else 1
        count = len(ends)
        if count > expected:
            n = count - expected
            self._old_versions(path, ends[expected - 1:-1], segments)
            seg = len(segments)
            segments.append(Segment(text="", origin=METADATA, location={"property": "previous versions"}))
            notices.append(Finding(
                kind="previous_versions", start=0, end=0, text="", score=1.0, rule="pdf.incremental_update",
                explanation=f"the file keeps {n} earlier version(s) of itself (incremental updates): text deleted "
                            f"since can still be recovered; the redacted copy keeps the current version only",
                segment=seg, attrs={"versions": n}))

    @staticmethod
    def _old_versions(path: Path, ends: list[int], segments: list[Segment]) -> None:
        """The text of each earlier version, so that what it holds is reported (the copy
        drops those versions, so nothing of them is written back)."""
        import pdfplumber

        with path.open("rb") as f:
            for version, end in enumerate(ends, start=1):
                f.seek(0)
                data = f.read(end)
                try:
                    with pdfplumber.open(io.BytesIO(data)) as old:
                        for pi, page in enumerate(old.pages):
                            text = page.extract_text() or ""
                            page.close()
                            if text.strip():
                                segments.append(Segment(text=text, origin=PREVIOUS,
                                                        location={"version": version, "page": pi + 1}))
                except Exception:  # noqa: BLE001 - a broken old version is still dropped from the copy
                    continue

    def _structure(self, pike, segments: list[Segment]) -> None:
        """Alternate texts of a tagged PDF (/Alt, /ActualText, /E, /T): screen readers speak
        them; Word writes the alt text of pictures there."""
        import pikepdf

        root = pike.Root.get("/StructTreeRoot")
        if root is None:
            return
        stack, seen, texts = [root], set(), []
        while stack and len(seen) < 200000:
            node = stack.pop()
            key = node.objgen if getattr(node, "is_indirect", False) else id(node)
            if key in seen:
                continue
            seen.add(key)
            if isinstance(node, pikepdf.Dictionary):
                for k in ("/Alt", "/ActualText", "/E", "/T"):
                    v = node.get(k)
                    if isinstance(v, pikepdf.String) and str(v).strip():
                        texts.append(str(v))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary))
                elif isinstance(kids, pikepdf.Dictionary):
                    stack.append(kids)
        for n, text in enumerate(texts):
            segments.append(Segment(text=text, origin=STRUCTURE, location={"alternate_text": n}))

    def _outlines(self, pike, segments: list[Segment]) -> None:
        for n, item in enumerate(_outline_items(pike)):
            title = item.get("/Title")
            segments.append(Segment(text=str(title) if title is not None else "", origin=OUTLINE, location={"outline": n}))


def _outline_items(pdf) -> list:
    """Bookmarks in document order (depth first), each visited once."""
    out: list = []
    root = pdf.Root.get("/Outlines")
    seen: set = set()
    stack = [root.get("/First")] if root is not None else []
    while stack and len(out) < 100000:
        item = stack.pop()
        if item is None or not hasattr(item, "get"):
            continue
        key = item.objgen if item.is_indirect else id(item)
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
        stack.append(item.get("/Next"))
        stack.append(item.get("/First"))  # popped first: children before the next sibling
    return out


def _changed(original: str, replacement: str) -> list[int]:
    """Positions of ``original`` that the replacement does not keep. New glyphs cannot be
    added to a PDF's embedded font subsets, so the copy shows a box where characters go. A
    same-length replacement that keeps only Latin letters and digits (110101********1234,
    139****5678) keeps those glyphs: such fragments fail the validators. Any other
    replacement removes the whole value: a kept surname without its 某 (张某 -> 张, 司马某 ->
    司马) would read as a new name."""
    if len(original) == len(replacement):
        changed = [k for k, (a, b) in enumerate(zip(original, replacement)) if a != b]
        kept = [original[k] for k in range(len(original)) if k not in set(changed)]
        if all(c.isascii() for c in kept):
            return changed
    return list(range(len(original)))


def _merge(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
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


# --- text layout ----------------------------------------------------------------------------
def _lines(ids: list[int], chars: list[dict]) -> list[list[int]]:
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


def _line_text(line: list[int], chars: list[dict]) -> tuple[str, list[int]]:
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
                    and not (_is_cjk(prev["text"][-1:]) and _is_cjk(c["text"][:1]))):
                text.append(" ")
                cmap.append(-1)
        for ch in c["text"]:
            text.append(ch)
            cmap.append(ci)
        prev = c
    return "".join(text), cmap


def _fragments(line: list[int], chars: list[dict]) -> list[list[int]]:
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


def _wrapped_cells(ids: list[int], chars: list[dict]) -> list[tuple[int, int, str | None, str, list[int]]]:
    """Cells of unruled tables whose text wraps onto following lines.

    A line split into two or more column fragments starts a row; a following line close below
    whose fragments all start where fragments of that row start (and that has fewer of them)
    continues those cells. Returns (line, column, header, text, char map) for each cell that
    spans two lines or more; the header is the fragment at the same position in the nearest
    line above made only of labels (姓名 身份证号码 ...)."""
    lines = _lines(ids, chars)
    frags = [_fragments(line, chars) for line in lines]
    out = []
    header: dict[int, str] = {}
    k = 0
    tol = 3.0
    while k < len(lines):
        row = frags[k]
        if len(row) < 2:
            k += 1
            continue
        texts = [_layout(f, chars)[0] for f in row]
        if all(_is_label(t) for t in texts):
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
                text, cmap = _layout(cell, chars)
                x0 = round(starts[col])
                head = next((t for hx, t in header.items() if abs(hx - x0) <= tol), None)
                out.append((k, col, head, text, cmap))
        k = j
    return out


def _joiner(a: str, b: str) -> str:
    """What goes between two wrapped lines: nothing for Chinese and digits, a space for Latin."""
    if not a or not b:
        return ""
    x, y = a[-1], b[0]
    if x.isspace() or y.isspace():
        return ""
    if (x.isascii() and x.isalpha()) and (y.isascii() and y.isalpha()):
        return " "
    return ""


def _layout(ids: list[int], chars: list[dict]) -> tuple[str, list[int]]:
    """Text of one block (a table cell, a box): its lines joined as wrapped lines."""
    text, cmap = "", []
    for line in _lines(ids, chars):
        lt, lm = _line_text(line, chars)
        j = _joiner(text, lt)
        text += j + lt
        cmap += [-1] * len(j) + lm
    return text, cmap


def _paragraphs(ids: list[int], chars: list[dict]) -> list[tuple[str, list[int]]]:
    """Lines grouped into paragraphs: a paragraph breaks at a wide vertical gap, an indented
    line, or after a line that ends well short of the others."""
    lines = _lines(ids, chars)
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
        lt, lm = _line_text(line, chars)
        if prev is not None:
            p_x0, p_x1, p_bottom, p_size = prev
            # A line that ends short is NOT a break by itself: joining too much only makes a
            # segment longer, splitting a wrapped value would hide it from the detectors.
            new = (top - p_bottom > 0.9 * max(size, p_size) or x0 > p_x0 + 1.5 * size
                   or abs(size - p_size) > 0.3 * p_size)
            if new:
                paras.append((text, cmap))
                text, cmap = "", []
        j = _joiner(text, lt)
        text += j + lt
        cmap += [-1] * len(j) + lm
        prev = (x0, x1, bottom, size)
    paras.append((text, cmap))
    return paras


# --- rendering ------------------------------------------------------------------------------
def render_png(pium, index: int) -> bytes:
    from .ocr import DPI

    bitmap = pium[index].render(scale=DPI / 72)
    img = bitmap.to_pil()
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _rasterise(pdf, page, pium, index: int, boxes: list[tuple[float, float, float, float]]) -> None:
    """Replace a page by a rendered image of it with ``boxes`` (pixels) painted black."""
    import pikepdf
    from PIL import Image, ImageDraw

    from .ocr import DPI

    img = Image.open(io.BytesIO(render_png(pium, index))).convert("RGB")
    draw = ImageDraw.Draw(img)
    pad = 4
    for x0, t, x1, b in boxes:
        draw.rectangle([x0 - pad, t - pad, x1 + pad, b + pad], fill=(0, 0, 0))
    w_px, h_px = img.size
    w_pt, h_pt = w_px * 72 / DPI, h_px * 72 / DPI
    stream = pikepdf.Stream(pdf, zlib.compress(img.tobytes(), 6))
    stream["/Type"] = pikepdf.Name.XObject
    stream["/Subtype"] = pikepdf.Name.Image
    stream["/Width"], stream["/Height"] = w_px, h_px
    stream["/ColorSpace"] = pikepdf.Name.DeviceRGB
    stream["/BitsPerComponent"] = 8
    stream["/Filter"] = pikepdf.Name.FlateDecode
    obj = page.obj
    obj["/Resources"] = pikepdf.Dictionary({"/XObject": pikepdf.Dictionary({"/RdScan": stream})})
    obj["/Contents"] = pikepdf.Stream(pdf, b"q %.3f 0 0 %.3f 0 0 cm /RdScan Do Q\n" % (w_pt, h_pt))
    obj["/MediaBox"] = pikepdf.Array([0, 0, w_pt, h_pt])
    for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate"):
        if key in obj:
            del obj[key]


def _unchecked_page(segments: list[Segment], notices: list[Finding], i: int, why: str) -> None:
    """A page nobody could read: an empty segment and a blocking no_text_layer notice on it."""
    seg = len(segments)
    segments.append(Segment(text="", origin=NO_TEXT, location={"page": i + 1}))
    notices.append(Finding(kind="no_text_layer", start=0, end=0, text="", score=1.0, rule="pdf.no_text_layer",
                           explanation=f"page {i + 1} could not be checked: {why}", segment=seg))
