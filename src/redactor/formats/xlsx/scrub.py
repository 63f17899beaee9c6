"""What the copy keeps: an allow-list of parts, relationships and elements.

``survey`` (at reading time) decides which parts the copy keeps and reports every part it
leaves out that a person could miss: macros, embedded objects and pictures, drawings and
charts, links to other workbooks (with cached copies of their values and their paths), pivot
caches and slicer caches (copies of the source data), query tables and data connections
(server names, user names, queries), custom XML, the thumbnail, a digital signature.
``scrub`` (at writing time) removes, inside the kept parts, every element that is not on the
allow-list (scenarios, custom views, the absolute path of the workbook's folder, the user
name of a shared workbook, extension lists ...) and every relationship to a removed part.

Kept: the workbook, worksheets, shared strings (rebuilt), styles, the theme, tables, external
hyperlinks, core and extended document properties (personal ones emptied).
"""
from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from lxml import etree

from ...document import METADATA
from .package import CONTENT_TYPES, Package
from .pieces import Piece, joiner, node_piece
from .reader import R_ID, Book, s

if TYPE_CHECKING:
    from .reader import _Reader

EXTENSION = "extension"

# Workbook relationship types: kept, or removed with (notice kind, what it is); None: removed
# silently (nothing a person wrote: a calculation order, printer settings, cell metadata).
WORKBOOK_KEEP = {"worksheet", "sharedStrings", "styles", "theme"}
REMOVED_WHY: dict[str, tuple[str, str] | None] = {
    "calcChain": None,
    "sheetMetadata": None,
    "volatileDependencies": None,
    "printerSettings": None,
    "vmlDrawing": None,  # the shapes of comments; a sheet without comments is reported below
    "comments": None,  # reported comment by comment
    "threadedComment": None,
    "chartsheet": None,  # reported sheet by sheet
    "dialogsheet": None,
    "xlMacrosheet": None,
    "xlIntlMacrosheet": None,
    "externalLink": ("hidden_text", "link to another workbook: keeps that file's path and cached copies of its values"),
    "pivotCacheDefinition": ("hidden_text", "pivot cache: a hidden copy of the pivot table's source data"),
    "pivotTable": ("hidden_text", ("pivot table definition (its cache holds a copy of the source data); "
                                   "the cells it shows stay as plain values")),
    "connections": ("hidden_text", "data connections: server, user and query of external data"),
    "queryTable": ("hidden_text", "query table: a link to external data"),
    "slicerCache": ("hidden_text", "slicer cache: a copy of the filtered items"),
    "timelineCache": ("hidden_text", "timeline cache: a copy of the filtered items"),
    "slicer": ("hidden_text", "slicer (a filter control with its items)"),
    "timeline": ("hidden_text", "timeline (a filter control)"),
    "powerPivotData": ("hidden_text", "data model: a hidden copy of imported tables"),
    "customXml": ("metadata", "custom XML data stored with the workbook"),
    "thumbnail": ("metadata", "thumbnail: a picture of the first sheet as it was saved"),
    "person": ("metadata", "list of people who wrote threaded comments"),
    "vbaProject": ("embedded_object", "macros (VBA project): code cannot be checked"),
    "drawing": ("embedded_object", ("drawing: pictures, charts and shapes (charts keep copies of cell values; "
                                    "pictures cannot be checked)")),
    "image": ("embedded_object", "picture (sheet background or header picture): cannot be checked"),
    "oleObject": ("embedded_object", "embedded object: cannot be checked"),
    "package": ("embedded_object", "embedded file: cannot be checked"),
    "control": ("embedded_object", "form or ActiveX control"),
    "ctrlProp": ("embedded_object", "form control"),
    "customProperty": ("metadata", "custom sheet property"),
    "richValue": ("embedded_object", "pictures or data types inside cells"),
    "rdRichValue": ("embedded_object", "pictures or data types inside cells"),
    "digital-signature/origin": ("metadata", "digital signature (it would no longer match the copy)"),
    "origin": ("metadata", "digital signature (it would no longer match the copy)"),
}
# Children of <workbook> and <worksheet> the copy keeps (everything else is dropped).
WORKBOOK_CHILDREN = {s(n) for n in ("fileVersion", "workbookPr", "workbookProtection", "bookViews", "sheets",
                                    "definedNames", "calcPr")}
SHEET_CHILDREN = {s(n) for n in (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "autoFilter", "sortState", "mergeCells", "conditionalFormatting", "dataValidations", "hyperlinks",
    "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "ignoredErrors",
    "tableParts")}
# Dropped children worth a notice (they hold values or names a person typed).
SHEET_DROPPED_WHY = {
    s("scenarios"): ("hidden_text", "scenarios: saved alternative values of cells"),
    s("customSheetViews"): ("metadata", "custom views (often named after their user)"),
    s("smartTags"): ("metadata", "smart tags"),
    s("oleObjects"): None, s("controls"): None, s("drawing"): None, s("legacyDrawing"): None,
    s("legacyDrawingHF"): None, s("drawingHF"): None, s("picture"): None,  # reported with their parts
}
APP_CHILDREN = {"Application", "DocSecurity", "ScaleCrop", "LinksUpToDate", "SharedDoc", "HyperlinksChanged",
                "AppVersion"}


def survey(book: Book, reader: _Reader) -> None:
    """Decide the parts the copy keeps (``book.keep``) and report what it leaves out."""
    pkg = book.pkg
    keep = {CONTENT_TYPES, "_rels/.rels", book.workbook, pkg.rels_name(book.workbook)}

    def drop(part: str, rtype: str, where: dict, report: bool = True) -> None:
        if part in keep or part in book.removed:
            return
        why = REMOVED_WHY.get(rtype, ("embedded_object", f"unrecognised part ({pkg.content_type(part) or rtype})"))
        book.removed[part] = why[1] if why else rtype
        for child in pkg.rels(part):  # what a removed part points at goes with it (reported with it)
            if not child.external and child.target in pkg.names:
                drop(child.target, child.type, where, report=False)
        if why is None or not report:
            return
        i = reader.anchor({**where, "part": part}, origin=why[0])
        reader.notice(why[0], i, f"xlsx.removed.{rtype}", f"{why[1]}; removed from the redacted copy", type=rtype)

    for rel in pkg.rels(""):
        if rel.external or rel.target not in pkg.names:
            continue
        if rel.type in ("officeDocument", "core-properties", "extended-properties"):
            keep.add(rel.target)
        elif rel.type == "custom-properties":
            book.removed[rel.target] = "custom properties"  # reported property by property
        else:
            drop(rel.target, rel.type, {})
    worksheets = {sh.part: sh for sh in book.sheets if sh.kind == "worksheet" and sh.part}
    for rel in pkg.rels(book.workbook):
        if rel.external or rel.target not in pkg.names:
            continue
        if rel.type in WORKBOOK_KEEP and (rel.type != "worksheet" or rel.target in worksheets):
            keep.add(rel.target)
        elif rel.type == "person":
            _read_persons(book, reader, rel.target)
            drop(rel.target, rel.type, {})
        else:
            sheet = next((sh for sh in book.sheets if sh.part == rel.target), None)
            drop(rel.target, rel.type, {"sheet": sheet.index + 1} if sheet else {})
    tables: list[str] = []
    for sheet in book.sheets:
        if sheet.part not in keep:
            continue
        keep.add(pkg.rels_name(sheet.part))
        rels = book.sheet_rels.get(sheet.index, [])
        has_comments = any(r.type == "comments" for r in rels)
        for rel in rels:
            if rel.external or rel.target not in pkg.names:
                continue
            where = {"sheet": sheet.index + 1}
            if rel.type == "table":
                keep.add(rel.target)
                tables.append(rel.target)
            elif rel.type == "vmlDrawing" and not has_comments:
                book.removed[rel.target] = "vml"
                i = reader.anchor({**where, "part": rel.target}, origin="embedded_object")
                reader.notice("embedded_object", i, "xlsx.removed.vmlDrawing",
                              "legacy drawing (VML: form controls, shapes or header pictures); removed from the "
                              "redacted copy", type="vmlDrawing")
            else:
                drop(rel.target, rel.type, where)
    # Kept parts other than the workbook and its sheets keep no relationships of their own:
    # what a theme or a table points at (pictures, query tables) is left out.
    for part in sorted(p for p in keep if p.endswith(".xml") and p not in worksheets and p != book.workbook):
        for child in pkg.rels(part):
            if not child.external and child.target in pkg.names:
                drop(child.target, child.type, {})
    book.keep = keep
    _survey_elements(book, reader)


def _read_persons(book: Book, reader: _Reader, part: str) -> None:
    root = book.pkg.xml(part)
    for n, person in enumerate(el for el in root if isinstance(el.tag, str)):
        pieces: list[Piece] = []
        for attr in ("displayName", "userId"):
            if person.get(attr):
                pieces += [node_piece(person, attr), joiner("\n")]
        reader.emit(pieces, METADATA, {"part": part, "person": n + 1}, removed=True)


def _survey_elements(book: Book, reader: _Reader) -> None:
    """Report values and names in elements the copy drops from kept parts."""
    wb = book.pkg.xml(book.workbook)
    for el in wb.iter("{*}absPath"):
        i = reader.emit([node_piece(el, "url")], METADATA, {"part": book.workbook, "property": "absPath"}, removed=True)
        if i is not None:
            reader.notice("metadata", i, "xlsx.metadata.absPath",
                          "the folder the workbook was saved in (often holds a user name); removed from the copy",
                          text=el.get("url", ""), property="absPath")
    for el in wb.iter(s("fileSharing")):
        i = reader.emit([node_piece(el, "userName")], METADATA, {"part": book.workbook, "property": "fileSharing"},
                        removed=True)
        if i is not None:
            reader.notice("metadata", i, "xlsx.metadata.fileSharing",
                          "user name of the person who protected the workbook; removed from the copy",
                          text=el.get("userName", ""), property="fileSharing")
    for el in wb.iter(s("customWorkbookView")):
        reader.emit([node_piece(el, "name")], METADATA, {"part": book.workbook, "property": "customWorkbookView"},
                    removed=True)
    for index, root in book.sheet_roots.items():
        for child in root:
            why = SHEET_DROPPED_WHY.get(child.tag)
            if child.tag == s("extLst") or why:
                pieces: list[Piece] = []
                for el in child.iter():
                    if isinstance(el.tag, str):
                        pieces += [node_piece(el, a) for a in el.attrib if a in ("name", "val", "comment", "user")]
                        if el.text and el.text.strip():
                            pieces.append(node_piece(el))
                        pieces.append(joiner("\n"))
                origin = why[0] if why else EXTENSION
                i = reader.emit(pieces, origin if origin != "hidden_text" else "hidden_text",
                                {"sheet": index + 1, "element": etree.QName(child).localname}, removed=True)
                if why and i is not None:
                    reader.notice(why[0], i, f"xlsx.removed.{etree.QName(child).localname}",
                                  f"{why[1]}; removed from the redacted copy")


# --- writing time ---------------------------------------------------------------------------------


def scrub_workbook(book: Book, removed_sheets: set[int]) -> None:
    wb = book.pkg.xml(book.workbook)
    for child in list(wb):
        if not isinstance(child.tag, str) or child.tag not in WORKBOOK_CHILDREN:
            wb.remove(child)
    names_el = wb.find(s("definedNames"))
    for dn in list(names_el.iter(s("definedName")) if names_el is not None else ()):
        if dn.text and re.search(r"\[\d+\]", dn.text):
            names_el.remove(dn)  # names another workbook, whose link is removed
    pr = wb.find(s("workbookPr"))
    if pr is not None:
        pr.attrib.pop("codeName", None)  # names the VBA project, which is gone
    # Sheets the copy does not keep (chart sheets, dialog and macro sheets): their <sheet>
    # entries go, and sheet-local names are renumbered.
    if removed_sheets:
        sheets_el = wb.find(s("sheets"))
        new_index: dict[int, int] = {}
        n = 0
        for sheet in book.sheets:
            if sheet.index in removed_sheets:
                sheets_el.remove(sheet.element)
            else:
                new_index[sheet.index] = n
                n += 1
        names = wb.find(s("definedNames"))
        for dn in list(names.iter(s("definedName")) if names is not None else ()):
            local = dn.get("localSheetId")
            if local is not None:
                try:
                    old = int(local)
                except ValueError:
                    old = -1
                if old not in new_index:
                    dn.getparent().remove(dn)
                else:
                    dn.set("localSheetId", str(new_index[old]))
        for view in wb.iter(s("workbookView")):
            for attr in ("activeTab", "firstSheet"):
                view.attrib.pop(attr, None)


def scrub_sheet(root: etree._Element, kept_rel_ids: set[str]) -> None:
    for child in list(root):
        if not isinstance(child.tag, str) or child.tag not in SHEET_CHILDREN:
            root.remove(child)
    auto = root.find(s("autoFilter"))
    if auto is not None:
        for fc in list(auto):  # the filter's criteria are cell values
            auto.remove(fc)
    page = root.find(s("pageSetup"))
    if page is not None:
        page.attrib.pop(R_ID, None)  # printer settings part, removed
    for hl in list(root.iter(s("hyperlink"))):
        rid = hl.get(R_ID)
        if rid is not None and rid not in kept_rel_ids:
            hl.getparent().remove(hl)
    tp = root.find(s("tableParts"))
    if tp is not None:
        for t in list(tp):
            if t.get(R_ID) not in kept_rel_ids:
                tp.remove(t)
        if len(tp) == 0:
            root.remove(tp)
        else:
            tp.set("count", str(len(tp)))
    hls = root.find(s("hyperlinks"))
    if hls is not None and len(hls) == 0:
        root.remove(hls)
    for c in root.iter(s("c")):
        c.attrib.pop("vm", None)  # value metadata (pictures in cells): removed
        c.attrib.pop("cm", None)  # cell metadata (dynamic arrays): removed with metadata.xml


def scrub_rels(pkg: Package, part: str, keep: set[str], allowed_external: set[str]) -> tuple[bytes, set[str]]:
    """The relationships of a kept part that point at kept parts (and allowed external targets)."""
    root = pkg.xml(pkg.rels_name(part))
    kept: set[str] = set()
    base = posixpath.dirname(part)
    for el in list(root):
        if not isinstance(el.tag, str):
            continue
        target = el.get("Target", "")
        external = el.get("TargetMode") == "External"
        rtype = el.get("Type", "").rsplit("/", 1)[-1]
        if external:
            ok = rtype in allowed_external
        else:
            absolute = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            ok = absolute in keep
        if ok:
            kept.add(el.get("Id", ""))
        else:
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), kept


def scrub_app(root: etree._Element) -> None:
    for child in list(root):
        if not isinstance(child.tag, str) or etree.QName(child).localname not in APP_CHILDREN:
            root.remove(child)
