"""OFD adapter: a generated official document with personal data in every place an OFD holds text.

The copy is checked with the tests' own lxml reader (``ofd_fixtures.read_ofd``: every TextCode
character with its page position, every text node and attribute of every member) and with
``redactor.residue.find_residue`` over the bytes.
"""
from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from redactor import cli
from redactor.errors import UnreadableFileError
from redactor.formats.ofd import OfdAdapter
from redactor.formats.ofd.textcode import TextObject, deltas
from redactor.pipeline import Redactor
from redactor.policy import Policy
from redactor.residue import compact, find_residue, normalise

sys.path.insert(0, str(Path(__file__).parent))
import ofd_fixtures as F

POLICY = Policy(names=False)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(POLICY)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_gone(out: Path, values) -> None:
    chars, texts = F.read_ofd(out)
    everything = "\n".join(texts.values()) + "".join(c.char for c in chars)
    idents, words = compact(everything), normalise(everything)
    for v in values:
        hay, needle = (idents, compact(v)) if len(compact(v)) >= 5 else (words, normalise(v))
        assert needle not in hay, f"a planted value survives: {v[:3]}..."
    assert find_residue(out, list(values)) == []


@pytest.fixture(scope="module")
def official(tmp_path_factory, redactor):
    tmp = tmp_path_factory.mktemp("ofd")
    src, secrets = F.official_ofd(tmp / "通知.ofd")
    before = sha(src)
    out = tmp / "out" / "通知.ofd"
    report = redactor.redact(src, out)
    assert sha(src) == before
    return src, out, secrets, report


def test_every_planted_value_is_gone(official):
    src, out, secrets, report = official
    assert report.verdict == "redact" and report.error is None, report.reasons
    assert find_residue(src, list(secrets.values()))
    assert_gone(out, secrets.values())
    assert "签章人" not in out.read_bytes().decode("utf-8", "ignore")


def test_each_place_is_reported(official):
    _src, _out, _secrets, report = official
    where = Counter((r.kind, r.location.get("origin")) for r in report.findings)
    assert where[("mobile", "body")] == 3 and where[("id_card", "body")] == 4  # incl. page 2's text layer
    for key in [("mobile", "template"), ("mobile", "outline"), ("email", "link"), ("mobile", "metadata"),
                ("id_card", "metadata"), ("annotation", "annotation"), ("mobile", "annotation"),
                ("id_card", "annotation"), ("attachment", "attachment"), ("id_card", "attachment"),
                ("signature", "signature")]:
        assert where[key] >= 1, key
    meta = {r.rule for r in report.findings if r.kind == "metadata"}
    assert meta == {"ofd.metadata.Author", "ofd.custom_data", "ofd.custom_tags", "ofd.extensions"}
    cell = next(r for r in report.findings if r.kind == "id_card" and r.location.get("paragraph") == 5)  # from 1
    assert cell.location["page"] == 1
    blob = json.dumps([r.to_dict() for r in report.findings], ensure_ascii=False)
    for v in _secrets.values():
        assert v not in blob


def test_kept_text_does_not_move_and_removed_text_is_boxed(official):
    src, out, _secrets, _report = official
    before, _ = F.read_ofd(src)
    after, _ = F.read_ofd(out)
    page = "Doc_0/Pages/Page_0/Content.xml"
    pool = [(c.char, c.x, c.y) for c in before if c.part == page]
    for c in (c for c in after if c.part == page):  # every kept character is where it was (0.01 mm)
        match = next((p for p in pool if p[0] == c.char and abs(p[1] - c.x) < 0.01 and abs(p[2] - c.y) < 0.01), None)
        assert match is not None, f"a kept character moved or a new one appeared at {c.x}, {c.y}"
        pool.remove(match)
    removed = Counter(pool)
    # only the masked middles of identifiers went: each mask keeps its region code / prefix and last 4
    assert sum(removed.values()) == 3 * 4 + 3 * 8  # 3 mobiles on the page (4 digits each), 3 IDs (8 each)
    assert all(ch.isdigit() for ch, _x, _y in removed)
    root = etree.fromstring(zipfile.ZipFile(out).read(page))
    boxes = [[float(v) for v in p.get("Boundary").split()] for p in root.iter(F.q("PathObject"))]
    for _ch, x, y in removed:
        assert any(bx <= x + 0.5 and x + 0.5 <= bx + bw and by <= y - 1 <= by + bh for bx, by, bw, bh in boxes), (x, y)
    for p in root.iter(F.q("PathObject")):
        assert p.get("Fill") == "true" and p.find(F.q("FillColor")).get("Value") == "0 0 0"


def test_the_copy_keeps_only_what_was_read(official):
    _src, out, _secrets, _report = official
    names = set(zipfile.ZipFile(out).namelist())
    assert names == {"OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/DocumentRes.xml",
                     "Doc_0/Res/scan_1.png", "Doc_0/Tpls/Tpl_0/Content.xml", "Doc_0/Pages/Page_0/Content.xml",
                     "Doc_0/Pages/Page_1/Content.xml"}
    ofd = etree.fromstring(zipfile.ZipFile(out).read("OFD.xml"))
    assert ofd.find(f".//{F.q('Author')}") is None and ofd.find(f".//{F.q('CustomDatas')}") is None
    assert ofd.find(f".//{F.q('Signatures')}") is None and ofd.find(f".//{F.q('Title')}") is not None
    doc = etree.fromstring(zipfile.ZipFile(out).read("Doc_0/Document.xml"))
    for name in ("Annotations", "Attachments", "CustomTags", "Extensions"):
        assert doc.find(F.q(name)) is None
    ids = [int(e.get("ID")) for part in names if part.endswith(".xml")
           for e in etree.fromstring(zipfile.ZipFile(out).read(part)).iter() if e.get("ID", "").isdigit()
           and part.startswith("Doc_0/Pages")]
    assert len(ids) == len(set(ids))
    assert int(doc.find(f".//{F.q('MaxUnitID')}").text) >= max(ids)


def test_picture_under_a_masked_text_layer_is_painted(official):
    src, out, _secrets, _report = official
    a = Image.open(io.BytesIO(zipfile.ZipFile(src).read("Doc_0/Res/scan_1.png")))
    b = Image.open(io.BytesIO(zipfile.ZipFile(out).read("Doc_0/Res/scan_1.png")))
    assert a.mode == b.mode == "L" and a.size == b.size and a.getextrema()[0] > 0
    black = b.histogram()[0]
    assert black > 200  # the 8 digits' boxes, in pixels of the 400x100 picture
    assert not b.info.get("exif")


def test_the_copy_reads_back_clean(official, redactor):
    _src, out, _secrets, _report = official
    again = redactor.scan(out)
    assert again.verdict == "publish", again.reasons


def test_names_are_removed_whole(tmp_path):
    src = F.plain_ofd(tmp_path / "n.ofd", ["申请人：欧阳明华，女，汉族。", "经办人联系电话见附件。"])
    out = tmp_path / "o.ofd"
    rep = Redactor(Policy()).redact(src, out)
    assert rep.verdict == "redact", rep.reasons
    chars, _ = F.read_ofd(out)
    text = "".join(c.char for c in chars)
    assert "欧阳明华" not in text and "明华" not in text and "申请人：，女，汉族。" in text  # no 某: glyphs cannot be added
    assert_gone(out, ["欧阳明华"])


def test_clean_ofd_is_published_byte_for_byte(tmp_path, redactor):
    src = F.plain_ofd(tmp_path / "c.ofd", ["关于开展安全生产检查的通知", "各乡镇人民政府：请于3月31日前完成自查。"])
    rep = redactor.redact(src, tmp_path / "o.ofd")
    assert rep.verdict == "publish", rep.reasons
    assert sha(src) == sha(tmp_path / "o.ofd")


def test_signed_clean_document_is_published_and_signature_reported(tmp_path, redactor):
    src, _ = F.official_ofd(tmp_path / "s.ofd", extras=False)
    rep = redactor.scan(src)
    assert any(r.kind == "signature" and r.verdict == "info" for r in rep.findings)


def test_scanned_page_without_text_blocks(tmp_path, redactor):
    src, _ = F.official_ofd(tmp_path / "x.ofd", extras=False, signed=False)
    data = {i.filename: zipfile.ZipFile(src).read(i.filename) for i in zipfile.ZipFile(src).infolist()}
    page = etree.fromstring(data["Doc_0/Pages/Page_1/Content.xml"])
    for obj in list(page.iter(F.q("TextObject"))):
        obj.getparent().remove(obj)
    img = next(page.iter(F.q("ImageObject")))
    img.set("Boundary", "0 0 210 297")
    img.set("CTM", "210 0 0 297 0 0")
    data["Doc_0/Pages/Page_1/Content.xml"] = F.xml(page)
    with zipfile.ZipFile(src, "w") as z:
        for k, v in data.items():
            z.writestr(k, v)
    rep = redactor.scan(src)
    assert rep.verdict == "block"
    assert [r.location.get("page") for r in rep.findings if r.kind == "no_text_layer"] == [2]


def test_glyph_mapped_object_is_removed_whole(tmp_path, redactor):
    src = F.plain_ofd(tmp_path / "g.ofd", ["联系电话：13912345678", "其他内容照常。"])
    data = {i.filename: zipfile.ZipFile(src).read(i.filename) for i in zipfile.ZipFile(src).infolist()}
    page = etree.fromstring(data["Doc_0/Pages/Page_0/Content.xml"])
    obj = next(page.iter(F.q("TextObject")))
    cg = etree.Element(F.q("CGTransform"), CodePosition="0", CodeCount="1", GlyphCount="1")
    etree.SubElement(cg, F.q("Glyphs")).text = "12"
    obj.insert(1, cg)
    data["Doc_0/Pages/Page_0/Content.xml"] = F.xml(page)
    with zipfile.ZipFile(src, "w") as z:
        for k, v in data.items():
            z.writestr(k, v)
    out = tmp_path / "o.ofd"
    rep = redactor.redact(src, out)
    assert rep.verdict == "redact" and rep.error is None
    chars, _ = F.read_ofd(out)
    assert "".join(c.char for c in chars) == "其他内容照常。"
    assert b"PathObject" in zipfile.ZipFile(out).read("Doc_0/Pages/Page_0/Content.xml")


# ------------------------------------------------------------------------------------------
# Text codes


@pytest.mark.parametrize("value, expected", [
    ("1 2 3", [1.0, 2.0, 3.0]), ("g 3 2.5", [2.5, 2.5, 2.5]), ("1 g 2 3 4", [1.0, 3.0, 3.0, 4.0]), ("", []),
])
def test_delta_lists(value, expected):
    assert deltas(value) == expected


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet="张三0123456789ab，", min_size=1, max_size=25),
       data=st.data(), with_deltas=st.booleans(), dy=st.booleans())
def test_property_removal_keeps_every_other_character_in_place(text, data, with_deltas, dy):
    doomed = data.draw(st.sets(st.integers(min_value=0, max_value=len(text) - 1)))
    adv = " ".join(f"{1 + (i % 3) * 0.5:g}" for i in range(len(text) - 1))
    attrs = f'X="1.5" Y="4" DeltaX="{adv}"' if with_deltas else 'X="1.5" Y="4"'
    if dy:
        attrs += ' DeltaY="' + " ".join("0.25" for _ in range(len(text) - 1)) + '"'
    el = etree.fromstring(f'<ofd:TextObject xmlns:ofd="{F.NS}" Boundary="10 20 100 10" Size="3" '
                          f'CTM="1.2 0 0 1.2 0 0"><ofd:TextCode {attrs}>{text}</ofd:TextCode></ofd:TextObject>')
    before = [(c.char, round(c.x, 3), round(c.y, 3)) for c in TextObject(el).chars()]
    TextObject(el).remove({0: doomed})
    after = [(c.char, round(c.x, 3), round(c.y, 3)) for c in TextObject(el).chars()]
    assert after == [p for i, p in enumerate(before) if i not in doomed]


# ------------------------------------------------------------------------------------------
# Bad files, folders, reports


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


@pytest.mark.parametrize("data, needle", [
    (b"not a zip at all", "not a valid OFD"),
    (_zip({"a.txt": b"x"}), "no OFD.xml"),
    (_zip({"OFD.xml": b"<ofd:OFD xmlns:ofd='x'><ofd:DocBody><ofd:DocRoot>D/Document.xml</ofd:DocRoot>"}), "not well-formed"),
    (_zip({"OFD.xml": b"<OFD><DocBody><DocRoot>D/Document.xml</DocRoot></DocBody></OFD>"}), "missing"),
    (_zip({"OFD.xml": b"<OFD/>"}), "names no document"),
])
def test_bad_files_are_errors_naming_the_file(tmp_path, redactor, data, needle):
    p = tmp_path / "坏.ofd"
    p.write_bytes(data)
    rep = redactor.scan(p)
    assert rep.verdict == "error" and str(p) in rep.error and needle in rep.error, rep.error


def test_missing_page_part_is_an_error(tmp_path):
    src = F.plain_ofd(tmp_path / "m.ofd", ["正文"])
    data = {i.filename: zipfile.ZipFile(src).read(i.filename) for i in zipfile.ZipFile(src).infolist()}
    del data["Doc_0/Pages/Page_0/Content.xml"]
    src.write_bytes(_zip(data))
    with pytest.raises(UnreadableFileError):
        OfdAdapter().extract(src)


def test_folder_check_shows_pages_in_html_and_sarif(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    F.official_ofd(docs / "通知.ofd")
    F.plain_ofd(docs / "清单.ofd", ["关于开展安全生产检查的通知"])
    html = tmp_path / "r.html"
    assert cli.main(["check", str(docs), "--no-names", "-q", "--html", str(html)]) == 1
    assert "page 1 · paragraph 5" in html.read_text(encoding="utf-8")
    capsys.readouterr()
    cli.main(["check", str(docs), "--no-names", "--format", "sarif"])
    sarif = capsys.readouterr().out
    assert "page 1 · paragraph 5" in sarif
    cli.main(["check", str(docs), "--no-names", "--format", "json"])
    files = {Path(f["path"]).name: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert files["通知.ofd"]["verdict"] == "redact" and files["清单.ofd"]["verdict"] == "publish"
