"""Person names: rules (labels, titles, cues, tables), officials, masked forms, propagation,
the statistical model, and one golden redaction per genre (tests/golden/names)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from redactor.detect import ner
from redactor.detect.base import DetectContext
from redactor.detect.names import NameDetector, is_masked, trim_name
from redactor.document import TABLE, Document, Segment
from redactor.pipeline import Redactor
from redactor.policy import Policy

GOLDEN = Path(__file__).parent / "golden" / "names"
GENRES = {
    "xzcf": "行政处罚决定书",
    "gsmd": "低保公示名单 (table)",
    "xxgk": "政府信息公开申请答复书",
    "xfdf": "信访答复",
    "tb": "通报",
    "pjs": "判决书",
    "rmtz": "任免及领导分工通知 (names kept)",
    "zcbg": "政策报告 (no personal data)",
}


@pytest.fixture(scope="session")
def model():
    """Load the shipped model once for the whole session (it is cached by ner.load())."""
    return ner.load()


@pytest.fixture(scope="session")
def redactor(model) -> Redactor:
    return Redactor(Policy())


@pytest.fixture(scope="session")
def rules() -> NameDetector:
    return NameDetector(use_model=False)


def names(found, kind=None):
    return [f.text for f in found if kind is None or f.kind == kind]


def people(red: Redactor, text: str, kind: str = "person") -> list[str]:
    return [f.text for f in red.scan_text(text) if f.kind == kind]


# --- rules, one table per rule ---------------------------------------------------------------
LABELS = [
    ("申请人：张三丰，身份证号码略", ["张三丰"]),
    ("户主：李四、王五、赵六", ["李四", "王五", "赵六"]),
    ("村民鲁璐向镇政府反映", ["鲁璐"]),
    ("当事人晏才睿驾驶货车超限运输", ["晏才睿"]),
    ("法定代表人：普文华", ["普文华"]),
    ("被告人欧阳明远，男", ["欧阳明远"]),
    ("信访人：者文芬", ["者文芬"]),
    ("邻居马绍闻声赶来", ["马绍"]),          # 闻声 is the next word, not part of the name
    ("当事人杜晓生于2022年3月5日", ["杜晓生"]),  # 于 is a function character: the name ends before it
    ("经核查，村民俞妍冒领其已故母亲的养老保险", ["俞妍"]),
]
LABEL_NON = [
    "当事人应当自收到本决定书之日起十五日内",
    "申请人提交的材料齐全",
    "当事人：武定金沙建筑工程有限公司",
    "群众反映强烈",
]


@pytest.mark.parametrize("text,expected", LABELS)
def test_label_rule_matches(rules, text, expected):
    found = [f for f in rules.detect(text, DetectContext()) if f.rule == "names.label"]
    assert names(found) == expected
    assert all(f.kind == "person" for f in found)


@pytest.mark.parametrize("text", LABEL_NON)
def test_label_rule_non_matches(rules, text):
    assert names(rules.detect(text, DetectContext())) == []


CUES = [
    ("罗光荣，男，1980年7月出生，汉族", ["罗光荣"]),
    ("者阿说，男，彝族，1975年3月出生", ["者阿说"]),
    ("曾用名沙海宇，女，1963年6月4日生", ["沙海宇"]),
    ("赵永福（男，56岁）在地边烧荒", ["赵永福"]),
]


@pytest.mark.parametrize("text,expected", CUES)
def test_gender_birth_cue(rules, text, expected):
    assert names(rules.detect(text, DetectContext()), "person") == expected


def test_gender_cue_rejects_places(rules):
    # 生于祥云县，彝族: the Han run before the cue is a county, not a name
    assert names(rules.detect("1963年6月4日生于祥云县，彝族，小学文化", DetectContext())) == []


ORDINARY = ["高新区门户网站改版", "周边环境整治", "华山南路改造完成", "邓小平理论学习", "请求从轻处罚", "一是个别同志保密意识不够强"]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_are_not_names(redactor, text):
    assert [f.kind for f in redactor.scan_text(text) if f.kind in ("person", "official")] == []


MASKED = ["张某", "李某某", "刘某甲", "王某1", "王X", "张××", "张**", "某某", "欧阳某"]


@pytest.mark.parametrize("value", MASKED)
def test_masked_forms(value, redactor):
    assert is_masked(value)
    text = f"经查，当事人{value}于2020年5月在该处经营，村民{value}向镇政府反映。"
    assert people(redactor, text) == []


@pytest.mark.parametrize("value", ["张三", "欧阳修", "王某明"])
def test_real_names_are_not_masked_forms(value):
    assert is_masked(value) is (value == "王某明" and False)


def test_trim_name_gives_back_the_next_word():
    text = "村民密燕冒领其母亲的养老金"
    assert trim_name(text, 2, 5) == (2, 4)
    text = "分管领导秦泽继任组长"
    assert trim_name(text, 4, 7) == (4, 7)


# --- tables ----------------------------------------------------------------------------------
def test_column_header_makes_a_cell_a_name(rules):
    seg = Segment(text="杞　明", origin=TABLE, column_header="户主姓名")
    found = list(rules.detect(seg.text, DetectContext(segment=seg)))
    assert [(f.text, f.kind, f.rule) for f in found] == [("杞　明", "person", "names.table")]
    seg = Segment(text="鹿城镇", origin=TABLE, column_header="所在乡镇")
    assert list(rules.detect(seg.text, DetectContext(segment=seg))) == []


def test_plain_text_table(rules):
    text = "序号\t姓名\t与户主关系\t身份证号\n1\t木兰世\t户主\t5323...\n2\t上官秀\t孙子\t5323...\n"
    assert names(rules.detect(text, DetectContext())) == ["木兰世", "上官秀"]
    text = "序号 | 户主 | 家庭成员 | 补助标准\n1 | 召宏 | 郭荣鹏、涂晓婷 | 300\n"
    assert names(rules.detect(text, DetectContext())) == ["召宏", "郭荣鹏", "涂晓婷"]
    text = "序号  户主  所在村  补助标准\n1  张　勇  江桥村  8496\n"
    assert names(rules.detect(text, DetectContext())) == ["张　勇"]


# --- officials -------------------------------------------------------------------------------
OFFICIALS = [
    ("王立新局长主持会议并讲话。", ["王立新"]),
    ("签发人：李明华", ["李明华"]),
    ("会议由县长江敏主持，副县长诸葛庆磊、公孙宇龙出席。", ["江敏", "诸葛庆磊", "公孙宇龙"]),
    ("寇清，党组书记、局长：主持局全面工作。\n景英晶，党组成员、副局长：协助分管办公室。", ["寇清", "景英晶"]),
    ("审 判 长　陈志远\n书 记 员　杨　帆", ["陈志远", "杨　帆"]),
    ("免去聂雪的临桂区水务局局长职务；", ["聂雪"]),
]


@pytest.mark.parametrize("text,expected", OFFICIALS)
def test_officials_are_kept(redactor, text, expected):
    found = redactor.scan_text(text)
    assert names(found, "official") == expected
    assert names(found, "person") == []
    assert redactor.redact_text(text) == text  # officials: keep (the default policy)


def test_officials_mask_policy():
    red = Redactor(Policy(officials="mask"))
    assert red.redact_text("王立新局长主持会议。") == "王某某局长主持会议。"


def test_private_cue_wins_over_title_elsewhere(redactor):
    text = "申请人张建华向本机关提出申请。\n张建华主任：您好。"
    assert set(names(redactor.scan_text(text), "person")) == {"张建华"}


def test_appointment_notice_names_are_officials(redactor):
    text = "关于寇清等同志职务任免的通知\n寇清，男，汉族，1965年10月生，现任县农业农村局副局长，拟任乡党委书记。"
    found = redactor.scan_text(text)
    assert set(names(found, "official")) == {"寇清"} and names(found, "person") == []


# --- propagation -----------------------------------------------------------------------------
def test_mention_propagation_within_a_segment(redactor):
    text = "申请人：西门涛\n2020年1月9日，本机关收到西门涛提交的申请表。西门涛与严先之间的纠纷已调解。"
    assert names(redactor.scan_text(text), "person").count("西门涛") == 3


def test_mention_propagation_across_segments():
    from redactor.detect.addresses import AddressDetector

    redactor = Redactor(Policy())
    redactor._detectors = [NameDetector(use_model=False), AddressDetector()]  # rules only: no model help
    doc = Document(
        path="x", format="text",
        segments=[Segment("户主：罗德华"), Segment("罗德华按月领取补助资金"), Segment("罗德华已于2017年纳入低保")],
    )
    found = redactor.scan_document(doc)
    persons = [(f.segment, f.text) for f in found if f.kind == "person"]
    assert persons == [(0, "罗德华"), (1, "罗德华"), (2, "罗德华")]
    assert {f.rule for f in found if f.segment > 0} == {"names.propagate"}


def test_propagation_does_not_enter_longer_place_names(redactor):
    text = "村民杨林向镇政府反映。杨林镇派出所民警进行了调处。"
    found = [f for f in redactor.scan_text(text) if f.kind == "person"]
    assert [(f.start, f.text) for f in found] == [(2, "杨林")]


# names.relation: a relation only a private person has (kin, household, property, dispute,
# settlement, driver, co-offender, a request to a public body); rules only, no model
RELATIONS = [
    ("双方发生争执，鲁国兴之妻在推搡中受伤", ["鲁国兴"]),
    ("当晚在武建华家中喝酒", ["武建华"]),
    ("岳明光家的耕牛闯入邻居承包的玉米地", ["岳明光"]),
    ("牛被赶入施正发承包的玉米地", ["施正发"]),
    ("民警对此与符长青的纠纷进行调处", ["符长青"]),
    ("民警主持召开协调会，祁萍、钟兴旺双方均到场", ["祁萍", "钟兴旺"]),
    ("经调解，柴玉良同意赔偿2000元", ["柴玉良"]),
    ("三轮摩托车在团结路与满春生驾驶的小型轿车相撞", ["满春生"]),
    ("当晚其与聂德福（另案处理）一同前往", ["聂德福"]),
    ("韦明宝向镇政府提出书面申请", ["韦明宝"]),
    ("经查，房屋登记在欧阳红梅名下", ["欧阳红梅"]),
    ("系卢开顺的儿子", ["卢开顺"]),
]
RELATION_NON = [
    "国家的政策", "大家的意见", "专家的建议", "王家庄的农田", "甲乙双方签订协议",
    "高新区管委会承包的项目", "由县政府向上级申请资金", "张某某之妻", "与李某驾驶的车辆相撞",
    "周边群众家中", "在杨林镇家中", "武定金沙建筑公司承包的工程",
]


@pytest.mark.parametrize("text,expected", RELATIONS)
def test_relation_rule_matches(rules, text, expected):
    found = [f for f in rules.detect(text, DetectContext()) if f.rule == "names.relation"]
    assert names(found) == expected
    assert all(f.kind == "person" for f in found)


@pytest.mark.parametrize("text", RELATION_NON)
def test_relation_rule_non_matches(rules, text):
    assert names(rules.detect(text, DetectContext())) == []


@pytest.mark.parametrize("text,expected", [
    ("根据工作需要，经研究，决定邓文杰同志主持县应急管理局全面工作", ["邓文杰"]),
    ("同意谭志刚同志为县人民政府办公室副主任", ["谭志刚"]),
])
def test_official_after_decision(rules, text, expected):
    found = list(rules.detect(text, DetectContext()))
    assert names(found, "official") == expected and names(found, "person") == []


def test_official_after_decision_non_match(rules):
    assert names(rules.detect("经研究决定，全面推进高质量发展", DetectContext())) == []


# a surname in no list (庹, 眭, 撒, 沐, 蹇, 笮 are real surnames missing from patterns/surnames.txt):
# only a field of its own after a label/title + colon or spacing, or before a gender cue
UNLISTED = [
    ("当事人：庹敏发\n性别：女", [("庹敏发", "person")]),
    ("被上诉人（原审被告）：眭柏雪，男，汉族", [("眭柏雪", "person")]),
    ("审判员　撒丽\n书记员　沐晓", [("撒丽", "official"), ("沐晓", "official")]),
    ("法定代表人：笮文华\n身份证号码：略", [("笮文华", "person")]),
    ("经查，当事人庹敏发擅自改变林地用途", [("庹敏发", "person")]),       # party label, closed by 擅
    ("生猪9头，押运人为眭波才（联系电话略）", [("眭波才", "person")]),
    ("沐丽：\n您于2023年3月1日提出的申请收悉", [("沐丽", "person")]),    # addressee line
    ("双方发生争执，蹇国兴之妻在推搡中受伤", [("蹇国兴", "person")]),     # private relation
    ("本答复书由工作人员庹鹏珠电话告知", [("庹鹏珠", "official")]),      # staff role noun
    ("笮悦涛先生/女士：\n您于2021年5月提出申请", [("笮悦涛", "person")]),
    ("笮琴福、眭南：\n您在申请中称", [("笮琴福", "person"), ("眭南", "person")]),
    ("经核实，您之子沐文华在外务工", [("沐文华", "person")]),            # kin label
    ("关于庹明信访事项的答复意见", [("庹明", "person")]),
    ("执法人员：蹇彤轩、庹叫坎\n", [("蹇彤轩", "official"), ("庹叫坎", "official")]),
    ("大兴镇党委书记庹明带队走访", [("庹明", "official")]),            # official acting in the role
    ("已依法流转。沐晓镇长主持召开协调会", [("沐晓", "official")]),
]
UNLISTED_NON = [
    "申请人：提交材料\n", "姓名：未填写\n", "当事人：全面整改\n", "负责人：县政府\n",
    "申请人：本机关\n", "联系人：办公室\n", "审判长　人民陪审员", "经查，男女比例", "：该同志，男，",
    "局领导班子成员工作分工的通知", "相关调解书可向该委员会查阅。", "经人民调解委员会调解未果", "甲乙双方签订协议",
    "当事人应当在收到本决定书之日起", "当事人提交的材料齐全", "在农户家中走访",
    "其子女均已成家", "由工作人员负责送达", "民警立即赶到现场", "关于加强信访工作的通知",
    "各位居民：\n您好", "其妻子患病住院",
    "会议由县长主持", "由镇长带队", "局长出席会议并讲话", "副局长一行到村调研", "由党委书记主持召开",
]


@pytest.mark.parametrize("text,expected", UNLISTED)
def test_unlisted_surname_in_a_field(rules, text, expected):
    assert [(f.text, f.kind) for f in rules.detect(text, DetectContext())] == expected


@pytest.mark.parametrize("text", UNLISTED_NON)
def test_unlisted_surname_non_matches(rules, text):
    assert names(rules.detect(text, DetectContext())) == []


def test_propagation_replaces_a_part_of_a_longer_name(redactor):
    # 柏 is a listed surname, 眭 is not: a rule or the model may read only 柏雪; the full name
    # found in the party block wins on every mention
    text = "被上诉人（原审被告）：眭柏雪，男，汉族。\n被告眭柏雪于2019年向原告借款。准予原告与被告眭柏雪离婚。"
    found = [f for f in redactor.scan_text(text) if f.kind == "person"]
    assert [f.text for f in found] == ["眭柏雪"] * 3


# --- the statistical model -------------------------------------------------------------------
def test_model_loads_from_the_package(model):
    assert ner.model_path().is_dir()
    assert model.pipe_names == ["ner"] and "PER" in model.get_pipe("ner").labels


def test_model_finds_names_in_free_narrative(redactor):
    for text, name in [("昨天下午，李建华在会上发言。", "李建华"), ("经调查，王春明与邻居发生争执。", "王春明"), ("据了解，赵小平去年外出务工。", "赵小平")]:
        found = [f for f in redactor.scan_text(text) if f.kind == "person"]
        assert [(f.text, f.rule) for f in found] == [(name, "names.model")]


def test_model_is_not_run_on_text_without_candidates(rules, monkeypatch):
    det = NameDetector()
    calls = []
    monkeypatch.setattr(ner, "predict", lambda texts, **kw: calls.append(list(texts)) or [[] for _ in texts])
    list(det.detect("全面推进高质量发展，加强周边环境整治。", DetectContext()))
    assert calls == [] or all(not t for t in calls)


# --- golden: one document per genre ----------------------------------------------------------
@pytest.mark.parametrize("stem", sorted(GENRES))
def test_golden_redaction(redactor, stem):
    source = (GOLDEN / f"{stem}.txt").read_text(encoding="utf-8")
    expected = (GOLDEN / f"{stem}.expected.txt").read_text(encoding="utf-8")
    assert redactor.redact_text(source) == expected


def test_golden_outputs_leak_no_private_name(redactor):
    for stem in GENRES:
        source = (GOLDEN / f"{stem}.txt").read_text(encoding="utf-8")
        redacted = redactor.redact_text(source)
        for f in redactor.scan_text(source):
            if f.kind == "person":
                assert f.text not in redacted, (stem, f.text)
        # idempotent: the redacted copy has no private name left to find
        assert [f for f in redactor.scan_text(redacted) if f.kind == "person"] == []


def test_names_off_policy_skips_the_family():
    red = Redactor(replace(Policy(), names=False))
    assert [f for f in red.scan_text("申请人：张三丰") if f.kind == "person"] == []


# --- property: whatever synthetic name fills a private-person frame, it does not survive ----
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.synth import Synth

FRAMES = [
    "申请人：{n}，联系电话略。\n本机关收到{n}提交的申请。",
    "{n}，男，汉族，1970年3月出生，住东瓜镇富民村委会大村组25号。",
    "村民{n}向镇政府反映，其与邻居因宅基地界线发生纠纷。",
    "序号\t户主姓名\t保障类别\n1\t{n}\tA类\n",
    "当事人{n}于2024年3月6日在鹿城镇经营食品摊点。当事人{n}在法定期限内未提出陈述申辩。",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=10**6), frame=st.sampled_from(FRAMES))
def test_no_private_name_survives_redaction(redactor, seed, frame):
    name = Synth.seeded(seed).name()
    text = frame.format(n=name)
    redacted = redactor.redact_text(text)
    assert name not in redacted
    assert [f for f in redactor.scan_text(redacted) if f.kind == "person"] == []


# --- a Word table: the 姓名 column header reaches the detector through Segment.column_header --
def test_docx_table_names_masked_by_column_header(redactor, tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("东瓜镇2024年度农村低保对象公示名单")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("序号", "姓名", "保障类别"), ("1", "普文华", "A类"), ("2", "木兰世", "B类")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    src = tmp_path / "gsmd.docx"
    d.save(src)
    report = redactor.redact(src, tmp_path / "out" / "gsmd.docx")
    assert report.verdict == "redact", report.reasons
    cells = [c.text for row in docx.Document(tmp_path / "out" / "gsmd.docx").tables[0].rows for c in row.cells]
    assert cells == ["序号", "姓名", "保障类别", "1", "普某某", "A类", "2", "木某某", "B类"]
