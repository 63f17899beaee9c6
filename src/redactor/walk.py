"""Which files a run covers and where each redacted copy goes (a mirrored tree under OUTDIR)."""
from __future__ import annotations

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


def plan(paths: Sequence[str], outdir: str | None) -> Iterator[PlannedFile]:
    """Expand files and folders. A folder's files go to OUTDIR/<path inside the folder>; a file
    given directly goes to OUTDIR/<its name>. Two inputs that map to one output are errors."""
    out = Path(outdir).resolve() if outdir and outdir != STDIN else None
    taken: dict[str, str] = {}
    for arg in paths:
        if arg == STDIN:
            yield PlannedFile(STDIN, STDIN if outdir else None)
            continue
        p = Path(arg)
        if p.is_dir():
            pairs = [(f, f.relative_to(p)) for f in _walk(p, out)]
        else:
            pairs = [(p, Path(p.name))]
        for src, rel in pairs:
            if out is None:
                yield PlannedFile(str(src))
                continue
            dest = out / rel
            if outdir == STDIN:
                yield PlannedFile(str(src), STDIN)
                continue
            key = str(dest)
            if key in taken:
                yield PlannedFile(str(src), None, f"[E202] {src}: output {dest} is already the copy of {taken[key]}")
                continue
            if src.resolve() == dest:
                yield PlannedFile(str(src), None, f"[E203] {src}: output would overwrite the input")
                continue
            taken[key] = str(src)
            yield PlannedFile(str(src), key)
