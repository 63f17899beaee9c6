"""Archives: streaming reports (--format jsonl) with flat memory, --resume after a killed run,
and a Dask LocalCluster giving the same JSON as one process."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


from clerk_fixtures import REDACTOR, add_samples, env, make_folder, run_cli
from redactor import cli
from redactor.ledger import Ledger
from redactor.reporting import FileReport


def tiny_folder(root: Path, n: int, per_dir: int = 1000) -> Path:
    """n small text files, some with a (synthetic-shaped) phone number, in folders of per_dir."""
    body = ["第{}次会议纪要：会议研究了有关事项。\n", "联系电话：1381234{:04}。\n", "内部资料\n第{}期简报\n"]
    for i in range(n):
        d = root / f"d{i // per_dir:03}"
        if i % per_dir == 0:
            d.mkdir(parents=True, exist_ok=True)
        fd = os.open(d / f"{i:06}.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, body[i % 3].format(i % 10000).encode("utf-8"))
        os.close(fd)
    return root


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


class Sink(io.TextIOBase):
    """stdout for the CLI: counts report lines and samples this process's resident memory."""

    def __init__(self, warm_after: int) -> None:
        self.lines, self.warm_after = 0, warm_after
        self.warm_rss = self.peak_rss = 0
        self.last = ""

    def write(self, s: str) -> int:
        self.lines += s.count("\n")
        self.last = s
        if self.lines >= self.warm_after:
            rss = _rss_kb()
            self.warm_rss = self.warm_rss or rss
            self.peak_rss = max(self.peak_rss, rss)
        return len(s)


def test_jsonl_of_20000_files_keeps_memory_flat(tmp_path, monkeypatch):
    """Peak resident memory after the first 2,000 files grows by less than 8 MB over 18,000 more:
    no list of paths, no list of reports (a list of 20,000 reports alone would be ~40 MB)."""
    root = tiny_folder(tmp_path / "archive", 20_000)
    sink = Sink(warm_after=2_000)
    monkeypatch.setattr(sys, "stdout", sink)
    code = cli.main(["check", str(root), "--format", "jsonl", "-j", "1", "--no-names", "-q"])
    summary = json.loads(sink.last)["summary"]
    assert sink.lines == 20_001 and summary["files"] == 20_000
    assert summary["verdicts"]["redact"] > 6000 and summary["verdicts"]["block"] > 6000 and code == 1
    growth_mb = (sink.peak_rss - sink.warm_rss) / 1024
    assert growth_mb < 8, f"memory grew by {growth_mb:.1f} MB from file 2,000 to file 20,000"


def test_jsonl_lines_are_the_json_reports_files(tmp_path):
    docs = make_folder(tmp_path / "docs")
    r = run_cli("check", str(tmp_path / "docs"), "--format", "jsonl", "--no-names", "-j", "2", "-q")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    whole = json.loads(run_cli("check", str(tmp_path / "docs"), "--format", "json", "--no-names", "-q").stdout)
    assert r.returncode == whole["summary"]["exit_code"] == 3  # empty.txt is unreadable
    assert lines[-1] == {"summary": whole["summary"]}
    assert sorted(lines[:-1], key=lambda f: f["path"]) == sorted(whole["files"], key=lambda f: f["path"])
    assert len(lines) - 1 == len(docs)


# --- resume ---------------------------------------------------------------------------------
def ledger_lines(path: Path) -> list[dict]:
    out = []
    for raw in path.read_bytes().splitlines(keepends=True):
        if raw.endswith(b"\n"):
            out.append(json.loads(raw))
    return out


def test_resume_after_a_killed_run_processes_only_the_rest(tmp_path):
    root = tiny_folder(tmp_path / "archive", 600, per_dir=100)
    ledger = tmp_path / "done.jsonl"
    args = [*REDACTOR, "redact", str(root), "-o", str(tmp_path / "out"), "--resume", str(ledger),
            "--format", "jsonl", "--no-names", "-j", "1"]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and p.poll() is None:
        if ledger.exists() and ledger.read_bytes().count(b"\n") >= 100:  # 100 files recorded
            break
        time.sleep(0.005)
    p.send_signal(signal.SIGKILL)
    p.wait(10)
    assert p.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    first = ledger_lines(ledger)
    assert 100 <= len(first) < 600

    r = subprocess.run(args, capture_output=True, text=True, env=env(), timeout=120)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines[-1]["summary"]["files"] == 600 and r.returncode == 1
    assert f"{len(first)} file(s) already done" in r.stderr
    after = ledger_lines(ledger)
    # every file recorded exactly once: the files done before the kill were not processed again
    assert len(after) == 600 and len({e["path"] for e in after}) == 600
    assert after[: len(first)] == first
    # and the resumed run's report is the uninterrupted run's
    fresh = run_cli("redact", str(root), "-o", str(tmp_path / "fresh"), "--format", "json", "--no-names", "-q")
    strip = lambda f: {**f, "output": Path(f["output"]).relative_to(f["output"].split("/out/")[0] + "/out")
                       if f.get("output") and "/out/" in f["output"] else None}
    resumed = sorted((strip(f) for f in lines[:-1]), key=lambda f: f["path"])
    want = [{**f, "output": Path(f["output"]).relative_to(tmp_path / "fresh") if f.get("output") else None}
            for f in json.loads(fresh.stdout)["files"]]
    assert resumed == sorted(want, key=lambda f: f["path"])
    assert len(list((tmp_path / "out").rglob("*.txt"))) == len(list((tmp_path / "fresh").rglob("*.txt")))


def test_resume_redoes_changed_files_and_missing_copies_and_ignores_a_torn_line(tmp_path):
    docs = make_folder(tmp_path / "docs")
    ledger = tmp_path / "l.jsonl"
    base = ["redact", str(tmp_path / "docs"), "-o", str(tmp_path / "out"), "--no-names", "--resume", str(ledger),
            "--format", "json", "-j", "1"]
    first = run_cli(*base)
    assert first.returncode == 3  # empty.txt
    n = len(ledger_lines(ledger))
    assert n == len(docs)  # an unreadable file is recorded too: it would fail again the same way
    with open(ledger, "ab") as f:
        f.write(b'{"path": "torn')  # killed while writing a line
    docs["clean"].write_text("# 工作动态\n\n联系电话：13812345678\n", encoding="utf-8")  # content changed
    (tmp_path / "out" / "sub" / "通知.txt").unlink(missing_ok=True)  # blocked: never written anyway
    (tmp_path / "out" / docs["personal"].name).unlink()  # a copy deleted since
    again = run_cli(*base)
    assert "2 file(s) already done" in again.stderr  # classified (blocked, no copy) and empty
    report = json.loads(again.stdout)
    assert {Path(f["path"]).name: f["verdict"] for f in report["files"]}["clean.md"] == "redact"
    assert (tmp_path / "out" / docs["personal"].name).exists()
    lines = ledger_lines(ledger)
    assert len(lines) == n + 2 and all("torn" not in json.dumps(x) for x in lines)
    assert json.loads(first.stdout)["summary"]["files"] == report["summary"]["files"]


def test_ledger_round_trips_a_report(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("联系电话：13812345678\n", encoding="utf-8")
    import redactor

    rep = redactor.scan(f, redactor.Policy(names=False))
    with Ledger(tmp_path / "l.jsonl") as led:
        found, stamp = led.lookup(str(f), None)
        assert found is None and stamp.size == f.stat().st_size
        led.record(str(f), None, stamp, rep)
    with Ledger(tmp_path / "l.jsonl") as led:
        found, _ = led.lookup(str(f), None)
        assert isinstance(found, FileReport) and found.to_dict() == rep.to_dict()
        assert led.lookup(str(f), str(tmp_path / "out.txt"))[0] is None  # a redact run is another entry
    raw = (tmp_path / "l.jsonl").read_text(encoding="utf-8")
    assert "13812345678" not in raw  # masked previews only, like every report


# --- Dask -----------------------------------------------------------------------------------
def test_dask_local_cluster_gives_the_same_json_as_one_process(tmp_path):
    make_folder(tmp_path / "docs")
    add_samples(tmp_path / "docs" / "office")
    one = run_cli("check", str(tmp_path / "docs"), "--format", "json", "-j", "1", "-q")
    dask = subprocess.run([*REDACTOR, "check", str(tmp_path / "docs"), "--format", "json", "--dask", "local:2", "-q"],
                          capture_output=True, text=True, timeout=300, env=env())
    assert dask.returncode == one.returncode == 3, dask.stderr[-2000:]
    assert dask.stdout == one.stdout
    assert "Traceback" not in dask.stderr


def test_dask_bad_options_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text("会议。\n", encoding="utf-8")
    r = run_cli("check", str(tmp_path / "a.txt"), "--dask", "local:0")
    assert r.returncode == 2 and "local:N" in r.stderr
    r = run_cli("check", str(tmp_path / "a.txt"), "--dask", "local:2", "-j", "2")
    assert r.returncode == 2 and "either" in r.stderr


def _crashing_job(job):
    """process_job, except that crash.txt kills the worker process every time (like a parser
    crash or the OOM killer). Module-level: a Dask worker unpickles it by name."""
    from redactor.engine import process_job

    if job.source.endswith("crash.txt"):
        os._exit(1)
    return process_job(job)


class Swap:
    """An executor that runs ``_crashing_job`` where it is asked to run ``process_job``."""

    def __init__(self, inner) -> None:
        self.inner, self.workers = inner, 2

    def submit(self, fn, *args):
        return self.inner.submit(_crashing_job, *args)


def test_dask_worker_killed_mid_file_is_retried_then_reported(tmp_path):
    """On a LocalCluster a file that kills its worker every time is tried on another worker,
    then reported as E298; the run completes and every other file is right."""
    from redactor.cluster import dask_executor
    from redactor.engine import run_batch
    from redactor.policy import Policy
    from redactor.reporting import RunReport

    make_folder(tmp_path / "docs")
    (tmp_path / "docs" / "crash.txt").write_text("会议。\n", encoding="utf-8")
    policy = Policy(names=False)
    with dask_executor("local:2") as ex:
        got = RunReport(files=list(run_batch([str(tmp_path / "docs")], policy, executor=Swap(ex), ordered=True)))
    want = RunReport(files=list(run_batch([str(tmp_path / "docs")], policy, ordered=True)))
    bad = [f for f in got.files if f.path.endswith("crash.txt")]
    assert len(bad) == 1 and bad[0].verdict == "error" and "[E298]" in bad[0].error and "died" in bad[0].error
    assert [f.to_dict() for f in got.files if f not in bad] == \
        [f.to_dict() for f in want.files if not f.path.endswith("crash.txt")]
    assert got.exit_code == 3
