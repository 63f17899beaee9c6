"""One error root for the library, and every error code in one table.

Messages carry a code (``[E200] path: ...``) that users can search for. A message names the
file and says what went wrong in our words; it never quotes document text (a parser's own
message can, e.g. ``tag mismatch: tel13558704405``), so third-party exceptions are reported by
their type only (``describe_exception``).
"""
from __future__ import annotations

# code -> what it means. README's table of error codes is checked against this one by a test.
ERROR_CODES: dict[str, str] = {
    "E000": "redactor error",
    "E100": "invalid configuration (a config file, a pattern file, an option)",
    "E200": "the file cannot be read: corrupt, encrypted, empty, too large or over a safety limit",
    "E201": "unsupported file type",
    "E202": "two inputs would be written to the same output",
    "E203": "the output would overwrite the input",
    "E297": "the file took longer than the per-file timeout (--file-timeout; the service's --timeout)",
    "E298": "the worker process died while processing the file (retried once)",
    "E299": "a parser failed on this file",
    "E300": "the redacted copy failed verification: a masked value is still there; no copy written",
    "E310": "the name model is missing from the installation",
    "E900": "internal error: a bug in redactor (please report it with the file's error line)",
}


class RedactorError(Exception):
    """Root of every error redactor raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None, code: str | None = None) -> None:
        if code is not None:
            if code not in ERROR_CODES:
                raise ValueError(f"unknown error code {code}")  # a bug: every code is in the table
            self.code = code
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


class InternalError(RedactorError):
    """A bug of ours (an exception nobody expected): reported as such, never hidden as a parse error."""

    code = "E900"


def describe_exception(exc: BaseException) -> str:
    """A message for an exception we did not raise, safe to put in a report.

    Only the exception's type (and, for OS errors, the errno name) is kept: the text of a
    parser's exception may quote the document it was parsing.
    """
    if isinstance(exc, RedactorError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"  # the OS's words, never the file's content
    return type(exc).__name__


def code_of(message: str) -> str | None:
    """The code at the head of an error message ('[E200] ...' -> 'E200')."""
    if len(message) >= 6 and message[0] == "[" and message[5] == "]" and message[1:5] in ERROR_CODES:
        return message[1:5]
    return None
