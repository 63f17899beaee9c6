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
    where it was, as text (``content.py`` explains how). Where removed text lies over a
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

Modules, by job: ``read.py`` (page text, tables, text under boxes), ``layout.py`` (characters
to lines, paragraphs, cells), ``parts.py`` (metadata, annotations, attachments, bookmarks,
tags, earlier versions), ``ocr_pages.py`` (the bridge to ``formats/ocr.py``), ``write.py``
(true redaction), ``content.py`` (glyph removal in content streams), ``scrub.py`` (what the
copy drops), ``geometry.py`` and ``model.py`` (boxes, the handle shared by read and write).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...document import Document, Edit
from .ocr_pages import render_png

__all__ = ["PdfAdapter", "render_png"]


class PdfAdapter:
    name = "pdf"
    suffixes = (".pdf",)

    def extract(self, path: Path) -> Document:
        from .read import extract

        return extract(Path(path), self.name)

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        from .write import write

        write(doc, edits, out_path)
