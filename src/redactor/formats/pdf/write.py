"""Writing the redacted copy: the glyphs of masked values (and all text under dark boxes)
removed from the content streams with a box drawn in their place, scanned pages re-rendered
with the values painted out, then the parts the copy does not keep scrubbed (``scrub.py``)."""
from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from ...document import Document, Edit
from ...errors import UnreadableFileError
from ..text import apply_edits
from .geometry import merge_boxes
from .model import Handle, Page
from .ocr_pages import rasterise
from .scrub import Scrub


def write(doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
    import pikepdf

    from .content import ContentMismatch, FontCache, paint_images, remove_glyphs

    h: Handle = doc.handle
    remove: dict[int, set[int]] = {}      # page -> characters (page-local) whose glyphs go
    paint: dict[int, list[tuple[float, float, float, float]]] = {}
    strings: dict[int, list[Edit]] = {}   # segment -> edits of a kept string
    for e in edits:
        seg = doc.segments[e.segment]
        span = changed(seg.text[e.start:e.end], e.replacement)
        if e.segment in h.maps:
            cmap = h.maps[e.segment]
            for k in span:
                char = cmap[e.start + k]
                if char >= 0:
                    page = h.page_of(char)
                    remove.setdefault(page, set()).add(char - h.pages[page].first)
        elif e.segment in h.ocr_maps:
            boxes = h.ocr_maps[e.segment]
            paint.setdefault(h.seg_page[e.segment], []).extend(boxes[e.start + k] for k in span
                                                               if boxes[e.start + k] is not None)
        elif e.segment in h.slots:
            strings.setdefault(e.segment, []).append(e)
        # any other segment is a part the copy does not keep (scrub.py): nothing to mask
    for pi, page in enumerate(h.pages):
        if page.under_box:
            remove.setdefault(pi, set()).update(page.under_box)
        if page.untrusted and remove.get(pi):   # its text layer lies: the copy keeps a picture of it
            paint.setdefault(pi, [])

    pdf = pikepdf.open(h.path)
    try:
        fonts = FontCache()
        for pi, ids in sorted(remove.items()):
            if not ids:
                continue
            info = h.pages[pi]
            boxes = merge_boxes([info.boxes[c] for c in sorted(ids)])
            try:
                images = remove_glyphs(pdf, pdf.pages[pi], ids, fonts, expected=len(info.boxes),
                                       append=box_ops(info, boxes))
            except ContentMismatch as e:
                raise UnreadableFileError(f"page {info.number}: cannot locate the text to remove ({e})",
                                          path=doc.path) from None
            if images:  # text over a picture (a scan with an OCR text layer): paint the pixels too
                paint_images(pdf, pdf.pages[pi], images, [(x0, -b, x1, -t) for x0, t, x1, b in boxes])
        if paint:
            import pypdfium2 as pdfium

            # Render the pages as edited so far: text removed and boxed on a page that is
            # also OCR'd (undecodable fonts) must not come back as pixels.
            staged = io.BytesIO()
            pdf.save(staged)
            pium = pdfium.PdfDocument(staged.getvalue())
            try:
                for pi, pboxes in sorted(paint.items()):
                    rasterise(pdf, pdf.pages[pi], pium, pi, pboxes, h.pages[pi])
            finally:
                pium.close()
        mask_strings(pdf, doc, strings)
        Scrub(pdf, fonts).run()
        pdf.save(out_path)
    finally:
        pdf.close()


def mask_strings(pdf, doc: Document, strings: dict[int, list[Edit]]) -> None:
    """Kept strings with a masked value (``Handle.slots``): masked in place; a link whose
    target holds one is removed; alternate texts holding one go from the whole file."""
    import pikepdf

    from .content import strip_marked_texts
    from .parts import layer_groups, outline_items, page_labels

    h: Handle = doc.handle
    info = pdf.trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary):
        for key in ("/Author", "/LastModifiedBy"):
            if key in info:
                del info[key]
    links: set[tuple[int, int]] = set()
    for seg, edits in strings.items():
        slot = h.slots[seg]
        masked = pikepdf.String(apply_edits(doc.segments[seg].text, edits))
        kind = slot[0]
        if kind == "info" and isinstance(info, pikepdf.Dictionary) and slot[1] in info:
            info[slot[1]] = masked
        elif kind == "outline":
            items = outline_items(pdf)
            if slot[1] < len(items):
                items[slot[1]].Title = masked
        elif kind == "link":
            links.add((slot[1], slot[2]))
        elif kind == "link_contents":
            annots = pdf.pages[slot[1]].obj.get("/Annots")
            if isinstance(annots, pikepdf.Array) and slot[2] < len(annots):
                annots[slot[2]].Contents = masked
        elif kind == "layer":
            groups = layer_groups(pdf)
            if slot[1] < len(groups):
                groups[slot[1]].Name = masked
        elif kind == "label":
            labels = page_labels(pdf)
            if slot[1] < len(labels):
                labels[slot[1]].P = masked
        elif kind == "structure":   # the tags go: the copy stays readable, no longer tagged
            for key in ("/StructTreeRoot", "/MarkInfo"):
                if key in pdf.Root:
                    del pdf.Root[key]
            for p in pdf.pages:
                if "/StructParents" in p.obj:
                    del p.obj["/StructParents"]
        elif kind == "marked":
            strip_marked_texts(pdf)
    for pi in {p for p, _ in links}:
        annots = pdf.pages[pi].obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            pdf.pages[pi].obj.Annots = pikepdf.Array([a for ai, a in enumerate(annots) if (pi, ai) not in links])


def box_ops(info: Page, boxes: list[tuple[float, float, float, float]]) -> bytes:
    ops = [b"q 0 0 0 rg"]
    for x0, top, x1, bottom in boxes:
        ops.append(b"%.3f %.3f %.3f %.3f re f" % (x0, -bottom, x1 - x0, bottom - top))
    ops.append(b"Q\n")
    return b"\n".join(ops)

def changed(original: str, replacement: str) -> list[int]:
    """Positions of ``original`` that the replacement does not keep. New glyphs cannot be
    added to a PDF's embedded font subsets, so the copy shows a box where characters go. A
    same-length replacement that keeps only Latin letters and digits (110101********1234,
    139****5678) keeps those glyphs: such fragments fail the validators. Any other
    replacement removes the whole value: a kept surname without its 某 (张某 -> 张, 司马某 ->
    司马) would read as a new name."""
    if len(original) == len(replacement):
        changed = [k for k, (a, b) in enumerate(zip(original, replacement)) if a != b]
        kept = [original[k] for k in range(len(original)) if k not in set(changed)]
        if all(c.isascii() for c in kept):
            return changed
    return list(range(len(original)))

