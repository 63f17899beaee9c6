"""The command line a clerk and a CI gate use: exit codes, terminal output, formats, progress."""
from __future__ import annotations

import json
import os
import re
import pty
import select
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from clerk_fixtures import REDACTOR, env, make_folder, run_cli
from redactor.cli import main
from redactor.progress import Progress
from redactor.reporting import FileReport, RunReport
from redactor.terminal import Style, print_report

ANSI = "\x1b["


@pytest.fixture()
def folder(tmp_path: Path) -> dict[str, Path]:
    return make_folder(tmp_path / "docs")


def raw_values(files: dict[str, Path]) -> list[str]:
    """The synthetic identifiers in the personal file (values after the full-width colon)."""
    text = files["personal"].read_text(encoding="utf-8")
    return [line.split("：", 1)[1] for line in text.splitlines() if "：" in line]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- exit codes ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "which, expected",
    [("clean", 0), ("personal", 1), ("classified", 1), ("empty", 3)],
)
def test_exit_code_per_verdict(folder, capsys, which, expected):
    code, out, _ = cli(capsys, "check", str(folder[which]), "--no-names", "-j", "1")
    assert code == expected, out


def test_usage_errors_exit_2(folder, capsys):
    assert main(["check"]) == 2
    assert main(["check", str(folder["clean"]), "--format", "xml"]) == 2
    code, _, err = cli(capsys, "check", str(folder["clean"]), "-j", "-1")
    assert code == 2 and "jobs" in err
    code, _, err = cli(capsys, "redact", str(folder["clean"]))
    assert code == 2 and "-o OUTDIR" in err


# --- terminal output -------------------------------------------------------------------------
def test_default_output_lists_problem_files_and_summary_table(folder, capsys):
    code, out, _ = cli(capsys, "check", str(folder["personal"].parent), "--no-names", "-j", "1")
    assert code == 3  # one file is unreadable: that outranks findings
    lines = out.splitlines()
    assert any(line.startswith("REDACT") and line.endswith("申请表.txt") for line in lines)
    assert any(line.startswith("BLOCK") and "通知.txt" in line for line in lines)
    assert any(line.startswith("ERROR") and "empty.txt" in line for line in lines)
    assert not any("clean.md" in line for line in lines)  # publishable files only with -v
    # the summary table: files per verdict, findings per kind, blocked files with reasons
    i = lines.index("Files")
    assert [line.split() for line in lines[i + 1:i + 5]] == [["PUBLISH", "1"], ["REDACT", "1"], ["BLOCK", "1"], ["ERROR", "1"]]
    findings = lines[lines.index("Findings") + 1:lines.index("Blocked or unreadable")]
    counted = {line.split()[0]: int(line.split()[1]) for line in findings}
    assert counted == {"id_card": 1, "mobile": 1, "bank_card": 1, "classified_mark": 1}
    blocked = lines[lines.index("Blocked or unreadable") + 1:-1]
    assert len(blocked) == 2
    by_name = {Path(line.split(":")[0].split()[-1]).name: line for line in blocked}
    assert "机密★5年" in by_name["通知.txt"] and by_name["通知.txt"].split()[0] == "BLOCK"
    assert "file is empty" in by_name["empty.txt"] and by_name["empty.txt"].split()[0] == "ERROR"
    assert lines[-1] == "4 file(s): 1 publish, 1 redact, 1 block, 1 error"
    assert ANSI not in out  # not a terminal: no colour codes
    for value in raw_values(folder):
        assert value not in out


def test_quiet_is_one_line_and_verbose_lists_findings(folder, capsys):
    code, out, err = cli(capsys, "check", str(folder["personal"].parent), "--no-names", "-q", "-j", "1")
    assert out.splitlines() == ["4 file(s): 1 publish, 1 redact, 1 block, 1 error"] and err == ""
    code, out, _ = cli(capsys, "check", str(folder["personal"]), str(folder["clean"]), "--no-names", "-v", "-j", "1")
    assert "PUBLISH  " in out and "clean.md" in out
    finding_lines = [line.strip() for line in out.splitlines() if line.strip().startswith("- ")]
    assert [line.split()[1] for line in finding_lines] == ["id_card", "mobile", "bank_card"]
    assert "[line 1:9]" in finding_lines[0] and "[line 2:6]" in finding_lines[1]
    code, out2, _ = cli(capsys, "check", str(folder["personal"]), "--no-names", "-vv", "-j", "1")
    assert "GB 11643" in out2  # -vv adds each explanation
    for value in raw_values(folder):
        assert value not in out and value not in out2


def test_colours_follow_tty_no_color_and_force_color(monkeypatch):
    run = RunReport(files=[FileReport(path="a.txt", verdict="block", reasons=["机密"])])

    class Tty(StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty = Tty()
    print_report(run, tty)
    assert "\x1b[31;1mBLOCK" in tty.getvalue()  # red on a terminal
    plain = StringIO()
    print_report(run, plain)
    assert ANSI not in plain.getvalue() and "BLOCK    a.txt" in plain.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    tty = Tty()
    print_report(run, tty)
    assert ANSI not in tty.getvalue()
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert Style.for_stream(StringIO()).enabled


# --- progress bar ----------------------------------------------------------------------------
def test_progress_draws_only_on_a_terminal():
    class Tty(StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    bar = Progress(3, tty, min_interval=0)
    for name in ("a.txt", "b.txt", "c.txt"):
        bar.start(name)
        bar.advance()
    bar.close()
    text = tty.getvalue()
    assert "\r" in text and "0/3 a.txt" in text and "3/3 c.txt" in text
    assert text.endswith("\r\x1b[K")  # the bar is erased before the report is printed
    pipe = StringIO()
    bar = Progress(3, pipe, min_interval=0)
    bar.start("a.txt")
    bar.advance()
    bar.close()
    assert pipe.getvalue() == ""
    # a long path is shortened from the left to fit the terminal width
    bar = Progress(10, Tty())
    bar.current = "x/" * 100 + "last.txt"
    line = re.sub(r"\x1b\[[0-9;]*m", "", bar.line(columns=60))
    assert line.endswith("last.txt") and "…" in line and len(line) <= 60


def test_progress_on_a_real_pty_and_not_in_a_pipe(folder, tmp_path):
    master, slave = pty.openpty()
    proc = subprocess.Popen([*REDACTOR, "check", str(folder["personal"].parent), "--no-names", "-j", "1"],
                            stdout=subprocess.PIPE, stderr=slave, env=env(TERM="xterm", NO_COLOR="1"))
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    assert proc.wait(60) == 3
    os.close(master)
    tty_text = b"".join(chunks).decode(errors="replace")
    assert "4/4" in tty_text and "\r" in tty_text, tty_text
    assert "\r" not in out and "4 file(s)" in out  # the report on stdout is clean
    piped = run_cli("check", str(folder["personal"].parent), "--no-names", "-j", "1")
    assert piped.returncode == 3 and "\r" not in piped.stderr and "/4" not in piped.stderr


# --- machine formats -------------------------------------------------------------------------
def test_json_format_and_alias(folder, capsys):
    code, out, err = cli(capsys, "check", str(folder["personal"]), "--no-names", "--format", "json", "-j", "1")
    data = json.loads(out)
    assert code == 1 and data["schema"] == "redactor.report/1"
    assert data["files"][0]["verdict"] == "redact"
    assert [f["kind"] for f in data["files"][0]["findings"]] == ["id_card", "mobile", "bank_card"]
    assert err.strip() == "1 file(s): 0 publish, 1 redact, 0 block, 0 error"  # summary to stderr
    code, out2, _ = cli(capsys, "check", str(folder["personal"]), "--no-names", "--json", "-j", "1")
    assert json.loads(out2) == data
    for value in raw_values(folder):
        assert value not in out


def test_sarif_format_on_stdout(folder, capsys):
    code, out, _ = cli(capsys, "check", str(folder["classified"]), "--no-names", "--format", "sarif", "-q", "-j", "1")
    data = json.loads(out)
    assert code == 1 and data["version"] == "2.1.0"
    assert [r["level"] for r in data["runs"][0]["results"]] == ["error"]


def test_html_report_written(folder, tmp_path, capsys):
    report = tmp_path / "out" / "report.html"
    code, out, _ = cli(capsys, "check", str(folder["personal"].parent), "--no-names", "--html", str(report), "-q", "-j", "1")
    html = report.read_text(encoding="utf-8")
    assert code == 3 and html.startswith("<!DOCTYPE html>")
    for f in folder.values():
        assert str(f) in html
    for value in raw_values(folder):
        assert value not in html
    code, _, err = cli(capsys, "check", str(folder["clean"]), "--no-names", "--html", str(folder["clean"] / "x.html"), "-q")
    assert code == 2 and "HTML report" in err


def test_redact_writes_mirrored_copies_and_skips_blocked(folder, tmp_path, capsys):
    out_dir = tmp_path / "published"
    code, out, _ = cli(capsys, "redact", str(folder["personal"].parent), "-o", str(out_dir), "--no-names", "-j", "2")
    assert code == 3
    copy = (out_dir / "申请表.txt").read_text(encoding="utf-8")
    for value in raw_values(folder):
        assert value not in copy
    assert (out_dir / "clean.md").read_bytes() == folder["clean"].read_bytes()
    assert not (out_dir / "sub" / "通知.txt").exists()  # blocked: never written


def test_parallel_and_serial_give_identical_reports(folder):
    # (the full pipeline, names included, is compared in test_parallel.py)
    one = run_cli("check", str(folder["personal"].parent), "--no-names", "--format", "json", "-j", "1")
    two = run_cli("check", str(folder["personal"].parent), "--no-names", "--format", "json", "-j", "2")
    assert one.returncode == two.returncode == 3
    assert json.loads(one.stdout) == json.loads(two.stdout)


def test_serve_help_and_version():
    r = run_cli("serve", "--help")
    assert r.returncode == 0 and "--max-upload-mb" in r.stdout and "--token-env" in r.stdout
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("redactor ")


def test_module_entry_point_matches_console_script(folder):
    exe = Path(sys.executable).with_name("redactor")
    if not exe.exists():
        pytest.skip("console script not installed next to this interpreter")
    a = subprocess.run([str(exe), "check", str(folder["clean"]), "--no-names", "-q"], capture_output=True, text=True,
                       timeout=60)
    b = run_cli("check", str(folder["clean"]), "--no-names", "-q")
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout


def test_blocked_lines_fit_a_terminal_and_stay_whole_in_a_log(monkeypatch):
    from redactor.terminal import _width

    reason = "classified_mark '机密★5年' (origin body, line 1): classification mark 机密★5年: level 机密"
    run = RunReport(files=[FileReport(path="部门/" * 6 + "通知.txt", verdict="block", reasons=[reason])])

    class Tty(StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("NO_COLOR", "1")
    tty = Tty()
    print_report(run, tty)
    line = next(x for x in tty.getvalue().splitlines() if x.startswith("  BLOCK 部门"))
    assert line.endswith("…") and _width(line) <= 59
    log = StringIO()
    print_report(run, log)
    assert reason in log.getvalue()


def test_unknown_option_shows_the_subcommands_usage_and_help_lists_exit_codes(capsys):
    assert main(["check", "--frobnicate", "x.txt"]) == 2
    err = capsys.readouterr().err
    assert "usage: redactor check" in err and "unrecognized arguments: --frobnicate" in err
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    assert "exit codes" in out and "3  some input could not be read" in out
