"""Confidentiality pre-check (issue 5): marks by position and form, the disclosure attribute,
sensitive-term lists, and the publish / redact / block verdict end to end.

Corpora:
  corpora/policy_reports/clean/   hand-written policy reports, work reports, a 政府信息公开工作年度报告,
                                  notices and FAQs that TALK about 保密审查, 涉密事项, 公开属性 and
                                  quote marks: nothing in them may fire.
  corpora/policy_reports/marked/  documents that carry marks (GB/T 9704 heads with 份号, 密级★期限,
                                  紧急程度; internal marks; attribute lines): expected verdicts below.
Reference data (read at test time if present, never copied): the NER corpora in
/work/shared/data/ner (real news, résumé, Weibo and judgment sentences) and the two lists in
/work/shared/data/sensitive_words.

Counts over the reference data: ``python tests/test_confidential.py``.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from redactor.cli import main
from redactor.detect.base import DetectContext
from redactor.detect.confidential import (
    ConfidentialDetector,
    SensitiveTermDetector,
    build,
    load_term_list,
    load_vocabulary,
)
from redactor.document import FOOTER, HEADER, TABLE, Document, Segment
from redactor.errors import ConfigError
from redactor.findings import Finding
from redactor.pipeline import Redactor
from redactor.policy import BLOCK, PUBLISH, REDACT, Policy
from redactor.synth import Synth

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "policy_reports"
SHARED = Path(os.environ.get("REDACTOR_SHARED_DATA", "/work/shared/data"))
MARK_KINDS = ("classified_mark", "internal_mark")

DET = ConfidentialDetector()
POLICY = Policy(names=False)


def findings_in(text: str | list[Segment], det: ConfidentialDetector = DET) -> list[Finding]:
    """Run the detector the way the pipeline does: one call per segment, with the document."""
    segments = [Segment(text)] if isinstance(text, str) else text
    doc = Document("<test>", "text", segments)
    out: list[Finding] = []
    for i, seg in enumerate(segments):
        out.extend(det.detect(seg.text, DetectContext(i, seg, doc, POLICY)))
    return out


def blocking(findings: list[Finding], policy: Policy = POLICY) -> list[Finding]:
    """Classified/internal marks and disclosure attributes whose value blocks the file."""
    return [f for f in findings if f.kind in MARK_KINDS
            or (f.kind == "disclosure_attribute" and policy.verdict_for(f) == BLOCK)]


def only(findings: list[Finding], kind: str) -> Finding:
    hits = [f for f in findings if f.kind == kind]
    assert len(hits) == 1, [(f.kind, f.text) for f in findings]
    return hits[0]


# --- classification marks -------------------------------------------------------------------------
CLASSIFIED = [
    # (document text, marked text, level, period, rule)
    ("000001\n机密★5年\n特急\n\n青溪县人民政府文件\n\n关于开展核查工作的通知\n正文。", "机密★5年", "机密", "5年", "classified.mark_line"),
    ("秘密★长期\n关于调整方案的通知\n正文。", "秘密★长期", "秘密", "长期", "classified.mark_line"),
    ("000001\n绝密★2030年12月31日\n特急\n关于工程情况的报告", "绝密★2030年12月31日", "绝密", "2030年12月31日", "classified.mark_line"),
    ("秘密★解密条件\n关于项目的请示", "秘密★解密条件", "秘密", "解密条件", "classified.mark_line"),
    ("秘密★解密条件：项目验收后\n关于项目的请示", "秘密★解密条件：项目验收后", "秘密", "解密条件:项目验收后", "classified.mark_line"),
    ("秘密★6个月\n通知", "秘密★6个月", "秘密", "6个月", "classified.mark_line"),
    ("机密★十年\n通知", "机密★十年", "机密", "十年", "classified.mark_line"),
    ("绝密★启用前\n2024年某考试试卷", "绝密★启用前", "绝密", "启用前", "classified.mark_line"),
    ("机密☆3年\n通知", "机密☆3年", "机密", "3年", "classified.mark_line"),
    ("★机密\n通知", "★机密", "机密", "", "classified.mark_line"),
    ("机密★５年\n全角数字", "机密★５年", "机密", "5年", "classified.mark_line"),
    ("000001　机密★1年　特急\n青溪县人民政府文件", "机密★1年", "机密", "1年", "classified.mark_line"),
    ("份号：000123\n秘密\n加急\n通知", "秘密", "秘密", "", "classified.mark_line"),
    ("000027\n机　密\n特　急\n通知", "机　密", "机密", "", "classified.mark_line"),
    ("密级：机密★5年\n文件标题：关于某事项的请示", "密级：机密★5年", "机密", "5年", "classified.mark_line"),
    ("国家秘密\n通知", "国家秘密", "国家秘密", "", "classified.marking_line"),
    ("涉密\n会议材料", "涉密", "涉密", "", "classified.marking_line"),
    # ★ form inside a line (a title, or a PDF line where the head was joined).
    ("关于某工程的报告（机密★5年）\n正文。", "机密★5年", "机密", "5年", "classified.star_inline"),
    # A PDF line where the head elements were joined with the issuing office.
    ("000001 秘密 特急 青溪县人民政府文件\n关于某事项的通知", "秘密", "秘密", "", "classified.head_prefix"),
    ("000001 机密★1年 特急 青溪县人民政府文件\n关于某事项的通知", "机密★1年", "机密", "1年", "classified.head_prefix"),
]


@pytest.mark.parametrize("text,marked,level,period,rule", CLASSIFIED)
def test_classified_mark_forms(text, marked, level, period, rule):
    f = only(findings_in(text), "classified_mark")
    assert f.text == marked
    assert text[f.start:f.end] == marked
    assert f.attrs["level"] == level
    assert f.attrs["period"] == period
    assert f.rule == rule
    assert f.score >= POLICY.threshold
    assert POLICY.verdict_for(f) == BLOCK


def test_explanation_names_position_and_form():
    text = "000001\n机密★5年\n特急\n青溪县人民政府文件"
    f = only(findings_in(text), "classified_mark")
    assert "document head" in f.explanation and "line 2 of the head" in f.explanation
    assert "★ form" in f.explanation and "period 5年" in f.explanation
    assert "份号 pattern 000001" in f.explanation
    f = only(findings_in("000001 机密★1年 特急\n标题"), "classified_mark")
    assert "份号 000001 on the same line" in f.explanation and "urgency 特急" in f.explanation


def test_bare_level_below_head_fires_weaker_than_in_head():
    head = only(findings_in("秘密\n标题\n正文。"), "classified_mark")
    body = "\n".join(["标题", "一、总体情况", "正文第一段。", "正文第二段。", "正文第三段。", "正文第四段。", "秘密", "正文第五段。"])
    low = only(findings_in(body), "classified_mark")
    assert head.score > low.score >= POLICY.threshold
    assert "below the document head" in low.explanation


def test_urgency_or_copy_number_alone_is_not_a_mark():
    assert findings_in("000001\n特急\n青溪县人民政府文件\n通知") == []
    assert findings_in("加急\n关于防汛工作的通知") == []


def test_marks_opening_a_head_line_need_corroboration():
    # Without 份号, urgency or ★, a head line that starts with a level word is prose.
    assert findings_in("秘密 花园的故事\n正文。") == []
    assert findings_in("秘密发展党的组织\n正文。") == []
    fs = findings_in("内部资料 注意保存 政务信息 第15期\n正文。")  # two marks back each other
    assert [x.text for x in fs] == ["内部资料", "注意保存"]
    fs = findings_in("内部资料 加急 政务信息第15期\n正文。")
    assert [(x.kind, x.text, x.rule) for x in fs] == [("internal_mark", "内部资料", "internal.head_prefix")]
    assert "at the start of a head line" in fs[0].explanation and "加急" in fs[0].explanation
    # Below the head the same line is not a mark.
    body = "\n".join(["标题", "一", "二", "三", "四", "五", "六", "000001 秘密 特急 青溪县人民政府文件"])
    assert findings_in(body) == []


# --- internal marks ---------------------------------------------------------------------------------
INTERNAL = [
    ("内部资料　注意保存\n政务信息\n第15期", ["内部资料", "注意保存"], "internal.mark_line"),
    ("内部文件\n关于某事项的通知", ["内部文件"], "internal.mark_line"),
    ("内部参考\n舆情摘报", ["内部参考"], "internal.mark_line"),
    ("仅供领导参阅\n舆情专报", ["仅供领导参阅"], "internal.mark_line"),
    ("【内部资料，不得外传】\n简报", ["内部资料", "不得外传"], "internal.mark_line"),
    ("不得翻印\n培训讲义", ["不得翻印"], "internal.mark_line"),
    ("密级：内部\n文件标题：某请示", ["密级：内部"], "internal.mark_line"),
    ("内 部 资 料\n简报", ["内 部 资 料"], "internal.mark_line"),
    ("青溪县营商环境工作情况通报（内部参阅）\n2024年第2期", ["（内部参阅）"], "internal.head_bracket"),
    ("报告正文。\n\n工作秘密　不得外传", ["工作秘密", "不得外传"], "internal.mark_line"),
]


@pytest.mark.parametrize("text,marks,rule", INTERNAL)
def test_internal_mark_forms(text, marks, rule):
    fs = [f for f in findings_in(text) if f.kind == "internal_mark"]
    assert [f.text for f in fs] == marks
    assert all(f.rule == rule and POLICY.verdict_for(f) == BLOCK for f in fs)
    assert all(f.score >= POLICY.threshold for f in fs)


def test_page_header_and_footer_marks_are_marks():
    # A DOCX header/footer is its own segment; the mark may sit next to the unit's name.
    segs = [Segment("关于某事项的通知"), Segment("正文。"),
            Segment("青溪县人民政府办公室　内部资料", origin=HEADER), Segment("第1页　不得外传", origin=FOOTER)]
    fs = findings_in(segs)
    assert [(f.text, f.segment, f.attrs["position"]) for f in fs] == [
        ("内部资料", 2, "header"), ("不得外传", 3, "footer")]
    assert "page header" in fs[0].explanation


# --- disclosure attribute ---------------------------------------------------------------------------
BODY_TEXT = "青溪县人民政府关于某事项的通知\n\n各乡镇人民政府：\n\n现将有关事项通知如下。\n\n青溪县人民政府\n2024年3月5日\n"
DISCLOSURE = [
    # (closing line, value, verdict, rule)
    ("（此件公开发布）", "公开发布", PUBLISH, "disclosure.bracketed_line"),
    ("（此件主动公开）", "主动公开", PUBLISH, "disclosure.bracketed_line"),
    ("（此件删减后公开）", "删减后公开", REDACT, "disclosure.bracketed_line"),
    ("（此件依申请公开）", "依申请公开", BLOCK, "disclosure.bracketed_line"),
    ("（此件不公开）", "不公开", BLOCK, "disclosure.bracketed_line"),
    ("(此件不予公开)", "不公开", BLOCK, "disclosure.bracketed_line"),
    ("（此件可依申请公开）", "依申请公开", BLOCK, "disclosure.bracketed_line"),
    ("【本件主动公开】", "主动公开", PUBLISH, "disclosure.bracketed_line"),
    ("此件公开发布。", "公开发布", PUBLISH, "disclosure.own_line"),
    ("（主动公开）", "主动公开", PUBLISH, "disclosure.bracketed_value"),
    ("公开属性：删减后公开", "删减后公开", REDACT, "disclosure.labelled"),
    ("公开方式：依申请公开", "依申请公开", BLOCK, "disclosure.labelled"),
    ("公开属性：☑主动公开　□依申请公开　□不予公开", "主动公开", PUBLISH, "disclosure.labelled"),
    ("公开属性：□主动公开　□依申请公开　☑不予公开", "不公开", BLOCK, "disclosure.labelled"),
]


@pytest.mark.parametrize("line,value,verdict,rule", DISCLOSURE)
def test_disclosure_attribute_values(line, value, verdict, rule):
    f = only(findings_in(BODY_TEXT + "\n" + line + "\n"), "disclosure_attribute")
    assert f.attrs["value"] == value
    assert f.rule == rule
    assert POLICY.verdict_for(f) == verdict
    assert f.score >= POLICY.threshold
    assert "value " + value in f.explanation


def test_disclosure_attribute_closing_the_date_line():
    f = only(findings_in(BODY_TEXT.replace("2024年3月5日\n", "2024年3月5日（此件不公开）\n")), "disclosure_attribute")
    assert f.text == "（此件不公开）" and f.attrs["value"] == "不公开"
    assert f.rule == "disclosure.bracketed_tail" and "closing the line" in f.explanation


def test_disclosure_mapping_comes_from_the_policy():
    f = only(findings_in(BODY_TEXT + "（此件依申请公开）"), "disclosure_attribute")
    custom = Policy.from_mapping({"disclosure": {"依申请公开": "redact"}})
    assert POLICY.verdict_for(f) == BLOCK and custom.verdict_for(f) == REDACT


def test_blank_or_ambiguous_forms_give_no_value():
    # Nothing ticked, or several ticked: no value is guessed.
    assert findings_in("公开属性：□主动公开　□依申请公开　□不予公开") == []
    assert findings_in("公开属性：☑主动公开　☑不予公开") == []
    # Several values without boxes: the options are being listed.
    assert findings_in("公开属性：主动公开、依申请公开、不予公开") == []


# --- prose and quotation: must not fire -----------------------------------------------------------
PROSE = [
    "我局完善了保密审查机制，全年未发生泄密事件。",
    "建立保密审查制度，坚持先审查、后公开。",
    "对申请公开的信息，除涉密事项外均已公开。",
    "公开属性分为“主动公开”“依申请公开”“不予公开”三类。",
    "公开属性分为主动公开、依申请公开、不予公开。",
    "经审核确定后在公文附注处标注，如“（此件公开发布）”“（此件不公开）”。",
    "对标注（此件不公开）的文件，一律不得上网。",
    "例如：（此件删减后公开）",
    "密级标志统一按照“密级★保密期限”的格式标注，例如“秘密★1年”。",
    "国家秘密标志由密级和保密期限组成，比如标注为秘密★10年，表示保密期限十年。",
    "文件上印有「机密★5年」字样的，不得公开。",
    "对标有密级标志或者“内部资料”“注意保存”等字样的公文，不得公开。",
    "严格执行会议纪要管理规定，党组会议纪要不得外传、不得擅自复制。",
    "修订完善内部控制制度12项，开展内部审计3次。",
    "内部资料显示，该项目已于去年完工。",
    "准确确定绝密、机密、秘密三个密级和保密期限。",
    "授课老师指出，机密文件、秘密文件在传递中必须严格履行登记手续。",
    "一份公文若附注“此件依申请公开”，则不应在门户网站主动发布。",
    "对特急、加急类防汛公文做到随到随办。",
    "脸部的小秘密★★★★",
    "1.属于国家秘密\t0",
    "（三）不予公开",
    "5.属于三类内部事务信息\t1",
    "非涉密公文专用",
    "问：文件上印有“机密★5年”是什么意思？",
    "根据党组织安排，他秘密发展党的组织，建立农民协会。",
    "不予公开的公文，附注统一为（此件不公开）",
    "三是在公文附注（此件依申请公开）",
    "★ 机密级事项的保密期限一般不超过二十年。",
    "★秘密级事项的保密期限一般不超过十年",
    "绝密、机密、秘密",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_and_quotations_do_not_fire(text):
    # Each sentence is tested as a whole one-line document: its line is the document head,
    # the strictest position, and it still must not fire.
    assert findings_in(text) == []
    # ... and in the middle of a longer report.
    doc = "青溪县2023年政府信息公开工作年度报告\n\n一、总体情况\n\n" + text + "\n\n二、其他事项\n正文。\n"
    assert findings_in(doc) == []


def test_listed_examples_under_an_intro_line_do_not_fire():
    text = "二、规范标注方式。\n公开属性标注示例如下：\n（此件公开发布）\n（此件删减后公开）\n（此件不公开）\n\n三、严格保密审查。"
    assert findings_in(text) == []
    # The same across DOCX paragraphs (one segment each).
    segs = [Segment(t) for t in ["标题", "正文。", "密级标志的样式如下：", "机密★5年", "秘密★1年", "三、其他"]]
    assert findings_in(segs) == []
    # An intro without a colon is a sentence, not a list head: the attribute line counts.
    f = only(findings_in("现将有关事项通知如下。\n\n（此件不公开）"), "disclosure_attribute")
    assert f.attrs["value"] == "不公开"


def test_attribute_options_listed_one_under_the_other_do_not_fire():
    # No intro line with a colon: the conflicting values on adjacent lines give the listing away.
    text = "各单位拟制公文时，应从以下三项中选定一项。\n（此件公开发布）\n（此件删减后公开）\n（此件不公开）\n其他要求。"
    assert findings_in(text) == []
    segs = [Segment("标题"), Segment("正文。"), Segment("公开属性：主动公开"), Segment("公开属性：不予公开")]
    assert findings_in(segs) == []
    # The same value twice (a draft printed with the line repeated) is still the attribute.
    fs = findings_in(BODY_TEXT + "（此件不公开）\n（此件不公开）\n")
    assert [f.attrs["value"] for f in fs] == ["不公开", "不公开"]


def test_list_items_are_not_marks():
    text = "\n".join(["青溪县政府信息公开指南", "一、公开范围", "下列信息不予公开：", "国家秘密；", "商业秘密；",
                      "个人隐私；", "内部事务信息、", "工作秘密。", "二、公开方式"])
    # Items end with ；/、 and the last one with 。: a list, not marks.
    assert findings_in(text) == []


def test_table_cells_below_the_head_are_a_catalogue_not_a_mark():
    segs = [Segment("政府信息公开目录"), Segment("说明：以下为本季度目录。"), Segment("正文。"), Segment("正文。"),
            Segment("正文。"), Segment("正文。"), Segment("正文。"),
            Segment("公开方式", origin=TABLE), Segment("不予公开", origin=TABLE),
            Segment("（此件不公开）", origin=TABLE), Segment("秘密", origin=TABLE), Segment("内部资料", origin=TABLE)]
    assert findings_in(segs) == []


def test_head_is_counted_across_docx_paragraphs():
    # One segment per paragraph: the mark in paragraph 2 is in the head; the same line as
    # paragraph 9 (after six non-empty paragraphs) is below it.
    head = [Segment("000001"), Segment(""), Segment("秘密"), Segment("青溪县人民政府文件"), Segment("通知")]
    f = only(findings_in(head), "classified_mark")
    assert f.segment == 2 and f.attrs["position"] == "head" and f.score == 0.95
    late = [Segment(t) for t in ["标题", "一", "二", "三", "四", "五", "六", "秘密"]]
    f = only(findings_in(late), "classified_mark")
    assert f.segment == 7 and f.attrs["position"] == "own_line" and f.score < 0.95
    # A header segment listed first does not use up the head.
    segs = [Segment("页眉文字", origin=HEADER), Segment("000001"), Segment("机密★1年"), Segment("标题")]
    assert only(findings_in(segs), "classified_mark").attrs["position"] == "head"


# --- properties -------------------------------------------------------------------------------------
MARKS = ["机密★5年", "秘密★长期", "绝密★2030年12月31日", "内部资料", "注意保存", "工作秘密", "不得外传",
         "此件不公开", "此件依申请公开", "（此件不公开）", "公开属性：不予公开", "秘密", "国家秘密", "涉密"]
HAN = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(mark=st.sampled_from(MARKS), before=HAN, after=HAN, quotes=st.sampled_from(["“”", "「」", "\"\"", "『』"]))
def test_quoted_marks_never_fire(mark, before, after, quotes):
    text = f"{before}{quotes[0]}{mark}{quotes[1]}{after}。"
    assert findings_in(text) == []


def _vocab_chars() -> set[str]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from redactor.patterns_data import open_pattern_file

    with open_pattern_file("confidential.toml") as f:
        data = tomllib.loads(f.read())
    words = (data["classified"]["levels"] + data["classified"]["markings"] + data["classified"]["labels"]
             + data["internal"]["marks"] + data["urgency"]["words"] + data["disclosure"]["subjects"]
             + data["disclosure"]["labels"] + list(data["disclosure"]["values"]))
    return {ch for w in words for ch in w}


VOCAB_CHARS = _vocab_chars()
PROSE_MARKS = ["内部资料", "注意保存", "工作秘密", "不得外传", "仅供领导参阅", "此件不公开", "此件依申请公开",
               "公开属性", "秘密", "机密", "绝密", "国家秘密", "涉密", "特急", "000001"]


@settings(max_examples=300, deadline=None)
@given(mark=st.sampled_from(PROSE_MARKS), before=HAN, after=HAN, line=st.integers(0, 8))
def test_marks_inside_running_prose_never_fire(mark, before, after, line):
    # A mark word with prose on both sides, on any line of a report (head included). The prose
    # must be prose: text made only of mark words (内部 + 内部资料 + 内部) is a line of marks.
    assume(any(ch not in VOCAB_CHARS for ch in before) and any(ch not in VOCAB_CHARS for ch in after))
    lines = ["青溪县2023年工作总结", "一、总体情况", "正文。", "二、存在问题", "正文。", "三、下一步", "正文。", "正文。", "正文。"]
    lines[line] = f"{before}{mark}{after}。"
    assert findings_in("\n".join(lines)) == []


@settings(max_examples=200, deadline=None)
@given(body=st.lists(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9FA5), max_size=40), max_size=12))
def test_spans_point_into_the_text(body):
    text = "000001\n机密★5年\n" + "\n".join(body) + "\n（此件不公开）"
    for f in findings_in(text):
        assert text[f.start:f.end] == f.text and f.segment == 0
    assert any(f.kind == "classified_mark" and f.text == "机密★5年" for f in findings_in(text))


# --- sensitive terms --------------------------------------------------------------------------------
TERMS = """# 本单位敏感词（测试用，虚构）
天河二期
青溪一号工程   # 项目代号
re:QX-[0-9]{4}
\\#话题
"""


def test_term_list_format(tmp_path):
    p = tmp_path / "terms.txt"
    p.write_text(TERMS, encoding="utf-8")
    terms = load_term_list(p)
    assert [(t.pattern, t.is_regex, t.line) for t in terms] == [
        ("天河二期", False, 2), ("青溪一号工程", False, 3), ("QX-[0-9]{4}", True, 4), ("#话题", False, 5)]
    det = SensitiveTermDetector(terms)
    text = "关于天河二期和青溪一号工程（编号ＱＸ－２０２４）的说明 #话题"
    fs = list(det.detect(text, DetectContext(0, Segment(text))))
    assert [f.text for f in fs] == ["天河二期", "青溪一号工程", "ＱＸ－２０２４", "#话题"]
    assert all(f.kind == "sensitive_term" for f in fs)
    assert "terms.txt (line 4)" in fs[2].explanation


def test_term_list_errors_name_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("好词\nre:([a-z\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.txt.*line 2"):
        load_term_list(p)
    p.write_text("re:a*\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="empty string"):
        load_term_list(p)
    with pytest.raises(ConfigError, match="not found"):
        load_term_list(tmp_path / "missing.txt")


def test_term_lists_from_config_block_the_file(tmp_path):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "terms.txt").write_text(TERMS, encoding="utf-8")
    cfg = tmp_path / "redactor.toml"
    cfg.write_text('names = false\nsensitive_terms = ["lists/terms.txt"]\n', encoding="utf-8")
    policy = Policy.from_file(cfg)  # the path is relative to the config file
    assert any(isinstance(d, SensitiveTermDetector) for d in build(policy))
    doc = tmp_path / "doc.txt"
    doc.write_text("关于青溪一号工程进展情况的报告\n\n正文。\n\n（此件公开发布）\n", encoding="utf-8")
    rep = Redactor(policy).scan(doc)
    assert rep.verdict == BLOCK
    assert [r.kind for r in rep.findings if r.verdict == BLOCK] == ["sensitive_term"]
    assert main(["check", "--config", str(cfg), str(doc)]) == 1


def test_severity_comes_from_the_config(tmp_path):
    doc = _write(tmp_path, "d.txt", "内部资料\n\n政务信息\n\n正文。\n\n（此件依申请公开）\n")
    assert Redactor(POLICY).scan(doc).verdict == BLOCK
    relaxed = Policy.from_mapping({"names": False, "kinds": {"internal_mark": {"verdict": "info"}},
                                   "disclosure": {"依申请公开": "publish"}})
    rep = Redactor(relaxed).scan(doc)
    assert rep.verdict == PUBLISH and {r.kind for r in rep.findings} == {"internal_mark", "disclosure_attribute"}
    off = Policy.from_mapping({"names": False, "kinds": {"internal_mark": {"enabled": False},
                                                         "disclosure_attribute": {"enabled": False}}})
    assert Redactor(off).scan(doc).findings == []


def test_no_term_detector_without_lists():
    assert [type(d).__name__ for d in build(POLICY)] == ["ConfidentialDetector"]


def test_vocabulary_file_loads_and_reports_errors(tmp_path):
    from redactor.patterns_data import pattern_path

    v = load_vocabulary(pattern_path("confidential.toml"))
    assert v.values["不予公开"] == "不公开" and set(v.values.values()) == {"公开发布", "主动公开", "删减后公开", "依申请公开", "不公开"}
    bad = tmp_path / "c.toml"
    bad.write_text("[head]\nlines = 6\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing key"):
        load_vocabulary(bad)


# --- end to end: Redactor.scan / redact and the CLI ---------------------------------------------------
def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


E2E = [
    ("classified.txt", "000001\n机密★5年\n特急\n\n青溪县人民政府文件\n\n关于某事项的通知\n\n正文。\n", BLOCK),
    ("internal.txt", "内部资料　注意保存\n\n政务信息\n\n正文。\n", BLOCK),
    ("not_public.txt", BODY_TEXT + "\n（此件不公开）\n", BLOCK),
    ("on_request.txt", BODY_TEXT + "\n（此件依申请公开）\n", BLOCK),
    ("after_redaction.txt", BODY_TEXT + "\n（此件删减后公开）\n", REDACT),
    ("publish.txt", BODY_TEXT + "\n（此件公开发布）\n", PUBLISH),
    ("proactive.txt", BODY_TEXT + "\n（此件主动公开）\n", PUBLISH),
    ("report.txt", (CORPUS / "clean" / "review_procedure_notice.txt").read_text(encoding="utf-8"), PUBLISH),
]


@pytest.mark.parametrize("name,text,verdict", E2E)
def test_scan_verdicts(tmp_path, name, text, verdict):
    rep = Redactor(POLICY).scan(_write(tmp_path, name, text))
    assert rep.verdict == verdict, rep.reasons
    if verdict == BLOCK:
        assert rep.reasons and rep.reasons[0].split(" ")[0] in ("classified_mark", "internal_mark", "disclosure_attribute")
    if name == "after_redaction.txt":
        assert rep.reasons == ["to redact: 1 disclosure_attribute"]
        assert rep.findings[0].attrs["value"] == "删减后公开"


def test_publish_attribute_with_personal_data_is_redact(tmp_path):
    phone = Synth.seeded(5).mobile()
    rep = Redactor(POLICY).scan(_write(tmp_path, "x.txt", BODY_TEXT.replace("现将", f"联系电话：{phone}。现将") + "（此件公开发布）\n"))
    assert rep.verdict == REDACT
    assert {r.kind for r in rep.findings} == {"mobile", "disclosure_attribute"}


def test_redact_does_not_write_blocked_files(tmp_path):
    src = _write(tmp_path, "blocked.txt", E2E[0][1])
    out = tmp_path / "out" / "blocked.txt"
    rep = Redactor(POLICY).redact(src, out)
    assert rep.verdict == BLOCK and rep.output is None
    assert not out.exists() and not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_redact_writes_publish_and_after_redaction_copies(tmp_path):
    for name, text, verdict in E2E[4:6]:
        src = _write(tmp_path, name, text)
        out = tmp_path / "out" / name
        rep = Redactor(POLICY).redact(src, out)
        assert rep.verdict == verdict and rep.output == str(out)
        assert out.read_bytes() == src.read_bytes()  # nothing personal: same content


def test_cli_check_and_redact(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    for name, text, _ in E2E[:6]:
        _write(src, name, text)
    out = tmp_path / "out"
    code = main(["redact", "--no-names", str(src), "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["after_redaction.txt", "publish.txt"]
    for blocked in ("classified.txt", "internal.txt", "not_public.txt", "on_request.txt"):
        line = next(ln for ln in printed.splitlines() if ln.endswith(blocked))
        assert line.startswith("BLOCK")
    assert "机密★5年" in printed and "document head" in printed  # the reason is listed
    code = main(["check", "--no-names", "--json", str(src / "on_request.txt"), str(src / "publish.txt")])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    assert by_name["on_request.txt"]["verdict"] == BLOCK
    assert by_name["on_request.txt"]["findings"][0]["attrs"]["value"] == "依申请公开"
    assert by_name["publish.txt"]["verdict"] == PUBLISH
    assert main(["check", "--no-names", "-q", str(src / "publish.txt")]) == 0


def test_docx_header_mark_blocks(tmp_path):
    docx = pytest.importorskip("docx", reason="python-docx is not installed")
    from redactor.errors import UnsupportedFormatError
    from redactor.formats import adapter_for

    try:
        adapter_for("x.docx")
    except UnsupportedFormatError as e:
        pytest.skip(f"no DOCX adapter in this build: {e}")
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "青溪县人民政府办公室　内部资料"
    for t in ["关于某事项的通知", "正文。", "（此件公开发布）"]:
        d.add_paragraph(t)
    p = tmp_path / "h.docx"
    d.save(p)
    rep = Redactor(POLICY).scan(p)
    assert rep.verdict == BLOCK
    kinds = {(r.kind, r.location.get("origin")) for r in rep.findings if r.category == "confidential"}
    assert kinds == {("internal_mark", "header"), ("disclosure_attribute", "body")}


def test_pdf_head_and_later_pages(tmp_path):
    pytest.importorskip("reportlab", reason="reportlab is needed to draw the test PDF")
    pytest.importorskip("pdfplumber", reason="pdfplumber is needed to read PDFs")
    import pdf_fixtures as F

    if F.cjk_font_path() is None:
        pytest.skip("no CJK TrueType font to draw the test PDF (Debian fonts-wqy-zenhei)")
    b = F.PdfBuilder(cjk="identity")
    b.new_page()
    b.text(72, 780, "000001", size=16)
    b.text(72, 760, "机密", size=16)  # the fixture font cannot draw the ★
    b.text(72, 740, "特急", size=16)
    b.text(150, 700, "青溪县人民政府文件", size=22)
    b.text(72, 660, "关于开展专项核查工作的通知", size=16)
    b.paragraph(72, 630, "各乡镇人民政府：现将有关事项通知如下。我局完善了保密审查机制，除涉密事项外均已公开。", 451)
    b.new_page()
    b.text(72, 800, "内部资料　注意保存", size=10)
    b.text(72, 770, "二、工作要求", size=16)
    b.text(72, 740, "（此件不公开）")
    p = b.save(tmp_path / "head.pdf")
    rep = Redactor(POLICY).scan(p)
    assert rep.verdict == BLOCK
    got = [(r.kind, r.preview, r.location.get("page"), r.attrs.get("position")) for r in rep.findings
           if r.category == "confidential"]
    assert got == [("classified_mark", "机密", 1, "head"), ("internal_mark", "内部资料", 2, "own_line"),
                   ("internal_mark", "注意保存", 2, "own_line"), ("disclosure_attribute", "（此件不公开）", 2, "own_line")]
    head = next(r for r in rep.findings if r.kind == "classified_mark")
    assert "份号 000001" in head.explanation and "特急" in head.explanation
    assert Redactor(POLICY).redact(p, tmp_path / "out" / "head.pdf").output is None
    assert not (tmp_path / "out" / "head.pdf").exists()


# --- corpora ------------------------------------------------------------------------------------------
MARKED = {
    # file -> (verdict, {(kind, value-or-level)})
    "head_classified_5y.txt": (BLOCK, {("classified_mark", "机密")}),
    "head_secret_long.txt": (BLOCK, {("classified_mark", "秘密")}),
    "head_top_secret_date.txt": (BLOCK, {("classified_mark", "绝密")}),
    "head_secret_condition.txt": (BLOCK, {("classified_mark", "秘密")}),
    "head_spaced_bare.txt": (BLOCK, {("classified_mark", "机密")}),
    "internal_briefing.txt": (BLOCK, {("internal_mark", "内部资料"), ("internal_mark", "注意保存")}),
    "internal_title_bracket.txt": (BLOCK, {("internal_mark", "内部参阅")}),
    "work_secret_footer_line.txt": (BLOCK, {("internal_mark", "工作秘密"), ("internal_mark", "不得外传")}),
    "leaders_only.txt": (BLOCK, {("internal_mark", "仅供领导参阅")}),
    "attr_publish.txt": (PUBLISH, {("disclosure_attribute", "公开发布")}),
    "attr_proactive.txt": (PUBLISH, {("disclosure_attribute", "主动公开")}),
    "attr_redact.txt": (REDACT, {("disclosure_attribute", "删减后公开")}),
    "attr_on_request.txt": (BLOCK, {("disclosure_attribute", "依申请公开")}),
    "attr_not_public.txt": (BLOCK, {("disclosure_attribute", "不公开")}),
    "attr_checkbox_form.txt": (BLOCK, {("disclosure_attribute", "不公开")}),
    "attr_date_tail.txt": (BLOCK, {("disclosure_attribute", "不公开")}),
    "head_joined_line.txt": (BLOCK, {("classified_mark", "秘密")}),
}


def _clean_files() -> list[Path]:
    return sorted((CORPUS / "clean").glob("*.txt"))


def test_corpus_is_there():
    assert len(_clean_files()) >= 10
    assert sorted(p.name for p in (CORPUS / "marked").glob("*.txt")) == sorted(MARKED)


@pytest.mark.parametrize("path", _clean_files(), ids=lambda p: p.name)
def test_clean_policy_reports_have_no_marks(path):
    rep = Redactor(POLICY).scan(path)
    conf = [r for r in rep.findings if r.category == "confidential"]
    assert conf == [], [(r.kind, r.preview, r.location) for r in conf]
    assert rep.verdict == PUBLISH


@pytest.mark.parametrize("name", sorted(MARKED))
def test_marked_documents(name):
    verdict, expected = MARKED[name]
    rep = Redactor(POLICY).scan(CORPUS / "marked" / name)
    conf = [r for r in rep.findings if r.category == "confidential"]
    got = {(r.kind, r.attrs.get("value") or r.attrs.get("level") or r.attrs.get("mark", "").strip("（）")) for r in conf}
    assert got == expected
    for r in conf:  # every finding says where and why
        assert r.attrs["position"] in ("head", "own_line", "header", "footer", "table")
        assert any(w in r.explanation for w in ("head", "line", "paragraph", "page")), r.explanation
    assert rep.verdict == verdict


# --- reference data in /work/shared/data (read at test time, never copied) ---------------------------
def ner_sentences(root: Path = SHARED / "ner") -> dict[str, list[str]]:
    """Sentences of the NER corpora, by corpus (formats: see ner/PROVENANCE.md)."""

    def bio(path: Path, sep: str | None = None, strip_digit: bool = False) -> list[str]:
        out, cur = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                if cur:
                    out.append("".join(cur))
                    cur = []
                continue
            ch = line.split(sep)[0] if sep else line.split()[0]
            cur.append(ch[:-1] if strip_digit else ch)
        if cur:
            out.append("".join(cur))
        return out

    corpora: dict[str, list[str]] = {}
    corpora["msra"] = bio(root / "msra" / "msra_test_bio.txt", "\t")
    corpora["peoples_daily_1998"] = [s for n in ("example.dev", "example.test") for s in bio(root / "peoples_daily_1998" / n)]
    corpora["weibo"] = [s for p in sorted((root / "weibo").glob("weiboNER_2nd_conll.*")) for s in bio(p, "\t", True)]
    corpora["resume"] = [s for p in sorted((root / "resume").glob("*.char.bmes")) for s in bio(p)]
    corpora["cluener2020"] = [json.loads(line)["text"] for p in sorted((root / "cluener2020").glob("*.json"))
                              for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpora["cail2021_xxcq"] = [json.loads(line)["context"] for line in
                                (root / "cail2021_xxcq" / "xxcq_mid.json").read_text(encoding="utf-8").splitlines() if line.strip()]
    return corpora


def reference_counts() -> dict[str, Counter]:
    """Blocking confidential findings per corpus: each sentence as a one-line document (it is
    then the document head, the strictest position), and the sentences joined 40 to a document."""
    counts: dict[str, Counter] = {}
    for name, sents in ner_sentences().items():
        c: Counter = Counter(sentences=len(sents))
        for s in sents:
            fs = findings_in(s)
            c["any_finding"] += len(fs)
            for f in blocking(fs):
                c["single:" + f.kind] += 1
        for k in range(0, len(sents), 40):
            fs = findings_in("\n".join(sents[k:k + 40]))
            c["any_finding"] += len(fs)
            for f in blocking(fs):
                c["joined:" + f.kind] += 1
        counts[name] = c
    return counts


needs_ner = pytest.mark.skipif(not (SHARED / "ner").is_dir(), reason=f"reference corpora not present at {SHARED / 'ner'}")
needs_words = pytest.mark.skipif(not (SHARED / "sensitive_words").is_dir(),
                                 reason=f"reference lists not present at {SHARED / 'sensitive_words'}")


@needs_ner
def test_real_sentences_never_fire():
    counts = reference_counts()
    assert sum(c["sentences"] for c in counts.values()) > 30000
    hits = {name: {k: n for k, n in c.items() if k not in ("sentences", "any_finding")} for name, c in counts.items()}
    assert all(not h for h in hits.values()), hits


@needs_words
def test_non_disclosure_reasons_are_prose():
    # The list of official 不予公开 reasons (依法确定为国家秘密的信息 ...): prose, except its two
    # section heads, which are bracketed attribute lines ([此件不公开], [此件可依申请公开]).
    lines = [ln.strip() for ln in (SHARED / "sensitive_words" / "non_disclosure_reasons.txt").read_text(encoding="utf-8").splitlines()]
    reasons = [ln for ln in lines if ln and not ln.startswith("#") and not ln.startswith("[")]
    heads = [ln for ln in lines if ln.startswith("[")]
    assert len(reasons) >= 8
    assert [f for r in reasons for f in findings_in(r)] == []
    assert [only(findings_in(h), "disclosure_attribute").attrs["value"] for h in heads] == ["不公开", "依申请公开"]


@needs_words
def test_vocabulary_list_marks_are_recognised_in_the_head():
    """Every term of the shared marking vocabulary, put alone on line 2 of a document head, is
    recognised as what it is: levels and internal marks block, attribute lines parse to their
    value; urgency words and 非涉密公文专用 are not marks."""
    path = SHARED / "sensitive_words" / "classification_markings_vocab.txt"
    terms = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    # Urgency is head furniture, not a mark; 非涉密公文专用 says "not classified"; a bare 不予公开
    # without 此件 or brackets is a table cell or a heading word in annual reports.
    not_marks = {"特急", "加急", "特提", "平急", "非涉密公文专用", "不予公开"}
    assert len(terms) >= 25
    missed, wrong = [], []
    for t in terms:
        fs = findings_in(f"000001\n{t}\n关于某事项的通知\n正文。")
        if t in not_marks:
            if blocking(fs):
                wrong.append(t)
            continue
        if not fs or any(f.text != t for f in fs if f.kind != "internal_mark"):
            missed.append(t)
        for f in fs:
            if f.kind == "disclosure_attribute":
                assert f.attrs["value"] in t
    assert missed == [] and wrong == []


if __name__ == "__main__":  # counts for the report: python tests/test_confidential.py
    if not (SHARED / "ner").is_dir():
        sys.exit(f"reference corpora not present at {SHARED / 'ner'}")
    total: Counter = Counter()
    for name, c in reference_counts().items():
        skip = ("sentences", "any_finding")
        print(f"{name:20} sentences {c['sentences']:6}  findings {c['any_finding']:3}  blocking hits: "
              + (", ".join(f"{k} {n}" for k, n in sorted(c.items()) if k not in skip) or "0"))
        total.update(c)
    print(f"{'total':20} sentences {total['sentences']:6}  findings {total['any_finding']:3}  blocking hits: "
          + (", ".join(f"{k} {n}" for k, n in sorted(total.items()) if k not in skip) or "0"))
    clean = _clean_files()
    hits = sum(len(blocking(findings_in(p.read_text(encoding='utf-8')))) for p in clean)
    print(f"corpora/policy_reports/clean: {len(clean)} files, blocking hits: {hits}")
    right = sum(Redactor(POLICY).scan(CORPUS / "marked" / n).verdict == v for n, (v, _) in MARKED.items())
    print(f"corpora/policy_reports/marked: {len(MARKED)} files, expected verdict: {right}")
