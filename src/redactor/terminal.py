"""Terminal output for a clerk: per-file lines, then a summary table.

Colours are used only when the stream is a terminal and ``NO_COLOR`` is not set
(https://no-color.org); ``FORCE_COLOR`` turns them on for a pipe. Without colour the
output is plain text that reads the same (verdicts are words, not only colours).

Levels: ``quiet`` prints the one summary line; the default prints every file that is not
publishable with its reasons, then the summary table; ``verbose >= 1`` adds every file and
every finding; ``verbose >= 2`` adds each finding's explanation.
"""
from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from typing import IO

from .findings import label_of
from .policy import BLOCK, ERROR, PUBLISH, REDACT
from .report import format_location
from .reporting import RunReport

_CODES = {
    "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36",
    "bold": "1", "dim": "2",
}
VERDICT_STYLE = {PUBLISH: "green", REDACT: "yellow", BLOCK: "red", ERROR: "magenta"}


def colour_enabled(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed stream
        return False


def _isatty(stream: IO[str]) -> bool:
    try:
        return bool(getattr(stream, "isatty", lambda: False)())
    except ValueError:
        return False


class Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def for_stream(cls, stream: IO[str]) -> "Style":
        return cls(colour_enabled(stream))

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(_CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"

    def verdict(self, verdict: str, width: int = 0) -> str:
        return self(verdict.upper().ljust(width), VERDICT_STYLE.get(verdict, "bold"), "bold")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def summary_line(run: RunReport) -> str:
    s = run.summary()
    v = s["verdicts"]
    return f"{s['files']} file(s): {v['publish']} publish, {v['redact']} redact, {v['block']} block, {v['error']} error"


def print_report(run: RunReport, out: IO[str] | None = None, *, verbose: int = 0, quiet: bool = False,
                 style: Style | None = None) -> None:
    out = out or sys.stdout
    style = style or Style.for_stream(out)
    if quiet:
        print(summary_line(run), file=out)
        return
    for f in run.files:
        if f.verdict == PUBLISH and not verbose:
            continue
        line = f"{style.verdict(f.verdict, 8)} {f.path}"
        if f.output and verbose:
            line += style(f" -> {f.output}", "dim")
        print(line, file=out)
        if f.verdict != PUBLISH:
            for reason in f.reasons:
                print(f"         {reason}", file=out)
        if verbose:
            for r in f.findings:
                loc = format_location(r.location)
                print(f"         - {_pad(r.kind, 14)} {_pad(r.preview, 24)} {r.action:9} {r.rule} [{loc}]", file=out)
                if verbose >= 2 and r.explanation:
                    print(style(f"             {r.explanation}", "dim"), file=out)
    print_summary(run, out, style=style)


def print_summary(run: RunReport, out: IO[str], *, style: Style) -> None:
    """Files per verdict, findings per kind, and the blocked files with their first reason."""
    s = run.summary()
    cols = shutil.get_terminal_size((100, 24)).columns
    if run.files:
        print(file=out)
        print(style("Files", "bold"), file=out)
        for v in (PUBLISH, REDACT, BLOCK, ERROR):
            n = s["verdicts"][v]
            print(f"  {style.verdict(v, 8)} {n:>6}", file=out)
    kinds = Counter({k: n for k, n in s["findings"].items()})
    if kinds:
        print(style("Findings", "bold"), file=out)
        for kind, n in kinds.most_common():
            print(f"  {_pad(kind, 22)} {n:>6}  {label_of(kind)}", file=out)
    blocked = [f for f in run.files if f.verdict in (BLOCK, ERROR)]
    if blocked:
        print(style("Blocked or unreadable", "bold"), file=out)
        for f in blocked:
            reason = f.reasons[0] if f.reasons else (f.error or "")
            text = f"{f.path}: {reason}"
            room = cols - 1 - 2 - len(f.verdict) - 1
            if _isatty(out) and _width(text) > room and room > 20:  # a log keeps the whole line
                while _width(text) > room - 1:
                    text = text[:-1]
                text += "…"
            print(f"  {style(f.verdict.upper(), VERDICT_STYLE[f.verdict])} {text}", file=out)
    print(style(summary_line(run), "bold"), file=out)
