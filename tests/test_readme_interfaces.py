"""Every example of README's "For clerks and CI gates" section, run as a user would run it.

The section's fenced blocks are read from README.md: ``sh`` blocks run line by line with bash
in a folder holding a ``docs/`` tree of synthetic documents; the ``toml`` block is written as
``redactor.toml``; the serve and curl blocks run against a real server on a free port; the
``yaml`` block is validated by pre-commit and its hook is run by pre-commit itself.
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clerk_fixtures import env, free_port, make_folder, wait_http

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = str(Path(sys.executable).parent)


def section_blocks() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("## For clerks and CI gates")
    nxt = text.find("\n## ", start + 10)
    body = text[start: nxt if nxt != -1 else len(text)]
    return [(m.group(1), m.group(2)) for m in re.finditer(r"```(\w+)\n(.*?)```", body, re.S)]


def commands(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def bash(cmd: str, cwd: Path, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    e = env(PATH=BIN + os.pathsep + os.environ.get("PATH", ""), **(extra_env or {}))
    return subprocess.run(["bash", "-c", cmd], cwd=cwd, capture_output=True, text=True, timeout=180, env=e)


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    w = tmp_path_factory.mktemp("readme")
    make_folder(w / "docs")
    return w


def test_section_has_every_interface():
    kinds = [k for k, _ in section_blocks()]
    joined = "\n".join(b for _, b in section_blocks())
    assert kinds.count("toml") == 1 and kinds.count("yaml") == 1
    for needle in ("--html", "--format sarif", "--format json", "-j 2", "redactor serve", "curl", "config --show",
                   "redactor-check", "redactor redact"):
        assert needle in joined, needle
    # the README's toml and yaml blocks are complete files, not fragments
    assert section_blocks()[[k for k, _ in section_blocks()].index("toml")][1].startswith("# redactor.toml")


def test_terminal_config_and_ci_examples(work):
    blocks = section_blocks()
    toml = next(b for k, b in blocks if k == "toml")
    (work / "redactor.toml").write_text(toml, encoding="utf-8")
    sh = [b for k, b in blocks if k == "sh" and "redactor serve" not in b and "curl" not in b]
    assert len(sh) == 3
    cmds = [cmd for block in sh for cmd in commands(block)]
    # The commands are independent (each writes its own output): run them side by side.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:
        ran = list(zip(cmds, pool.map(lambda c: bash(c, work), cmds)))
    for cmd, r in ran:
        # documented exit codes: docs/ holds files to redact, a blocked and an empty file
        expected = {0} if "config --show" in cmd else {3}
        assert r.returncode in expected, (cmd, r.returncode, r.stderr[-2000:])
        assert "Traceback" not in r.stderr
    out = dict((c, r.stdout) for c, r in ran)
    assert "Files" in out["redactor check docs/"] and "Blocked or unreadable" in out["redactor check docs/"]
    assert out["redactor check docs/ -q"].strip() == "4 file(s): 1 publish, 1 redact, 1 block, 1 error"
    assert "- mobile" in out["redactor check docs/ -v"]
    assert (work / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (work / "published" / "申请表.txt").exists() and not (work / "published" / "sub" / "通知.txt").exists()
    # the config file took effect: mobile labelled, bank_card off, credit_code blocking
    shown = json.loads(out["redactor config --show"])
    assert shown["source"] == str(work / "redactor.toml")
    assert shown["kinds"]["mobile"]["operator"] == "label" and shown["kinds"]["bank_card"]["enabled"] is False
    assert "[手机号]" in (work / "published" / "申请表.txt").read_text(encoding="utf-8")
    report = json.loads((work / "redactor-report.json").read_text(encoding="utf-8"))
    assert report["schema"] == "redactor.report/1" and report["summary"]["exit_code"] == 3
    sarif = json.loads((work / "redactor.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_serve_and_curl_examples(work):
    blocks = section_blocks()
    serve_block = next(b for k, b in blocks if k == "sh" and "redactor serve" in b)
    curl_block = next(b for k, b in blocks if k == "sh" and "curl" in b)
    port = str(free_port())
    extra: dict[str, str] = {}
    serve_cmd = None
    for cmd in commands(serve_block):
        m = re.match(r"export (\w+)=(\S+)", cmd)
        if m:
            extra[m.group(1)] = m.group(2)
        else:
            serve_cmd = cmd.replace("8000", port)
    assert serve_cmd and extra == {"REDACTOR_API_TOKEN": "change-me"}
    e = env(PATH=BIN + os.pathsep + os.environ.get("PATH", ""), **extra)
    log = open(work / "serve.log", "w+")
    proc = subprocess.Popen(["bash", "-c", "exec " + serve_cmd], cwd=work, stdout=log, stderr=subprocess.STDOUT, env=e)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=90)
        results = []
        for cmd in commands(curl_block):
            r = bash(cmd.replace("8000", port), work)
            assert r.returncode == 0, (cmd, r.stderr)
            results.append(r.stdout)
        assert json.loads(results[0])["status"] == "ok"
        check = json.loads(results[1])
        assert check["schema"] == "redactor.report/1" and check["files"][0]["path"] == "申请表.txt"
        redact = json.loads(results[2])
        copy = base64.b64decode(redact["file"]["base64"]).decode("utf-8")
        assert redact["report"]["files"][0]["verdict"] == "redact" and "[手机号]" in copy
        assert (work / "申请表.redacted.txt").read_text(encoding="utf-8") == copy
    finally:
        proc.terminate()
        proc.wait(20)
        log.close()


def test_pre_commit_example(work, tmp_path):
    pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
    from pre_commit.clientlib import load_config, load_manifest

    yaml_block = next(b for k, b in section_blocks() if k == "yaml")
    cfg = tmp_path / ".pre-commit-config.yaml"
    cfg.write_text(yaml_block, encoding="utf-8")
    config = load_config(str(cfg))  # pre-commit's own schema check
    hook_ref = config["repos"][0]["hooks"][0]
    manifest = {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert hook_ref["id"] in manifest
    hook = manifest[hook_ref["id"]]
    assert hook["language"] == "python" and hook["entry"].startswith("redactor check")

    # Run it with pre-commit for real: the same hook as a local 'system' hook (the python
    # language would pip-install this repository into a fresh environment first).
    repo = tmp_path / "portal"
    shutil.copytree(work / "docs", repo / "docs", ignore=shutil.ignore_patterns("empty.txt"))
    (repo / "notes.csv").write_text("a,b\n", encoding="utf-8")
    local = {
        "repos": [{"repo": "local", "hooks": [{
            "id": hook["id"], "name": hook["name"], "entry": hook["entry"], "language": "system",
            "files": hook["files"], "types": hook["types"], "require_serial": hook["require_serial"],
            "args": hook_ref.get("args", []),
        }]}]
    }
    (repo / ".pre-commit-config.yaml").write_text(json.dumps(local), encoding="utf-8")  # JSON is YAML
    e = env(PATH=BIN + os.pathsep + os.environ.get("PATH", ""), PRE_COMMIT_HOME=str(tmp_path / "pc-home"),
            GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
            GIT_COMMITTER_EMAIL="t@example.org")
    run = lambda *a: subprocess.run(a, cwd=repo, capture_output=True, text=True, timeout=180, env=e)
    assert run("git", "init", "-q").returncode == 0
    run("git", "add", ".")
    r = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert r.returncode == 1, r.stdout + r.stderr  # the hook failed the commit
    assert "申请表.txt" in r.stdout and "通知.txt" in r.stdout and "notes.csv" not in r.stdout
    (repo / "docs" / "申请表.txt").unlink()
    shutil.rmtree(repo / "docs" / "sub")
    run("git", "add", "-A")
    r = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert r.returncode == 0, r.stdout + r.stderr  # only the clean document is left: passes
