"""Pictures: OCR'd, masked values painted over, metadata removed by encoding the pixels anew.

The copy is checked by an independent OCR run (Tesseract called directly, another page
segmentation mode) for every planted value, by ``redactor.residue.find_residue`` over its bytes
(EXIF, XMP, text chunks, comments), and by Pillow for what metadata is left.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from PIL import Image

from redactor.formats import ocr
from redactor.formats.image import ImageAdapter
from redactor.pipeline import Redactor
from redactor.policy import Policy
from redactor.report import render_html, to_sarif
from redactor.reporting import RunReport
from redactor.residue import find_residue

sys.path.insert(0, str(Path(__file__).parent))
import image_fixtures as F

needs_ocr = pytest.mark.skipif(ocr.available() is not None, reason="Tesseract with chi_sim is not installed")
POLICY = Policy(names=False)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(POLICY)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_ocr
@pytest.mark.parametrize("fmt, ext", [("JPEG", "jpg"), ("TIFF", "tif")])
def test_values_painted_and_metadata_gone(tmp_path, redactor, fmt, ext):
    src, secrets = F.scan_picture(tmp_path / f"扫描件.{ext}", fmt, pages=2 if fmt == "TIFF" else 1)
    assert find_residue(src, [v for k, v in secrets.items() if k.startswith(("exif_desc", "png", "xmp", "comment"))])
    before = sha(src)
    out = tmp_path / "out" / f"扫描件.{ext}"
    report = redactor.redact(src, out)
    assert sha(src) == before
    assert report.verdict == "redact" and report.error is None, report.reasons
    kinds = {(r.kind, r.location.get("origin")) for r in report.findings}
    assert {("id_card", "ocr"), ("mobile", "ocr"), ("metadata", "metadata"), ("ocr_page", "ocr")} <= kinds
    if fmt == "TIFF":
        assert any(r.kind == "mobile" and r.location.get("page") == 2 for r in report.findings)
    # independent OCR of the copy: no planted value can be read; the words around them can
    seen = F.ocr_text(out)  # all pages at once
    for key in ("id", "mobile", "page2_mobile"):
        if key in secrets:
            assert secrets[key] not in seen and secrets[key][-6:] not in seen, key
    assert "特此证明" in seen or "以上信息属实" in seen
    # every byte of the copy: no metadata value, no name
    assert find_residue(out, list(secrets.values())) == []
    with Image.open(out) as im:
        layout = {256, 257, 258, 259, 262, 273, 277, 278, 279, 282, 283, 284, 296, 317}  # a TIFF's own structure
        assert im.format == fmt and not set(im.getexif()) - layout, dict(im.getexif())
        assert not [k for k in im.info if k not in ("dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density",
                                                       "compression", "resolution")], im.info
        assert round(im.info["dpi"][0]) == 200
        if fmt == "TIFF":
            assert im.n_frames == 2
    blob = json.dumps([r.to_dict() for r in report.findings], ensure_ascii=False)
    for v in secrets.values():
        assert v not in blob
    if fmt == "TIFF":  # the HTML report and SARIF show the page of each finding
        run = RunReport(files=[report])
        assert "page 2 · paragraph 1" in render_html(run)
        assert "page 2 · paragraph 1" in json.dumps(to_sarif(run), ensure_ascii=False)


@needs_ocr
def test_exif_orientation_is_applied_before_reading(tmp_path, redactor):
    src, _secrets = F.scan_picture(tmp_path / "rot.jpg", "JPEG", rotate_by_exif=True)
    doc = ImageAdapter().extract(src)  # read upright: the ID is found
    assert any(f.kind == "id_card" for f in redactor.scan_document(doc))
    out = tmp_path / "rot.out.jpg"
    ImageAdapter().write(doc, [], out)
    with Image.open(src) as a, Image.open(out) as b:
        assert a.size == (b.size[1], b.size[0]) and not b.getexif()  # stored sideways, written upright


@needs_ocr
def test_picture_without_text_or_metadata_is_published(tmp_path, redactor):
    src = F.blank_picture(tmp_path / "seal.png")
    report = redactor.redact(src, tmp_path / "o.png")
    assert report.verdict == "publish", report.reasons
    assert [r.kind for r in report.findings] == ["ocr_page"]  # OCR ran: that is what makes it publishable
    assert sha(src) == sha(tmp_path / "o.png")


@pytest.fixture
def no_text_ocr(monkeypatch):
    """OCR that runs and finds nothing: for tests about metadata, not pixels."""
    monkeypatch.setattr(ocr, "available", lambda: None)
    monkeypatch.setattr(ocr, "ocr_png", lambda png, timeout=120.0: [])


@pytest.mark.parametrize("fmt, ext", [("PNG", "png"), ("JPEG", "jpg"), ("TIFF", "tiff")])
def test_metadata_is_reported_and_the_copy_has_none(tmp_path, redactor, no_text_ocr, fmt, ext):
    src, secrets = F.scan_picture(tmp_path / f"m.{ext}", fmt)
    planted = {k: v for k, v in secrets.items() if k not in ("id", "mobile")}
    out = tmp_path / f"o.{ext}"
    report = redactor.redact(src, out)
    assert report.verdict == "redact" and report.error is None
    assert {r.kind for r in report.findings} >= {"ocr_page", "metadata"}
    meta = next(r for r in report.findings if r.kind == "metadata")
    assert meta.location["origin"] == "metadata" and "EXIF" in meta.location["property"]
    assert find_residue(src, list(planted.values()))  # planted, and found in the input
    assert find_residue(out, list(planted.values())) == []
    doc = ImageAdapter().extract(src)
    text = next(s.text for s in doc.segments if s.origin == "metadata")
    for v in planted.values():  # readable text: UTF-8 in EXIF ASCII fields, UTF-16 XP tags, text chunks
        assert v in text


def test_without_tesseract_a_picture_is_an_error_with_the_install_hint(tmp_path, redactor, monkeypatch):
    src = F.blank_picture(tmp_path / "x.jpg", "JPEG")
    monkeypatch.setenv("REDACTOR_OCR", "0")
    report = redactor.scan(src)
    assert report.verdict == "error" and str(src) in report.error
    assert "tesseract-ocr-chi-sim" in report.error and "[E200]" in report.error
    monkeypatch.delenv("REDACTOR_OCR")
    monkeypatch.setenv("REDACTOR_TESSERACT", str(tmp_path / "missing"))
    assert redactor.scan(src).verdict == "error"


@needs_ocr
@pytest.mark.parametrize("data, needle", [
    (b"\xff\xd8\xff\xe0 truncated", "not a readable picture"),
    (b"GIF89a" + bytes(40), "not a readable picture"),
    (b"", "empty"),
])
def test_bad_pictures_are_errors_naming_the_file(tmp_path, redactor, data, needle):
    p = tmp_path / "坏.jpg"
    p.write_bytes(data)
    report = redactor.scan(p)
    assert report.verdict == "error" and str(p) in report.error and needle in report.error, report.error


@needs_ocr
def test_a_gif_under_a_picture_name_is_refused(tmp_path, redactor):
    p = tmp_path / "x.png"
    Image.new("RGB", (40, 40)).save(p, format="GIF")
    report = redactor.scan(p)
    assert report.verdict == "error" and "GIF" in report.error


def test_a_picture_over_the_pixel_limit_is_refused(tmp_path, redactor, no_text_ocr, monkeypatch):
    import redactor.formats.image as image

    src = F.blank_picture(tmp_path / "big.png")
    monkeypatch.setattr(image, "MAX_PIXELS", 1000)
    report = redactor.scan(src)
    assert report.verdict == "error" and "800 x 600 pixels" in report.error
