"""What the redacted copy keeps: an allow-list of PDF objects and keys, applied in place.

The copy keeps what the reader understood, and nothing else (Dangerzone's rule: what you
cannot parse, you do not pass on):

- the page tree and, per page, its boxes, rotation, content streams and the resources they
  actually use (fonts, forms and pictures that are drawn, colour spaces, graphics states,
  shadings, patterns, layers); a form that no page draws, a picture nobody shows, a page
  thumbnail, text inside a tiling pattern or a soft mask (pdfminer does not read those) go;
- link annotations to a web address or a page of the document (named destinations resolved
  to explicit ones); every other annotation, form fields, and the appearance of links go;
- document information (strings only: read and masked), bookmarks (titles read and masked,
  jumps only), page labels (prefixes read and masked), layer names (read and masked), the
  structure tree of a tagged PDF (alternate texts read; IDs, attributes and class maps go);
- nothing else: JavaScript and other actions, embedded and associated files, XMP packets,
  application data (PieceInfo), article threads, web capture data, name trees, unknown keys.

``Scrub(pdf).run()`` applies this to an open ``pikepdf.Pdf`` and returns what it removed
(``Dropped``): the reader runs it on the file it reads, so that everything the copy will
drop is checked (its text) and reported (``kind``) before anything is written; the writer
runs it on the copy. A removed part is reported when it held something a reader could not
check: code (``script``), content never shown on a page (``unseen_content``: forms never
drawn, pictures, thumbnails, text in patterns and masks, link appearances), other strings
(``metadata``). Removing unused fonts, colour data or empty entries is not reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import pikepdf

from .content import FontCache, has_text, parse, resource_uses, stream_text, without_text

# --- the allow-lists -------------------------------------------------------------------------
TRAILER_KEYS = {"/Root", "/Info", "/Size", "/ID", "/Prev", "/XRefStm"}
CATALOG_KEYS = {"/Type", "/Version", "/Pages", "/PageLabels", "/PageLayout", "/PageMode", "/Outlines",
                "/ViewerPreferences", "/Lang", "/MarkInfo", "/StructTreeRoot", "/OCProperties", "/OpenAction"}
PAGES_KEYS = {"/Type", "/Kids", "/Count", "/Parent"}
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
PAGE_KEYS = {"/Type", "/Parent", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox",
             "/Rotate", "/Contents", "/Annots", "/UserUnit", "/Group", "/StructParents", "/Tabs"}
LINK_KEYS = {"/Type", "/Subtype", "/Rect", "/Border", "/BS", "/C", "/H", "/QuadPoints", "/A", "/Dest", "/Contents",
             "/F", "/StructParent", "/P"}
OUTLINE_KEYS = {"/Title", "/Parent", "/Prev", "/Next", "/First", "/Last", "/Count", "/Dest", "/A", "/C", "/F"}
RESOURCE_KEYS = {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/Properties", "/ProcSet"}
STREAM_KEYS = {"/Length", "/Filter", "/DecodeParms"}
FORM_KEYS = STREAM_KEYS | {"/Type", "/Subtype", "/FormType", "/BBox", "/Matrix", "/Resources", "/Group", "/OC",
                           "/StructParent", "/StructParents"}
IMAGE_KEYS = STREAM_KEYS | {"/Type", "/Subtype", "/Width", "/Height", "/ColorSpace", "/BitsPerComponent", "/ImageMask",
                            "/Mask", "/Decode", "/Interpolate", "/SMask", "/SMaskInData", "/Intent", "/OC",
                            "/StructParent", "/Matte"}
FONT_KEYS = {"/Type", "/Subtype", "/BaseFont", "/FirstChar", "/LastChar", "/Widths", "/FontDescriptor", "/Encoding",
             "/ToUnicode", "/DescendantFonts", "/CIDSystemInfo", "/DW", "/W", "/DW2", "/W2", "/CIDToGIDMap",
             "/FontBBox", "/FontMatrix", "/CharProcs", "/Resources", "/Name"}
DESCRIPTOR_KEYS = {"/Type", "/FontName", "/FontFamily", "/FontStretch", "/FontWeight", "/Flags", "/FontBBox",
                   "/ItalicAngle", "/Ascent", "/Descent", "/Leading", "/CapHeight", "/XHeight", "/StemV", "/StemH",
                   "/AvgWidth", "/MaxWidth", "/MissingWidth", "/FontFile", "/FontFile2", "/FontFile3", "/CharSet",
                   "/Style", "/Lang", "/FD", "/CIDSet"}
FONTFILE_KEYS = STREAM_KEYS | {"/Length1", "/Length2", "/Length3", "/Subtype"}
GSTATE_KEYS = {"/Type", "/LW", "/LC", "/LJ", "/ML", "/D", "/RI", "/OP", "/op", "/OPM", "/Font", "/BG", "/BG2", "/UCR",
               "/UCR2", "/TR", "/TR2", "/HT", "/FL", "/SM", "/SA", "/BM", "/SMask", "/CA", "/ca", "/AIS", "/TK",
               "/UseBlackPtComp", "/HTO"}
SMASK_KEYS = {"/Type", "/S", "/G", "/BC", "/TR"}
TILING_KEYS = STREAM_KEYS | {"/Type", "/PatternType", "/PaintType", "/TilingType", "/BBox", "/XStep", "/YStep",
                             "/Resources", "/Matrix"}
SHADING_PATTERN_KEYS = {"/Type", "/PatternType", "/Shading", "/Matrix", "/ExtGState"}
OCG_KEYS = {"/Type", "/Name", "/Intent"}
OCMD_KEYS = {"/Type", "/OCGs", "/P", "/VE"}
OC_CONFIG_KEYS = {"/BaseState", "/ON", "/OFF", "/Order", "/RBGroups", "/Locked", "/ListMode", "/Intent"}
STRUCT_ROOT_KEYS = {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap"}
STRUCT_ELEM_KEYS = {"/Type", "/S", "/P", "/K", "/Pg", "/Alt", "/ActualText", "/E", "/T", "/Lang"}
MCR_KEYS = {"/Type", "/Pg", "/Stm", "/StmOwn", "/MCID", "/Obj"}
LABEL_KEYS = {"/Type", "/S", "/P", "/St"}
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,3}")
# Actions that run code, open other files or send data: always removed and reported.
_JUMPS = {"/GoTo"}
MAX_TEXT = 1 << 20   # characters of removed text kept for checking, per removed part


@dataclass(frozen=True)
class Dropped:
    """One part the copy does not keep."""

    kind: str | None    # reported as: script, unseen_content, metadata, attachment; None: not reported
    what: str           # what it was (for the report; never its content)
    text: str = ""      # the text it held, checked like any other text
    page: int | None = None   # 1-based, when it belonged to a page


def _key(obj: Any, path: tuple) -> Any:
    """An identity for an object: its object number when indirect, else where it was found."""
    return obj.objgen if getattr(obj, "is_indirect", False) else path


_NOT_TEXT = {"/Page", "/Pages", "/Catalog", "/Font", "/FontDescriptor", "/Encoding", "/CMap"}
_LINKS = {"/Parent", "/P", "/Pg", "/Prev", "/Next", "/Last", "/First", "/ToUnicode", "/Font", "/FontFile",
          "/FontFile2", "/FontFile3"}


def texts_in(obj: Any, fonts: FontCache | None = None, limit: int = MAX_TEXT) -> str:
    """Every string in an object tree, and the text of its streams (content streams decoded with
    their fonts, other streams as text; pictures skipped), bounded in objects and characters."""
    out: list[str] = []
    size = 0
    seen: set = set()
    stack = [obj]
    steps = 0
    while stack and size < limit and steps < 100000:
        steps += 1
        o = stack.pop()
        if getattr(o, "is_indirect", False):
            if o.objgen in seen:
                continue
            seen.add(o.objgen)
        if isinstance(o, pikepdf.String):
            s = str(o)
        elif isinstance(o, pikepdf.Stream):
            s = _stream_texts(o, fonts)
            stack.extend(v for k, v in o.items() if k not in _LINKS)
        elif isinstance(o, pikepdf.Dictionary):
            if o.get("/Type") in _NOT_TEXT:
                continue   # pages (read as pages), fonts (glyph programs and maps, no text of their own)
            stack.extend(v for k, v in o.items() if k not in _LINKS)
            continue
        elif isinstance(o, pikepdf.Array):
            stack.extend(o)
            continue
        else:
            continue
        if s.strip():
            out.append(s)
            size += len(s)
    return "\n".join(out)[:limit]


def _stream_texts(stream: pikepdf.Stream, fonts: FontCache | None) -> str:
    sub = stream.get("/Subtype")
    if sub == "/Image" or "/FontFile" in str(stream.get("/Type", "")) or "/Length1" in stream or sub in (
            "/Type1C", "/CIDFontType0C", "/OpenType"):
        return ""
    if sub == "/Form" or "/BBox" in stream:
        return stream_text(parse(stream), stream.get("/Resources"), fonts or FontCache())
    try:
        data = stream.read_bytes()
    except pikepdf.PdfError:
        return ""
    return _printable(data)


def _printable(data: bytes) -> str:
    """Text runs in bytes (UTF-8, UTF-16 or Latin-1), for checking: XML, JavaScript, EXIF."""
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return data.decode("utf-16", "ignore")
    text = data.decode("utf-8", "ignore")
    return "\n".join(re.findall(r"[^\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]{4,}", text))


class Scrub:
    def __init__(self, pdf: pikepdf.Pdf, fonts: FontCache | None = None, orphans: bool = False,
                 parse=parse) -> None:
        self.pdf = pdf
        self.parse = parse
        self.fonts = fonts or FontCache()
        self.dropped: list[Dropped] = []
        self.orphans = orphans   # also report objects nothing refers to (the writer drops them anyway)
        self._dests: dict[str, Any] | None = None

    # -- helpers --
    def drop(self, owner: Any, key: str, kind: str | None, what: str, page: int | None = None,
             quiet: bool = False, read: bool = False) -> None:
        """Remove ``owner[key]``; report it as ``kind`` if it held text (or ``quiet`` is False).
        ``read``: its text was read elsewhere (not taken again)."""
        value = owner.get(key)
        del owner[key]
        if value is None:
            return
        text = "" if read else texts_in(value, self.fonts)
        if kind is not None and quiet and not text.strip():
            kind = None
        self.dropped.append(Dropped(kind, what, text, page))

    def keep_only(self, d: Any, allowed: set[str], what: str, page: int | None = None,
                  kind: str | None = "metadata") -> None:
        """Remove every key of ``d`` not in ``allowed`` (reported as ``kind`` when it held text)."""
        for key in [k for k in d.keys() if k not in allowed]:
            self.drop(d, key, kind, f"{what} entry {key}", page, quiet=True)

    # -- the run --
    def run(self) -> list[Dropped]:
        if self.orphans:
            self._orphans()
        self._trailer()
        root = self.pdf.Root
        self.dests()   # read before the name trees go: bookmarks and links are resolved with them
        self._open_action(root)
        for key, kind, what in (("/AA", "script", "actions run on document events"),
                                ("/Names", None, "name trees"), ("/Dests", None, "named destinations"),
                                ("/AcroForm", None, "form fields"), ("/Metadata", None, "XMP metadata"),
                                ("/AF", None, "associated files"),   # embedded files: reported by the reader
                                ("/PieceInfo", "metadata", "application data"),
                                ("/OutputIntents", None, "output intents (colour profiles)"),
                                ("/Threads", "metadata", "article threads")):
            if key in root:
                if key == "/Names":
                    self._names(root)
                elif key == "/Dests":
                    self._drop_dests(root, key)
                else:
                    self.drop(root, key, kind, what, quiet=kind == "metadata", read=key == "/Metadata")
        self._outlines(root)
        self._labels(root)
        self._layers(root)
        self._viewer(root)
        self.keep_only(root, CATALOG_KEYS, "document catalog")
        self._pages()
        self._structure(root)   # after the pages: references to removed annotations go too
        return self.dropped

    def _orphans(self) -> None:
        """Objects in the file that nothing refers to: no reader shows them, a search finds them."""
        seen: set = set()
        stack: list[Any] = [self.pdf.trailer]
        while stack:
            o = stack.pop()
            if isinstance(o, (pikepdf.Dictionary, pikepdf.Stream)):
                children = list(o.values())
            elif isinstance(o, pikepdf.Array):
                children = list(o)
            else:
                continue
            for c in children:
                if isinstance(c, pikepdf.Object) and c.is_indirect:
                    if c.objgen in seen:
                        continue
                    seen.add(c.objgen)
                stack.append(c)
        texts, count = [], 0
        for obj in self.pdf.objects:
            if not isinstance(obj, pikepdf.Object) or not obj.is_indirect or obj.objgen in seen:
                continue
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and (
                    obj.get("/Type") in ("/ObjStm", "/XRef") or "/Linearized" in obj
                    or (isinstance(obj, pikepdf.Stream) and "/S" in obj and "/Type" not in obj)):
                continue   # the file's own structure: object streams, cross-reference streams, hints
            text = texts_in(obj, self.fonts)
            if text.strip():
                texts.append(text)
                count += 1
        if count:
            self.dropped.append(Dropped("unseen_content", f"{count} object(s) nothing in the file refers to",
                                        "\n".join(texts)))

    def _trailer(self) -> None:
        self.keep_only(self.pdf.trailer, TRAILER_KEYS, "file trailer")
        info = self.pdf.trailer.get("/Info")
        if isinstance(info, pikepdf.Dictionary):
            for key in list(info.keys()):
                if not isinstance(info[key], (pikepdf.String, pikepdf.Name)):
                    self.drop(info, key, "metadata", f"document property {key}", quiet=True)
        elif info is not None:
            del self.pdf.trailer["/Info"]

    def _viewer(self, root: Any) -> None:
        lang = root.get("/Lang")
        if lang is not None and not (isinstance(lang, pikepdf.String) and _LANG.fullmatch(str(lang))):
            self.drop(root, "/Lang", "metadata", "document language", quiet=True)
        prefs = root.get("/ViewerPreferences")
        if isinstance(prefs, pikepdf.Dictionary):
            for key in list(prefs.keys()):
                v = prefs[key]
                if not isinstance(v, (pikepdf.Name, bool, int, float, pikepdf.Array)) or texts_in(v):
                    self.drop(prefs, key, "metadata", f"viewer preference {key}", quiet=True)

    # -- destinations and actions --
    def dests(self) -> dict[str, Any]:
        """Named destinations -> explicit ones ([page /XYZ ...]), from /Dests and the name tree."""
        if self._dests is None:
            self._dests = {}
            root = self.pdf.Root
            old = root.get("/Dests")
            if isinstance(old, pikepdf.Dictionary):
                for k, v in old.items():
                    self._dests[k[1:]] = v
            names = root.get("/Names")
            tree = names.get("/Dests") if isinstance(names, pikepdf.Dictionary) else None
            if tree is not None:
                try:
                    for k, v in pikepdf.NameTree(tree).items():
                        self._dests[str(k)] = v
                except (pikepdf.PdfError, TypeError, ValueError, AttributeError):
                    pass
        return self._dests

    def explicit(self, dest: Any) -> Any:
        """An explicit destination array for ``dest`` (explicit, or a name resolved), else None."""
        if isinstance(dest, (pikepdf.String, pikepdf.Name)):
            name = str(dest)[1:] if isinstance(dest, pikepdf.Name) else str(dest)
            dest = self.dests().get(name)
            if isinstance(dest, pikepdf.Dictionary):
                dest = dest.get("/D")
        if (isinstance(dest, pikepdf.Array) and len(dest) >= 2
                and (isinstance(dest[0], int) or isinstance(dest[0], pikepdf.Dictionary) and dest[0].get("/Type") == "/Page")
                and all(isinstance(v, (pikepdf.Name, int, float, bool)) or v is None for v in list(dest)[1:])):
            return pikepdf.Array(list(dest))   # [page /XYZ left top zoom]: a page and numbers, nothing else
        return None

    def jump(self, action: Any) -> Any:
        """A plain jump to a page of this document (``{/S /GoTo /D [...]}``) for ``action``, or None
        when the action does anything else (runs code, opens a file, submits data)."""
        if isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo" and "/Next" not in action:
            dest = self.explicit(action.get("/D"))
            if dest is not None:
                return pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=dest)
        return None

    def _drop_dests(self, owner: Any, key: str) -> None:
        """Named destinations go (bookmarks and links keep explicit ones); the names are checked."""
        del owner[key]
        self.dropped.append(Dropped(None, "named destinations", "\n".join(self.dests())))

    def _open_action(self, root: Any) -> None:
        act = root.get("/OpenAction")
        if act is None:
            return
        dest = self.explicit(act) if isinstance(act, pikepdf.Array) else None
        jump = self.jump(act) if dest is None else None
        if dest is not None:
            root.OpenAction = dest
        elif jump is not None:
            root.OpenAction = jump
        else:
            self.drop(root, "/OpenAction", "script", "an action run when the file opens")

    def _names(self, root: Any) -> None:
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            self.dests()
            for key in list(names.keys()):
                if key == "/JavaScript":
                    self.drop(names, key, "script", "document JavaScript")
                elif key == "/EmbeddedFiles":
                    self.drop(names, key, None, "embedded files", read=True)   # reported as attachments
                elif key == "/Dests":
                    self._drop_dests(names, key)
                elif key in ("/Pages", "/Templates"):
                    self.drop(names, key, "unseen_content", f"page templates ({key[1:]})")
                else:
                    self.drop(names, key, "metadata", f"name tree {key}", quiet=True)
        del root["/Names"]

    # -- bookmarks, labels, layers, tags --
    def _outlines(self, root: Any) -> None:
        from .parts import outline_items

        out = root.get("/Outlines")
        if out is None:
            return
        if not isinstance(out, pikepdf.Dictionary):
            del root["/Outlines"]
            return
        self.keep_only(out, {"/Type", "/First", "/Last", "/Count"}, "bookmarks")
        for item in outline_items(self.pdf):
            self.keep_only(item, OUTLINE_KEYS, "bookmark")
            if "/Dest" in item:
                dest = self.explicit(item.Dest)
                if dest is None:
                    self.drop(item, "/Dest", None, "bookmark destination")
                else:
                    item.Dest = dest
            if "/A" in item:
                jump = self.jump(item.A)
                if jump is None:
                    self.drop(item, "/A", "script", "a bookmark's action (not a jump to a page)")
                else:
                    item.A = jump

    def _labels(self, root: Any) -> None:
        labels = root.get("/PageLabels")
        if labels is None:
            return
        for node in self._number_tree(labels):
            self.keep_only(node, {"/Nums", "/Kids", "/Limits"}, "page labels")
            nums = node.get("/Nums")
            if isinstance(nums, pikepdf.Array):
                for k in range(1, len(nums), 2):
                    if isinstance(nums[k], pikepdf.Dictionary):
                        self.keep_only(nums[k], LABEL_KEYS, "page label")

    @staticmethod
    def _number_tree(node: Any) -> Iterator[Any]:
        stack, seen = [node], set()
        while stack and len(seen) < 10000:
            n = stack.pop()
            if not isinstance(n, pikepdf.Dictionary):
                continue
            key = n.objgen if n.is_indirect else id(n)
            if key in seen:
                continue
            seen.add(key)
            yield n
            kids = n.get("/Kids")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)

    def _layers(self, root: Any) -> None:
        oc = root.get("/OCProperties")
        if oc is None:
            return
        if not isinstance(oc, pikepdf.Dictionary):
            del root["/OCProperties"]
            return
        self.keep_only(oc, {"/OCGs", "/D"}, "layers")
        for ocg in oc.get("/OCGs") or []:
            if isinstance(ocg, pikepdf.Dictionary):
                self.keep_only(ocg, OCG_KEYS, "layer")
        d = oc.get("/D")
        if isinstance(d, pikepdf.Dictionary):
            self.keep_only(d, OC_CONFIG_KEYS, "layer configuration")
            order = d.get("/Order")
            if isinstance(order, pikepdf.Array):
                d.Order = self._order(order)

    def _order(self, order: Any, depth: int = 0) -> Any:
        """A layer panel's order without its text labels (strings, read as removed text)."""
        out = pikepdf.Array()
        for v in order:
            if isinstance(v, pikepdf.String):
                self.dropped.append(Dropped(None, "layer panel label", str(v)))
            elif isinstance(v, pikepdf.Array) and depth < 16:
                out.append(self._order(v, depth + 1))
            else:
                out.append(v)
        return out

    def _structure(self, root: Any) -> None:
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return
        if not isinstance(tree, pikepdf.Dictionary):
            del root["/StructTreeRoot"]
            return
        # Accessibility data: what goes (IDs, attributes, class maps) is checked, not reported.
        self.keep_only(tree, STRUCT_ROOT_KEYS, "structure tree", kind=None)
        kept_annots = {a.objgen for p in self.pdf.pages for a in (p.obj.get("/Annots") or []) if a.is_indirect}
        stack, seen = [tree.get("/K")], set()
        while stack and len(seen) < 500000:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            key = node.objgen if node.is_indirect else None
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            if node.get("/Type") in ("/MCR", "/OBJR"):
                self.keep_only(node, MCR_KEYS, "structure reference", kind=None)
                target = node.get("/Obj")
                if target is not None and target.is_indirect and target.objgen not in kept_annots \
                        and target.get("/Type") == "/Annot":
                    del node["/Obj"]   # an annotation the copy removed
                continue
            self.keep_only(node, STRUCT_ELEM_KEYS, "structure element", kind=None)
            stack.append(node.get("/K"))

    # -- pages --
    def _pages(self) -> None:
        pages = list(self.pdf.pages)
        for page in pages:   # inherited attributes move onto each page: the Pages nodes keep none
            obj = page.obj
            for key in INHERITED:
                if key not in obj:
                    node, value = obj.get("/Parent"), None
                    for _ in range(64):
                        if node is None or value is not None:
                            break
                        value = node.get(key)
                        node = node.get("/Parent")
                    if value is not None:
                        obj[key] = value
        for node in self._page_nodes():
            self.keep_only(node, PAGES_KEYS, "page tree node")
        for n, page in enumerate(pages, start=1):
            obj = page.obj
            for key in [k for k in obj.keys() if k not in PAGE_KEYS]:
                if key == "/Thumb":
                    self.drop(obj, key, "unseen_content", f"the thumbnail picture of page {n}", n)
                elif key == "/AA":
                    self.drop(obj, key, "script", f"actions run when page {n} opens or closes", n)
                elif key == "/AF":
                    self.drop(obj, key, "attachment", f"files associated with page {n}", n)
                else:
                    self.drop(obj, key, "metadata", f"page {n} entry {key}", n, quiet=True)
            self._annots(obj, n)
        _Resources(self).run(pages)

    def _page_nodes(self) -> Iterator[Any]:
        stack, seen = [self.pdf.Root.get("/Pages")], set()
        while stack and len(seen) < 100000:
            node = stack.pop()
            if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") != "/Pages":
                continue
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
            yield node
            stack.extend(node.get("/Kids") or [])

    def _annots(self, obj: Any, n: int) -> None:
        annots = obj.get("/Annots")
        if annots is None:
            return
        keep = []
        for a in annots if isinstance(annots, pikepdf.Array) else []:
            if not isinstance(a, pikepdf.Dictionary) or a.get("/Subtype") != "/Link":
                continue  # comments, form fields, pop-ups ...: reported by the reader
            if "/AP" in a:
                self.drop(a, "/AP", "unseen_content", f"the appearance of a link on page {n}", n, quiet=True)
            self.keep_only(a, LINK_KEYS, "link", n)
            if "/Dest" in a:
                dest = self.explicit(a.Dest)
                if dest is None:
                    self.drop(a, "/Dest", None, "link destination", n)
                    continue
                a.Dest = dest
            action = a.get("/A")
            if action is not None:
                if isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/URI" and isinstance(
                        action.get("/URI"), pikepdf.String):
                    self.keep_only(action, {"/S", "/URI", "/Type"}, "link action", n)
                else:
                    jump = self.jump(action)
                    if jump is None:
                        self.drop(a, "/A", "script", f"a link's action on page {n} (not a web address or a page)", n)
                        continue
                    a.A = jump
            if "/A" in a or "/Dest" in a:
                keep.append(a)
        if keep:
            obj.Annots = pikepdf.Array(keep)
        else:
            del obj["/Annots"]


class _Resources:
    """Resources pruned to what content streams use, and each kept object to its allow-list.

    First every content stream reachable from the pages is walked (forms where drawn, tiling
    patterns, soft masks, Type 3 glyphs) and the names each uses are collected per resource
    category dictionary (dictionaries may be shared between pages); then each dictionary keeps
    the names some stream uses."""

    def __init__(self, scrub: Scrub) -> None:
        self.s = scrub
        self.uses: dict[Any, set[str]] = {}       # category dict identity -> names used
        self.cats: dict[Any, tuple[Any, str, int | None]] = {}   # identity -> (category dict, category, page)
        self.res_seen: set = set()
        self.walked: set = set()
        self.kept: dict[Any, tuple[str, Any]] = {}   # identity -> (category, object): checked by type afterwards

    def run(self, pages: list) -> None:
        for n, page in enumerate(pages, start=1):
            res = page.obj.get("/Resources")
            if not isinstance(res, pikepdf.Dictionary):
                if res is not None:
                    del page.obj["/Resources"]
                continue
            self.walk(self.s.parse(page), res, _key(res, (n, "/Resources")), n)
        for ident, (cat_dict, cat, page) in self.cats.items():
            used = self.uses.get(ident, set())
            for name in [k for k in cat_dict.keys() if k not in used]:
                self._unused(cat_dict, name, cat, page)
        for cat, obj in list(self.kept.values()):
            self._allow(cat, obj)

    def walk(self, instructions: list, res: Any, rkey: Any, page: int | None, depth: int = 0) -> None:
        """Collect the names ``instructions`` use in ``res`` (identified by ``rkey``), and walk
        what they draw."""
        if not isinstance(res, pikepdf.Dictionary) or depth > 12:
            return
        if rkey not in self.res_seen:
            self.res_seen.add(rkey)
            for key in [k for k in res.keys() if k not in RESOURCE_KEYS]:
                self.s.drop(res, key, "metadata", f"resource category {key}", page, quiet=True)
            for cat in RESOURCE_KEYS - {"/ProcSet"}:
                cat_dict = res.get(cat)
                if isinstance(cat_dict, pikepdf.Dictionary):
                    self.cats.setdefault(_key(cat_dict, (rkey, cat)), (cat_dict, cat, page))
                elif cat_dict is not None:
                    del res[cat]
        for cat, names in resource_uses(instructions).items():
            cat_dict = res.get(cat)
            if not isinstance(cat_dict, pikepdf.Dictionary):
                continue
            ident = _key(cat_dict, (rkey, cat))
            self.uses.setdefault(ident, set()).update(names)
            for name in names:
                obj = cat_dict.get(name)
                if obj is not None:
                    self._follow(cat, obj, _key(obj, (ident, name)), res, rkey, page, depth)

    def _inner(self, obj: Any, okey: Any, res: Any, rkey: Any) -> tuple[Any, Any]:
        """The resources a form, pattern or glyph uses: its own, else those of where it is drawn."""
        own = obj.get("/Resources")
        if isinstance(own, pikepdf.Dictionary):
            return own, _key(own, (okey, "/Resources"))
        return res, rkey

    def _follow(self, cat: str, obj: Any, okey: Any, res: Any, rkey: Any, page: int | None, depth: int) -> None:
        if (okey, rkey) in self.walked:
            return
        self.walked.add((okey, rkey))
        self.kept[okey] = (cat, obj)
        if cat == "/XObject" and isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            self.walk(self.s.parse(obj), *self._inner(obj, okey, res, rkey), page, depth + 1)
        elif cat == "/Pattern" and isinstance(obj, pikepdf.Stream):
            self._no_text(obj, "a tiling pattern", page)
            self.walk(self.s.parse(obj), *self._inner(obj, okey, res, rkey), page, depth + 1)
        elif cat == "/ExtGState" and isinstance(obj, pikepdf.Dictionary):
            mask = obj.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and isinstance(mask.get("/G"), pikepdf.Stream):
                group = mask.G
                self._no_text(group, "a soft mask", page)
                self.walk(self.s.parse(group), *self._inner(group, (okey, "/SMask"), res, rkey), page, depth + 1)
        elif cat == "/Font" and isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type3":
            procs = obj.get("/CharProcs")
            inner = self._inner(obj, okey, res, rkey)
            for proc in (procs.values() if isinstance(procs, pikepdf.Dictionary) else []):
                if isinstance(proc, pikepdf.Stream):
                    self.walk(self.s.parse(proc), *inner, page, depth + 1)

    def _no_text(self, stream: Any, what: str, page: int | None) -> None:
        """Text drawn inside a pattern cell or a mask is not read by pdfminer: it goes."""
        instrs = parse(stream)
        if has_text(instrs):
            text = stream_text(instrs, stream.get("/Resources"), self.s.fonts)
            stream.write(pikepdf.unparse_content_stream(without_text(instrs)))
            self.s.dropped.append(Dropped("unseen_content", f"text drawn inside {what}", text, page))

    def _unused(self, cat_dict: Any, name: str, cat: str, page: int | None) -> None:
        obj = cat_dict.get(name)
        where = f" (page {page})" if page else ""
        if cat == "/XObject" and isinstance(obj, pikepdf.Stream):
            sub = obj.get("/Subtype")
            if sub == "/Image":
                self.s.drop(cat_dict, name, "unseen_content", f"a picture no page shows{where}", page)
                return
            if sub == "/Form":
                instrs = parse(obj)
                draws = has_text(instrs) or any(
                    not isinstance(i, pikepdf.ContentStreamInlineImage) and str(i.operator) == "Do" for i in instrs)
                self.s.drop(cat_dict, name, "unseen_content" if draws else None, f"a form no page draws{where}", page)
                return
        self.s.drop(cat_dict, name, None, f"unused resource {cat} {name}", page)

    # -- per object type --
    def _allow(self, cat: str, obj: Any) -> None:
        s = self.s
        if cat == "/XObject" and isinstance(obj, pikepdf.Stream):
            sub = obj.get("/Subtype")
            if sub == "/Form":
                self._metadata(obj)
                s.keep_only(obj, FORM_KEYS, "form")
            elif sub == "/Image":
                self._image(obj)
            else:   # PostScript (/PS) and anything else: code or unknown, never drawn by viewers
                obj.write(b"")
                s.dropped.append(Dropped("script", f"an XObject of type {sub}"))
        elif cat == "/Font" and isinstance(obj, pikepdf.Dictionary):
            self._font(obj)
        elif cat == "/Pattern":
            s.keep_only(obj, TILING_KEYS if isinstance(obj, pikepdf.Stream) else SHADING_PATTERN_KEYS, "pattern")
        elif cat == "/ExtGState" and isinstance(obj, pikepdf.Dictionary):
            s.keep_only(obj, GSTATE_KEYS, "graphics state")
            mask = obj.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary):
                s.keep_only(mask, SMASK_KEYS, "soft mask")
                if isinstance(mask.get("/G"), pikepdf.Stream):
                    self._metadata(mask.G)
                    s.keep_only(mask.G, FORM_KEYS, "soft mask group")
        elif cat == "/Properties" and isinstance(obj, pikepdf.Dictionary):
            typ = obj.get("/Type")
            if typ == "/OCG":
                s.keep_only(obj, OCG_KEYS, "layer")
            elif typ == "/OCMD":
                s.keep_only(obj, OCMD_KEYS, "layer condition")
            else:   # a marked-content property list: numbers and names only (its text is checked)
                for key in list(obj.keys()):
                    if texts_in(obj[key]):
                        s.drop(obj, key, None, f"marked-content property {key}")

    def _metadata(self, obj: Any) -> None:
        for key in ("/Metadata", "/PieceInfo"):
            if key in obj:
                self.s.drop(obj, key, None, "metadata of a picture or form")

    def _image(self, obj: Any) -> None:
        self._metadata(obj)
        self.s.keep_only(obj, IMAGE_KEYS, "picture")
        for key in ("/SMask", "/Mask"):
            mask = obj.get(key)
            if isinstance(mask, pikepdf.Stream):
                self._metadata(mask)
                self.s.keep_only(mask, IMAGE_KEYS, "picture mask")
        if obj.get("/Filter") == "/DCTDecode":
            from .images import strip_jpeg

            data, text = strip_jpeg(obj.read_raw_bytes())
            if text is not None:
                obj.write(data, filter=pikepdf.Name.DCTDecode)
                self.s.dropped.append(Dropped(None, "metadata of a picture (EXIF, XMP, comments)", text))
        elif obj.get("/Filter") == "/JPXDecode":
            from .images import strip_jpx

            data, text = strip_jpx(obj.read_raw_bytes())
            if text is not None:
                obj.write(data, filter=pikepdf.Name.JPXDecode)
                self.s.dropped.append(Dropped(None, "metadata of a picture (JPEG 2000 boxes)", text))

    def _font(self, obj: Any) -> None:
        s = self.s
        s.keep_only(obj, FONT_KEYS, "font")
        fonts = [obj] + [f for f in (obj.get("/DescendantFonts") or []) if isinstance(f, pikepdf.Dictionary)]
        for f in fonts[1:]:
            s.keep_only(f, FONT_KEYS, "font")
        for f in fonts:
            desc = f.get("/FontDescriptor")
            if isinstance(desc, pikepdf.Dictionary):
                s.keep_only(desc, DESCRIPTOR_KEYS, "font descriptor")
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    ff = desc.get(key)
                    if isinstance(ff, pikepdf.Stream):
                        s.keep_only(ff, FONTFILE_KEYS, "font program")
            enc = f.get("/Encoding")
            if isinstance(enc, pikepdf.Dictionary):
                s.keep_only(enc, {"/Type", "/BaseEncoding", "/Differences"}, "font encoding")
