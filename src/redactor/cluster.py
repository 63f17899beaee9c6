"""``--dask ADDRESS`` / ``--dask local:N``: run a batch on Dask distributed (``redactor[dask]``).

Dask is only an executor here: ``run_batch`` submits the same ``Job``s to
``Client.get_executor()`` as to a local process pool, so results are the same. Each Dask
worker builds its Redactor on its first file and keeps it (``engine.redactor_for``).

Workers open the files by the paths the client gives and write the copies to OUTDIR
themselves: on a cluster, inputs and OUTDIR must be on a file system every worker sees under
the same path, and every worker needs the same redactor version installed.

A worker that dies while running a file: ``local:N``'s scheduler gives up on the files that
worker held at once (``KilledWorker``, allowed-failures 0) and ``run_batch`` runs each of them
again alone, like after a process pool's worker died: a file that kills its worker a second
time is reported as [E298]. An external scheduler first retries by its own
``distributed.scheduler.allowed-failures``.
"""
from __future__ import annotations

import logging
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Iterator

from .errors import ConfigError

LOCAL = "local:"


def parse_local(spec: str) -> int | None:
    """``local:N`` -> N (worker processes); an address -> None."""
    if not spec.startswith(LOCAL):
        return None
    try:
        n = int(spec[len(LOCAL):])
    except ValueError:
        n = 0
    if n < 1:
        raise ConfigError(f"--dask {spec}: expected local:N with N >= 1 worker processes")
    return n


@contextmanager
def dask_executor(spec: str, *, connect_timeout: float = 30.0) -> Iterator[Executor]:
    """An executor on a running scheduler (``tcp://host:8786``) or on a new ``LocalCluster``."""
    n = parse_local(spec)
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise ConfigError(f"--dask needs the 'dask' extra (pip install 'redactor[dask]'): {e}") from None
    cluster = None
    # A file is one task; workers run one task at a time (a Redactor is built per worker thread).
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        try:
            if n is not None:
                cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=logging.CRITICAL)
                client = Client(cluster)
            else:
                client = Client(spec, timeout=f"{connect_timeout}s")
        except (OSError, TimeoutError) as e:
            if cluster is not None:
                cluster.close()
            raise ConfigError(f"--dask {spec}: cannot reach the scheduler ({type(e).__name__}: {e})") from None
    try:
        # pure=False: a file submitted again (after its worker died) is a new task, not a cached one
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
