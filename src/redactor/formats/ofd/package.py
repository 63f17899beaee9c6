"""The OFD package: which parts a document has and what each one is (GB/T 33190-2016, 7.4).

``OFD.xml`` names one or more documents (``DocBody``: ``DocInfo`` metadata, ``DocRoot`` the
document's ``Document.xml``, ``Signatures``). A ``Document.xml`` lists pages (``Page/@BaseLoc``),
templates (``TemplatePage/@BaseLoc``), resources (``PublicRes``, ``DocumentRes``), and the
optional annotations, attachments, custom tags and extensions. Locations are relative to the
part that names them, or absolute from the package root when they start with ``/``.

Parts are read through ``SafeZip`` (sizes and ratios checked before inflating) and parsed
with a hardened lxml parser (no entities, no network).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ...errors import UnreadableFileError
from ..safezip import SafeZip
from .textcode import local

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def resolve(base_part: str, loc: str) -> str:
    """A location named in ``base_part`` as a package member name."""
    loc = (loc or "").strip().replace("\\", "/")
    if loc.startswith("/"):
        return posixpath.normpath(loc.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), loc))


def child(el, name: str):
    return next((c for c in el if local(c) == name), None)


def children(el, name: str) -> list:
    return [c for c in el if local(c) == name]


@dataclass
class DocParts:
    """The parts of one document of the package."""

    index: int
    body: object                      # the DocBody element in OFD.xml
    root: str                         # Document.xml
    pages: list[tuple[str, str]] = field(default_factory=list)         # (page ID, content part)
    templates: list[tuple[str, str]] = field(default_factory=list)     # (template ID, content part)
    resources: list[str] = field(default_factory=list)                 # PublicRes / DocumentRes parts
    annotations: str | None = None
    attachments: str | None = None
    custom_tags: str | None = None
    extensions: str | None = None
    signatures: str | None = None


class Package:
    def __init__(self, source: bytes | Path, path: str) -> None:
        self.path = path
        self.zip = SafeZip(source, path, kind="OFD")
        self._xml: dict[str, object] = {}
        if "OFD.xml" not in self.zip.by_name:
            raise UnreadableFileError("not an OFD file (no OFD.xml in the package)", path=path)
        self.main = self.xml("OFD.xml")
        if local(self.main) != "OFD":
            raise UnreadableFileError("not an OFD file (OFD.xml has no OFD root)", path=path)
        self.docs = [self._doc(i, body) for i, body in enumerate(children(self.main, "DocBody"))]
        if not self.docs:
            raise UnreadableFileError("the OFD package names no document (no DocBody)", path=path)

    @property
    def names(self) -> list[str]:
        return self.zip.names

    def has(self, name: str) -> bool:
        return name in self.zip.by_name

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def xml(self, name: str):
        """A part parsed (cached; ``fresh`` copies for writing come from ``parse``)."""
        if name not in self._xml:
            self._xml[name] = self.parse(name)
        return self._xml[name]

    def parse(self, name: str):
        data = self.read(name)
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            raise UnreadableFileError(f"part '{name[:80]}' of the OFD package is not well-formed XML", path=self.path) from None

    def _doc(self, index: int, body) -> DocParts:
        root_el = child(body, "DocRoot")
        if root_el is None or not (root_el.text or "").strip():
            raise UnreadableFileError(f"document {index + 1} of the OFD package has no DocRoot", path=self.path)
        root = resolve("OFD.xml", root_el.text)
        d = DocParts(index=index, body=body, root=root)
        sig = child(body, "Signatures")
        if sig is not None and (sig.text or "").strip():
            d.signatures = resolve("OFD.xml", sig.text)
        doc = self.xml(root)
        common = child(doc, "CommonData")
        if common is not None:
            for el in common:
                name = local(el)
                if name in ("PublicRes", "DocumentRes") and (el.text or "").strip():
                    d.resources.append(resolve(root, el.text))
                elif name == "TemplatePage" and el.get("BaseLoc"):
                    d.templates.append((el.get("ID", ""), resolve(root, el.get("BaseLoc"))))
        pages = child(doc, "Pages")
        for p in children(pages, "Page") if pages is not None else []:
            if p.get("BaseLoc"):
                d.pages.append((p.get("ID", ""), resolve(root, p.get("BaseLoc"))))
        for name in ("Annotations", "Attachments", "CustomTags", "Extensions"):
            el = child(doc, name)
            if el is not None and (el.text or "").strip():
                setattr(d, {"Annotations": "annotations", "Attachments": "attachments",
                            "CustomTags": "custom_tags", "Extensions": "extensions"}[name], resolve(root, el.text))
        return d
