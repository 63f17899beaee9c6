"""SARIF 2.1.0 output, validated against the official OASIS schema (vendored in tests/data)."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_fixtures import add_samples, make_folder
from redactor.engine import run_batch
from redactor.policy import Policy
from redactor.report.sarif import to_sarif
from redactor.reporting import FileReport, FindingRecord, RunReport

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def validate(doc: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_schema_is_the_official_one():
    assert SCHEMA["id"].endswith("/sarif-schema-2.1.0.json") and "2.1.0" in SCHEMA["title"]
    with pytest.raises(jsonschema.ValidationError):  # the validator really checks
        VALIDATOR.validate({"version": "2.1.0", "runs": [{"results": []}]})


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("sarif")
    files = make_folder(root / "docs")
    add_samples(root / "docs" / "office")
    run = RunReport(files=list(run_batch([str(root / "docs")], Policy(names=False), ordered=True)))
    return root, files, run


def test_real_run_is_valid_and_mapped(folder_run):
    root, files, run = folder_run
    doc = to_sarif(run, root=root)
    validate(doc)
    r0 = doc["runs"][0]
    assert doc["version"] == "2.1.0" and r0["tool"]["driver"]["name"] == "redactor"
    results = r0["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["id_card.gb11643_18"]["level"] == "warning"      # redact
    assert by_rule["classified.mark_line"]["level"] == "error"       # block
    assert by_rule["redactor.unreadable"]["level"] == "error"        # unreadable file
    rules = r0["tool"]["driver"]["rules"]
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    loc = next(r for r in results if r["ruleId"] == "mobile.cn" and r["locations"][0]["physicalLocation"][
        "artifactLocation"]["uri"].endswith(".txt"))["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "docs/%E7%94%B3%E8%AF%B7%E8%A1%A8.txt", "uriBaseId": "%SRCROOT%", "index": 0} \
        or loc["artifactLocation"]["uri"].endswith("%E7%94%B3%E8%AF%B7%E8%A1%A8.txt")
    assert loc["region"] == {"startLine": 2, "startColumn": 6, "endColumn": 17}
    assert r0["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
    verdicts = {Path(a["location"]["uri"]).name: a["properties"]["verdict"] for a in r0["artifacts"]}
    assert {"block", "error", "publish", "redact"} == set(verdicts.values())
    office = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith((".docx", ".pdf"))]
    if (root / "docs" / "office").exists():  # documents: logical locations, no line region
        assert office and all(r["locations"][0]["logicalLocations"][0]["name"] for r in office)
    assert r0["invocations"][0]["exitCode"] == 3 and r0["invocations"][0]["executionSuccessful"] is False
    text = json.dumps(doc, ensure_ascii=False)
    for line in files["personal"].read_text(encoding="utf-8").splitlines():
        assert line.split("：")[1] not in text  # no raw value anywhere


def test_fingerprints_are_stable_and_distinct(folder_run):
    root, _, run = folder_run
    a = to_sarif(run, root=root)["runs"][0]["results"]
    b = to_sarif(run, root=root)["runs"][0]["results"]
    fa = [r.get("partialFingerprints") for r in a]
    assert fa == [r.get("partialFingerprints") for r in b]
    prints = [f["redactorFinding/v1"] for f in fa if f]
    assert len(prints) == len(set(prints))


def test_document_locations_without_lines(tmp_path):
    """DOCX/PDF-style locations (page, table cell, paragraph) become logical locations."""
    rec = FindingRecord(kind="id_card", category="personal", score=0.99, rule="id_card.gb11643_18",
                        explanation="x", location={"segment": 4, "origin": "table", "page": 2, "table": 1, "row": 4,
                                                   "col": 2, "start": 0, "end": 18},
                        preview="110101********1234", action="mask", verdict="redact")
    run = RunReport(files=[FileReport(path=str(tmp_path / "表.docx"), verdict="redact", format="docx", findings=[rec]),
                           FileReport(path="/elsewhere/x.pdf", verdict="publish", format="pdf")])
    doc = to_sarif(run, root=tmp_path)
    validate(doc)
    res = doc["runs"][0]["results"][0]
    assert "region" not in res["locations"][0]["physicalLocation"]
    assert res["locations"][0]["logicalLocations"][0]["name"] == "page 2 · table 1, row 4, col 2"
    assert res["properties"]["location"]["row"] == 4
    assert doc["runs"][0]["artifacts"][1]["location"]["uri"] == "file:///elsewhere/x.pdf"


records = st.builds(
    FindingRecord,
    kind=st.sampled_from(["id_card", "mobile", "classified_mark", "credit_code", "comment"]),
    category=st.sampled_from(["personal", "confidential", "organisation", "hidden"]),
    score=st.floats(0, 1),
    rule=st.from_regex(r"[a-z_]{1,8}\.[a-z0-9_]{1,8}", fullmatch=True),
    explanation=st.text(max_size=30),
    location=st.fixed_dictionaries({"segment": st.integers(0, 5), "start": st.integers(0, 50),
                                     "end": st.integers(51, 90)},
                                    optional={"line": st.integers(1, 999), "column": st.integers(1, 99),
                                              "page": st.integers(1, 30), "paragraph": st.integers(0, 99)}),
    preview=st.text(max_size=20),
    action=st.sampled_from(["mask", "keep", "label"]),
    verdict=st.sampled_from(["info", "redact", "block"]),
)
reports = st.builds(
    FileReport,
    path=st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"), min_size=1, max_size=12),
    verdict=st.sampled_from(["publish", "redact", "block", "error"]),
    format=st.sampled_from([None, "text", "docx", "pdf"]),
    findings=st.lists(records, max_size=4),
    reasons=st.lists(st.text(max_size=20), max_size=2),
    error=st.one_of(st.none(), st.text(max_size=20)),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(reports, max_size=5))
def test_any_run_report_gives_valid_sarif(tmp_path, files):
    validate(to_sarif(RunReport(files=files), root=tmp_path))
