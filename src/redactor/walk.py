"""Which files a run covers and where each redacted copy goes (a mirrored tree under OUTDIR).

Lazy: files are yielded as the folders are walked, never listed first, so an archive of a
million files costs no more memory than a folder of fifty (a folder's own entries are sorted,
so one directory's listing is held at a time).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

STDIN = "-"


@dataclass(frozen=True)
class PlannedFile:
    source: str
    dest: str | None = None   # None in check mode
    error: str | None = None  # set when the file must not be processed (e.g. output clash)


def _walk(root: Path, skip: Path | None) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        # Never descend into the output folder, nor hidden folders (.git, .svn ...).
        dirnames[:] = sorted(
            n for n in dirnames if not n.startswith(".") and (skip is None or (d / n).resolve() != skip)
        )
        for name in sorted(filenames):
            # Hidden files and Office lock files (~$x.docx) are not documents.
            if name.startswith(".") or name.startswith("~$"):
                continue
            yield d / name


def _digest(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=8).digest(), "big")


def plan(paths: Sequence[str], outdir: str | None) -> Iterator[PlannedFile]:
    """Expand files and folders. A folder's files go to OUTDIR/<path inside the folder>; a file
    given directly goes to OUTDIR/<its name>. Two inputs that map to one output are errors."""
    out = Path(outdir).resolve() if outdir and outdir != STDIN else None
    # Outputs can only clash between two arguments (a folder's relative paths are unique):
    # with several, remember each output by an 8-byte digest and the argument it came from.
    taken: dict[int, str] | None = {} if len(paths) > 1 else None
    for arg in paths:
        if arg == STDIN:
            yield PlannedFile(STDIN, STDIN if outdir else None)
            continue
        p = Path(arg)
        if p.is_dir():
            pairs: Iterator[tuple[Path, Path]] = ((f, f.relative_to(p)) for f in _walk(p, out))
        else:
            pairs = iter([(p, Path(p.name))])
        for src, rel in pairs:
            if out is None:
                yield PlannedFile(str(src))
                continue
            dest = out / rel
            if outdir == STDIN:
                yield PlannedFile(str(src), STDIN)
                continue
            key = str(dest)
            if taken is not None and _digest(key) in taken:
                yield PlannedFile(str(src), None,
                                  f"[E202] {src}: output {dest} is already the copy of a file from {taken[_digest(key)]}")
                continue
            if src.resolve() == dest:
                yield PlannedFile(str(src), None, f"[E203] {src}: output would overwrite the input")
                continue
            if taken is not None:
                taken[_digest(key)] = arg
            yield PlannedFile(str(src), key)
