"""Web pages (.html, .htm): a portal page saved to disk, or an HTML attachment.

Reading: the bytes are decoded (``encoding.py``: BOM, then UTF-8 content, then the page's
``<meta charset>``, then GB18030), parsed with libxml2's HTML parser (lxml), and walked
(``reader.py``): one segment per block element's text with its inline elements, so a value
split over ``<span>``s is one string (``flow.py``); every attribute value the copy keeps;
``<meta>`` content; style sheets. Comments, scripts (elements, handler attributes,
``javascript:`` URLs), hidden elements and author meta tags are reported and read too.

Writing: the page is parsed again, each edit lands in the text nodes or attribute its
characters came from (the markup around them is untouched), comments, scripts, hidden
elements and author meta tags are dropped, and the tree is serialised as HTML in the
page's own encoding (with its BOM and doctype). Lossy, on purpose: scripts (the page loses
what they did), comments (including Internet Explorer conditional comments and the
document properties Word writes into them), hidden elements and markup libxml2 could not
parse (it repairs broken pages the way browsers do, so the copy is the repaired page:
attribute quoting, closing tags and entity spelling may differ from the original while the
tree is the same). Not read, and kept: the pixels of embedded ``data:`` pictures (reported
as ``embedded_object``), whatever frames and objects load from elsewhere, external style
sheets and scripts (a ``src`` is a URL, read as text; the file it names is not).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...document import Document, Edit
from ...errors import UnreadableFileError
from . import encoding
from .reader import quote_url, read


@dataclass(frozen=True)
class _Handle:
    text: str      # the decoded page
    codec: str     # what it is written back in
    bom: bytes


class HtmlAdapter:
    name = "html"

    def extract(self, path: Path) -> Document:
        path = Path(path)
        data = path.read_bytes()
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UnreadableFileError("not a web page (binary content)", path=str(path))
        text, codec, bom = encoding.decode(data, str(path))
        page = _read(text, str(path))
        return Document(path=str(path), format=self.name, segments=page.segments, notices=page.notices,
                        handle=_Handle(text, codec, bom))

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        from lxml import etree

        from ..text import apply_edits

        h: _Handle = doc.handle
        page = _read(h.text, doc.path)
        if [s.text for s in page.segments] != [s.text for s in doc.segments]:
            raise UnreadableFileError("the page reads differently the second time; no copy written", path=doc.path)
        by_segment: dict[int, list[Edit]] = {}
        for e in edits:
            by_segment.setdefault(e.segment, []).append(e)
        for seg, group in by_segment.items():
            if seg in page.urls:
                page.urls[seg].set(quote_url(apply_edits(page.segments[seg].text, group)))
            else:
                page.flows[seg].apply(group)
        for slot in page.drop_attrs:
            slot.el.attrib.pop(slot.name[1:], None)
        for node in page.drop:
            _drop(node)
        root = page.tree.getroot()
        body = etree.tostring(root, method="html", encoding="unicode")
        doctype = page.tree.docinfo.doctype
        out = (doctype + "\n" if doctype else "") + body + "\n"
        Path(out_path).write_bytes(encoding.encode(out, h.codec, h.bom))


def _read(text: str, path: str):
    from lxml import etree

    try:
        return read(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise UnreadableFileError(f"cannot parse the page ({type(e).__name__})", path=path) from None


def _drop(node) -> None:
    """Remove a node from its tree, keeping the text that follows it (its tail)."""
    parent = node.getparent()
    if parent is None:
        return  # outside the root element (a comment before <html>): not serialised at all
    tail = node.tail
    prev = node.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)
