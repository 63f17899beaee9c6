"""Excel workbooks (.xlsx), and legacy .xls/.et read through LibreOffice.

Reading works on the package's XML parts with lxml (``reader.py``), not on openpyxl or
python-calamine. Measured on a generated 10,000-row 公示名单 (``python
benchmarks/bench_xlsx.py --readers``, 80,009 cells, one run on a loaded 2-core machine):
python-calamine 1.3 s (values only), bare lxml parse 5.6 s, this reader 21.7 s (a located
segment with its column header for every cell), openpyxl 24.0 s (17.1 s read-only).
calamine shows neither comments, headers and footers, defined names, hidden rows and columns
nor formulas, and it cannot write. openpyxl costs the same as this reader but rewrites the
whole package when it saves (dropping parts it does not model and renumbering styles), while
a copy made over the parts changes only the text it masks and keeps formatting, column widths,
merged cells, conditional formats and tables as they were. openpyxl stays in the tests, as
the independent reader that checks every copy.

What is read and how it becomes segments: ``reader.py``. What the copy keeps and removes:
``scrub.py``. How edits, hidden cells and formulas are written: ``writer.py``.

Legacy workbooks (``.xls``; ``.et``, which WPS writes either in its own format or as an Excel
97 file) are converted to .xlsx with LibreOffice (``formats/convert.py``) and then read as
above. Their copy is an .xlsx file (``FormatInfo.copy_suffix``), and the report says so with a
``format_converted`` notice. An .xlsx that is really an Excel 97 file is converted the same way.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...document import METADATA, Document, Edit, Segment
from ...errors import UnreadableFileError
from ...findings import Finding
from .. import convert
from .reader import load_book
from .writer import write_book


class XlsxAdapter:
    name = "xlsx"

    def extract(self, path: Path) -> Document:
        data = Path(path).read_bytes()
        if data[:8] == convert.OLE_MAGIC:
            return self._legacy(Path(path), data)
        return self.extract_bytes(data, str(path), self.name)

    def extract_bytes(self, data: bytes, path: str, fmt: str, converted_from: str | None = None) -> Document:
        book, segments, notices = load_book(data, path)
        if converted_from is not None:
            from .reader import SegModel

            segments.append(Segment(text="", origin=METADATA, location={"converted_from": converted_from}))
            book.models.append(SegModel(pieces=[], removed=True))
            suffix = Path(path).suffix.lower()
            notices.append(Finding(kind="format_converted", start=0, end=0, text="", score=1.0,
                                   rule=f"xlsx.converted.{converted_from}",
                                   explanation=convert.describe(converted_from, suffix, "xlsx"),
                                   segment=len(segments) - 1, attrs={"from": converted_from}))
        return Document(path=path, format=fmt, segments=segments, notices=notices, handle={"data": data, "book": book})

    def _legacy(self, path: Path, data: bytes) -> Document:
        kind = convert.sniff(data)
        streams = {n.lower() for n in convert.ole_streams(data)}
        if "encryptedpackage" in streams or "encryptioninfo" in streams:
            raise UnreadableFileError("encrypted or password-protected workbook: remove the password and save it again",
                                      path=str(path))
        if kind != "xls":
            raise UnreadableFileError(f"not an Excel workbook (the content is {convert.DESCRIPTIONS.get(kind, kind)})",
                                      path=str(path))
        with convert.converted(path, "xlsx", kind=kind) as xlsx:
            return self.extract_bytes(xlsx.read_bytes(), str(path), self.name, converted_from=kind)

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        handle = doc.handle or {}
        book = handle.get("book")
        if book is None or book.used:  # a second write starts again from the (converted) bytes
            book, segments, _ = load_book(handle.get("data") or Path(doc.path).read_bytes(), doc.path)
            if len(segments) > len(doc.segments):
                raise UnreadableFileError("the workbook changed between reading and writing", path=doc.path)
        book.used = True
        write_book(book, doc.segments, edits, Path(out_path), doc.path)


class LegacySheetAdapter(XlsxAdapter):
    """.xls and .et: converted to .xlsx by LibreOffice, then read and written as .xlsx."""

    name = "xls"

    def extract(self, path: Path) -> Document:
        path = Path(path)
        data = path.read_bytes()
        kind = convert.sniff(data)
        fmt = path.suffix.lower().lstrip(".") or self.name
        if kind in ("text", "unknown") and not data.startswith(convert.OLE_MAGIC):
            raise UnreadableFileError(f"not a spreadsheet ({convert.DESCRIPTIONS[kind]} under a {path.suffix} name)",
                                      path=str(path))
        if kind not in ("xls", "xlsx", "ods", "html", "et-native", "wps-native"):
            raise UnreadableFileError(f"not a spreadsheet (the content is {convert.DESCRIPTIONS.get(kind, kind)})",
                                      path=str(path))
        if kind == "wps-native":
            kind = "et-native"  # an OLE file with no Workbook stream under a spreadsheet name
        with convert.converted(path, "xlsx", kind=kind) as xlsx:
            return self.extract_bytes(xlsx.read_bytes(), str(path), fmt, converted_from=kind)


__all__ = ["LegacySheetAdapter", "XlsxAdapter"]
