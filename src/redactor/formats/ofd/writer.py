"""Write a redacted OFD copy (see the package docstring for what the copy keeps)."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from ...document import METADATA, Document, Edit
from ...errors import UnreadableFileError, VerificationError
from .package import Package, child
from .textcode import Box, TextObject, fmt_list, local

_DROPPED = {"annotation", "attachment", "signature", "image"}  # origins of segments whose source is not copied
PAD = 0.3  # mm added around a removed character's box


def changed(original: str, replacement: str) -> list[int]:
    """Positions of ``original`` that the copy does not keep. No glyph can be added to an
    embedded font subset, so removed characters leave a box. A same-length replacement that
    keeps only digits and Latin letters (110101********1234, 139****5678) keeps those
    glyphs (such fragments fail the validators); any other replacement removes the whole
    value: a surname left without its 某 (张某 -> 张) would read as a new name."""
    if len(original) == len(replacement):
        diff = [k for k, (a, b) in enumerate(zip(original, replacement)) if a != b]
        kept = set(range(len(original))) - set(diff)
        if all(original[k].isascii() for k in kept):
            return diff
    return list(range(len(original)))


class _Parts:
    """Parts parsed for editing, with their elements listed once (before any change)."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.roots: dict[str, object] = {}
        self.elements: dict[str, list] = {}
        self.texts: dict[str, list] = {}

    def root(self, part: str):
        if part not in self.roots:
            self.roots[part] = self.pkg.parse(part)
            self.elements[part] = list(self.roots[part].iter())
            self.texts[part] = [el for el in self.elements[part] if local(el) == "TextObject"]
        return self.roots[part]

    def element(self, part: str, n: int):
        self.root(part)
        return self.elements[part][n]

    def text_object(self, part: str, n: int):
        self.root(part)
        return self.texts[part][n]


def write(doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
    h = doc.handle
    pkg = Package(Path(h.path).read_bytes(), doc.path)
    parts = _Parts(pkg)
    doomed: dict[tuple[str, int], dict[int, set[int]]] = {}
    boxes: dict[tuple[str, int], list[Box]] = {}
    values: dict[int, list[Edit]] = {}
    masked: list[str] = []
    for e in edits:
        seg = doc.segments[e.segment]
        masked.append(seg.text[e.start:e.end])
        if e.segment in h.maps:
            cmap = h.maps[e.segment]
            for k in changed(seg.text[e.start:e.end], e.replacement):
                ci = cmap[e.start + k]
                if ci >= 0:
                    c = h.chars[ci]
                    doomed.setdefault((c.part, c.obj), {}).setdefault(c.code, set()).add(c.index)
                    boxes.setdefault((c.part, c.obj), []).append(c.box)
        elif e.segment in h.values:
            values.setdefault(e.segment, []).append(e)
        elif seg.origin not in _DROPPED and seg.origin != METADATA:
            raise UnreadableFileError(f"cannot place an edit in a {seg.origin} segment", path=doc.path)

    # resolve every element reference before anything changes
    value_targets = {seg: (parts.element(p, n), attr) for seg, (p, n, attr) in h.values.items() if seg in values}
    removals = [parts.element(p, n) for p, n in h.removals]
    objects = {key: parts.text_object(*key) for key in doomed}

    from ..text import apply_edits

    for seg, group in values.items():
        el, attr = value_targets[seg]
        new = apply_edits(doc.segments[seg].text, group)
        if attr:
            el.set(attr, new)
        else:
            el.text = new

    next_id = dict(h.max_ids)
    painted: dict[str, bytes] = {}
    for (part, oi), codes in doomed.items():
        el = objects[(part, oi)]
        obj = TextObject(el)
        parent = el.getparent()
        at = parent.index(el)
        part_boxes = boxes[(part, oi)]
        if obj.has_glyph_map:  # glyphs chosen by the object itself: take the whole object out
            part_boxes = [c.box for c in obj.chars()]
            parent.remove(el)
        else:
            obj.remove(codes)
            if not any(local(c) == "TextCode" for c in el):
                parent.remove(el)
            else:
                at += 1
        dkey = h.part_doc.get(part, "")
        for k, (x0, top, x1, bottom) in enumerate(_merge(part_boxes)):
            next_id[dkey] = next_id.get(dkey, 0) + 1
            parent.insert(at + k, _box(el.tag, next_id[dkey], x0 - PAD, top - PAD, x1 + PAD, bottom + PAD))
        _paint_pictures(pkg, h.images.get(part, []), part_boxes, painted, doc.path)

    for el in removals:
        if el.getparent() is not None:
            el.getparent().remove(el)
    for droot_name, value in next_id.items():
        if droot_name and value != h.max_ids.get(droot_name):
            common = child(parts.root(droot_name), "CommonData")
            max_el = child(common, "MaxUnitID") if common is not None else None
            if max_el is not None:
                max_el.text = str(value)

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in h.keep:
            if name in parts.roots:
                data = etree.tostring(parts.roots[name], xml_declaration=True, encoding="UTF-8")
            elif name in painted:
                data = painted[name]
            else:
                data = pkg.read(name)
            z.writestr(name, data)
    _net(buf.getvalue(), masked, doc.path)
    Path(out_path).write_bytes(buf.getvalue())


def _box(tag: str, ident: int, x0: float, top: float, x1: float, bottom: float):
    """A filled black rectangle (PathObject) in the namespace of ``tag``."""
    ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else None

    def q(name: str) -> str:
        return f"{{{ns}}}{name}" if ns else name

    w, hgt = max(x1 - x0, 0.1), max(bottom - top, 0.1)
    path = etree.Element(q("PathObject"))
    path.set("ID", str(ident))
    path.set("Boundary", fmt_list([x0, top, w, hgt]))
    path.set("Fill", "true")
    path.set("Stroke", "false")
    etree.SubElement(path, q("FillColor")).set("Value", "0 0 0")
    etree.SubElement(path, q("AbbreviatedData")).text = f"M 0 0 L {fmt_list([w])} 0 L {fmt_list([w, hgt])} L 0 {fmt_list([hgt])} C"
    return path


def _merge(boxes: list[Box]) -> list[Box]:
    """Boxes of neighbouring characters on one line as one box."""
    out: list[list[float]] = []
    for x0, t, x1, b in sorted(boxes, key=lambda r: (round(r[1], 1), r[0])):
        if out:
            cx0, ct, cx1, cb = out[-1]
            h = max(cb - ct, b - t, 0.1)
            if min(cb, b) - max(ct, t) > 0.5 * min(cb - ct, b - t) and x0 <= cx1 + 0.6 * h and x1 >= cx0 - 0.6 * h:
                out[-1] = [min(cx0, x0), min(ct, t), max(cx1, x1), max(cb, b)]
                continue
        out.append([x0, t, x1, b])
    return [tuple(r) for r in out]  # type: ignore[misc]


def _paint_pictures(pkg: Package, images, boxes: list[Box], painted: dict[str, bytes], path: str) -> None:
    """Paint the boxes into every picture they overlap (a scan under a text layer)."""
    for im in images:
        bx, by, bw, bh = im.boundary
        hits = [b for b in boxes if b[0] < bx + bw and b[2] > bx and b[1] < by + bh and b[3] > by]
        if not hits:
            continue
        a, b, c, d, e, f = (list(im.ctm) + [0] * 6)[:6]
        if im.media is None or abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
            raise UnreadableFileError("a masked value lies over a picture that cannot be painted (unknown or "
                                      "rotated picture); no copy written", path=path)
        from PIL import Image, ImageDraw, UnidentifiedImageError

        try:
            img = Image.open(io.BytesIO(painted.get(im.media) or pkg.read(im.media)))
            img.load()
        except (UnidentifiedImageError, OSError, ValueError):
            raise UnreadableFileError("a masked value lies over a picture in a format that cannot be painted "
                                      "(e.g. JBIG2); no copy written", path=path) from None
        fmt = img.format or "PNG"
        if img.mode not in ("1", "L", "RGB"):
            img = img.convert("RGB")
        w_px, h_px = img.size
        draw = ImageDraw.Draw(img)
        black = 0 if img.mode in ("1", "L") else (0, 0, 0)
        for x0, t, x1, bt in hits:
            u0, u1 = (x0 - bx - e) / a * w_px, (x1 - bx - e) / a * w_px
            v0, v1 = (t - by - f) / d * h_px, (bt - by - f) / d * h_px
            draw.rectangle([max(0, u0 - 2), max(0, v0 - 2), min(w_px, u1 + 2), min(h_px, v1 + 2)], fill=black)
        out = io.BytesIO()
        img.save(out, format=fmt, **({"quality": 92} if fmt == "JPEG" else {}))
        painted[im.media] = out.getvalue()


def _net(data: bytes, masked: Sequence[str], path: str) -> None:
    """Search every text node and attribute of the copy's XML parts for the masked values."""
    from ...residue import find_residue

    values = [v for v in masked if v.strip()]
    if not values:
        return
    z = zipfile.ZipFile(io.BytesIO(data))
    texts: list[str] = []
    for name in z.namelist():
        if not name.lower().endswith(".xml"):
            continue
        root = etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
        for el in root.iter():
            if isinstance(el.tag, str):
                texts += [v for v in el.attrib.values() if not _numeric(v)]
                if el.text and el.text.strip():
                    texts.append(el.text)
            texts.append("\n")  # text of separate elements is never one value
    hits = find_residue("\n".join(texts).encode("utf-8"), values)
    if hits:
        raise VerificationError("a masked value is still in the copy's XML; no copy written", path=path)


def _numeric(value: str) -> bool:
    return all(t.replace(".", "", 1).replace("-", "", 1).isdigit() or t == "g" for t in value.split())
