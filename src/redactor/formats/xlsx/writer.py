"""Write the redacted copy of a workbook: edits applied, hidden cells emptied, formulas that
could show a masked value recomputed by Excel, shared strings rebuilt, the package scrubbed.

- A cell whose value is masked becomes a text cell holding the masked value (a number cell
  too: masks are not numbers); if it held a formula, the formula goes (it would recompute
  the value). A shared string is never edited in place (other cells may share it): the cell
  gets an edited copy.
- Cells of hidden sheets, rows and columns are emptied (their style stays).
- A formula that reads a masked or emptied cell (directly, through a defined name, through
  another such formula; or in a way that cannot be known, such as ``INDIRECT``, whenever
  anything was masked) loses its cached value, and the workbook is marked for a full
  recalculation on load (``calcPr/@fullCalcOnLoad``): Excel and LibreOffice then compute it
  from the masked inputs. A formula that reads another workbook (whose link is removed) is
  replaced by its checked cached value.
- The shared-string table is rebuilt from the strings the kept cells use: strings no cell
  uses any more (an earlier value, a deleted row) are not carried over, nor phonetic runs.
- The package keeps only the parts ``scrub.survey`` allowed; inside them ``scrub`` removes
  every element not on its allow-list.
Last, every member of the copy is searched for the masked values
(``redactor.residue.find_residue``); a hit refuses the copy.
"""
from __future__ import annotations

import copy
import re
import zipfile
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from ...document import Edit, Segment
from ...errors import VerificationError
from ..text import apply_edits
from . import scrub
from .package import serialise
from .pieces import CannotEdit, write_back
from .reader import IS, SI, SML, Book, C, F, SheetInfo, T, V, cell_pieces, s
from .refs import Area, formula_ranges, parse_area, parse_cell

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DISSOLVED = "redactor-dissolved-shared"  # a marker attribute, removed before writing
_BAD_SHEET_CHARS = str.maketrans({"*": "＊", "?": "？", ":": "：", "/": "／", "\\": "＼", "[": "［", "]": "］"})


class _Masked:
    """Cells whose shown value changed (masked, emptied, or a dropped cached value), per sheet:
    column -> sorted rows, so that "does this area hold one?" is a bisect per masked column."""

    def __init__(self) -> None:
        self.cols: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.count = 0

    def add(self, sheet: int, row: int, col: int) -> None:
        rows = self.cols[sheet][col]
        i = bisect_left(rows, row)
        if i == len(rows) or rows[i] != row:
            rows.insert(i, row)
            self.count += 1

    def hits(self, sheet: int, area: Area) -> bool:
        for col, rows in self.cols.get(sheet, {}).items():
            if area.c1 <= col <= area.c2:
                i = bisect_left(rows, area.r1)
                if i < len(rows) and rows[i] <= area.r2:
                    return True
        return False


def write_book(book: Book, segments: Sequence[Segment], edits: Sequence[Edit], out: Path, path: str) -> None:
    masked = _Masked()
    own_si: dict[etree._Element, etree._Element] = {}
    renames: dict[str, str] = {}
    by_segment: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for e in edits:
        if 0 <= e.segment < len(book.models):
            by_segment[e.segment].append((e.start, e.end, e.replacement))
    for index, seg_edits in sorted(by_segment.items()):
        model = book.models[index]
        if model.removed:
            continue
        try:
            _apply(book, model, segments[index].text, seg_edits, masked, own_si, renames)
        except CannotEdit:
            raise VerificationError("a value to mask could not be written back into the workbook", path=path) from None
    for sheet, cells in book.hidden_cells.items():
        for row, col, c in cells:
            _empty(c)
            masked.add(sheet, row, col)
    worksheets = [sh for sh in book.sheets if sh.kind == "worksheet" and sh.part in book.keep]
    if renames:
        _rename_references(book, worksheets, renames)
    recalc = _formulas(book, worksheets, masked)
    removed_sheets = {sh.index for sh in book.sheets if sh not in worksheets}
    scrub.scrub_workbook(book, removed_sheets)
    if recalc:
        _full_calc_on_load(book)
    replaced = _rebuild_shared_strings(book, worksheets, own_si)
    pkg = book.pkg
    keep = set(book.keep)
    for sh in worksheets:
        rels_part = pkg.rels_name(sh.part)
        kept_ids: set[str] = set()
        if rels_part in pkg.names:
            replaced[rels_part], kept_ids = scrub.scrub_rels(pkg, sh.part, keep, {"hyperlink"})
        scrub.scrub_sheet(book.sheet_roots[sh.index], kept_ids)
    for part in (book.workbook, ""):
        rels_part = pkg.rels_name(part)
        if rels_part in pkg.names:
            replaced[rels_part], _ = scrub.scrub_rels(pkg, part, keep, set())
    _scrub_tables(book)
    _scrub_properties(book)
    for name, root in pkg.trees.items():
        if name in keep and name not in replaced and not name.endswith(".rels"):
            replaced[name] = serialise(root)
    keep |= {n for n in replaced if n in pkg.names or n == book.sst_part}
    pkg.save(out, keep, replaced)
    _residue_check(out, segments, edits, book, path)


# --- edits ---------------------------------------------------------------------------------------


def _apply(book: Book, model, text: str, seg_edits, masked: _Masked, own_si, renames) -> None:
    c = model.c
    if model.role == "sheet_name":
        sheet_el = book.sheets[model.sheet].element
        old = sheet_el.get("name", "")
        write_back(model.pieces, seg_edits)
        new = _sheet_name(sheet_el.get("name", ""), {sh.element.get("name", "") for sh in book.sheets
                                                     if sh.element is not sheet_el})
        sheet_el.set("name", new)
        renames[old] = new
        return
    if model.role != "value":
        # A masked sheet name inside a reference ('13812345678'!A1, in a formula or a defined
        # name) is written as the sheet is renamed, so the reference still finds its sheet.
        seg_edits = [(a, b, r.translate(_BAD_SHEET_CHARS) if text[b:b + 2] == "'!" or text[b:b + 1] == "!" else r)
                     for a, b, r in seg_edits]
    if model.role == "formula" and c is not None:
        if c.find(F) is None:
            return  # the cell's value was masked, which removed its formula
        write_back(cell_pieces(book, model), seg_edits)
        _drop_cached(c)  # the formula changed: its result is computed on load
        masked.add(model.sheet, *model.cell)
        return
    if model.role != "value" or c is None:
        write_back(model.pieces, seg_edits, escape=model.escape)
        return
    if model.kind == "shared":
        original = book.sst[model.si]
        mine = copy.deepcopy(original)
        write_back(cell_pieces(book, model), seg_edits, node_map=dict(zip(original.iter(), mine.iter())))
        own_si[c] = mine
        _drop_formula(c)
    elif model.kind in ("number", "text_result"):
        _set_text(c, apply_edits(text, [Edit(0, a, b, r) for a, b, r in seg_edits]))
    else:  # inline string
        write_back(cell_pieces(book, model), seg_edits)
        _drop_formula(c)
    masked.add(model.sheet, *model.cell)


def _sheet_name(name: str, others: set[str]) -> str:
    name = name.translate(_BAD_SHEET_CHARS).strip("'")[:31] or "Sheet"
    base, n = name, 2
    while name in others:
        suffix = f" ({n})"
        name = base[:31 - len(suffix)] + suffix
        n += 1
    return name


def _set_text(c: etree._Element, text: str) -> None:
    """Make ``c`` a text cell (inline string) holding ``text``; no formula."""
    _drop_formula(c)
    for child in list(c):
        if child.tag in (V, IS):
            c.remove(child)
    c.set("t", "inlineStr")
    is_ = etree.SubElement(c, IS)
    t = etree.SubElement(is_, T)
    t.text = text
    t.set(XML_SPACE, "preserve")


def _empty(c: etree._Element) -> None:
    for child in list(c):
        if child.tag in (V, F, IS):
            c.remove(child)
    c.attrib.pop("t", None)


def _drop_formula(c: etree._Element) -> None:
    f = c.find(F)
    if f is not None:
        c.remove(f)
        if f.get("t") == "shared" and f.text:
            # The master of a shared formula: the other cells of the group have no text of
            # their own. They keep their (checked) values and lose the formula too.
            c.set(DISSOLVED, f.get("si", ""))


def _drop_cached(c: etree._Element) -> None:
    v = c.find(V)
    if v is not None:
        c.remove(v)
    if c.get("t") in ("str", "n", "b", "e", "d"):
        c.attrib.pop("t", None)


# --- formulas ------------------------------------------------------------------------------------


def _formulas(book: Book, worksheets: list[SheetInfo], masked: _Masked) -> bool:
    """Drop cached values that could show a masked value; return True if any was dropped."""
    index_by_name = {sh.element.get("name", ""): sh.index for sh in worksheets}
    local_names: dict[int, dict[str, str]] = defaultdict(dict)
    wb = book.pkg.xml(book.workbook)
    for dn in wb.iter(s("definedName")):
        local = dn.get("localSheetId")
        if local is not None and local.isdigit() and dn.text:
            local_names[int(local)][dn.get("name", "").upper()] = dn.text
    # Each formula: (sheet, cells whose cached value it makes, areas it reads or None).
    entries: list[tuple[int, list[tuple[int, int, etree._Element]], list[Area] | None]] = []
    for sh in worksheets:
        root = book.sheet_roots[sh.index]
        names = {**book.names, **local_names.get(sh.index, {})}
        groups: dict[str, list[tuple[int, int, etree._Element]]] = defaultdict(list)
        masters: dict[str, tuple[str, str]] = {}
        by_pos: dict[tuple[int, int], etree._Element] = {}
        array_ranges: list[tuple[Area, tuple[int, int], etree._Element]] = []
        dissolved = set()
        for c in root.xpath("//m:c[@*[local-name()='redactor-dissolved-shared']]", namespaces={"m": SML}):
            dissolved.add(c.attrib.pop(DISSOLVED))
        for f in list(root.iter(F)):
            c = f.getparent()
            pos = parse_cell(c.get("r", "")) if c is not None and c.tag == C else None
            if pos is None:
                continue
            kind = f.get("t", "normal")
            if kind == "shared":
                groups[f.get("si", "")].append((*pos, c))
                if f.text:
                    masters[f.get("si", "")] = (f.text, f.get("ref", ""))
                continue
            text = f.text or ""
            if "[" in text and re.search(r"\[\d+\]", text):
                c.remove(f)  # reads another workbook, whose link is gone: keep the checked value
                continue
            areas = formula_ranges(text, names)
            if kind == "array" and f.get("ref"):
                area = parse_area(f.get("ref", ""))
                if area is not None:
                    array_ranges.append((area, pos, c))
                    continue
            entries.append((sh.index, [(*pos, c)], _qualify(areas, sh.index, index_by_name)))
        if array_ranges:  # the cells an array formula fills (only they need every position)
            for c in root.iter(C):
                p = parse_cell(c.get("r", ""))
                if p is not None:
                    by_pos[p] = c
        for area, pos, c in array_ranges:
            cells = [(r, col, cell) for (r, col), cell in by_pos.items() if area.contains(r, col)]
            text = c.find(F).text or ""
            entries.append((sh.index, cells or [(*pos, c)],
                            _qualify(formula_ranges(text, names), sh.index, index_by_name)))
        for si, cells in groups.items():
            text, ref = masters.get(si, ("", ""))
            if si in dissolved or re.search(r"\[\d+\]", text):
                for _r, _c, cell in cells:
                    _drop_formula(cell)
                continue
            extent = parse_area(ref) if ref else None
            areas = formula_ranges(text, names) if text else None
            if areas is not None and extent is not None:
                areas = [a.grown(extent.r2 - extent.r1, extent.c2 - extent.c1) for a in areas]
            elif extent is None:
                areas = None
            entries.append((sh.index, cells, _qualify(areas, sh.index, index_by_name)))
    dropped = False
    pending = list(range(len(entries)))
    while pending and masked.count:
        still = []
        for n in pending:
            sheet, cells, areas = entries[n]
            if areas is None or any(masked.hits(sh, a) for sh, a in areas):
                for row, col, c in cells:
                    _drop_cached(c)
                    masked.add(sheet, row, col)
                dropped = True
            else:
                still.append(n)
        if len(still) == len(pending):
            break
        pending = still
    return dropped


def _qualify(areas: list[Area] | None, own: int, index_by_name: dict[str, int]) -> list[tuple[int, Area]] | None:
    """(sheet index, area) pairs; None when a sheet it names is unknown (assume the worst)."""
    if areas is None:
        return None
    out = []
    for a in areas:
        if a.sheet is None:
            out.append((own, a))
            continue
        names = a.sheet.split(":")  # a 3-D reference Sheet1:Sheet3!A1
        indices = [index_by_name.get(n) for n in names]
        if any(i is None for i in indices):
            return None
        lo, hi = min(indices), max(indices)  # type: ignore[type-var]
        out.extend((i, a) for i in range(lo, hi + 1))
    return out


def _full_calc_on_load(book: Book) -> None:
    wb = book.pkg.xml(book.workbook)
    calc = wb.find(s("calcPr"))
    if calc is None:
        calc = etree.SubElement(wb, s("calcPr"))
    calc.set("fullCalcOnLoad", "1")


def _rename_references(book: Book, worksheets: list[SheetInfo], renames: dict[str, str]) -> None:
    """A masked sheet name is masked in every formula that names it too."""
    pats = []
    for old, new in renames.items():
        quoted = "'" + new.replace("'", "''") + "'!"
        pats.append((re.compile("'" + re.escape(old.replace("'", "''")) + "'!"), quoted))
        pats.append((re.compile(r"(?<![\w.'])" + re.escape(old) + "!"), quoted))
    nodes = list(book.pkg.xml(book.workbook).iter(s("definedName")))
    for sh in worksheets:
        nodes += list(book.sheet_roots[sh.index].iter(F, s("formula"), s("formula1"), s("formula2")))
    for node in nodes:
        if node.text:
            text = node.text
            for rx, rep in pats:
                text = rx.sub(lambda _m, rep=rep: rep, text)
            node.text = text


# --- shared strings, tables, properties ----------------------------------------------------------


def _rebuild_shared_strings(book: Book, worksheets: list[SheetInfo], own_si) -> dict[str, bytes]:
    if book.sst_part is None and not own_si:
        return {}
    new: list[etree._Element] = []
    index: dict[int, int] = {}
    total = 0
    for sh in worksheets:
        for c in book.sheet_roots[sh.index].iter(C):
            if c.get("t") != "s":
                continue
            v = c.find(V)
            mine = own_si.get(c)
            if mine is not None:
                new.append(mine)
                v.text = str(len(new) - 1)
            else:
                try:
                    old = int(v.text) if v is not None and v.text else -1
                except ValueError:
                    old = -1
                if not 0 <= old < len(book.sst):
                    _empty(c)
                    continue
                if old not in index:
                    new.append(book.sst[old])
                    index[old] = len(new) - 1
                v.text = str(index[old])
            total += 1
    sst = etree.Element(s("sst"), nsmap={None: SML})
    for si in new:
        si = copy.deepcopy(si)
        for el in list(si.iter(s("rPh"), s("phoneticPr"))):
            el.getparent().remove(el)
        sst.append(si)
    sst.set("count", str(total))
    sst.set("uniqueCount", str(len(new)))
    part = book.sst_part or "xl/sharedStrings.xml"
    return {part: serialise(sst)}


def _scrub_tables(book: Book) -> None:
    for parts in book.tables.values():
        for part in parts:
            root = book.pkg.xml(part)
            for attr in ("tableType", "connectionId"):
                root.attrib.pop(attr, None)
            for el in list(root.iter(s("filterColumn"), s("extLst"))):
                el.getparent().remove(el)
            for col in root.iter(s("tableColumn")):
                col.attrib.pop("queryTableFieldId", None)


def _scrub_properties(book: Book) -> None:
    from .reader import APP_PERSONAL, CORE_PERSONAL

    pkg = book.pkg
    for rel in pkg.rels(""):
        if rel.external or rel.target not in book.keep:
            continue
        if rel.type == "core-properties":
            root = pkg.xml(rel.target)
            for el in list(root):
                if el.tag in CORE_PERSONAL:
                    root.remove(el)
        elif rel.type == "extended-properties":
            root = pkg.xml(rel.target)
            for el in list(root):
                if el.tag in APP_PERSONAL:
                    root.remove(el)
            scrub.scrub_app(root)


_TOKEN = re.compile(r"[0-9A-Za-z]+")


def _residue_check(out: Path, segments: Sequence[Segment], edits: Sequence[Edit], book: Book, path: str) -> None:
    """No masked value may be left in any member of the copy, in text or in attributes.

    Identifiers are compared without case, full-width forms and separators (as
    ``redactor.residue`` compares them); the copy's text is cut into letter-and-digit tokens
    looked up in sets, which is fast: ``find_residue`` slides over every character for every
    value length and took 26 s of a 29 s write for a 3,000-row list (the tests still run it
    on every copy). A value written with separators (``139 1234 5678``) is also searched as
    written; other values (addresses) are searched as they are, without white space."""
    import unicodedata

    from ...residue import compact, normalise

    values = {segments[e.segment].text[e.start:e.end] for e in edits if 0 <= e.segment < len(segments)}
    by_length: dict[int, set[str]] = defaultdict(set)
    verbatim: set[str] = set()
    for v in values:
        n = normalise(v)
        if len(n) < 5:
            continue  # short values (names) are checked by the pipeline's re-scan of the copy
        c = compact(n)
        if len(c) >= 5 and len(c) * 2 >= len(n):
            by_length[len(c)].add(c)
            if c != v.strip().upper():
                verbatim.add(unicodedata.normalize("NFKC", v.strip()))
        else:
            verbatim.add(n)
    if not by_length and not verbatim:
        return
    lengths = sorted(by_length)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=True)
    with zipfile.ZipFile(out) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            texts = [info.filename, data.decode("utf-8", "ignore")]
            try:
                root = etree.fromstring(data, parser)
            except etree.XMLSyntaxError:
                root = None
            if root is not None:
                for el in root.iter():
                    texts += [el.text or "", el.tail or ""] + list(el.attrib.values())
            text = unicodedata.normalize("NFKC", "\n".join(texts))
            squeezed = normalise(text) if any(not v.isascii() for v in verbatim) else ""
            if any(v in text or (squeezed and v in squeezed) for v in verbatim):
                found = True
            else:
                found = False
                for tok in set(_TOKEN.findall(text.upper())):
                    n = len(tok)
                    for size in lengths:
                        if size > n:
                            break
                        wanted = by_length[size]
                        if any(tok[i:i + size] in wanted for i in range(n - size + 1)):
                            found = True
                            break
                    if found:
                        break
            if found:
                raise VerificationError(f"a masked value is still present in part '{info.filename}' of the copy; "
                                        "the copy is not written", path=path)


__all__ = ["SI", "write_book"]
