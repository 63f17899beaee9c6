"""Writing the redacted copy: the glyphs of masked values (and all text under dark boxes)
removed from the content streams with a box drawn in their place, scanned pages re-rendered
with the values painted out, then the parts the copy does not keep scrubbed (``scrub.py``)."""
from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from ...document import METADATA, Document, Edit
from ...errors import UnreadableFileError
from .geometry import merge_boxes
from .model import ANNOTATION, OUTLINE, STRUCTURE, Handle, Page
from .ocr_pages import rasterise
from .scrub import scrub


def write(doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
    import pikepdf

    from .content import ContentMismatch, FontCache, paint_images, remove_glyphs

    h: Handle = doc.handle
    remove: dict[int, set[int]] = {}
    paint: dict[int, list[tuple[float, float, float, float]]] = {}
    meta: dict[str, list[Edit]] = {}
    for e in edits:
        seg = doc.segments[e.segment]
        span = changed(seg.text[e.start:e.end], e.replacement)
        if e.segment in h.maps:
            cmap = h.maps[e.segment]
            ids = [cmap[e.start + k] for k in span if cmap[e.start + k] >= 0]
            remove.setdefault(h.seg_page[e.segment], set()).update(ids)
        elif e.segment in h.ocr_maps:
            boxes = h.ocr_maps[e.segment]
            paint.setdefault(h.seg_page[e.segment], []).extend(boxes[e.start + k] for k in span)
        elif seg.origin == METADATA:
            meta.setdefault(str(seg.location.get("property")), []).append(e)
        elif seg.origin == STRUCTURE:
            meta.setdefault("structure", [])
        elif seg.origin == OUTLINE:
            meta.setdefault(f"outline:{seg.location['outline']}", []).append(e)
        elif seg.origin == ANNOTATION and seg.location.get("subtype") == "Link":
            meta.setdefault(f"link:{seg.location['page'] - 1}:{seg.location['annotation']}", [])
    for pi, page in enumerate(h.pages):
        if page.under_box:
            remove.setdefault(pi, set()).update(page.under_box)

    pdf = pikepdf.open(h.path)
    try:
        fonts = FontCache()
        for pi, ids in sorted(remove.items()):
            if not ids:
                continue
            info = h.pages[pi]
            boxes = merge_boxes([info.boxes[c] for c in sorted(ids)])
            try:
                images = remove_glyphs(pdf, pdf.pages[pi], ids, fonts, expected=len(info.boxes), append=box_ops(info, boxes))
            except ContentMismatch as e:
                raise UnreadableFileError(f"page {info.number}: cannot locate the text to remove ({e})", path=doc.path) from None
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
                    rasterise(pdf, pdf.pages[pi], pium, pi, pboxes)
            finally:
                pium.close()
        scrub(pdf, meta, doc)
        pdf.save(out_path)
    finally:
        pdf.close()

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

