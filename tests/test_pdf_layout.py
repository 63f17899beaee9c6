"""PDF page text keeps the page's structure: a line per text line, a blank line between
blocks, columns read one after the other, rotated text along its baseline, letter-spaced
digits as one number, a paragraph broken by a page break as one string."""
from __future__ import annotations

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pikepdf")

import pdf_fixtures as F  # noqa: E402

from redactor.formats.pdf import PdfAdapter  # noqa: E402
from redactor.formats.pdf.layout import flow_blocks  # noqa: E402
from redactor.pipeline import Redactor  # noqa: E402
from redactor.policy import Policy  # noqa: E402

if F.cjk_font_path() is None:
    pytest.skip("no CJK TrueType font (Debian: fonts-wqy-zenhei)", allow_module_level=True)

FAST = Policy(names=False)
PROSE = ("围绕园区建设，推进项目落地，优化营商环境，加强安全生产监管，确保全年目标任务圆满完成。"
         "各部门要高度重视，认真组织实施，确保各项措施落到实处。")


def body(path) -> list[str]:
    return [s.text for s in PdfAdapter().extract(path).segments if s.origin == "body"]


# --- units: characters -> blocks --------------------------------------------------------------
def _chars(lines: list[tuple[float, float, str]], size: float = 10.0, advance: float = 10.0) -> list[dict]:
    out = []
    for x, top, text in lines:
        for k, ch in enumerate(text):
            out.append({"text": ch, "x0": x + k * advance, "x1": x + k * advance + size * 0.9 if ch != " " else x + k * advance,
                        "top": top, "bottom": top + size})
    return out


def _text(chars: list[dict]) -> str:
    return "\n\n".join(b.text for b in flow_blocks(list(range(len(chars))), chars))


def test_short_lines_stay_lines_and_wrapped_lines_join():
    chars = _chars([(0, 0, "内部资料"), (0, 14, "甲" * 40), (0, 28, "乙" * 40), (0, 42, "丙" * 12),
                    (0, 80, "联系人：张三"), (0, 94, "电话：12345")])
    assert _text(chars) == "内部资料\n" + "甲" * 40 + "乙" * 40 + "丙" * 12 + "\n\n联系人：张三\n电话：12345"


def test_an_indented_line_starts_a_new_block():
    chars = _chars([(20, 0, "甲" * 38), (0, 14, "乙" * 20), (20, 28, "丙" * 38), (0, 42, "丁" * 5)])
    assert _text(chars) == "甲" * 38 + "乙" * 20 + "\n\n" + "丙" * 38 + "丁" * 5


def test_two_columns_are_read_one_after_the_other():
    left = [(0, 14 * k, "左" * 20) for k in range(6)]
    right = [(260, 14 * k, "右" * 20) for k in range(6)]
    title = [(60, -30, "两栏排版的公报标题")]
    text = _text(_chars(title + left + right))
    assert text == "两栏排版的公报标题\n\n" + "左" * 120 + "\n\n" + "右" * 120


def test_an_unruled_table_is_read_row_by_row():
    rows = [(0, 14 * k, "张三") for k in range(4)] + [(100, 14 * k, "110101199003071234") for k in range(4)]
    text = _text(_chars(rows))
    assert text.split("\n") == ["张三\t110101199003071234"] * 4


def test_letter_spaced_digits_are_one_number():
    chars = _chars([(0, 0, "电话")], advance=10) + [
        {"text": d, "x0": 20 + k * 11, "x1": 26 + k * 11, "top": 0, "bottom": 10} for k, d in enumerate("13912345678")]
    assert _text(chars) == "电话13912345678"


# --- documents --------------------------------------------------------------------------------
def test_a_mark_heading_the_page_is_on_its_own_line_and_blocks(tmp_path):
    """The head mark above a title in the same size, no gap: once read as one run with the
    title ('内部资料  注意保存楚雄高新区…'), the file was published."""
    b = F.PdfBuilder().new_page()
    b.text(72, 790, "内部资料  注意保存")
    b.paragraph(72, 774, "楚雄高新区2018年度工作要点：" + PROSE, 451)
    src = b.save(tmp_path / "mark.pdf")
    assert body(src)[0].startswith("内部资料  注意保存\n楚雄高新区2018年度工作要点")
    rep = Redactor(FAST).scan(src)
    assert rep.verdict == "block"
    marks = [f for f in rep.findings if f.kind == "internal_mark"]
    assert {f.preview for f in marks} == {"内部资料", "注意保存"}
    assert all(f.location["line"] == 1 for f in marks)


def test_rotated_text_is_read_along_its_baseline(tmp_path):
    """A margin note turned 90 degrees: each character is its own 'line' upright, one string turned."""
    idn = F._synth(201).id18()
    b = F.PdfBuilder().new_page()
    b.paragraph(72, 770, "关于发放补贴的公示。" + PROSE, 400)
    b.text(540, 200, "申请人身份证号码" + idn, size=10, angle=90)
    src = b.save(tmp_path / "rot.pdf")
    texts = body(src)
    assert any("申请人身份证号码" + idn in t.split("\n") for t in texts), texts
    out = tmp_path / "out.pdf"
    rep = Redactor(FAST).redact(src, out)
    assert rep.verdict == "redact" and "id_card" in {f.kind for f in rep.findings}
    assert idn not in "".join(body(out))


def test_letter_spaced_id_is_found(tmp_path):
    idn = F._synth(202).id18()
    b = F.PdfBuilder().new_page()
    x = 72 + b.text(72, 700, "身份证号码：")
    b.text(x, 700, idn, tc=5.5)   # character spacing of half an em
    src = b.save(tmp_path / "tc.pdf")
    assert "身份证号码：" + idn in body(src)[0].split("\n")
    rep = Redactor(FAST).redact(src, tmp_path / "out.pdf")
    assert "id_card" in {f.kind for f in rep.findings} and rep.output


def test_a_value_split_by_a_page_break_is_one_string(tmp_path):
    s = F._synth(203)
    idn, mobile = s.id18(), s.mobile()
    b = F.PdfBuilder()
    b.new_page()
    y = b.paragraph(72, 780, PROSE * 3, 451)
    lead = "经审核，申请人公民身份号码"
    # the paragraph's last line on page 1 ends with the first 10 digits, at the right margin
    width = b.width(PROSE[:40], 11)
    line = lead + idn[:10]
    b.text(72 + width - b.width(line, 11), y, line)
    b.text(290, 40, "— 1 —", size=9)               # page number
    b.new_page()
    b.text(280, 810, "县民政局", size=9)            # running head
    b.paragraph(72, 770, idn[10:] + "，联系电话" + mobile + "，符合救助条件。" + PROSE, 451)
    src = b.save(tmp_path / "break.pdf")
    doc = PdfAdapter().extract(src)
    joined = [s for s in doc.segments if s.origin == "body" and idn in s.text]
    assert len(joined) == 1 and joined[0].location == {"page": 1, "to_page": 2}
    out = tmp_path / "out.pdf"
    rep = Redactor(FAST).redact(src, out)
    assert {"id_card", "mobile"} <= {f.kind for f in rep.findings}
    assert idn[10:] not in "".join(body(out)) and idn[:10] not in "".join(body(out))


def test_a_short_last_line_does_not_join_the_next_page(tmp_path):
    b = F.PdfBuilder()
    b.new_page()
    b.paragraph(72, 780, PROSE * 2, 451)
    b.text(72, 600, "特此通知。")
    b.new_page()
    b.paragraph(72, 780, "附件：" + PROSE, 451)
    src = b.save(tmp_path / "two.pdf")
    texts = body(src)
    assert len(texts) == 2 and texts[0].endswith("特此通知。") and texts[1].startswith("附件：")
