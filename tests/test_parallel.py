"""One executor path: serial, a process pool (-j N) and Dask give the same reports; faults cost no file."""
from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from clerk_fixtures import add_samples, make_folder
from redactor import engine
from redactor.engine import ProcessPool, default_jobs, run_batch
from redactor.policy import Policy
from redactor.reporting import RunReport
from redactor.synth import Synth


def mixed_folder(root: Path, n: int = 24) -> Path:
    s = Synth.seeded(11)
    make_folder(root / "base")
    for i in range(n):
        kind = i % 4
        if kind == 0:
            text = f"第{i}号：申请人{s.name()}，身份证号{s.id18()}，电话{s.mobile()}。\n"
        elif kind == 1:
            text = f"内部资料 注意保存\n第{i}期工作简报\n"
        elif kind == 2:
            text = f"第{i}次会议纪要：会议研究了有关事项。\n"
        else:
            text = f"收款账号{s.bank_card()}，邮箱{s.email()}\n"
        d = root / f"group{i % 3}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"doc{i:03}.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = mixed_folder(tmp_path_factory.mktemp("par"))
    add_samples(root / "office")  # .docx and .pdf, when the repository has them
    return root


def run(paths, policy=None, outdir=None, executor=None, **kw) -> RunReport:
    return RunReport(files=list(run_batch([str(p) for p in paths], policy, outdir, executor, ordered=True, **kw)))


FAST = Policy(names=False)


def test_check_two_workers_identical_to_one(folder):
    policy = Policy()  # names included: the whole pipeline
    serial = run([folder], policy)
    with ProcessPool(2, policy) as pool:
        par = run([folder], policy, executor=pool)
    assert len(serial.files) == 28 + len(list((folder / "office").glob("*")))
    assert json.dumps(par.to_dict(), ensure_ascii=False) == json.dumps(serial.to_dict(), ensure_ascii=False)
    assert {f.verdict for f in par.files} == {"publish", "redact", "block", "error"}
    formats = {f.format for f in par.files}
    assert {"text"} <= formats and (not (folder / "office").exists() or {"docx", "pdf"} <= formats)


def test_any_executor_gives_the_same_reports(folder):
    serial = run([folder], FAST).to_dict()
    with ThreadPoolExecutor(3) as threads:
        assert run([folder], FAST, executor=threads).to_dict() == serial


def test_reports_are_yielded_as_they_complete(folder):
    """Unordered, every file comes exactly once; ordered, in the walk's order."""
    with ProcessPool(2, FAST) as pool:
        loose = list(run_batch([str(folder)], FAST, executor=pool))
    ordered = run([folder], FAST).files
    assert sorted(f.path for f in loose) == sorted(f.path for f in ordered)
    assert len({f.path for f in loose}) == len(loose)


def test_redact_two_workers_identical_files(folder, tmp_path):
    a = run([folder], FAST, str(tmp_path / "a"))
    with ProcessPool(2, FAST) as pool:
        b = run([folder], FAST, str(tmp_path / "b"), executor=pool)
    strip = lambda r, root: [{**f.to_dict(), "output": (f.output or "").replace(str(root), "")} for f in r.files]
    assert strip(a, tmp_path / "a") == strip(b, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) > 10
    for rel in files_a:
        a_bytes, b_bytes = (tmp_path / "a" / rel).read_bytes(), (tmp_path / "b" / rel).read_bytes()
        if rel.suffix == ".pdf":  # a PDF writer gives each save a new instance /ID: not content
            a_bytes, b_bytes = (re.sub(rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]", b"", x) for x in (a_bytes, b_bytes))
        assert a_bytes == b_bytes, rel


def test_on_start_sees_every_file_in_input_order(folder):
    started: list[str] = []
    with ProcessPool(2, FAST) as pool:
        got = run([folder], FAST, executor=pool, on_start=lambda item: started.append(item.source))
    assert started == [f.path for f in got.files]


def test_workers_build_the_configuration_once(tmp_path):
    """A worker builds its Redactor once per policy and reuses it for every later file."""
    for i in range(6):
        (tmp_path / f"{i}.txt").write_text("会议纪要。\n", encoding="utf-8")
    with ProcessPool(2, FAST, start_method="spawn") as pool:
        list(run_batch([str(tmp_path)], FAST, executor=pool))
        ids = {pool.submit(_cached_id).result() for _ in range(8)}
    assert len(ids) <= 2  # one Redactor per worker process, whatever the number of files


def _cached_id() -> tuple[int, int]:
    entry = engine._cache.entry
    return os.getpid(), id(entry[1])


def test_default_jobs_is_the_number_of_usable_cores():
    assert default_jobs() == len(os.sched_getaffinity(0))


# --- faults ---------------------------------------------------------------------------------
# Stand-ins for process_job, module-level so that a forked worker can unpickle them by name;
# what they do is set in FAULT before the pool forks (workers inherit it).
FAULT: dict[str, object] = {}
_real_job = engine.process_job


def _faulty_job(job):
    name = Path(job.source).name
    marker = FAULT.get("once")  # a file that exists after the first time
    if name == FAULT.get("crash") and not (marker and Path(marker).exists()):
        if marker:
            Path(marker).write_text(str(os.getpid()))
        os._exit(1)  # the interpreter dies: a parser crash, the OOM killer
    if name == FAULT.get("hang") and not (marker and Path(marker).exists()):
        if marker:
            Path(marker).write_text(str(os.getpid()))
        time.sleep(60)  # a pathological document
    if name == FAULT.get("raise"):
        raise ZeroDivisionError("1234 quoted from a document")
    return _real_job(job)


@pytest.fixture
def fault(monkeypatch):
    FAULT.clear()
    monkeypatch.setattr(engine, "process_job", _faulty_job)
    yield FAULT
    FAULT.clear()


def test_a_file_that_always_kills_its_worker_is_reported_and_the_run_goes_on(folder, fault):
    fault["crash"] = "doc005.txt"
    with ProcessPool(2, FAST, start_method="fork") as pool:
        got = run([folder], FAST, executor=pool)
    bad = [f for f in got.files if f.verdict == "error" and "E298" in (f.error or "")]
    assert [Path(f.path).name for f in bad] == ["doc005.txt"]
    assert "died" in bad[0].error and "tried 2 times" in bad[0].error
    assert got.exit_code == 3
    fault.clear()
    good = run([folder], FAST)
    for a, b in zip(got.files, good.files, strict=True):
        if not a.path.endswith("doc005.txt"):
            assert a.to_dict() == b.to_dict()


def test_a_worker_that_dies_once_loses_no_file(folder, tmp_path, fault):
    """Killed once (the OOM killer): the file is tried again and every report is right."""
    fault.update(crash="doc007.txt", once=str(tmp_path / "died-once"))
    with ProcessPool(2, FAST, start_method="fork") as pool:
        got = run([folder], FAST, executor=pool)
        assert pool.generation >= 2  # the pool was replaced
    assert (tmp_path / "died-once").exists()
    fault.clear()
    assert got.to_dict() == run([folder], FAST).to_dict()


def test_a_worker_killed_from_outside_mid_file_loses_no_file(folder, tmp_path, fault):
    """kill -9 on the worker busy with a file: that file and those beside it all come back."""
    pidfile = tmp_path / "pid"
    fault.update(hang="doc002.txt", once=str(pidfile))

    def killer():
        deadline = time.monotonic() + 30
        while not pidfile.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
        os.kill(int(pidfile.read_text()), signal.SIGKILL)

    t = threading.Thread(target=killer)
    t.start()
    with ProcessPool(2, FAST, start_method="fork") as pool:
        got = run([folder], FAST, executor=pool)
    t.join()
    fault.clear()
    assert got.to_dict() == run([folder], FAST).to_dict()


def test_per_file_timeout_stops_the_file_and_the_run_completes(folder, fault):
    fault["hang"] = "doc003.txt"
    t0 = time.monotonic()
    with ProcessPool(2, FAST, start_method="fork") as pool:
        got = run([folder], FAST, executor=pool, timeout=2)
    assert time.monotonic() - t0 < 30
    late = [f for f in got.files if "E297" in (f.error or "")]
    assert [Path(f.path).name for f in late] == ["doc003.txt"]
    assert "per-file timeout of 2 s" in late[0].error
    fault.clear()
    good = run([folder], FAST)
    assert [f.to_dict() for f in got.files if f not in late] == \
        [f.to_dict() for f in good.files if not f.path.endswith("doc003.txt")]


def test_an_unexpected_exception_is_that_files_internal_error(folder, fault):
    fault["raise"] = "doc004.txt"
    with ThreadPoolExecutor(2) as threads:
        for executor in (None, threads):
            got = run([folder], FAST, executor=executor)
            bad = [f for f in got.files if f.verdict == "error" and "E900" in (f.error or "")]
            assert [Path(f.path).name for f in bad] == ["doc004.txt"]
            assert "ZeroDivisionError" in bad[0].error and "1234" not in bad[0].error


def test_process_pool_recycles_its_workers():
    with ProcessPool(1, FAST, max_files=3) as pool:
        pids = [pool.submit(os.getpid).result() for _ in range(7)]
    assert len(set(pids)) == 3  # files 1-3, 4-6, 7
