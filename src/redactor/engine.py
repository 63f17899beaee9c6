"""One way to run many files: ``run_batch`` over any ``concurrent.futures.Executor``.

    for report in run_batch(paths, policy, outdir, executor=None):   # serial, in this process
    for report in run_batch(paths, policy, outdir, executor=ProcessPool(2)):   # -j 2
    for report in run_batch(paths, policy, outdir, executor=client.get_executor()):   # Dask

The CLI (``-j N``, ``--dask``) and the service all run files through here; nothing else
schedules work. A file is the unit of work, so a report cannot depend on how files are shared
out. Reports are yielded as files complete (``ordered=True``: in input order).

What travels to a worker is a plain ``Job`` (the policy, its key, a source and a destination);
each worker process builds its ``Redactor`` once per policy (``redactor_for``, a per-process
cache keyed by the policy's fingerprint) and reuses it for every later file.

The input is consumed lazily and at most ``window`` files are in flight, so memory does not
grow with the number of files. Faults:

- a worker that dies mid-file (killed, out of memory, a parser crashing the interpreter)
  costs no file: the files it had in flight are tried again, one at a time so the culprit is
  known; a file that kills its worker a second time is reported as an error ([E298]);
- with ``timeout``, a file still running after that many seconds is reported as an error
  ([E297]); with a ``ProcessPool`` its worker is killed (the pool restarts itself and the other
  files in flight are run again, without counting against them). A thread or a Dask worker
  cannot be stopped from outside: the file is reported, its task runs on to its end.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, CancelledError, Executor, Future
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from .errors import describe_exception
from .policy import ERROR, Policy
from .reporting import FileReport
from .walk import STDIN, PlannedFile, plan

if TYPE_CHECKING:
    from .ledger import Ledger
    from .pipeline import Redactor

WARM_UP = "申请人王某某，住址某某市某某区某某路1号，联系电话0871-65550100。机密★1年"
ATTEMPTS = 2  # a file that kills its worker is tried this many times in all


# --- in the worker --------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """One file's work, as it travels to a worker (pickled): plain data only."""

    policy: Policy
    key: str               # policy_key(policy): the worker's cache key, computed once per run
    source: str
    dest: str | None       # None: check only
    rel: str | None = None  # its path inside the folder given: file and folder names are checked


def policy_key(policy: Policy) -> str:
    """A fingerprint of the whole configuration (two equal policies pickle alike)."""
    return hashlib.sha256(pickle.dumps(policy, protocol=4)).hexdigest()[:16]


_cache = threading.local()  # per thread: a Dask worker may run tasks on several threads


def redactor_for(policy: Policy, key: str | None = None) -> "Redactor":
    """This process's (thread's) Redactor for ``policy``: built and warmed once, then reused.

    Only the last policy is kept: a worker serves one run, or one service, at a time.
    """
    key = key or policy_key(policy)
    cached = getattr(_cache, "entry", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    from .pipeline import Redactor

    r = Redactor(policy)
    r.scan_text(WARM_UP)  # builds the detectors and loads what they load lazily, now
    _cache.entry = (key, r)
    return r


def process_job(job: Job) -> FileReport:
    """The work function every executor runs: one file -> its report."""
    r = redactor_for(job.policy, job.key)
    return r.scan(job.source, rel=job.rel) if job.dest is None else r.redact(job.source, job.dest, rel=job.rel)


def warm_worker(policy: Policy, key: str | None = None) -> int:
    """Build this worker's Redactor now (a pool initializer); returns the worker's pid."""
    redactor_for(policy, key)
    return os.getpid()


def _start_worker(policy: Policy | None, key: str | None, memory_limit_mb: float | None) -> None:
    if policy is not None:
        warm_worker(policy, key)
    if memory_limit_mb:
        import resource

        with open("/proc/self/statm") as f:  # address space in use now, in pages
            held = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = held + int(memory_limit_mb * 1048576)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _measured(fn: Callable[..., Any], args: tuple) -> tuple[Any, float]:
    """Run ``fn`` and report this worker's resident memory after it (MB), for recycling."""
    result = fn(*args)
    return result, _rss_mb()


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- a process pool that survives its workers ---------------------------------------------
def default_jobs() -> int:
    """Number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class ProcessPool(Executor):
    """A ``ProcessPoolExecutor`` that replaces itself instead of staying broken.

    - A worker that dies breaks the inner pool (its futures raise ``BrokenExecutor``); the next
      ``submit`` starts a fresh one.
    - ``restart()`` kills the workers now (a stuck file) and starts afresh.
    - Recycling: after ``max_files`` files, or when a worker reports more than ``max_worker_mb``
      resident after a file, new work goes to a fresh pool and the old one exits when its
      running files are done (memory that parsers fragmented goes back to the system).
    - ``memory_limit_mb``: each worker may grow by that much address space beyond what it holds
      once started; a file that needs more fails alone (MemoryError, or its worker dies).

    ``policy``: every worker builds its Redactor at start. With the fork start method (the
    default for a single-threaded caller on Linux) the parent builds it once before forking
    and the workers share it copy-on-write.
    """

    def __init__(self, workers: int | None = None, policy: Policy | None = None, *, start_method: str | None = None,
                 max_files: int | None = None, max_worker_mb: float | None = None,
                 memory_limit_mb: float | None = None) -> None:
        self.workers = default_jobs() if not workers or workers <= 0 else workers
        self.policy = policy
        self.key = policy_key(policy) if policy is not None else None
        self.max_files = max_files
        self.max_worker_mb = max_worker_mb
        self.memory_limit_mb = memory_limit_mb
        self._ctx = multiprocessing.get_context(start_method or _start_method())
        self._lock = threading.Lock()
        self._inner: ProcessPoolExecutor | None = None
        self._files = 0            # files submitted to the current inner pool
        self._recycle = False      # set from a done-callback; acted on at the next submit
        self._closed = False
        self._frozen = False
        self.generation = 0        # how many inner pools were started (tests, logs)
        self._pings: list[Future] = []  # one per worker of the current pool: done once it is up

    # the Executor interface
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if kwargs:
            raise TypeError("ProcessPool.submit takes positional arguments only")
        outer: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit to a closed pool")
            try:
                inner = self._current().submit(_measured, fn, args)
            except BrokenExecutor:  # a worker died since the last submit: start afresh, once
                self._retire()
                inner = self._current().submit(_measured, fn, args)
            self._files += 1
            if self.max_files and self._files >= self.max_files:
                self._recycle = True
        inner.add_done_callback(lambda f: self._settle(f, outer))
        outer.add_done_callback(lambda f: f.cancelled() and inner.cancel())  # queued work is dropped
        return outer

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            pool, self._inner = self._inner, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    # the rest
    def start(self) -> "ProcessPool":
        """Start the workers now (each builds its Redactor): fail here, not on the first file."""
        with self._lock:
            self._current()
            pings = self._pings
        for f in pings:
            f.result()
        return self

    @property
    def starting(self) -> bool:
        """True while the current workers are still starting (a per-file timeout waits for them)."""
        return any(not f.done() for f in self._pings)

    def restart(self) -> None:
        """Kill the workers now, whatever they are doing; the next submit starts a fresh pool."""
        with self._lock:
            pool, self._inner = self._inner, None
        if pool is not None:
            _kill(pool)

    def _current(self) -> ProcessPoolExecutor:
        # called with the lock held
        if self._inner is not None and self._recycle:
            self._retire()
        if self._inner is None:
            self._inner = self._new_pool()
        return self._inner

    def _retire(self) -> None:
        """New work goes to a new pool; this one exits when its running files are done."""
        pool, self._inner = self._inner, None
        if pool is not None:
            pool.shutdown(wait=False)

    def _new_pool(self) -> ProcessPoolExecutor:
        self._files, self._recycle = 0, False
        self.generation += 1
        init, initargs = _start_worker, (self.policy, self.key, self.memory_limit_mb)
        if self.policy is not None and self._ctx.get_start_method() == "fork" and not self._frozen:
            # Build the detectors (and import the adapters) here, once: forked workers inherit
            # them copy-on-write. The collector must then keep off them (gc.freeze): scanning
            # would write to their pages and copy them into every worker.
            redactor_for(self.policy, self.key)
            _import_adapters()
            gc.collect()
            gc.freeze()
            self._frozen = True
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=self._ctx, initializer=init,
                                   initargs=initargs)
        self._pings = [pool.submit(_ping) for _ in range(self.workers)]  # start every worker now
        return pool

    def _settle(self, inner: Future, outer: Future) -> None:
        if not outer.set_running_or_notify_cancel():
            return
        exc = inner.exception() if not inner.cancelled() else CancelledError()
        if exc is not None:
            outer.set_exception(exc)
            return
        result, rss = inner.result()
        if self.max_worker_mb and rss > self.max_worker_mb:
            self._recycle = True
        outer.set_result(result)


def _ping() -> int:
    return os.getpid()


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a process pool now, its running work included.

    ``ProcessPoolExecutor`` has no public way to stop a running call; its worker processes
    are in ``_processes`` (CPython 3.8+).
    """
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except Exception:  # already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def _start_method() -> str:
    # fork is cheapest (the parent has already imported everything) and safe for a
    # single-threaded caller; elsewhere start clean processes.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _import_adapters() -> None:
    """Import every format adapter (pdfplumber, lxml ... are slow to import) before forking."""
    from .errors import RedactorError
    from .formats import FORMATS, adapter_for

    for info in FORMATS:
        try:
            adapter_for("x" + info.suffixes[0])
        except RedactorError:  # not available in this installation: its files get an error
            pass


# --- the batch ------------------------------------------------------------------------------
OnStart = Callable[[PlannedFile], None]


def run_batch(
    paths: Sequence[str] | Iterable[str],
    policy: Policy | None = None,
    outdir: str | None = None,
    executor: Executor | None = None,
    *,
    timeout: float | None = None,
    ledger: "Ledger | None" = None,
    ordered: bool = False,
    window: int | None = None,
    on_start: OnStart | None = None,
    items: Iterable[PlannedFile] | None = None,
) -> Iterator[FileReport]:
    """Check files and folders (or, with ``outdir``, redact them into it); yield each file's
    report as it completes (in input order with ``ordered``).

    ``executor``: None runs everything here, one file after the other; any
    ``concurrent.futures.Executor`` (``ProcessPool``, a thread pool, Dask's
    ``Client.get_executor()``) spreads files over its workers. ``timeout``: seconds per file
    (with no executor, a one-process pool is used so that a stuck file can be stopped).
    ``ledger``: a resume ledger (``redactor.ledger.Ledger``): files it holds with the same
    content are not processed again (their recorded report is yielded), every finished file
    is recorded. ``window``: files in flight at once (default: twice the executor's workers).
    """
    policy = policy or Policy()
    items = items if items is not None else plan_files(paths, policy, outdir)
    own = None
    if executor is None and timeout is not None:
        executor = own = ProcessPool(1, policy)
    try:
        batch = _Batch(policy, executor, timeout, ledger, window, on_start)
        reports = batch.run(iter(items))
        yield from (_in_order(reports) if ordered else (rep for _, rep in reports))
    finally:
        if own is not None:
            own.shutdown(wait=False, cancel_futures=True)


def plan_files(paths: Sequence[str] | Iterable[str], policy: Policy, outdir: str | None) -> Iterator[PlannedFile]:
    """``walk.plan`` with copies written under masked names (``filenames.py``): names are
    scanned here, in the process that plans, with this process's Redactor for the policy."""
    rename = None
    if outdir not in (None, STDIN):
        from .filenames import renamer

        rename = renamer(redactor_for(policy))
    return plan(list(paths), outdir, rename=rename)


def _in_order(numbered: Iterator[tuple[int, FileReport]]) -> Iterator[FileReport]:
    early: dict[int, FileReport] = {}
    nxt = 0
    for n, rep in numbered:
        early[n] = rep
        while nxt in early:
            yield early.pop(nxt)
            nxt += 1


def error_report(path: str, message: str) -> FileReport:
    return FileReport(path=path, verdict=ERROR, error=message, reasons=[message])


@dataclass
class _Slot:
    n: int
    item: PlannedFile
    tries: int = 0          # times a worker died with this file in flight
    started: float | None = None
    stamp: Any = None       # the ledger's (size, mtime, hash) of the file as submitted


class _Batch:
    def __init__(self, policy: Policy, executor: Executor | None, timeout: float | None,
                 ledger: "Ledger | None", window: int | None, on_start: OnStart | None) -> None:
        self.policy, self.key = policy, policy_key(policy)
        self.executor, self.timeout, self.ledger, self.on_start = executor, timeout, ledger, on_start
        self.capacity = _capacity(executor)
        self.window = window or 2 * self.capacity
        self._exhausted = False

    def run(self, items: Iterator[PlannedFile]) -> Iterator[tuple[int, FileReport]]:
        numbered = (_Slot(n, item) for n, item in enumerate(items))
        if self.executor is None:
            for slot in numbered:
                yield slot.n, self._finish(slot, self._here(slot))
            return
        yield from self._spread(numbered)

    # -- shared steps
    def _ready(self, slot: _Slot) -> FileReport | None:
        """A report that needs no worker (planning error, done in an earlier run), else None."""
        item = slot.item
        if item.error:
            return error_report(item.source, item.error)
        if self.ledger is not None and item.source != STDIN:
            done, slot.stamp = self.ledger.lookup(item.source, item.dest)
            if done is not None:
                return done
        return None

    def _finish(self, slot: _Slot, report: FileReport) -> FileReport:
        if self.ledger is not None and slot.stamp is not None:
            self.ledger.record(slot.item.source, slot.item.dest, slot.stamp, report)
        return report

    def _job(self, item: PlannedFile) -> Job:
        return Job(self.policy, self.key, item.source, item.dest, item.rel)

    def _here(self, slot: _Slot) -> FileReport:
        ready = self._ready(slot)
        if ready is not None:
            slot.stamp = None  # nothing new to record
            return ready
        if self.on_start:
            self.on_start(slot.item)
        src = slot.item.source
        try:
            return process_job(self._job(slot.item))
        except MemoryError:
            return error_report(src, f"[E200] {src}: out of memory while processing this file")
        except Exception as e:  # a bug of ours: this file's error, the run goes on
            return error_report(src, f"[E900] {src}: internal error: {describe_exception(e)}")

    # -- over an executor
    def _spread(self, numbered: Iterator[_Slot]) -> Iterator[tuple[int, FileReport]]:
        running: dict[Future, _Slot] = {}  # in submission order
        again: deque[_Slot] = deque()      # stopped through no fault of their own: run again
        suspects: deque[_Slot] = deque()   # in flight when a worker died: run again, each alone
        try:
            while True:
                yield from self._fill(numbered, running, again, suspects)
                if not running:
                    if again or suspects:
                        continue
                    return  # _fill submits whenever there is work left: none is
                done, _ = wait(list(running), timeout=self._tick(running), return_when=FIRST_COMPLETED)
                for fut in [f for f in running if f in done]:
                    slot = running.pop(fut)
                    report = self._outcome(fut, slot, again, suspects)
                    if report is not None:
                        yield slot.n, self._finish(slot, report)
                yield from self._expire(running, again)
        finally:
            for fut in running:
                fut.cancel()

    def _fill(self, numbered: Iterator[_Slot], running: dict[Future, _Slot], again: deque[_Slot],
              suspects: deque[_Slot]) -> Iterator[tuple[int, FileReport]]:
        """Submit work up to the window: a suspect only alone; else files to run again, then new ones."""
        if any(s.tries for s in running.values()):
            return  # a suspect is running alone
        if suspects:
            if not running:
                slot = suspects.popleft()
                running[self._submit(slot)] = slot
            return
        while len(running) < self.window:
            if again:
                slot = again.popleft()
            else:
                slot = next(numbered, None) if not self._exhausted else None
                if slot is None:
                    self._exhausted = True
                    return
                ready = self._ready(slot)
                if ready is not None:
                    slot.stamp = None
                    yield slot.n, ready
                    continue
                if slot.item.source == STDIN or slot.item.dest == STDIN:
                    yield slot.n, self._finish(slot, self._here(slot))  # stdin is this process's
                    continue
                if self.on_start:
                    self.on_start(slot.item)
            running[self._submit(slot)] = slot

    def _submit(self, slot: _Slot) -> Future:
        slot.started = None
        try:
            return self.executor.submit(process_job, self._job(slot.item))  # type: ignore[union-attr]
        except BrokenExecutor as e:  # the executor could not recover: this file's error
            f: Future = Future()
            f.set_exception(e)
            return f

    def _outcome(self, fut: Future, slot: _Slot, again: deque[_Slot], suspects: deque[_Slot]) -> FileReport | None:
        """The file's report, or None when it goes back in the queue (its worker died)."""
        src = slot.item.source
        try:
            return fut.result()
        except CancelledError:  # the executor dropped it (a pool stopped for another file)
            again.append(slot)
            return None
        except Exception as e:
            if not _worker_died(e):
                if isinstance(e, MemoryError):
                    return error_report(src, f"[E200] {src}: out of memory while processing this file")
                return error_report(src, f"[E900] {src}: internal error: {describe_exception(e)}")
        # Its worker died. Every file in flight on it fails with it, so the file is tried again
        # alone: a second death is then its own.
        slot.tries += 1
        if slot.tries < ATTEMPTS:
            suspects.append(slot)
            return None
        return error_report(src, f"[E298] {src}: the worker process died while processing this file "
                                 f"(tried {slot.tries} times; killed, out of memory, or a crash)")

    def _tick(self, running: dict[Future, _Slot]) -> float | None:
        """How long to wait for a completion: until the next deadline, if there is a timeout."""
        if self.timeout is None:
            return None
        now = time.monotonic()
        if getattr(self.executor, "starting", False):
            return 0.05  # workers are starting (after a restart): no file is running yet
        # Executors run in submission order: the first `capacity` files in flight are running.
        for slot in list(running.values())[: self.capacity]:
            if slot.started is None:
                slot.started = now
        started = [s.started for s in running.values() if s.started is not None]
        return max(0.01, min(started) + self.timeout - now) if started else 0.05

    def _expire(self, running: dict[Future, _Slot], again: deque[_Slot]) -> Iterator[tuple[int, FileReport]]:
        if self.timeout is None:
            return
        now = time.monotonic()
        late = [f for f, s in running.items() if s.started is not None and now - s.started >= self.timeout]
        if not late:
            return
        reports = []
        for fut in late:
            slot = running.pop(fut)
            fut.cancel()
            src = slot.item.source
            msg = f"[E297] {src}: processing took longer than the per-file timeout of {self.timeout:g} s"
            reports.append((slot.n, self._finish(slot, error_report(src, msg))))
        restart = getattr(self.executor, "restart", None)
        if restart is not None:
            # Kill the stuck worker (and with it the pool) before reporting: a caller may stop
            # reading at the report. The other files in flight were not at fault: they go
            # again, first, without counting against them.
            restart()
            for fut, slot in reversed(list(running.items())):
                fut.cancel()
                again.appendleft(slot)
            running.clear()
        yield from reports


def _worker_died(e: BaseException) -> bool:
    # BrokenExecutor: a process pool lost a worker; KilledWorker: Dask's scheduler gave up on a
    # task whose workers died (matched by name: Dask is an optional dependency).
    return isinstance(e, BrokenExecutor) or type(e).__name__ == "KilledWorker"


def _capacity(executor: Executor | None) -> int:
    """How many files an executor runs at once (to size the window and the timeouts)."""
    if executor is None:
        return 1
    for attr in ("workers", "_max_workers"):  # ProcessPool; Process/ThreadPoolExecutor
        n = getattr(executor, attr, None)
        if isinstance(n, int) and n > 0:
            return n
    client = getattr(executor, "_client", None)  # Dask's ClientExecutor
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:
            pass
    return default_jobs()
