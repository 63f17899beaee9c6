"""HTML adapter: a portal page with personal data in every place a page holds text.

Every golden case redacts a generated page through the pipeline (which reads the copy back
and re-scans it) and then checks the copy with independent readers: lxml.html over every
text node, attribute (percent-decoded) and comment, and ``redactor.residue.find_residue``
over the bytes.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import sys
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from redactor import cli
from redactor.document import Edit
from redactor.errors import UnreadableFileError
from redactor.formats.html import HtmlAdapter
from redactor.formats.html import encoding as enc
from redactor.formats.html.flow import BREAK, Flow, Slot
from redactor.pipeline import Redactor
from redactor.policy import KindPolicy, Policy
from redactor.residue import compact, find_residue, normalise
from redactor.synth import Synth

sys.path.insert(0, str(Path(__file__).parent))
import html_fixtures as F

POLICY = Policy(names=False)  # structured identifiers only: deterministic and fast


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(POLICY)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def independent_texts(path: Path, codec: str) -> list[str]:
    """Everything lxml.html sees in a page: text, tails, attributes (percent-decoded), comments."""
    root = lxml.html.document_fromstring(path.read_bytes().decode(codec))
    out = []
    for el in root.iter():
        out += [el.text or "", el.tail or ""]
        if isinstance(el.tag, str):
            out += [unquote(v) for v in el.attrib.values()]
    return out


def assert_gone(out: Path, values, codec: str) -> None:
    texts = "".join(independent_texts(out, codec))
    idents, words = compact(texts), normalise(texts)
    for v in values:
        hay, needle = (idents, compact(v)) if len(compact(v)) >= 5 else (words, normalise(v))
        assert needle not in hay, f"a planted value survives in the copy: {v[:3]}..."
    assert find_residue(out, list(values)) == []


# ------------------------------------------------------------------------------------------
# The portal page: every place


@pytest.fixture(scope="module")
def portal(tmp_path_factory, redactor):
    tmp = tmp_path_factory.mktemp("portal")
    src, secrets = F.portal_page(tmp / "公示.html")
    before = sha(src)
    out = tmp / "out" / "公示.html"
    report = redactor.redact(src, out)
    assert sha(src) == before, "the input was modified"
    return src, out, secrets, report


def test_every_planted_value_is_found_and_gone(portal):
    src, out, secrets, report = portal
    assert report.verdict == "redact" and report.error is None, report.reasons
    assert find_residue(src, list(secrets.values()))  # the test plants what it looks for
    assert_gone(out, secrets.values(), "gbk")


def test_each_place_is_reported_with_its_element_path(portal):
    _src, _out, _secrets, report = portal
    where = {(r.kind, r.location.get("origin"), r.location.get("attribute")) for r in report.findings}
    expected = {
        ("id_card", "body", None), ("mobile", "body", None), ("bank_card", "body", None),
        ("mobile", "title", None), ("mobile", "metadata", None), ("mobile", "style", None),
        ("id_card", "table", None), ("mobile", "table", None),
        ("id_card", "attribute", "alt"), ("mobile", "attribute", "value"), ("email", "attribute", "placeholder"),
        ("id_card", "attribute", "data-idcard"), ("email", "link", "href"), ("mobile", "link", "href"),
        ("id_card", "link", "href"), ("mobile", "body", None),
        ("comment", "comment", None), ("mobile", "comment", None), ("script", "script", None),
        ("mobile", "script", None), ("script", "script", "onclick"), ("hidden_text", "hidden_text", None),
        ("id_card", "hidden_text", "value"), ("id_card", "hidden_text", None), ("mobile", "hidden_text", None),
        ("metadata", "metadata", None),
    }
    assert expected <= where, expected - where
    hidden = [r for r in report.findings if r.kind == "hidden_text"]
    assert len(hidden) == 4  # hidden attribute, display:none, a class hidden by the page's CSS, hidden input
    cell = next(r for r in report.findings if r.kind == "id_card" and r.location["origin"] == "table")
    assert cell.location["element"] == "/html/body/div/table/tr[2]/td[2]"
    assert (cell.location["table"], cell.location["row"], cell.location["col"]) == (1, 2, 2)  # reports count from 1
    assert cell.location["column_header"] == "身份证号码"


def test_report_previews_are_masked(portal):
    _src, _out, secrets, report = portal
    blob = json.dumps([r.to_dict() for r in report.findings], ensure_ascii=False) + json.dumps(report.reasons)
    for v in secrets.values():
        assert v not in blob


def test_copy_keeps_structure_encoding_and_split_markup(portal):
    src, out, _secrets, _report = portal
    raw = out.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # still GBK bytes, as declared
    text = raw.decode("gbk")
    assert 'charset=gb2312' in text and text.startswith("<!DOCTYPE html PUBLIC")
    a = lxml.html.document_fromstring(src.read_bytes().decode("gbk"))
    b = lxml.html.document_fromstring(text)
    # the value split over <span>/<b> is masked in place: each inline element keeps its share
    pa, pb = a.xpath("//p[@class='note']")[0], b.xpath("//p[@class='note']")[0]
    assert [c.tag for c in pa] == [c.tag for c in pb] == ["span", "b", "span", "b"]
    assert pb[0].text == pa[0].text and pb[0].get("style") == "color:red"  # region code kept, formatting kept
    assert set(pb[1].text) == {"*"} and len(pb[1].text) == len(pa[1].text)
    assert pb[1].tail == pa[1].tail[:0] + pb[1].tail and pb[1].tail.startswith(pa[1].tail[:4])
    # what is kept: headings, table, form, links, pictures, the style sheet, the nbsp
    for xp in ("//h1", "//table//tr", "//td", "//form", "//a", "//img", "//style", "//select/option", "//textarea"):
        assert len(a.xpath(xp)) == len(b.xpath(xp)), xp
    assert "\u00a0" in b.xpath("//p[last()]")[0].text  # &nbsp; survives (as a character reference)
    assert b.xpath("//h1")[0].text == a.xpath("//h1")[0].text
    # what is dropped: scripts, handlers, comments, hidden elements, the author meta
    assert not b.xpath("//script") and not b.xpath("//comment()") and not b.xpath("//*[@onclick]")
    assert not b.xpath("//*[@hidden]") and not b.xpath("//input[@type='hidden']") and not b.xpath("//*[@class='hide']")
    assert not b.xpath("//meta[@name='author']") and b.xpath("//meta[@name='description']")
    assert "王建国" not in text


def test_check_reads_the_copy_back_clean(portal, redactor):
    _src, out, _secrets, _report = portal
    again = redactor.scan(out)
    assert not [r for r in again.findings if r.action not in ("keep",)], [(r.kind, r.location) for r in again.findings]
    assert again.verdict == "publish"


# ------------------------------------------------------------------------------------------
# Encodings


@pytest.mark.parametrize("data, codec, bom", [
    (b'<meta charset="gb2312"><p>' + "张三丰".encode("gbk"), "gbk", b""),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>' + "镕".encode("gbk"), "gbk", b""),
    (b"<meta charset=gb18030><p>" + "张".encode("gb18030"), "gb18030", b""),
    ("<p>张三丰 身份证</p>".encode("gbk"), "gbk", b""),                           # undeclared GBK
    (b'<meta charset="gb2312"><p>' + "张三丰".encode(), "utf-8", b""),    # saved UTF-8 page, stale meta
    (b"\xef\xbb\xbf<p>" + "张".encode(), "utf-8", b"\xef\xbb\xbf"),
    ("<p>张</p>".encode("utf-16-le"), None, None),                               # no BOM: not decodable as text
    (b"\xff\xfe" + "<p>张</p>".encode("utf-16-le"), "utf-16-le", b"\xff\xfe"),
    (b'<?xml version="1.0" encoding="big5"?><p>' + "張".encode("big5"), "big5", b""),
    (b"<meta charset=windows-1252><p>caf\xe9</p>", "cp1252", b""),
    (b"<p>plain ascii</p>", "utf-8", b""),
])
def test_encoding_detection(data, codec, bom):
    if codec is None:  # NUL bytes: the adapter refuses binary content
        with pytest.raises(UnreadableFileError):
            _extract_bytes(data)
        return
    text, got, got_bom = enc.decode(data, "x.html")
    assert (got, got_bom) == (codec, bom)
    assert enc.encode(text, got, got_bom) == data  # unchanged text keeps its bytes


def _extract_bytes(data: bytes):
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.html"
        p.write_bytes(data)
        return HtmlAdapter().extract(p)


def test_undecodable_page_is_an_error():
    with pytest.raises(UnreadableFileError) as e:
        enc.decode(b"<meta charset=utf-8><p>\xff\xfe\xfd\x80\x80</p>" + b"\x81" * 3, "bad.html")
    assert "bad.html" in str(e.value) and "[E200]" in str(e.value)


@pytest.mark.parametrize("codec, declare", [("gbk", "gb2312"), ("utf-8", "utf-8"), ("gb18030", "gb18030")])
def test_redacted_copy_keeps_the_encoding(tmp_path, redactor, codec, declare):
    src, secrets = F.portal_page(tmp_path / "p.html", seed=3, codec=codec, declare=declare)
    out = tmp_path / "out.html"
    report = redactor.redact(src, out)
    assert report.verdict == "redact" and report.error is None
    out.read_bytes().decode(codec)
    assert f"charset={declare}" in out.read_bytes().decode(codec)
    assert_gone(out, secrets.values(), codec)


# ------------------------------------------------------------------------------------------
# The flow: one string over many text nodes


def _flow(html: str) -> tuple[Flow, object]:
    p = lxml.html.fragment_fromstring(html)
    flow = Flow([Slot(p, "text")])
    for c in p:
        if c.tag == "br":
            flow.items.append(BREAK)
        else:
            flow.items.append(Slot(c, "text"))
        flow.items.append(Slot(c, "tail"))
    return flow, p


@pytest.mark.parametrize("html, text", [
    ("<p>电话<span>139</span><span>1234</span>5678</p>", "电话13912345678"),
    ("<p>  电话\n   <span> 139</span>\t1234 </p>", "电话 139 1234"),
    ("<p>一<br>  二</p>", "一\n二"),
    ("<p>a&nbsp; b</p>", "a\u00a0 b"),
])
def test_flow_reads_like_a_browser(html, text):
    flow, _ = _flow(html)
    assert flow.build()[0] == text


def test_flow_equal_length_mask_lands_in_each_node():
    flow, p = _flow("<p>电话<span>139</span><span>1234</span>5678。</p>")
    flow.apply([Edit(0, 2, 13, "139****5678")])
    assert etree.tostring(p, encoding="unicode") == "<p>电话<span>139</span><span>****</span>5678。</p>"


def test_flow_other_replacement_goes_into_the_first_node():
    flow, p = _flow("<p>申请人<b>张</b><i>三丰</i>到场</p>")
    flow.apply([Edit(0, 3, 6, "[姓名]")])
    assert etree.tostring(p, encoding="unicode") == "<p>申请人<b>[姓名]</b><i></i>到场</p>"


def test_flow_mask_over_collapsed_white_space():
    flow, p = _flow("<p>号码 139\n   1234 5678 止</p>")
    text, _ = flow.build()
    assert text == "号码 139 1234 5678 止"
    flow.apply([Edit(0, 3, 16, "*" * 13)])
    assert p.text == "号码 " + "*" * 13 + " 止"  # the collapsed run "\n   " is one character


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=1, max_value=17), min_size=1, max_size=5, unique=True),
       seed=st.integers(min_value=0, max_value=10_000))
def test_property_a_split_id_is_masked_in_any_split(tmp_path, cuts, seed):
    value = Synth.seeded(seed).id18()
    bounds = [0] + sorted(cuts) + [18]
    pieces = "".join(f"<span class=c{i}>{value[a:b]}</span>" if i % 2 else value[a:b]
                     for i, (a, b) in enumerate(itertools.pairwise(bounds)))
    src = tmp_path / f"s{seed}.html"
    src.write_text(f"<html><body><p>身份证号码：{pieces}。</p></body></html>", encoding="utf-8")
    out = tmp_path / f"s{seed}.out.html"
    report = Redactor(POLICY).redact(src, out)
    assert report.verdict == "redact", report.reasons
    assert_gone(out, [value], "utf-8")
    assert out.read_text(encoding="utf-8").count("<span") == src.read_text(encoding="utf-8").count("<span")


# ------------------------------------------------------------------------------------------
# Verdicts, round trip, bad files, reports


def test_clean_page_is_published_byte_for_byte(tmp_path, redactor):
    src = F.clean_page(tmp_path / "clean.html")
    report = redactor.redact(src, tmp_path / "out.html")
    assert report.verdict == "publish", report.reasons
    assert sha(src) == sha(tmp_path / "out.html")


def test_round_trip_without_edits_keeps_every_segment(tmp_path):
    src, _ = F.portal_page(tmp_path / "p.html", seed=5)
    a = HtmlAdapter()
    doc = a.extract(src)
    a.write(doc, [], tmp_path / "copy.html")
    kept = {s.text for s in a.extract(tmp_path / "copy.html").segments}
    dropped = {"comment", "script", "hidden_text"}
    author = {s.location["element"] for s in doc.segments if s.location.get("meta") == "author"}
    for s in doc.segments:
        if s.origin not in dropped and s.text.strip() and s.location.get("element") not in author:
            assert s.text in kept, (s.origin, dict(s.location))


def test_script_only_page_is_redacted_or_blocked_by_policy(tmp_path):
    src = tmp_path / "s.html"
    src.write_text("<html><body><p>通知</p><script>track()</script></body></html>", encoding="utf-8")
    rep = Redactor(POLICY).redact(src, tmp_path / "o.html")
    assert rep.verdict == "redact" and [r.kind for r in rep.findings] == ["script"]
    assert "track" not in (tmp_path / "o.html").read_text(encoding="utf-8")
    strict = Redactor(Policy(names=False).with_kinds(script=KindPolicy(verdict="block")))
    assert strict.scan(src).verdict == "block"


def test_names_in_split_spans_title_and_author(tmp_path):
    src = tmp_path / "n.html"
    src.write_text('<html><head><title>欧阳明华的申请</title><meta name="author" content="李建华"></head><body>'
                   '<p>申请人：<span>欧阳</span><b>明华</b>，现住某村。</p></body></html>', encoding="utf-8")
    out = tmp_path / "o.html"
    rep = Redactor(Policy()).redact(src, out)
    assert rep.verdict == "redact", rep.reasons
    assert_gone(out, ["欧阳明华", "李建华"], "utf-8")
    assert "<span>欧阳</span><b>某某</b>" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("data, needle", [
    (b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
    (b"<meta charset=utf-8>\xff\xfe\xfd\x80\x80\x81\x81\x81", "decode"),
])
def test_bad_pages_are_errors_naming_the_file(tmp_path, redactor, data, needle):
    p = tmp_path / "坏.html"
    p.write_bytes(data)
    rep = redactor.scan(p)
    assert rep.verdict == "error" and str(p) in rep.error and needle in rep.error


def test_folder_check_html_report_and_sarif_show_element_paths(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    F.portal_page(docs / "公示.htm")
    F.clean_page(docs / "通知.html")
    html_out = tmp_path / "r.html"
    code = cli.main(["check", str(docs), "--no-names", "-q", "--html", str(html_out)])
    assert code == 1
    rendered = html_out.read_text(encoding="utf-8")
    assert "element /html/body/div/table/tr[2]/td[2]" in rendered and "attribute alt" in rendered
    capsys.readouterr()
    cli.main(["check", str(docs), "--no-names", "--format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    locs = [json.dumps(r, ensure_ascii=False) for r in sarif["runs"][0]["results"]]
    assert any("/html/body/div/table/tr[2]/td[2]" in loc for loc in locs)
    capsys.readouterr()
    cli.main(["check", str(docs), "--no-names", "--format", "json"])
    files = {Path(f["path"]).name: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert files["公示.htm"]["verdict"] == "redact" and files["公示.htm"]["format"] == "html"
    assert files["通知.html"]["verdict"] == "publish"
