"""Format adapters: one package (or module) per file format, and the registry below.

An adapter turns a file into a Document (segments in reading order with locations) and writes
a copy with Edits applied, scrubbing the hidden content it reported. It knows nothing about
what personal information is.

To add a format: write ``formats/<name>/`` (or ``formats/<name>.py``) with a class that has
``name``, ``extract(path) -> Document`` and ``write(doc, edits, out_path) -> None``, and add
one ``FormatInfo`` line to ``FORMATS``. Suffixes, media types and the main part used to show
locations all come from that line; nothing else in the code base lists formats.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Protocol, Sequence

from ..document import Document, Edit
from ..errors import UnsupportedFormatError


class FormatAdapter(Protocol):
    name: str

    def extract(self, path: Path) -> Document: ...

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None: ...


@dataclass(frozen=True)
class FormatInfo:
    name: str                   # the report's "format" field
    adapter: str                # "module:Class", imported on first use (`import redactor` stays fast)
    suffixes: tuple[str, ...]   # lower case, with the dot
    media_type: str             # what the service answers with for a copy of this format
    main_part: str | None = None  # a location's "part" that need not be shown (the document body)
    copy_suffix: str | None = None  # the redacted copy's suffix when it differs (a legacy file -> modern)


DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMATS: tuple[FormatInfo, ...] = (
    FormatInfo("text", "redactor.formats.text:TextAdapter", (".txt",), "text/plain"),
    FormatInfo("text", "redactor.formats.text:TextAdapter", (".md",), "text/markdown"),
    FormatInfo(
        "docx", "redactor.formats.docx:DocxAdapter", (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml",
    ),
    FormatInfo("pdf", "redactor.formats.pdf:PdfAdapter", (".pdf",), "application/pdf"),
    FormatInfo("html", "redactor.formats.html:HtmlAdapter", (".html", ".htm"), "text/html"),
    FormatInfo("ofd", "redactor.formats.ofd:OfdAdapter", (".ofd",), "application/ofd"),
    FormatInfo("image", "redactor.formats.image:ImageAdapter", (".jpg", ".jpeg"), "image/jpeg"),
    FormatInfo("image", "redactor.formats.image:ImageAdapter", (".png",), "image/png"),
    FormatInfo("image", "redactor.formats.image:ImageAdapter", (".tif", ".tiff"), "image/tiff"),
    FormatInfo("doc", "redactor.formats.legacy:LegacyWordAdapter", (".doc",), DOCX_MEDIA_TYPE, copy_suffix=".docx"),
    FormatInfo("wps", "redactor.formats.legacy:LegacyWordAdapter", (".wps",), DOCX_MEDIA_TYPE, copy_suffix=".docx"),
    FormatInfo("rtf", "redactor.formats.legacy:LegacyWordAdapter", (".rtf",), DOCX_MEDIA_TYPE, copy_suffix=".docx"),
    FormatInfo("odt", "redactor.formats.legacy:LegacyWordAdapter", (".odt",), DOCX_MEDIA_TYPE, copy_suffix=".docx"),
    FormatInfo("xlsx", "redactor.formats.xlsx:XlsxAdapter", (".xlsx",), XLSX_MEDIA_TYPE),
    FormatInfo("xls", "redactor.formats.xlsx:LegacySheetAdapter", (".xls",), XLSX_MEDIA_TYPE, copy_suffix=".xlsx"),
    FormatInfo("et", "redactor.formats.xlsx:LegacySheetAdapter", (".et",), XLSX_MEDIA_TYPE, copy_suffix=".xlsx"),
    FormatInfo("csv", "redactor.formats.delimited:DelimitedAdapter", (".csv",), "text/csv"),
    FormatInfo("csv", "redactor.formats.delimited:DelimitedAdapter", (".tsv",), "text/tab-separated-values"),
)

_BY_SUFFIX: dict[str, FormatInfo] = {s: f for f in FORMATS for s in f.suffixes}
_cache: dict[str, FormatAdapter] = {}


def supported_suffixes() -> tuple[str, ...]:
    return tuple(_BY_SUFFIX)


def format_for(path: str | Path) -> FormatInfo:
    """The registry line for a file, by its suffix."""
    suffix = Path(path).suffix.lower()
    info = _BY_SUFFIX.get(suffix)
    if info is None:
        raise UnsupportedFormatError(
            f"unsupported file type '{suffix or '(none)'}' (supported: {', '.join(_BY_SUFFIX)})", path=str(path)
        )
    return info


def copy_suffix_for(path: str | Path) -> str:
    """The suffix of a file's redacted copy: its own, or the modern format's for a legacy file
    read after conversion (``.xls`` -> ``.xlsx``)."""
    suffix = Path(path).suffix
    info = _BY_SUFFIX.get(suffix.lower())
    return info.copy_suffix if info is not None and info.copy_suffix else suffix


def media_type_for(path: str | Path) -> str:
    info = _BY_SUFFIX.get(Path(path).suffix.lower())
    return info.media_type if info else "application/octet-stream"


def main_parts() -> frozenset[str]:
    return frozenset(f.main_part for f in FORMATS if f.main_part)


def adapter_for(path: str | Path) -> FormatAdapter:
    spec = format_for(path).adapter
    if spec not in _cache:
        module, cls = spec.split(":")
        try:
            _cache[spec] = getattr(import_module(module), cls)()
        except ModuleNotFoundError as e:
            suffix = Path(path).suffix.lower()
            raise UnsupportedFormatError(f"support for '{suffix}' is not available: {e}", path=str(path)) from None
    return _cache[spec]
