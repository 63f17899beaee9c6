"""Access to the data files in ``patterns/`` (shipped in the wheel as ``redactor/patterns``).

In a source checkout (editable install) the files live at the repository root; in an
installed wheel they are package data. Both are read through this one function.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import IO

_REPO_PATTERNS = Path(__file__).resolve().parent.parent.parent / "patterns"


def pattern_path(name: str) -> Path:
    packaged = resources.files("redactor") / "patterns" / name
    if packaged.is_file():
        return Path(str(packaged))
    return _REPO_PATTERNS / name


def open_pattern_file(name: str) -> IO[str]:
    return pattern_path(name).open(encoding="utf-8")
