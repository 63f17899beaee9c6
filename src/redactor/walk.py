"""Which files a run covers and where each redacted copy goes (a mirrored tree under OUTDIR).

Lazy: files are yielded as the folders are walked, never listed first (a folder's own entries
are sorted, so one directory's listing is held at a time); in redact mode each output is
remembered by an 8-byte digest only, to catch two inputs that would share one copy.

A copy's path inside OUTDIR is the file's path inside its folder, with two changes made in
``copy_path``: the suffix of a legacy file read after conversion becomes the modern one
(``.xls`` -> ``.xlsx``), and ``rename`` (``filenames.renamer``) masks personal information in
the file's and its folders' names. When two different inputs come out under one name that
way, the later gets `` (2)`` before its suffix; the same input named twice is still E202.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Callable, Iterator, Sequence

from .formats import copy_suffix_for

STDIN = "-"


@dataclass(frozen=True)
class PlannedFile:
    source: str
    dest: str | None = None   # None in check mode
    error: str | None = None  # set when the file must not be processed (e.g. output clash)
    rel: str | None = None    # its path inside the folder given (or its name): names in it are checked


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


def copy_path(rel: PurePath, rename: Callable[[PurePath], PurePath] | None = None) -> PurePath:
    """Where the copy of ``rel`` goes inside OUTDIR: names masked, a converted format's suffix."""
    new = rename(rel) if rename is not None else rel
    suffix = copy_suffix_for(rel)
    return new.with_suffix(suffix) if suffix != rel.suffix and new.suffix else new


def _numbered(dest: Path, n: int) -> Path:
    return dest.with_name(f"{dest.stem} ({n}){dest.suffix}")


def plan(paths: Sequence[str], outdir: str | None,
         rename: Callable[[PurePath], PurePath] | None = None) -> Iterator[PlannedFile]:
    """Expand files and folders. A folder's files go to OUTDIR/<path inside the folder>; a file
    given directly goes to OUTDIR/<its name> (see ``copy_path``). Two inputs that map to one
    output are errors."""
    out = Path(outdir).resolve() if outdir and outdir != STDIN else None
    # Every output is remembered by an 8-byte digest (a million files cost a few tens of MB):
    # masked names can meet inside one folder (张三.docx and 张四.docx -> 张某.docx), and two
    # arguments can map to one output.
    taken: dict[int, str] = {}
    mirrored: set[int] = set()  # OUTDIR/<rel> before renaming: the same one twice is a clash
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
                yield PlannedFile(str(src), rel=str(rel))
                continue
            if outdir == STDIN:
                yield PlannedFile(str(src), STDIN, rel=str(rel))
                continue
            dest = out / copy_path(rel, rename)
            key = str(dest)
            if _digest(key) in taken:
                if _digest(str(out / rel)) in mirrored:
                    yield PlannedFile(str(src), None,
                                      f"[E202] {src}: output {dest} is already the copy of a file from {taken[_digest(key)]}",
                                      rel=str(rel))
                    continue
                n = 2
                while _digest(str(_numbered(dest, n))) in taken:
                    n += 1
                dest = _numbered(dest, n)
                key = str(dest)
            if src.resolve() == dest:
                yield PlannedFile(str(src), None, f"[E203] {src}: output would overwrite the input", rel=str(rel))
                continue
            taken[_digest(key)] = arg
            mirrored.add(_digest(str(out / rel)))
            yield PlannedFile(str(src), key, rel=str(rel))
