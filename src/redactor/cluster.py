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


def _preload_forkserver() -> None:
    from distributed.utils import get_mp_context

    from .formats import FORMATS

    ctx = get_mp_context()  # Dask sets its own preload list on first use: extend it, once
    adapters = sorted({info.adapter.split(":")[0] for info in FORMATS})
    ctx.set_forkserver_preload(["distributed", "redactor.engine", "redactor.pipeline", "redactor.detect.structured",
                                "redactor.detect.confidential", "redactor.detect.names", *adapters])


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
    settings = {
        # A worker that dies fails its tasks at once; run_batch retries each alone (see above).
        "distributed.scheduler.allowed-failures": 0,
        # Dask samples every worker's stack every 10 ms for its dashboard's profiler: CPU taken
        # from the files, for a dashboard nobody opens here.
        "distributed.worker.profile.enabled": False,
        # Hand each worker its next files before it finishes the current one (no round trip to
        # the scheduler between two files); run_batch bounds how many are in flight.
        "distributed.scheduler.worker-saturation": "inf",
        "distributed.scheduler.work-stealing": False,
        # Fewer housekeeping wake-ups: each takes the GIL from the file being processed.
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.system-monitor.interval": "5s",
        "distributed.worker.memory.monitor-interval": "1s",
    }
    if n is not None:
        # glibc's default (adaptive) trimming: Dask's fixed 64 KiB threshold returns memory to the
        # system after nearly every file and costs page faults on the next one.
        settings["distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"] = None
        # Workers fork from a server process that has imported Dask and redactor's detectors and
        # format adapters once, instead of each importing them (seconds of CPU per worker).
        settings["distributed.worker.multiprocessing-method"] = "forkserver"
    with dask.config.set(settings):
        if n is not None:
            _preload_forkserver()
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
