"""The DOCX adapter: extract() and write() over the reader, writer and scrubber."""
from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ...document import Document, Edit
from ...errors import UnreadableFileError, VerificationError
from .model import _State
from .pictures import blank
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
            if 0 <= index < len(st.models) and not st.models[index].removed and not st.models[index].picture:
                if st.models[index].readonly:
                    raise VerificationError(
                        f"a value to mask lies in {st.models[index].readonly}, which cannot be edited in place: "
                        "open the file in Word and save it (this merges the chunk into the text), then redact again",
                        path=doc.path)
                _apply(st.models[index], seg_edits, st.pkg)
        # A picture with a value in its text (OCR) cannot be edited run by run: it is blanked.
        for index in by_segment:
            model = st.models[index] if 0 <= index < len(st.models) else None
            if model is not None and model.picture and model.picture in st.pictures:
                st.pkg.raw[model.picture] = blank(st.pkg.zip.read(model.picture), st.pictures[model.picture])
        self._scrub(st)
        st.pkg.save(Path(out_path), st.keep)
        if self.residue_check:
            masked = {doc.segments[e.segment].text[e.start:e.end] for e in edits if 0 <= e.segment < len(doc.segments)}
            self._residue_check(Path(out_path), {v.strip() for v in masked if len(v.strip()) >= 2}, doc.path,
                                skip=frozenset(st.inert_parts - st.pkg.dirty))

    @staticmethod
    def _residue_check(out: Path, values: set[str], path: str, skip: frozenset[str] = frozenset()) -> None:
        """A net under the extractor: no masked value may remain anywhere in the copy's XML,
        in text or in attributes of parts this adapter does not read (bookmark names, content
        control tags ...). The pipeline's read-back re-scan then checks what the extractor sees.

        Identifier-like values (digits, letters, @ . _ + -) of five characters or more are looked
        up among the XML's tokens (one C-level scan and set lookups instead of one substring
        search per value; shorter ones would match hex ids by chance); other values, short names
        included, are searched for directly."""
        if not values:
            return
        from xml.sax.saxutils import escape

        tokens = {v for v in values if _TOKEN.fullmatch(v)}
        token_values = {v for v in tokens if len(v) >= 5}
        others = values - tokens
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
                if not info.filename.endswith((".xml", ".rels", ".vml")) or info.filename.startswith(_NO_TEXT_PARTS) \
                        or info.filename in skip:
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
