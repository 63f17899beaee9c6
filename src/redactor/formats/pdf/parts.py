"""The parts of a PDF besides its page text: document information and XMP, annotations,
embedded files, bookmarks, the alternate texts of a tagged PDF, earlier versions kept by
incremental updates. Each is read into segments (so its text is checked) and reported when
the copy removes it."""
from __future__ import annotations

import io
import re
from pathlib import Path

from ...document import METADATA, Segment
from ...findings import Finding
from .model import ANNOTATION, ATTACHMENT, OUTLINE, PREVIOUS, STRUCTURE

# Author values that name no one (generators' and Office defaults): not reported.
GENERIC_AUTHORS = {"", "anonymous", "unknown", "unspecified", "administrator", "admin", "user", "owner", "author",
                   "微软用户", "微软中国", "用户", "作者", "系统管理员", "walkinwifi", "lenovo", "dell", "hp",
                   "python-docx", "reportlab", "libreoffice", "wps", "microsoft word", "microsoft office user"}



def read_metadata(pike, segments: list[Segment], notices: list[Finding]) -> None:
    info = pike.trailer.get("/Info")
    personal = []
    if info is not None:
        for key, value in info.items():
            try:
                text = str(value).strip()
            except (TypeError, ValueError):
                continue
            if not text:
                continue
            segments.append(Segment(text=text, origin=METADATA, location={"property": key[1:]}))
            if key in ("/Author", "/LastModifiedBy") and text.lower() not in GENERIC_AUTHORS:
                personal.append((len(segments) - 1, key[1:], text))
    xmp = pike.Root.get("/Metadata")
    if xmp is not None:
        try:
            raw = xmp.read_bytes().decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - a broken XMP stream is still removed on write
            raw = ""
        text = " ".join(t.strip() for t in re.findall(r">([^<>]+)<", raw) if t.strip())
        segments.append(Segment(text=text, origin=METADATA, location={"property": "XMP"}))
        m = re.search(r"<dc:creator[^>]*>.*?<rdf:li[^>]*>([^<]*)<|<pdf:Author[^>]*>([^<]*)<|pdf:Author=\"([^\"]*)\"", raw, re.DOTALL)
        if m and (m.group(1) or m.group(2) or m.group(3) or "").strip().lower() not in GENERIC_AUTHORS:
            personal.append((len(segments) - 1, "XMP creator", text))
    for seg, key, text in personal:
        notices.append(Finding(
            kind="metadata", start=0, end=len(text), text=text, score=1.0, rule=f"pdf.metadata.{key}",
            explanation=f"document property '{key}' names a person; it is removed from the redacted copy",
            segment=seg))

def read_annotations(pike, segments: list[Segment], notices: list[Finding]) -> None:
    import pikepdf

    for pi, page in enumerate(pike.pages):
        for ai, annot in enumerate(page.obj.get("/Annots") or []):
            try:
                sub = str(annot.get("/Subtype", "/Unknown"))[1:]
            except (AttributeError, TypeError):
                continue
            if sub == "Link":  # kept in the copy, but its target may name someone (mailto:)
                action = annot.get("/A")
                uri = action.get("/URI") if isinstance(action, pikepdf.Dictionary) else None
                if isinstance(uri, pikepdf.String) and str(uri).strip():
                    segments.append(Segment(text=str(uri), origin=ANNOTATION,
                                            location={"page": pi + 1, "annotation": ai, "subtype": "Link"}))
                continue
            if sub == "Popup":
                continue
            parts = []
            for k in ("/T", "/Contents", "/Subj", "/TU", "/V"):
                v = annot.get(k)
                if isinstance(v, pikepdf.String):
                    parts.append(str(v))
            rc = annot.get("/RC")
            if rc is not None:
                try:
                    rc_text = rc.read_bytes().decode("utf-8", "replace") if hasattr(rc, "read_bytes") else str(rc)
                    parts.append(" ".join(re.findall(r">([^<>]+)<", rc_text)))
                except Exception:  # noqa: BLE001
                    pass
            text = "\n".join(p for p in parts if p.strip())
            seg = len(segments)
            kind = ATTACHMENT if sub == "FileAttachment" else ANNOTATION
            segments.append(Segment(text=text, origin=kind, location={"page": pi + 1, "annotation": ai, "subtype": sub}))
            what = "a form field" if sub == "Widget" else f"a {sub} annotation"
            notices.append(Finding(
                kind=kind, start=0, end=len(text), text=text, score=1.0, rule=f"pdf.annotation.{sub}",
                explanation=f"page {pi + 1}: {what} (comments and attached files are not part of the page text); "
                            f"it is removed from the redacted copy", segment=seg))

def read_attachments(pike, segments: list[Segment], notices: list[Finding]) -> None:
    try:
        names = list(pike.attachments.keys())
    except Exception:  # noqa: BLE001 - a broken name tree is still removed on write
        names = ["(unreadable)"] if "/Names" in pike.Root and "/EmbeddedFiles" in pike.Root.Names else []
    for name in names:
        seg = len(segments)
        segments.append(Segment(text=name, origin=ATTACHMENT, location={"attachment": name}))
        notices.append(Finding(
            kind="attachment", start=0, end=len(name), text=name, score=1.0, rule="pdf.attachment",
            explanation="an embedded file; its content is not checked and it is removed from the redacted copy",
            segment=seg))


def read_revisions(path: Path, pike, segments: list[Segment], notices: list[Finding]) -> None:
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
        _old_versions(path, ends[expected - 1:-1], segments)
        seg = len(segments)
        segments.append(Segment(text="", origin=METADATA, location={"property": "previous versions"}))
        notices.append(Finding(
            kind="previous_versions", start=0, end=0, text="", score=1.0, rule="pdf.incremental_update",
            explanation=f"the file keeps {n} earlier version(s) of itself (incremental updates): text deleted "
                        f"since can still be recovered; the redacted copy keeps the current version only",
            segment=seg, attrs={"versions": n}))

def _old_versions(path: Path, ends: list[int], segments: list[Segment]) -> None:
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
                            segments.append(Segment(text=text, origin=PREVIOUS,
                                                    location={"version": version, "page": pi + 1}))
            except Exception:  # noqa: BLE001 - a broken old version is still dropped from the copy
                continue

def read_structure(pike, segments: list[Segment]) -> None:
    """Alternate texts of a tagged PDF (/Alt, /ActualText, /E, /T): screen readers speak
    them; Word writes the alt text of pictures there."""
    import pikepdf

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
        segments.append(Segment(text=text, origin=STRUCTURE, location={"alternate_text": n}))

def read_outlines(pike, segments: list[Segment]) -> None:
    for n, item in enumerate(outline_items(pike)):
        title = item.get("/Title")
        segments.append(Segment(text=str(title) if title is not None else "", origin=OUTLINE, location={"outline": n}))


def outline_items(pdf) -> list:
    """Bookmarks in document order (depth first), each visited once."""
    out: list = []
    root = pdf.Root.get("/Outlines")
    seen: set = set()
    stack = [root.get("/First")] if root is not None else []
    while stack and len(out) < 100000:
        item = stack.pop()
        if item is None or not hasattr(item, "get"):
            continue
        key = item.objgen if item.is_indirect else id(item)
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
        stack.append(item.get("/Next"))
        stack.append(item.get("/First"))  # popped first: children before the next sibling
    return out

