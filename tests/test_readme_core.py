"""The README's core examples (quick start, Python API, CLI) run as written."""
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import redactor
from redactor.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


QUICK_START = ["python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/redactor check samples/",
               "bash scripts/setup_test_env.sh && .venv/bin/python -m pytest -q"]


def _quick_start_commands() -> list[str]:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_quick_start_commands_are_the_ci_commands():
    assert _quick_start_commands() == QUICK_START
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/setup_test_env.sh" in ci and "\n.venv/bin/python -m pytest -q\n" in ci


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the repository to clone")
def test_quick_start_runs_in_a_fresh_venv_on_a_fresh_clone(tmp_path):
    """README's first command, exactly as written, in a clone of this repository: a fresh
    virtual environment, a non-editable install, the main job on the bundled samples."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    # the machine's own python3 (the one a user types), not this test's interpreter
    res = subprocess.run(["bash", "-c", _quick_start_commands()[0]], cwd=clone, env=env, capture_output=True,
                         text=True, timeout=1500)
    assert res.returncode == 1, res.stdout[-2000:] + res.stderr[-3000:]  # samples need redaction / review
    out = res.stdout
    assert "Traceback" not in res.stderr
    for sample in ("txt_penalty_decision.txt", "txt_internal_notice.txt"):
        assert sample in out
    # the installed package is the clone's, with its data files, not this checkout's
    where = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-c",
                            "import redactor, os; print(os.path.dirname(redactor.__file__))"],
                           capture_output=True, text=True, env=env, timeout=60).stdout.strip()
    assert "site-packages" in where and str(ROOT) not in where


def test_python_api_examples():
    assert redactor.redact_text("申请人联系电话：13812345678") == "申请人联系电话：138****5678"
    (f,) = [f for f in redactor.scan_text("身份证号码：11010519491231002X") if f.kind == "id_card"]
    assert (f.start, f.end, f.rule) == (6, 24, "id_card.gb11643_18")
    from redactor import KindPolicy, Policy, Redactor

    r = Redactor(Policy().with_kinds(mobile=KindPolicy(operator="label")))
    assert r.redact_text("电话13812345678") == "电话[手机号]"


def test_main_job_on_samples(capsys):
    code = main(["check", str(ROOT / "samples"), "--json"])
    report = json.loads(capsys.readouterr().out)
    verdicts = {Path(f["path"]).name: f["verdict"] for f in report["files"]}
    assert code == 1
    assert verdicts["txt_policy_report.txt"] == "publish"
    assert verdicts["txt_penalty_decision.txt"] == "redact"
    assert verdicts["txt_internal_notice.txt"] == "block"
    assert verdicts["txt_subsidy_list.md"] == "redact"
    assert "error" not in verdicts.values()


def test_json_report_example_keys_match_real_report(capsys):
    example = json.loads(README.split("### The JSON report", 1)[1].split("```json", 1)[1].split("```", 1)[0])
    from redactor.reporting import RunReport

    real = RunReport(files=list(redactor.run_batch([str(ROOT / "samples" / "txt_penalty_decision.txt")]))).to_dict()
    assert set(example) == set(real)
    assert set(example["files"][0]) - {"error", "output"} <= set(real["files"][0])
    assert set(example["files"][0]["findings"][0]) <= set(real["files"][0]["findings"][0]) | {"attrs"}
    assert set(example["summary"]) == set(real["summary"])


def test_stdin_example(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("电话13812345678\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "redactor", "redact", "-"], stdin=src.open("rb"),
                         capture_output=True, check=False)
    assert out.returncode == 1 and out.stdout.decode() == "电话138****5678\n"


def test_wheel_ships_patterns_and_models(tmp_path):
    """patterns/ must reach users: it is force-included in the wheel as redactor/patterns."""
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    (wheel,) = tmp_path.glob("redactor-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("redactor/patterns/structured.toml", "redactor/patterns/region_codes.csv", "redactor/patterns/kinds.toml",
                   "redactor/report/report.schema.json",
                   "redactor/patterns/confidential.toml"):
        assert needed in names
    assert any(re.match(r"redactor/models/.+", n) for n in names)
