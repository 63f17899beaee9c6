"""Word (.docx): every text node a reader or a tool can get at, and a scrubbed, redacted copy.

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
- text boxes: ``textbox`` (one per box; of an ``mc:AlternateContent`` only the first
  ``mc:Choice`` is read, and the written copy drops the ``mc:Fallback`` duplicate);
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
  reduced to its file name) and custom XML data parts: ``metadata`` / ``{part, property}``;
- text of SmartArt diagrams and charts: ``diagram`` / ``chart`` (a masked chart loses its
  embedded workbook, which holds the same values);
- imported HTML/text chunks (``w:altChunk``): ``alt_chunk``, read-only: a value to mask in
  one makes ``write`` refuse the copy (Word merges the chunk when the file is saved);
- embedded pictures, OLE objects, charts, diagrams, the thumbnail: ``embedded_object`` (empty
  text; what is inside cannot be checked, it is reported).

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
paragraph (the text is the same, the paragraph count may differ from Word's "accept all"). Embedded pictures and OLE objects are kept and only reported; a chart
whose text was masked loses its embedded workbook. Last, every XML part of the copy is
searched for the masked values (a net for places the reader does not show, such as bookmark
names): if one is found the copy is refused with VerificationError.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..document import (
    BODY,
    COMMENT,
    FOOTER,
    HEADER,
    HIDDEN_TEXT,
    METADATA,
    NOTE,
    TABLE,
    TEXTBOX,
    TRACKED_DELETE,
    TRACKED_INSERT,
    Document,
    Edit,
    Segment,
)
from ..errors import UnreadableFileError, VerificationError
from ..findings import Finding

# Origins this adapter adds to the common ones in document.py.
FIELD = "field"
WATERMARK = "watermark"
DIAGRAM = "diagram"
ALT_CHUNK = "alt_chunk"
CHART = "chart"
ALT_TEXT = "alt_text"
HYPERLINK = "hyperlink"
EMBEDDED = "embedded_object"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
EP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUST_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNCOMPRESSED = 2 * 1024**3  # a zip bomb guard: 2 GiB of XML is not a Word document


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def mc(name: str) -> str:
    return f"{{{MC_NS}}}{name}"


W_P, W_R, W_T, W_TBL, W_TR, W_TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
W_PPR, W_RPR, W_TRPR = w("pPr"), w("rPr"), w("trPr")
W_DEL, W_INS, W_MOVEFROM, W_MOVETO = w("del"), w("ins"), w("moveFrom"), w("moveTo")
W_DELTEXT, W_INSTR, W_DELINSTR = w("delText"), w("instrText"), w("delInstrText")
W_VANISH, W_RSTYLE, W_PSTYLE = w("vanish"), w("rStyle"), w("pStyle")
W_TXBX = w("txbxContent")
W_SDT, W_SDTCONTENT, W_SDTPR = w("sdt"), w("sdtContent"), w("sdtPr")
W_FLDSIMPLE = w("fldSimple")
W_VAL = w("val")
M_T = f"{{{M_NS}}}t"
V_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"  # WordArt, e.g. a watermark in a header
# Legacy form fields keep a default text, help and status texts and list entries in attributes.
FORM_FIELD_ATTRS = {w("default"), w("helpText"), w("statusText"), w("listEntry")}
MC_AC, MC_CHOICE, MC_FALLBACK = mc("AlternateContent"), mc("Choice"), mc("Fallback")
# Characters that structural elements stand for inside a run.
STRUCTURAL = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "\u2011", w("ptab"): "\t"}
TEXT_TAGS = {W_T, W_DELTEXT, W_INSTR, W_DELINSTR, M_T}
SKIP_IN_PARAGRAPH = {W_PPR, W_RPR, W_SDTPR, w("fldData"), w("rubyPr")}
# Revision records of formatting/properties: accepted by dropping them (they hold author/date).
PROPERTY_CHANGES = {
    w(n)
    for n in (
        "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange", "tblGridChange",
        "tcPrChange", "trPrChange", "numberingChange",
    )
}
RANGE_MARKERS = {
    w(n)
    for n in (
        "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
        "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
        "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
        "customXmlMoveToRangeEnd", "permStart", "permEnd",  # permissions name an editor (w:ed)
    )
}
COMMENT_ANCHORS = {w("commentRangeStart"), w("commentRangeEnd")}
W_COMMENTREF = w("commentReference")

CT_PREFIX = "application/vnd.openxmlformats-officedocument.wordprocessingml."
STORY_TYPES = {
    CT_PREFIX + "document.main+xml": BODY,
    "application/vnd.ms-word.document.macroEnabled.main+xml": BODY,
    CT_PREFIX + "template.main+xml": BODY,
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": BODY,
    CT_PREFIX + "header+xml": HEADER,
    CT_PREFIX + "footer+xml": FOOTER,
    CT_PREFIX + "footnotes+xml": NOTE,
    CT_PREFIX + "endnotes+xml": NOTE,
    CT_PREFIX + "document.glossary+xml": BODY,
}
COMMENTS_CT = CT_PREFIX + "comments+xml"
# Parts removed from the copy, by relationship type (last path component).
REMOVED_REL_TYPES = {"comments", "commentsExtended", "commentsIds", "commentsExtensible", "people",
                     "custom-properties", "thumbnail"}
# Drawing parts whose text is visible on the page (SmartArt, charts): read as segments.
DRAWING_TEXT_RELS = {"diagramData": "diagram", "diagramDrawing": "diagram", "chart": "chart"}
EMBED_REL_TYPES = {"image", "oleObject", "package", "chart", "diagramData", "aFChunk", "control", "video", "audio",
                   "media", "thumbnail"}

# Personal document properties: reported and emptied in the copy.
CORE_PERSONAL = {f"{{{DC_NS}}}creator": "author", f"{{{CP_NS}}}lastModifiedBy": "lastModifiedBy",
                 f"{{{DC_NS}}}description": "comments"}
CORE_SCANNED = {f"{{{DC_NS}}}title": "title", f"{{{DC_NS}}}subject": "subject", f"{{{CP_NS}}}keywords": "keywords",
                f"{{{CP_NS}}}category": "category", f"{{{CP_NS}}}contentStatus": "contentStatus"}
APP_PERSONAL = {f"{{{EP_NS}}}Company": "company", f"{{{EP_NS}}}Manager": "manager"}
APP_SCANNED = {f"{{{EP_NS}}}HyperlinkBase": "hyperlinkBase"}
# Values that name a tool or a default install, not a person: cleared, but not reported.
GENERIC_PROPERTY_VALUES = {
    "python-docx", "generated by python-docx", "administrator", "admin", "user", "microsoft", "microsoft office user",
    "microsoft office 用户", "windows user", "windows 用户", "微软用户", "微软中国", "china", "lenovo", "unknown",
    "作者", "用户", "雨林木风", "番茄花园", "深度", "sky123.org", "mc system", "www.ftpdown.com",
}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


def _on(el: etree._Element | None) -> bool | None:
    """OOXML on/off property: absent -> None; present -> its value (default true)."""
    if el is None:
        return None
    return el.get(W_VAL, "true").lower() not in ("0", "false", "off")


# --------------------------------------------------------------------------------------------
# The package


class _Package:
    """The zip, its content types and relationships; XML parts parsed on demand and cached."""

    def __init__(self, data: bytes, path: str) -> None:
        self.data = data
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise UnreadableFileError("not a valid DOCX file (not a ZIP package; corrupt or truncated?)", path=path) from None
        self.infos = self.zip.infolist()
        if sum(i.file_size for i in self.infos) > MAX_UNCOMPRESSED:
            raise UnreadableFileError("DOCX package unpacks to more than 2 GiB: refusing it", path=path)
        self.names = {i.filename for i in self.infos}
        self.trees: dict[str, etree._Element] = {}
        self.dirty: set[str] = set()
        self.removed: set[str] = set()
        if "[Content_Types].xml" not in self.names:
            raise UnreadableFileError("not a valid DOCX file ([Content_Types].xml is missing)", path=path)
        self.content_types: dict[str, str] = {}
        self.default_types: dict[str, str] = {}
        for el in self.xml("[Content_Types].xml"):
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if tag == "Override":
                self.content_types[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
            elif tag == "Default":
                self.default_types[el.get("Extension", "").lower()] = el.get("ContentType", "")

    def content_type(self, name: str) -> str:
        return self.content_types.get(name) or self.default_types.get(posixpath.splitext(name)[1][1:].lower(), "")

    def xml(self, name: str) -> etree._Element:
        root = self.trees.get(name)
        if root is None:
            try:
                raw = self.zip.read(name)
            except KeyError:
                raise UnreadableFileError(f"part '{name}' is missing from the DOCX package", path=self.path) from None
            except (zipfile.BadZipFile, zlib_error(), EOFError, RuntimeError, NotImplementedError) as e:
                raise UnreadableFileError(f"part '{name}' is corrupt: {e}", path=self.path) from None
            try:
                root = etree.fromstring(raw, _PARSER)
            except etree.XMLSyntaxError as e:
                raise UnreadableFileError(f"part '{name}' is not well-formed XML: {e}", path=self.path) from None
            self.trees[name] = root
        return root

    def mark_dirty(self, node: etree._Element) -> None:
        root = node.getroottree().getroot()
        for name, tree in self.trees.items():
            if tree is root:
                self.dirty.add(name)
                return

    @staticmethod
    def rels_name(part: str) -> str:
        d, base = posixpath.split(part)
        return posixpath.join(d, "_rels", base + ".rels")

    def rels(self, part: str) -> list[tuple[etree._Element, str, str, bool]]:
        """(element, type-suffix, absolute target or external URI, is_external) of a part's relationships."""
        name = self.rels_name(part)
        if name not in self.names:
            return []
        out = []
        base = posixpath.dirname(part)
        for el in self.xml(name):
            if not isinstance(el.tag, str):
                continue
            rtype = el.get("Type", "").rsplit("/", 1)[-1]
            target = el.get("Target", "")
            external = el.get("TargetMode") == "External"
            if not external:
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            out.append((el, rtype, target, external))
        return out

    def main_part(self) -> str:
        for _el, rtype, target, external in self.rels(""):
            if rtype == "officeDocument" and not external:
                return target
        raise UnreadableFileError("not a Word document (no main document part)", path=self.path)

    def remove_part(self, name: str) -> None:
        """Drop a part with its own relationships, every relationship to it and its content type."""
        if name not in self.names or name in self.removed:
            return
        self.removed.add(name)
        own = self.rels_name(name)
        if own in self.names:
            self.removed.add(own)
        for rels_part in sorted(n for n in self.names if n.endswith(".rels") and n not in self.removed):
            source = rels_part.replace("_rels/", "").removesuffix(".rels")
            source = source.removeprefix("/")
            for el, _t, target, external in self.rels(source):
                if not external and target == name:
                    el.getparent().remove(el)
                    self.dirty.add(rels_part)
        ct = self.xml("[Content_Types].xml")
        for el in list(ct):
            if isinstance(el.tag, str) and el.get("PartName", "").lstrip("/") == name:
                ct.remove(el)
                self.dirty.add("[Content_Types].xml")

    def save(self, out: Path) -> None:
        # [Content_Types].xml first: OPC does not require it, some readers do.
        infos = sorted(self.infos, key=lambda i: i.filename != "[Content_Types].xml")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                name = info.filename
                if name in self.removed:
                    continue
                if name in self.dirty:
                    data = etree.tostring(self.trees[name], xml_declaration=True, encoding="UTF-8", standalone=True)
                else:
                    data = self.zip.read(name)
                zi = zipfile.ZipInfo(name, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = info.external_attr
                zout.writestr(zi, data)


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


# --------------------------------------------------------------------------------------------
# Text pieces and segment models


class _Piece:
    """Where a stretch of segment text lives: a node's text ('t'), an attribute ('a'), a
    structural element standing for a character ('s', read-only) or nothing ('v', a joiner)."""

    __slots__ = ("attr", "kind", "node", "text")

    def __init__(self, node: Any, kind: str, text: str, attr: str | None = None) -> None:
        self.node, self.kind, self.text, self.attr = node, kind, text, attr


class _Acc:
    """Collects the pieces of one segment; remembers where tracked insertions are."""

    __slots__ = ("inserted", "length", "pieces")

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []
        self.length = 0
        self.inserted: list[list[int]] = []

    def add(self, piece: _Piece, inserted: bool = False) -> None:
        n = len(piece.text)
        if inserted and n:
            if self.inserted and self.inserted[-1][1] == self.length:
                self.inserted[-1][1] += n
            else:
                self.inserted.append([self.length, self.length + n])
        self.pieces.append(piece)
        self.length += n

    def join(self, sep: str = "\n") -> None:
        if self.pieces:
            self.add(_Piece(None, "v", sep))


@dataclass
class _SegModel:
    pieces: list[_Piece]
    starts: list[int]
    removed: bool = False  # its content is removed from the copy (deletions, hidden text, comments)
    readonly: str | None = None  # why its text cannot be edited in place (an imported HTML chunk)


@dataclass
class _State:
    pkg: _Package
    styles_hidden: dict[str, bool]
    default_hidden: bool
    segments: list[Segment] = field(default_factory=list)
    models: list[_SegModel] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)
    used: bool = False
    chart_workbooks: dict[str, list[str]] = field(default_factory=dict)  # chart part -> embedded workbooks

    def emit(self, acc: _Acc, origin: str, location: dict[str, Any], column_header: str | None = None,
             removed: bool = False, keep_empty: bool = False) -> int | None:
        text = "".join(p.text for p in acc.pieces)
        if not text and not keep_empty:
            return None
        if acc.inserted and origin not in (TRACKED_DELETE, HIDDEN_TEXT, COMMENT):
            location = {**location, "container": origin}
            origin = TRACKED_INSERT
        starts, pos = [], 0
        for p in acc.pieces:
            starts.append(pos)
            pos += len(p.text)
        index = len(self.segments)
        self.segments.append(Segment(text=text, origin=origin, location=location, column_header=column_header))
        self.models.append(_SegModel(acc.pieces, starts, removed))
        if origin == TRACKED_INSERT:
            for s, e in acc.inserted:
                self.notice("tracked_change", s, e, text[s:e], "docx.tracked_insert", index,
                            "tracked insertion (revision history with author and date); accepted in the redacted copy",
                            change="insertion")
        return index

    def notice(self, kind: str, start: int, end: int, text: str, rule: str, segment: int, explanation: str,
               **attrs: Any) -> None:
        self.notices.append(Finding(kind=kind, start=start, end=end, text=text, score=1.0, rule=rule,
                                    explanation=explanation, segment=segment, attrs=attrs))


# --------------------------------------------------------------------------------------------
# Reading stories (document, headers, footers, notes, comments, text boxes)


@dataclass
class _Ctx:
    part: str
    origin: str
    location: dict[str, Any]
    acc: _Acc | None = None        # joined container (cell, note, comment, text box)
    flatten: bool = False           # every piece is the container's text (comments)
    column_header: str | None = None
    counters: dict[str, int] = field(default_factory=dict)

    def but(self, **changes: Any) -> _Ctx:
        d = dict(self.__dict__)
        d.update(changes)
        return _Ctx(**d)

    def next(self, key: str) -> int:
        n = self.counters.get(key, 0)
        self.counters[key] = n + 1
        return n


class _Reader:
    def __init__(self, st: _State) -> None:
        self.st = st

    # block level -----------------------------------------------------------------------------
    def block(self, container: etree._Element, ctx: _Ctx) -> None:
        for child in container:
            tag = child.tag
            if tag == W_P:
                self.paragraph(child, ctx)
            elif tag == W_TBL:
                self.table(child, ctx)
            elif tag in (W_SDT, w("customXml"), W_INS, W_MOVETO, W_DEL, W_MOVEFROM):
                inner = child.find(W_SDTCONTENT) if tag == W_SDT else child
                if inner is not None:
                    self.block(inner, ctx)
            elif tag == MC_AC:
                choice = child.find(MC_CHOICE)
                self.block(child if choice is None else choice, ctx)

    def table(self, tbl: etree._Element, ctx: _Ctx) -> None:
        t_index = ctx.next("table:" + ctx.part)
        headers: dict[int, str] = {}
        for r_index, tr in enumerate(self._rows(tbl)):
            col = 0
            for tc in self._cells(tr):
                acc = _Acc()
                loc = {"part": ctx.part, "table": t_index, "row": r_index, "col": col}
                header = (headers.get(col) or None) if r_index > 0 else None
                cctx = ctx.but(origin=TABLE if ctx.origin == BODY else ctx.origin, location=loc, acc=acc,
                               column_header=header)
                self.block(tc, cctx)
                self.st.emit(acc, cctx.origin, loc, column_header=header)
                if r_index == 0:
                    headers[col] = "".join(p.text for p in acc.pieces).strip()
                tcpr = tc.find(w("tcPr"))
                span = tcpr.find(w("gridSpan")) if tcpr is not None else None
                try:
                    col += max(1, int(span.get(W_VAL, "1"))) if span is not None else 1
                except ValueError:
                    col += 1

    @staticmethod
    def _unwrapped(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
        """Children with ``tag``, looking through content controls and custom XML wrappers."""
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag in (W_SDT, w("customXml")):
                inner = child.find(W_SDTCONTENT) if child.tag == W_SDT else child
                if inner is not None:
                    yield from _Reader._unwrapped(inner, tag)

    @staticmethod
    def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
        return _Reader._unwrapped(tbl, W_TR)

    @staticmethod
    def _cells(tr: etree._Element) -> Iterator[etree._Element]:
        return _Reader._unwrapped(tr, W_TC)

    # paragraph level -------------------------------------------------------------------------
    def paragraph(self, p: etree._Element, ctx: _Ctx) -> None:
        st = self.st
        ppr = p.find(W_PPR)
        p_hidden = st.default_hidden
        if ppr is not None:
            ps = ppr.find(W_PSTYLE)
            if ps is not None and ps.get(W_VAL) in st.styles_hidden:
                p_hidden = st.styles_hidden[ps.get(W_VAL)]
        # Flattened pieces: (category, piece, inserted); category vis / del / hid / fld.
        items: list[tuple[str, _Piece, bool]] = []
        boxes: list[etree._Element] = []
        self._walk(p, items, boxes, deleted=False, inserted=False, hidden=p_hidden, para_hidden=p_hidden)

        if ctx.acc is not None:
            acc, own = ctx.acc, False
            acc.join("\n")
            loc = ctx.location
        else:
            acc, own = _Acc(), True
            loc = {"part": ctx.part, "paragraph": ctx.next("paragraph:" + ctx.part)}
        group: _Acc | None = None
        group_cat = None

        def flush() -> None:
            nonlocal group, group_cat
            if group is not None:
                self._emit_group(group, group_cat, loc, ctx.column_header)
            group, group_cat = None, None

        for cat, piece, ins in items:
            if cat == "vis" or ctx.flatten:
                flush()
                acc.add(piece, ins)
            else:
                if group_cat != cat:
                    flush()
                    group, group_cat = _Acc(), cat
                group.add(piece)
        flush()
        if own:
            st.emit(acc, ctx.origin, loc)
        for box in boxes:
            b_acc = _Acc()
            b_loc = {"part": ctx.part, "textbox": ctx.next("textbox:" + ctx.part)}
            self.block(box, ctx.but(origin=TEXTBOX, location=b_loc, acc=b_acc, flatten=ctx.flatten))
            st.emit(b_acc, TEXTBOX, b_loc)

    def _emit_group(self, acc: _Acc, cat: str | None, loc: dict[str, Any], header: str | None) -> None:
        st = self.st
        text = "".join(p.text for p in acc.pieces)
        if cat == "del":
            i = st.emit(acc, TRACKED_DELETE, dict(loc), header, removed=True, keep_empty=True)
            st.notice("tracked_change", 0, len(text), text, "docx.tracked_delete", i,
                      "tracked deletion: not shown in the final view but still stored in the file; "
                      "removed from the redacted copy", change="deletion")
        elif cat == "hid":
            if not text.strip():
                return
            i = st.emit(acc, HIDDEN_TEXT, dict(loc), header, removed=True)
            st.notice("hidden_text", 0, len(text), text, "docx.hidden_text", i,
                      "hidden text (w:vanish): not shown or printed, still stored in the file; "
                      "removed from the redacted copy")
        elif cat == "fld":
            st.emit(acc, FIELD, dict(loc), header)
        elif cat == "wm":
            st.emit(acc, WATERMARK, dict(loc), header)

    def _walk(self, el: etree._Element, items: list, boxes: list, deleted: bool, inserted: bool, hidden: bool,
              para_hidden: bool) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP_IN_PARAGRAPH:
                continue
            if tag in TEXT_TAGS:
                text = child.text or ""
                if deleted or tag in (W_DELTEXT, W_DELINSTR):
                    cat = "del"
                elif hidden:
                    cat = "hid"
                elif tag == W_INSTR:
                    cat = "fld"
                else:
                    cat = "vis"
                items.append((cat, _Piece(child, "t", text), inserted))
            elif tag in STRUCTURAL:
                if el.tag == W_R:
                    cat = "del" if deleted else "hid" if hidden else "vis"
                    items.append((cat, _Piece(child, "s", STRUCTURAL[tag]), inserted))
            elif tag == W_R:
                self._walk(child, items, boxes, deleted, inserted, self._run_hidden(child, para_hidden), para_hidden)
            elif tag in (W_DEL, W_MOVEFROM):
                items.append(("del", _Piece(None, "v", ""), False))  # a deletion without text still counts
                self._walk(child, items, boxes, True, inserted, hidden, para_hidden)
            elif tag in (W_INS, W_MOVETO):
                self._walk(child, items, boxes, deleted, True, hidden, para_hidden)
            elif tag == W_TXBX:
                boxes.append(child)
            elif tag == MC_AC:
                choice = child.find(MC_CHOICE)
                self._walk(choice if choice is not None else child, items, boxes, deleted, inserted, hidden,
                           para_hidden)
            elif tag == V_TEXTPATH:
                value = child.get("string")
                if value:
                    cat = "del" if deleted else "hid" if hidden else "wm"
                    items.append((cat, _Piece(child, "a", value, "string"), inserted))
            elif tag in FORM_FIELD_ATTRS:
                value = child.get(W_VAL)
                if value and not (tag == w("default") and el.tag == w("checkBox")):
                    items.append(("del" if deleted else "fld", _Piece(child, "a", value, W_VAL), inserted))
            elif tag == W_FLDSIMPLE:
                instr = child.get(w("instr"))
                if instr:
                    cat = "del" if deleted else "hid" if hidden else "fld"
                    items.append((cat, _Piece(child, "a", instr, w("instr")), inserted))
                self._walk(child, items, boxes, deleted, inserted, hidden, para_hidden)
            else:
                self._walk(child, items, boxes, deleted, inserted, hidden, para_hidden)

    def _run_hidden(self, r: etree._Element, para_hidden: bool) -> bool:
        rpr = r.find(W_RPR)
        if rpr is not None:
            v = _on(rpr.find(W_VANISH))
            if v is not None:
                return v
            rs = rpr.find(W_RSTYLE)
            if rs is not None and rs.get(W_VAL) in self.st.styles_hidden:
                return self.st.styles_hidden[rs.get(W_VAL)]
        return para_hidden


def _hidden_styles(pkg: _Package, main: str) -> tuple[dict[str, bool], bool]:
    """style id -> hidden (w:vanish through the basedOn chain), and the document default."""
    styles_part = next((t for _e, rt, t, ext in pkg.rels(main) if rt == "styles" and not ext), None)
    if not styles_part or styles_part not in pkg.names:
        return {}, False
    if b"vanish" not in pkg.zip.read(styles_part):  # the common case: no hidden style, skip parsing
        return {}, False
    root = pkg.xml(styles_part)
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for s in root.iter(w("style")):
        sid = s.get(w("styleId"))
        if not sid:
            continue
        rpr = s.find(W_RPR)
        own[sid] = _on(rpr.find(W_VANISH)) if rpr is not None else None
        b = s.find(w("basedOn"))
        if b is not None and b.get(W_VAL):
            based[sid] = b.get(W_VAL)
    default = False
    dd = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{W_RPR}")
    if dd is not None:
        default = bool(_on(dd.find(W_VANISH)))
    out: dict[str, bool] = {}
    for sid in own:
        seen, cur, val = set(), sid, None
        while cur is not None and cur not in seen:
            seen.add(cur)
            if own.get(cur) is not None:
                val = own[cur]
                break
            cur = based.get(cur)
        out[sid] = default if val is None else val
    return out, default


# --------------------------------------------------------------------------------------------
# The adapter


class DocxAdapter:
    name = "docx"
    suffixes = (".docx",)
    residue_check = True  # grep the copy's XML for masked values (see _residue_check)

    # reading -----------------------------------------------------------------------------------
    def extract(self, path: Path) -> Document:
        data = Path(path).read_bytes()
        st = self._load(data, str(path))
        return Document(path=str(path), format=self.name, segments=st.segments, notices=st.notices,
                        handle={"data": data, "state": st})

    def _load(self, data: bytes, path: str) -> _State:
        if data[:8] == OLE_MAGIC:
            raise UnreadableFileError(
                "encrypted or password-protected Word file (an OLE compound file, not an OOXML package; "
                "it may also be a legacy .doc renamed to .docx): remove the password or save it as .docx",
                path=path,
            )
        if not data.startswith(b"PK"):
            raise UnreadableFileError("not a valid DOCX file (not a ZIP package)", path=path)
        pkg = _Package(data, path)
        main = pkg.main_part()
        root = pkg.xml(main)
        if etree.QName(root).namespace == W_STRICT_NS:
            raise UnreadableFileError("Strict Open XML documents are not supported: save as a normal .docx", path=path)
        if etree.QName(root).namespace != W_NS:
            raise UnreadableFileError("not a Word document (unexpected main part)", path=path)
        hidden, default_hidden = _hidden_styles(pkg, main)
        st = _State(pkg=pkg, styles_hidden=hidden, default_hidden=default_hidden)
        reader = _Reader(st)
        counters: dict[str, int] = {}

        # Story parts in a stable order: main, then headers/footers/notes reachable from it.
        body = root.find(w("body"))
        reader.block(body if body is not None else root, _Ctx(main, BODY, {"part": main}, counters=counters))
        stories = self._story_parts(pkg, main)
        for part, origin in stories:
            self._read_story(reader, pkg, part, origin, counters)
        for part in self._related(pkg, main, "comments"):
            croot = pkg.xml(part)
            for c in croot.iter(w("comment")):
                acc = _Acc()
                loc = {"part": part, "comment": c.get(w("id"))}
                reader.block(c, _Ctx(part, COMMENT, loc, acc=acc, flatten=True, counters=counters))
                text = "".join(p.text for p in acc.pieces)
                i = st.emit(acc, COMMENT, loc, removed=True, keep_empty=True)
                st.notice("comment", 0, len(text), text, "docx.comment", i,
                          "comment (批注) stored in the file with its author; removed from the redacted copy")
        for part in [main] + [p for p, _o in stories]:
            self._read_alt_text(st, part)
            self._read_links(st, part)
        self._read_settings(st, main)
        self._read_properties(st)
        self._read_custom_xml(st)
        self._read_embedded(st, main, [main] + [p for p, _o in stories])
        return st

    @staticmethod
    def _related(pkg: _Package, part: str, rtype: str) -> list[str]:
        return [t for _e, rt, t, ext in pkg.rels(part) if rt == rtype and not ext and t in pkg.names]

    def _story_parts(self, pkg: _Package, main: str) -> list[tuple[str, str]]:
        out = []
        for rtype, origin in (("header", HEADER), ("footer", FOOTER), ("footnotes", NOTE), ("endnotes", NOTE)):
            for t in self._related(pkg, main, rtype):
                if (t, origin) not in out:
                    out.append((t, origin))
        for t in self._related(pkg, main, "glossaryDocument"):
            out.append((t, BODY))
        return out

    def _read_story(self, reader: _Reader, pkg: _Package, part: str, origin: str, counters: dict[str, int]) -> None:
        root = pkg.xml(part)
        if origin == NOTE:
            for note in root:
                if note.tag not in (w("footnote"), w("endnote")):
                    continue
                if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                acc = _Acc()
                loc = {"part": part, "note": note.get(w("id"))}
                reader.block(note, _Ctx(part, NOTE, loc, acc=acc, counters=counters))
                reader.st.emit(acc, NOTE, loc)
        else:
            body = root.find(w("body"))
            reader.block(body if body is not None else root, _Ctx(part, origin, {"part": part}, counters=counters))

    def _read_alt_text(self, st: _State, part: str) -> None:
        root = st.pkg.xml(part)
        for el in root.iter("{*}docPr", "{*}cNvPr"):
            acc = _Acc()
            for attr in ("title", "descr"):
                v = el.get(attr)
                if v:
                    acc.join("\n")
                    acc.add(_Piece(el, "a", v, attr))
            st.emit(acc, ALT_TEXT, {"part": part, "object": el.get("name") or el.get("id")})

    def _read_links(self, st: _State, part: str) -> None:
        for el, rtype, target, external in st.pkg.rels(part):
            if external and target and rtype in ("hyperlink", "attachedTemplate", "frame", "subDocument"):
                acc = _Acc()
                acc.add(_Piece(el, "a", target, "Target"))
                st.emit(acc, HYPERLINK, {"part": st.pkg.rels_name(part), "relationship": el.get("Id"), "type": rtype})

    def _read_settings(self, st: _State, main: str) -> None:
        """Document variables (w:docVar: hidden name/value pairs) and the template's path."""
        for part in self._related(st.pkg, main, "settings"):
            root = st.pkg.xml(part)
            for var in root.iter(w("docVar")):
                value = var.get(W_VAL) or ""
                acc = _Acc()
                acc.add(_Piece(var, "a", value, W_VAL))
                i = st.emit(acc, METADATA, {"part": part, "property": "docVar:" + (var.get(w("name")) or "")})
                if i is not None:
                    st.notice("metadata", 0, len(value), value, "docx.metadata.docvar", i,
                              "document variable (w:docVar): stored in the file, never shown; removed from the copy",
                              property="docVar")
            for el, rtype, target, external in st.pkg.rels(part):
                if external and rtype == "attachedTemplate" and _is_local_path(target):
                    acc = _Acc()
                    acc.add(_Piece(el, "a", target, "Target"))
                    i = st.emit(acc, METADATA, {"part": st.pkg.rels_name(part), "property": "attachedTemplate"})
                    st.notice("metadata", 0, len(target), target, "docx.metadata.template_path", i,
                              "path of the attached template on the author's computer (often holds a user name); "
                              "reduced to the file name in the copy", property="attachedTemplate")

    def _read_custom_xml(self, st: _State) -> None:
        """Custom XML data parts (content-control bindings, cover-page properties): leaf text nodes."""
        for name in sorted(st.pkg.names):
            if not (name.startswith("customXml/item") and name.endswith(".xml")) or "Props" in name:
                continue
            root = st.pkg.xml(name)
            for el in root.iter():
                if not isinstance(el.tag, str) or len(el) or not (el.text or "").strip():
                    continue
                acc = _Acc()
                acc.add(_Piece(el, "t", el.text))
                st.emit(acc, METADATA, {"part": name, "property": etree.QName(el).localname})

    def _read_properties(self, st: _State) -> None:
        pkg = st.pkg
        for _el, rtype, target, ext in pkg.rels(""):
            if ext or target not in pkg.names:
                continue
            if rtype == "core-properties":
                self._props(st, target, CORE_PERSONAL, CORE_SCANNED)
            elif rtype == "extended-properties":
                self._props(st, target, APP_PERSONAL, APP_SCANNED)
                for el in pkg.xml(target).iter("{*}lpstr"):  # TitlesOfParts repeats the title
                    if el.text and el.text.strip():
                        acc = _Acc()
                        acc.add(_Piece(el, "t", el.text))
                        st.emit(acc, METADATA, {"part": target, "property": "titlesOfParts"})
            elif rtype == "custom-properties":
                root = pkg.xml(target)
                for prop in root:
                    if not isinstance(prop.tag, str):
                        continue
                    name = prop.get("name", "")
                    for value in prop.iter():
                        if value is prop or not isinstance(value.tag, str) or not value.text:
                            continue
                        acc = _Acc()
                        acc.add(_Piece(value, "t", value.text))
                        loc = {"part": target, "property": name}
                        i = st.emit(acc, METADATA, loc)
                        if i is not None:
                            st.notice("metadata", 0, len(value.text), value.text, "docx.metadata.custom", i,
                                      "custom document property: not shown in the text; removed from the redacted copy",
                                      property="custom")

    @staticmethod
    def _props(st: _State, part: str, personal: dict[str, str], scanned: dict[str, str]) -> None:
        root = st.pkg.xml(part)
        for el in root:
            if not isinstance(el.tag, str) or el.tag not in personal and el.tag not in scanned:
                continue
            text = el.text or ""
            acc = _Acc()
            acc.add(_Piece(el, "t", text))
            prop = personal.get(el.tag) or scanned[el.tag]
            i = st.emit(acc, METADATA, {"part": part, "property": prop})
            if i is not None and el.tag in personal and text.strip().lower() not in GENERIC_PROPERTY_VALUES:
                st.notice("metadata", 0, len(text), text, f"docx.metadata.{prop}", i,
                          f"document property '{prop}' names a person or an organisation; emptied in the redacted copy",
                          property=prop)

    def _read_embedded(self, st: _State, main: str, stories: list[str]) -> None:
        pkg = st.pkg
        seen: set[str] = set()
        sources = [("", None)] + [(p, None) for p in stories]
        for source, _ in sources:
            for _el, rtype, target, ext in pkg.rels(source):
                if ext or (rtype not in EMBED_REL_TYPES and rtype not in DRAWING_TEXT_RELS) or target in seen \
                        or target not in pkg.names:
                    continue
                seen.add(target)
                if rtype in DRAWING_TEXT_RELS:
                    self._read_drawing_text(st, target, DRAWING_TEXT_RELS[rtype])
                if rtype == "aFChunk":
                    self._read_alt_chunk(st, target)
                if rtype == "diagramDrawing":
                    continue  # the rendered copy of a diagram already reported with its data part
                acc = _Acc()
                i = st.emit(acc, EMBEDDED, {"part": target, "type": rtype}, keep_empty=True)
                if rtype == "thumbnail":
                    what = "document thumbnail (a picture of the first page; removed from the copy)"
                elif rtype in DRAWING_TEXT_RELS:
                    what = (f"{DRAWING_TEXT_RELS[rtype]} ({pkg.content_type(target) or 'unknown type'}): its text is "
                            "checked; pictures or data embedded in it cannot be")
                else:
                    what = f"embedded {rtype} ({pkg.content_type(target) or 'unknown type'}): its content cannot be checked"
                st.notice("embedded_object", 0, 0, target, f"docx.embedded_object.{rtype}", i, what, type=rtype)

    @staticmethod
    def _read_alt_chunk(st: _State, part: str) -> None:
        """An imported chunk (w:altChunk: HTML or plain text that Word shows as body text).
        Read so that check mode sees it; it cannot be edited in place (see write)."""
        ct = st.pkg.content_type(part).lower()
        raw = st.pkg.zip.read(part)
        if "html" in ct or part.lower().endswith((".htm", ".html", ".xhtml")):
            from lxml import html as lxml_html

            try:
                text = lxml_html.fromstring(raw).text_content()
            except (etree.ParserError, ValueError):
                text = ""
        elif ct.startswith("text/plain") or part.lower().endswith(".txt"):
            from .text import decode

            text = decode(raw, st.pkg.path)[0]
        else:
            return  # RTF, MHT, DOCX chunks: reported as embedded objects only
        acc = _Acc()
        acc.add(_Piece(None, "v", text.strip()))
        i = st.emit(acc, ALT_CHUNK, {"part": part})
        if i is not None:
            st.models[i].readonly = "an imported HTML/text chunk (w:altChunk)"

    @staticmethod
    def _read_drawing_text(st: _State, part: str, origin: str) -> None:
        """Leaf text of a SmartArt or chart part (a:t, dgm:t, c:v ...), one segment per text run."""
        root = st.pkg.xml(part)
        for el in root.iter("{*}t", "{*}v"):
            if len(el) or not (el.text or "").strip():
                continue
            acc = _Acc()
            acc.add(_Piece(el, "t", el.text))
            st.emit(acc, origin, {"part": part})
        if origin == CHART:
            st.chart_workbooks[part] = [t for _e, rt, t, ext in st.pkg.rels(part)
                                        if not ext and rt in ("package", "oleObject") and t in st.pkg.names]

    # writing -----------------------------------------------------------------------------------
    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        handle = doc.handle or {}
        st: _State | None = handle.get("state")
        if st is None or st.used:  # a second write starts again from the original bytes
            data = handle.get("data") or Path(doc.path).read_bytes()
            st = self._load(data, doc.path)
        st.used = True
        if len(st.segments) != len(doc.segments):
            raise UnreadableFileError("the document changed between reading and writing", path=doc.path)
        by_segment: dict[int, list[Edit]] = {}
        for e in edits:
            by_segment.setdefault(e.segment, []).append(e)
        for index, seg_edits in by_segment.items():
            if 0 <= index < len(st.models) and not st.models[index].removed:
                if st.models[index].readonly:
                    raise VerificationError(
                        f"a value to mask lies in {st.models[index].readonly}, which cannot be edited in place: "
                        "open the file in Word and save it (this merges the chunk into the text), then redact again",
                        path=doc.path)
                _apply(st.models[index], seg_edits, st.pkg)
        # A chart whose cached text was masked loses its embedded workbook (it holds the same
        # values, unreadable to us); the chart still shows, from its cache.
        for chart, workbooks in st.chart_workbooks.items():
            if chart in st.pkg.dirty and workbooks:
                root = st.pkg.xml(chart)
                for el in list(root.iter("{*}externalData")):
                    el.getparent().remove(el)
                for wb in workbooks:
                    st.pkg.remove_part(wb)
        self._scrub(st)
        st.pkg.save(Path(out_path))
        if self.residue_check:
            masked = {doc.segments[e.segment].text[e.start:e.end] for e in edits if 0 <= e.segment < len(doc.segments)}
            self._residue_check(Path(out_path), {v for v in masked if len(v.strip()) >= 5}, doc.path)

    @staticmethod
    def _residue_check(out: Path, values: set[str], path: str) -> None:
        """A net under the extractor: no masked value may remain anywhere in the copy's XML,
        in text or in attributes of parts this adapter does not read (bookmark names, content
        control tags ...). The pipeline's read-back re-scan then checks what the extractor sees.

        Identifier-like values (digits, letters, @ . _ + -) are looked up among the XML's tokens
        (one C-level scan and set lookups instead of one substring search per value); the few
        other values are searched for directly."""
        if not values:
            return
        from xml.sax.saxutils import escape

        token_values = {v for v in values if _TOKEN.fullmatch(v)}
        others = values - token_values
        others |= {escape(v, {'"': "&quot;"}) for v in others}
        lengths = sorted({len(v) for v in token_values})

        def found(text: str) -> bool:
            if any(v in text for v in others):
                return True
            if not lengths:
                return False
            shortest = lengths[0]
            for tok in _TOKEN.findall(text):
                n = len(tok)
                if n < shortest:
                    continue
                if tok in token_values:
                    return True
                for size in lengths:
                    if size >= n:
                        break
                    if any(tok[i:i + size] in token_values for i in range(n - size + 1)):
                        return True
            return False

        with zipfile.ZipFile(out) as z:
            for info in z.infolist():
                if not info.filename.endswith((".xml", ".rels", ".vml")) or info.filename.startswith(_NO_TEXT_PARTS):
                    continue
                if found(z.read(info.filename).decode("utf-8", "replace")):
                    raise VerificationError(
                        f"a masked value is still present in part '{info.filename}' of the copy "
                        "(a place the DOCX reader does not show); the copy is not written", path=path)

    def _scrub(self, st: _State) -> None:
        pkg = st.pkg
        main = pkg.main_part()
        reader = _Reader(st)
        stories = [main] + [p for p, _o in self._story_parts(pkg, main)]
        for part in stories:
            root = pkg.xml(part)
            _scrub_story(root, reader, st.default_hidden)
            pkg.dirty.add(part)
        # Parts that go: comments (and their extensions), people, custom properties, thumbnail.
        for source in ["", main]:
            for _el, rtype, target, ext in pkg.rels(source):
                if not ext and rtype in REMOVED_REL_TYPES:
                    pkg.remove_part(target)
        for name, ct in list(pkg.content_types.items()):
            if ct == COMMENTS_CT:
                pkg.remove_part(name)
        for part in self._related(pkg, main, "settings"):
            root = pkg.xml(part)
            for el in list(root.iter(w("docVars"))):
                el.getparent().remove(el)
                pkg.dirty.add(part)
            for el, rtype, target, external in pkg.rels(part):
                if external and rtype == "attachedTemplate" and _is_local_path(target):
                    el.set("Target", target.replace("\\", "/").rsplit("/", 1)[-1])
                    pkg.dirty.add(pkg.rels_name(part))
        # Personal properties emptied; scanned properties keep their (edited) values.
        for _el, rtype, target, ext in pkg.rels(""):
            if ext or target not in pkg.names or target in pkg.removed:
                continue
            personal = CORE_PERSONAL if rtype == "core-properties" else APP_PERSONAL if rtype == "extended-properties" else None
            if personal is None:
                continue
            root = pkg.xml(target)
            for el in root:
                if isinstance(el.tag, str) and el.tag in personal and el.text:
                    el.text = ""
            pkg.dirty.add(target)


# Parts made of font data (panose codes), theme and web settings: no document text, and long
# hex/digit tokens that could match a short masked value by chance.
_NO_TEXT_PARTS = ("word/fontTable.xml", "word/theme/", "word/webSettings.xml")
_TOKEN = re.compile(r"[0-9A-Za-z@._+\-]+")


def _is_local_path(target: str) -> bool:
    t = target.lower()
    return t.startswith(("file:", "\\\\")) or (len(t) > 2 and t[1] == ":" and t[0].isalpha())


def _apply(model: _SegModel, edits: Sequence[Edit], pkg: _Package) -> None:
    """Map segment offsets back to the pieces and rewrite them, run by run."""
    ops: dict[int, list[list[Any]]] = {}
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.end <= e.start:
            continue
        pos = e.end
        first = max(0, bisect_right(model.starts, e.start) - 1)
        covered = []
        for i in range(first, len(model.pieces)):
            s = model.starts[i]
            if s >= e.end:
                break
            n = len(model.pieces[i].text)
            if s + n <= e.start or n == 0:
                continue
            covered.append((i, max(e.start, s) - s, min(e.end, s + n) - s, max(e.start, s) - e.start,
                            min(e.end, s + n) - e.start))
        writable = [c for c in covered if model.pieces[c[0]].kind in ("t", "a")]
        if not writable:
            # Only tabs/breaks are replaced: they stay, the replacement goes into a new w:t after them.
            anchor = next((model.pieces[c[0]] for c in covered if model.pieces[c[0]].kind == "s"), None)
            if anchor is not None and e.replacement and anchor.node.getparent() is not None:
                t = etree.SubElement(anchor.node.getparent(), W_T)
                t.text = e.replacement
                t.set(XML_SPACE, "preserve")
                anchor.node.addnext(t)
                pkg.mark_dirty(anchor.node)
            continue
        same_length = len(e.replacement) == e.end - e.start
        pending = ""
        last_op: list[Any] | None = None
        for i, ls, le, a, b in covered:
            chunk = e.replacement[a:b] if same_length else (e.replacement if i == writable[0][0] else "")
            if model.pieces[i].kind not in ("t", "a"):
                # A tab or break inside the value stays; its share of the mask goes to a text run.
                if last_op is not None:
                    last_op[2] += chunk
                else:
                    pending += chunk
                continue
            op = [ls, le, pending + chunk]
            pending = ""
            ops.setdefault(i, []).append(op)
            last_op = op
    for i, piece_ops in ops.items():
        piece = model.pieces[i]
        text = piece.text
        out, cur = [], 0
        for ls, le, rep in sorted(piece_ops, key=lambda o: o[0]):
            out.append(text[cur:ls])
            out.append(rep)
            cur = le
        out.append(text[cur:])
        new = "".join(out)
        piece.text = new
        if piece.kind == "t":
            piece.node.text = new
            if piece.node.tag in (W_T, W_DELTEXT, W_INSTR, W_DELINSTR):
                piece.node.set(XML_SPACE, "preserve")
        else:
            piece.node.set(piece.attr, new)
        pkg.mark_dirty(piece.node)


def _scrub_story(root: etree._Element, reader: _Reader, default_hidden: bool) -> None:
    """Accept tracked changes, drop comment anchors, hidden runs and the mc:Fallback copies."""
    # Fallback copies of text boxes/drawings: the Choice was read and edited, the Fallback was not.
    for ac in list(root.iter(MC_AC)):
        choices = ac.findall(MC_CHOICE)
        if choices:
            for el in choices[1:] + ac.findall(MC_FALLBACK):
                ac.remove(el)
    deleted_marks = []
    for el in list(root.iter(W_DEL, W_MOVEFROM)):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag == W_TRPR:  # a deleted table row
            tr = parent.getparent()
            if tr is not None and tr.getparent() is not None:
                tr.getparent().remove(tr)
            continue
        if parent.tag == W_RPR and parent.getparent() is not None and parent.getparent().tag == W_PPR:
            deleted_marks.append(parent.getparent().getparent())  # a deleted paragraph mark
        parent.remove(el)  # a deleted run, or a paragraph-mark revision marker in w:rPr
    for el in list(root.iter(W_INS, W_MOVETO, w("cellIns"), w("cellDel"), w("cellMerge"))):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag in (W_RPR, W_TRPR, w("tcPr")) or el.tag in (w("cellIns"), w("cellDel"), w("cellMerge")):
            parent.remove(el)
            continue
        index = parent.index(el)
        for child in list(el):
            parent.insert(index, child)
            index += 1
        parent.remove(el)
    for el in list(root.iter(*PROPERTY_CHANGES, *RANGE_MARKERS, *COMMENT_ANCHORS, W_DELTEXT, W_DELINSTR)):
        if el.getparent() is not None:
            el.getparent().remove(el)
    for ref in list(root.iter(W_COMMENTREF)):
        run = ref.getparent()
        run.remove(ref)
        if run.tag == W_R and all(c.tag == W_RPR for c in run) and run.getparent() is not None:
            run.getparent().remove(run)
    # Hidden runs (directly or through a character/paragraph style).
    st = reader.st
    for p in list(root.iter(W_P)):
        ppr = p.find(W_PPR)
        p_hidden = default_hidden
        if ppr is not None:
            ps = ppr.find(W_PSTYLE)
            if ps is not None and ps.get(W_VAL) in st.styles_hidden:
                p_hidden = st.styles_hidden[ps.get(W_VAL)]
        for r in list(p.iter(W_R)):
            if r.getparent() is None or not reader._run_hidden(r, p_hidden):
                continue
            if r.find(w("fldChar")) is not None:  # keep the field's structure, drop its text
                for c in list(r):
                    if c.tag not in (W_RPR, w("fldChar")):
                        r.remove(c)
            else:
                r.getparent().remove(r)
    # A paragraph whose mark was deleted and which is now empty was deleted as a whole: accepting
    # the deletion removes it (unless it is the last block of its container or ends a section).
    for p in deleted_marks:
        container = p.getparent() if p is not None else None
        if container is None or p.tag != W_P:
            continue
        ppr = p.find(W_PPR)
        if ppr is not None and ppr.find(w("sectPr")) is not None:
            continue
        if any(c.tag not in (W_PPR, w("bookmarkStart"), w("bookmarkEnd"), w("proofErr")) for c in p):
            continue
        if sum(1 for c in container if c.tag in (W_P, W_TBL)) > 1:
            container.remove(p)
