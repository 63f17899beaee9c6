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
    # a community or an estate after a residence cue, no division before it
    ("家住戚家岭社区居民梁某某家正准备吃饭", "戚家岭社区", "addresses.label"),
    ("据家住海湖新区西城名邸的胡先生介绍", "海湖新区西城名邸", "addresses.label"),
    ("不记得年龄，家住新乡市棉厂家属院，午饭后", "新乡市棉厂家属院", "addresses.label"),
    ("调取老人居住的戚家岭社区附近路口的监控", "戚家岭社区", "addresses.label"),
    ("户籍地在涪陵区石沱镇大山村，但系统显示", "涪陵区石沱镇大山村", "addresses.label"),
    # 位于 locates a home when a dwelling is meant
    ("老人从位于奎文区南乐道街农委宿舍的家中出门", "奎文区南乐道街农委宿舍", "addresses.label"),
    ("经现场查看，陶某某位于察哈尔右翼中旗乌素图镇羊房子村箐口组27号的自建房后墙出现裂缝",
     "察哈尔右翼中旗乌素图镇羊房子村箐口组27号", "addresses.label"),
    # a reply mailed to the applicant
    ("以挂号信方式寄往象州县寺村镇大井村七组。", "象州县寺村镇大井村七组", "addresses.label"),
    ("电话：13912345678\n邮寄地址：九江市共青城市茶山街道金沙街103号\n", "九江市共青城市茶山街道金沙街103号", "addresses.label"),
    # the place of a named private person's home
    ("记者来到长安小区居民郎某兰家中看望", "长安小区", "addresses.home"),
    ("记者来到河南兰考付楼村的村民李某菊家中", "河南兰考付楼村", "addresses.home"),
    ("接到群众求助，在大丰区白驹镇新垛村三组王某发家门口有一位老人", "大丰区白驹镇新垛村三组", "addresses.home"),
    # a household's village group filling a cell of a table row
    ("5\t欧阳丹\t女\t71\t甸南镇海虹村委会四组\t三类\n", "甸南镇海虹村委会四组", "addresses.structure"),
    ("| 3 | 靳先 | 男 | 57 | 勐捧镇勐捧社区六组 | 二类 |", "勐捧镇勐捧社区六组", "addresses.structure"),
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
    # a bare division does not locate a home
    "核实到田大爷多年来一直居住在新妙镇侄女家。",
    "民警得知老人名叫张某，家住土山镇，但具体详细地址不知道。",
    "前往其位于新北市林口区住处将其拘提到案",
    "住址：云南省楚雄彝族自治州楚雄市鹿城镇",
    # 位于 a place that is not a home
    "习近平来到位于梅州市梅县区雁洋镇的叶剑英纪念园。",
    "刁窝镇万全庄村位于兰沟洼蓄滞洪区，今年汛期",
    "来到位于黄浦区的半淞园路街道市民新村居民区考察调研。",
    "考察中，来到位于西城区北草厂胡同的吾老新街",
    # the chain does not cross function words or common words
    "前两天，家住北京市西城区白纸坊街道的祖某明在社区的网格群里发布了消息",
    "设山区巡诊车，守住农村居民健康。",
    "中央和地方不断加大对老区扶持力度，河北省、保定市派出驻村工作队，实现对全县",
    "东城区安定门街道、朝阳区三间房地区组织了居民志愿服务",
    "村民毁树 警察都拦不住\n宾川县州城镇老赵村委会的夹夹箐",
    # a village group in a sentence is a community, not one household's address
    "这块名叫跑马坪的荒地升值了。宾川县州城镇蹇街村委会马家院村12组的村民认为这块地",
    # an office's contact address, already masked text
    "县政务服务中心，联系地址：楚雄市鹿城镇团结路12号，联系电话：0878-3121234",
    "住址：鹿城镇某某村某某组",
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


def test_address_column_cell(det):
    from redactor.document import Segment

    seg = Segment("楚雄市吕合镇中屯村委会三组", origin="table", column_header="家庭住址")
    found = [(f.text, f.rule) for f in det.detect(seg.text, DetectContext(segment=seg))]
    assert found == [("楚雄市吕合镇中屯村委会三组", "addresses.column")]
    office = Segment("楚雄市鹿城镇团结路12号", origin="table", column_header="办公地址")
    assert det.detect(office.text, DetectContext(segment=office)) == []


def test_traditional_and_annotated_addresses_map_to_the_original():
    text = "9月17日中秋節當天，在山東省煙臺(tái)市芝罘區(qū)幸福街道福泰社區(qū)102歲老人王某生家"
    (f,) = [f for f in Redactor().scan_text(text) if f.kind == "address"]
    assert f.text == "山東省煙臺(tái)市芝罘區(qū)幸福街道福泰社區(qū)" == text[f.start:f.end]
    out = Redactor().redact_text(text)
    assert "福泰" not in out and out.count("山東省煙臺(tái)市芝罘區(qū)幸福街道") == 1


@pytest.mark.parametrize("text,address,rule", MATCHES)
def test_masked_address_is_not_a_new_address(text, address, rule):
    """The kept division followed by mask characters must not read as an address again
    (the read-back of a copy would refuse the tool's own output)."""
    red = Redactor()
    out = red.redact_text(text)
    assert address not in out
    assert [f.text for f in red.scan_text(out) if f.kind == "address"] == []


def test_redacted_copy_with_an_address_is_written(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("住址：云南省楚雄彝族自治州楚雄市鹿城镇龙江路12号\n", encoding="utf-8")
    rep = Redactor().redact(src, tmp_path / "out" / "a.txt")
    assert rep.verdict == "redact", rep.error
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "住址：云南省楚雄彝族自治州楚雄市鹿城镇******\n"


def test_redact_generalizes_by_default():
    text = "申请人住址：云南省楚雄彝族自治州楚雄市鹿城镇团结路12号3栋2单元501室。"
    assert Redactor().redact_text(text) == "申请人住址：云南省楚雄彝族自治州楚雄市鹿城镇***************。"
