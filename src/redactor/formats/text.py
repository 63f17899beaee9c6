"""Plain text and Markdown: the whole file is one segment; encoding and newlines are kept.

Chinese text files are often GB18030 (GBK) rather than UTF-8: the adapter tries UTF-8 (with
or without BOM) first, then GB18030, and writes the copy back in the encoding it read.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..document import BODY, Document, Edit, Segment
from ..errors import UnreadableFileError

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding). Binary data (NUL bytes) is refused: it is not a text file."""
    if b"\x00" in data[:4096]:
        raise UnreadableFileError("not a text file (binary content)", path=path)
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            return text, "utf-8-sig"
        return text, "utf-8" if enc == "utf-8-sig" else enc
    raise UnreadableFileError("cannot decode text (tried UTF-8 and GB18030)", path=path)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits to one string (edits for other segments are ignored by callers)."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < pos:
            continue  # overlapping edit: the earlier one already covers it
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


class TextAdapter:
    name = "text"
    suffixes = (".txt", ".md")

    def extract(self, path: Path) -> Document:
        data = Path(path).read_bytes()
        text, encoding = decode(data, str(path))
        return Document(
            path=str(path),
            format=self.name,
            segments=[Segment(text=text, origin=BODY)],
            handle={"encoding": encoding},
        )

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        text = apply_edits(doc.segments[0].text, [e for e in edits if e.segment == 0])
        encoding = (doc.handle or {}).get("encoding", "utf-8")
        # newline="" keeps the file's own line endings (CRLF stays CRLF).
        with open(out_path, "w", encoding=encoding, newline="") as f:
            f.write(text)
