"""PDF: pdfplumber reads, pikepdf writes a truly redacted copy, Tesseract reads what the glyphs
do not say (scanned pages, pages whose fonts cannot be trusted).

The rule (issue 11): the copy keeps only what was read and checked. Everything the reader
does not understand is removed from the copy and reported, or the file is blocked.

Reading (``extract``)
    pdfplumber gives every character with its box. The page text keeps the page's structure
    (``layout.py``): a line break per text line, a blank line between blocks, columns read one
    after the other, rotated text read along its baseline, letter-spaced digits as one
    number; a line wrapped at the right edge goes on without a break (a value wrapped there
    is one string), also across a page break (location {page, to_page}). Ruled table cells
    are segments of their own (location {page, table, row, col}; ``column_header`` = the cell
    in row 0 when it reads like a label, carried over to a table continued on the next
    page), in reading order between the text above and below them; a cell of an unruled
    table that wraps is one more (location {page, line, col, unruled}). Text under a dark box
    or an unapplied /Redact mark is read in its place and reported (``fake_redaction``).
    ``Document.handle`` maps every text position to a character (document-wide index), so
    ``write`` knows exactly which glyphs an ``Edit`` covers; kept strings (document
    properties, bookmark titles, link targets and descriptions, layer names, page labels,
    alternate texts) map to where they live (``Handle.slots``).
    Fonts are checked (``fonts.py``); a page whose fonts cannot be trusted is cross-checked
    by OCR, or blocks the file without OCR. A page that is a picture is OCR'd
    (``ocr_pages.py``: table cells found in the picture, lines and blocks like a text page);
    without OCR it blocks the file (``no_text_layer``). Annotations, form fields, embedded
    files and earlier versions are reported, and their text is checked. Finally the
    allow-list of the copy (``scrub.py``) runs on the file read: what it would remove is
    checked (its text) and reported (``script``, ``unseen_content``, ``metadata``) before any
    copy is written.

Writing (``write``)
    The glyphs of every masked value, and all text found under dark boxes, are removed from
    the content stream and a black box is drawn where they were; every other glyph stays
    where it was, as text (``content.py``). Where removed text lies over a picture (a scan
    with an invisible OCR text layer), the picture's pixels are painted too. Kept strings
    with a masked value are masked in place (a link whose target holds one goes; alternate
    texts holding one go from the whole file). A scanned page with a masked value, and a
    page whose fonts were found lying, is replaced by a rendering of it with the value
    painted out (boxes grown to cover whole glyphs) and an invisible text layer of its OCR'd
    characters outside the boxes: painting over the original picture would leave the picture
    (and the value) in the file. Then the allow-list (``scrub.py``) keeps pages, the
    resources they use, links, bookmarks, labels, layers, tags and document properties, and
    drops everything else; the copy is written fresh, without earlier versions or objects
    nothing refers to.

Why pikepdf (measured on generated files, see tests/test_pdf.py and benchmarks/bench_pdf.py)
    * pikepdf (qpdf, MPL-2.0) parses and rewrites content streams losslessly: only the
      strings that hold removed glyphs change. Fonts must be decoded with care: simple fonts
      use 1-byte codes, Type0/Identity-H fonts (what Word and LibreOffice write for Chinese)
      2-byte codes, other CMaps a code-space trie. We do not guess: pdfminer's own font and
      CMap objects (built from the pikepdf dictionaries) split the strings, so the n-th glyph
      we see is the n-th character pdfplumber reported, checked by count on every edited
      page (a mismatch is an error, never a silent partial redaction).
    * pypdfium2 (Apache-2.0/BSD) can only delete whole text objects. Measured by
      benchmarks/bench_pdf.py on the 50-page benchmark file: deleting the text objects that
      hold the masked values would also delete 1652 other characters for 692 masked ones
      (2.4 per masked character: the sentence around a name goes with it); glyph removal
      deletes none (tests/test_pdf.py::test_kept_text_does_not_move). We use pdfium for
      rendering (OCR, rasterised pages, font checks) and as an independent reader in tests.
    * PyMuPDF's apply_redactions does character-level removal but is AGPL-3.0: not a
      dependency of this package.

Lossy, by design: fonts keep glyph outlines of removed characters (shapes, not text); the
copy shows a box, not the operator's replacement text, where characters go (an embedded
font subset has no glyphs to write new text with); annotations other than links go whole; a
rasterised page stays an image with a text layer. If an alternate text holds a masked value
the tags are dropped (the copy stays readable, no longer tagged). Read and masked like any
text, but not reported as hidden: text drawn white on white, behind pictures, outside the
page or in hidden layers (only dark boxes and /Redact marks are). Not read: text drawn as
vector outlines, pictures on a page that has a text layer (only pictures nobody sees are
reported), the tables inside font programs.

Modules, by job: ``read.py`` (page text, tables, text under boxes, the order of segments),
``layout.py`` (characters to lines, blocks, columns, cells), ``fonts.py`` (can the fonts be
trusted), ``parts.py`` (properties, annotations, attachments, bookmarks, tags, layers,
labels, earlier versions, what the copy drops), ``ocr_pages.py`` (the bridge to
``formats/ocr.py``: OCR'd pages, cross-checks, rasterised pages), ``write.py`` (true
redaction, kept strings masked), ``content.py`` (content streams: glyph removal, what a
stream uses and says), ``scrub.py`` (the allow-list of the copy), ``images.py`` (metadata
inside JPEG and JPEG 2000 data), ``geometry.py`` and ``model.py`` (boxes, the handle shared
by read and write).
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
