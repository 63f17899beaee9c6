"""The parts of a PDF besides its page text, read into segments so that their text is checked.

Kept in the copy (their strings masked where a value is found, through ``Handle.slots``):
document information, bookmark titles, link targets and link descriptions (``/Contents``),
layer names, page label prefixes, the alternate texts of a tagged PDF and of marked content
(``/ActualText``, ``/Alt``, ``/E``: Acrobat copies and searches them instead of the glyphs).
Reported and removed: annotations other than links, form fields, embedded files, earlier
versions kept by incremental updates, and everything the allow-list of ``scrub.py`` drops
(scripts, parts no page shows, metadata): that list is made here, on the file read, so the
report says before the copy is written what the copy will not keep.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf

from ...document import METADATA, Segment
from ...findings import Finding
from .content import FontCache, marked_texts, parse, stream_text
from .model import ANNOTATION, ATTACHMENT, LAYER, OUTLINE, PAGE_LABEL, PREVIOUS, REMOVED, STRUCTURE, Handle
from .read import Item, Sink
from .scrub import Scrub

from ..metadata import GENERIC_AUTHORS  # author values that name no one: not reported

# How each kind of removed part is explained in the report.
_REMOVED = {
    "script": "code or an action (JavaScript, opening files, sending data) that a viewer may run",
    "unseen_content": "content no page shows",
    "metadata": "data beside the document's text",
    "attachment": "files attached to the document",
}


def read_parts(pike: pikepdf.Pdf, path: Path, h: Handle, sink: Sink, parsed=parse) -> None:
    read_metadata(pike, h, sink)
    read_annotations(pike, h, sink)
    read_attachments(pike, sink)
    read_outlines(pike, h, sink)
    read_structure(pike, h, sink)
    read_marked_content(pike, h, sink, parsed)
    read_layers(pike, h, sink)
    read_page_labels(pike, h, sink)
    read_revisions(path, pike, sink)
    read_removed(pike, sink, parsed)


def _slot(sink: Sink, h: Handle, seg: Segment, slot: tuple, notices: list[Finding] | None = None) -> None:
    """A kept string: its segment, and where the writer masks it."""
    idx = sink.add(Item(seg, notices=notices or []))
    if idx is not None:
        h.slots[idx] = slot


def read_metadata(pike: pikepdf.Pdf, h: Handle, sink: Sink) -> None:
    info = pike.trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary):
        for key, value in info.items():
            if not isinstance(value, pikepdf.String):
                continue
            text = str(value).strip()
            if not text:
                continue
            notices = []
            if key in ("/Author", "/LastModifiedBy") and text.lower() not in GENERIC_AUTHORS:
                notices.append(_personal(key[1:], text))
            _slot(sink, h, Segment(text=text, origin=METADATA, location={"property": key[1:]}), ("info", key), notices)
    xmp = pike.Root.get("/Metadata")
    if xmp is not None:
        try:
            raw = xmp.read_bytes().decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - a broken XMP stream is still removed on write
            raw = ""
        text = " ".join(t.strip() for t in re.findall(r">([^<>]+)<", raw) if t.strip())
        notices = []
        m = re.search(r"<dc:creator[^>]*>.*?<rdf:li[^>]*>([^<]*)<|<pdf:Author[^>]*>([^<]*)<|pdf:Author=\"([^\"]*)\"",
                      raw, re.DOTALL)
        if m and (m.group(1) or m.group(2) or m.group(3) or "").strip().lower() not in GENERIC_AUTHORS:
            notices.append(_personal("XMP creator", text))
        sink.add(Item(Segment(text=text, origin=METADATA, location={"property": "XMP"}), notices=notices))


def _personal(key: str, text: str) -> Finding:
    return Finding(kind="metadata", start=0, end=len(text), text=text, score=1.0, rule=f"pdf.metadata.{key}",
                   explanation=f"document property '{key}' names a person; it is removed from the redacted copy")


def read_annotations(pike: pikepdf.Pdf, h: Handle, sink: Sink) -> None:
    for pi, page in enumerate(pike.pages):
        annots = page.obj.get("/Annots")
        for ai, annot in enumerate(annots if isinstance(annots, pikepdf.Array) else []):
            if not isinstance(annot, pikepdf.Dictionary):
                continue
            sub = str(annot.get("/Subtype", "/Unknown"))[1:]
            where = {"page": pi + 1, "annotation": ai, "subtype": sub}
            if sub == "Link":  # kept in the copy: its target may name someone (mailto:), and so may its description
                action = annot.get("/A")
                uri = action.get("/URI") if isinstance(action, pikepdf.Dictionary) else None
                if isinstance(uri, pikepdf.String) and str(uri).strip():
                    _slot(sink, h, Segment(text=str(uri), origin=ANNOTATION, location=where), ("link", pi, ai))
                contents = annot.get("/Contents")
                if isinstance(contents, pikepdf.String) and str(contents).strip():
                    _slot(sink, h, Segment(text=str(contents), origin=ANNOTATION, location={**where, "field": "Contents"}),
                          ("link_contents", pi, ai))
                continue
            if sub == "Popup":
                continue
            parts = []
            for k in ("/T", "/Contents", "/Subj", "/TU", "/V"):
                v = annot.get(k)
                if isinstance(v, pikepdf.String):
                    parts.append(str(v))
            parts.append(appearance_text(annot))
            rc = annot.get("/RC")
            if rc is not None:
                try:
                    rc_text = rc.read_bytes().decode("utf-8", "replace") if hasattr(rc, "read_bytes") else str(rc)
                    parts.append(" ".join(re.findall(r">([^<>]+)<", rc_text)))
                except (pikepdf.PdfError, TypeError, ValueError):
                    pass
            text = "\n".join(p for p in parts if p.strip())
            kind = ATTACHMENT if sub == "FileAttachment" else ANNOTATION
            what = "a form field" if sub == "Widget" else f"a {sub} annotation"
            sink.add(Item(Segment(text=text, origin=kind, location=where), notices=[Finding(
                kind=kind, start=0, end=len(text), text=text, score=1.0, rule=f"pdf.annotation.{sub}",
                explanation=f"page {pi + 1}: {what} (comments and attached files are not part of the page text); "
                            f"it is removed from the redacted copy")]))


def appearance_text(annot: pikepdf.Dictionary, fonts: FontCache | None = None) -> str:
    """The text an annotation's normal appearance draws (a free-text box, a stamp, a field)."""
    ap = annot.get("/AP")
    normal = ap.get("/N") if isinstance(ap, pikepdf.Dictionary) else None
    streams = [normal] if isinstance(normal, pikepdf.Stream) else (
        list(normal.values()) if isinstance(normal, pikepdf.Dictionary) else [])
    fonts = fonts or FontCache()
    return "\n".join(stream_text(parse(s), s.get("/Resources"), fonts) for s in streams
                     if isinstance(s, pikepdf.Stream))


def read_attachments(pike: pikepdf.Pdf, sink: Sink) -> None:
    try:
        names = list(pike.attachments.keys())
    except Exception:  # noqa: BLE001 - a broken name tree is still removed on write
        names = ["(unreadable)"] if "/Names" in pike.Root and "/EmbeddedFiles" in pike.Root.Names else []
    for name in names:
        sink.add(Item(Segment(text=name, origin=ATTACHMENT, location={"attachment": name}), notices=[Finding(
            kind="attachment", start=0, end=len(name), text=name, score=1.0, rule="pdf.attachment",
            explanation="an embedded file; its content is not checked and it is removed from the redacted copy")]))


def read_outlines(pike: pikepdf.Pdf, h: Handle, sink: Sink) -> None:
    for n, item in enumerate(outline_items(pike)):
        title = item.get("/Title")
        text = str(title) if isinstance(title, pikepdf.String) else ""
        _slot(sink, h, Segment(text=text, origin=OUTLINE, location={"outline": n}), ("outline", n))


def outline_items(pdf: pikepdf.Pdf) -> list:
    """Bookmarks in document order (depth first), each visited once."""
    out: list = []
    root = pdf.Root.get("/Outlines")
    seen: set = set()
    stack = [root.get("/First")] if isinstance(root, pikepdf.Dictionary) else []
    while stack and len(out) < 100000:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary):
            continue
        key = item.objgen if item.is_indirect else id(item)
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
        stack.append(item.get("/Next"))
        stack.append(item.get("/First"))  # popped first: children before the next sibling
    return out


def read_structure(pike: pikepdf.Pdf, h: Handle, sink: Sink) -> None:
    """Alternate texts of a tagged PDF (/Alt, /ActualText, /E, /T): screen readers speak
    them; Word writes the alt text of pictures there."""
    root = pike.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack, seen, texts = [root], set(), []
    while stack and len(seen) < 200000:
        node = stack.pop()
        key = node.objgen if getattr(node, "is_indirect", False) else id(node)
        if key in seen:
            continue
        seen.add(key)
        if isinstance(node, pikepdf.Dictionary):
            for k in ("/Alt", "/ActualText", "/E", "/T"):
                v = node.get(k)
                if isinstance(v, pikepdf.String) and str(v).strip():
                    texts.append(str(v))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary))
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    for n, text in enumerate(texts):
        _slot(sink, h, Segment(text=text, origin=STRUCTURE, location={"alternate_text": n}), ("structure",))


def read_marked_content(pike: pikepdf.Pdf, h: Handle, sink: Sink, parse=parse) -> None:
    """/ActualText, /Alt and /E written on marked content in the pages' content streams and in
    the forms they draw: text that replaces the glyphs for copy and search in some viewers."""
    seen: set = set()
    n = 0
    for pi, page in enumerate(pike.pages):
        texts = marked_texts(parse(page))
        stack = [page.obj.get("/Resources")]
        while stack:
            res = stack.pop()
            xobjs = res.get("/XObject") if isinstance(res, pikepdf.Dictionary) else None
            for xobj in (xobjs.values() if isinstance(xobjs, pikepdf.Dictionary) else []):
                if not isinstance(xobj, pikepdf.Stream) or xobj.get("/Subtype") != "/Form" or xobj.objgen in seen:
                    continue
                seen.add(xobj.objgen)
                texts += marked_texts(parse(xobj))
                stack.append(xobj.get("/Resources"))
        for text in texts:
            _slot(sink, h, Segment(text=text, origin=STRUCTURE, location={"page": pi + 1, "actual_text": n}),
                  ("marked",))
            n += 1


def layer_groups(pdf: pikepdf.Pdf) -> list:
    oc = pdf.Root.get("/OCProperties")
    ocgs = oc.get("/OCGs") if isinstance(oc, pikepdf.Dictionary) else None
    return [g for g in ocgs if isinstance(g, pikepdf.Dictionary)] if isinstance(ocgs, pikepdf.Array) else []


def read_layers(pike: pikepdf.Pdf, h: Handle, sink: Sink) -> None:
    """Names of optional-content groups (layers): a viewer lists them in its layer panel."""
    for n, group in enumerate(layer_groups(pike)):
        name = group.get("/Name")
        if isinstance(name, pikepdf.String) and str(name).strip():
            _slot(sink, h, Segment(text=str(name), origin=LAYER, location={"layer": n}), ("layer", n))


def page_labels(pdf: pikepdf.Pdf) -> list:
    """The label dictionaries of the page-label number tree, in tree order."""
    out: list = []
    stack = [pdf.Root.get("/PageLabels")]
    while stack and len(out) < 100000:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        nums = node.get("/Nums")
        if isinstance(nums, pikepdf.Array):
            out.extend(nums[k] for k in range(1, len(nums), 2) if isinstance(nums[k], pikepdf.Dictionary))
        kids = node.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
    return out


def read_page_labels(pike: pikepdf.Pdf, h: Handle, sink: Sink) -> None:
    """Page label prefixes: a viewer shows them instead of page numbers."""
    for n, label in enumerate(page_labels(pike)):
        prefix = label.get("/P")
        if isinstance(prefix, pikepdf.String) and str(prefix).strip():
            _slot(sink, h, Segment(text=str(prefix), origin=PAGE_LABEL, location={"page_label": n}), ("label", n))


def read_revisions(path: Path, pike: pikepdf.Pdf, sink: Sink) -> None:
    """Incremental updates keep every earlier version of the file after its end: text
    deleted in an editor is still there. Counted by end-of-file markers (a linearised
    file has one more); the redacted copy is written fresh, with the current version only."""
    import mmap

    ends = []
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        pos = m.find(b"%%EOF")
        while pos >= 0:
            ends.append(pos + 5)
            pos = m.find(b"%%EOF", pos + 5)
    expected = 2 if pike.is_linearized else 1
    count = len(ends)
    if count > expected:
        n = count - expected
        _old_versions(path, ends[expected - 1:-1], sink)
        sink.add(Item(Segment(text="", origin=METADATA, location={"property": "previous versions"}), notices=[Finding(
            kind="previous_versions", start=0, end=0, text="", score=1.0, rule="pdf.incremental_update",
            explanation=f"the file keeps {n} earlier version(s) of itself (incremental updates): text deleted "
                        f"since can still be recovered; the redacted copy keeps the current version only",
            attrs={"versions": n})]))


def _old_versions(path: Path, ends: list[int], sink: Sink) -> None:
    """The text of each earlier version, so that what it holds is reported (the copy
    drops those versions, so nothing of them is written back)."""
    import pdfplumber

    with path.open("rb") as f:
        for version, end in enumerate(ends, start=1):
            f.seek(0)
            data = f.read(end)
            try:
                with pdfplumber.open(io.BytesIO(data)) as old:
                    for pi, page in enumerate(old.pages):
                        text = page.extract_text() or ""
                        page.close()
                        if text.strip():
                            sink.add(Item(Segment(text=text, origin=PREVIOUS,
                                                  location={"version": version, "page": pi + 1})))
            except Exception:  # noqa: BLE001, S112 - a broken old version is still dropped from the copy
                continue


def read_removed(pike: pikepdf.Pdf, sink: Sink, parse=parse) -> None:
    """What the copy will not keep (the allow-list in ``scrub.py``, run on the file read):
    its text is checked, and a part that held something no reader could check is reported."""
    fonts = FontCache()
    for d in Scrub(pike, fonts, orphans=True, parse=parse).run():
        if d.kind is None and not d.text.strip():
            continue
        where = {"object": d.what} | ({"page": d.page} if d.page else {})
        notices = []
        if d.kind is not None:
            notices.append(Finding(   # no text: the part may be long (a script); its segment holds it
                kind=d.kind, start=0, end=0, text="", score=1.0, rule=f"pdf.removed.{d.kind}",
                explanation=f"{d.what}: {_REMOVED.get(d.kind, 'a part the copy does not keep')}; "
                            f"it is removed from the redacted copy"))
        sink.add(Item(Segment(text=d.text, origin=REMOVED, location=where), notices=notices))
