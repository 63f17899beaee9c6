"""The normalised text view: what detectors read, and the map back to the original text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redactor
from redactor.document import Document, Segment
from redactor.pipeline import Redactor
from redactor.policy import Policy
from redactor.synth import Synth
from redactor.textview import DocumentView, fold, to_simplified, view_of, without_format

STRUCTURED = Policy(names=False)

VIEWS = [
    # (original, view)
    ("手机138\u200b1234\u00ad5678号", "手机13812345678号"),            # zero-width space, soft hyphen
    ("电话\u202e13812345678\u202c", "电话13812345678"),                 # bidi override and pop
    ("编号\ufeff12\u206034", "编号1234"),                                # BOM, word joiner
    ("ＡＢＣ１２３，：（）", "ABC123，：（）"),                          # letters/digits fold, punctuation keeps
    ("𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "13912345678"),                                    # mathematical digits
    ("⼀⼆", "一二"),                                                     # Kangxi radicals
    ("①②③ 面积120m²", "①②③ 面积120m²"),                                 # list markers and units stay
    ("陳大文住在臺北市，後來搬到香港。", "陈大文住在台北市，后来搬到香港。"),
    ("电话一三九一二三四五六七八", "电话13912345678"),                     # numerals read as digits
    ("一九八八年三月", "一九八八年三月"),                                  # a short run stays
    ("身份证：530102196803\n15242X，", "身份证：53010219680315242X，"),    # ID wrapped to the next line
    ("手机：1391234\n5678", "手机：13912345678"),
    ("2019年\n2020年", "2019年\n2020年"),                                 # not a number split in two
    ("固定电话：0878-6426217\n2023年3月", "固定电话：0878-6426217\n2023年3月"),  # a number, then a date
    ("收入1234567\n8901元", "收入1234567\n8901元"),                       # an amount
    ("编号123456\n78901", "编号123456\n78901"),                           # 11 digits, not a mobile's
    ("123456\n7890123456", "123456\n7890123456"),                          # 16 digits, no label: a table
    ("卡号：6212345678\n901232", "卡号：6212345678901232"),                 # a card after its label
    ("申请人：唐 德 明，男", "申请人：唐德明，男"),                         # letter-spaced name
    ("内 部 资 料", "内部资料"),
    ("主\u3000任：杞\u3000明\u3000国务院副总理", "主任：杞明\u3000国务院副总理"),
    ("张三 李四 王五", "张三 李四 王五"),                                 # a list keeps its spaces
    ("plain ascii 13812345678", "plain ascii 13812345678"),
]


@pytest.mark.parametrize("original,view", VIEWS)
def test_view_text(original, view):
    assert view_of(original).text == view


@pytest.mark.parametrize("text", ["申请人张三，联系电话略。", "plain", "", "①②"])
def test_plain_text_is_its_own_view(text):
    v = view_of(text)
    assert v.is_identity and v.span(0, len(text)) == (0, len(text))


def test_span_covers_format_characters_inside_but_not_at_the_edges():
    text = "\u200b138\u200b1234\u200b5678\u200b"
    v = view_of(text)
    assert v.text == "13812345678"
    assert v.span(0, 11) == (1, len(text) - 1)
    assert v.span(3, 7) == (5, 9)  # "1234": the format characters on either side stay outside


def test_span_of_an_expanded_character_is_the_whole_character():
    v = view_of("号ﬁ号")  # one ligature, two letters in the view
    assert v.text == "号fi号"
    assert v.span(1, 2) == (1, 2) and v.span(2, 3) == (1, 2) and v.span(1, 3) == (1, 2)


def test_traditional_offsets_point_into_the_original():
    text = "當事人陳大文，男，1975年3月出生，住址：臺北市。聯繫電話：13912345678。"
    found = redactor.scan_text(text)
    person = [f for f in found if f.kind == "person"]
    assert [f.text for f in person] == ["陳大文"]
    for f in found:
        assert text[f.start:f.end] == f.text
    mobile = next(f for f in found if f.kind == "mobile")
    assert mobile.text == "13912345678"


def test_traditional_surname_keeps_its_script_when_masked():
    out = redactor.redact_text("當事人陳大文，男，1975年3月出生。")
    assert "陳某某" in out and "大文" not in out
    out = redactor.redact_text("申请人：歐陽明華，男，1975年3月出生")
    assert "歐陽某某" in out


def test_to_simplified_keeps_lengths():
    text = "乾隆年間，著名的於先生在後院採藥。"
    out = to_simplified(text)
    assert len(out) == len(text) and "后院" in out and "采药" in out


@pytest.mark.parametrize("fmt", ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u202e", "\ufeff", "\u202a"])
def test_format_characters_inside_identifiers(fmt):
    syn = Synth.seeded(7)
    for value, kind in ((syn.id18(), "id_card"), (syn.mobile(), "mobile"), (syn.bank_card(), "bank_card")):
        hidden = fmt.join(value[i:i + 3] for i in range(0, len(value), 3))
        text = f"联系人信息：{hidden}。"
        found = [f for f in redactor.scan_text(text, STRUCTURED) if f.kind == kind]
        assert [(f.start, f.end) for f in found] == [(6, 6 + len(hidden))], (kind, text)
        out = redactor.redact_text(text, STRUCTURED)
        assert fmt not in out and value not in fold(without_format(out))


def test_chinese_numeral_phone_is_masked_in_its_own_script():
    out = redactor.redact_text("联系电话：一三九一二三四五六七八。", STRUCTURED)
    assert out == "联系电话：一三九****五六七八。"


def test_wrapped_id_is_found_and_masked_over_both_lines():
    syn = Synth.seeded(7)
    value = syn.id18()
    text = f"身份证号码：{value[:12]}\n{value[12:]}\n"
    (f,) = [f for f in redactor.scan_text(text, STRUCTURED) if f.kind == "id_card"]
    assert f.text == f"{value[:12]}\n{value[12:]}"
    out = redactor.redact_text(text, STRUCTURED)
    assert value[6:14] not in out.replace("\n", "")


def test_document_view_maps_findings_per_segment():
    doc = Document("x", "text", [Segment("甲"), Segment("手机138\u200b12345678")], notices=[])
    views = DocumentView.of(doc)
    assert views.document.segments[1].text == "手机13812345678"
    assert views.document.segments[0].text == "甲"
    found = Redactor(STRUCTURED).scan_document(doc)
    assert [(f.segment, f.start, f.end, f.text) for f in found] == [(1, 2, 14, "138\u200b12345678")]


def test_column_header_is_normalised_too():
    doc = Document("x", "text", [Segment("𝟏𝟐", column_header="身份證號碼")])
    assert DocumentView.of(doc).document.segments[0].column_header == "身份证号码"


def test_redacted_copy_of_hidden_values_passes_verification(tmp_path):
    syn = Synth.seeded(7)
    src = tmp_path / "in.txt"
    src.write_text(f"申请人：陳大文，男，1975年3月出生\n手机：{syn.mobile()[:3]}\u200b{syn.mobile()[3:]}\n", encoding="utf-8")
    rep = Redactor().redact(src, tmp_path / "out.txt")
    assert rep.verdict == "redact", rep.error
    assert (tmp_path / "out.txt").exists()


# --- properties of the map -------------------------------------------------------------------
PIECES = st.sampled_from(
    ["甲", "乙", "陳", "後", "1", "2", "5", "X", "\u200b", "\u00ad", "\u202e", "５", "𝟏", " ", "\u3000", "\n",
     "一", "三", "九", "，", "：", "a", "ﬁ", "①"]
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(PIECES, max_size=40))
def test_map_is_monotonic_and_inside_the_original(pieces):
    text = "".join(pieces)
    v = view_of(text)
    n = len(v.text)
    starts = [v.span(i, i + 1)[0] for i in range(n)]
    assert starts == sorted(starts)
    for i in range(n):
        s, e = v.span(i, i + 1)
        assert 0 <= s < e <= len(text)
    if n:  # what lies outside the whole view's span can only be format characters
        s, e = v.span(0, n)
        assert without_format(text[:s]) == "" and without_format(text[e:]) == ""
