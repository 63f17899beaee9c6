"""End to end on text files: verdicts, JSON report, exit codes, mirrored output, bad input."""
import hashlib
import io
import json
import sys

import pytest

import redactor
from redactor.cli import main
from redactor.synth import Synth

S = Synth.seeded(3)
ID = S.id18()
PHONE = S.mobile()
CARD = S.bank_card(19)


def tree(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "clean.txt").write_text("关于做好2019年春耕生产工作的通知\n各乡镇人民政府：\n请做好春耕工作。\n", encoding="utf-8")
    (src / "sub" / "person.txt").write_text(f"申请人身份证号码：{ID}\r\n联系电话：{PHONE}\r\n", encoding="utf-8")
    (src / "gbk.md").write_bytes(f"# 公示\n银行卡号：{CARD}\n".encode("gb18030"))
    return src


def digest(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def run_cli(args, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_json_report_schema_and_no_raw_values(tmp_path, capsys):
    src = tree(tmp_path)
    code, out, _ = run_cli(["check", str(src), "--json", "--no-names"], capsys)
    assert code == 1
    report = json.loads(out)
    assert report["schema"] == "redactor.report/1"
    by_name = {f["path"].split("/")[-1]: f for f in report["files"]}
    assert by_name["clean.txt"]["verdict"] == "publish"
    assert by_name["person.txt"]["verdict"] == "redact"
    assert by_name["gbk.md"]["verdict"] == "redact"
    f0 = by_name["person.txt"]["findings"][0]
    for key in ("kind", "category", "score", "location", "rule", "preview", "explanation"):
        assert key in f0
    assert f0["location"]["line"] == 1
    assert report["summary"]["verdicts"] == {"publish": 1, "redact": 2, "block": 0, "error": 0}
    for raw in (ID, PHONE, CARD, ID[6:14]):
        assert raw not in out


def test_exit_code_clean_is_zero(tmp_path, capsys):
    src = tree(tmp_path)
    code, out, _ = run_cli(["check", str(src / "clean.txt"), "--no-names"], capsys)
    assert code == 0 and "1 publish" in out


def test_redact_writes_mirrored_tree_and_never_touches_inputs(tmp_path, capsys):
    src = tree(tmp_path)
    before = digest(src)
    out = tmp_path / "out"
    code, _, _ = run_cli(["redact", str(src), "-o", str(out), "--no-names"], capsys)
    assert code == 1
    assert digest(src) == before
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == ["clean.txt", "gbk.md", "sub/person.txt"]
    assert (out / "clean.txt").read_bytes() == (src / "clean.txt").read_bytes()
    person = (out / "sub" / "person.txt").read_bytes().decode("utf-8")
    assert ID not in person and PHONE not in person and "\r\n" in person  # CRLF kept
    assert f"{ID[:6]}********{ID[-4:]}" in person
    gbk = (out / "gbk.md").read_bytes().decode("gb18030")  # encoding kept
    assert CARD not in gbk and CARD[-4:] in gbk
    assert not [p for p in out.rglob("*.tmp")]


def test_redact_into_folder_inside_input_does_not_recurse(tmp_path, capsys):
    src = tree(tmp_path)
    out = src / "redacted"
    run_cli(["redact", str(src), "-o", str(out), "--no-names"], capsys)
    run_cli(["redact", str(src), "-o", str(out), "--no-names"], capsys)
    assert not (out / "redacted").exists()


def test_bad_inputs_are_errors_and_the_rest_is_processed(tmp_path, capsys):
    src = tree(tmp_path)
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (src / "image.gif").write_bytes(b"GIF89a")  # .jpg is a supported picture now; .gif is not
    code, out, _ = run_cli(["check", str(src), "--json", "--no-names"], capsys)
    assert code == 3
    files = {f["path"].split("/")[-1]: f for f in json.loads(out)["files"]}
    for name, words in (("empty.txt", "empty"), ("binary.txt", "binary"), ("image.gif", "unsupported")):
        assert files[name]["verdict"] == "error"
        assert words in files[name]["error"] and name in files[name]["error"]
    assert files["person.txt"]["verdict"] == "redact"


def test_missing_path_is_an_error(tmp_path, capsys):
    code, out, _ = run_cli(["check", str(tmp_path / "nope.txt"), "--no-names"], capsys)
    assert code == 3 and "1 error" in out


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main([]) == 2
    assert main(["redact", str(tmp_path)]) == 2  # no -o
    bad = tmp_path / "redactor.toml"
    bad.write_text("nonsense = 1\n", encoding="utf-8")
    assert main(["check", str(tmp_path), "--config", str(bad)]) == 2
    assert "nonsense" in capsys.readouterr().err


def test_stdin_to_stdout(capsys, monkeypatch):
    code, out, err = run_cli(["redact", "-", "--no-names"], capsys, stdin=f"电话{PHONE}\n", monkeypatch=monkeypatch)
    assert code == 1
    assert out == f"电话{PHONE[:3]}****{PHONE[-4:]}\n"
    assert "1 redact" in err


def test_stdin_check_json(capsys, monkeypatch):
    code, out, _ = run_cli(["check", "-", "--json", "--no-names"], capsys, stdin=f"身份证{ID}", monkeypatch=monkeypatch)
    assert code == 1 and json.loads(out)["files"][0]["findings"][0]["kind"] == "id_card"


def test_library_file_api(tmp_path):
    src = tree(tmp_path)
    rep = redactor.scan(src / "sub" / "person.txt", policy=redactor.Policy(names=False))
    assert rep.verdict == "redact" and {r.kind for r in rep.findings} == {"id_card", "mobile"}
    out = tmp_path / "o.txt"
    rep = redactor.redact(src / "sub" / "person.txt", out, policy=redactor.Policy(names=False))
    assert rep.output == str(out) and ID not in out.read_text(encoding="utf-8")


def test_verification_refuses_a_copy_that_leaks(tmp_path, monkeypatch):
    from redactor.formats import text as text_format

    src = tree(tmp_path)
    monkeypatch.setattr(text_format, "apply_edits", lambda text, edits: text)  # a broken writer
    monkeypatch.setattr("redactor.pipeline.apply_edits", lambda text, edits: text)
    out = tmp_path / "o.txt"
    rep = redactor.redact(src / "sub" / "person.txt", out, policy=redactor.Policy(names=False))
    assert rep.verdict == "error" and "E300" in rep.error
    assert not out.exists() and not list(tmp_path.glob(".o.txt.*"))


def test_extract_then_write_without_findings_changes_nothing(tmp_path):
    from redactor.formats.text import TextAdapter

    p = tmp_path / "a.txt"
    p.write_bytes("第一行\r\n第二行\n\ufeff".encode("utf-8"))
    ad = TextAdapter()
    doc = ad.extract(p)
    ad.write(doc, [], tmp_path / "b.txt")
    assert (tmp_path / "b.txt").read_bytes() == p.read_bytes()


def test_report_locations_count_from_one():
    """One convention: every position a person reads counts from 1 in the JSON report; the
    adapters' 0-based indices are converted once, in reporting.location_of."""
    from redactor.document import Document, Segment
    from redactor.findings import Finding
    from redactor.reporting import location_of

    doc = Document("x.docx", "docx", [
        Segment("甲", location={"part": "word/document.xml", "paragraph": 0}),
        Segment("乙", origin="table", location={"table": 0, "row": 2, "col": 1}),
        Segment("丙", origin="comment", location={"comment": "0"}),
        Segment("丁", location={"page": 1, "line": 1}),
    ])
    loc = [location_of(Finding("person", 0, 1, "x", 1.0, "r", "e", i), doc) for i in range(4)]
    assert loc[0]["paragraph"] == 1 and loc[0]["segment"] == 0 and loc[0]["start"] == 0
    assert (loc[1]["table"], loc[1]["row"], loc[1]["col"]) == (1, 3, 2)
    assert loc[2]["comment"] == 1
    assert (loc[3]["page"], loc[3]["line"]) == (1, 1)


def test_reports_are_validated_against_the_published_schema():
    """The schema ships in the package; the suite validates every report with it (conftest sets
    REDACTOR_VALIDATE_REPORTS, inherited by CLI and service subprocesses)."""
    import os

    import jsonschema
    import pytest

    from redactor.reporting import FileReport, RunReport, report_schema, validate_report

    assert os.environ.get("REDACTOR_VALIDATE_REPORTS") == "1"
    assert report_schema()["$id"] == "redactor.report/1"
    good = RunReport(files=[FileReport(path="a.txt", verdict="publish", format="text")]).to_dict()
    validate_report(good)
    bad = dict(good, files=[dict(good["files"][0], verdict="maybe")])
    with pytest.raises(jsonschema.ValidationError):
        validate_report(bad)
    leaky = dict(good, files=[dict(good["files"][0], text="13812345678")])  # no field for raw text
    with pytest.raises(jsonschema.ValidationError):
        validate_report(leaky)
