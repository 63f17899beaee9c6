"""A synthetic corpus of realistic address shapes, built by code from the division gazetteer.

Positive cases are homes of private persons in the shapes government documents use (a
residence label, a household's cell in a table of beneficiaries, the home of a named resident,
a house described without a cue); negative cases are the same places as offices, company
premises, bare divisions and sites. The corpus is scored through the pipeline (its text view,
overlaps) with the address detector alone, so that a name rule's error does not count here;
every copy redacted by the full pipeline is read back: no address may be found in it again.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from redactor.detect.addresses import AddressDetector
from redactor.patterns_data import open_pattern_file
from redactor.pipeline import Redactor
from redactor.policy import Policy
from redactor.synth import Synth

VILLAGE_NAMES = "富民 团结 向阳 新华 中屯 大麦地 白马河 石门 龙潭 高坪 马家 李家 茶园 松林 清水 红星 和平 东山 杨柳 新店".split()
ROAD_NAMES = "团结 龙江 人民 解放 建设 文化 鹿城南 华山 兴隆 滨江 永安 公园".split()
ESTATES = ["阳光小区", "锦绣花园", "幸福家园", "金色家园", "粮食局宿舍", "棉纺厂家属院", "翠湖苑", "滨江花园"]
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Division:
    province: str
    prefecture: str
    county: str
    township: str


def _divisions(rng: random.Random, n: int) -> list[Division]:
    names: dict[str, tuple[str, str, str]] = {}
    with open_pattern_file("gazetteer_divisions.tsv") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, level, name, _short, *rest = line.rstrip("\n").split("\t")
            names[f"{level}:{code}"] = (name, rest[0] if rest else "", level)
    towns: dict[str, list[str]] = {}
    with open_pattern_file("gazetteer_townships.tsv") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            county, town = line.rstrip("\n").split("\t")[:2]
            towns.setdefault(county, []).append(town)
    counties = sorted(c for c in towns if f"3:{c}" in names)
    out = []
    while len(out) < n:
        code = rng.choice(counties)
        county, pref_code, _ = names[f"3:{code}"]
        prefecture = names.get(f"2:{pref_code}", ("", "", ""))[0]
        province = names.get(f"1:{pref_code[:2]}0000", ("", "", ""))[0]
        if not (prefecture and province) or prefecture == province:
            continue
        out.append(Division(province, prefecture, county, rng.choice(towns[code])))
    return out


def _prefix(d: Division, rng: random.Random) -> str:
    """How much of the division chain a writer spells out."""
    return rng.choice([
        d.province + d.prefecture + d.county + d.township,
        d.prefecture + d.county + d.township,
        d.county + d.township,
        d.township,
    ])


def _village(rng: random.Random) -> str:
    return rng.choice(VILLAGE_NAMES) + rng.choice(["村", "村委会", "社区", "村民委员会"])


def _group(rng: random.Random) -> str:
    return rng.choice([f"{rng.choice(NUMERALS)}组", f"第{rng.choice(NUMERALS)}村民小组", f"{rng.randint(1, 15)}组"])


def _house(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.4:
        return _village(rng) + _group(rng) + (f"{rng.randint(1, 99)}号" if rng.random() < 0.6 else "")
    if shape < 0.75:
        tail = f"{rng.randint(1, 300)}号"
        if rng.random() < 0.5:
            tail += f"{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元{rng.randint(1, 20)}0{rng.randint(1, 4)}室"
        return rng.choice(ROAD_NAMES) + rng.choice(["路", "街", "巷"]) + tail
    return rng.choice(ESTATES) + f"{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元{rng.randint(1, 20)}0{rng.randint(1, 4)}室"


@dataclass(frozen=True)
class Case:
    text: str
    addresses: tuple[str, ...]  # the homes that must be found, in order
    shape: str


def build_corpus(seed: int = 11, n: int = 160) -> list[Case]:
    rng = random.Random(seed)
    syn = Synth(rng)
    divisions = _divisions(rng, n)
    cases = []
    for i, d in enumerate(divisions):
        name = syn.name()
        home = _prefix(d, rng) + _house(rng)
        kind = i % 12
        if kind == 0:
            cases.append(Case(f"申请人：{name}，男，汉族，住址：{home}。", (home,), "label"))
        elif kind == 1:
            label = rng.choice(["户籍地：", "现住", "家住", "住所地：", "经常居住地：", "家庭住址："])
            cases.append(Case(f"被申请人{name}，{label}{home}，联系电话略。", (home,), "label"))
        elif kind == 2:
            cell = d.township + _village(rng) + _group(rng)
            row = f"{i}\t{name}\t{rng.choice('男女')}\t{rng.randint(20, 90)}\t{cell}\t一类\n"
            cases.append(Case(row, (cell,), "table cell"))
        elif kind == 3:
            place = d.county + d.township + _village(rng)
            cases.append(Case(f"记者来到{place}村民{name}家中，了解春耕情况。", (place,), "home"))
        elif kind == 4:
            house = d.county + d.township + _village(rng) + _group(rng) + f"{rng.randint(1, 99)}号"
            cases.append(Case(f"经查，该户{house}的房屋因暴雨受损。", (house,), "structure"))
        elif kind == 5:
            mail = _prefix(d, rng) + _house(rng)
            cases.append(Case(f"本机关已将答复书邮寄至您提供的地址：{mail}。", (mail,), "label"))
        # negatives: the same places, not a private person's home
        elif kind == 6:
            cases.append(Case(f"办公地址：{d.county}{d.township}{rng.choice(ROAD_NAMES)}路{rng.randint(1, 99)}号", (), "office"))
        elif kind == 7:
            cases.append(Case(f"{d.county}政务服务中心，联系地址：{d.county}{d.township}{rng.choice(ROAD_NAMES)}路"
                              f"{rng.randint(1, 99)}号，联系电话：0878-3121234", (), "office contact"))
        elif kind == 8:
            cases.append(Case(f"名称：{d.county}兴隆商贸有限公司\n住所：{d.county}{d.township}{rng.choice(ROAD_NAMES)}路"
                              f"{rng.randint(1, 99)}号\n法定代表人：{name}", (), "company premises"))
        elif kind == 9:
            cases.append(Case(f"{name}多年来一直住在{d.township}，家住{d.county}{d.township}。", (), "bare division"))
        elif kind == 10:
            cases.append(Case(f"该项目位于{d.county}{d.township}{_village(rng)}，总投资3000万元。", (), "site"))
        else:
            cases.append(Case(f"{d.township}{_village(rng)}{_group(rng)}的村民认为这块地应当收回。", (), "community"))
    return cases


CORPUS = build_corpus()


@pytest.fixture(scope="module")
def scored():
    red = Redactor(Policy())
    red._detectors = [AddressDetector()]
    results = []
    for case in CORPUS:
        found = tuple(f.text for f in red.scan_text(case.text) if f.kind == "address")
        results.append((case, found))
    return results


def test_corpus_has_every_shape():
    shapes = {c.shape for c in CORPUS}
    assert {"label", "table cell", "home", "structure", "office", "company premises", "bare division", "site"} <= shapes
    assert sum(len(c.addresses) for c in CORPUS) >= 70


def test_precision_and_recall(scored):
    gold = sum(len(c.addresses) for c, _ in scored)
    predicted = sum(len(f) for _, f in scored)
    correct = sum(len(set(c.addresses) & set(f)) for c, f in scored)
    misses = [(c.shape, c.text) for c, f in scored if set(c.addresses) - set(f)]
    wrong = [(c.shape, c.text, f) for c, f in scored if set(f) - set(c.addresses)]
    assert correct / gold >= 0.97, misses[:5]
    assert correct / max(1, predicted) >= 0.97, wrong[:5]


def test_every_redacted_copy_reads_back_without_an_address(scored):
    red = Redactor(Policy())
    for case, found in scored:
        if not found:
            continue
        out = red.redact_text(case.text)
        for address in found:
            assert address not in out
        assert [f.text for f in red.scan_text(out) if f.kind == "address"] == [], (case.text, out)
