"""Format adapters: one module per file format, each with extract() and write() side by side.

An adapter turns a file into a Document (segments in reading order with locations) and writes
a copy with Edits applied, scrubbing the hidden content it reported. It knows nothing about
what personal information is. To add a format: write ``formats/<name>.py`` with a class that
has ``name``, ``suffixes``, ``extract(path) -> Document`` and
``write(doc, edits, out_path) -> None``, and add its suffixes below.
"""
from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Protocol, Sequence

from ..document import Document, Edit
from ..errors import UnsupportedFormatError


class FormatAdapter(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def extract(self, path: Path) -> Document: ...

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None: ...


# suffix -> "module:Class"; imported on first use so `import redactor` stays fast.
ADAPTERS: dict[str, str] = {
    ".txt": "redactor.formats.text:TextAdapter",
    ".md": "redactor.formats.text:TextAdapter",
    ".docx": "redactor.formats.docx:DocxAdapter",
    ".pdf": "redactor.formats.pdf:PdfAdapter",
}

_cache: dict[str, FormatAdapter] = {}


def supported_suffixes() -> tuple[str, ...]:
    return tuple(ADAPTERS)


def adapter_for(path: str | Path) -> FormatAdapter:
    suffix = Path(path).suffix.lower()
    spec = ADAPTERS.get(suffix)
    if spec is None:
        raise UnsupportedFormatError(
            f"unsupported file type '{suffix or '(none)'}' (supported: {', '.join(ADAPTERS)})", path=str(path)
        )
    if spec not in _cache:
        module, cls = spec.split(":")
        try:
            _cache[spec] = getattr(import_module(module), cls)()
        except ModuleNotFoundError as e:
            raise UnsupportedFormatError(f"support for '{suffix}' is not available: {e}", path=str(path)) from None
    return _cache[spec]
