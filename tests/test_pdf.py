"""PDF adapter: golden cases on generated PDFs, checked with independent readers.

Every redacted copy is opened with pdfplumber (the adapter's reader), pypdfium2 (pdfium, an
independent text extractor) and pikepdf (the whole file decompressed: content streams,
Info, XMP, annotations, embedded files) to prove the value is gone, and the rest of the
text is still selectable.
"""
from __future__ import annotations

import hashlib
import os
import io
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pikepdf = pytest.importorskip("pikepdf")
pdfplumber = pytest.importorskip("pdfplumber")
pdfium = pytest.importorskip("pypdfium2")

import pdf_fixtures as F  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from redactor.cli import main  # noqa: E402
from redactor.document import Edit  # noqa: E402
from redactor.errors import UnreadableFileError  # noqa: E402
from redactor.formats import ocr  # noqa: E402
from redactor.formats.pdf import PdfAdapter  # noqa: E402
from redactor.formats.pdf.geometry import luma as _luma, merge_boxes as _merge  # noqa: E402
from redactor.formats.pdf.layout import joiner as _joiner  # noqa: E402
from redactor.formats.pdf.write import changed as _changed  # noqa: E402
from redactor.formats.pdf.content import FontCache, code_spans  # noqa: E402
from redactor.pipeline import Redactor  # noqa: E402
from redactor.policy import Policy  # noqa: E402

if F.cjk_font_path() is None:
    pytest.skip("no CJK TrueType font (Debian: fonts-wqy-zenhei)", allow_module_level=True)

FAST = Policy(names=False)
needs_ocr = pytest.mark.skipif(ocr.available() is not None, reason="Tesseract with chi_sim is not installed")


# --- independent readers ----------------------------------------------------------------------
def squash(s: str) -> str:
    return "".join(s.split())


def plumber_pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def pdfium_pages(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(doc)):
            tp = doc[i].get_textpage()
            out.append(tp.get_text_range())
            tp.close()
        return out
    finally:
        doc.close()


def raw_bytes(path: Path) -> bytes:
    """The whole file with every stream decompressed and no object streams (qpdf's QDF form)."""
    with pikepdf.open(path) as pdf:
        buf = io.BytesIO()
        pdf.save(buf, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 stream_decode_level=pikepdf.StreamDecodeLevel.all, compress_streams=False)
        return buf.getvalue()


def encodings(value: str) -> list[bytes]:
    return [value.encode("utf-8"), value.encode("utf-16-be"), ("\ufeff" + value).encode("utf-16-be")] + (
        [value.encode("ascii")] if value.isascii() else [])


def assert_gone(path: Path, value: str) -> None:
    """The value cannot be read from the file by any of the three readers."""
    v = squash(value)
    assert v not in squash("".join(plumber_pages(path))), "pdfplumber still reads it"
    assert v not in squash("".join(pdfium_pages(path))), "pdfium still reads it"
    raw = raw_bytes(path)
    for enc in encodings(value):
        assert enc not in raw, f"raw file still contains {enc!r}"


def assert_selectable(path: Path, *texts: str) -> None:
    plumber, ium = squash("".join(plumber_pages(path))), squash("".join(pdfium_pages(path)))
    for t in texts:
        assert squash(t) in plumber, f"{t!r} not extractable by pdfplumber"
        assert squash(t) in ium, f"{t!r} not extractable by pdfium"


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def redact(src: Path, out: Path, policy: Policy = FAST):
    before = sha(src)
    rep = Redactor(policy).redact(src, out)
    assert sha(src) == before, "the input was modified"
    return rep


def kinds(rep) -> set[str]:
    return {f.kind for f in rep.findings}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    d = tmp_path_factory.mktemp("pdfs")
    out = {}
    for name in ("body_id", "table_wrap", "fake_redaction", "metadata", "annotation", "attachment", "clean"):
        path = d / f"{name}.pdf"
        out[name] = (path, getattr(F, name)(path))
    for name in ("body_id", "table_wrap", "fake_redaction"):
        path = d / f"{name}_subset.pdf"
        out[name + "_subset"] = (path, getattr(F, name)(path, cjk="subset"))
    return out


# --- golden cases ---------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["body_id", "body_id_subset"])
def test_id_in_body_wrapping_across_lines_is_removed(pdfs, tmp_path, case):
    src, v = pdfs[case]
    doc = PdfAdapter().extract(src)
    # The ID wraps after its 8th digit, yet one paragraph segment holds all of it.
    assert any(v["id"] in s.text and s.origin == "body" for s in doc.segments)
    assert v["id"] not in "".join(plumber_pages(src)).replace("\n", "|")  # it really is wrapped
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert rep.verdict == "redact" and rep.output == str(out)
    assert {"id_card", "mobile"} <= kinds(rep)
    assert_gone(out, v["id"])
    assert_gone(out, v["mobile"])
    # Masking keeps the characters the operator keeps (110101********1234) as text.
    assert_selectable(out, v["keep"], v["keep2"], v["id"][:6], v["id"][-4:], "关于发放困难群众临时救助金的公示")


def test_kept_text_does_not_move(pdfs, tmp_path):
    src, v = pdfs["body_id"]
    out = tmp_path / "out.pdf"
    redact(src, out)
    with pdfplumber.open(src) as a, pdfplumber.open(out) as b:
        before = {(c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in a.pages[0].chars}
        after = [(c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in b.pages[0].chars]
        removed = len(a.pages[0].chars) - len(b.pages[0].chars)
    assert after and all(c in before for c in after)
    assert removed == 8 + 4  # the middle of the ID and of the mobile (names are off here)


def test_id_wrapped_in_table_cell(pdfs, tmp_path):
    src, v = pdfs["table_wrap"]
    doc = PdfAdapter().extract(src)
    cells = [s for s in doc.segments if s.origin == "table" and s.column_header == v["header"]]
    assert [s.text for s in cells] == v["ids"]
    assert {tuple(sorted(s.location)) for s in cells} == {("col", "page", "row", "table")}
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert sum(1 for f in rep.findings if f.kind == "id_card") == 3
    for idn, mob in zip(v["ids"], v["mobiles"]):
        assert_gone(out, idn)
        assert_gone(out, mob)
    assert_selectable(out, v["keep"], v["header"], "补贴发放名册")
    with pdfplumber.open(src) as a, pdfplumber.open(out) as b:
        ta, tb = a.pages[0].find_tables(), b.pages[0].find_tables()
        assert len(ta) == len(tb) == 1
        assert len(ta[0].rows) == len(tb[0].rows) and len(ta[0].columns) == len(tb[0].columns)


@pytest.mark.parametrize("case", ["fake_redaction", "fake_redaction_subset"])
def test_fake_redaction_is_reported_and_really_removed(pdfs, tmp_path, case):
    src, v = pdfs[case]
    doc = PdfAdapter().extract(src)
    notes = [f for f in doc.notices if f.kind == "fake_redaction"]
    assert len(notes) == 1 and doc.segments[notes[0].segment].origin == "under_box"
    assert notes[0].text == v["id"]
    # The hidden text is read in its place, after its label, like visible text.
    assert any(v["keep2"] + "：" + v["id"] in s.text.split("\n") for s in doc.segments if s.origin == "body")
    rep = redact(src, tmp_path / "out.pdf")
    assert {"fake_redaction", "id_card"} <= kinds(rep)
    assert_gone(tmp_path / "out.pdf", v["id"])
    assert_selectable(tmp_path / "out.pdf", v["keep"], v["keep2"])
    # The copy still shows a box there, and nothing is under any box any more.
    with pdfplumber.open(tmp_path / "out.pdf") as pdf:
        assert any(r.get("fill") and r["width"] > 20 for r in pdf.pages[0].rects)
    again = PdfAdapter().extract(tmp_path / "out.pdf")
    assert not [f for f in again.notices if f.kind == "fake_redaction"]


def test_text_under_a_box_goes_even_without_findings(pdfs, tmp_path):
    src, v = pdfs["fake_redaction"]
    doc = PdfAdapter().extract(src)
    out = tmp_path / "out.pdf"
    PdfAdapter().write(doc, [], out)
    assert_gone(out, v["id"])
    assert_selectable(out, v["keep"])


def test_metadata_reported_and_scrubbed(pdfs, tmp_path):
    src, v = pdfs["metadata"]
    rep = redact(src, tmp_path / "out.pdf")
    meta = [f for f in rep.findings if f.kind == "metadata"]
    assert {f.location.get("property") for f in meta} == {"Author", "XMP"}
    assert "id_card" in kinds(rep)  # the ID in the Subject property
    out = tmp_path / "out.pdf"
    with pikepdf.open(out) as pdf:
        assert "/Author" not in pdf.docinfo
        assert "/Metadata" not in pdf.Root
        assert str(pdf.docinfo["/Title"]) == "工作简报"
    assert_gone(out, v["author"])
    assert_gone(out, v["id"])
    assert_selectable(out, v["keep"])


def test_annotation_reported_and_removed(pdfs, tmp_path):
    src, v = pdfs["annotation"]
    doc = PdfAdapter().extract(src)
    note = [f for f in doc.notices if f.kind == "annotation"]
    assert len(note) == 1 and v["mobile"] in doc.segments[note[0].segment].text
    rep = redact(src, tmp_path / "out.pdf")
    assert {"annotation", "mobile"} <= kinds(rep)
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        assert "/Annots" not in pdf.pages[0].obj
    assert_gone(tmp_path / "out.pdf", v["mobile"])
    assert_selectable(tmp_path / "out.pdf", v["keep"])


def test_attachment_reported_and_removed(pdfs, tmp_path):
    src, v = pdfs["attachment"]
    assert v["id"].encode() in raw_bytes(src)
    rep = redact(src, tmp_path / "out.pdf")
    att = [f for f in rep.findings if f.kind == "attachment"]
    assert len(att) == 1 and att[0].location["attachment"] == v["name"]
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        assert len(pdf.attachments) == 0
    assert_gone(tmp_path / "out.pdf", v["id"])
    assert_selectable(tmp_path / "out.pdf", v["keep"])


# --- scanned pages ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    return path, F.scanned(path, with_text_page=True)


@needs_ocr
def test_scanned_page_is_ocrd_and_painted_over(scan, tmp_path):
    src, v = scan
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert rep.verdict == "redact", rep.reasons
    ocr_ids = [f for f in rep.findings if f.kind == "id_card"]
    assert ocr_ids and ocr_ids[0].location["origin"] == "ocr"
    assert any(f.kind == "ocr_page" and f.verdict == "info" for f in rep.findings)
    # The scanned page is now one new image; the original picture is not in the file.
    with pikepdf.open(out) as pdf, pikepdf.open(src) as orig:
        xobjs = pdf.pages[0].obj.Resources.XObject
        assert list(xobjs.keys()) == ["/RdScan"]
        old = next(iter(orig.pages[0].obj.Resources.XObject.values())).read_raw_bytes()
        assert all(o.read_raw_bytes() != old for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/Width" in o)
    # Re-OCR of the copy (an independent Tesseract run) no longer reads the values.
    doc = pdfium.PdfDocument(str(out))
    from redactor.formats.pdf import render_png

    words = ocr.ocr_png(render_png(doc, 0))
    doc.close()
    text = "".join(line.text for line in ocr.words_to_lines(words))
    assert "申请人身份证号码" in text  # the rest of the page is still readable
    assert v["id"] not in text and v["mobile"] not in text
    assert_gone(out, v["id"])
    assert_selectable(out, "第二页：正文文字层")  # the text page is untouched


def test_scanned_page_without_ocr_blocks(scan, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REDACTOR_OCR", "0")
    src, _ = scan
    rep = Redactor(FAST).scan(src)
    assert rep.verdict == "block"
    f = [f for f in rep.findings if f.kind == "no_text_layer"]
    assert len(f) == 1 and f[0].location["page"] == 1 and "OCR" in f[0].explanation
    # Blocked files are not written.
    assert Redactor(FAST).redact(src, tmp_path / "out.pdf").output is None
    assert not (tmp_path / "out.pdf").exists()
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(src, folder / "scan.pdf")
    assert main(["check", str(folder), "--json", "--no-names"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["files"][0]["verdict"] == "block"


def test_missing_tesseract_binary_blocks(scan, monkeypatch):
    monkeypatch.setenv("REDACTOR_TESSERACT", "/nonexistent/tesseract")
    assert ocr.available() is not None
    assert Redactor(FAST).scan(scan[0]).verdict == "block"


# --- round trip -------------------------------------------------------------------------------------
@pytest.mark.parametrize("cjk", ["identity", "subset"])
def test_round_trip_without_findings_keeps_text_per_page(tmp_path, cjk):
    src = tmp_path / "clean.pdf"
    F.clean(src, cjk=cjk, pages=3)
    rep = Redactor(FAST).scan(src)
    assert rep.verdict == "publish", rep.reasons
    doc = PdfAdapter().extract(src)
    out = tmp_path / "out.pdf"
    PdfAdapter().write(doc, [], out)
    assert plumber_pages(out) == plumber_pages(src)
    assert pdfium_pages(out) == pdfium_pages(src)
    assert [s.text for s in PdfAdapter().extract(out).segments if s.origin == "body"] == [
        s.text for s in doc.segments if s.origin == "body"]


def _chars(path: Path) -> list[tuple[str, float, float]]:
    with pdfplumber.open(path) as pdf:
        return [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for p in pdf.pages for c in p.chars]


@pytest.fixture(scope="module")
def clean_doc(tmp_path_factory):
    src = tmp_path_factory.mktemp("clean") / "clean.pdf"
    F.clean(src, pages=2)
    return src, PdfAdapter().extract(src), _chars(src)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_property_removing_any_span_removes_exactly_its_glyphs(clean_doc, tmp_path_factory, data):
    """Whatever spans are edited, the copy holds exactly the other glyphs, at the same places."""
    src, doc, before = clean_doc
    body = [i for i, s in enumerate(doc.segments) if s.origin == "body" and len(s.text) > 2]
    edits = []
    for seg in data.draw(st.lists(st.sampled_from(body), min_size=1, max_size=3, unique=True)):
        n = len(doc.segments[seg].text)
        a = data.draw(st.integers(0, n - 1))
        b = data.draw(st.integers(a + 1, min(n, a + 12)))
        edits.append(Edit(seg, a, b, "*" * (b - a)))
    out = tmp_path_factory.mktemp("prop") / "out.pdf"
    PdfAdapter().write(doc, edits, out)
    h = doc.handle
    gone = {c for e in edits for c in h.maps[e.segment][e.start:e.end] if c >= 0}  # document-wide indices
    expected = [c for i, c in enumerate(before) if i not in gone]
    assert _chars(out) == expected


# --- content streams: operators, spacing, forms ---------------------------------------------------
def _hand_made(path: Path, content: bytes, form: bool = False) -> None:
    pdf = pikepdf.new()
    helv = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding))
    res = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helv))
    if form:
        xo = pikepdf.Stream(pdf, content)
        xo.Type, xo.Subtype, xo.BBox, xo.Resources = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 612, 792], res
        for _ in range(2):  # the same form on two pages
            page = pdf.add_blank_page(page_size=(612, 792))
            page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=xo))
            page.obj.Contents = pdf.make_stream(b"q /Fm0 Do Q")
    else:
        page = pdf.add_blank_page(page_size=(612, 792))
        page.obj.Resources = res
        page.obj.Contents = pdf.make_stream(content)
    pdf.save(path)


def test_tj_quote_operators_with_char_and_word_spacing(tmp_path):
    src = tmp_path / "ops.pdf"
    idn = F._synth(9).id18()
    _hand_made(src, b"BT /F1 12 Tf 1.5 Tc 4 Tw 14 TL 72 700 Td (Tel 13912345678 ok) Tj "
                    b"(ID %s end) ' 2 0.5 (Card 6222021234567890 x) \" "
                    b"[(Phone) -200 ( 15812345678)] TJ ET" % idn.encode())
    doc = PdfAdapter().extract(src)
    rep = Redactor(FAST).redact(src, tmp_path / "out.pdf")
    assert {"mobile", "id_card"} <= kinds(rep), rep.reasons
    out = tmp_path / "out.pdf"
    for value in ("13912345678", idn, "15812345678"):
        assert_gone(out, value)
    before = {(c, x, t) for c, x, t in _chars(src)}
    after = _chars(out)
    # Kept glyphs do not move (pdfminer places the glyph after a leading adjustment by Tc).
    for c, x, t in after:
        assert any(c == c2 and abs(x - x2) <= 2.01 and t == t2 for c2, x2, t2 in before), (c, x, t)
    assert_selectable(out, "Tel", "ok", "end", "Phone")
    assert len(doc.segments) >= 1


def test_text_in_a_shared_form_xobject(tmp_path):
    src = tmp_path / "form.pdf"
    _hand_made(src, b"BT /F1 12 Tf 72 700 Td (Mobile 13912345678) Tj ET", form=True)
    out = tmp_path / "out.pdf"
    rep = Redactor(FAST).redact(src, out)
    assert rep.verdict == "redact"
    assert_gone(out, "13912345678")
    assert_selectable(out, "Mobile")
    with pikepdf.open(out) as pdf:
        names = [list(p.obj.Resources.XObject.keys()) for p in pdf.pages]
        assert all(n == ["/RdX0_0"] for n in names)  # each page has its own edited copy
        assert len([o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"]) == 2


# --- bad files ----------------------------------------------------------------------------------------
def test_corrupt_and_encrypted_files_are_errors_and_the_folder_goes_on(pdfs, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(pdfs["body_id"][0], folder / "good.pdf")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n%%garbage")
    (folder / "not_a_pdf.pdf").write_bytes(b"PK\x03\x04 this is a zip file")
    with pikepdf.open(pdfs["clean"][0]) as pdf:
        pdf.save(folder / "password.pdf", encryption=pikepdf.Encryption(user="secret", owner="owner"))
        pdf.save(folder / "restricted.pdf", encryption=pikepdf.Encryption(user="", owner="owner"))
    code = main(["check", str(folder), "--json", "--no-names"])
    assert code == 3
    files = {Path(f["path"]).name: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert files["good.pdf"]["verdict"] == "redact"
    for name in ("corrupt.pdf", "not_a_pdf.pdf", "password.pdf", "restricted.pdf"):
        assert files[name]["verdict"] == "error", name
    assert "password" in files["password.pdf"]["error"]
    assert "encrypted" in files["restricted.pdf"]["error"]
    assert "not a PDF" in files["not_a_pdf.pdf"]["error"]


def test_unreadable_raises_the_library_error(tmp_path):
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF-1.4\nnothing here")
    with pytest.raises(UnreadableFileError):
        PdfAdapter().extract(p)


def test_redacting_a_folder_writes_verified_copies_and_leaves_inputs_alone(pdfs, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("body_id", "table_wrap", "fake_redaction", "annotation", "clean"):
        shutil.copy(pdfs[name][0], folder / f"{name}.pdf")
    hashes = {p.name: sha(p) for p in folder.iterdir()}
    assert main(["redact", str(folder), "-o", str(tmp_path / "out"), "--no-names", "-q"]) == 1
    assert {p.name: sha(p) for p in folder.iterdir()} == hashes
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(hashes)
    assert sha(tmp_path / "out" / "clean.pdf") == hashes["clean.pdf"]  # nothing to change: same bytes


def test_verification_refuses_a_copy_that_still_shows_the_value(pdfs, tmp_path, monkeypatch):
    src, v = pdfs["body_id"]
    monkeypatch.setattr(PdfAdapter, "write", lambda self, doc, edits, out: shutil.copyfile(src, out))
    rep = Redactor(FAST).redact(src, tmp_path / "out.pdf")
    assert rep.verdict == "error" and "E300" in rep.error
    assert not (tmp_path / "out.pdf").exists()


# --- units -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("orig,rep,expected", [
    ("110101199003071234", "110101********1234", list(range(6, 14))),
    ("张三丰", "张某某", [0, 1, 2]),  # a kept surname alone would read as a name: all goes
    ("ab12@example.com", "a***@example.com", [1, 2, 3]),
    ("13912345678", "[手机号]", list(range(11))),
    ("abc", "abc", []),
])
def test_changed_positions(orig, rep, expected):
    assert _changed(orig, rep) == expected


@pytest.mark.parametrize("a,b,j", [("身份证号：1101", "011990", ""), ("Hello", "world", " "), ("电话", "138", ""),
                                   ("abc ", "def", ""), ("", "x", "")])
def test_line_joiner(a, b, j):
    assert _joiner(a, b) == j


@pytest.mark.parametrize("color,dark", [(None, True), ((0,), True), ((0.2, 0.2, 0.2), True), ((1, 1, 1), False),
                                        ((0, 0, 0, 1), True), ((0, 0, 0, 0), False), ((0.9,), False), ("P0", False)])
def test_dark_colours(color, dark):
    assert (_luma(color) <= 0.35) is dark


def test_merge_boxes_per_line_run():
    boxes = [(10, 100, 16, 112), (16, 100, 22, 112), (60, 100, 66, 112), (10, 130, 16, 142)]
    assert _merge(boxes) == [(10, 100, 22, 112), (60, 100, 66, 112), (10, 130, 16, 142)]


def test_code_spans_for_simple_and_identity_fonts(pdfs):
    fonts = FontCache()
    for case, two_byte in (("body_id", True), ("body_id_subset", False)):
        with pikepdf.open(pdfs[case][0]) as pdf:
            res = pdf.pages[0].obj.Resources.Font
            for name, fd in res.items():
                font = fonts.get(fd)
                spans = code_spans(font, b"\x00\x41\x00\x42")
                if fd.Subtype == "/Type0":
                    assert two_byte and [(s, e) for s, e, _ in spans] == [(0, 2), (2, 4)]
                else:
                    assert [(s, e) for s, e, _ in spans] == [(0, 1), (1, 2), (2, 3), (3, 4)]



@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_rotated_pages_and_offset_mediabox(tmp_path, rotate):
    """Text is laid out as written (not as displayed) and the box lands on the removed glyphs."""
    src = tmp_path / "rot.pdf"
    _hand_made(src, b"BT /F1 12 Tf 72 700 Td (Mobile 13912345678 end) Tj ET")
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = rotate
        pdf.pages[0].obj.MediaBox = [10, 20, 622, 812]
        pdf.save(src)
    assert [s.text for s in PdfAdapter().extract(src).segments if s.origin == "body"] == ["Mobile 13912345678 end"]
    out = tmp_path / "out.pdf"
    assert Redactor(FAST).redact(src, out).verdict == "redact"
    assert_gone(out, "13912345678")
    with pdfplumber.open(src) as a, pdfplumber.open(out) as b:
        removed = a.pages[0].chars[10:14]  # the masked middle: 1234
        assert "".join(c["text"] for c in removed) == "1234"
        boxes = [r for r in b.pages[0].rects if r["fill"]]
        assert len(boxes) == 1
        r = boxes[0]
        for c in removed:
            assert r["x0"] - 0.5 <= (c["x0"] + c["x1"]) / 2 <= r["x1"] + 0.5
            assert r["top"] - 0.5 <= (c["top"] + c["bottom"]) / 2 <= r["bottom"] + 0.5


def test_text_that_cannot_be_decoded_is_not_passed_as_clean(pdfs, tmp_path, monkeypatch):
    """A CJK font without a Unicode map reads as '(cid:12)': the page is treated like a scan."""
    src = tmp_path / "nouni.pdf"
    shutil.copy(pdfs["clean"][0], src)
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            for _, font in page.obj.Resources.Font.items():
                if font.Subtype == "/Type0" and "/ToUnicode" in font:  # one font object serves both pages
                    del font["/ToUnicode"]
                    del font.DescendantFonts[0].FontDescriptor["/FontFile2"]
        pdf.save(src)
    assert "(cid:" in plumber_pages(src)[0]
    monkeypatch.setenv("REDACTOR_OCR", "0")
    rep = Redactor(FAST).scan(src)
    assert rep.verdict == "block"
    notes = [f for f in rep.findings if f.kind == "no_text_layer"]
    assert len(notes) == 2 and "cannot be decoded" in notes[0].explanation


def _image_png(path: Path) -> bytes:
    from pikepdf import PdfImage

    with pikepdf.open(path) as pdf:
        xobj = next(v for v in pdf.pages[0].obj.Resources.XObject.values() if v.Subtype == "/Image")
        buf = io.BytesIO()
        PdfImage(xobj).as_pil_image().save(buf, format="PNG")
        return buf.getvalue()


def test_searchable_scan_paints_the_picture_too(tmp_path):
    """A scan with an invisible OCR text layer: removing the text is not enough, the value is
    in the picture. The copy removes the text and paints the picture's pixels."""
    src = tmp_path / "searchable.pdf"
    v = F.searchable_scan(src)
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert rep.verdict == "redact" and "id_card" in kinds(rep)
    assert_gone(out, v["id"])
    assert_selectable(out, v["keep"])  # the rest of the OCR layer stays searchable
    before, after = _image_png(src), _image_png(out)
    assert before != after
    if ocr.available() is None:  # read the picture itself (not the page with the boxes on top)
        read = lambda png: "".join(l.text for l in ocr.words_to_lines(ocr.ocr_png(png)))  # noqa: E731
        assert v["id"] in read(before)
        text = read(after)
        assert v["id"] not in text and v["id"][8:14] not in text and "Checked" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_pdf_made_by_libreoffice_from_word(tmp_path):
    """The way clerks make PDFs: Word file -> LibreOffice. Its fonts (embedded CJK CID fonts,
    Identity-H, kerned TJ arrays) are not ours; the redaction must still be exact."""
    import subprocess

    import docx

    s = F._synth(31)
    person, idn, mobile = s.name(), s.id18(), s.mobile()
    rows = [(s.name(), s.id18()) for _ in range(2)]
    d = docx.Document()
    d.add_heading("关于临时救助的公示", 1)
    d.add_paragraph(f"经审核，申请人{person}（公民身份号码{idn}，联系电话{mobile}）符合条件，现予公示。")
    t = d.add_table(rows=3, cols=3)
    t.style = "Table Grid"
    for i, h in enumerate(["姓名", "身份证号码", "备注"]):
        t.cell(0, i).text = h
    for r, (name, rid) in enumerate(rows, start=1):
        t.cell(r, 0).text, t.cell(r, 1).text, t.cell(r, 2).text = name, rid, "已发放"
    for c in t.columns[1].cells:
        c.width = docx.shared.Cm(2)  # IDs wrap inside the cell
    d.save(tmp_path / "notice.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "notice.docx")],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    src = tmp_path / "notice.pdf"
    doc = PdfAdapter().extract(src)
    assert [s.text for s in doc.segments if s.column_header == "身份证号码"] == [r[1] for r in rows]
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert rep.verdict == "redact", rep.reasons
    for value in (idn, mobile, rows[0][1], rows[1][1]):
        assert_gone(out, value)
    assert_selectable(out, "关于临时救助的公示", "符合条件，现予公示", "已发放", idn[:6], idn[-4:])
    with pdfplumber.open(src) as a, pdfplumber.open(out) as b:
        before = {(c["text"], round(c["x0"], 1), round(c["top"], 1)) for c in a.pages[0].chars}
        assert all((c["text"], round(c["x0"], 1), round(c["top"], 1)) in before for c in b.pages[0].chars)


def test_bookmarks_and_link_targets(tmp_path):
    src = tmp_path / "outline.pdf"
    v = F.outline_and_link(src)
    doc = PdfAdapter().extract(src)
    assert [s.text for s in doc.segments if s.origin == "outline"] == ["复议决定书", "申请人身份证 " + v["id"]]
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert {"id_card", "email"} <= kinds(rep), rep.reasons
    assert_gone(out, v["id"])
    assert_gone(out, v["email"])
    with pikepdf.open(out) as pdf:
        with pdf.open_outline() as outline:
            titles = [str(i.title) for i in outline.root]
        assert titles[0] == "复议决定书" and titles[1].startswith("申请人身份证 ") and "*" in titles[1]
        assert "/Annots" not in pdf.pages[0].obj  # the mailto: link is gone


def test_table_continued_on_the_next_page_keeps_its_header(tmp_path):
    """Page 2 of a list has no header row: its cells get page 1's headers, never a value."""
    s = F._synth(41)
    rows = [[(s.name(), s.id18()) for _ in range(2)] for _ in range(2)]
    b = F.PdfBuilder()
    xs = [72, 160, 330]
    for page, data in enumerate(rows):
        b.new_page()
        body = ([("姓名", "身份证号码")] if page == 0 else []) + data
        ys = [760 - k * 30 for k in range(len(body) + 1)]
        b.grid(xs, ys)
        for r, (a, c) in enumerate(body):
            b.text(xs[0] + 4, ys[r] - 20, a)
            b.text(xs[1] + 4, ys[r] - 20, c)
    src = b.save(tmp_path / "list.pdf")
    doc = PdfAdapter().extract(src)
    ids = [(s.location["page"], s.column_header, s.text) for s in doc.segments if s.location.get("col") == 1]
    assert ids == [(1, None, "身份证号码"), (1, "身份证号码", rows[0][0][1]), (1, "身份证号码", rows[0][1][1]),
                   (2, "身份证号码", rows[1][0][1]), (2, "身份证号码", rows[1][1][1])]
    rep = Redactor(FAST).scan(src)
    assert all(rows[1][0][1] not in json.dumps(f.location, ensure_ascii=False) for f in rep.findings)


@pytest.mark.parametrize("text,label", [("身份证号码", True), ("金额（元）", True), ("2024年", False),
                                        ("110101199003071234", False), ("备注" * 20, False)])
def test_header_cells_look_like_labels(text, label):
    from redactor.formats.pdf.layout import is_label as _is_label

    assert _is_label(text) is label


@settings(max_examples=20, deadline=None)
@given(tc=st.floats(-1, 3), tw=st.floats(0, 6), tz=st.sampled_from([60, 100, 140]),
       words=st.lists(st.text("ABCXYZ0123456789", min_size=1, max_size=6), min_size=2, max_size=5),
       data=st.data())
def test_property_glyph_removal_keeps_the_others_in_place(tmp_path_factory, tc, tw, tz, words, data):
    """Char spacing, word spacing and horizontal scaling: after removing any span of a line,
    every other glyph is where it was (pdfminer adds Tc once more before the first glyph after
    a leading adjustment, hence the tolerance of |Tc| x scaling)."""
    line = " ".join(words)
    d = tmp_path_factory.mktemp("tjprop")
    src = d / "in.pdf"
    _hand_made(src, b"BT /F1 11 Tf %.3f Tc %.3f Tw %d Tz 60 700 Td (%s) Tj ET" % (tc, tw, tz, line.encode()))
    doc = PdfAdapter().extract(src)
    seg = next(i for i, s in enumerate(doc.segments) if s.origin == "body")
    text = doc.segments[seg].text
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    out = d / "out.pdf"
    PdfAdapter().write(doc, [Edit(seg, a, b, "#" * (b - a))], out)
    removed = {c for c in doc.handle.maps[seg][a:b] if c >= 0}
    with pdfplumber.open(src) as x, pdfplumber.open(out) as y:
        kept = [(c["text"], c["x0"]) for k, c in enumerate(x.pages[0].chars) if k not in removed]
        after = [(c["text"], c["x0"]) for c in y.pages[0].chars]
    assert [t for t, _ in after] == [t for t, _ in kept]
    tol = abs(tc) * tz / 100 + 0.01
    assert all(abs(x0 - x1) <= tol for (_, x0), (_, x1) in zip(kept, after))


def test_earlier_versions_kept_by_incremental_updates(tmp_path):
    src = tmp_path / "edited.pdf"
    v = F.incremental(src)
    data = src.read_bytes()
    first = data[: data.index(b"%%EOF") + 5]
    (tmp_path / "v1.pdf").write_bytes(first)
    assert v["id"] in plumber_pages(tmp_path / "v1.pdf")[0]  # version 1 is still in the file
    assert v["id"] not in plumber_pages(src)[0]  # ... though readers show version 2
    rep = redact(src, tmp_path / "out.pdf")
    got = {(f.kind, f.location.get("origin")) for f in rep.findings}
    assert ("previous_versions", "metadata") in got and ("id_card", "previous_version") in got
    out = (tmp_path / "out.pdf").read_bytes()
    assert out.count(b"%%EOF") == 1 and v["id"].encode() not in out
    assert_gone(tmp_path / "out.pdf", v["id"])
    assert_selectable(tmp_path / "out.pdf", v["keep"])
    assert not [f for f in PdfAdapter().extract(tmp_path / "out.pdf").notices if f.kind == "previous_versions"]


def test_redaction_marked_but_never_applied(pdfs, tmp_path):
    """Acrobat's 'mark for redaction' adds a /Redact annotation; until applied, the text stays."""
    src = tmp_path / "marked.pdf"
    s = F._synth(51)
    idn = s.id18()
    b = F.PdfBuilder().new_page()
    x = 72 + b.text(72, 730, "身份证号：")
    w = b.text(x, 730, idn)
    b.text(72, 700, "以上信息已核实。")
    b.save(src)
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        annot = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Redact, Rect=[x - 1, 726, x + w + 1, 742])
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))
        pdf.save(src)
    rep = redact(src, tmp_path / "out.pdf")
    fake = [f for f in rep.findings if f.kind == "fake_redaction"]
    assert len(fake) == 1 and fake[0].rule == "pdf.redact_annotation" and "never applied" in fake[0].explanation
    assert_gone(tmp_path / "out.pdf", idn)
    assert_selectable(tmp_path / "out.pdf", "身份证号", "以上信息已核实")


@pytest.mark.parametrize("gray,hidden", [(0.0, True), (0.1, True), (0.3, False)])
def test_only_unreadable_text_counts_as_under_a_box(tmp_path, gray, hidden):
    """Black text on a black or near-black box cannot be read; on a 30% grey shading it can."""
    src = tmp_path / "shade.pdf"
    b = F.PdfBuilder().new_page()
    w = b.text(72, 730, "审核意见：同意")
    b.rect(70, 726, w + 4, 16, gray=gray)
    b.save(src)
    doc = PdfAdapter().extract(src)
    assert bool([f for f in doc.notices if f.kind == "fake_redaction"]) is hidden


def test_line_text_spaces_only_between_words():
    from redactor.formats.pdf.layout import line_text as _line_text

    def chars(spec):
        out, x = [], 0.0
        for ch, gap in spec:
            x += gap
            out.append({"text": ch, "x0": x, "x1": x + 10, "top": 0.0, "bottom": 10.0})
            x += 10
        return out

    spread = chars([("申", 0), ("请", 6), ("人", 6)])            # 分散对齐: wide gaps, no spaces
    assert _line_text([0, 1, 2], spread) == ("申请人", [0, 1, 2])
    cols = chars([("2", 0), ("0", 0), ("2", 30), ("4", 0)])     # two numbers in unruled columns: a tab
    assert _line_text([0, 1, 2, 3], cols) == ("20\t24", [0, 1, -1, 2, 3])
    words = chars([("2", 0), ("0", 0), ("2", 5), ("4", 0)])     # a word gap: a space
    assert _line_text([0, 1, 2, 3], words) == ("20 24", [0, 1, -1, 2, 3])
    heads = chars([("姓", 0), ("名", 0), ("身", 40), ("份", 0)])  # Chinese column headers stay apart
    assert _line_text([0, 1, 2, 3], heads)[0] == "姓名\t身份"
    tight = chars([("电", 0), ("话", 0), ("1", 1), ("3", 0)])
    assert _line_text([0, 1, 2, 3], tight)[0] == "电话13"


def test_alternate_text_of_a_tagged_pdf(tmp_path):
    src = tmp_path / "tagged.pdf"
    F.clean(src, pages=1)
    idn = F._synth(61).id18()
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        figure = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure,
                                    Alt=pikepdf.String("申请人身份证照片 " + idn))
        pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([pdf.make_indirect(figure)])))
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.save(src)
    rep = redact(src, tmp_path / "out.pdf")
    assert any(f.kind == "id_card" and f.location["origin"] == "structure" for f in rep.findings)
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root
    assert_gone(tmp_path / "out.pdf", idn)
    assert_selectable(tmp_path / "out.pdf", "关于做好2024年防汛工作的通知")


def test_id_wrapping_in_a_table_without_rules(tmp_path):
    """Word tables without borders export as plain text lines: the ID column wraps, and the
    row-by-row reading cuts each ID in two. The wrapped cell is read as one value."""
    s = F._synth(71)
    rows = [(s.name(), s.id18(), s.mobile()) for _ in range(3)]
    b = F.PdfBuilder().new_page()
    xs = [72, 150, 260, 400]
    y = 760
    for x, head in zip(xs, ["姓名", "身份证号码", "联系电话", "金额（元）"]):
        b.text(x, y, head)
    for name, idn, mob in rows:
        y -= 20
        b.text(xs[0], y, name)
        b.text(xs[1], y, idn[:13])
        b.text(xs[2], y, mob)
        b.text(xs[3], y, "1200")
        y -= 14
        b.text(xs[1], y, idn[13:])
    b.text(72, y - 30, "以上名单公示五个工作日。")
    src = b.save(tmp_path / "unruled.pdf")
    doc = PdfAdapter().extract(src)
    cells = [(s.column_header, s.text) for s in doc.segments if s.location.get("unruled")]
    assert cells == [("身份证号码", r[1]) for r in rows]
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert sum(1 for f in rep.findings if f.kind == "id_card") == 3
    assert sum(1 for f in rep.findings if f.kind == "mobile") == 3
    for _, idn, mob in rows:
        assert_gone(out, idn)
        assert_gone(out, mob)
    assert_selectable(out, "以上名单公示五个工作日", "金额（元）")


def test_samples_are_reproducible_and_behave_as_documented(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, str(root / "scripts" / "make_sample_pdf.py"), str(tmp_path)], check=True,
                   capture_output=True)
    for name in ("pdf_clean.pdf", "pdf_personal.pdf"):
        assert (tmp_path / name).read_bytes() == (root / "samples" / name).read_bytes(), name
    assert Redactor(FAST).scan(root / "samples" / "pdf_clean.pdf").verdict == "publish"
    rep = redact(root / "samples" / "pdf_personal.pdf", tmp_path / "out.pdf")
    assert {"fake_redaction", "metadata", "annotation", "id_card", "mobile"} <= kinds(rep)
    assert rep.output == str(tmp_path / "out.pdf")


@needs_ocr
def test_page_with_undecodable_text_and_a_value_in_the_text_layer(pdfs, tmp_path):
    """Digits decode (Helvetica), Chinese does not (no Unicode map): the page is OCR'd and,
    when it is rasterised for an OCR value, the text-layer removals must not come back as pixels."""
    src = tmp_path / "mixed.pdf"
    shutil.copy(pdfs["body_id"][0], src)
    v = pdfs["body_id"][1]
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        for _, font in pdf.pages[0].obj.Resources.Font.items():
            if font.Subtype == "/Type0" and "/ToUnicode" in font:
                del font["/ToUnicode"]
                del font.DescendantFonts[0].FontDescriptor["/FontFile2"]
        pdf.save(src)
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert rep.verdict == "redact", rep.reasons
    assert any(f.kind == "ocr_page" for f in rep.findings)
    assert_gone(out, v["id"])
    with pikepdf.open(out) as pdf:
        assert list(pdf.pages[0].obj.Resources.XObject.keys()) == ["/RdScan"]  # rasterised
    doc = pdfium.PdfDocument(str(out))
    from redactor.formats.pdf import render_png

    text = "".join(l.text for l in ocr.words_to_lines(ocr.ocr_png(render_png(doc, 0))))
    doc.close()
    assert v["id"][6:14] not in text and v["mobile"][3:7] not in text


def test_box_over_the_middle_of_an_id(tmp_path):
    """Half a redaction: the box hides the birth date only. The ID is still found whole."""
    idn = F._synth(81).id18()
    b = F.PdfBuilder().new_page()
    x = 72 + b.text(72, 730, "身份证号：")
    b.text(x, 730, idn)
    left = b.width(idn[:6], 11)
    b.rect(x + left, 726, b.width(idn[6:14], 11), 14)
    src = b.save(tmp_path / "half.pdf")
    out = tmp_path / "out.pdf"
    rep = redact(src, out)
    assert {"fake_redaction", "id_card"} <= kinds(rep)
    assert_gone(out, idn)
    assert_gone(out, idn[6:14])
