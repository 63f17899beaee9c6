"""redactor: make Chinese government documents safe to publish.

    >>> import redactor
    >>> redactor.redact_text("联系电话：13812345678")
    '联系电话：138****5678'

Public API (stable, documented in README):
    scan_text(text, policy=None) -> list[Finding]
    redact_text(text, policy=None) -> str
    scan(path, policy=None) -> FileReport
    redact(path, out, policy=None) -> FileReport
    Redactor(policy)            the same, with a policy and its detectors built once
    run_batch(paths, policy=None, outdir=None, executor=None, ...) -> Iterator[FileReport]
                                many files and folders, over any concurrent.futures.Executor
    Policy, KindPolicy          configuration (Policy.from_file("redactor.toml"))
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .errors import ConfigError, RedactorError, UnreadableFileError, UnsupportedFormatError, VerificationError
from .findings import Finding
from .policy import KindPolicy, Policy

if TYPE_CHECKING:
    from .pipeline import Redactor
    from .reporting import FileReport

__version__ = "0.1.0"

_default: "Redactor | None" = None


def _redactor(policy: Policy | None) -> "Redactor":
    global _default
    from .pipeline import Redactor

    if policy is not None:
        return Redactor(policy)
    if _default is None:
        _default = Redactor()
    return _default


def scan_text(text: str, policy: Policy | None = None) -> list[Finding]:
    """Findings in ``text`` (offsets index into ``text``), after policy and overlap resolution."""
    return _redactor(policy).scan_text(text)


def redact_text(text: str, policy: Policy | None = None) -> str:
    """``text`` with every personal finding replaced by its operator's output."""
    return _redactor(policy).redact_text(text)


def scan(path: str | os.PathLike[str], policy: Policy | None = None) -> "FileReport":
    return _redactor(policy).scan(path)


def redact(path: str | os.PathLike[str], out: str | os.PathLike[str], policy: Policy | None = None) -> "FileReport":
    return _redactor(policy).redact(path, out)


def __getattr__(name: str):
    if name == "Redactor":
        from .pipeline import Redactor

        return Redactor
    if name == "run_batch":
        from .engine import run_batch

        return run_batch
    raise AttributeError(name)


__all__ = [
    "scan_text", "redact_text", "scan", "redact", "Redactor", "run_batch", "Policy", "KindPolicy", "Finding",
    "RedactorError", "ConfigError", "UnreadableFileError", "UnsupportedFormatError", "VerificationError",
]
