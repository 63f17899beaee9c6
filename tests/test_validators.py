"""Validators: each standard's check, with valid and invalid cases."""
import pytest

from redactor.detect import validators as v
from redactor.synth import Synth


@pytest.mark.parametrize(
    "value,ok",
    [
        ("11010519491231002X", True),   # GB 11643 worked example
        ("11010519491231002x", True),   # lowercase x occurs in real files
        ("110105194912310021", False),  # wrong check character
        ("11010519491331002X", False),  # month 13
        ("11010519490230002X", False),  # 30 February
        ("99010519491231002X", False),  # no such region
        ("110105", False),
    ],
)
def test_id18(value, ok):
    assert v.id18(value) is ok


def test_id18_historical_region_code_is_valid():
    # 110103 (崇文区) was abolished in 2010; IDs issued there keep the code.
    assert "110103" in v.region_codes()
    assert v.region_codes()["110103"][1] < 2020
    body = "11010319800101001"
    assert v.id18(body + v.id_check_char(body))


@pytest.mark.parametrize("value,ok", [("110105491231002", True), ("110105491331002", False), ("990105491231002", False)])
def test_id15(value, ok):
    assert v.id15(value) is ok


@pytest.mark.parametrize(
    "value,ok",
    [
        ("91350100M000100Y43", True),   # published GB 32100 example
        ("91350100M000100Y44", False),
        ("91350100M000100I43", False),  # I is not in the alphabet
    ],
)
def test_credit_code(value, ok):
    assert v.credit_code(value) is ok


@pytest.mark.parametrize(
    "value,ok",
    [("6222021234567890127", False), ("4111111111111111", True), ("6212345678901232", True), ("621234567890123", False)],
)
def test_bank_card(value, ok):
    assert v.bank_card(value) is ok


@pytest.mark.parametrize(
    "value,ok",
    [("13812345678", True), ("+8613812345678", True), ("008613812345678", True), ("12812345678", False), ("1381234567", False)],
)
def test_mobile(value, ok):
    assert v.mobile(value) is ok


@pytest.mark.parametrize(
    "value,ok",
    [("01062345678", True), ("087165123456", True), ("0871-1234567".replace("-", ""), False), ("02112345678", False), ("12345", False)],
)
def test_landline(value, ok):
    assert v.landline(value) is ok


@pytest.mark.parametrize("value,ok", [("192.168.1.10", True), ("256.1.1.1", False), ("01.2.3.4", False), ("1.2.3", False)])
def test_ipv4(value, ok):
    assert v.ipv4(value) is ok


def test_synthetic_values_validate():
    s = Synth.seeded(7)
    for _ in range(200):
        assert v.id18(s.id18())
        assert v.id15(s.id15())
        assert v.bank_card(s.bank_card())
        assert v.credit_code(s.credit_code())
