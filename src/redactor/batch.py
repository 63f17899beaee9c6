"""How the CLI runs a batch: the executor its options ask for, the progress bar, the resume
ledger, and the report stream. The work itself is ``engine.run_batch``.

    -j 1                 this process, one file after the other
    -j N (default: cores) a ProcessPool of N workers
    --dask ADDRESS       a Dask scheduler; --dask local:N a LocalCluster of N worker processes
"""
from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import Executor
from contextlib import ExitStack
from itertools import chain, islice
from typing import IO

from .engine import ProcessPool, default_jobs, plan_files, run_batch
from .errors import ConfigError
from .policy import Policy
from .progress import Progress
from .reporting import FileReport, Tally
from .walk import STDIN, PlannedFile, plan


def run_files(args: argparse.Namespace, policy: Policy, outdir: str | None,
              stream: IO[str] | None) -> tuple[Tally, list[FileReport] | None]:
    """Run the batch the command line describes.

    With ``stream``, each file's report is written there as one JSON line as it completes
    (and files are kept only if an HTML report needs them); else the reports are returned in
    input order.
    """
    if args.jobs is not None and args.jobs < 0:
        raise ConfigError("-j/--jobs must be 0 (number of cores) or more")
    if args.dask and args.jobs is not None:
        raise ConfigError("use either -j/--jobs or --dask, not both")
    if args.file_timeout is not None and args.file_timeout <= 0:
        raise ConfigError("--file-timeout must be a positive number of seconds")
    items = plan_files(args.paths, policy, outdir)
    head = list(islice(items, 2))  # enough to know whether workers are worth starting
    items = chain(head, items)
    keep = stream is None or bool(args.html)
    tally, files = Tally(), ([] if keep else None)
    with ExitStack() as stack:
        ledger = None
        if args.resume:
            from .ledger import Ledger

            ledger = stack.enter_context(Ledger(args.resume))
        executor = _executor(args, policy, head, stack)
        bar = stack.enter_context(Progress(_count(args, outdir, head), sys.stderr, enabled=_bar_wanted(args, head)))
        reports = run_batch((), policy, outdir, executor, items=items, timeout=args.file_timeout, ledger=ledger,
                            ordered=stream is None, on_start=lambda item: bar.start(item.source))
        for rep in reports:
            bar.advance()
            tally.add(rep)
            if files is not None:
                files.append(rep)
            if stream is not None:
                stream.write(json.dumps(rep.to_dict(), ensure_ascii=False) + "\n")
                stream.flush()
        bar.close()
        if stream is not None:
            stream.write(json.dumps({"summary": tally.summary()}, ensure_ascii=False) + "\n")
            stream.flush()
        if ledger is not None and ledger.skipped and not args.quiet:
            print(f"redactor: {ledger.skipped} file(s) already done in {args.resume}: not processed again",
                  file=sys.stderr)
    return tally, files


def _executor(args: argparse.Namespace, policy: Policy, head: list[PlannedFile], stack: ExitStack) -> Executor | None:
    if args.dask:
        from .cluster import dask_executor

        return stack.enter_context(dask_executor(args.dask))
    jobs = default_jobs() if args.jobs in (None, 0) else args.jobs
    work = [i for i in head if not i.error]
    if jobs == 1 or len(work) < 2 or any(STDIN in (i.source, i.dest) for i in head) or STDIN in args.paths:
        return None  # one file, or stdin: no workers to start
    pool = ProcessPool(jobs, policy)
    # At the end the workers are idle: wait for them to exit; on Ctrl-C or an error, do not.
    stack.push(lambda exc_type, _e, _tb: pool.shutdown(wait=exc_type is None, cancel_futures=True))
    return pool


def _bar_wanted(args: argparse.Namespace, head: list[PlannedFile]) -> bool | None:
    if args.quiet or args.no_progress or len(head) < 2:
        return False
    return None  # on a terminal


def _count(args: argparse.Namespace, outdir: str | None, head: list[PlannedFile]) -> int | None:
    """Files in the run, for the bar's total: a second lazy walk, only when a bar is drawn."""
    if _bar_wanted(args, head) is False or not getattr(sys.stderr, "isatty", lambda: False)():
        return None
    return sum(1 for _ in plan(args.paths, outdir))
