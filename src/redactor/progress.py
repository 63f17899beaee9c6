"""A one-line progress bar for folder runs: files done / total and the current file.

The total may be unknown (None): then a counter of files done is drawn instead of a bar.

It draws on stderr, and only when stderr is a terminal (never in a pipe, a log or CI), so
machine-readable stdout is never mixed with it. Redraws are throttled.
"""
from __future__ import annotations

import shutil
import sys
import time
from typing import IO

from .terminal import Style, _width


class Progress:
    def __init__(self, total: int | None, stream: IO[str] | None = None, *, enabled: bool | None = None,
                 min_interval: float = 0.08) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled and total != 0
        self.done = 0
        self.current = ""
        self.style = Style.for_stream(self.stream)
        self._last = 0.0
        self._min_interval = min_interval
        self._drawn = False

    def start(self, path: str) -> None:
        self.current = path
        self._draw()

    def advance(self, path: str | None = None) -> None:
        self.done += 1
        if path is not None:
            self.current = path
        self._draw(force=self.total is not None and self.done >= self.total)

    def line(self, columns: int | None = None) -> str:
        cols = columns or shutil.get_terminal_size((80, 24)).columns
        if self.total is None:
            counter, bar_w, bar = f"{self.done} done ", 0, ""
        else:
            counter = f" {self.done}/{self.total} "
            bar_w = max(10, min(30, cols // 4))
            filled = int(bar_w * self.done / self.total) if self.total else bar_w
            bar = "█" * filled + "░" * (bar_w - filled)
        room = cols - 1 - bar_w - len(counter) - 1
        name = self.current
        if _width(name) > room:
            while name and _width("…" + name) > room:
                name = name[1:]
            name = "…" + name if room > 1 else ""
        return f"{self.style(bar, 'cyan')}{counter}{name}"

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self._min_interval:
            return
        self._last = now
        self.stream.write("\r" + self.line() + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Erase the bar so the report that follows starts on a clean line."""
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
