"""The OPC package: the zip, its content types and relationships; XML parts parsed on demand.

Every member is read through ``SafeZip`` (declared sizes, member count and compression ratio
are checked before anything is inflated; a bad CRC is an E200, not a traceback). XML is parsed
without DTDs, entities or network access, and the work is bounded before parsing: a part that
declares a DTD is refused (OOXML never has one; it is how entity bombs and XXE start), and the
markup of all parsed parts together may hold at most ``MAX_MARKUP`` tags (a 300 KB file can
inflate to millions of empty paragraphs).

``save`` writes a new package from an allow-list: only the parts the caller keeps, their
relationships to kept parts (and external targets), and content types rebuilt for exactly
those parts. Anything not kept is simply never written.
"""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from ...errors import UnreadableFileError
from ..safezip import SafeZip, ZipLimits

# Tags ('<') in all parsed XML parts together. A 50-page report has about 40,000, so the limit
# is some 1,000 dense pages; it keeps a file's peak memory under 1 GB (bench_docx.py --memory).
# Counting is one C-level scan of the bytes, done before lxml builds a tree (about 120 bytes
# per element), so the refusal costs nothing.
MAX_MARKUP = 1_000_000
LIMITS = ZipLimits(max_members=5_000, max_total=1 << 30, max_member=256 << 20)
CONTENT_TYPES = "[Content_Types].xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def parser() -> etree.XMLParser:
    """A parser that resolves nothing: no entities, no DTD, no network, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           remove_blank_text=False)


_PARSER = parser()
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def parse_xml(raw: bytes, what: str, path: str) -> etree._Element:
    """Parse one XML part; every failure is an E200 that names the part, never its content."""
    if any(m in raw for m in _DTD_MARKS):
        raise UnreadableFileError(f"{what} declares a DTD (entities): refused", path=path)
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as e:
        # lxml's message can quote the document ("tag mismatch: tel1355..."): keep the position only
        where = f" (line {e.lineno})" if getattr(e, "lineno", None) else ""
        raise UnreadableFileError(f"{what} is not well-formed XML{where}", path=path) from None
    if root is None:
        raise UnreadableFileError(f"{what} is empty", path=path)
    return root


class _Package:
    """The zip, its content types and relationships; XML parts parsed on demand and cached."""

    def __init__(self, data: bytes, path: str) -> None:
        self.path = path
        self.zip = SafeZip(data, path, kind="DOCX", limits=LIMITS)
        self.infos = [i for i in self.zip.infos if not i.filename.endswith("/")]
        self.names = {i.filename for i in self.infos}
        self.trees: dict[str, etree._Element] = {}
        self.raw: dict[str, bytes] = {}     # bytes of members replaced in the copy (pictures)
        self.xml_bytes: dict[str, bytes] = {}  # bytes of parsed parts, until the sweep has read them
        self.dirty: set[str] = set()
        self.removed: set[str] = set()
        self.markup = 0
        if CONTENT_TYPES not in self.names:
            raise UnreadableFileError("not a valid DOCX file ([Content_Types].xml is missing)", path=path)
        self.content_types: dict[str, str] = {}
        self.default_types: dict[str, str] = {}
        for el in self.xml(CONTENT_TYPES):
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if tag == "Override":
                self.content_types[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
            elif tag == "Default":
                self.default_types[el.get("Extension", "").lower()] = el.get("ContentType", "")

    def content_type(self, name: str) -> str:
        return self.content_types.get(name) or self.default_types.get(posixpath.splitext(name)[1][1:].lower(), "")

    def read(self, name: str) -> bytes:
        if name in self.raw:
            return self.raw[name]
        return self.zip.read(name)

    def xml(self, name: str) -> etree._Element:
        root = self.trees.get(name)
        if root is None:
            raw = self.zip.read(name)
            self.markup += raw.count(b"<")
            if self.markup > MAX_MARKUP:
                raise UnreadableFileError(
                    f"the document's XML holds more than {MAX_MARKUP:,} elements (part '{_short(name)}'): "
                    "over the safety limit", path=self.path)
            root = parse_xml(raw, f"part '{_short(name)}'", self.path)
            self.trees[name] = root
            self.xml_bytes[name] = raw
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
        """Drop a part: ``save`` leaves it, its own relationships and every relationship to it out."""
        self.removed.add(name)

    def save(self, out: Path, keep: set[str]) -> None:
        """Write the parts in ``keep`` (less removed ones), with their relationships to kept parts
        and content types for exactly those parts. [Content_Types].xml first: OPC does not
        require it, some readers do."""
        kept = {n for n in keep if n in self.names and n not in self.removed}
        kept.discard(CONTENT_TYPES)
        for name in sorted(kept):
            if name.endswith(".rels"):
                continue
            rels = self.rels_name(name)
            if rels in self.names:
                kept.add(rels)
        if "_rels/.rels" in self.names:
            kept.add("_rels/.rels")
        for rels in [n for n in kept if n.endswith(".rels")]:
            source = rels.replace("_rels/", "").removesuffix(".rels")
            for el, _t, target, external in self.rels(source):
                if not external and target not in kept:
                    el.getparent().remove(el)
                    self.dirty.add(rels)
        order = [i for i in self.infos if i.filename in kept]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            zout.writestr(_info(CONTENT_TYPES), self._content_types(kept))
            for info in order:
                name = info.filename
                if name in self.dirty:
                    data = etree.tostring(self.trees[name], xml_declaration=True, encoding="UTF-8", standalone=True)
                else:
                    data = self.read(name)
                zout.writestr(_info(name, info.date_time), data)

    def _content_types(self, kept: set[str]) -> bytes:
        root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
        used = {posixpath.splitext(n)[1][1:].lower() for n in kept if n not in self.content_types}
        used |= {"rels", "xml"}
        for ext, ctype in sorted(self.default_types.items()):
            if ext in used and ext:
                etree.SubElement(root, f"{{{CT_NS}}}Default", Extension=ext, ContentType=ctype)
        for name in sorted(kept):
            if name in self.content_types:
                etree.SubElement(root, f"{{{CT_NS}}}Override", PartName="/" + name,
                                 ContentType=self.content_types[name])
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _info(name: str, date_time: tuple[int, ...] = (1980, 1, 1, 0, 0, 0)) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=date_time)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o600 << 16
    return zi


def _short(name: str) -> str:
    name = name.replace("\n", " ")
    return name if len(name) <= 80 else name[:77] + "..."
