"""The OPC package: the zip, its content types and relationships; XML parts parsed on demand."""
from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from ...errors import UnreadableFileError
from .ns import _PARSER, MAX_UNCOMPRESSED


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

