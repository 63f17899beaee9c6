"""The OPC package of a workbook: parts, content types and relationships, read through SafeZip.

Parts are parsed on demand (lxml, no entities, no network) and cached. Writing keeps only the
parts the writer names (an allow-list): every other part is left out, together with the
content-type overrides and relationships that point at it.
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ...errors import UnreadableFileError
from ..safezip import SafeZip

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


@dataclass
class Rel:
    id: str
    type: str          # the last path component of the relationship type: worksheet, sharedStrings ...
    target: str        # absolute part name, or the external URI
    external: bool
    element: etree._Element


class Package:
    def __init__(self, data: bytes, path: str) -> None:
        self.path = path
        self.zip = SafeZip(data, path, kind="XLSX")
        self.names = set(self.zip.names)
        if CONTENT_TYPES not in self.names:
            raise UnreadableFileError("not a valid XLSX file ([Content_Types].xml is missing)", path=path)
        self.trees: dict[str, etree._Element] = {}
        self.overrides: dict[str, str] = {}
        self.defaults: dict[str, str] = {}
        for el in self.xml(CONTENT_TYPES):
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            if local == "Override":
                self.overrides[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
            elif local == "Default":
                self.defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")

    def content_type(self, name: str) -> str:
        return self.overrides.get(name) or self.defaults.get(posixpath.splitext(name)[1][1:].lower(), "")

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def xml(self, name: str) -> etree._Element:
        root = self.trees.get(name)
        if root is None:
            raw = self.zip.read(name)
            try:
                root = etree.fromstring(raw, _PARSER)
            except etree.XMLSyntaxError:
                raise UnreadableFileError(f"part '{name}' is not well-formed XML", path=self.path) from None
            self.trees[name] = root
        return root

    @staticmethod
    def rels_name(part: str) -> str:
        d, base = posixpath.split(part)
        return posixpath.join(d, "_rels", base + ".rels")

    def rels(self, part: str) -> list[Rel]:
        name = self.rels_name(part)
        if name not in self.names:
            return []
        base = posixpath.dirname(part)
        out = []
        for el in self.xml(name):
            if not isinstance(el.tag, str):
                continue
            target = el.get("Target", "")
            external = el.get("TargetMode") == "External"
            if not external:
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            out.append(Rel(el.get("Id", ""), el.get("Type", "").rsplit("/", 1)[-1], target, external, el))
        return out

    def save(self, out: Path, keep: set[str], replaced: dict[str, bytes]) -> None:
        """Write the parts in ``keep`` (rels of kept parts included when listed), with the bytes in
        ``replaced`` for parts that changed, and a content-types part without removed parts."""
        ct = self.xml(CONTENT_TYPES)
        for el in list(ct):
            if isinstance(el.tag, str) and etree.QName(el).localname == "Override" \
                    and el.get("PartName", "").lstrip("/") not in keep:
                ct.remove(el)
        replaced = {**replaced, CONTENT_TYPES: serialise(ct)}
        order = [CONTENT_TYPES] + [n for n in self.zip.names if n != CONTENT_TYPES and n in keep]
        order += sorted(n for n in replaced if n not in order and n in keep)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in order:
                data = replaced[name] if name in replaced else self.zip.read(name)
                zout.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                              compress_type=zipfile.ZIP_DEFLATED)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
