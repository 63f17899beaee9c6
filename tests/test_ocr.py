"""OCR helper: Tesseract lookup, TSV parsing, and undoing the spaces chi_sim inserts."""
from __future__ import annotations

import stat

import pytest

from redactor.formats import ocr


def _tsv(rows: list[tuple[int, int, int, float, float, float, float, float, str]]) -> str:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    lines = [head, "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for i, (b, p, l, x, y, w, h, conf, text) in enumerate(rows):
        lines.append(f"5\t1\t{b}\t{p}\t{l}\t{i + 1}\t{x}\t{y}\t{w}\t{h}\t{conf}\t{text}")
    return "\n".join(lines) + "\n"


def test_parse_tsv_keeps_words_only():
    words = ocr.parse_tsv(_tsv([(1, 1, 1, 10, 20, 30, 40, 96.5, "申"), (1, 1, 1, 45, 20, 30, 40, 95.0, "请")])
                          + "5\t1\t1\t1\t1\t3\t80\t20\t5\t40\t-1\t \n")
    assert [w.text for w in words] == ["申", "请"]
    assert words[0].box == (10.0, 20.0, 40.0, 60.0) and words[0].line == (1, 1, 1) and words[0].conf == 96.5


@pytest.mark.parametrize("pieces,expected", [
    (["申", "请", "人"], "申请人"),
    (["身份证号", "110101", "19900307", "1234"], "身份证号110101199003071234"),  # split digit runs rejoin
    (["联系电话", "139", "1234", "5678"], "联系电话13912345678"),
    (["Zhang", "San", "电话"], "Zhang San电话"),                              # Latin words keep their space
    (["E12345678", "护照"], "E12345678护照"),
])
def test_words_to_lines_undoes_tesseract_spacing(pieces, expected):
    rows = []
    x = 0.0
    for p in pieces:
        rows.append((1, 1, 1, x, 0, 10 * len(p), 20, 90, p))
        x += 10 * len(p) + 8
    lines = ocr.words_to_lines(ocr.parse_tsv(_tsv(rows)))
    assert [l.text for l in lines] == [expected]
    assert len(lines[0].boxes) == len(expected)


def test_words_to_lines_splits_lines_and_boxes_each_character():
    rows = [(1, 1, 1, 0, 0, 40, 20, 90, "1234"), (1, 1, 2, 0, 30, 20, 20, 90, "张三")]
    lines = ocr.words_to_lines(ocr.parse_tsv(_tsv(rows)))
    assert [l.text for l in lines] == ["1234", "张三"]
    assert lines[0].boxes[1] == (10.0, 0.0, 20.0, 20.0)  # a word's box is shared out by character
    assert lines[1].boxes[0][1] == 30.0


def test_switching_ocr_off_and_missing_binary(monkeypatch, tmp_path):
    monkeypatch.setenv("REDACTOR_OCR", "0")
    assert ocr.tesseract_path() is None
    assert "switched off" in ocr.available()
    with pytest.raises(ocr.OcrUnavailable):
        ocr.ocr_png(b"")
    monkeypatch.delenv("REDACTOR_OCR")
    monkeypatch.setenv("REDACTOR_TESSERACT", str(tmp_path / "missing"))
    assert ocr.tesseract_path() is None
    assert ocr.available() is not None


def test_tesseract_without_chinese_model(monkeypatch, tmp_path):
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'List of available languages in \"/x\" (1):'\necho eng\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("REDACTOR_TESSERACT", str(fake))
    ocr._languages.cache_clear()
    assert "chi_sim" in ocr.available()


def test_failing_tesseract_is_unavailable_not_a_crash(monkeypatch, tmp_path):
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo header; echo chi_sim; exit 0; fi\n"
                    "echo 'Error: image is broken' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("REDACTOR_TESSERACT", str(fake))
    ocr._languages.cache_clear()
    with pytest.raises(ocr.OcrUnavailable, match="image is broken"):
        ocr.ocr_png(b"not a png")


@pytest.mark.skipif(ocr.available() is not None, reason="Tesseract with chi_sim is not installed")
def test_real_tesseract_reads_generated_chinese_and_an_id():
    pdf_fixtures = pytest.importorskip("pdf_fixtures")
    if pdf_fixtures.cjk_font_path() is None:
        pytest.skip("no CJK font")
    from redactor.synth import Synth

    idn = Synth.seeded(21).id18()
    png = pdf_fixtures.text_image(["申请人身份证号码", idn])
    lines = ocr.words_to_lines(ocr.ocr_png(png))
    text = [l.text for l in lines]
    assert "申请人身份证号码" in text
    assert idn in text


def test_lines_of_a_paragraph_join_like_wrapped_text():
    rows = [(1, 1, 1, 0, 0, 80, 20, 90, "身份证号1101"), (1, 1, 2, 0, 30, 140, 20, 90, "01199003071234"),
            (1, 2, 1, 0, 70, 40, 20, 90, "Hello"), (1, 2, 2, 0, 100, 40, 20, 90, "world"),
            (2, 1, 1, 0, 200, 40, 20, 90, "另一段")]
    paras = ocr.lines_to_paragraphs(ocr.words_to_lines(ocr.parse_tsv(_tsv(rows))))
    assert [p.text for p in paras] == ["身份证号110101199003071234", "Hello world", "另一段"]
    assert all(len(p.boxes) == len(p.text) for p in paras)
    assert paras[0].boxes[8] == (0.0, 30.0, 10.0, 50.0)  # the first character of the second line


# --- words as characters, ruled cells in a picture, boxes that cover whole glyphs -----------------
def _grid_png(xs, ys, size=(1200, 800)) -> bytes:
    import io

    from PIL import Image, ImageDraw

    img = Image.new("L", size, 255)
    d = ImageDraw.Draw(img)
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_words_to_chars_keeps_the_engine_reading_order():
    rows = [(1, 1, 1, 100, 0, 60, 40, 90, "申请"), (1, 1, 1, 150, 0, 40, 40, 90, "人")]  # boxes overlap
    chars = ocr.words_to_chars(ocr.parse_tsv(_tsv(rows)))
    assert [c["text"] for c in chars] == ["申", "请", "人"]
    assert [c["x0"] for c in chars] == sorted(c["x0"] for c in chars)
    assert chars[0]["x1"] == 130.0 and chars[2]["x0"] >= chars[1]["x1"]


def test_table_cells_are_found_between_rules():
    png = _grid_png([100, 400, 900], [100, 250, 450])
    cells = ocr.table_cells(png)
    assert len(cells) == 4
    assert all(abs(a - b) <= 4 for a, b in zip(cells[0], (100, 100, 400, 250)))
    assert ocr.table_cells(_grid_png([100, 160], [100, 130])) == []  # shorter than a rule: text strokes


def test_cover_glyphs_grows_a_box_to_the_whole_glyph():
    import numpy as np

    gray = np.full((100, 300), 255, dtype=np.uint8)
    gray[20:60, 40:90] = 0      # one glyph, 50 px wide
    gray[20:60, 100:150] = 0    # the next glyph, after a white gap
    (x0, t, x1, b), = ocr.cover_glyphs(gray, [(55, 25, 70, 55)])
    assert x0 <= 40 and x1 >= 89 and t <= 20 and b >= 59
    assert x1 < 100             # the neighbour is not painted


def test_an_id_over_two_lines_of_a_scanned_cell_is_one_string(monkeypatch, tmp_path):
    """The engine reads the two lines of a narrow cell as two lines: the cell joins them."""
    from redactor.formats.pdf.model import Page
    from redactor.formats.pdf.ocr_pages import OcrSession

    png = _grid_png([100, 400, 900], [100, 250, 450])
    words = [(1, 1, 1, 120, 150, 80, 40, 90, "姓名"), (1, 1, 1, 420, 150, 180, 40, 90, "身份证号码"),
             (2, 1, 1, 120, 330, 80, 40, 90, "张三"),
             (2, 1, 1, 420, 290, 300, 40, 90, "530102196803"), (2, 1, 2, 420, 360, 150, 40, 90, "15242X")]
    session = OcrSession(tmp_path / "x.pdf")
    monkeypatch.setattr(session, "render", lambda i: png)
    monkeypatch.setattr(ocr, "ocr_png", lambda data: ocr.parse_tsv(_tsv(words)))
    items = session.read(0, Page(number=1))
    cells = {it.segment.text: it for it in items if "cell" in it.segment.location}
    assert "53010219680315242X" in cells
    cell = cells["53010219680315242X"]
    assert cell.segment.column_header == "身份证号码"
    assert len(cell.boxes) == len(cell.segment.text) and cell.boxes[12][1] == 360.0
