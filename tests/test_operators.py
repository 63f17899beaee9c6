"""Operators and policy: each masking rule, pseudonym consistency, config loading errors."""
import pytest

import redactor
from redactor.errors import ConfigError
from redactor.findings import Finding
from redactor.names_mask import generalize_address, mask_name
from redactor.operators import OPERATORS, OperatorState, preview
from redactor.policy import KindPolicy, Policy


def F(kind, text):
    return Finding(kind, 0, len(text), text, 1.0, "t", "t")


@pytest.mark.parametrize(
    "kind,value,masked",
    [
        ("id_card", "532301198501011234", "532301********1234"),
        ("mobile", "13812345678", "138****5678"),
        ("mobile", "138 1234 5678", "138 **** 5678"),
        ("mobile", "+86 139-1234-5678", "+86 139-****-5678"),
        ("bank_card", "6212345678901232", "************1232"),
        ("email", "zhangsan@example.com", "z*******@example.com"),
        ("ip_address", "192.168.1.10", "192.*.*.*"),
        ("license_plate", "云AD12345", "云A******"),
        ("person", "张三", "张某"),
        ("person", "张三丰", "张某某"),
        ("person", "欧阳修", "欧阳某"),
    ],
)
def test_mask(kind, value, masked):
    assert OPERATORS["mask"](F(kind, value), OperatorState()) == masked


def test_label_and_remove():
    assert OPERATORS["label"](F("id_card", "x"), OperatorState()) == "[身份证号]"
    assert OPERATORS["remove"](F("id_card", "x"), OperatorState()) == ""


def test_pseudonym_is_consistent_within_a_document():
    st = OperatorState()
    a = OPERATORS["pseudonym"](F("mobile", "13812345678"), st)
    b = OPERATORS["pseudonym"](F("mobile", "138 1234 5678"), st)  # same number, other form
    c = OPERATORS["pseudonym"](F("mobile", "13912345678"), st)
    assert a == b == "[手机号1]" and c == "[手机号2]"
    assert OPERATORS["pseudonym"](F("person", "张三"), st) == "张某1"
    assert OPERATORS["pseudonym"](F("person", "张四"), st) == "张某2"


def test_hmac_needs_key_and_is_keyed():
    with pytest.raises(ConfigError):
        OPERATORS["hmac"](F("id_card", "1"), OperatorState())
    a = OPERATORS["hmac"](F("id_card", "11010519491231002X"), OperatorState(hmac_key=b"k1"))
    b = OPERATORS["hmac"](F("id_card", "11010519491231002x"), OperatorState(hmac_key=b"k1"))
    c = OPERATORS["hmac"](F("id_card", "11010519491231002X"), OperatorState(hmac_key=b"k2"))
    assert a == b != c and "11010519491231002X" not in a


def test_generalize():
    assert OPERATORS["generalize"](F("id_card", "532301198501011234"), OperatorState()) == "532301************"
    assert generalize_address("云南省楚雄彝族自治州楚雄市鹿城镇团结路12号3栋2单元501室").startswith("云南省楚雄彝族自治州楚雄市鹿城镇*")
    assert generalize_address("东瓜镇富民村委会大村组25号") == "东瓜镇" + "*" * len("富民村委会大村组25号")


def test_mask_name_forms():
    assert mask_name("李") == "李某"
    assert mask_name("司马相如") == "司马某某"


def test_preview_never_contains_raw_value():
    assert "13812345678" not in preview(F("mobile", "13812345678"))


def test_policy_operator_override_in_api():
    p = Policy(names=False).with_kinds(mobile=KindPolicy(operator="label"))
    assert redactor.redact_text("电话13812345678", p) == "电话[手机号]"


def test_policy_disable_kind():
    p = Policy(names=False).with_kinds(mobile=KindPolicy(enabled=False))
    assert redactor.scan_text("电话13812345678", p) == []


def test_allow_list():
    p = Policy(names=False, allow=("13812345678",))
    assert redactor.scan_text("电话13812345678", p) == []


def test_deny_list_masks_terms():
    p = Policy(names=False, deny=("绝密项目甲",), deny_regex=(r"内部代号\w{2}",))
    assert redactor.redact_text("涉及绝密项目甲和内部代号天河", p) == "涉及*****和******"


def test_config_file(tmp_path):
    cfg = tmp_path / "redactor.toml"
    cfg.write_text('threshold = 0.6\nnames = false\n[kinds.mobile]\noperator = "label"\n', encoding="utf-8")
    p = Policy.from_file(cfg)
    assert p.threshold == 0.6 and p.for_kind("mobile").operator == "label"
    assert redactor.redact_text("电话13812345678", p) == "电话[手机号]"


@pytest.mark.parametrize(
    "body,key",
    [
        ("thresold = 0.5", "thresold"),
        ('[kinds.mobile]\noperator = "blur"', "kinds.mobile.operator"),
        ("[kinds.nosuch]\nenabled = true", "kinds.nosuch"),
        ("threshold = 'high'", "threshold"),
        ("allow_regex = ['(']", "allow_regex"),
    ],
)
def test_config_errors_name_key_and_file(tmp_path, body, key):
    cfg = tmp_path / "redactor.toml"
    cfg.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        Policy.from_file(cfg)
    assert key in str(e.value) and str(cfg) in str(e.value)


def test_pyproject_tool_table(tmp_path):
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text('[project]\nname="x"\n[tool.redactor]\nthreshold = 0.7\n', encoding="utf-8")
    assert Policy.from_file(cfg).threshold == 0.7
