"""Read a workbook into segments: every cell of every sheet, and every other place text hides.

The package is read part by part with lxml (see the adapter's docstring for why). What each
segment is, in reading order:

- sheet names: ``sheet_name`` / ``{sheet}``;
- cells (shared strings, inline strings, formula string results, numbers): ``table`` /
  ``{sheet, cell}``, one segment per cell, with the column's header as ``column_header``
  (``formats/tabular.py`` finds the header row). Cells of hidden sheets, rows and columns:
  ``hidden_text`` with ``hidden`` = sheet / row / column in the location; they are checked like
  the others and emptied in the copy. Numbers are shown as their digits (``1.1E+17`` as
  ``110000000000000000``) so that an ID stored as a number is seen, and a number with more than
  15 significant digits gets a ``number_precision`` notice (Excel kept only 15: the rest are 0);
- formulas: ``formula`` / ``{sheet, cell}`` (string literals in a formula are text too);
- headers and footers: ``header`` / ``footer`` / ``{sheet, header_footer, section}``, the codes
  (``&P``, ``&"宋体,常规"``, ``&12`` ...) left out of the text;
- comments and notes (legacy and threaded) and their authors: ``comment`` / ``{sheet, cell}``;
- defined names (name and formula): ``defined_name``; data validation lists, prompts and
  messages, conditional-format formulas: ``validation`` / ``formula``; hyperlinks (targets,
  tooltips, display text): ``hyperlink``; table definitions (column names, formulas): ``table_definition``;
  number formats and cell style names: ``style``;
- text of shapes and text boxes in drawings: ``textbox`` (the drawing is removed);
- shared strings no cell uses (earlier values): ``hidden_text`` (not carried over);
- document properties: ``metadata`` / ``{part, property}``.

Notices (``Document.notices``): comments, hidden sheets/rows/columns with content, personal
document properties, lossy numbers, and every part or element the copy leaves out because it
cannot be checked or holds copies of the data (see ``scrub.py`` for the lists).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from ...document import (
    COMMENT,
    FOOTER,
    HEADER,
    HIDDEN_TEXT,
    METADATA,
    TABLE,
    TEXTBOX,
    Segment,
)
from ...errors import UnreadableFileError
from ...findings import Finding
from .. import tabular
from .package import Package, Rel
from .pieces import Piece, joiner, node_piece, text_of
from .refs import cell_name, col_letters, parse_cell

SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SML_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_ID = f"{{{R_NS}}}id"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
EP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def s(name: str) -> str:
    return f"{{{SML}}}{name}"


T, R, SI, RPH = s("t"), s("r"), s("si"), s("rPh")
C, V, F, IS, ROW = s("c"), s("v"), s("f"), s("is"), s("row")

# Origins this adapter adds to the common ones in document.py.
SHEET_NAME = "sheet_name"
FORMULA = "formula"
DEFINED_NAME = "defined_name"
VALIDATION = "validation"
HYPERLINK = "hyperlink"
TABLE_DEFINITION = "table_definition"
STYLE = "style"

# Personal document properties: reported and emptied in the copy (as in the DOCX adapter).
CORE_PERSONAL = {f"{{{DC_NS}}}creator": "author", f"{{{CP_NS}}}lastModifiedBy": "lastModifiedBy",
                 f"{{{DC_NS}}}description": "comments"}
CORE_SCANNED = {f"{{{DC_NS}}}title": "title", f"{{{DC_NS}}}subject": "subject", f"{{{CP_NS}}}keywords": "keywords",
                f"{{{CP_NS}}}category": "category", f"{{{CP_NS}}}contentStatus": "contentStatus"}
APP_PERSONAL = {f"{{{EP_NS}}}Company": "company", f"{{{EP_NS}}}Manager": "manager"}
HEADER_FOOTER = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
EXCEL_DIGITS = 15  # Excel stores numbers as doubles and shows 15 significant digits


@dataclass
class SheetInfo:
    index: int                 # position among <sheets> (localSheetId counts these)
    name: str
    state: str                 # visible | hidden | veryHidden
    kind: str                  # worksheet | chartsheet | dialogsheet | macrosheet | unknown
    part: str | None
    element: etree._Element

    @property
    def hidden(self) -> bool:
        return self.state in ("hidden", "veryHidden")


@dataclass(slots=True)
class SegModel:
    """How to write one segment back. ``kind``: nodes (pieces in place), shared (a shared
    string: the cell gets its own edited copy), text_result (a formula's string result) and
    number (both: the cell becomes a text cell). A cell's pieces are found again from ``c``
    when it is written (``cell_pieces``): most cells are never edited, and a list of pieces
    for each of them is what reading a long list spent its time on."""

    pieces: list[Piece] | None
    kind: str = "nodes"
    removed: bool = False              # the copy drops this content anyway
    sheet: int | None = None
    cell: tuple[int, int] | None = None
    c: etree._Element | None = None
    si: int | None = None
    role: str = ""                     # value | formula | sheet_name | header_footer
    escape: Callable[[str], str] | None = None


@dataclass
class Book:
    pkg: Package
    data: bytes
    workbook: str
    sheets: list[SheetInfo]
    sst_part: str | None
    sst: list[etree._Element]
    models: list[SegModel] = field(default_factory=list)
    sheet_roots: dict[int, etree._Element] = field(default_factory=dict)
    sheet_rels: dict[int, list[Rel]] = field(default_factory=dict)
    hidden_cells: dict[int, list[tuple[int, int, etree._Element]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)   # global defined names (upper) -> formula
    tables: dict[int, list[str]] = field(default_factory=dict)  # sheet -> kept table parts
    removed: dict[str, str] = field(default_factory=dict)  # part -> why it is left out
    keep: set[str] = field(default_factory=set)            # parts the copy keeps (scrub.survey)
    used: bool = False


class _Reader:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.segments: list[Segment] = []
        self.notices: list[Finding] = []
        self.used_strings: set[int] = set()
        self.strings: dict[int, str] = {}  # shared string index -> its text, read once

    # --- segments and notices --------------------------------------------------------------
    def emit(self, pieces: list[Piece], origin: str, location: dict[str, Any], header: str | None = None,
             keep_empty: bool = False, text: str | None = None, **model: Any) -> int | None:
        if text is None:
            text = text_of(pieces or ())
        if not keep_empty and (not text or text.isspace()):
            return None
        self.segments.append(Segment(text=text, origin=origin, location=location, column_header=header))
        self.book.models.append(SegModel(pieces=pieces, **model))
        return len(self.segments) - 1

    def notice(self, kind: str, segment: int, rule: str, explanation: str, text: str = "",
               start: int = 0, **attrs: Any) -> None:
        self.notices.append(Finding(kind=kind, start=start, end=start + len(text), text=text, score=1.0,
                                    rule=rule, explanation=explanation, segment=segment, attrs=attrs))

    def anchor(self, location: dict[str, Any], origin: str = HIDDEN_TEXT) -> int:
        """An empty segment for a notice about something that has no text of its own."""
        i = self.emit([], origin, location, keep_empty=True, removed=True)
        assert i is not None
        return i

    # --- the workbook ------------------------------------------------------------------------
    def read(self) -> None:
        book = self.book
        for sheet in book.sheets:
            self.emit([node_piece(sheet.element, "name")], SHEET_NAME, {"sheet": sheet.index + 1},
                      role="sheet_name", sheet=sheet.index)
        self.read_defined_names()
        for sheet in book.sheets:
            if sheet.kind == "worksheet" and sheet.part:
                self.read_sheet(sheet)
            else:
                i = self.anchor({"sheet": sheet.index + 1}, origin="embedded_object")
                self.notice("embedded_object", i, f"xlsx.{sheet.kind}",
                            f"a {sheet.kind} (sheet {sheet.index + 1}): not a grid of cells this reader checks; "
                            "removed from the redacted copy", type=sheet.kind)
        self.read_orphan_strings()
        self.read_styles()
        self.read_properties()

    def read_defined_names(self) -> None:
        wb = self.book.pkg.xml(self.book.workbook)
        dn = wb.find(s("definedNames"))
        if dn is None:
            return
        for n, el in enumerate(dn.iter(s("definedName"))):
            loc = {"defined_name": n + 1}
            self.emit([node_piece(el, "name"), joiner("\n"), node_piece(el)], DEFINED_NAME, loc)
            if el.get("localSheetId") is None and el.text:
                self.book.names[el.get("name", "").upper()] = el.text

    # --- one worksheet -------------------------------------------------------------------------
    def read_sheet(self, sheet: SheetInfo) -> None:
        book, pkg = self.book, self.book.pkg
        if sheet.part not in pkg.names:
            raise UnreadableFileError(f"worksheet part '{sheet.part}' is missing", path=pkg.path)
        root = pkg.xml(sheet.part)
        book.sheet_roots[sheet.index] = root
        rels = pkg.rels(sheet.part)
        book.sheet_rels[sheet.index] = rels
        no = sheet.index + 1

        hidden_cols: set[int] = set()
        cols = root.find(s("cols"))
        if cols is not None:
            for col in cols.iter(s("col")):
                if _on(col.get("hidden")) or col.get("width") in ("0", "0.0"):
                    try:
                        hidden_cols.update(range(int(col.get("min", "0")), int(col.get("max", "0")) + 1))
                    except ValueError:
                        continue

        # Cells first (position, text, pieces, kind), then the header row, then segments.
        cells: list[tuple] = []
        hidden_rows: set[int] = set()
        hidden_cells = book.hidden_cells.setdefault(sheet.index, [])
        sheet_data = root.find(s("sheetData"))
        row_no = 0
        for row in (sheet_data.iterchildren(ROW) if sheet_data is not None else ()):
            row_no = _int(row.get("r"), row_no + 1)
            row_hidden = _on(row.get("hidden")) or row.get("ht") in ("0", "0.0")
            if row_hidden:
                hidden_rows.add(row_no)
            col_no = 0
            for c in row.iterchildren(C):
                ref = c.get("r")
                pos = _cell_ref(ref) if ref else None
                row_at, col_no = pos if pos else (row_no, col_no + 1)
                hidden = sheet.hidden or row_hidden or col_no in hidden_cols
                value = self.cell_value(c)
                if value is not None:
                    cells.append((row_at, col_no, *value, "value", hidden, c))
                f = c.find(F)
                if f is not None and f.text:
                    cells.append((row_at, col_no, f.text, None, "nodes", None, "formula", hidden, c))
                if hidden and (value is not None or f is not None):
                    hidden_cells.append((row_at, col_no, c))

        header_row, names = self.column_headers(cells)
        col_names: dict[int, str] = {}
        hidden_first: dict[str, int] = {}
        hidden_count: dict[str, int] = {}
        index = sheet.index
        for row_at, col_no, text, pieces, kind, si, role, hidden, c in cells:
            header = names.get(col_no) if header_row is not None and row_at > header_row else None
            letters = col_names.get(col_no)
            if letters is None:
                letters = col_names[col_no] = col_letters(col_no)
            loc: dict[str, Any] = {"sheet": no, "cell": f"{letters}{row_at}"}
            origin = TABLE if role == "value" else FORMULA
            if hidden:
                loc["hidden"] = "sheet" if sheet.hidden else ("row" if row_at in hidden_rows else "column")
                origin = HIDDEN_TEXT
            i = self.emit(pieces, origin, loc, header, text=text, sheet=index, cell=(row_at, col_no), c=c,
                          removed=hidden, kind=kind, si=si, role=role)
            if i is None:
                continue
            if hidden:
                key = "sheet" if sheet.hidden else (f"row {row_at}" if row_at in hidden_rows else
                                                      f"column {cell_name(1, col_no)[:-1]}")
                hidden_first.setdefault(key, i)
                hidden_count[key] = hidden_count.get(key, 0) + 1
            if kind == "number" and len(text) > EXCEL_DIGITS and _significant_digits(text) > EXCEL_DIGITS:
                self.notice("number_precision", i, "xlsx.number_precision",
                            f"a {len(text)}-digit number stored as a number: Excel keeps {EXCEL_DIGITS} significant "
                            "digits, so its last digits were lost (an ID or card number typed into a number cell); "
                            "store such values as text", text=text)
        for key, i in hidden_first.items():
            what = f"hidden sheet {no}" if key == "sheet" else f"hidden {key} of sheet {no}"
            self.notice("hidden_text", i, "xlsx.hidden",
                        f"{what}: {hidden_count[key]} cell(s) a reader does not see; checked, and emptied in the "
                        "redacted copy", where=key)

        self.read_header_footer(root, no, sheet.index)
        self.read_sheet_extras(root, no, sheet.index)
        self.read_sheet_parts(sheet, rels)

    def read_orphan_strings(self) -> None:
        """Shared strings no cell uses (earlier values, deleted rows): hidden, and not carried
        over to the copy (its table is rebuilt)."""
        first, count = None, 0
        for si, el in enumerate(self.book.sst):
            if si in self.used_strings:
                continue
            i = self.emit(string_pieces(el), HIDDEN_TEXT, {"part": self.book.sst_part, "string": si + 1}, removed=True)
            if i is not None:
                first = i if first is None else first
                count += 1
        if first is not None:
            self.notice("hidden_text", first, "xlsx.unused_strings",
                        f"{count} shared string(s) that no cell shows (earlier values or deleted rows kept in the "
                        "file); left out of the redacted copy")

    def cell_value(self, c: etree._Element) -> tuple[str, None, str, int | None] | None:
        """(text, None, kind, shared-string index) of a cell's value, or None (empty, boolean,
        error). kind: shared, inline, text_result (a formula's string), number."""
        t = c.get("t")
        v = c.find(V)
        if t == "s":
            try:
                si = int(v.text) if v is not None and v.text else -1
            except ValueError:
                si = -1
            if not 0 <= si < len(self.book.sst):
                return None
            self.used_strings.add(si)
            text = self.strings.get(si)
            if text is None:
                text = self.strings[si] = text_of(string_pieces(self.book.sst[si]))
            return text, None, "shared", si
        if t == "inlineStr":
            is_ = c.find(IS)
            if is_ is None:
                return None
            return text_of(string_pieces(is_)), None, "inline", None
        if v is None or v.text is None:
            return None
        if t == "str":
            return v.text, None, "text_result", None
        if t is None or t == "n" or t == "d":
            return (number_text(v.text) if t != "d" else v.text), None, "number", None
        return None  # booleans and errors carry no text

    @staticmethod
    def column_headers(cells: list[tuple]) -> tuple[int | None, dict[int, str]]:
        top: dict[int, dict[int, str]] = {}
        for row_at, col_no, text, _p, _k, _si, role, _h, _c in cells:
            if role != "value":
                continue
            if len(top) >= tabular.SCAN_ROWS and row_at not in top:
                break
            top.setdefault(row_at, {})[col_no] = text
        order = sorted(top)
        width = max((max(r) for r in top.values() if r), default=0)
        grid = [[top[r].get(c) for c in range(1, width + 1)] for r in order]
        found = tabular.header_row(grid)
        if found is None:
            return None, {}
        row = order[found]
        return row, {c: " ".join(t.split()) for c, t in top[row].items() if t and t.strip()}

    def read_header_footer(self, root: etree._Element, no: int, sheet: int) -> None:
        hf = root.find(s("headerFooter"))
        if hf is None:
            return
        for name in HEADER_FOOTER:
            el = hf.find(s(name))
            if el is None or not el.text:
                continue
            origin = HEADER if "Header" in name else FOOTER
            for section, pieces in header_footer_sections(el):
                self.emit(pieces, origin, {"sheet": no, "header_footer": name, "section": section},
                          sheet=sheet, role="header_footer", escape=_escape_amp)

    def read_sheet_extras(self, root: etree._Element, no: int, sheet: int) -> None:
        # Data validation: list items and formulas, input prompts, error messages.
        for dv in root.iter(s("dataValidation")):
            pieces: list[Piece] = []
            for attr in ("promptTitle", "prompt", "errorTitle", "error"):
                if dv.get(attr):
                    pieces += [node_piece(dv, attr), joiner("\n")]
            for f in (dv.find(s("formula1")), dv.find(s("formula2"))):
                if f is not None and f.text:
                    pieces += [node_piece(f), joiner("\n")]
            self.emit(pieces, VALIDATION, {"sheet": no, "range": dv.get("sqref", "")}, sheet=sheet)
        for cf in root.iter(s("conditionalFormatting")):
            for f in cf.iter(s("formula")):
                if f.text:
                    self.emit([node_piece(f)], FORMULA, {"sheet": no, "range": cf.get("sqref", "")}, sheet=sheet)
        rels = {r.id: r for r in self.book.sheet_rels.get(sheet, [])}
        for hl in root.iter(s("hyperlink")):
            pieces = []
            for attr in ("display", "tooltip", "location"):
                if hl.get(attr):
                    pieces += [node_piece(hl, attr), joiner("\n")]
            rel = rels.get(hl.get(R_ID, ""))
            if rel is not None and rel.external:
                pieces.append(node_piece(rel.element, "Target"))
            self.emit(pieces, HYPERLINK, {"sheet": no, "cell": hl.get("ref", "")}, sheet=sheet)

    def read_sheet_parts(self, sheet: SheetInfo, rels: list[Rel]) -> None:
        pkg, no = self.book.pkg, sheet.index + 1
        for rel in rels:
            if rel.external or rel.target not in pkg.names:
                continue
            if rel.type == "comments":
                self.read_comments(rel.target, no, sheet.index)
            elif rel.type == "threadedComment":
                self.read_threaded_comments(rel.target, no, sheet.index)
            elif rel.type == "table":
                self.read_table(rel.target, no, sheet.index)
            elif rel.type == "drawing":
                self.read_drawing_text(rel.target, no)

    def read_comments(self, part: str, no: int, sheet: int) -> None:
        root = self.book.pkg.xml(part)
        authors = root.find(s("authors"))
        for n, a in enumerate(authors.iter(s("author")) if authors is not None else ()):
            i = self.emit([node_piece(a)], METADATA, {"sheet": no, "comment_author": n + 1}, removed=True)
            if i is not None:
                self.notice("metadata", i, "xlsx.comment_author",
                            "author of a comment (批注) stored in the file; removed with the comments",
                            text=a.text or "", property="comment_author")
        for cm in root.iter(s("comment")):
            text_el = cm.find(s("text"))
            pieces = string_pieces(text_el) if text_el is not None else []
            loc = {"sheet": no, "cell": cm.get("ref", "")}
            i = self.emit(pieces, COMMENT, loc, keep_empty=True, removed=True)
            self.notice("comment", i, "xlsx.comment",
                        "comment / note (批注) on a cell, stored with its author; removed from the redacted copy",
                        text=text_of(pieces))

    def read_threaded_comments(self, part: str, no: int, sheet: int) -> None:
        root = self.book.pkg.xml(part)
        for tc in root:
            if not isinstance(tc.tag, str):
                continue
            text_el = tc.find("{*}text")
            pieces = [node_piece(text_el)] if text_el is not None and text_el.text else []
            i = self.emit(pieces, COMMENT, {"sheet": no, "cell": tc.get("ref", "")}, keep_empty=True, removed=True)
            self.notice("comment", i, "xlsx.threaded_comment",
                        "threaded comment on a cell, stored with its author; removed from the redacted copy",
                        text=text_of(pieces))

    def read_table(self, part: str, no: int, sheet: int) -> None:
        """A table definition: its column names repeat the header cells, formulas may hold text."""
        root = self.book.pkg.xml(part)
        pieces: list[Piece] = []
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("name", "displayName", "totalsRowLabel", "dataCellStyle", "headerRowCellStyle"):
                if el.get(attr):
                    pieces += [node_piece(el, attr), joiner("\n")]
            if el.text and el.text.strip():
                pieces += [node_piece(el), joiner("\n")]
        self.emit(pieces, TABLE_DEFINITION, {"sheet": no, "part": part}, sheet=sheet)
        self.book.tables.setdefault(sheet, []).append(part)

    def read_drawing_text(self, part: str, no: int) -> None:
        """Text of shapes and text boxes: visible on the sheet, removed with the drawing."""
        root = self.book.pkg.xml(part)
        for n, body in enumerate(root.iter(f"{{{A_NS}}}txBody", "{*}txBody")):
            pieces: list[Piece] = []
            for p in body.iter(f"{{{A_NS}}}p"):
                if pieces:
                    pieces.append(joiner("\n"))
                pieces += [node_piece(t) for t in p.iter(f"{{{A_NS}}}t") if t.text]
            self.emit(pieces, TEXTBOX, {"sheet": no, "shape": n + 1}, removed=True)

    # --- workbook-wide parts ---------------------------------------------------------------------
    def read_styles(self) -> None:
        pkg = self.book.pkg
        for rel in pkg.rels(self.book.workbook):
            if rel.type != "styles" or rel.external or rel.target not in pkg.names:
                continue
            root = pkg.xml(rel.target)
            pieces: list[Piece] = []
            for el in root.iter(s("numFmt")):
                if el.get("formatCode"):
                    pieces += [node_piece(el, "formatCode"), joiner("\n")]
            for el in root.iter(s("cellStyle")):
                if el.get("name"):
                    pieces += [node_piece(el, "name"), joiner("\n")]
            self.emit(pieces, STYLE, {"part": rel.target})

    def read_properties(self) -> None:
        from ..metadata import GENERIC_AUTHORS as GENERIC_PROPERTY_VALUES

        pkg = self.book.pkg
        for rel in pkg.rels(""):
            if rel.external or rel.target not in pkg.names:
                continue
            if rel.type == "core-properties":
                props = {**CORE_PERSONAL, **CORE_SCANNED}
            elif rel.type == "extended-properties":
                props = APP_PERSONAL
            elif rel.type == "custom-properties":
                props = None
            else:
                continue
            root = pkg.xml(rel.target)
            for el in root:
                if not isinstance(el.tag, str):
                    continue
                if props is None:  # custom properties: every value, all removed
                    value = next((v for v in el.iter() if v is not el and isinstance(v.tag, str) and v.text), None)
                    if value is None:
                        continue
                    i = self.emit([node_piece(value)], METADATA, {"part": rel.target, "property": "custom"}, removed=True)
                    if i is not None:
                        self.notice("metadata", i, "xlsx.metadata.custom",
                                    "custom document property: not shown in the sheets; removed from the redacted copy",
                                    text=value.text or "", property="custom")
                    continue
                prop = props.get(el.tag)
                if prop is None or not el.text:
                    continue
                personal = el.tag in CORE_PERSONAL or el.tag in APP_PERSONAL
                i = self.emit([node_piece(el)], METADATA, {"part": rel.target, "property": prop}, removed=personal)
                if i is not None and personal and el.text.strip().lower() not in GENERIC_PROPERTY_VALUES:
                    self.notice("metadata", i, f"xlsx.metadata.{prop}",
                                f"document property '{prop}' names a person or an organisation; emptied in the "
                                "redacted copy", text=el.text, property=prop)


# --- helpers ---------------------------------------------------------------------------------------


def string_pieces(container: etree._Element) -> list[Piece]:
    """The text of a rich or plain string (``si``, ``is``, a comment's ``text``): its ``t``
    nodes, phonetic runs (``rPh``) left out (the copy drops them)."""
    if len(container) == 1 and container[0].tag == T:  # a plain string: one <t>
        t = container[0]
        return [Piece(t, None, 0, len(t.text), t.text)] if t.text else []
    pieces = []
    for t in container.iter(T):
        parent = t.getparent()
        if parent is not None and parent.tag == RPH:
            continue
        if t.text:
            pieces.append(node_piece(t))
    return pieces


def cell_pieces(book: Book, model: SegModel) -> list[Piece]:
    """The pieces of a cell segment, from the XML as it was read (see ``SegModel``)."""
    if model.pieces is not None:
        return model.pieces
    c = model.c
    if model.role == "formula":
        return [node_piece(c.find(F))]
    if model.kind == "shared":
        return string_pieces(book.sst[model.si])
    if model.kind == "inline":
        return string_pieces(c.find(IS))
    return [node_piece(c.find(V))]  # text_result; numbers are rewritten whole


def _cell_ref(ref: str) -> tuple[int, int] | None:
    """'C5' -> (5, 3); the fast path for the ``r`` of a cell (no ``$``), else ``parse_cell``."""
    col = 0
    for i, ch in enumerate(ref):
        if "A" <= ch <= "Z":
            col = col * 26 + ord(ch) - 64
        elif ch.isdigit() and col:
            try:
                return int(ref[i:]), col
            except ValueError:
                return parse_cell(ref)
        else:
            return parse_cell(ref)
    return None


def number_text(raw: str) -> str:
    """A stored number as a person would type it: integral values as all their digits."""
    if raw.isdigit():
        return raw
    try:
        d = Decimal(raw.strip())
    except InvalidOperation:
        return raw
    if d.is_finite() and d == d.to_integral_value() and abs(d) < Decimal("1e30"):
        return str(int(d))
    return raw


def _significant_digits(text: str) -> int:
    digits = text.lstrip("-").lstrip("0")
    return len(digits) if digits.isdigit() else 0


def header_footer_sections(el: etree._Element) -> list[tuple[str, list[Piece]]]:
    """Split a header/footer string into its left/center/right sections, codes left out.

    ``&L``/``&C``/``&R`` start a section; ``&"font,style"``, ``&K`` + colour, ``&12`` (size) and
    ``&B &I &U &E &S &X &Y &O &H`` format; ``&P &N &D &T &F &A &Z &G`` are fields (a space in
    the text, so words on either side are not joined); ``&&`` is a literal ``&``.
    """
    raw = el.text or ""
    names = {"L": "left", "C": "center", "R": "right"}
    sections: dict[str, list[Piece]] = {}
    current = "center"
    i, n, lit = 0, len(raw), 0

    def flush(upto: int) -> None:
        if upto > lit:
            sections.setdefault(current, []).append(Piece(el, None, lit, upto, raw[lit:upto]))

    while i < n:
        if raw[i] != "&" or i + 1 >= n:
            i += 1
            continue
        flush(i)
        code = raw[i + 1]
        if code == "&":
            sections.setdefault(current, []).append(joiner("&"))
            i += 2
        elif code in names:
            current = names[code]
            i += 2
        elif code == '"':
            end = raw.find('"', i + 2)
            i = n if end < 0 else end + 1
        elif code in "Kk":
            i += 8
        elif code.isdigit():
            i += 1
            while i < n and raw[i].isdigit():
                i += 1
        elif code in "+-":
            i += 2
            while i < n and raw[i].isdigit():
                i += 1
        else:
            if code in "PNDTFAZG":
                sections.setdefault(current, []).append(joiner(" "))
            i += 2
        lit = min(i, n)
    flush(n)
    return [(name, pieces) for name, pieces in sections.items() if text_of(pieces).strip()]


def _escape_amp(text: str) -> str:
    return text.replace("&", "&&")


def _on(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def load_book(data: bytes, path: str) -> tuple[Book, list[Segment], list[Finding]]:
    """Open the package, find the workbook, its sheets and shared strings, and read everything."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFileError(
            "encrypted or password-protected workbook, or a legacy .xls renamed to .xlsx (an OLE compound "
            "file, not an OOXML package): remove the password or save it as .xlsx", path=path)
    pkg = Package(data, path)
    workbook = next((r.target for r in pkg.rels("") if r.type == "officeDocument" and not r.external), None)
    if workbook is None or workbook not in pkg.names:
        raise UnreadableFileError("not an Excel workbook (no workbook part)", path=path)
    wb = pkg.xml(workbook)
    ns = etree.QName(wb).namespace
    if ns == SML_STRICT:
        raise UnreadableFileError("Strict Open XML workbooks are not supported: save it as a normal .xlsx", path=path)
    if ns != SML or etree.QName(wb).localname != "workbook":
        raise UnreadableFileError("not an Excel workbook (unexpected workbook part)", path=path)
    rels = {r.id: r for r in pkg.rels(workbook)}
    sheets = []
    sheets_el = wb.find(s("sheets"))
    for n, el in enumerate(sheets_el.iterchildren(s("sheet")) if sheets_el is not None else ()):
        rel = rels.get(el.get(R_ID, ""))
        kind = "unknown"
        if rel is not None and not rel.external:
            kind = {"worksheet": "worksheet", "chartsheet": "chartsheet", "dialogsheet": "dialogsheet",
                    "xlMacrosheet": "macrosheet", "xlIntlMacrosheet": "macrosheet"}.get(rel.type, "unknown")
        sheets.append(SheetInfo(n, el.get("name", ""), el.get("state", "visible"), kind,
                                rel.target if rel is not None and not rel.external else None, el))
    sst_part = next((r.target for r in rels.values() if r.type == "sharedStrings" and not r.external
                     and r.target in pkg.names), None)
    sst = [si for si in pkg.xml(sst_part).iterchildren(SI)] if sst_part else []
    book = Book(pkg=pkg, data=data, workbook=workbook, sheets=sheets, sst_part=sst_part, sst=sst)
    reader = _Reader(book)
    reader.read()
    from .scrub import survey

    survey(book, reader)
    return book, reader.segments, reader.notices
