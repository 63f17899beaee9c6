"""Configuration: discovery by walking up, [tool.redactor], --config, effects, and clear errors."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from clerk_fixtures import run_cli
from redactor.cli import main
from redactor.errors import ConfigError
from redactor.pipeline import Redactor
from redactor.policy import Policy, find_config
from redactor.synth import Synth

S = Synth.seeded(3)
MOBILE = S.mobile()
OFFICE = S.mobile()
IDNO = S.id18()


# --- discovery -------------------------------------------------------------------------------
def test_find_config_walks_up_to_the_nearest(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) is None or not str(find_config(deep)).startswith(str(tmp_path))
    (tmp_path / "redactor.toml").write_text("threshold = 0.6\n", encoding="utf-8")
    assert find_config(deep) == tmp_path / "redactor.toml"
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert find_config(deep) == tmp_path / "redactor.toml"  # a pyproject without [tool.redactor] is skipped
    (tmp_path / "a" / "b" / "pyproject.toml").write_text("[tool.redactor]\nthreshold = 0.7\n", encoding="utf-8")
    assert find_config(deep) == tmp_path / "a" / "b" / "pyproject.toml"
    (tmp_path / "a" / "b" / "redactor.toml").write_text("threshold = 0.8\n", encoding="utf-8")
    assert find_config(deep) == tmp_path / "a" / "b" / "redactor.toml"  # redactor.toml wins in one folder
    assert Policy.from_file(find_config(deep)).threshold == 0.8


def test_pyproject_tool_table_is_read(tmp_path):
    py = tmp_path / "pyproject.toml"
    py.write_text('[project]\nname = "portal"\n\n[tool.redactor]\nthreshold = 0.65\nofficials = "mask"\n', encoding="utf-8")
    p = Policy.from_file(py)
    assert (p.threshold, p.officials, p.source) == (0.65, "mask", str(py))


FULL = f"""
threshold = 0.6
officials = "mask"
allow = ["{OFFICE}"]
allow_regex = ['1380000\\d{{4}}']
deny = ["天河二期"]
deny_regex = ['XM-\\d{{4}}']
extra_patterns = ["rules/extra.toml"]
sensitive_terms = ["rules/terms.txt"]
max_file_mb = 20

[disclosure]
"依申请公开" = "redact"

[kinds.mobile]
operator = "label"

[kinds.bank_card]
enabled = false

[kinds.credit_code]
verdict = "block"
threshold = 0.9
"""

EXTRA_RULES = """
[[rule]]
name = "staff.number"
kind = "passport"
pattern = '(?<![0-9A-Z])ZZ[0-9]{6}(?![0-9])'
validator = "always"
score = 0.9
explanation = "staff number of the test rules"
"""


@pytest.fixture()
def project(tmp_path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "extra.toml").write_text(EXTRA_RULES, encoding="utf-8")
    (tmp_path / "rules" / "terms.txt").write_text("金盾工程\n", encoding="utf-8")
    (tmp_path / "redactor.toml").write_text(FULL, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_every_setting_takes_effect(project):
    policy = Policy.from_file(project / "redactor.toml")
    assert policy.extra_patterns == (str(project / "rules" / "extra.toml"),)  # relative to the file
    r = Redactor(policy.__class__(**{**policy.__dict__, "names": False}))
    text = (f"联系电话{MOBILE}，或{OFFICE}，或13800001234；项目天河二期，编号XM-2024；"
            f"工号ZZ123456；卡号{S.bank_card(19)}；身份证{IDNO}。")
    kinds = {(f.kind, f.text) for f in r.scan_text(text)}
    assert ("mobile", MOBILE) in kinds
    assert not any(v in (OFFICE, "13800001234") for _, v in kinds)  # allow list and allow regex
    assert ("denied", "天河二期") in kinds and ("denied", "XM-2024") in kinds  # deny list and regex
    assert ("passport", "ZZ123456") in kinds  # extra pattern file
    assert not any(k == "bank_card" for k, _ in kinds)  # kind disabled
    out = r.redact_text(text)
    assert "[手机号]" in out and MOBILE not in out  # per-kind operator
    assert IDNO not in out
    assert policy.for_kind("credit_code").verdict == "block" and policy.threshold_for("credit_code") == 0.9
    assert policy.threshold_for("mobile") == 0.6 and policy.max_file_mb == 20
    assert policy.disclosure["依申请公开"] == "redact" and policy.disclosure["不公开"] == "block"


def test_cli_finds_config_by_walking_up_and_config_show_prints_it(project):
    sub = project / "docs" / "2024"
    sub.mkdir()
    r = run_cli("config", "--show", cwd=sub)
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert shown["source"] == str(project / "redactor.toml")
    assert shown["threshold"] == 0.6 and shown["officials"] == "mask"
    assert shown["kinds"]["mobile"]["operator"] == "label" and shown["kinds"]["bank_card"]["enabled"] is False
    (sub / "a.txt").write_text(f"卡号{S.bank_card(19)}，电话{MOBILE}\n", encoding="utf-8")
    r = run_cli("check", "a.txt", "--no-names", "--format", "json", cwd=sub)
    kinds = [f["kind"] for f in json.loads(r.stdout)["files"][0]["findings"]]
    assert kinds == ["mobile"]  # bank_card disabled by the discovered config


def test_explicit_config_overrides_discovery(project, tmp_path_factory, capsys):
    other = tmp_path_factory.mktemp("other") / "strict.toml"
    other.write_text("threshold = 0.95\n", encoding="utf-8")
    cwd = os.getcwd()
    try:
        os.chdir(project / "docs")
        assert main(["config", "--show", "--config", str(other)]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["source"] == str(other) and shown["threshold"] == 0.95
        assert main(["config", "--show"]) == 0
        assert json.loads(capsys.readouterr().out)["source"] == str(project / "redactor.toml")
    finally:
        os.chdir(cwd)


def test_hmac_key_is_hidden_in_config_show(tmp_path, capsys):
    cfg = tmp_path / "redactor.toml"
    cfg.write_text('hmac_key = "very-secret-key"\n', encoding="utf-8")
    assert main(["config", "--show", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "very-secret-key" not in out and json.loads(out)["hmac_key"] == "***"


# --- invalid configuration: one clear error naming key and file, exit 2 -----------------------
BAD = [
    ("threshhold = 0.5", "threshhold", "unknown key"),
    ("threshold = 'high'", "threshold", "must be a number"),
    ("threshold = 5", "threshold", "between 0 and 1"),
    ("max_file_mb = 0", "max_file_mb", "positive"),
    ("officials = 'hide'", "officials", "'keep' or 'mask'"),
    ("allow = 'x'", "allow", "list of strings"),
    ("names = 'yes'", "names", "true or false"),
    ("deny_regex = ['(unclosed']", "deny_regex", "bad regular expression"),
    ("extra_patterns = ['nope.toml']", "extra_patterns", "file not found"),
    ("kinds = ['mobile']", "kinds", "must be a table"),
    ("[kinds.mobil]\noperator = 'mask'", "kinds.mobil", "unknown kind"),
    ("[kinds.mobile]\noperator = 'blur'", "kinds.mobile.operator", "unknown operator"),
    ("[kinds.mobile]\nverdict = 'publish'", "kinds.mobile.verdict", "redact, block or info"),
    ("[kinds.mobile]\nthreshold = 2", "kinds.mobile.threshold", "between 0 and 1"),
    ("[kinds.mobile]\ncolour = 'red'", "kinds.mobile.colour", "unknown key"),
    ("[disclosure]\n'不公开' = 'maybe'", "disclosure", "publish/redact/block"),
]


@pytest.mark.parametrize("content, key, why", BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_invalid_config_names_key_and_file(tmp_path, capsys, content, key, why):
    cfg = tmp_path / "redactor.toml"
    cfg.write_text(content + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        Policy.from_file(cfg)
    msg = str(e.value)
    assert f"key '{key}'" in msg and str(cfg) in msg and why in msg and msg.startswith("[E100]")
    doc = tmp_path / "a.txt"
    doc.write_text("你好\n", encoding="utf-8")
    assert main(["check", str(doc), "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"key '{key}'" in err and str(cfg) in err  # one line, no traceback


@pytest.mark.parametrize("make", ["syntax", "missing", "folder", "pyproject_not_table"])
def test_unreadable_config_files(tmp_path, capsys, make):
    if make == "syntax":
        cfg = tmp_path / "redactor.toml"
        cfg.write_text("threshold = = 1\n", encoding="utf-8")
        expect = "not valid TOML"
    elif make == "missing":
        cfg = tmp_path / "absent.toml"
        expect = "not found"
    elif make == "folder":
        cfg = tmp_path / "cfgdir"
        cfg.mkdir()
        expect = "cannot read config file"
    else:
        cfg = tmp_path / "pyproject.toml"
        cfg.write_text("[tool]\nredactor = 3\n", encoding="utf-8")
        expect = "tool.redactor"
    assert main(["config", "--show", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expect in err and str(cfg) in err


def test_broken_discovered_config_is_an_error_not_ignored(tmp_path):
    (tmp_path / "redactor.toml").write_text("[kinds.mobile]\noperator = 'blur'\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("你好\n", encoding="utf-8")
    r = run_cli("check", "a.txt", "--no-names", cwd=tmp_path)
    assert r.returncode == 2 and "kinds.mobile.operator" in r.stderr and "redactor.toml" in r.stderr
    assert "Traceback" not in r.stderr


def test_officials_policy_flips_official_names(tmp_path):
    from redactor.findings import Finding

    official = Finding("official", 0, 2, "王某", 0.9, "names.title", "post title next to the name")
    keep = Policy()
    (tmp_path / "redactor.toml").write_text('officials = "mask"\n', encoding="utf-8")
    mask = Policy.from_file(tmp_path / "redactor.toml")
    assert (keep.verdict_for(official), keep.operator_for(official)) == ("info", "keep")
    assert (mask.verdict_for(official), mask.operator_for(official)) == ("redact", "mask")


def test_kinds_table_is_the_single_source(tmp_path):
    """patterns/kinds.toml holds every kind; a config may name any of them without importing
    the module that reports it (ocr_page is reported by the PDF adapter)."""
    from redactor.findings import KINDS, load_kinds
    from redactor.policy import Policy

    assert {"id_card", "person", "official", "ocr_page", "previous_versions", "denied"} <= set(KINDS)
    cfg = tmp_path / "redactor.toml"
    cfg.write_text('[kinds.ocr_page]\nverdict = "block"\n', encoding="utf-8")
    assert Policy.from_file(cfg).for_kind("ocr_page").verdict == "block"
    for info in KINDS.values():
        assert info.operator in ("mask", "label", "pseudonym", "generalize", "hmac", "remove", "keep")
    with pytest.raises(ConfigError, match="category"):
        load_kinds({"x": {"category": "secret", "label": "x", "operator": "mask", "verdict": "redact"}})


def test_hidden_content_reports_action_remove():
    """Tracked changes, comments, metadata are removed from the copy: the report says so."""
    from redactor.findings import Finding
    from redactor.pipeline import Decision, Redactor

    r = Redactor()
    f = Finding("comment", 0, 0, "", 1.0, "docx.comment", "a comment")
    (d,) = r.decide([f])
    assert isinstance(d, Decision) and d.action == "remove" and not d.masks
    (d,) = r.decide([f.with_(kind="no_text_layer")])
    assert d.action == "keep"
