"""One error root for the library. Messages carry a code ([E001]) so users can search for them."""
from __future__ import annotations


class RedactorError(Exception):
    """Root of every error redactor raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"[{self.code}] {where}{message}")
        self.message = message


class ConfigError(RedactorError):
    """Invalid configuration: names the key and the file."""

    code = "E100"


class UnreadableFileError(RedactorError):
    """A file could not be read: corrupt, encrypted, empty where content is needed, too large."""

    code = "E200"


class UnsupportedFormatError(UnreadableFileError):
    """No format adapter handles this file."""

    code = "E201"


class VerificationError(RedactorError):
    """A redacted copy still exposes a value that was masked; the copy is not written."""

    code = "E300"
