"""-j N: worker processes give the same reports, in the same order, as one process."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from clerk_fixtures import add_samples, make_folder
from redactor import parallel
from redactor.parallel import default_jobs, run_parallel
from redactor.pipeline import Redactor
from redactor.policy import Policy
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


@pytest.fixture(scope="module")
def full_redactor() -> Redactor:
    r = Redactor(Policy())  # names included: the whole pipeline
    r.detectors
    return r


def test_check_two_workers_identical_to_one(folder, full_redactor):
    serial = run_parallel(full_redactor.policy, [str(folder)], jobs=1, redactor=full_redactor)
    par = run_parallel(full_redactor.policy, [str(folder)], jobs=2, redactor=full_redactor)
    assert len(serial.files) == 28 + len(list((folder / "office").glob("*")))
    assert [f.path for f in par.files] == [f.path for f in serial.files]
    assert json.dumps(par.to_dict(), ensure_ascii=False) == json.dumps(serial.to_dict(), ensure_ascii=False)
    # and the same as the library's own single-process loop
    assert par.to_dict() == full_redactor.run([str(folder)]).to_dict()
    assert {f.verdict for f in par.files} == {"publish", "redact", "block", "error"}
    formats = {f.format for f in par.files}
    assert {"text"} <= formats and (not (folder / "office").exists() or {"docx", "pdf"} <= formats)


def test_redact_two_workers_identical_files(folder, tmp_path):
    policy = Policy(names=False)
    a = run_parallel(policy, [str(folder)], str(tmp_path / "a"), jobs=1)
    b = run_parallel(policy, [str(folder)], str(tmp_path / "b"), jobs=2)
    strip = lambda run, root: [{**f.to_dict(), "output": (f.output or "").replace(str(root), "")} for f in run.files]
    assert strip(a, tmp_path / "a") == strip(b, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) > 10
    for rel in files_a:
        a_bytes, b_bytes = (tmp_path / "a" / rel).read_bytes(), (tmp_path / "b" / rel).read_bytes()
        if rel.suffix == ".pdf":  # a PDF writer gives each save a new instance /ID: not content
            a_bytes, b_bytes = (re.sub(rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]", b"", x) for x in (a_bytes, b_bytes))
        assert a_bytes == b_bytes, rel


def test_callbacks_see_every_file_and_order_is_kept(folder):
    started, done = [], []
    run = run_parallel(Policy(names=False), [str(folder)], jobs=2,
                       on_start=lambda item: started.append(item.source), on_done=lambda rep: done.append(rep.path))
    paths = [f.path for f in run.files]
    assert sorted(started) == sorted(paths) == sorted(done)
    assert started == paths  # work is handed out in input order


def _crash_worker(item):  # a parser that kills the interpreter on one file
    if item.source.endswith("doc005.txt"):
        os._exit(1)
    return parallel.process_item(parallel._worker_redactor, item)


def test_a_dying_worker_costs_only_its_file(folder, monkeypatch):
    monkeypatch.setattr(parallel, "_work", _crash_worker)
    run = run_parallel(Policy(names=False), [str(folder)], jobs=2)
    bad = [f for f in run.files if f.verdict == "error" and "E298" in (f.error or "")]
    assert [Path(f.path).name for f in bad] == ["doc005.txt"]
    good = run_parallel(Policy(names=False), [str(folder)], jobs=1)
    for a, b in zip(run.files, good.files):
        if not a.path.endswith("doc005.txt"):
            assert a.to_dict() == b.to_dict()


def test_default_jobs_is_the_number_of_usable_cores():
    assert default_jobs() == len(os.sched_getaffinity(0))


def test_one_file_or_stdin_runs_in_process(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text("今天开会。\n", encoding="utf-8")

    def no_pool(*a, **k):
        raise AssertionError("no pool for a single file")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    run = run_parallel(Policy(names=False), [str(f)], jobs=4)
    assert [r.verdict for r in run.files] == ["publish"]
