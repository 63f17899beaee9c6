"""What the redacted copy drops: personal document properties and the XMP packet, thumbnails,
annotations other than links, form fields, embedded files; masked values in bookmark titles
and document properties are masked there."""
from __future__ import annotations

from ...document import Document, Edit
from .parts import outline_items


def scrub(pdf, meta: dict[str, list[Edit]], doc: Document) -> None:
    import pikepdf

    from ..text import apply_edits

    info = pdf.trailer.get("/Info")
    if info is not None:
        for key in list(info.keys()):
            name = key[1:]
            if key in ("/Author", "/LastModifiedBy"):
                del info[key]
            elif name in meta:
                seg_idx = meta[name][0].segment
                info[key] = pikepdf.String(apply_edits(doc.segments[seg_idx].text, meta[name]))
    if "structure" in meta:  # alternate texts hold a masked value: drop the tags
        for key in ("/StructTreeRoot", "/MarkInfo"):
            if key in pdf.Root:
                del pdf.Root[key]
        for p in pdf.pages:
            if "/StructParents" in p.obj:
                del p.obj["/StructParents"]
    for owner in [pdf.Root] + [p.obj for p in pdf.pages]:
        for key in ("/Metadata", "/PieceInfo", "/Thumb"):
            if key in owner:
                del owner[key]
    if "/Names" in pdf.Root and "/EmbeddedFiles" in pdf.Root.Names:
        del pdf.Root.Names["/EmbeddedFiles"]
    if "/AF" in pdf.Root:
        del pdf.Root["/AF"]
    for pi, page in enumerate(pdf.pages):
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        keep = [a for ai, a in enumerate(annots) if a.get("/Subtype") == "/Link" and f"link:{pi}:{ai}" not in meta]
        if keep:
            page.obj["/Annots"] = pikepdf.Array(keep)
        else:
            del page.obj["/Annots"]
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]
    for n, item in enumerate(outline_items(pdf)):
        key = f"outline:{n}"
        if key in meta:
            item["/Title"] = pikepdf.String(apply_edits(str(item.get("/Title", "")), meta[key]))
