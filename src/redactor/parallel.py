"""Run many files over worker processes (``-j N``) with the same results, in the same order, as one.

Each worker builds its ``Redactor`` (and so its detectors) once, in the pool initializer,
and then processes whole files: a file is the unit of work, so results cannot depend on how
files are shared out. Reports come back in input order whatever the completion order.

A worker that dies (a parser crashing the interpreter, the OOM killer) breaks the pool: the
files it had not finished are retried in a fresh pool; a file that is in flight when a pool
breaks twice is reported as an error ([E298]) and the run goes on.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence

from .policy import ERROR, Policy
from .reporting import FileReport, RunReport
from .walk import STDIN, PlannedFile, plan

OnStart = Callable[[PlannedFile], None]
OnDone = Callable[[FileReport], None]

_worker_redactor = None  # one per worker process
_inherited = None         # built in the parent before a fork: workers reuse it (copy-on-write)


def default_jobs() -> int:
    """Number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def process_item(redactor, item: PlannedFile) -> FileReport:
    """One planned file -> its report; the same steps as ``Redactor.run``."""
    if item.error:
        return FileReport(path=item.source, verdict=ERROR, error=item.error, reasons=[item.error])
    if item.dest is None:
        return redactor.scan(item.source, rel=item.rel)
    return redactor.redact(item.source, item.dest, rel=item.rel)


def _init_worker(policy: Policy) -> None:
    global _worker_redactor
    from .pipeline import Redactor

    if _inherited is not None and _inherited.policy == policy:
        _worker_redactor = _inherited  # forked from the parent, detectors already built
        return
    _worker_redactor = Redactor(policy)
    _worker_redactor.detectors  # build now, once, not inside the first file's timing
    _worker_redactor.scan_text(_WARM_UP)  # and load what detectors load lazily


def _ping() -> int:
    return os.getpid()


def _work(item: PlannedFile) -> FileReport:
    return process_item(_worker_redactor, item)


def _context():
    # fork is cheapest (the parent has already imported everything) and safe in the CLI,
    # which is single-threaded here; elsewhere start clean processes.
    methods = multiprocessing.get_all_start_methods()
    import threading

    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_parallel(
    policy: Policy,
    paths: Sequence[str],
    outdir: str | None = None,
    *,
    jobs: int | None = None,
    on_start: OnStart | None = None,
    on_done: OnDone | None = None,
    items: Sequence[PlannedFile] | None = None,
    redactor=None,
) -> RunReport:
    """Check (or redact into ``outdir``) like ``Redactor.run``, over ``jobs`` processes.

    ``jobs`` defaults to the number of cores; with one job, or one file, or stdin involved,
    everything runs in this process (using ``redactor`` if given).
    """
    items = list(items if items is not None else plan(paths, outdir))
    jobs = default_jobs() if jobs is None or jobs <= 0 else jobs
    work = [i for i in items if not i.error]
    serial = jobs == 1 or len(work) <= 1 or any(i.source == STDIN or i.dest == STDIN for i in items)
    reports: list[FileReport | None] = [None] * len(items)

    if serial:
        if redactor is None:
            from .pipeline import Redactor

            redactor = Redactor(policy)
        for n, item in enumerate(items):
            if on_start:
                on_start(item)
            reports[n] = process_item(redactor, item)
            if on_done:
                on_done(reports[n])
        return RunReport(files=list(reports))  # type: ignore[arg-type]

    # Build the detectors here first: a broken configuration fails once, loudly, in this
    # process; and forked workers inherit them instead of building their own.
    global _inherited
    if redactor is None:
        from .pipeline import Redactor

        redactor = Redactor(policy)
    redactor.detectors
    ctx = _context()
    if ctx.get_start_method() == "fork":
        # Detectors load some data lazily on first use: do it once here, so that every forked
        # worker inherits it (copy-on-write) instead of loading it again.
        redactor.scan_text(_WARM_UP)
        _preload_adapters(items)
        # Keep the collector off the inherited objects: scanning them would write to their
        # pages and copy them into every worker.
        gc.collect()
        gc.freeze()
    _inherited = redactor
    try:
        pending = list(range(len(items)))
        isolate = False
        while pending:
            pending = _run_pool(policy, items, pending, jobs, reports, isolate, on_start, on_done)
            isolate = True  # after a crash: one file at a time, so only the culprit is blamed
    finally:
        gc.unfreeze()
    return RunReport(files=list(reports))  # type: ignore[arg-type]


def _preload_adapters(items: Sequence[PlannedFile]) -> None:
    """Import the format adapters these files need (pdfplumber, python-docx ... are slow to
    import) once in the parent, before forking, instead of once in every worker."""
    from .errors import RedactorError
    from .formats import adapter_for

    for suffix in sorted({os.path.splitext(i.source)[1].lower() for i in items if i.source != STDIN}):
        try:
            adapter_for("x" + suffix)
        except RedactorError:  # unsupported: each such file gets its own error report
            pass


_WARM_UP = "申请人王某某，住址某某市某某区某某路1号，联系电话0871-65550100。机密★1年"


def _run_pool(policy, items, indices, jobs, reports, isolate, on_start, on_done) -> list[int]:
    """Run ``indices`` in one pool; return the indices still to do after the pool broke.

    With ``isolate`` one file is in flight at a time, and a file that breaks the pool then
    is reported as an error instead of being retried.
    """
    jobs = 1 if isolate else min(jobs, len(indices))
    window = 1 if isolate else jobs * 2
    retry: list[int] = []
    broken = False
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init_worker,
                             initargs=(policy,)) as pool:
        queue = list(indices)
        running: dict[Future, int] = {}
        try:
            # Keep a bounded window in flight so on_start means "being processed now".
            while (queue and not broken) or running:
                while queue and not broken and len(running) < window:
                    n = queue.pop(0)
                    if on_start:
                        on_start(items[n])
                    try:
                        running[pool.submit(_work, items[n])] = n
                    except BrokenProcessPool:
                        broken = True
                        queue.insert(0, n)
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    n = running.pop(fut)
                    try:
                        reports[n] = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        if not isolate:
                            retry.append(n)
                            continue
                        msg = f"[E298] {items[n].source}: the worker process died while processing this file"
                        reports[n] = FileReport(path=items[n].source, verdict=ERROR, error=msg, reasons=[msg])
                    if on_done:
                        on_done(reports[n])  # type: ignore[arg-type]
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return sorted(retry + queue)
