"""CSV/TSV adapter: encodings, delimiters and quoting are found and kept; only masked fields change."""
from __future__ import annotations

import csv
import io

import pytest
import sheet_fixtures as F

from redactor.document import Edit
from redactor.errors import UnreadableFileError
from redactor.formats.delimited import DelimitedAdapter, decode, sniff_delimiter, split
from redactor.pipeline import Redactor
from redactor.residue import find_residue

P = F.people(3, seed=5)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


def _table(delim: str = ",", newline: str = "\r\n") -> str:
    rows = [["序号", "姓名", "身份证号", "联系电话", "家庭住址"]]
    for i, p in enumerate(P):
        rows.append([str(i + 1), p["name"], p["id"], p["mobile"], f"某村{i + 1}组{delim} 东头"])
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim, lineterminator=newline).writerows(rows)
    return buf.getvalue()


def _check_copy(path, out, encoding: str):
    """The copy is the original with only the values masked: same bytes elsewhere."""
    original = path.read_bytes().decode(encoding)
    copy = out.read_bytes().decode(encoding)
    assert find_residue(out, [v for p in P for v in (p["id"], p["mobile"], p["name"])]) == []
    rows_in = list(csv.reader(io.StringIO(original, newline=""), delimiter=sniff_delimiter(original)))
    rows_out = list(csv.reader(io.StringIO(copy, newline=""), delimiter=sniff_delimiter(original)))
    assert len(rows_in) == len(rows_out)
    for a, b in zip(rows_in, rows_out):
        assert len(a) == len(b)
        assert a[0] == b[0] and a[4] == b[4]  # unmasked columns unchanged
    return copy


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""),
                                           ("utf-16", b"")])
def test_encodings_are_kept(tmp_path, redactor, encoding, bom):
    path = tmp_path / "名单.csv"
    path.write_bytes(bom + _table().encode(encoding))
    out = tmp_path / "out.csv"
    report = redactor.redact(path, out)
    assert report.verdict == "redact", report.error
    data = out.read_bytes()
    assert data.startswith(bom) and (encoding != "utf-16" or data[:2] in (b"\xff\xfe", b"\xfe\xff"))
    copy = _check_copy(path, out, "utf-8-sig" if bom else encoding)
    assert f"{P[0]['mobile'][:3]}****{P[0]['mobile'][-4:]}" in copy


@pytest.mark.parametrize("delim", [",", "\t", ";", "|"])
def test_delimiters_and_quoting_are_kept(tmp_path, redactor, delim):
    path = tmp_path / ("a.tsv" if delim == "\t" else "a.csv")
    path.write_text(_table(delim), encoding="utf-8", newline="")
    out = tmp_path / ("out.tsv" if delim == "\t" else "out.csv")
    assert redactor.redact(path, out).verdict == "redact"
    copy = _check_copy(path, out, "utf-8")
    # The address field, quoted because it holds the delimiter, is byte for byte the same.
    assert f'"某村1组{delim} 东头"' in copy


def test_only_masked_fields_change(tmp_path, redactor):
    p = P[0]
    text = (f'序号,姓名,联系电话,备注\n1,"{p["name"]}",{p["mobile"]},"他说""好"",\n第二行"\n'
            f'2,无,"{p["mobile"]}",x')  # no final line end
    path = tmp_path / "a.csv"
    path.write_text(text, encoding="utf-8", newline="")
    out = tmp_path / "out.csv"
    assert redactor.redact(path, out).verdict == "redact"
    masked = f"{p['mobile'][:3]}****{p['mobile'][-4:]}"
    name = p["name"][0] + "某" * (len(p["name"]) - 1) if len(p["name"]) < 4 else None
    expected = text.replace(p["mobile"], masked)
    if name:
        expected = expected.replace(f'"{p["name"]}"', f'"{name}"')
    assert out.read_text(encoding="utf-8") == expected


def test_a_mask_that_needs_quotes_gets_them(tmp_path):
    doc_path = tmp_path / "a.csv"
    doc_path.write_text("姓名,电话\n张三,13800000000\n", encoding="utf-8")
    adapter = DelimitedAdapter()
    doc = adapter.extract(doc_path)
    i = next(i for i, s in enumerate(doc.segments) if s.text == "13800000000")
    adapter.write(doc, [Edit(i, 0, 11, '[电话, "甲"]')], tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == '姓名,电话\n张三,"[电话, ""甲""]"\n'


def test_header_is_context_and_bad_check_ids_are_masked(tmp_path, redactor):
    bad = F.bad_check(P[0]["id"])
    path = tmp_path / "a.csv"
    path.write_text(f"公示名单\n姓名,身份证号,金额\n{P[0]['name']},{bad},{bad}\n", encoding="utf-8")
    doc = DelimitedAdapter().extract(path)
    cells = {(s.location["row"], s.location["col"]): s for s in doc.segments}
    assert cells[(2, 1)].column_header == "身份证号" and cells[(0, 0)].column_header is None
    report = redactor.scan(path)
    ids = [doc.segments[r.location["segment"]].location for r in report.findings if r.kind == "id_card"]
    assert [(loc["row"], loc["col"]) for loc in ids] == [(2, 1)]  # not under 金额


def test_scientific_notation_ids_are_reported(tmp_path, redactor):
    path = tmp_path / "a.csv"
    path.write_text("姓名,身份证号\n某某,1.10105E+17\n", encoding="utf-8")
    report = redactor.scan(path)
    notes = [r for r in report.findings if r.kind == "number_precision"]
    assert len(notes) == 1 and notes[0].verdict == "info"
    assert DelimitedAdapter().extract(path).segments[notes[0].location["segment"]].location == {"row": 1, "col": 1}


def test_writing_nothing_is_byte_identical(tmp_path):
    data = "\ufeff序号;名称\r\n1;\"道路;维修\"\r\n2;x".encode("utf-8")
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    doc = DelimitedAdapter().extract(path)
    DelimitedAdapter().write(doc, [], tmp_path / "b.csv")
    assert (tmp_path / "b.csv").read_bytes() == data


@pytest.mark.parametrize("text, delim, rows", [
    ("a,b\n1,2\n", ",", [["a", "b"], ["1", "2"]]),
    ('a,"b,c"\r\n"x""y",\n', ",", [["a", "b,c"], ['x"y', ""]]),
    ('"multi\nline",2', ",", [["multi\nline", "2"]]),
    ("a\tb\rc\td", "\t", [["a", "b"], ["c", "d"]]),
    ('"unterminated,1\n2', ",", [["unterminated,1\n2"]]),
    ("", ",", [[""]]),
])
def test_split(text, delim, rows):
    assert [[f.value for f in r] for r in split(text, delim)] == rows
    for record in split(text, delim):
        for f in record:
            raw = text[f.start:f.end]
            assert raw == f.value or raw.startswith('"')


def test_sniff_delimiter():
    assert sniff_delimiter("a;b;c\n1;2;3\n") == ";"
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert sniff_delimiter("a|b\n1|2\n") == "|"
    assert sniff_delimiter("只有一列\n第二行\n") == ","
    assert sniff_delimiter('a,"x;y"\n1,2\n') == ","


def test_binary_and_undecodable_files_are_e200(tmp_path):
    with pytest.raises(UnreadableFileError, match="binary"):
        decode(b"a,b\x00c", "x.csv")
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8")  # UTF-16 BOM with a lone surrogate
    with pytest.raises(UnreadableFileError) as e:
        DelimitedAdapter().extract(path)
    assert str(path) in str(e.value)
