"""Unit table for the structured detectors: what must match (kind and exact span) and what must not."""
import pytest

import redactor
from redactor.policy import Policy

ID = "11010519491231002X"
CARD = "6212345678901232"  # Luhn-valid UnionPay-style number


def kinds(text, **kw):
    return [(f.kind, f.text) for f in redactor.scan_text(text, Policy(names=False, **kw))]


MATCHES = [
    # (text, kind, value)
    (f"身份证号码：{ID}", "id_card", ID),
    ("公民身份号码11010519491231002x，", "id_card", "11010519491231002x"),
    ("身份证：１１０１０５１９４９１２３１００２Ｘ。", "id_card", "１１０１０５１９４９１２３１００２Ｘ"),
    ("身份证号 110105 19491231 002X 已核实", "id_card", "110105 19491231 002X"),
    ("原身份证号码110105491231002", "id_card", "110105491231002"),
    ("联系电话：13812345678", "mobile", "13812345678"),
    ("电话+86 138-1234-5678。", "mobile", "+86 138-1234-5678"),
    ("电话008613812345678", "mobile", "008613812345678"),
    ("手机 138 1234 5678", "mobile", "138 1234 5678"),
    ("手机１３８１２３４５６７８", "mobile", "１３８１２３４５６７８"),
    ("住宅电话0871-65123456", "landline", "0871-65123456"),
    ("电话(010)62345678转123", "landline", "(010)62345678转123"),
    ("邮箱zhang.san@example.com。", "email", "zhang.san@example.com"),
    (f"银行卡号：{CARD}", "bank_card", CARD),
    ("卡号6212 3456 7890 1232", "bank_card", "6212 3456 7890 1232"),
    ("护照号码E12345678", "passport", "E12345678"),
    ("往来港澳通行证号C12345678", "permit", "C12345678"),
    ("车牌号云A·D12345的车辆", "license_plate", "云A·D12345"),
    ("车牌号为粤B12345", "license_plate", "粤B12345"),
    ("登录IP为192.168.10.21", "ip_address", "192.168.10.21"),
    ("统一社会信用代码91350100M000100Y43", "credit_code", "91350100M000100Y43"),
]


@pytest.mark.parametrize("text,kind,value", MATCHES)
def test_matches(text, kind, value):
    found = kinds(text)
    assert (kind, value) in found, found


NON_MATCHES = [
    "根据X政办发〔2019〕12号文件精神",
    "索引号：005192315/2019-00123",
    "索引号：91350100M000100Y43/2019-00123",  # index number beginning with a credit code
    "合同编号：2019053012345675",               # Luhn-valid but labelled as a contract number
    "金额：1234567.89元",
    "2019年12月31日",
    "20191231",
    "请拨打12345政务服务便民热线",
    "96128",
    "遇到紧急情况请拨打110",
    "消费者投诉热线12315",
    "版本号1.2.3",
    "云南省高新区",
    "第12345678号",
    "11010519491231002Y",  # not an ID character
    "110105194912310021",  # wrong check digit
    "编号ABC13812345678",  # glued to letters: a code, not a phone
]


@pytest.mark.parametrize("text", NON_MATCHES)
def test_non_matches(text):
    personal = [k for k in kinds(text) if k[0] not in ("credit_code", "public_phone")]
    assert personal == []


def test_index_number_with_credit_code_reports_nothing():
    assert kinds("索引号：91350100M000100Y43/2019-00123") == []


def test_office_phone_is_public_not_personal():
    found = redactor.scan_text("咨询电话：0871-65123456", Policy(names=False))
    assert [f.kind for f in found] == ["public_phone"]
    assert redactor.redact_text("咨询电话：0871-65123456", Policy(names=False)) == "咨询电话：0871-65123456"


def test_context_raises_score_and_explains():
    with_ctx = redactor.scan_text(f"身份证号码：{ID}", Policy(names=False))[0]
    without = redactor.scan_text(f"编码{ID}", Policy(names=False))[0]
    assert with_ctx.score > without.score
    assert "身份证号码" in with_ctx.explanation or "身份证" in with_ctx.explanation
    assert with_ctx.rule == "id_card.gb11643_18"


def test_passport_needs_context():
    assert kinds("型号G12345678") == []
    assert kinds("护照G12345678") == [("passport", "G12345678")]


def test_offsets_point_into_original_text_with_fullwidth():
    text = "甲：１３８１２３４５６７８，乙"
    (f,) = redactor.scan_text(text, Policy(names=False))
    assert text[f.start:f.end] == "１３８１２３４５６７８" == f.text


@pytest.mark.parametrize(
    "text,kind",
    [
        ("建议您向鹿城镇人民政府申请获取，联系电话：0878-3121234。", "public_phone"),
        ("如需进一步了解，请与本机关联系。联系人：王某；联系电话：0871-65123456", "public_phone"),
        ("楚雄市自然资源局\n信访事项答复意见书\n\n信访人：张某，联系电话：0878-3121234", "landline"),
        ("某某局\n当事人住址电话0878-3121234", "landline"),
        ("建议您向鹿城镇人民政府申请获取，联系电话：13812345678", "mobile"),  # mobiles stay personal
    ],
)
def test_office_landline_named_by_the_body_before_it(text, kind):
    assert [f.kind for f in redactor.scan_text(text, Policy(names=False))] == [kind]


# --- adjacent identifiers, dotted mobiles, IDs after an ID label ------------------------------
TWO_PHONES = [
    ("电话13912345678 15812345678", [("mobile", "13912345678"), ("mobile", "15812345678")]),
    ("电话13912345678/15812345678", [("mobile", "13912345678"), ("mobile", "15812345678")]),
    ("电话13912345678、15812345678", [("mobile", "13912345678"), ("mobile", "15812345678")]),
    ("电话13912345678，15812345678", [("mobile", "13912345678"), ("mobile", "15812345678")]),
    ("电话139 1234 5678 158 1234 5678", [("mobile", "139 1234 5678"), ("mobile", "158 1234 5678")]),
    ("电话0871-65123456 13912345678", [("landline", "0871-65123456"), ("mobile", "13912345678")]),
    ("电话13912345678 0871-65123456", [("mobile", "13912345678"), ("landline", "0871-65123456")]),
    (f"身份证号码：{ID} {ID}", [("id_card", ID), ("id_card", ID)]),
    (f"卡号{CARD} 6212345678901240", [("bank_card", CARD), ("bank_card", "6212345678901240")]),
    ("电话139.1234.5678。", [("mobile", "139.1234.5678")]),
    ("手机：１３９．１２３４．５６７８", [("mobile", "１３９．１２３４．５６７８")]),
]


@pytest.mark.parametrize("text,expected", TWO_PHONES)
def test_adjacent_identifiers_are_separate_findings(text, expected):
    assert kinds(text) == expected


# 532301198803150027: region, date and length of an ID, but the check character should be 8
MISTYPED_ID = "532301198803150027"
LABELLED = [
    f"身份证号码{MISTYPED_ID}",
    f"身份证号码：{MISTYPED_ID}。",
    f"公民身份号码为{MISTYPED_ID}",
    f"身份证号：{MISTYPED_ID[:6]} {MISTYPED_ID[6:14]} {MISTYPED_ID[14:]}",
    "身份证：53230119880315002x",
]


@pytest.mark.parametrize("text", LABELLED)
def test_id_shape_after_an_id_label_is_an_id_whatever_its_check(text):
    found = redactor.scan_text(text, Policy(names=False))
    assert [(f.kind, f.rule) for f in found] == [("id_card", "id_card.labelled")]
    out = redactor.redact_text(text, Policy(names=False))
    assert "19880315" not in out.replace(" ", "")


def test_id_shape_under_an_id_column_header_is_an_id():
    from redactor.document import Document, Segment
    from redactor.pipeline import Redactor

    doc = Document("x", "text", [Segment(MISTYPED_ID, origin="table", column_header="公民身份号码")])
    assert [f.rule for f in Redactor(Policy(names=False)).scan_document(doc)] == ["id_card.labelled"]


NOT_LABELLED = [
    f"编码{MISTYPED_ID}",                 # no ID label: an organisation's code (check passes)
    f"身份证号码和电话：{MISTYPED_ID}",     # the label is not right before the number
    "身份证号码：5323011988031500",        # 16 digits: not the ID's shape
    "金额1381234.5678元",                  # dots only in the 3-4-4 grouping of a mobile
    "版本号139.1234.5678.1",
]


@pytest.mark.parametrize("text", NOT_LABELLED)
def test_no_personal_id_or_phone_without_its_cue(text):
    assert [k for k in kinds(text) if k[0] in ("id_card", "mobile")] == []
