"""``--resume LEDGER.jsonl``: a record of finished files, so that a rerun does only the rest.

One JSON line per finished file: its path, the output it was planned to (null when checking),
size, mtime, SHA-256 of its content, verdict, the copy written, and its report (masked
previews only, like every report). A rerun skips a file whose path and planned output are in
the ledger with the same content (size, then hash), and whose copy is still there; it yields
the recorded report instead, so a resumed run reports every file as an uninterrupted run would.

A killed run loses nothing that was written: each line is appended, flushed and fsync'ed
before the next file is reported; a torn last line (the run was killed while writing it) is
ignored and overwritten on the next start. Files that failed because their worker died or
timed out ([E297], [E298]) are not recorded: a rerun tries them again.

Memory: the index keeps a path, a size, a hash and an offset per file, not the reports.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import IO, NamedTuple

from .errors import ConfigError, code_of
from .reporting import FileReport

_RETRY_CODES = frozenset({"E297", "E298", "E900"})  # transient or ours: not recorded, tried again


class Stamp(NamedTuple):
    """What a file was when it was processed."""

    size: int
    mtime_ns: int
    sha256: str


class _Entry(NamedTuple):
    size: int
    sha256: str
    output: str | None
    offset: int


def stamp_of(path: str) -> Stamp | None:
    """Size, mtime and content hash of a file (None when it cannot be read: no record)."""
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            while chunk := f.read(1 << 20):
                h.update(chunk)
        return Stamp(st.st_size, st.st_mtime_ns, h.hexdigest())
    except OSError:
        return None


class Ledger:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._index: dict[tuple[str, str | None], _Entry] = {}
        self.skipped = 0  # files found done in an earlier run
        self._out: IO[bytes] | None = None
        try:
            self._load()
            self._out = open(self.path, "ab")
        except OSError as e:
            raise ConfigError(f"cannot use the resume ledger: {e.strerror or e}", path=str(path)) from None

    def _load(self) -> None:
        if not self.path.exists():
            return
        torn_at = None
        with open(self.path, "rb") as f:
            offset = 0
            for raw in f:
                line_at, offset = offset, offset + len(raw)
                if not raw.endswith(b"\n"):
                    torn_at = line_at  # the run was killed while writing this line
                    break
                try:
                    d = json.loads(raw)
                    entry = _Entry(int(d["size"]), str(d["sha256"]), d.get("output"), line_at)
                    self._index[(d["path"], d.get("dest"))] = entry
                except (ValueError, KeyError, TypeError):
                    continue  # not a line of ours: skipped, never fatal
        if torn_at is not None:
            os.truncate(self.path, torn_at)  # so that the next line starts on a line of its own

    def lookup(self, source: str, dest: str | None) -> tuple[FileReport | None, Stamp | None]:
        """(the recorded report if this file is done with the same content, the file's stamp)."""
        st = stamp_of(source)
        entry = self._index.get((source, dest))
        if st is None or entry is None or entry.size != st.size or entry.sha256 != st.sha256:
            return None, st
        if entry.output is not None and not os.path.exists(entry.output):
            return None, st  # the copy is gone: make it again
        with open(self.path, "rb") as f:
            f.seek(entry.offset)
            report = FileReport.from_dict(json.loads(f.readline())["report"])
        self.skipped += 1
        return report, st

    def record(self, source: str, dest: str | None, stamp: Stamp, report: FileReport) -> None:
        if self._out is None or code_of(report.error or "") in _RETRY_CODES:
            return
        line = {"path": source, "dest": dest, "size": stamp.size, "mtime_ns": stamp.mtime_ns,
                "sha256": stamp.sha256, "verdict": report.verdict, "output": report.output,
                "report": report.to_dict()}
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
        offset = self._out.tell()
        self._out.write(data)
        self._out.flush()
        os.fsync(self._out.fileno())
        self._index[(source, dest)] = _Entry(stamp.size, stamp.sha256, report.output, offset)

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
