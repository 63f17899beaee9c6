"""A corpus of bad uploads built by code: what an attacker or a broken scanner sends.

Each case is (name, bytes). Small on the wire (the largest is a few MB), large or hostile once
opened: random bytes under every suffix, truncated and mislabelled files, an empty file, a zip
bomb by ratio, a paragraph bomb, an XML entity bomb, an XXE, a bad CRC-32, a text of many MB,
UTF-16/32 with a BOM, a file name of 100 CJK characters, and a parser error that would quote a
value of the document.
"""
from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document_xml: bytes | str, *, level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def zip_bomb() -> bytes:
    """word/document.xml inflates to 400 MB (ratio ~1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f"<w:document {W}><w:body><w:p><w:r><w:t>".encode())
            block = b"a" * (1 << 20)
            for _ in range(400):
                f.write(block)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def paragraph_bomb(n: int = 3_000_000) -> bytes:
    return _docx(f"<w:document {W}><w:body>" + "<w:p/>" * n + "</w:body></w:document>")


def memory_hog(paragraphs: int = 400_000) -> bytes:
    """A DOCX under every declared limit (stored, not compressed; under the element budget)
    whose reading still takes a few hundred MB: for memory caps, not for refusals."""
    body = "<w:p><w:r><w:t>甲乙丙丁</w:t></w:r></w:p>" * paragraphs
    return _docx(f"<w:document {W}><w:body>{body}</w:body></w:document>", level=0)


def xml_bomb() -> bytes:
    ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 8))
    return _docx(f'<?xml version="1.0"?><!DOCTYPE d [{ents}]><w:document {W}><w:body><w:p><w:r><w:t>&a7;'
                 "</w:t></w:r></w:p></w:body></w:document>")


def xxe() -> bytes:
    return _docx(f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                 f"<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>")


def bad_crc() -> bytes:
    data = bytearray(_docx(f"<w:document {W}><w:body><w:p><w:r><w:t>联系电话13812345678</w:t></w:r></w:p>"
                           "</w:body></w:document>", level=0))
    at = data.find("联系电话".encode())  # stored, not deflated: flip a byte of the content
    data[at] ^= 0x01
    return bytes(data)


def value_in_parser_error() -> bytes:
    # tag mismatch right after a phone number: a parser's message would quote it
    return _docx(f"<w:document {W}><w:body><w:p><w:r><w:t>tel13558704405</w:x></w:r></w:p></w:body></w:document>")


def _big_text(mb: int) -> bytes:
    line = "第1次会议纪要：会议研究了有关事项，联系电话13812345678。\n".encode()
    return line * (mb * (1 << 20) // len(line))


def corpus(big_text_mb: int = 8) -> list[tuple[str, bytes]]:
    rng = random.Random(10)
    cases: list[tuple[str, bytes]] = []
    for suffix in (".txt", ".md", ".docx", ".pdf"):
        for n in (1, 4096, 200_000):
            cases.append((f"random{n}{suffix}", rng.randbytes(n)))
    cases.append(("magic.pdf", b"%PDF-1.7\n" + rng.randbytes(5000)))
    cases.append(("magic.docx", b"PK\x03\x04" + rng.randbytes(5000)))
    for sample in sorted(SAMPLES.glob("*")) if SAMPLES.is_dir() else []:
        if sample.suffix in (".docx", ".pdf"):
            data = sample.read_bytes()
            cases.append(("truncated-" + sample.name, data[: len(data) // 2]))
            cases.append(("mislabelled-" + sample.stem + (".pdf" if sample.suffix == ".docx" else ".docx"), data))
    cases += [
        ("empty.txt", b""),
        ("zip-bomb.docx", zip_bomb()),
        ("paragraph-bomb.docx", paragraph_bomb()),
        ("xml-bomb.docx", xml_bomb()),
        ("xxe.docx", xxe()),
        ("bad-crc.docx", bad_crc()),
        ("parser-error.docx", value_in_parser_error()),
        ("big.txt", _big_text(big_text_mb)),
        ("utf16.txt", "\ufeff联系电话：13812345678\n".encode("utf-16-le")),
        ("utf32.txt", "联系电话：13812345678\n".encode("utf-32")),
        ("通" * 100 + ".txt", "联系电话：13812345678\n".encode()),
        ("nul.txt", b"\x00" * 10_000),
    ]
    return cases
