"""The independent residue search (redactor.residue) and the safe ZIP reader (formats.safezip)."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from redactor.errors import UnreadableFileError
from redactor.formats.safezip import SafeZip, ZipLimits
from redactor.residue import compact, find_residue, normalise

PHONE = "13912345678"
NAME = "欧阳明华"


def _zip(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    out = b"\x89PNG\r\n\x1a\n"
    for ctype, body in chunks:
        out += struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))
    return out


@pytest.mark.parametrize(
    "text",
    [
        f"电话：{PHONE}",
        "电话：139 1234 5678",
        "电话：139-1234-5678",
        "电话：１３９１２３４５６７８",              # full-width
        "电话：1\u200b39\u200d12345678",            # zero-width characters inside
        "电话：𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",                 # mathematical digits
    ],
)
def test_identifier_found_in_any_written_form(text):
    assert [h.value_index for h in find_residue(text.encode("utf-8"), [PHONE])] == [0]


@pytest.mark.parametrize(
    "data",
    [
        f"申请人{NAME}".encode("gb18030"),
        f"申请人{NAME}".encode("utf-16"),
        f"Name: {NAME}".encode("utf-16-le"),
        f"申请人欧阳 明华".encode("utf-8"),
    ],
)
def test_name_found_in_any_encoding(data):
    assert find_residue(data, [NAME])


def test_absent_values_are_not_reported():
    assert find_residue(f"申请人欧阳某某，电话139****5678".encode(), [PHONE, NAME]) == []


def test_docx_like_package_every_member_and_attribute():
    data = _zip({
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": '<w:document xmlns:w="w"><w:t>no value here</w:t></w:document>',
        "customXml/item1.xml": f'<root attr="{PHONE}"/>',
        "word/glossary/document.xml": f"<w:r xmlns:w='w'><w:t>{NAME[:2]}</w:t><w:t>{NAME[2:]}</w:t></w:r>",
    })
    hits = find_residue(data, [PHONE, NAME])
    where = {h.value_index: h.where for h in hits}
    assert "customXml/item1.xml" in where[0]
    assert "glossary" in where[1]


def test_character_references_are_resolved():
    data = _zip({"word/document.xml": "<t>&#49;&#51;&#57;12345678</t>"})
    assert find_residue(data, [PHONE])


def test_nested_package_and_binary_utf16():
    inner = _zip({"xl/sharedStrings.xml": f"<sst><si><t>{PHONE}</t></si></sst>"})
    ole = b"\xd0\xcf\x11\xe0" + b"\x00" * 64 + NAME.encode("utf-16-le") + b"\x00" * 64
    data = _zip({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": inner, "word/embeddings/oleObject1.bin": ole})
    found = {h.value_index for h in find_residue(data, [PHONE, NAME])}
    assert found == {0, 1}


def test_png_text_chunks():
    png = _png([
        (b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)),
        (b"zTXt", b"Comment\x00\x00" + zlib.compress(PHONE.encode())),
        (b"iTXt", b"Author\x00\x00\x00\x00\x00" + NAME.encode()),
        (b"IEND", b""),
    ])
    assert {h.value_index for h in find_residue(png, [PHONE, NAME])} == {0, 1}


def test_pdf_strings_and_streams_of_every_revision():
    stream = zlib.compress(b"BT (" + PHONE.encode() + b") Tj ET")
    hexname = NAME.encode("utf-16-be").hex()
    pdf = (
        b"%PDF-1.7\n1 0 obj << /Title <FEFF" + hexname.encode() + b"> >> endobj\n"
        b"2 0 obj << /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    assert {h.value_index for h in find_residue(pdf, [PHONE, NAME])} == {0, 1}


def test_random_binary_does_not_match_short_names():
    import random

    rng = random.Random(7)
    noise = bytes(rng.getrandbits(8) for _ in range(400_000))
    names = [a + b for a in "张王李赵刘陈杨黄" for b in "三四五六伟芳娜敏"]
    data = _zip({"word/media/image1.jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + noise})
    assert find_residue(data, names) == []


def test_normal_forms():
    assert normalise("１３９ １２３") == "139123"
    assert compact("+86 139-1234-5678") == "8613912345678"


# --- safe ZIP ---------------------------------------------------------------------------------


def test_safezip_refuses_a_bomb_by_ratio_before_inflating():
    data = _zip({"word/document.xml": b"\x00" * (8 << 20)})
    with pytest.raises(UnreadableFileError, match="zip bomb"):
        SafeZip(data, "bomb.docx", "DOCX")


def test_safezip_refuses_too_many_members():
    data = _zip({f"p{i}.xml": b"<a/>" for i in range(20)})
    with pytest.raises(UnreadableFileError, match="members"):
        SafeZip(data, "x.docx", "DOCX", ZipLimits(max_members=10))


def test_safezip_bad_crc_is_a_file_error_without_content():
    data = bytearray(_zip({"word/document.xml": ("<t>" + PHONE + "</t>") * 50}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    # corrupt the CRC in the local header and the central directory
    crc = struct.pack("<I", info.CRC)
    data = bytes(data).replace(crc, struct.pack("<I", info.CRC ^ 0xFFFF))
    z = SafeZip(data, "bad.docx", "DOCX")
    with pytest.raises(UnreadableFileError) as e:
        z.read("word/document.xml")
    assert "corrupt" in str(e.value) and PHONE not in str(e.value) and "bad.docx" in str(e.value)


def test_safezip_not_a_zip():
    with pytest.raises(UnreadableFileError, match="not a valid DOCX"):
        SafeZip(b"hello world", "x.docx", "DOCX")
