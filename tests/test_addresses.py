"""Addresses of private persons: label and structure rules, places that are not addresses,
office addresses, and the gazetteer-backed generalisation (keep down to the township)."""
from __future__ import annotations

import pytest

from redactor.detect import gazetteer
from redactor.detect.addresses import AddressDetector
from redactor.detect.base import DetectContext
from redactor.names_mask import generalize_address
from redactor.pipeline import Redactor


@pytest.fixture(scope="module")
def det() -> AddressDetector:
    return AddressDetector()


def found(det: AddressDetector, text: str) -> list[tuple[str, str]]:
    return [(f.text, f.rule) for f in det.detect(text, DetectContext())]


MATCHES = [
    # (text, address, rule)
    ("住址：云南省楚雄彝族自治州楚雄市鹿城镇团结路12号3栋2单元501室，电话略",
     "云南省楚雄彝族自治州楚雄市鹿城镇团结路12号3栋2单元501室", "addresses.label"),
    ("经查，其房屋位于东瓜镇富民村委会大村组25号，", "东瓜镇富民村委会大村组25号", "addresses.label"),
    ("该户东瓜镇富民村委会大村组25号的房屋", "东瓜镇富民村委会大村组25号", "addresses.structure"),
    ("户籍地：楚雄市吕合镇中屯村委会三组。", "楚雄市吕合镇中屯村委会三组", "addresses.label"),
    ("家住镇沅彝族哈尼族拉祜族自治县恩乐镇华山南路230号6栋3单元704室，", "镇沅彝族哈尼族拉祜族自治县恩乐镇华山南路230号6栋3单元704室", "addresses.label"),
    ("住永仁县永兴傣族乡白马河村大麦地组58号", "永仁县永兴傣族乡白马河村大麦地组58号", "addresses.label"),
    ("现住巴中市巴中经济开发区兴文街道鹿城南路粮食局宿舍6幢801号。", "巴中市巴中经济开发区兴文街道鹿城南路粮食局宿舍6幢801号", "addresses.label"),
    ("生前居住于云南省临沧市云县幸福农场幸福农场虚拟生活区2组48号，", "云南省临沧市云县幸福农场幸福农场虚拟生活区2组48号", "addresses.label"),
    ("住海口市琼山区凤翔街道龙江路30号附1号,驾驶", "海口市琼山区凤翔街道龙江路30号附1号", "addresses.label"),
]


@pytest.mark.parametrize("text,address,rule", MATCHES)
def test_addresses_found(det, text, address, rule):
    assert found(det, text) == [(address, rule)]


NOT_ADDRESSES = [
    "楚雄州人民政府召开常务会议",
    "请向鹿城镇人民政府民政办反映",
    "已在高新区门户网站主动公开",
    "龙江路、华山南路等30条道路改造完成",
    "我局执法人员在水塘镇龙江路开展日常检查",
    "东瓜镇富民村委会主任参加会议",
    "办公地址：楚雄市鹿城镇团结路12号",
    "受理地址：镇远县桃源路103号。",
    "隆安县住房和城乡建设局（地址：隆安县高新路164号）。",
    "联系电话：0877-5962340；地址：永靖县鹿城南路24号。",
    "统一社会信用代码：91532301MA6K00000X\n住所：理县环城西路261号\n法定代表人：孙春宇",
    "基础设施欠账较多，兴谷家园社区等偏远村组交通条件较差",
]


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_not_addresses_of_persons(det, text):
    assert found(det, text) == []


GENERALIZE = [
    ("云南省楚雄彝族自治州楚雄市鹿城镇团结路12号3栋2单元501室", "云南省楚雄彝族自治州楚雄市鹿城镇"),
    ("东瓜镇富民村委会大村组25号", "东瓜镇"),
    ("楚雄市吕合镇中屯村委会三组", "楚雄市吕合镇"),
    ("镇沅彝族哈尼族拉祜族自治县恩乐镇华山南路230号", "镇沅彝族哈尼族拉祜族自治县恩乐镇"),
    ("路南镇新村12号", "路南镇"),  # a township whose name holds 路: the gazetteer knows it
]


@pytest.mark.parametrize("address,kept", GENERALIZE)
def test_generalize_keeps_down_to_township(address, kept):
    out = generalize_address(address)
    assert out.startswith(kept)
    assert set(out[len(kept):]) == {"*"}
    assert len(out) == len(address)


def test_gazetteer_tables_load():
    div = gazetteer.divisions()
    assert "云南省" in div.provinces and "楚雄彝族自治州" in div.prefectures and "楚雄州" in div.prefectures
    assert "楚雄市" in div.counties and "鹿城镇" in div.townships and "东瓜镇" in div.townships
    sn = gazetteer.surnames()
    assert {"王", "普", "者", "亓"} <= sn.single and {"欧阳", "司马", "上官"} <= sn.compound


def test_redact_generalizes_by_default():
    text = "申请人住址：云南省楚雄彝族自治州楚雄市鹿城镇团结路12号3栋2单元501室。"
    assert Redactor().redact_text(text) == "申请人住址：云南省楚雄彝族自治州楚雄市鹿城镇***************。"
