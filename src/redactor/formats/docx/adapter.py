"""The DOCX adapter: extract() and write() over the reader, writer and scrubber."""
from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ...document import Document, Edit
from ...errors import UnreadableFileError, VerificationError
from .model import _State
from .reader import load
from .scrub import scrub
from .writer import _apply


class DocxAdapter:
    name = "docx"
    suffixes = (".docx",)
    residue_check = True  # grep the copy's XML for masked values (see _residue_check)

    # reading -----------------------------------------------------------------------------------
    def extract(self, path: Path) -> Document:
        data = Path(path).read_bytes()
        st = self._load(data, str(path))
        return Document(path=str(path), format=self.name, segments=st.segments, notices=st.notices,
                        handle={"data": data, "state": st})

    def _load(self, data: bytes, path: str) -> _State:
        return load(data, path)

    # writing -----------------------------------------------------------------------------------
    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        handle = doc.handle or {}
        st: _State | None = handle.get("state")
        if st is None or st.used:  # a second write starts again from the original bytes
            data = handle.get("data") or Path(doc.path).read_bytes()
            st = self._load(data, doc.path)
        st.used = True
        if len(st.segments) != len(doc.segments):
            raise UnreadableFileError("the document changed between reading and writing", path=doc.path)
        by_segment: dict[int, list[Edit]] = {}
        for e in edits:
            by_segment.setdefault(e.segment, []).append(e)
        for index, seg_edits in by_segment.items():
            if 0 <= index < len(st.models) and not st.models[index].removed:
                if st.models[index].readonly:
                    raise VerificationError(
                        f"a value to mask lies in {st.models[index].readonly}, which cannot be edited in place: "
                        "open the file in Word and save it (this merges the chunk into the text), then redact again",
                        path=doc.path)
                _apply(st.models[index], seg_edits, st.pkg)
        # A chart whose cached text was masked loses its embedded workbook (it holds the same
        # values, unreadable to us); the chart still shows, from its cache.
        for chart, workbooks in st.chart_workbooks.items():
            if chart in st.pkg.dirty and workbooks:
                root = st.pkg.xml(chart)
                for el in list(root.iter("{*}externalData")):
                    el.getparent().remove(el)
                for wb in workbooks:
                    st.pkg.remove_part(wb)
        self._scrub(st)
        st.pkg.save(Path(out_path))
        if self.residue_check:
            masked = {doc.segments[e.segment].text[e.start:e.end] for e in edits if 0 <= e.segment < len(doc.segments)}
            self._residue_check(Path(out_path), {v for v in masked if len(v.strip()) >= 5}, doc.path)

    @staticmethod
    def _residue_check(out: Path, values: set[str], path: str) -> None:
        """A net under the extractor: no masked value may remain anywhere in the copy's XML,
        in text or in attributes of parts this adapter does not read (bookmark names, content
        control tags ...). The pipeline's read-back re-scan then checks what the extractor sees.

        Identifier-like values (digits, letters, @ . _ + -) are looked up among the XML's tokens
        (one C-level scan and set lookups instead of one substring search per value); the few
        other values are searched for directly."""
        if not values:
            return
        from xml.sax.saxutils import escape

        token_values = {v for v in values if _TOKEN.fullmatch(v)}
        others = values - token_values
        others |= {escape(v, {'"': "&quot;"}) for v in others}
        lengths = sorted({len(v) for v in token_values})

        def found(text: str) -> bool:
            if any(v in text for v in others):
                return True
            if not lengths:
                return False
            shortest = lengths[0]
            for tok in _TOKEN.findall(text):
                n = len(tok)
                if n < shortest:
                    continue
                if tok in token_values:
                    return True
                for size in lengths:
                    if size >= n:
                        break
                    if any(tok[i:i + size] in token_values for i in range(n - size + 1)):
                        return True
            return False

        with zipfile.ZipFile(out) as z:
            for info in z.infolist():
                if not info.filename.endswith((".xml", ".rels", ".vml")) or info.filename.startswith(_NO_TEXT_PARTS):
                    continue
                if found(z.read(info.filename).decode("utf-8", "replace")):
                    raise VerificationError(
                        f"a masked value is still present in part '{info.filename}' of the copy "
                        "(a place the DOCX reader does not show); the copy is not written", path=path)

    def _scrub(self, st: _State) -> None:
        scrub(st)


# Parts made of font data (panose codes), theme and web settings: no document text, and long
# hex/digit tokens that could match a short masked value by chance.
_NO_TEXT_PARTS = ("word/fontTable.xml", "word/theme/", "word/webSettings.xml")
_TOKEN = re.compile(r"[0-9A-Za-z@._+\-]+")
