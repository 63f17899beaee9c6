"""Nothing left behind: adversarial PDFs (tests/pdf_attacks.py), each hiding an identifier in
one place. For each: ``check`` reports it, and the ``redact`` copy holds it nowhere: not in
any PDF object of any revision, decompressed (``redactor.residue.find_residue``, and a pikepdf
walk of every object here), not in the text pdfplumber or pdfium extract, not in what OCR
reads on its pages; or the file is blocked with a reason. Also: corrupt, encrypted and
truncated files are per-file errors (E200) whose messages quote nothing of the file.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pikepdf = pytest.importorskip("pikepdf")
pdfplumber = pytest.importorskip("pdfplumber")
pdfium = pytest.importorskip("pypdfium2")

import pdf_attacks as A  # noqa: E402
import pdf_fixtures as F  # noqa: E402

from redactor.cli import main  # noqa: E402
from redactor.formats import ocr  # noqa: E402
from redactor.pipeline import Redactor  # noqa: E402
from redactor.policy import Policy  # noqa: E402
from redactor.residue import compact, find_residue, normalise  # noqa: E402

if F.cjk_font_path() is None:
    pytest.skip("no CJK TrueType font (Debian: fonts-wqy-zenhei)", allow_module_level=True)

HAS_OCR = ocr.available() is None


# --- an attacker's search of the copy ------------------------------------------------------------
def _found(value: str, text: str) -> bool:
    """``value`` in ``text``, compared as identifiers are (separators ignored) or as text."""
    v = normalise(value)
    if sum(ch.isascii() and ch.isalnum() for ch in v) * 2 >= len(v):
        return compact(v) in compact(text)
    return v in normalise(text)


def object_texts(path: Path) -> list[str]:
    """Every string and every decoded stream of every object pikepdf sees, and the trailer."""
    out = []
    with pikepdf.open(path) as pdf:
        objs = list(pdf.objects) + [pdf.trailer]
        for obj in objs:
            stack = [obj]
            while stack:
                o = stack.pop()
                if isinstance(o, pikepdf.String):
                    out.append(str(o))
                elif isinstance(o, pikepdf.Stream):
                    stack += [v for k, v in o.items()]
                    if o.get("/Subtype") == "/Image":
                        continue   # pixels: what they show is read by OCR below
                    try:
                        data = o.read_bytes()
                    except pikepdf.PdfError:
                        data = o.read_raw_bytes()
                    out += [data.decode("utf-8", "ignore"), data.decode("latin-1"), data.decode("utf-16-be", "ignore")]
                elif isinstance(o, pikepdf.Dictionary):
                    out += [str(k) for k in o.keys()]
                    stack += [v for k, v in o.items() if not (isinstance(v, pikepdf.Object) and v.is_indirect)]
                elif isinstance(o, pikepdf.Array):
                    stack += [v for v in o if not (isinstance(v, pikepdf.Object) and v.is_indirect)]
    return out


def extracted_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        out = [p.extract_text() or "" for p in pdf.pages]
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(doc)):
            tp = doc[i].get_textpage()
            out.append(tp.get_text_range())
            tp.close()
    finally:
        doc.close()
    return out


def ocr_texts(path: Path) -> list[str]:
    """What OCR reads on each page of ``path`` (rendered by pdfium at 200 dpi)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(doc)):
            buf = io.BytesIO()
            doc[i].render(scale=200 / 72).to_pil().save(buf, format="PNG")
            out.append("".join(w.text for w in ocr.ocr_png(buf.getvalue())))
        return out
    finally:
        doc.close()


def assert_nowhere(path: Path, values: list[str], drawn: bool) -> list[str]:
    """Fails if any value can be found in the copy; returns what OCR read (when it ran)."""
    hits = find_residue(path, values)
    assert not hits, f"residue search finds {[(values[h.value_index][:4], h.where) for h in hits]}"
    objects = object_texts(path)
    texts = extracted_texts(path)
    for v in values:
        assert not any(_found(v, t) for t in objects), f"a PDF object still holds {v[:4]}…"
        assert not any(_found(v, t) for t in texts), f"the extracted text still holds {v[:4]}…"
    read: list[str] = []
    if drawn and HAS_OCR:
        read = ocr_texts(path)
        for v in values:
            assert not any(_found(v, t) for t in read), f"OCR still reads {v[:4]}…"
    return read


# --- the cases ---------------------------------------------------------------------------------
def test_there_are_enough_cases():
    assert len(A.CASES) >= 30


@pytest.mark.parametrize("name", sorted(A.CASES))
def test_hidden_value_is_found_and_gone(name, tmp_path):
    src = tmp_path / f"{name}.pdf"
    attack = A.CASES[name](src)
    raw = src.read_bytes()
    policy = Policy(names=attack.names)
    if attack.ocr and not HAS_OCR:
        rep = Redactor(policy).scan(src)
        assert rep.verdict == "block" and any("OCR" in r for r in rep.reasons), rep.reasons
        return
    out = tmp_path / "out.pdf"
    rep = Redactor(policy).redact(src, out)
    assert src.read_bytes() == raw, "the input was modified"
    found = {f.kind for f in rep.findings}
    assert attack.kinds <= found, (attack.kinds - found, rep.reasons)
    assert rep.verdict == "redact" and rep.output == str(out), (rep.verdict, rep.reasons)
    report = json.dumps([f.__dict__ for f in rep.findings], default=str, ensure_ascii=False)
    for v in attack.values:
        assert v not in report, "a raw value in the report"
    read = assert_nowhere(out, attack.values, attack.drawn)
    if attack.keep:
        text = "".join(extracted_texts(out)) + "".join(read)
        for k in attack.keep:
            assert _found(k, text), f"{k!r} should still be readable"


def test_unreachable_and_earlier_objects_are_searched_by_the_helper(tmp_path):
    """The helper itself: a value in an object nothing references, and in an earlier revision,
    is found in the input (so its absence from the copy means something)."""
    for name in ("object_no_page_references", "earlier_revision_script"):
        src = tmp_path / f"{name}.pdf"
        attack = A.CASES[name](src)
        assert find_residue(src, attack.values), name


# --- bad files: one error per file, quoting nothing ---------------------------------------------
def _bad_files(folder: Path, good: Path) -> dict[str, str]:
    """Broken PDFs next to a good one; returns name -> a secret each file holds."""
    secret = F._synth(350).id18()
    data = good.read_bytes()
    files = {
        "truncated.pdf": data[: len(data) // 2],
        "truncated_head.pdf": data[:400],
        "garbage_xref.pdf": data.replace(b"xref", b"xqef").replace(b"startxref", b"startxqef"),
        "bad_stream.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages "
                          b"/Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                          b"/Contents 4 0 R >> endobj\n4 0 obj << /Length 9999 /Filter /FlateDecode >> stream\n"
                          + secret.encode() + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        "empty_pages.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] "
                           b"/Count 0 >> endobj\ntrailer << /Root 1 0 R /Note (" + secret.encode() + b") >>\n%%EOF",
        "not_a_pdf.pdf": b"PK\x03\x04" + secret.encode(),
        "header_only.pdf": b"%PDF-1.7\n" + secret.encode(),
    }
    for name, blob in files.items():
        (folder / name).write_bytes(blob)
    with pikepdf.open(good) as pdf:
        pdf.save(folder / "password.pdf", encryption=pikepdf.Encryption(user="secret", owner="owner"))
        pdf.save(folder / "restricted.pdf", encryption=pikepdf.Encryption(user="", owner="owner"))
    return {name: secret for name in files} | {"password.pdf": "", "restricted.pdf": ""}


def test_corrupt_encrypted_truncated_files_are_errors_that_quote_nothing(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "good.pdf"
    F.body_id(good)
    secrets = _bad_files(folder, good)
    code = main(["check", str(folder), "--json", "--no-names"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    files = {Path(f["path"]).name: f for f in json.loads(captured.out)["files"]}
    assert files["good.pdf"]["verdict"] == "redact"
    for name, secret in secrets.items():
        f = files[name]
        if f["verdict"] == "error":
            assert f["error"].startswith("[E20") and name in f["error"], f["error"]
            assert not secret or secret not in f["error"]
        else:  # a damaged file qpdf can repair is read; it is never passed unchecked
            assert f["verdict"] in ("redact", "block", "publish"), f
    assert code == 3
    for name in ("password.pdf", "restricted.pdf", "not_a_pdf.pdf", "header_only.pdf", "truncated_head.pdf"):
        assert files[name]["verdict"] == "error" and "[E200]" in files[name]["error"], name
    out = tmp_path / "out"
    assert main(["redact", str(folder), "-o", str(out), "--no-names", "-q"]) == 3
    assert "Traceback" not in capsys.readouterr().err
    assert (out / "good.pdf").exists()


# --- the fonts ---------------------------------------------------------------------------------
def test_lying_fonts_block_without_ocr(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTOR_OCR", "0")
    for name in ("type3_font_with_lying_names", "tounicode_sends_digits_to_other_digits"):
        src = tmp_path / f"{name}.pdf"
        A.CASES[name](src)
        rep = Redactor(Policy(names=False)).scan(src)
        if name.startswith("tounicode"):
            # the map lies about a font program without a Unicode table: only OCR of its glyphs tells
            assert rep.verdict in ("publish", "redact", "block")
            continue
        assert rep.verdict == "block", rep.reasons
        assert any("cannot be trusted" in r or "Type 3" in r for r in rep.reasons), rep.reasons


@pytest.mark.skipif(not HAS_OCR, reason="Tesseract with chi_sim is not installed")
def test_a_trusted_font_is_not_cross_checked(tmp_path):
    """Helvetica digits and an embedded CJK font with a truthful map: no OCR of the page."""
    src = tmp_path / "plain.pdf"
    F.body_id(src)
    rep = Redactor(Policy(names=False)).scan(src)
    assert not [f for f in rep.findings if f.kind == "ocr_page"]


@pytest.mark.skipif(not HAS_OCR, reason="Tesseract with chi_sim is not installed")
def test_a_truthful_embedded_digit_font_passes_the_glyph_check(tmp_path):
    from redactor.formats.pdf.fonts import FontCheck

    src = tmp_path / "truthful.pdf"
    A._digit_font_pdf(src, F._synth(351).id18(), "身份证号码", {})
    with pikepdf.open(src) as pdf:
        assert FontCheck().page(pdf.pages[0]) == []
    lying = tmp_path / "lying.pdf"
    A._digit_font_pdf(lying, F._synth(351).id18(), "身份证号码", {"1": "7", "7": "1"})
    with pikepdf.open(lying) as pdf:
        doubts = FontCheck().page(pdf.pages[0])
    assert len(doubts) == 1 and "digit" in doubts[0].why


# --- what the copy keeps -------------------------------------------------------------------------
def test_bookmarks_and_links_keep_working_with_explicit_destinations(tmp_path):
    """Named destinations go (their names are checked); bookmarks and links that used them
    point at the same page explicitly."""
    src = tmp_path / "named.pdf"
    A.case_named_destination(src)
    out = tmp_path / "out.pdf"
    assert Redactor(Policy(names=False)).redact(src, out).verdict == "redact"
    with pikepdf.open(out) as pdf:
        assert "/Names" not in pdf.Root and "/Dests" not in pdf.Root
        dest = pdf.Root.Outlines.First.Dest
        assert isinstance(dest, pikepdf.Array) and dest[0].objgen == pdf.pages[0].obj.objgen


def test_a_clean_file_is_published_and_its_copy_keeps_the_file(tmp_path):
    """Nothing hidden, nothing personal: publish; the scrubber finds nothing to report."""
    src = tmp_path / "clean.pdf"
    F.clean(src)
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.XYZ, None, None, 0])
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
        pdf.save(src)
    rep = Redactor(Policy(names=False)).scan(src)
    assert rep.verdict == "publish", rep.reasons
    from redactor.formats.pdf.scrub import Scrub

    with pikepdf.open(src) as pdf:
        dropped = Scrub(pdf).run()
        assert not [d for d in dropped if d.kind], dropped
        assert isinstance(pdf.Root.OpenAction, pikepdf.Array)
