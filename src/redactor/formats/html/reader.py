"""Walk a parsed page: what becomes a segment, what is reported, what the copy drops.

``read(text)`` parses the page and returns a ``Page``: segments in reading order, the
``Flow`` behind each (where its characters live in the tree), the adapter's notices, and
what the copy must drop. The walk is deterministic, so ``write`` parses the same text again
and gets the same segments with a fresh tree to edit.

Segments (origin / location):

- the text of each block element (``p``, ``div``, ``li``, ``td``, ``h1`` ... ``title``,
  ``option``, ``textarea``) with its inline elements (``span``, ``a``, ``b``, ``font`` and
  unknown tags): ``body`` / ``{element}``; table cells ``table`` / ``{element, table, row,
  col}`` with the first row's cell of the column as ``column_header``; the page title
  ``title``;
- every attribute value that is kept (``title``, ``alt``, ``value``, ``placeholder``,
  ``data-*``, ``aria-*`` as ``attribute``; ``href``, ``src`` and other URLs as ``link``,
  percent-escapes decoded, so ``mailto:``/``tel:`` targets and query strings are read;
  ``style`` as ``style``) : ``{element, attribute}``;
- ``<meta>`` content: ``metadata`` / ``{element, meta}``;
- ``<style>`` sheets: ``style`` (read and kept: a sheet can show text with ``content:``);
- comments (and processing instructions): ``comment``, reported, dropped;
- scripts (``<script>``, ``on*`` handler attributes, ``javascript:`` and non-picture
  ``data:`` URLs): ``script``, reported as ``script``, dropped: what a script writes into
  the page cannot be checked;
- hidden elements (``hidden`` attribute, ``display:none``/``visibility:hidden`` in a
  ``style`` attribute or through a simple class/id rule of the page's own style sheets,
  ``<input type=hidden>``, ``<template>``): their text and attributes as ``hidden_text``,
  one ``hidden_text`` notice per element, dropped with everything inside;
- an author ``<meta>`` that names someone: ``metadata`` notice, dropped;
- frames, objects and embedded (``data:``) pictures: ``embedded_object`` notice (their
  content is elsewhere or is pixels; kept).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from lxml import etree

from ...document import BODY, COMMENT, HIDDEN_TEXT, METADATA, TABLE, Segment
from ...findings import Finding
from .flow import BREAK, Flow, Slot

TITLE = "title"
ATTRIBUTE = "attribute"
LINK = "link"
STYLE = "style"
SCRIPT = "script"

BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "noscript", "ol", "optgroup", "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "textarea", "select"]
)
PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})
EMBEDS = frozenset({"iframe", "frame", "object", "embed", "applet"})
URL_ATTRS = frozenset({"href", "src", "action", "formaction", "cite", "data", "poster", "background", "longdesc",
                       "codebase", "usemap", "manifest", "srcset", "ping", "archive", "classid"})
AUTHOR_META = frozenset({"author", "creator", "web_author", "reply-to", "owner", "designer", "contact"})
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)", re.IGNORECASE)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*([a-zA-Z][\w-]*)?([.#])([\w-]+)\s*$")
_URL_SAFE = "/:?&=#%+@;,.!~*'()-_[]$"


@dataclass
class Page:
    segments: list[Segment] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)           # one per segment
    urls: dict[int, Slot] = field(default_factory=dict)       # segment -> URL attribute read percent-decoded
    notices: list[Finding] = field(default_factory=list)
    drop: list[Any] = field(default_factory=list)             # nodes removed from the copy
    drop_attrs: list[Slot] = field(default_factory=list)      # attributes removed from the copy
    tree: Any = None


def parse(text: str):
    """The page as an lxml tree (libxml2's HTML parser; the text is already decoded)."""
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=False, remove_pis=False, no_network=True,
                              huge_tree=True, default_doctype=False)
    root = etree.fromstring(text.encode("utf-8"), parser)
    return None if root is None else root.getroottree()


def read(text: str) -> Page:
    page = Page()
    tree = parse(text)
    page.tree = tree
    if tree is None:
        return page
    _Walker(page, tree).run()
    return page


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


class _Walker:
    def __init__(self, page: Page, tree) -> None:
        self.page = page
        self.tree = tree
        self.hidden_classes, self.hidden_ids = _hidden_selectors(tree)
        self.tables: dict[Any, int] = {}
        self.cells: dict[Any, tuple[int, int, int, str | None]] = {}
        self.paths: dict[Any, str] = {}

    # --- segments -----------------------------------------------------------------------
    def emit(self, flow: Flow, origin: str, location: dict[str, Any], header: str | None = None,
             keep_empty: bool = False) -> int:
        text = flow.text()
        if not text.strip() and not keep_empty:
            return -1
        self.page.segments.append(Segment(text=text, origin=origin, location=location, column_header=header))
        self.page.flows.append(flow)
        return len(self.page.segments) - 1

    def notice(self, kind: str, seg: int, rule: str, explanation: str) -> None:
        text = self.page.segments[seg].text if seg >= 0 else ""
        self.page.notices.append(Finding(kind=kind, start=0, end=len(text), text=text, score=1.0, rule=rule,
                                         explanation=explanation, segment=max(seg, 0)))

    def path(self, el) -> str:
        # getpath counts siblings: cached, or a menu of 300 links costs 300 x 300 steps
        p = self.paths.get(el)
        if p is None:
            p = self.paths[el] = self.tree.getpath(el)
        return p

    # --- the walk -----------------------------------------------------------------------
    def run(self) -> None:
        root = self.tree.getroot()
        for sib in list(root.itersiblings(preceding=True))[::-1] + list(root.itersiblings()):
            self.special(sib, hidden=False)
        self.block(root, hidden=False)

    def block(self, el, hidden: bool) -> None:
        """A block element: its own segment (text and inline descendants); nested blocks recurse."""
        tag = _tag(el)
        flow = Flow(collapse=tag not in PREFORMATTED)
        seg_index = len(self.page.segments)
        self.page.segments.append(None)  # type: ignore[arg-type] - reserved: parents come first in reading order
        self.page.flows.append(flow)
        self.attributes(el, hidden)
        flow.items.append(Slot(el, "text"))
        for child in el:
            self.child(child, flow, hidden)
        text = flow.text()
        if tag == "title":
            origin = HIDDEN_TEXT if hidden else TITLE
        else:
            origin = HIDDEN_TEXT if hidden else BODY
        location: dict[str, Any] = {"element": self.path(el)}
        header = None
        if tag in ("td", "th"):
            cell = self.cell(el)
            if cell is not None:
                t, r, c, header = cell
                location.update(table=t, row=r, col=c)
                origin = HIDDEN_TEXT if hidden else TABLE
        self.page.segments[seg_index] = Segment(text=text, origin=origin, location=location, column_header=header)

    def child(self, child, flow: Flow, hidden: bool) -> None:
        tag = _tag(child)
        if not tag or tag in ("script", "style") or self.is_hidden(child) or tag == "meta":
            self.special(child, hidden)
        elif tag == "br":
            self.attributes(child, hidden)
            flow.items.append(BREAK)
        elif tag in BLOCKS:
            flow.items.append(BREAK)
            self.block(child, hidden)
            flow.items.append(BREAK)
        else:
            self.attributes(child, hidden)
            if tag in EMBEDS:
                self.embedded(child, f"a <{tag}> (its content is loaded from elsewhere and is not checked)")
            flow.items.append(Slot(child, "text"))
            for grandchild in child:
                self.child(grandchild, flow, hidden)
        flow.items.append(Slot(child, "tail"))

    def special(self, node, hidden: bool) -> None:
        """Comments, processing instructions, scripts, style sheets, meta tags, hidden elements."""
        tag = _tag(node)
        where = {"element": self.path(node.getparent()) if node.getparent() is not None else "/"}
        if not tag:  # comment, processing instruction, entity
            what = "comment" if isinstance(node, etree._Comment) else "processing instruction"
            seg = self.emit(Flow([Slot(node, "text")], collapse=False), COMMENT, where, keep_empty=True)
            self.notice("comment", seg, f"html.{what.replace(' ', '_')}",
                        f"an HTML {what} (not shown on the page); removed from the copy")
            self.page.drop.append(node)
        elif tag == "script":
            where = {"element": self.path(node)}
            seg = self.emit(Flow([Slot(node, "text")], collapse=False), SCRIPT, where, keep_empty=True)
            self.attributes(node, hidden=True, origin=SCRIPT)
            self.notice("script", seg, "html.script",
                        "a script (what it writes into the page cannot be checked); removed from the copy")
            self.page.drop.append(node)
        elif tag == "style":
            self.attributes(node, hidden)
            self.emit(Flow([Slot(node, "text")], collapse=False), STYLE, {"element": self.path(node)})
        elif tag == "meta":
            self.meta(node, hidden)
        else:  # a hidden element: read everything in it, report it once, drop it
            first = len(self.page.segments)
            self.block(node, hidden=True)
            text = " ".join(s.text for s in self.page.segments[first:] if s.text.strip()).replace("\n", " ")
            self.page.notices.append(Finding(
                kind="hidden_text", start=0, end=0, text=text[:200], score=1.0, rule="html.hidden",
                explanation=f"a hidden element ({self.hidden_reason(node)}): its text is not shown on the page but is in the file; "
                            f"checked, and removed from the copy", segment=first))
            self.page.drop.append(node)

    def meta(self, node, hidden: bool) -> None:
        name = (node.get("name") or node.get("property") or node.get("http-equiv") or node.get("itemprop") or "").strip()
        content = node.get("content")
        for key in node.attrib:
            if key.lower() != "content":
                self.attribute(node, key, hidden)
        if content is None:
            return
        seg = self.emit(Flow([Slot(node, "@content")], collapse=False), HIDDEN_TEXT if hidden else METADATA,
                        {"element": self.path(node), "meta": name or "content"})
        if seg >= 0 and name.lower() in AUTHOR_META and content.strip().lower() not in _generic_authors():
            self.notice("metadata", seg, f"html.meta.{name.lower()}",
                        f"<meta name=\"{name}\"> names a person; removed from the copy")
            self.page.drop.append(node)

    def embedded(self, el, what: str) -> None:
        seg = self.emit(Flow([], collapse=False), ATTRIBUTE, {"element": self.path(el)}, keep_empty=True)
        self.page.notices.append(Finding(kind="embedded_object", start=0, end=0, text="", score=1.0,
                                         rule="html.embedded", explanation=f"{what}; kept", segment=seg))

    # --- attributes -----------------------------------------------------------------------
    def attributes(self, el, hidden: bool, origin: str | None = None) -> None:
        for key in el.attrib:
            self.attribute(el, key, hidden, origin)

    def attribute(self, el, key: str, hidden: bool, origin: str | None = None) -> None:
        name = key.lower()
        value = el.get(key) or ""
        slot = Slot(el, "@" + key)
        location = {"element": self.path(el), "attribute": key}
        lowered = value.strip().lower()
        active = name.startswith("on") or lowered.startswith(("javascript:", "vbscript:")) or (
            (name in URL_ATTRS or name == "srcdoc") and lowered.startswith("data:") and not lowered.startswith("data:image/"))
        if active and origin is None:
            seg = self.emit(Flow([slot], collapse=False), SCRIPT, location, keep_empty=True)
            self.notice("script", seg, "html.script_attribute",
                        f"script in the {key} attribute (what it does cannot be checked); removed from the copy")
            self.page.drop_attrs.append(slot)
            return
        if name in URL_ATTRS and lowered.startswith("data:image/"):
            self.embedded(el, "a picture embedded in the page (data: URL; pixels are not read: check it by eye)")
            return  # base64 pixels: nothing a detector can read
        kind = origin or (HIDDEN_TEXT if hidden else LINK if name in URL_ATTRS else STYLE if name == "style" else ATTRIBUTE)
        flow = Flow([slot], collapse=False)
        if name in URL_ATTRS and "%" in value:
            decoded = unquote(value, errors="replace")
            if decoded != value:  # read the address as a reader of it would: %E5%BC%A0 is 张
                seg = len(self.page.segments)
                self.page.segments.append(Segment(text=decoded, origin=kind, location=location))
                self.page.flows.append(flow)
                self.page.urls[seg] = slot
                return
        self.emit(flow, kind, location)

    # --- hidden ---------------------------------------------------------------------------
    def is_hidden(self, el) -> bool:
        return bool(self.hidden_reason(el))

    def hidden_reason(self, el) -> str:
        tag = _tag(el)
        if tag in ("html", "head", "body"):
            return ""  # a page hidden until a script shows it: the page is still what is published
        if tag == "template":
            return "<template>"
        if el.get("hidden") is not None:
            return "hidden attribute"
        if tag == "input" and (el.get("type") or "").strip().lower() == "hidden":
            return "<input type=hidden>"
        if _HIDDEN_STYLE.search(el.get("style") or ""):
            return "display:none or visibility:hidden"
        classes = set((el.get("class") or "").split())
        if classes & self.hidden_classes or (el.get("id") or "") in self.hidden_ids:
            return "hidden by a rule of the page's style sheet"
        return ""

    # --- tables ---------------------------------------------------------------------------
    def cell(self, td) -> tuple[int, int, int, str | None] | None:
        table = next((a for a in td.iterancestors() if _tag(a) == "table"), None)
        if table is None:
            return None
        if table not in self.tables:
            self.tables[table] = len(self.tables)
            self._index_table(table)
        return self.cells.get(td)

    def _index_table(self, table) -> None:
        rows = [tr for tr in table.iter("tr") if next((a for a in tr.iterancestors() if _tag(a) == "table"), None) is table]
        header: dict[int, str] = {}
        for r, tr in enumerate(rows):
            col = 0
            for td in tr:
                if _tag(td) not in ("td", "th"):
                    continue
                span = _int(td.get("colspan"))
                if r == 0:
                    label = " ".join("".join(td.itertext()).split())
                    if _is_label(label):
                        for c in range(col, col + span):
                            header[c] = label
                self.cells[td] = (self.tables[table], r, col, header.get(col) if r > 0 else None)
                col += span


def _int(value: str | None) -> int:
    try:
        return max(1, min(1000, int((value or "1").strip())))
    except ValueError:
        return 1


_DIGITS = re.compile(r"\d{4}")


def _is_label(text: str) -> bool:
    """A header cell: short and without a number in it (a report shows it, so it must not hold a value)."""
    return 0 < len(text) <= 30 and not _DIGITS.search(text)


def _generic_authors() -> set[str]:
    from ..metadata import GENERIC_AUTHORS

    return set(GENERIC_AUTHORS)


def _hidden_selectors(tree) -> tuple[set[str], set[str]]:
    """Classes and ids that the page's own style sheets hide with a simple rule (``.x{display:none}``)."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in tree.iter("style"):
        css = re.sub(r"/\*.*?\*/", "", style.text or "", flags=re.DOTALL)
        for selectors, body in _CSS_RULE.findall(css):
            if not _HIDDEN_STYLE.search(body.strip()):
                continue
            for sel in selectors.split(","):
                m = _SIMPLE_SELECTOR.match(sel)
                if m:
                    (classes if m.group(2) == "." else ids).add(m.group(3))
    return classes, ids


def quote_url(text: str) -> str:
    """A percent-decoded URL written back (after masking) in its escaped form."""
    return quote(text, safe=_URL_SAFE)
