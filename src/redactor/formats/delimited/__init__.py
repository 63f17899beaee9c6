"""CSV and TSV files: one segment per field, and a copy that changes only the masked fields.

Reading: the encoding is found from the bytes (a UTF-8 or UTF-16 byte-order mark, else UTF-8,
else GB18030, which Excel on a Chinese Windows writes), the delimiter from the first records
(comma, tab, semicolon or bar: the one that splits them into the same number of fields;
``.tsv`` prefers tab), and fields are split as RFC 4180 says (double quotes, ``""`` inside
quotes, line breaks inside quoted fields; ``\\r\\n``, ``\\n`` and ``\\r`` line ends). The header
row (``formats/tabular.py``) gives each field below it its ``column_header``. Location:
``{row, col}`` counting from 0 (a report shows them from 1).

A value Excel saved in scientific notation (``1.10105E+17``: an ID that was a number cell
when the sheet was saved as CSV) gets a ``number_precision`` notice: the file holds only its
first digits.

Writing splices the masked fields into the original text: everything else (encoding and its
byte-order mark, delimiter, quoting, line ends, a missing final line end) stays byte for byte.
A masked field keeps its quotes; an unquoted one is quoted only if the mask needs it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...document import TABLE, Document, Edit, Segment
from ...errors import UnreadableFileError
from ...findings import Finding
from .. import tabular
from ..text import apply_edits

DELIMITERS = (",", "\t", ";", "|")
SNIFF_RECORDS = 50
_SCIENTIFIC = re.compile(r"^\s*[1-9](?:\.\d+)?[Ee]\+(1[5-9]|2\d)\s*$")


@dataclass(frozen=True)
class Field:
    start: int      # raw span in the decoded text
    end: int
    value: str
    quoted: bool


def decode(data: bytes, path: str) -> tuple[str, str]:
    """(text, encoding): BOM first, then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, enc
    raise UnreadableFileError("not a text file (binary content, or an encoding other than UTF-8, UTF-16 and GB18030)",
                              path=path)


def _pattern(delim: str) -> re.Pattern[str]:
    d = re.escape(delim)
    # A quoted field (with anything after its closing quote up to the delimiter, as Excel
    # reads it), or an unquoted run; then the delimiter, a line end, or the end of the text.
    return re.compile(rf'(?:(?P<q>"(?:[^"]|"")*"(?:[^{d}\r\n]*))|(?P<u>(?!")[^{d}\r\n]*))(?P<sep>{d}|\r\n|\n|\r|$)')


def split(text: str, delim: str, limit: int | None = None) -> list[list[Field]]:
    """Records of fields with their raw spans. ``limit``: stop after that many records."""
    rx = _pattern(delim)
    records: list[list[Field]] = []
    record: list[Field] = []
    pos, n = 0, len(text)
    while pos <= n:
        m = rx.match(text, pos)
        if m is None:  # an unterminated quote: the rest of the text is that field
            record.append(Field(pos, n, text[pos + 1:].replace('""', '"'), True))
            records.append(record)
            break
        raw = m.group("q")
        if raw is not None:
            close = raw.rfind('"')
            value = raw[1:close].replace('""', '"') + raw[close + 1:]
            record.append(Field(m.start(), m.start() + len(raw), value, True))
        else:
            record.append(Field(m.start(), m.end("u"), m.group("u"), False))
        sep = m.group("sep")
        pos = m.end()
        if sep != delim:
            records.append(record)
            record = []
            if not sep or pos >= n:
                break
            if limit is not None and len(records) >= limit:
                break
    return records


def sniff_delimiter(text: str, preferred: str = ",") -> str:
    best, best_score = preferred, (0, 0)
    for delim in (preferred,) + tuple(d for d in DELIMITERS if d != preferred):
        counts = [len(r) for r in split(text, delim, SNIFF_RECORDS) if any(f.value for f in r)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode), mode)  # most records agreeing, then most fields
        if score > best_score:
            best, best_score = delim, score
    return best


class DelimitedAdapter:
    name = "csv"

    def extract(self, path: Path) -> Document:
        path = Path(path)
        data = path.read_bytes()
        text, encoding = decode(data, str(path))
        delim = sniff_delimiter(text, "\t" if path.suffix.lower() == ".tsv" else ",")
        records = split(text, delim)
        grid = [[f.value for f in r] for r in records[:tabular.SCAN_ROWS]]
        header_at = tabular.header_row(grid)
        headers = {c: " ".join(v.split()) for c, v in enumerate(grid[header_at])} if header_at is not None else {}
        segments: list[Segment] = []
        fields: list[Field] = []
        notices: list[Finding] = []
        for r, record in enumerate(records):
            for c, f in enumerate(record):
                if not f.value.strip():
                    continue
                header = headers.get(c) or None if header_at is not None and r > header_at else None
                segments.append(Segment(text=f.value, origin=TABLE, location={"row": r, "col": c}, column_header=header))
                fields.append(f)
                if _SCIENTIFIC.match(f.value):
                    notices.append(Finding(
                        kind="number_precision", start=0, end=len(f.value), text=f.value, score=1.0,
                        rule="csv.number_precision", segment=len(segments) - 1,
                        explanation="a long number saved in scientific notation (an ID or card number that was a "
                                    "number cell when the sheet was saved as CSV): the file keeps only its first digits"))
        return Document(path=str(path), format=self.name, segments=segments, notices=notices,
                        handle={"text": text, "encoding": encoding, "delimiter": delim, "fields": fields})

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        h = doc.handle
        text, delim, fields = h["text"], h["delimiter"], h["fields"]
        by_field: dict[int, list[Edit]] = {}
        for e in edits:
            if 0 <= e.segment < len(fields):
                by_field.setdefault(e.segment, []).append(e)
        out, pos = [], 0
        for i in sorted(by_field, key=lambda i: fields[i].start):
            f = fields[i]
            value = apply_edits(f.value, by_field[i])
            out.append(text[pos:f.start])
            out.append(quote(value, delim, f.quoted))
            pos = f.end
        out.append(text[pos:])
        Path(out_path).write_bytes("".join(out).encode(h["encoding"]))


def quote(value: str, delim: str, quoted: bool) -> str:
    if quoted or any(ch in value for ch in (delim, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


__all__ = ["DelimitedAdapter", "decode", "sniff_delimiter", "split"]
