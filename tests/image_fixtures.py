"""Generated pictures for the image tests: 'scans' of text drawn with a CJK font, plus metadata.

``scan_picture`` writes a JPEG, PNG or (multi-page) TIFF with synthetic personal data drawn in
the pixels and hidden in the metadata (EXIF Artist/UserComment/XPAuthor, GPS, PNG text chunks,
XMP, a JPEG comment); it returns ``(path, secrets)``.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pdf_fixtures import cjk_font_path

from redactor.synth import Synth


def draw(lines: list[str], size_px: int = 44, width_px: int = 1500, rotate: int = 0):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(cjk_font_path(), size_px, index=0)
    h = int(size_px * 2.0 * len(lines) + size_px * 2)
    img = Image.new("RGB", (width_px, h), (250, 250, 246))
    d = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        d.text((size_px * 2, size_px + i * size_px * 2.0), line, fill=(20, 20, 20), font=font)
    return img.rotate(rotate, expand=True) if rotate else img


def _exif(sec: dict[str, str], orientation: int | None = None):
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = sec["exif_artist"].encode("utf-8")      # Artist (UTF-8, as much software writes it)
    exif[0x010E] = ("申请材料扫描件 " + sec["exif_desc_mobile"]).encode("utf-8")  # ImageDescription
    exif[0x9C9D] = (sec["xp_author"] + "\x00").encode("utf-16-le")  # XPAuthor
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (25.0, 2.0, 30.5), "E", (102.0, 42.0, 10.1)
    return exif


def scan_picture(path: Path, fmt: str, seed: int = 11, *, metadata: bool = True, pages: int = 1,
                 rotate_by_exif: bool = False) -> tuple[Path, dict[str, str]]:
    from PIL import PngImagePlugin

    s = Synth.seeded(seed)
    sec = {"id": s.id18(), "mobile": s.mobile(), "exif_artist": "欧阳明华", "exif_desc_mobile": s.mobile(),
           "xp_author": "司马建国", "png_text_id": s.id18(), "xmp_mobile": s.mobile(), "comment_mobile": s.mobile()}
    lines = ["申请人身份证号码：" + sec["id"], "联系电话：" + sec["mobile"], "以上信息属实，特此证明。"]
    pics = [draw(lines)]
    for p in range(1, pages):
        sec[f"page{p + 1}_mobile"] = s.mobile()
        pics.append(draw([f"第{p + 1}页", "经办人电话：" + sec[f"page{p + 1}_mobile"], "审核意见：同意。"]))
    if rotate_by_exif:  # stored on its side, shown upright by the EXIF orientation tag
        pics = [pics[0].rotate(90, expand=True)]
    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>联系电话'
           f'{sec["xmp_mobile"]}</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>').encode()
    opts: dict = {"dpi": (200, 200)}
    if metadata:
        opts["exif"] = _exif(sec, orientation=6 if rotate_by_exif else None)
    if fmt == "JPEG":
        if metadata:
            opts["comment"] = ("备注 " + sec["comment_mobile"]).encode("utf-8")
            opts["xmp"] = xmp
        pics[0].save(path, format="JPEG", quality=95, **opts)
    elif fmt == "PNG":
        if metadata:
            info = PngImagePlugin.PngInfo()
            info.add_itxt("Description", "申请人身份证 " + sec["png_text_id"])
            info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
            info.add_text("Comment", "contact " + sec["comment_mobile"])
            opts["pnginfo"] = info
        pics[0].save(path, format="PNG", **opts)
    else:
        pics[0].save(path, format="TIFF", save_all=True, append_images=pics[1:], compression="tiff_lzw",
                     **({"dpi": (200, 200), "exif": opts["exif"]} if metadata else {"dpi": (200, 200)}))
    if not metadata:
        for k in ("exif_artist", "exif_desc_mobile", "xp_author", "png_text_id", "xmp_mobile", "comment_mobile"):
            del sec[k]
    elif fmt != "JPEG":
        for k in ("xmp_mobile",) if fmt == "TIFF" else ():
            del sec[k]
        if fmt == "TIFF":
            del sec["comment_mobile"]
            del sec["png_text_id"]
    if metadata and fmt == "JPEG":
        del sec["png_text_id"]
    return path, sec


def blank_picture(path: Path, fmt: str = "PNG") -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (800, 600), (240, 240, 240))
    ImageDraw.Draw(img).ellipse([200, 150, 600, 450], fill=(180, 30, 30))  # a seal-like shape, no text
    img.save(path, format=fmt)
    return path


def ocr_text(path: Path) -> str:
    """What Tesseract reads in every page of a picture, spaces removed: the tests' independent reader."""
    import subprocess

    from PIL import Image, ImageSequence

    with Image.open(path) as img:
        frames = [f.convert("RGB") for f in ImageSequence.Iterator(img)]
    sheet = Image.new("RGB", (max(f.width for f in frames), sum(f.height for f in frames)), "white")
    y = 0
    for f in frames:  # every page stacked: one Tesseract run
        sheet.paste(f, (0, y))
        y += f.height
    buf = io.BytesIO()
    sheet.save(buf, format="PNG")
    proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim+eng", "--psm", "6"],
                          input=buf.getvalue(), capture_output=True, check=True,
                          env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    return "".join(proc.stdout.decode("utf-8", "replace").split())
