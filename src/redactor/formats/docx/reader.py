"""Reading: story parts (body, headers, footers, notes, comments, text boxes) and the other
parts a reader can get at, into segments with a model of where each character lives."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ...document import (
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
)
from ...errors import UnreadableFileError
from .model import _Acc, _Piece, _State
from .ns import (
    ALT_CHUNK,
    ALT_TEXT,
    ALTERNATE,
    APP_PERSONAL,
    APP_SCANNED,
    CORE_PERSONAL,
    CORE_SCANNED,
    DRAWING_TEXT_RELS,
    EMBED_REL_TYPES,
    EMBEDDED,
    FIELD,
    FORM_FIELD_ATTRS,
    GENERIC_PROPERTY_VALUES,
    HYPERLINK,
    MC_AC,
    MC_CHOICE,
    MC_FALLBACK,
    OLE_MAGIC,
    SKIP_IN_PARAGRAPH,
    STRUCTURAL,
    TEXT_TAGS,
    V_TEXTPATH,
    W_DEL,
    W_DELINSTR,
    W_DELTEXT,
    W_FLDSIMPLE,
    W_INS,
    W_INSTR,
    W_MOVEFROM,
    W_MOVETO,
    W_NS,
    W_P,
    W_PPR,
    W_PSTYLE,
    W_R,
    W_RPR,
    W_RSTYLE,
    W_SDT,
    W_SDTCONTENT,
    W_STRICT_NS,
    W_SYM,
    W_TBL,
    W_TC,
    W_TR,
    W_TXBX,
    W_VAL,
    W_VANISH,
    WATERMARK,
    _on,
    w,
)
from .package import _Package
from .parts import plan, read_dropped
from .pictures import read_pictures
from .sweep import sweep


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
        self.fallbacks: list[tuple[etree._Element, etree._Element]] = []

    def fallback(self, ac: etree._Element, choice: etree._Element, ctx: _Ctx) -> None:
        """The mc:Fallback (and any further mc:Choice) of an mc:AlternateContent (a VML copy of a
        text box, a drawing): the copy drops it. When its text differs from what the first Choice
        shows, it is read on its own, so a value that only the Fallback holds is found (and
        ``check`` does not pass the file)."""
        for fb in [c for c in ac if c.tag in (MC_CHOICE, MC_FALLBACK) and c is not choice]:
            self._alternate(fb, _flat_text(choice), ctx)

    def _alternate(self, fb: etree._Element, shown: str, ctx: _Ctx) -> None:
        fb_text = _flat_text(fb)
        if not fb_text.strip() or fb_text == shown:
            # the same text: read through the Choice
            same = [t for t in fb.iter(*TEXT_TAGS) if t.text]
            self.st.read_extra.setdefault(ctx.part, []).extend(same)
            self.st.read_count[ctx.part] = self.st.read_count.get(ctx.part, 0) + len(same)
            return
        acc = _Acc()
        for el in fb.iter(*TEXT_TAGS):
            if el.text:
                acc.add(_Piece(el, "t", el.text))
        for el in fb.iter("{*}textpath", "{*}shape", "{*}imagedata"):
            for attr in ("string", "alt", "{urn:schemas-microsoft-com:office:office}title"):
                if el.get(attr):
                    acc.join("\n")
                    acc.add(_Piece(el, "a", el.get(attr), attr))
        self.st.emit(acc, ALTERNATE, {"part": ctx.part, "fallback": ctx.next("fallback:" + ctx.part)}, removed=True)

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
                if choice is not None:
                    self.fallback(child, choice, ctx)

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
        n = len(p)
        if n == 0 or (n == 1 and p[0].tag == W_PPR):
            # an empty paragraph (the common case in a paragraph bomb): no objects, only its number
            if ctx.acc is not None:
                ctx.acc.join("\n")
            else:
                ctx.next("paragraph:" + ctx.part)
            return
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
        while self.fallbacks:
            ac, choice = self.fallbacks.pop()
            self.fallback(ac, choice, ctx)
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
                if choice is not None:
                    self.fallbacks.append((child, choice))
            elif tag == W_SYM:
                ch = _sym_char(child.get(w("char")))
                if ch and el.tag == W_R:
                    cat = "del" if deleted else "hid" if hidden else "vis"
                    items.append((cat, _Piece(child, "y", ch), inserted))
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



def load(data: bytes, path: str) -> _State:
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
    plan(st)
    reader = _Reader(st)
    counters: dict[str, int] = {}

    # Story parts in a stable order: main, then headers/footers/notes reachable from it.
    body = root.find(w("body"))
    reader.block(body if body is not None else root, _Ctx(main, BODY, {"part": main}, counters=counters))
    stories = _story_parts(pkg, main)
    for part, origin in stories:
        _read_story(reader, pkg, part, origin, counters)
    for part in _related(pkg, main, "comments"):
        croot = pkg.xml(part)
        for c in croot.iter(w("comment")):
            acc = _Acc()
            loc = {"part": part, "comment": c.get(w("id"))}
            reader.block(c, _Ctx(part, COMMENT, loc, acc=acc, flatten=True, counters=counters))
            text = "".join(p.text for p in acc.pieces)
            i = st.emit(acc, COMMENT, loc, removed=True, keep_empty=True)
            st.notice("comment", 0, len(text), text, "docx.comment", i,
                      "comment (批注) stored in the file with its author; removed from the redacted copy")
    story_parts = [main] + [p for p, _o in stories]
    for part in story_parts:
        _read_alt_text(st, part)
    _read_settings(st, main)
    _read_properties(st)
    _read_embedded(st, story_parts)
    for part in sorted(st.keep | {""}):
        _read_links(st, part)
    read_dropped(st)
    read_pictures(st)
    # Last, everything else in the kept XML parts that could hold a value (see sweep.py).
    xml_parts = [p for p in sorted(st.keep) if p not in st.pictures and p not in st.chunks]
    rels = [pkg.rels_name(p) for p in xml_parts + [""] if pkg.rels_name(p) in pkg.names]
    stories_set = set(story_parts)
    for part in xml_parts + rels + ["[Content_Types].xml"]:
        sweep(st, part, story=part in stories_set)
    pkg.xml_bytes.clear()
    return st

def _related(pkg: _Package, part: str, rtype: str) -> list[str]:
    return [t for _e, rt, t, ext in pkg.rels(part) if rt == rtype and not ext and t in pkg.names]

def _story_parts(pkg: _Package, main: str) -> list[tuple[str, str]]:
    out = []
    for rtype, origin in (("header", HEADER), ("footer", FOOTER), ("footnotes", NOTE), ("endnotes", NOTE)):
        for t in _related(pkg, main, rtype):
            if (t, origin) not in out:
                out.append((t, origin))
    return out

def _read_story(reader: _Reader, pkg: _Package, part: str, origin: str, counters: dict[str, int]) -> None:
    root = pkg.xml(part)
    if origin == NOTE:
        for note in root:
            if note.tag not in (w("footnote"), w("endnote")):
                continue
            acc = _Acc()
            loc = {"part": part, "note": note.get(w("id"))}
            reader.block(note, _Ctx(part, NOTE, loc, acc=acc, counters=counters))
            reader.st.emit(acc, NOTE, loc)
    else:
        body = root.find(w("body"))
        reader.block(body if body is not None else root, _Ctx(part, origin, {"part": part}, counters=counters))

def _read_alt_text(st: _State, part: str) -> None:
    root = st.pkg.xml(part)
    for el in root.iter("{*}docPr", "{*}cNvPr"):
        acc = _Acc()
        for attr in ("title", "descr"):
            v = el.get(attr)
            if v:
                acc.join("\n")
                acc.add(_Piece(el, "a", v, attr))
        st.emit(acc, ALT_TEXT, {"part": part, "object": el.get("name") or el.get("id")})

def _read_links(st: _State, part: str) -> None:
    for el, rtype, target, external in st.pkg.rels(part):
        if external and target and not (rtype == "attachedTemplate" and _is_local_path(target)):
            acc = _Acc()
            acc.add(_Piece(el, "a", target, "Target"))
            st.emit(acc, HYPERLINK, {"part": st.pkg.rels_name(part), "relationship": el.get("Id"), "type": rtype})

def _read_settings(st: _State, main: str) -> None:
    """Document variables (w:docVar: hidden name/value pairs) and the template's path."""
    for part in _related(st.pkg, main, "settings"):
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

def _read_properties(st: _State) -> None:
    pkg = st.pkg
    for _el, rtype, target, ext in pkg.rels(""):
        if ext or target not in pkg.names:
            continue
        if rtype == "core-properties":
            _props(st, target, CORE_PERSONAL, CORE_SCANNED)
        elif rtype == "extended-properties":
            _props(st, target, APP_PERSONAL, APP_SCANNED)
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

def _read_embedded(st: _State, stories: list[str]) -> None:
    """Pictures, charts, diagrams, imported chunks and the thumbnail: reported (and read where
    they hold text). Dropped embedded objects are reported by ``parts.read_dropped``."""
    pkg = st.pkg
    seen: set[str] = set()
    for source in [""] + stories:
        for _el, rtype, target, ext in pkg.rels(source):
            if ext or (rtype not in EMBED_REL_TYPES and rtype not in DRAWING_TEXT_RELS) or target in seen \
                    or target not in pkg.names:
                continue
            seen.add(target)
            if rtype in DRAWING_TEXT_RELS:
                _read_drawing_text(st, target, DRAWING_TEXT_RELS[rtype])
            if rtype == "aFChunk" and _read_alt_chunk(st, target):
                st.drop.pop(target, None)  # HTML or text: read (and refused if a value is to be masked)
                st.keep.add(target)
                st.chunks.add(target)
            if rtype == "diagramDrawing" or target in st.drop:
                continue  # the rendered copy of a diagram, or a part the copy drops (reported as such)
            acc = _Acc()
            i = st.emit(acc, EMBEDDED, {"part": target, "type": rtype}, keep_empty=True)
            if rtype == "thumbnail":
                what = "document thumbnail (a picture of the first page; removed from the copy)"
            elif rtype in DRAWING_TEXT_RELS:
                what = (f"{DRAWING_TEXT_RELS[rtype]} ({pkg.content_type(target) or 'unknown type'}): its text is "
                        "checked; its embedded data is removed from the copy")
            elif rtype == "image":
                what = ("picture: kept with its metadata removed; text drawn in it is read by OCR when "
                        "Tesseract is installed, otherwise it cannot be checked")
            else:
                what = f"embedded {rtype} ({pkg.content_type(target) or 'unknown type'})"
            st.notice("embedded_object", 0, 0, target, f"docx.embedded_object.{rtype}", i, what, type=rtype)

def _read_alt_chunk(st: _State, part: str) -> bool:
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
        from ..text import decode

        text = decode(raw, st.pkg.path)[0]
    else:
        return False  # RTF, MHT, DOCX chunks: dropped from the copy (parts.py)
    acc = _Acc()
    acc.add(_Piece(None, "v", text.strip()))
    i = st.emit(acc, ALT_CHUNK, {"part": part})
    if i is not None:
        st.models[i].readonly = "an imported HTML/text chunk (w:altChunk)"
    return True

def _read_drawing_text(st: _State, part: str, origin: str) -> None:
    """Leaf text of a SmartArt or chart part (a:t, dgm:t, c:v ...), one segment per text run."""
    root = st.pkg.xml(part)
    for el in root.iter("{*}t", "{*}v"):
        if len(el) or not (el.text or "").strip():
            continue
        acc = _Acc()
        acc.add(_Piece(el, "t", el.text))
        st.emit(acc, origin, {"part": part})


def _flat_text(el: etree._Element) -> str:
    """Text of an element as a reader would see it, for comparing an mc:Choice with its Fallback."""
    parts = [t.text or "" for t in el.iter(*TEXT_TAGS)]
    parts += [x.get("string", "") for x in el.iter("{*}textpath")]
    return "".join(parts)


def _sym_char(code: str | None) -> str:
    """The character a w:sym stands for (symbol fonts put ASCII at U+F020..U+F0FF)."""
    try:
        n = int(code or "", 16)
    except ValueError:
        return ""
    if 0xF020 <= n <= 0xF0FF:
        n -= 0xF000
    return chr(n) if 0x20 <= n < 0x110000 and not 0xD800 <= n < 0xE000 else ""


def _is_local_path(target: str) -> bool:
    t = target.lower()
    return t.startswith(("file:", "\\\\")) or (len(t) > 2 and t[1] == ":" and t[0].isalpha())
