"""OFD (GB/T 33190-2016), the national fixed-layout format of electronic official documents.

Reading (``extract``)
    The package (a ZIP, opened through ``SafeZip``) is walked from ``OFD.xml`` (``package.py``).
    Every ``TextObject`` of every page is placed on the page (``Boundary``, ``CTM``, ``X``/``Y``,
    ``DeltaX``/``DeltaY``: ``textcode.py``) and the characters are read in reading order
    (``layout.py``): one segment per paragraph, ``body`` / ``{page, paragraph}``. Templates
    (``template`` / ``{template, paragraph}``) and text inside resources (``resource``) are
    read the same way. Outline titles, bookmark names and action URIs are ``outline`` /
    ``link`` segments; ``DocInfo`` (title, author, subject, abstract, keywords, custom data)
    is ``metadata`` / ``{property}``. Reported as hidden content and read: annotations
    (``annotation``: the creator, remarks, parameters and the text of their appearance),
    attachments (``attachment``: the name, and the text of an XML or text attachment),
    custom tags and extensions (``metadata``: structured data bound to the page objects),
    signatures and seals (``signature``, info: the signer's certificate and the seal
    picture are not read), an author that names someone (``metadata``). A page whose
    pictures cover most of it and that has (almost) no text is a scan: ``no_text_layer``,
    which blocks the file (OFD pages are not OCR'd).

Writing (``write``): a true redaction
    The characters of each masked value are taken out of their ``TextCode`` (which is split
    around them; every kept character keeps its position, as text) and a filled black
    ``PathObject`` is drawn over where they were, in the same layer. A same-length mask
    that keeps digits or Latin letters (``110105********002X``) keeps those glyphs; any other
    replacement removes the whole value (new glyphs cannot be added to an embedded font
    subset). A ``TextObject`` that maps characters to glyphs itself (``CGTransform``) is
    removed whole and boxed. A picture under removed text (a scan with a text layer) is
    painted black there too, and re-encoded from its pixels; a picture that cannot be
    painted (JBIG2, a rotated placement) makes the copy fail. Outline, bookmark, URI and
    ``DocInfo`` values are masked in place. The copy is rebuilt from the parts we read:
    ``OFD.xml``, each ``Document.xml``, pages, templates, resources and the fonts and
    pictures they name; annotations, attachments, custom tags, extensions, signatures,
    custom ``DocInfo`` data, a personal author and every part nothing names are dropped.
    Last, every text node and attribute of the copy's XML parts is searched for the masked
    values (a net for places the reader does not show): a hit refuses the copy.

Lossy, by design: the copy is unsigned (a signature cannot survive a change; the seal picture
goes with it), annotations and attachments are gone, fonts keep the outlines of removed
characters (shapes, not text). Not read: text drawn as paths, pictures' pixels (except as
above), fonts.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...document import BODY, METADATA, Document, Edit, Segment
from ...errors import UnreadableFileError
from ...findings import Finding
from .layout import Glyph, paragraphs
from .package import DocParts, Package, child, children, resolve
from .textcode import Box, TextObject, floats, local

TEMPLATE = "template"
RESOURCE = "resource"
OUTLINE = "outline"
LINK = "link"
ANNOTATION = "annotation"
ATTACHMENT = "attachment"
SIGNATURE = "signature"
NO_TEXT = "image"

SCAN_COVER = 0.5      # pictures covering this share of a page with at most SCAN_MAX_CHARS characters: a scan
SCAN_MAX_CHARS = 20
BOX_PAD = 0.2         # mm around a removed character's box


@dataclass(frozen=True)
class _Char:
    part: str
    obj: int      # index of the TextObject among the part's TextObjects (document order)
    code: int
    index: int
    box: Box


@dataclass(frozen=True)
class _Image:
    part: str
    boundary: tuple[float, float, float, float]
    ctm: tuple[float, ...]
    media: str | None   # the picture's member name, if found


@dataclass
class _Handle:
    path: str
    chars: list[_Char] = field(default_factory=list)
    maps: dict[int, list[int]] = field(default_factory=dict)                  # segment -> char index per text position
    values: dict[int, tuple[str, int, str | None]] = field(default_factory=dict)  # segment -> (part, element no., attribute)
    removals: list[tuple[str, int]] = field(default_factory=list)             # (part, element no.) dropped from the copy
    keep: list[str] = field(default_factory=list)                             # members of the copy, in order
    images: dict[str, list[_Image]] = field(default_factory=dict)             # part -> pictures on it
    max_ids: dict[str, int] = field(default_factory=dict)                     # Document.xml -> MaxUnitID
    part_doc: dict[str, str] = field(default_factory=dict)                    # content part -> its Document.xml


def _elements(root) -> list:
    return list(root.iter())


class OfdAdapter:
    name = "ofd"

    def extract(self, path: Path) -> Document:
        path = Path(path)
        pkg = Package(path.read_bytes(), str(path))
        r = _Reader(pkg, str(path))
        for doc in pkg.docs:
            r.document(doc)
        r.h.keep = [n for n in dict.fromkeys(r.keep) if pkg.has(n)]
        return Document(path=str(path), format=self.name, segments=r.segments, notices=r.notices, handle=r.h)

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        from .writer import write

        write(doc, edits, Path(out_path))


class _Reader:
    def __init__(self, pkg: Package, path: str) -> None:
        self.pkg = pkg
        self.path = path
        self.h = _Handle(path=path)
        self.segments: list[Segment] = []
        self.notices: list[Finding] = []
        self.keep: list[str] = ["OFD.xml"]

    # --- helpers --------------------------------------------------------------------------
    def add(self, text: str, origin: str, location: dict[str, Any]) -> int:
        self.segments.append(Segment(text=text, origin=origin, location=location))
        return len(self.segments) - 1

    def notice(self, kind: str, seg: int, rule: str, explanation: str, text: str | None = None) -> None:
        t = self.segments[seg].text if text is None else text
        self.notices.append(Finding(kind=kind, start=0, end=len(t) if text is None else 0, text=t, score=1.0,
                                    rule=rule, explanation=explanation, segment=seg))

    def value(self, part: str, root, el, attr: str | None, origin: str, location: dict[str, Any]) -> int:
        """A text or attribute value masked in place when written."""
        text = (el.get(attr) if attr else el.text) or ""
        seg = self.add(text, origin, location)
        self.h.values[seg] = (part, _elements(root).index(el), attr)
        return seg

    def texts(self, part: str) -> str:
        """Every text node and attribute value of an XML part (for parts that are reported and dropped)."""
        try:
            root = self.pkg.xml(part)
        except UnreadableFileError:
            return ""
        out = []
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            out += [v for v in el.attrib.values() if v.strip() and not _numeric(v)]
            if el.text and el.text.strip():
                out.append(el.text.strip())
        return "\n".join(out)

    # --- a document -----------------------------------------------------------------------
    def document(self, d: DocParts) -> None:
        self.keep.append(d.root)
        self.docinfo(d)
        droot = self.pkg.xml(d.root)
        common = child(droot, "CommonData")
        max_el = child(common, "MaxUnitID") if common is not None else None
        try:
            self.h.max_ids[d.root] = int((max_el.text or "0").strip()) if max_el is not None else 0
        except ValueError:
            self.h.max_ids[d.root] = 0
        media = self.resources(d, d.resources)
        for n, (_tid, part) in enumerate(d.templates):
            self.content(d, part, media, TEMPLATE, {"template": n + 1})
        for n, (_pid, part) in enumerate(d.pages):
            self.content(d, part, media, BODY, {"page": n + 1})
        for res in d.resources:
            if self.pkg.has(res):
                self.content(d, res, media, RESOURCE, {"part": res}, scan_check=False)
        self.navigation(d, droot)
        self.annotations(d)
        self.attachments(d)
        for what, part in (("custom tags", d.custom_tags), ("extensions", d.extensions)):
            if part:
                self.structured(d, what, part)
        for name in ("Annotations", "Attachments", "CustomTags", "Extensions"):
            el = child(droot, name)
            if el is not None:
                self.h.removals.append((d.root, _elements(droot).index(el)))
        if d.signatures:
            self.signatures(d)

    def docinfo(self, d: DocParts) -> None:
        info = child(d.body, "DocInfo")
        if info is None:
            return
        main = self.pkg.main
        for el in info:
            name = local(el)
            if name == "Keywords":
                for k, kw in enumerate(children(el, "Keyword")):
                    self.value("OFD.xml", main, kw, None, METADATA, {"property": f"Keyword {k + 1}"})
            elif name == "CustomDatas":
                text = "\n".join(f"{c.get('Name', '')}: {c.text or ''}" for c in children(el, "CustomData"))
                seg = self.add(text, METADATA, {"property": "CustomDatas"})
                self.notice("metadata", seg, "ofd.custom_data",
                            "custom document data (DocInfo/CustomDatas); removed from the copy")
                self.h.removals.append(("OFD.xml", _elements(main).index(el)))
            elif len(el) == 0 and (el.text or "").strip():
                seg = self.value("OFD.xml", main, el, None, METADATA, {"property": name})
                if name == "Author" and el.text.strip().lower() not in _generic_authors():
                    self.notice("metadata", seg, "ofd.metadata.Author",
                                "document property 'Author' names a person; removed from the copy")
                    self.h.removals.append(("OFD.xml", _elements(main).index(el)))

    def resources(self, d: DocParts, parts: list[str]) -> dict[str, str]:
        """Resource parts: the fonts and pictures they name are kept; picture ID -> member."""
        media: dict[str, str] = {}
        for res in parts:
            if not self.pkg.has(res):
                continue
            self.keep.append(res)
            root = self.pkg.xml(res)
            # files are named relative to the part's BaseLoc folder (some producers: to the part itself)
            base = resolve(res, root.get("BaseLoc") + "/_") if root.get("BaseLoc") else res
            for el in root.iter():
                name = local(el)
                if name in ("FontFile", "MediaFile") and (el.text or "").strip():
                    loc = el.text.strip()
                    member = resolve(base, loc)
                    if not self.pkg.has(member):
                        member = resolve(res, loc)
                    self.keep.append(member)
                    owner = el.getparent()
                    if name == "MediaFile" and owner is not None and owner.get("ID"):
                        media[owner.get("ID")] = member
        return media

    def content(self, d: DocParts, part: str, media: dict[str, str], origin: str, where: dict[str, Any],
                scan_check: bool = True) -> None:
        if not self.pkg.has(part):
            raise UnreadableFileError(f"the OFD package lacks a part it names ('{part[:80]}')", path=self.path)
        self.keep.append(part)
        self.h.part_doc[part] = d.root
        root = self.pkg.xml(part)
        page_res = [resolve(part, el.text) for el in root.iter() if local(el) == "PageRes" and (el.text or "").strip()]
        if page_res:
            media = {**media, **self.resources(d, page_res)}
        objects = [el for el in root.iter() if local(el) == "TextObject"]
        glyphs: list[Glyph] = []
        refs: list[int] = []
        for oi, el in enumerate(objects):
            obj = TextObject(el)
            for c in obj.chars():
                refs.append(len(self.h.chars))
                self.h.chars.append(_Char(part, oi, c.code, c.index, c.box))
                glyphs.append(Glyph(c.char, c.x, c.y, c.size, c.box[2]))
        for k, (text, cmap) in enumerate(paragraphs(glyphs)):
            seg = self.add(text, origin, {**where, "paragraph": k})
            self.h.maps[seg] = [refs[i] if i >= 0 else -1 for i in cmap]
        images = []
        for el in root.iter():
            if local(el) == "ImageObject":
                b = floats(el.get("Boundary"), 4)
                if b:
                    images.append(_Image(part, tuple(b), tuple(floats(el.get("CTM"), 6) or (b[2], 0, 0, b[3], 0, 0)),
                                         media.get(el.get("ResourceID", ""))))
        self.h.images[part] = images
        if scan_check and images:
            area = _page_area(self.pkg, d, root)
            cover = sum(im.boundary[2] * im.boundary[3] for im in images) / max(area, 1.0)
            visible = sum(1 for g in glyphs if g.char.strip())
            if cover >= SCAN_COVER and visible <= SCAN_MAX_CHARS:
                seg = self.add("", NO_TEXT, dict(where))
                self.notice("no_text_layer", seg, "ofd.no_text_layer",
                            f"{_where(where)} is a picture without a text layer (a scan); OFD pages are not OCR'd, so "
                            "it could not be checked. It may hold personal data: check it by eye", text="")

    def navigation(self, d: DocParts, droot) -> None:
        """Outline titles, bookmark names and URIs of actions, in Document.xml."""
        n = 0
        for el in droot.iter():
            name = local(el)
            if name == "OutlineElem" and el.get("Title"):
                self.value(d.root, droot, el, "Title", OUTLINE, {"outline": n})
                n += 1
            elif name == "Bookmark" and el.get("Name"):
                self.value(d.root, droot, el, "Name", OUTLINE, {"bookmark": n + 1})
                n += 1
        for part in [d.root] + [p for _, p in d.pages]:
            root = self.pkg.xml(part)
            for el in root.iter():
                if local(el) == "URI" and el.get("URI"):
                    self.value(part, root, el, "URI", LINK, {"part": part})

    def annotations(self, d: DocParts) -> None:
        if not d.annotations or not self.pkg.has(d.annotations):
            return
        index = self.pkg.xml(d.annotations)
        page_no = {pid: n + 1 for n, (pid, _) in enumerate(d.pages)}
        for entry in children(index, "Page"):
            loc = child(entry, "FileLoc")
            if loc is None or not (loc.text or "").strip():
                continue
            part = resolve(d.annotations, loc.text)
            if not self.pkg.has(part):
                continue
            page = page_no.get(entry.get("PageID", ""), 0)
            for ai, annot in enumerate(el for el in self.pkg.xml(part).iter() if local(el) == "Annot"):
                sub = annot.get("Type", "Unknown")
                parts = [annot.get("Creator", "")]
                for el in annot.iter():
                    if local(el) in ("Remark", "Parameter") and el.text or local(el) == "TextCode" and el.text:
                        parts.append(el.text)
                text = "\n".join(p for p in parts if p and p.strip())
                seg = self.add(text, ANNOTATION, {"page": page, "annotation": ai, "subtype": sub})
                self.notice("annotation", seg, f"ofd.annotation.{sub}",
                            f"page {page}: a {sub} annotation (its creator, remarks and appearance are not page text); "
                            "removed from the copy")

    def attachments(self, d: DocParts) -> None:
        if not d.attachments or not self.pkg.has(d.attachments):
            return
        for ai, att in enumerate(el for el in self.pkg.xml(d.attachments).iter() if local(el) == "Attachment"):
            name = att.get("Name", "") or f"attachment {ai + 1}"
            loc = child(att, "FileLoc")
            body = ""
            if loc is not None and (loc.text or "").strip():
                member = resolve(d.attachments, loc.text)
                if self.pkg.has(member):
                    body = self.texts(member) if member.lower().endswith(".xml") else _plain_text(self.pkg.read(member))
            seg = self.add("\n".join(t for t in (name, body) if t), ATTACHMENT, {"attachment": ai + 1})
            self.notice("attachment", seg, "ofd.attachment",
                        "an attached file (its content is checked only when it is text or XML); removed from the copy")

    def structured(self, d: DocParts, what: str, part: str) -> None:
        if not self.pkg.has(part):
            return
        texts = [self.texts(part)]
        for el in self.pkg.xml(part).iter():
            if local(el) == "FileLoc" and (el.text or "").strip():
                member = resolve(part, el.text)
                if self.pkg.has(member):
                    texts.append(self.texts(member))
        seg = self.add("\n".join(t for t in texts if t), METADATA, {"property": what})
        self.notice("metadata", seg, f"ofd.{what.replace(' ', '_')}",
                    f"{what} (structured data bound to the page objects, not shown on the page); removed from the copy")

    def signatures(self, d: DocParts) -> None:
        n = 0
        if self.pkg.has(d.signatures):
            n = sum(1 for el in self.pkg.xml(d.signatures).iter() if local(el) == "Signature")
        seg = self.add("", SIGNATURE, {"signatures": max(n, 1)})
        self.notice("signature", seg, "ofd.signature",
                    f"{max(n, 1)} electronic signature(s) or seal(s): the signer's certificate and the seal picture are "
                    "not checked; a redacted copy drops them (a signature does not survive a change)", text="")
        main = self.pkg.main
        for el in d.body:
            if local(el) == "Signatures":
                self.h.removals.append(("OFD.xml", _elements(main).index(el)))


def _numeric(value: str) -> bool:
    return all(t.replace(".", "", 1).replace("-", "", 1).isdigit() or t == "g" for t in value.split())


def _plain_text(data: bytes) -> str:
    from ..text import ENCODINGS

    if b"\x00" in data[:4096]:
        return ""
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return ""


def _where(where: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in where.items())


def _page_area(pkg: Package, d: DocParts, page_root) -> float:
    for source in (page_root, pkg.xml(d.root)):
        for el in source.iter():
            if local(el) == "PhysicalBox":
                box = floats(el.text, 4)
                if box:
                    return box[2] * box[3]
    return 210.0 * 297.0


def _generic_authors() -> set[str]:
    from ..metadata import GENERIC_AUTHORS  # one list of author values that name no one

    return set(GENERIC_AUTHORS)
