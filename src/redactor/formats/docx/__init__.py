"""Word (.docx): every text node a reader or a tool can get at, and a scrubbed, redacted copy.

The package is layered by job: ``package`` (the zip through SafeZip, content types,
relationships, a bounded XML parser), ``parts`` (the allow-list: which parts the copy keeps),
``reader`` (story parts -> segments, with ``model``: where each character lives), ``sweep``
(every other attribute and text node that could hold a value), ``pictures`` (metadata, OCR),
``writer`` (edits applied run by run), ``scrub`` (what the copy drops) and ``adapter``.

The copy keeps only what was read and checked: it is rebuilt from the parts reached through a
relationship type the adapter reads (plus pictures), with every value that had to be masked
masked in place; every other part is dropped and reported (``removed_content``).

Reading works on the OOXML package itself (zip + lxml), not on python-docx's object model,
because python-docx shows only part of what a file holds: ``paragraph.text`` leaves out tracked
insertions and deletions, and it has no notion of text boxes, footnotes or hidden runs. Only
text nodes are read (``w:t``, ``w:delText``, ``w:instrText``, ``m:t`` and a few attributes
such as alt text): a regex over raw XML matches font panose codes and rsids.

What becomes a Segment (``origin`` / ``location``):

- body paragraphs: ``body`` / ``{part, paragraph}``; one segment per paragraph;
- table cells: ``table`` / ``{part, table, row, col}``; one segment per cell (its paragraphs
  joined by newlines); ``column_header`` is the first row's text in that grid column;
- headers, footers: ``header`` / ``footer``; footnotes and endnotes: ``note`` (one per note);
- text boxes: ``textbox`` (one per box; of an ``mc:AlternateContent`` the first ``mc:Choice``
  is read; a Fallback or further Choice whose text differs is ``alternate_content``; the copy
  keeps only the first Choice);
- comments: ``comment`` (one per comment);
- tracked insertions stay in their paragraph (it is written with them accepted, and the
  detectors need the surrounding words); such a paragraph's segment gets origin
  ``tracked_insert`` and keeps its container in ``location["container"]``;
- tracked deletions (``w:del``/``w:moveFrom``): ``tracked_delete``, one per contiguous run of
  deleted text; hidden runs (``w:vanish``, directly or through a style): ``hidden_text``;
- field codes (``w:instrText``, ``w:fldSimple/@w:instr``, form-field defaults, help texts
  and list entries): ``field``; WordArt text (``v:textpath/@string``, the usual header
  watermark such as 内部资料): ``watermark``; alt text of pictures:
  ``alt_text``; external hyperlink targets: ``hyperlink``;
- document properties (core.xml, app.xml, custom.xml), document variables (``w:docVar``,
  removed from the copy), the attached template's local path (often holds a user name;
  reduced to its file name): ``metadata`` / ``{part, property}``;
- everything else in a kept XML part that could hold a value (``sweep.py``): ``markup`` /
  ``{part, element, attribute}`` (``metadata`` in docProps and customXml);
- text of SmartArt diagrams and charts: ``diagram`` / ``chart`` (a chart's embedded workbook
  is dropped);
- pictures: their metadata (``metadata``, removed) and the text drawn in them (``ocr`` when
  Tesseract is installed, ``picture_text`` for metafiles): a value to mask there blanks the
  picture;
- dropped parts (unknown, unreferenced, embedded packages, OLE objects ...): ``removed_part``,
  their text read loosely so that check reports it;
- imported HTML/text chunks (``w:altChunk``): ``alt_chunk``, read-only: a value to mask in
  one makes ``write`` refuse the copy (Word merges the chunk when the file is saved);
- pictures, charts, diagrams, the thumbnail: ``embedded_object`` (empty text, a report).

The adapter adds notices (``Document.notices``) for comments, tracked changes, hidden text,
personal document properties and embedded objects, each pointing at its segment.

Writing applies each Edit to the text nodes its characters came from: a value split over
runs with different formatting is masked run by run (each run keeps its own ``w:rPr``);
``Paragraph.text =`` is never used. Equal-length replacements (masks) are spread over the
runs character by character; other replacements go into the first run and the rest of the
value is deleted. The copy is scrubbed: tracked insertions accepted, deletions removed,
formatting revisions dropped, comments removed (parts, relationships, content types and the
anchors in the text), hidden runs removed, personal properties emptied, custom properties and
the thumbnail (a picture of the unredacted first page) removed. Lossy, on purpose: revision
history, comments, hidden text and the thumbnail are gone; a paragraph deleted as a whole
is removed, but a deleted paragraph mark under remaining text is not merged into the next
paragraph (the text is the same, the paragraph count may differ from Word's "accept all").
Pictures keep only the chunks needed to draw them; elements that point at a dropped part (an
OLE object's data, a chart's workbook, an ActiveX control) go with it. Last, every XML part of
the copy is searched for the masked values, short names included (a net under the readers):
if one is found the copy is refused with VerificationError.
"""
from __future__ import annotations

from .adapter import DocxAdapter

__all__ = ["DocxAdapter"]
