"""Legacy word-processor files (.doc, .wps, .rtf, .odt): converted to DOCX, then read as DOCX.

What a file is comes from its content (``convert.sniff``), not its name: a ``.wps`` is often a
Word 97 file saved by WPS Office, a ``.doc`` may be RTF, an HTML page exported by a web system,
or a renamed ``.docx``. LibreOffice (headless, isolated profile, timeout: ``convert.py``)
converts it to DOCX; the DOCX adapter then reads everything the DOCX holds (body, tables,
headers, footers, notes, comments, tracked changes, hidden text, properties) and writes the
redacted copy, which is a ``.docx`` (``copy_suffix`` in the format registry). A
``format_converted`` notice (info) says what the file was and that the copy is DOCX.

What the conversion cannot carry is not in the copy, and not checked either: LibreOffice
drops what it does not import (macros, OLE objects it cannot render, the revision history of
some formats; a Kingsoft-native ``.wps`` it cannot read at all is an error with a hint to
save it as .docx in WPS Office). Without LibreOffice such a file is an error with the install
hint, never skipped.
"""
from __future__ import annotations

from pathlib import Path

from ...document import METADATA, Document, Segment
from ...errors import UnreadableFileError
from ...findings import Finding
from .. import convert
from ..docx import DocxAdapter

# what the content may be, for a word-processor name (others are refused with what they are)
WORD_KINDS = ("doc", "docx", "rtf", "odt", "works", "wps-native", "html")


class LegacyWordAdapter(DocxAdapter):
    """.doc, .wps, .rtf, .odt: converted to .docx by LibreOffice, then read and written as .docx."""

    name = "doc"

    def extract(self, path: Path) -> Document:
        path = Path(path)
        data = path.read_bytes()
        kind = convert.sniff(data)
        if kind not in WORD_KINDS:
            raise UnreadableFileError(f"not a word-processor document (the content is "
                                      f"{convert.DESCRIPTIONS.get(kind, kind)})", path=str(path))
        with convert.converted(path, "docx", kind=kind) as docx:
            converted = docx.read_bytes()
        st = self._load(converted, str(path))
        segments, notices = list(st.segments), list(st.notices)
        segments.append(Segment(text="", origin=METADATA, location={"converted_from": kind}))
        notices.append(Finding(kind="format_converted", start=0, end=0, text="", score=1.0,
                               rule=f"docx.converted.{kind}",
                               explanation=convert.describe(kind, path.suffix.lower(), "docx"),
                               segment=len(segments) - 1, attrs={"from": kind}))
        # The DOCX writer checks that the segment count did not change; give it the extra one.
        st.segments = segments
        fmt = path.suffix.lower().lstrip(".") or self.name
        return Document(path=str(path), format=fmt, segments=segments, notices=notices,
                        handle={"data": converted, "state": st})

    def write(self, doc: Document, edits, out_path: Path) -> None:
        handle = doc.handle
        st = handle.get("state")
        if st is None or st.used:  # a second write: the converted bytes again, plus the note's segment
            st = self._load(handle["data"], doc.path)
            st.segments.append(doc.segments[-1])
            handle["state"] = st
        super().write(doc, edits, out_path)


__all__ = ["WORD_KINDS", "LegacyWordAdapter"]
