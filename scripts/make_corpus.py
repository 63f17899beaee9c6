#!/usr/bin/env python3
"""Generate the annotated NER corpus in ``corpora/`` (train / dev / test JSONL).

Deterministic: a fixed seed, no hash()-dependent iteration, sorted gazetteer walks. Run::

    python scripts/make_corpus.py            # writes corpora/{train,dev,test}.jsonl + manifest.json
    python scripts/make_corpus.py --check    # regenerate in memory, fail if files differ

Every text is written by the templates below; every person, identifier and house number is
synthetic (``redactor.synth.Synth`` for identifiers, our own name generator for names).
Place names (province ... village) come from the jionlp 5-level gazetteer (Apache-2.0), read
at generation time from ``../shared/data/gbt2260`` (or ``--gazetteer PATH``); the table is
not copied into the repository.

Line format (one JSON object per line)::

    {"id": "xzcf-0001", "genre": "行政处罚决定书", "text": "...",
     "spans": [{"start": 12, "end": 15, "kind": "person"}, ...]}

Held-out templates: in every template pool, the templates whose index i satisfies
``i % 4 == 3`` are used only in the test split (see ``Pool``); table layouts and renderings
have their own held-out members; some counties, surnames and given-name characters are
test-only too. ``corpora/manifest.json`` lists, per document, the template ids it was built
from, so tests can verify that no held-out template leaks into train/dev.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from redactor.synth import Synth  # noqa: E402

SEED = 20261128
VERSION = 1
DEFAULT_GAZETTEER = ROOT.parent / "shared" / "data" / "gbt2260" / "jionlp_1.5.31_china_location_5level.txt"

SPLIT_SIZES = {  # documents per genre per split: train 600, dev 150, test 200
    "xzcf": (90, 22, 30),
    "gsmd": (90, 23, 30),
    "xxgk": (70, 18, 24),
    "xfdf": (80, 20, 26),
    "tb": (70, 17, 23),
    "pjs": (90, 22, 30),
    "rmtz": (60, 15, 20),
    "zcbg": (50, 13, 17),
}
GENRE_NAMES = {
    "xzcf": "行政处罚决定书",
    "gsmd": "公示名单",
    "xxgk": "政府信息公开申请答复书",
    "xfdf": "信访答复",
    "tb": "通报",
    "pjs": "判决书",
    "rmtz": "任免及领导分工通知",
    "zcbg": "政策报告",
}
KINDS = ("person", "official", "address", "id_card", "mobile", "landline", "bank_card", "email", "license_plate")

# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------
HAN_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文"
    "牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    "亓仝邸冼昝隗逄訾蔺漆佴禹浦盖"
)
# rough frequency profile: the list above is ordered by frequency
HAN_WEIGHTS = [8 if i < 20 else 3 if i < 60 else 1 for i in range(len(HAN_SURNAMES))]
# South-west (Yunnan/Guizhou/Sichuan) surnames, many rare elsewhere
SW_SURNAMES = list("普者字起施番刀岩玉罗杨李自毕茶腊龙陶鲁沙禄杞线召段苏和木左依卯保矣密"
                   "普者字起施番刀罗杨李")
TEST_ONLY_SURNAMES = list("钏苴奎鄢笪")
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯",
                     "长孙", "司徒", "宇文", "独孤", "南宫", "西门", "第五"]
TEST_ONLY_COMPOUND = ["申屠", "闻人", "端木"]
GIVEN_CHARS = list(
    "伟强磊军勇杰涛明超刚辉建华志文国庆德成学兵清林海波鹏飞斌浩宇俊峰龙忠平东贵荣福生祥寿发顺有才富昌兴旺仁义"
    "智信武江山松柏金银春秋元正永长光宏伦家开云旭昊航睿哲轩然博阳芳娜秀英敏静丽艳娟霞萍桂兰玉凤红梅燕琴慧珍莲菊"
    "珠翠琼蓉娇婷雪月晶莉倩颖佳欣怡悦璐思雨妍彤卫红利天晓少子中小新绍朝树立世维继承泽润会先培万和丹丽丽"
)
TEST_ONLY_GIVEN = list("淼骁钰瑾瀚蕾黛珩")
YI_PREFIX = ["吉克", "阿苏", "沙马", "俄木", "海来", "曲比", "阿的", "马海", "吉伍", "勒格", "阿尔", "瓦其", "俄底"]
YI_GIVEN = ["阿牛", "拉则", "曲布", "阿果", "日哈", "木呷", "伍各", "史体", "尔古", "石且", "子哈", "拉格", "友作", "金花", "阿呷", "伍沙"]
DAI_GIVEN = {"岩": list("温罕应坎叫三光保丙庄"), "玉": list("香罕南应坎儿叫金腊旺")}

ETHNIC = ["汉族"] * 8 + ["彝族"] * 4 + ["白族", "哈尼族", "傣族", "苗族", "傈僳族", "回族", "壮族", "布依族",
                                         "纳西族", "拉祜族", "佤族", "瑶族", "藏族", "景颇族"]
EDU = ["小学", "初中", "高中", "中专", "大专", "文盲", "初中肄业"]

# ---------------------------------------------------------------------------------------
# Place vocabulary (invented streets and estates; gazetteer for divisions)
# ---------------------------------------------------------------------------------------
ROADS = ["团结路", "人民中路", "人民南路", "鹿城南路", "龙江路", "建设路", "北京路", "环城西路", "永安路", "兴隆街",
         "文化巷", "华山南路", "高新路", "周家巷", "阳光大道", "太平街", "新华路", "滨河路", "彝人街", "春城路",
         "桃源路", "青年路", "东风路", "解放路", "胜利街", "振兴大道", "紫溪路", "开发区大道", "龙泉路", "金沙街",
         "银杏路", "凤凰路", "学府路", "民族路", "金江路", "和平巷", "光明路", "幸福路", "中山路", "中山北路", "聂耳路",
         "逸夫路", "黄兴路", "王家营路"]
ESTATES = ["阳光花园", "金色家园", "锦绣小区", "龙泉苑", "滨江华府", "翠湖小区", "书香名苑", "福康小区", "紫薇苑",
           "东城丽景", "世纪花园", "和谐家园", "水岸名居", "建工宿舍", "粮食局宿舍", "康居小区"]
NATURAL_VILLAGES = ["大村", "小村", "上村", "下村", "新村", "老村", "大箐", "小河边", "李家村", "中寨", "上寨", "下寨",
                    "凹子", "坡头", "箐口", "大平地", "松树林", "田心", "塘子", "么站", "干海子", "大麦地", "石头寨",
                    "核桃箐", "老鹰岩", "水井湾", "罗家村", "杨家山", "普家村", "白沙河"]
CN_NUM = "一二三四五六七八九十"
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

PROV_ABBR = {"北京市": "京", "天津市": "津", "上海市": "沪", "重庆市": "渝", "河北省": "冀", "山西省": "晋",
             "内蒙古自治区": "内", "辽宁省": "辽", "吉林省": "吉", "黑龙江省": "黑", "江苏省": "苏", "浙江省": "浙",
             "安徽省": "皖", "福建省": "闽", "江西省": "赣", "山东省": "鲁", "河南省": "豫", "湖北省": "鄂", "湖南省": "湘",
             "广东省": "粤", "广西壮族自治区": "桂", "海南省": "琼", "四川省": "川", "贵州省": "黔", "云南省": "云",
             "西藏自治区": "藏", "陕西省": "陕", "甘肃省": "甘", "青海省": "青", "宁夏回族自治区": "宁", "新疆维吾尔自治区": "新"}
PROV_AREA = {"北京市": ["010"], "天津市": ["022"], "上海市": ["021"], "重庆市": ["023"], "河北省": ["0311", "0315"],
             "山西省": ["0351"], "内蒙古自治区": ["0471", "0482"], "辽宁省": ["024", "0411"], "吉林省": ["0431"],
             "黑龙江省": ["0451"], "江苏省": ["025", "0512"], "浙江省": ["0571", "0574"], "安徽省": ["0551"],
             "福建省": ["0591", "0592"], "江西省": ["0791"], "山东省": ["0531", "0532", "0533"], "河南省": ["0371", "0374"],
             "湖北省": ["027"], "湖南省": ["0731"], "广东省": ["020", "0755"], "广西壮族自治区": ["0771", "0773", "0776"],
             "海南省": ["0898"], "四川省": ["028", "0812", "0834", "0836"], "贵州省": ["0851", "0854", "0855", "0859"],
             "云南省": ["0871", "0872", "0873", "0875", "0877", "0878", "0879", "0883", "0886", "0887", "0888", "0691"],
             "西藏自治区": ["0891"], "陕西省": ["029"], "甘肃省": ["0931"], "青海省": ["0971"], "宁夏回族自治区": ["0951"],
             "新疆维吾尔自治区": ["0991"]}
WH_SUFFIX = {"xfdf": ["信复", "信访复", "信访意见"], "tb": ["政办通", "安委办通", "应急通"], "rmtz": ["政任", "政发", "人社任"],
             "xxgk": ["政信公开", "依申请公开", "政公开复"], "xzcf": ["市监罚", "综执罚", "林罚"], "gsmd": ["民公示"],
             "pjs": ["法"], "zcbg": ["政报"]}

PROVINCE_WEIGHTS = {"云南省": 45, "四川省": 10, "贵州省": 10, "广西壮族自治区": 8}


def cnum(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + CN_NUM[n - 11]
    return CN_NUM[n // 10 - 1] + "十" + (CN_NUM[n % 10 - 1] if n % 10 else "")


@dataclass
class County:
    province: str
    city: str  # "" when the city level is omitted (municipalities, 省直辖)
    city_short: str
    name: str
    short: str
    code: str
    townships: list[tuple[str, list[str]]]

    @property
    def held_out(self) -> bool:
        return zlib.crc32((self.code + self.name).encode()) % 6 == 0


def load_gazetteer(path: Path) -> dict[str, list[County]]:
    """province -> counties (with townships and villages), from the jionlp 5-level file."""
    provinces: dict[str, list[County]] = {}
    prov = city = city_short = ""
    county: County | None = None
    town: tuple[str, list[str]] | None = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            depth = len(line) - len(line.lstrip("\t"))
            cols = line.strip("\t").split("\t")
            if depth == 0:
                prov = cols[0]
                provinces.setdefault(prov, [])
            elif depth == 1:
                city = cols[0]
                city_short = cols[2] if len(cols) > 2 else city
                if city == prov or "直辖" in city:
                    city, city_short = "", ""
            elif depth == 2:
                county = County(prov, city, city_short, cols[0], cols[2] if len(cols) > 2 else cols[0],
                                cols[1] if len(cols) > 1 else "", [])
                provinces[prov].append(county)
            elif depth == 3 and county is not None:
                town = (cols[0], [])
                # keep real townships; skip pseudo-levels (区直辖行政区划), farms, parks, prisons
                if re.search(r"(镇|乡|街道|苏木)$", cols[0]) and "直辖" not in cols[0]:
                    county.townships.append(town)
            elif depth == 4 and town is not None:
                town[1].append(cols[0])
    out: dict[str, list[County]] = {}
    for p, cs in provinces.items():
        if p in ("香港", "澳门", "台湾省", "香港特别行政区", "澳门特别行政区"):
            continue
        good = [c for c in cs if c.townships and any(v for _, v in c.townships)
                and len(c.name) >= 2 and c.code.isdigit() and "直辖" not in c.name and "行政区划" not in c.name]
        if good:
            out[p] = good
    return out


# ---------------------------------------------------------------------------------------
# Document builder
# ---------------------------------------------------------------------------------------
PLACEHOLDER = re.compile(r"\{([A-Z_]+)(\d*)\}")
ANNOTATED_PREFIX = {"P": "person", "PF": "person", "O": "official", "A": "address", "H": "address", "ID": "id_card",
                    "M": "mobile", "L": "landline", "B": "bank_card", "E": "email", "V": "license_plate"}


ANNOTATED_PLACEHOLDER = re.compile(r"\{(P|PF|O|A|H|ID|M|L|B|E|V)\d*\}")
PERSON_KEYS = {"P", "PF", "A", "H", "ID", "M", "L", "B", "E", "V", "K", "SEX", "ETH", "EDU", "AGE", "BD", "BM", "BDN"}


class Regenerate(Exception):
    """The instantiation is unusable (e.g. a name also occurs inside a place name): retry."""


@dataclass
class Person:
    name: str
    id_card: str
    sex: str
    birth: tuple[int, int, int]
    ethnic: str
    edu: str
    addr: str = ""
    addr2: str = ""
    mobile: str = ""
    landline: str = ""
    bank: str = ""
    email: str = ""
    plate: str = ""


@dataclass
class Pool:
    """A named list of templates. Indices i % 4 == 3 are held out for the test split."""

    name: str
    items: list

    def held(self, i: int) -> bool:
        return len(self.items) >= 4 and i % 4 == 3


class Ctx:
    def __init__(self, gen: "Generator", split: str, genre: str):
        self.gen = gen
        self.rng = gen.rng
        self.synth = gen.synth
        self.split = split
        self.genre = genre
        self.parts: list[str] = []
        self.spans: list[dict] = []
        self.length = 0
        self.templates: list[str] = []
        self.persons: dict[int, Person] = {}
        self.officials: dict[int, str] = {}
        self.masked: dict[int, str] = {}
        self.vals: dict[str, str] = {}
        self.names_in_doc: set[str] = set()
        self.county = gen.pick_county(split)
        self.year = self.rng.randint(2016, 2025)
        days = sorted(self.rng.sample(range(1, 330), 4))
        self.dates = [self._date(d) for d in days]
        # length-preserving punctuation variants of the literal text (half-width colons,
        # brackets, commas), as found in documents typed in different input methods
        table = {}
        if self.rng.random() < 0.15:
            table.update({"：": ":"})
        if self.rng.random() < 0.1:
            table.update({"（": "(", "）": ")"})
        if self.rng.random() < 0.05:
            table.update({"，": ",", "；": ";"})
        self.punct = str.maketrans(table) if table else None
        r = self.rng.random()
        self.id_style = "fullwidth" if r < 0.04 else "lower" if r < 0.3 else "plain"
        r = self.rng.random()
        self.mobile_style = "spaced" if r < 0.05 else "dashed" if r < 0.08 else "+86" if r < 0.1 else "plain"
        self.long = self.rng.random() < 0.15  # about one document in seven runs to a page
        # tables pad two-character names with an ideographic space (王　伟) to align columns
        self.pad_names = self.rng.random() < 0.2

    # -- basic emission ------------------------------------------------------------------
    def text(self, s: str, literal: bool = True) -> None:
        if literal and self.punct:
            s = s.translate(self.punct)
        self.parts.append(s)
        self.length += len(s)

    def ent(self, s: str, kind: str | None) -> None:
        if kind:
            self.spans.append({"start": self.length, "end": self.length + len(s), "kind": kind})
        self.text(s, literal=False)

    def emit(self, template: str, offset: int = 0) -> None:
        """Append ``template`` with its placeholders filled. ``offset`` renumbers the people
        ({P1} -> person 1 + offset ...), so that independent paragraphs name different people."""
        pos = 0
        for m in PLACEHOLDER.finditer(template):
            self.text(template[pos:m.start()])
            key, n = m.group(1), int(m.group(2) or 1)
            if key in PERSON_KEYS:
                n += offset
            value, kind = self.value(key, n, offset)
            self.ent(value, kind)
            pos = m.end()
        self.text(template[pos:])

    # -- template choice with held-out logic -----------------------------------------------
    def choose_index(self, pool: Pool, exclude: set[int] = frozenset()) -> int:
        idx = [i for i in range(len(pool.items)) if i not in exclude]
        held = [i for i in idx if pool.held(i)]
        normal = [i for i in idx if not pool.held(i)]
        if self.split == "test":
            if held and (self.rng.random() < 0.5 or not normal):
                return self.rng.choice(held)
            return self.rng.choice(normal)
        return self.rng.choice(normal)

    def pick(self, pool: Pool):
        i = self.choose_index(pool)
        self.templates.append(f"{self.genre}.{pool.name}.{i}")
        return pool.items[i]

    def pick_many(self, pool: Pool, k: int) -> list:
        chosen: list[int] = []
        for _ in range(k):
            avail = [i for i in range(len(pool.items)) if i not in chosen and (self.split == "test" or not pool.held(i))]
            if not avail:
                break
            chosen.append(self.choose_index(pool, set(chosen)))
        chosen.sort()
        for i in chosen:
            self.templates.append(f"{self.genre}.{pool.name}.{i}")
        return [pool.items[i] for i in chosen]

    def emit_from(self, pool: Pool) -> None:
        item = self.pick(pool)
        if callable(item):
            item(self)
        else:
            self.emit(item)

    def body_len(self, lo: int, hi: int) -> int:
        """How many body paragraphs: a few, or (in a long document) up to a page."""
        return self.rng.randint(hi + 1, hi + 3) if self.long else self.rng.randint(lo, hi)

    def uses_held_out(self) -> bool:
        """True when the document contains a substantive held-out template (see Generator)."""
        return any(t in self.gen.held_out_substantive for t in self.templates)

    # -- values ----------------------------------------------------------------------------
    def _date(self, day: int) -> tuple[int, int, int]:
        m = min(12, 1 + (day - 1) // 28)
        d = 1 + (day - 1) % 28
        return (self.year, m, d)

    def fmt_date(self, ymd: tuple[int, int, int]) -> str:
        return f"{ymd[0]}年{ymd[1]}月{ymd[2]}日"

    def person(self, n: int, family_of: int | None = None) -> Person:
        """Person ``n`` of this document; with ``family_of``, drawn with that person's surname."""
        if n not in self.persons:
            g = self.gen
            surname = g.family_name_of(self.person(family_of).name) if family_of else None
            name = g.fresh_name(self.split, self.names_in_doc, surname)
            idc = self.synth.id18() if self.rng.random() < 0.93 else self.synth.id18_with_x()
            birth = (int(idc[6:10]), int(idc[10:12]), int(idc[12:14]))
            sex = "男" if int(idc[16]) % 2 else "女"
            p = Person(name, idc, sex, birth, self.rng.choice(ETHNIC), self.rng.choice(EDU))
            p.addr = g.address(self.rng, self.county, self.split)
            p.addr2 = g.address(self.rng, self.county if self.rng.random() < 0.7 else g.pick_county(self.split, near=self.county), self.split)
            p.mobile = self.synth.mobile()
            p.landline = self.synth.landline()
            p.bank = self.synth.bank_card()
            p.email = self.synth.email()
            p.plate = self.synth.license_plate()
            self.persons[n] = p
        return self.persons[n]

    def official(self, n: int) -> str:
        if n not in self.officials:
            self.officials[n] = self.gen.fresh_name(self.split, self.names_in_doc)
        return self.officials[n]

    def masked_name(self, n: int) -> str:
        if n not in self.masked:
            sur = self.gen.surname(self.split)
            form = self.rng.choice(["某", "某某", "某某", "某甲", "某乙", "某1", "某2", "X", "××", "**", "某"])
            v = sur + form
            while v in self.masked.values():
                v = self.gen.surname(self.split) + form
            self.masked[n] = v
        return self.masked[n]

    def value(self, key: str, n: int, offset: int = 0) -> tuple[str, str | None]:
        rng = self.rng
        kind = ANNOTATED_PREFIX.get(key)
        if key == "P":
            return self.person(n).name, kind
        if key == "PF":  # a relative of person 1 sharing the surname (其子, 其父, 家庭成员)
            return self.person(n, family_of=1 + offset).name, kind
        if key == "O":
            return self.official(n), kind
        if key == "A":
            return self.person(n).addr, kind
        if key == "H":
            return self.person(n).addr2, kind
        if key == "ID":
            return self.styled_id(self.person(n).id_card), kind
        if key == "M":
            return self.styled_mobile(self.person(n).mobile), kind
        if key == "L":
            return self.person(n).landline, kind
        if key == "B":
            return self.person(n).bank, kind
        if key == "E":
            return self.person(n).email, kind
        if key == "V":
            return self.person(n).plate, kind
        if key == "K":
            return self.masked_name(n), None
        if key == "SEX":
            return self.person(n).sex, None
        if key == "ETH":
            return self.person(n).ethnic, None
        if key == "EDU":
            return self.person(n).edu, None
        if key == "AGE":
            return str(self.year - self.person(n).birth[0]), None
        if key == "BD":
            return self.fmt_date(self.person(n).birth), None
        if key == "BM":
            y, m, _ = self.person(n).birth
            return f"{y}年{m}月", None
        if key == "BDN":
            y, m, d = self.person(n).birth
            return f"{y}.{m:02d}.{d:02d}", None
        if key == "DATE":
            return self.fmt_date(self.dates[n - 1]), None
        if key == "YEAR":
            return str(self.year), None
        if key == "WH":
            return self.cached("WH", lambda: self.county.short[:2] + rng.choice(WH_SUFFIX[self.genre])), None
        if key == "PA":
            return PROV_ABBR.get(self.county.province, "云"), None
        if key == "CC":
            return self.county.code[2:6], None
        if key == "PYEAR":
            return self.cached(f"PYEAR{n}", lambda: str(self.year - rng.randint(3, 12))), None
        if key == "NO":
            return str(rng.randint(1, 189)), None
        if key == "NUM":
            return str(rng.randint(2, 60)), None
        if key == "AMT":
            return self.cached(f"AMT{n}", lambda: rng.choice([str(rng.randint(100, 9999)), f"{rng.randint(1, 9)},{rng.randint(0, 999):03d}",
                                                               str(rng.randint(2, 50) * 100), f"{rng.randint(100, 5000)}.00"])), None
        if key == "MONEY":  # 万元
            return self.cached(f"MONEY{n}", lambda: f"{rng.randint(12, 9800) / 10:g}"), None
        if key == "PCT":
            return f"{rng.randint(10, 990) / 10:g}", None
        # places (never annotated)
        c = self.county
        if key == "PROV":
            return c.province, None
        if key == "CITY":
            return (c.city or c.province), None
        if key == "CITYS":  # short forms: 楚雄州, 大理州, 昆明市
            return self.city_short(), None
        if key == "CNTY":
            return c.name, None
        if key == "TWN":
            return self.cached(f"TWN{n}", lambda: rng.choice(c.townships)[0]), None
        if key == "VIL":
            return self.cached(f"VIL{n}", self._village), None
        if key == "ROAD":
            return self.cached(f"ROAD{n}", lambda: rng.choice(ROADS)), None
        if key == "OFFADDR":  # office address of a public body: not personal
            return self.cached(f"OFFADDR{n}", lambda: f"{c.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号"), None
        if key == "OFFPHONE":
            def office_phone() -> str:
                area = rng.choice(PROV_AREA.get(c.province, ["0871"]))
                local = rng.randint(2000000, 8999999) if len(area) == 4 else rng.randint(20000000, 89999999)
                return f"{area}-{local}" if rng.random() < 0.85 else f"{area}{local}"
            return self.cached(f"OFFPHONE{n}", office_phone), None
        if key == "ORG":
            return self.cached(f"ORG{n}", lambda: c.name + rng.choice(BUREAUS)), None
        if key == "CO":
            return self.cached(f"CO{n}", lambda: c.short + rng.choice(COMPANY_STEMS) + rng.choice(COMPANY_SUFFIX)), None
        if key == "SHOP":
            return self.cached(f"SHOP{n}", lambda: c.short + rng.choice(ROADS)[:-1] + rng.choice(SHOP_TYPES)), None
        if key == "USCC":
            return self.cached(f"USCC{n}", self.synth.credit_code), None
        if key == "DOCNO":
            return self.cached(f"DOCNO{n}", lambda: f"{c.short[:2]}{rng.choice(['市监', '综执', '农', '林', '交', '卫健', '自然资'])}罚〔{self.year}〕{rng.randint(1, 180)}号"), None
        if key in CHOICES:
            def make():
                v = rng.choice(CHOICES[key])
                return v.replace("{CNTY}", c.name).replace("{VIL}", self._village())
            if key in CHOICE_CACHED:
                return self.cached(f"{key}{n}", make), None
            return make(), None
        if key == "NROWS":
            return self.vals.get("NROWS1", "若干"), None
        raise KeyError(key)

    def styled_id(self, v: str) -> str:
        """Resident IDs as typed in real files: mostly plain; sometimes full-width digits or x."""
        if self.id_style == "fullwidth":
            return v.translate(FULLWIDTH)
        if self.id_style == "lower" and v.endswith("X"):
            return v[:-1] + "x"
        return v

    def styled_mobile(self, v: str) -> str:
        if self.mobile_style == "spaced":
            return f"{v[:3]} {v[3:7]} {v[7:]}"
        if self.mobile_style == "dashed":
            return f"{v[:3]}-{v[3:7]}-{v[7:]}"
        if self.mobile_style == "+86":
            return "+86 " + v
        return v

    def cached(self, key: str, make) -> str:
        if key not in self.vals:
            self.vals[key] = make()
        return self.vals[key]

    def city_short(self) -> str:
        c = self.county
        if not c.city:
            return c.province
        if c.city.endswith("自治州"):
            return c.city_short + "州"
        return c.city

    def _village(self) -> str:
        c = self.county
        for _ in range(20):
            t, vs = self.rng.choice(c.townships)
            if vs:
                return self.rng.choice(vs)
        return self.rng.choice(NATURAL_VILLAGES) + "村"

    def document(self) -> tuple[str, list[dict]]:
        return "".join(self.parts), self.spans


BUREAUS = ["市场监督管理局", "综合行政执法局", "农业农村局", "林业和草原局", "自然资源局", "卫生健康局", "民政局",
           "交通运输局", "人力资源和社会保障局", "住房和城乡建设局", "生态环境分局", "应急管理局", "水务局", "教育体育局"]
COMPANY_STEMS = ["鑫源", "恒达", "宏发", "金沙", "彝乡", "云岭", "兴盛", "顺通", "绿源", "华泰", "嘉禾", "天成"]
COMPANY_SUFFIX = ["商贸有限公司", "建筑工程有限公司", "农业开发有限公司", "运输有限责任公司", "食品有限公司"]
SHOP_TYPES = ["便利店", "小吃店", "农资经营部", "烟酒店", "五金店", "副食店", "餐馆", "药店"]


class Generator:
    def __init__(self, gazetteer: dict[str, list[County]], seed: int = SEED):
        self.rng = random.Random(seed)
        self.synth = Synth(random.Random(seed + 1))
        self.gaz = gazetteer
        self.provinces = sorted(gazetteer)
        self.used_names: dict[str, set[str]] = {"train": set(), "dev": set(), "test": set()}
        self.held_out_ids: set[str] = set()
        # held-out templates that carry annotated values (or a table layout / rendering; in
        # policy reports, a whole paragraph): every test document must use one of these
        self.held_out_substantive: set[str] = set()

    # -- places ------------------------------------------------------------------------------
    def pick_county(self, split: str, near: County | None = None) -> County:
        rng = self.rng
        if near is not None and rng.random() < 0.6:
            prov = near.province
        else:
            weights = [PROVINCE_WEIGHTS.get(p, 1) for p in self.provinces]
            other = sum(1 for p in self.provinces if p not in PROVINCE_WEIGHTS)
            weights = [w if p in PROVINCE_WEIGHTS else 27 / other for p, w in zip(self.provinces, weights)]
            prov = rng.choices(self.provinces, weights)[0]
        counties = self.gaz[prov]
        held = [c for c in counties if c.held_out]
        normal = [c for c in counties if not c.held_out]
        if split == "test" and held and rng.random() < 0.5:
            return rng.choice(held)
        return rng.choice(normal or counties)

    def address(self, rng: random.Random, c: County, split: str) -> str:
        town, villages = rng.choice(c.townships)
        urban = town.endswith("街道") or (town.endswith("镇") and rng.random() < 0.35) or not villages
        if urban:
            r = rng.random()
            if r < 0.4:
                tail = f"{rng.choice(ROADS)}{rng.randint(1, 320)}号{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元{rng.randint(1, 7)}0{rng.randint(1, 4)}室"
            elif r < 0.6:
                tail = f"{rng.choice(ROADS)}{rng.randint(1, 320)}号"
            elif r < 0.85:
                tail = f"{rng.choice(ROADS)}{rng.choice(ESTATES)}{rng.randint(1, 20)}幢{rng.randint(1, 30)}0{rng.randint(1, 6)}号"
            else:
                tail = f"{rng.choice(ROADS)}{rng.randint(1, 99)}号附{rng.randint(1, 9)}号"
        else:
            v = rng.choice(villages)
            if v.endswith("村") and rng.random() < 0.45:
                v += "委会"
            r = rng.random()
            if r < 0.3:
                tail = f"{v}{rng.choice(NATURAL_VILLAGES)}组{rng.randint(1, 88)}号"
            elif r < 0.55:
                tail = f"{v}{cnum(rng.randint(1, 14))}组"
            elif r < 0.7:
                tail = f"{v}第{cnum(rng.randint(1, 12))}村民小组{rng.randint(1, 60)}号"
            elif r < 0.85:
                tail = f"{v}{rng.choice(NATURAL_VILLAGES)}组"
            else:
                tail = f"{v}{rng.randint(1, 12)}组{rng.randint(1, 99)}号"
        r = rng.random()
        city = c.city
        if r < 0.3:
            head = c.province + (city if city else "") + c.name
        elif r < 0.36 and city.endswith("自治州"):
            head = c.city_short + "州" + c.name
        elif r < 0.45 and city:
            head = city + c.name
        elif r < 0.7:
            head = c.name
        else:
            head = ""
        return head + town + tail

    # -- names -----------------------------------------------------------------------------
    def surname(self, split: str) -> str:
        rng = self.rng
        r = rng.random()
        if split == "test" and r < 0.04:
            return rng.choice(TEST_ONLY_SURNAMES)
        if r < 0.2:
            return rng.choice(SW_SURNAMES)
        return rng.choices(HAN_SURNAMES, HAN_WEIGHTS)[0]

    def raw_name(self, split: str) -> str:
        rng = self.rng
        given_pool = GIVEN_CHARS + (TEST_ONLY_GIVEN if split == "test" else [])
        r = rng.random()
        if r < 0.07:  # compound surname, 3 or 4 characters
            pool = COMPOUND_SURNAMES + (TEST_ONLY_COMPOUND if split == "test" else [])
            return rng.choice(pool) + "".join(rng.choice(given_pool) for _ in range(rng.choice([1, 2, 2])))
        if r < 0.11:  # Yi four-character names
            return rng.choice(YI_PREFIX) + rng.choice(YI_GIVEN)
        if r < 0.15:  # Dai names: 岩/玉 + 1-2 characters
            head = rng.choice(["岩", "玉"])
            return head + "".join(rng.choice(DAI_GIVEN[head]) for _ in range(rng.choice([1, 1, 2])))
        sur = self.surname(split)
        n = 1 if rng.random() < 0.22 else 2
        return sur + "".join(rng.choice(given_pool) for _ in range(n))

    def family_name_of(self, name: str) -> str | None:
        """The surname a child would inherit, or None (Yi and Dai names are not inherited this way)."""
        if name[:2] in COMPOUND_SURNAMES or name[:2] in TEST_ONLY_COMPOUND:
            return name[:2]
        if name[:2] in YI_PREFIX or name[0] in "岩玉":
            return None
        return name[0]

    def fresh_name(self, split: str, in_doc: set[str], surname: str | None = None) -> str:
        given_pool = GIVEN_CHARS + (TEST_ONLY_GIVEN if split == "test" else [])
        for _ in range(200):
            if surname:
                name = surname + "".join(self.rng.choice(given_pool) for _ in range(self.rng.choice([1, 2, 2, 2])))
            else:
                name = self.raw_name(split)
            if name in in_doc or len(set(name)) < len(name) - 1:
                continue
            if any(name in other or other in name for other in in_doc):
                continue
            if name.endswith("某") or "某" in name:
                continue
            earlier = {"train": (), "dev": ("train",), "test": ("train", "dev")}[split]
            if any(name in self.used_names[s] for s in earlier):
                continue
            self.used_names[split].add(name)
            in_doc.add(name)
            return name
        raise RuntimeError("could not draw a fresh name")


# ---------------------------------------------------------------------------------------
# Genre templates
# ---------------------------------------------------------------------------------------
CHOICES = {
    "CH": ["政府信息公开申请平台", "信函", "当面", "电子邮件", "{CNTY}人民政府门户网站"],
    "SUBJ": ["2019年以来本村低保评审会议记录", "本人房屋征收补偿安置方案", "某地块征地批复文件及“一书四方案”",
             "村集体经济收支明细", "2021年度农村危房改造补助名单", "{VIL}土地承包经营权确权登记资料",
             "高新区二期规划环评报告", "华山南路改造工程招投标文件", "退耕还林补助资金发放明细"],
    "ISSUE": ["宅基地界线纠纷", "低保评定不公", "拖欠务工工资", "房屋被邻居建房损坏", "土地征收补偿款未足额发放",
              "饮水工程管道破损", "夜市噪音扰民", "承包地被占用", "危房改造补助未到位", "林地权属争议"],
    "REASON": ["宅基地界线", "耕地灌溉用水", "山林权属", "房屋滴水", "借款归还", "牲畜损毁庄稼", "土地流转费"],
    "TOPIC": ["森林草原防灭火", "安全生产", "防汛救灾", "农村低保专项治理", "政务公开", "乡村振兴",
              "食品安全", "道路交通安全", "自建房安全隐患排查"],
    "TIME": ["8时", "10时30分", "14时", "17时20分", "21时", "23时40分", "凌晨2时"],
    "MON": [str(i) for i in range(1, 13)],
    "CNUM": ["一", "二", "三", "四", "五", "六", "八", "十"],
    "QNUM": ["一", "二", "三", "四"],
    "NICK": ["老二", "小黑", "阿三", "黑娃", "大毛"],
    "TAIL": [str(i) for i in range(1000, 10000, 37)],
    "ZIP": ["675000", "675100", "650000", "671000", "655000", "610000", "550000"],
    "GK": ["政信公开", "依申请公开", "政公开复", "公开答"],
    "XF": ["楚信复", "县信访复", "信访答字", "政信复", "信访办复"],
    "OSEX": ["男", "男", "女"],
    "OETH": ["汉族", "汉族", "彝族", "白族", "哈尼族", "傣族", "回族"],
    "OBM": [f"{y}.{m:02d}" for y in range(1965, 1990, 3) for m in (1, 4, 7, 10)],
    "CAT": ["A类", "B类", "C类", "一类", "二类", "三类"],
    "DISAB": ["肢体二级", "视力一级", "智力三级", "精神二级", "听力四级"],
    "RESC": ["因病", "因灾", "因学", "因残", "突发事件"],
    "REL": ["配偶", "子", "女", "母亲", "父亲", "孙子"],
    "NOTE": ["", "", "新增", "续保", "提标"],
    "SITE": ["彝和园安置点", "幸福家园小区", "集镇安置点", "县城安置区"],
    "UNIT": ["人民政府办公室", "应急管理局", "安全生产委员会办公室", "森林草原防灭火指挥部办公室"],
}
CHOICE_CACHED = {"GK", "CH", "SUBJ", "ISSUE", "TOPIC", "XF", "UNIT"}


def P(name: str, items: list) -> Pool:
    return Pool(name, items)


# 行政处罚决定书 -------------------------------------------------------------------------------
XZCF = {
    "head": P("head", [
        "{ORG1}\n行政处罚决定书\n{DOCNO}\n\n",
        "{ORG1}行政处罚决定书\n（{DOCNO}）\n\n",
        "行政处罚决定书\n{DOCNO}\n\n",
        "{ORG1}\n简易程序行政处罚决定书\n编号：{DOCNO}\n\n",
        "{ORG1}\n\n行 政 处 罚 决 定 书\n\n{DOCNO}\n\n",
    ]),
    "party": P("party", [
        "当事人：{P1}\n性别：{SEX1}\n民族：{ETH1}\n出生日期：{BD1}\n身份证号码：{ID1}\n住址：{A1}\n联系电话：{M1}\n",
        "当事人：{P1}，{SEX1}，{ETH1}，{BD1}出生，公民身份号码：{ID1}，住{A1}，联系电话{M1}。\n",
        "当事人名称：{SHOP1}（个体工商户）\n经营者姓名：{P1}\n身份证号：{ID1}\n经营场所：{OFFADDR}\n家庭住址：{A1}\n联系方式：{M1}\n",
        "被处罚人：{P1}（{SEX1}，{AGE1}岁，{ETH1}），户籍地：{A1}，现住{H1}，身份证号{ID1}。\n",
        "当事人：{CO1}\n统一社会信用代码：{USCC}\n住所：{OFFADDR}\n法定代表人：{P1}\n身份证号码：{ID1}\n联系电话：{M1}\n",
        "当事人：{P1}    性别：{SEX1}    出生年月：{BM1}\n民族：{ETH1}    文化程度：{EDU1}\n身份证号码：{ID1}\n现住址：{A1}\n固定电话：{L1}\n",
        "当事人{P1}，{SEX1}，{BDN1}生，{ETH1}，住{A1}，驾驶{V1}号牌车辆，身份证号：{ID1}。\n",
        "当事人：{CO1}，住所地{OFFADDR}，统一社会信用代码{USCC}，法定代表人{P1}，委托代理人{P2}，联系电话{M2}。\n",
        "姓名：{P1}；性别：{SEX1}；身份证件号码：{ID1}；家住{A1}；电话：{M1}。\n",
        "当 事 人：{P1}\n证件号码：{ID1}\n地    址：{A1}\n电子邮箱：{E1}\n",
        "当事人：{P1}，{SEX1}，{AGE1}岁，系{TWN1}村民，家住{A1}，手机号码{M1}。\n",
        "违法行为人：{P1}，身份证号：{ID1}，现住{A1}；机动车号牌：{V1}。\n",
    ]),
    "facts": P("facts", [
        "{DATE1}，我局执法人员在{TWN1}{ROAD1}开展日常检查时发现，当事人{P1}经营的{SHOP1}内存放超过保质期的食品{NUM}袋，执法人员当场予以扣押。",
        "经查，{DATE1}至{DATE2}期间，当事人{P1}在未取得《食品经营许可证》的情况下，在{TWN1}集镇周边从事食品经营活动，违法所得{AMT1}元。",
        "{DATE1}，本机关接到群众{K1}举报，称有人在{TWN1}非法占用林地。经现场勘验，当事人{P1}擅自改变林地用途，面积{NUM}平方米。",
        "上述事实，有现场检查笔录、{P1}的询问笔录、证人{P2}的证言、现场照片{NUM}张等证据为证。",
        "当事人{P1}驾驶{V1}号牌轻型货车于{DATE1}在{CNTY}境内超限运输，经检测车货总重超过限值{NUM}%。",
        "{DATE2}，本机关向当事人送达了《行政处罚告知书》，告知其拟作出行政处罚的事实、理由、依据及其享有的陈述、申辩权利。当事人{P1}在法定期限内未提出陈述申辩。",
        "当事人{P1}在陈述中称，其妻子{P2}患病住院，家庭经济困难，请求从轻处罚。本机关经复核认为，其申辩理由部分成立。",
        "执法人员{O1}、{O2}出示执法证件后依法进行检查，当事人{P1}在场并在现场笔录上签字确认。",
        "经查明，当事人{P1}于{DATE1}在{TWN1}{VIL1}擅自建设砖混结构房屋一栋，占地面积{NUM}平方米，未取得乡村建设规划许可证。",
        "{DATE1}，{TWN1}人民政府移交线索，反映高新区华山南路沿线有人违规倾倒建筑垃圾。经调查，系当事人{P1}雇请{K1}驾驶{V1}号牌车辆所为。",
        "另查明，当事人{P1}曾于{YEAR}年因同类违法行为被本机关警告，属于再次违法。",
        "当事人{P1}已于{DATE3}将罚款{AMT1}元缴至指定账户，其本人名下银行卡号为{B1}。",
        "{DATE1}{TIME}许，执法人员在{ROAD1}与{ROAD2}交叉口查获当事人驾驶的{V1}号牌货车，车上装载未经检疫的生猪{NUM}头，押运人为{P2}（联系电话：{M2}）。",
        "经调查询问，当事人{P1}承认自{YEAR}年起在其位于{H1}的住处周边饲养畜禽，未采取污染防治措施。",
    ]),
    "basis": P("basis", [
        "以上事实违反了《中华人民共和国食品安全法》第三十五条第一款的规定。依据《中华人民共和国食品安全法》第一百二十二条第一款的规定，本机关决定对当事人作出如下行政处罚：\n1.没收违法所得{AMT1}元；\n2.罚款{MONEY1}万元。",
        "当事人的行为违反了《中华人民共和国森林法》第三十九条之规定，依据第七十四条规定，决定责令当事人在{NUM}日内恢复植被，并处罚款{AMT2}元。",
        "鉴于当事人积极配合调查，主动消除违法行为危害后果，依据《中华人民共和国行政处罚法》第三十二条的规定，决定对当事人从轻处罚：罚款人民币{AMT2}元。",
        "根据《中华人民共和国道路交通安全法》第九十二条的规定，决定给予当事人罚款{AMT2}元、记{NUM}分的处罚。",
        "依据《{PROV}乡村建设规划许可管理办法》相关规定，决定责令当事人限期拆除违法建筑，逾期不拆除的，依法强制拆除。",
    ]),
    "tail": P("tail", [
        "\n当事人应当自收到本决定书之日起十五日内，到指定银行缴纳罚款。逾期不缴纳罚款的，每日按罚款数额的百分之三加处罚款。",
        "\n如不服本处罚决定，可以在收到本决定书之日起六十日内向{CNTY}人民政府申请行政复议，或者在六个月内向{CNTY}人民法院提起行政诉讼。",
        "\n当事人逾期不申请行政复议、不提起行政诉讼又不履行本决定的，本机关将依法申请人民法院强制执行。",
        "\n（联系人：{O3}，联系电话：{OFFPHONE}；地址：{OFFADDR}）",
        "\n本决定书一式三份，当事人、执法机关、{TWN1}人民政府各一份。",
    ]),
    "foot": P("foot", [
        "\n\n{ORG1}\n{DATE4}",
        "\n\n{ORG1}（印章）\n{DATE4}\n\n签发人：{O3}",
        "\n\n执法人员：{O1}、{O2}\n{ORG1}\n{DATE4}",
        "\n\n{DATE4}\n（此件依申请公开）",
    ]),
}


def build_xzcf(c: Ctx) -> None:
    c.emit_from(XZCF["head"])
    c.emit_from(XZCF["party"])
    c.text("\n" if c.rng.random() < 0.5 else "")
    for t in c.pick_many(XZCF["facts"], c.body_len(2, 4)):
        c.emit(t)
        c.text("\n" if c.rng.random() < 0.6 else "")
    c.text("\n")
    c.emit_from(XZCF["basis"])
    for t in c.pick_many(XZCF["tail"], c.rng.randint(1, 3)):
        c.emit(t)
    c.emit_from(XZCF["foot"])


# 公示名单 ----------------------------------------------------------------------------------
def col_value(c: Ctx, col: str, i: int) -> tuple[str, str | None]:
    rng = c.rng
    p = c.person(i)
    if c.vals.get("MASKED_TABLE"):  # a list already desensitised before publication: nothing to annotate
        if col in ("name", "sign"):
            return c.masked_name(i), None
        if col == "id":
            return p.id_card[:6] + "********" + p.id_card[14:], None
        if col == "addr":  # generalised to the township, as the default masking does
            return rng.choice(c.county.townships)[0] + rng.choice(["", "", "****", "×××"]), None
        if col == "phone":
            return p.mobile[:3] + "****" + p.mobile[7:], None
        if col == "bank":
            return "************" + p.bank[-4:], None
    if col == "seq":
        return str(i), None
    if col == "name":
        if c.pad_names and len(p.name) == 2:
            return p.name[0] + "\u3000" + p.name[1], "person"
        return p.name, "person"
    if col == "sex":
        return p.sex, None
    if col == "age":
        return str(c.year - p.birth[0]), None
    if col == "eth":
        return p.ethnic, None
    if col == "bm":
        return f"{p.birth[0]}.{p.birth[1]:02d}", None
    if col == "id":
        return c.styled_id(p.id_card), "id_card"
    if col == "idmask":
        return (p.id_card[:6] + "********" + p.id_card[14:]) if rng.random() < 0.5 else (p.id_card[:10] + "****" + p.id_card[14:]), None
    if col == "addr":
        return p.addr, "address"
    if col == "vil":
        return c._village(), None
    if col == "town":
        return rng.choice(c.county.townships)[0], None
    if col == "amount":
        return rng.choice([str(rng.randint(3, 120) * 10), f"{rng.randint(100, 3000)}.00", str(rng.randint(200, 9000))]), None
    if col == "phone":
        return (c.styled_mobile(p.mobile), "mobile") if rng.random() < 0.85 else (p.landline, "landline")
    if col == "bank":
        return p.bank, "bank_card"
    if col == "count":
        return str(rng.randint(1, 6)), None
    if col == "cat":
        return rng.choice(CHOICES["CAT"]), None
    if col == "disab":
        return rng.choice(CHOICES["DISAB"]), None
    if col == "resc":
        return rng.choice(CHOICES["RESC"]), None
    if col == "rel":
        return ("户主" if i == 1 or rng.random() < 0.3 else rng.choice(CHOICES["REL"])), None
    if col == "note":
        return rng.choice(CHOICES["NOTE"]), None
    if col == "area":
        return f"{rng.randint(5, 120) / 10:g}", None
    if col == "site":
        return rng.choice(CHOICES["SITE"]), None
    if col == "sign":
        return p.name, "person"
    raise KeyError(col)


GS_LAYOUTS = P("layout", [
    [("序号", "seq"), ("姓名", "name"), ("性别", "sex"), ("身份证号码", "id"), ("家庭住址", "addr"), ("金额", "amount")],
    [("序号", "seq"), ("户主姓名", "name"), ("村（社区）", "vil"), ("保障人口", "count"), ("保障金额（元）", "amount")],
    [("序号", "seq"), ("姓名", "name"), ("身份证号", "idmask"), ("联系电话", "phone"), ("家庭住址", "addr"), ("补贴金额", "amount")],
    [("编号", "seq"), ("申请人", "name"), ("性别", "sex"), ("年龄", "age"), ("住址", "addr"), ("类别", "cat")],
    [("序号", "seq"), ("户主", "name"), ("家庭成员", "members"), ("所在村", "vil"), ("银行账号", "bank"), ("补助标准", "amount")],
    [("序号", "seq"), ("乡镇", "town"), ("村委会", "vil"), ("户主姓名", "name"), ("保障类别", "cat"), ("月保障金", "amount")],
    [("序号", "seq"), ("姓名", "name"), ("民族", "eth"), ("出生年月", "bm"), ("残疾类别", "disab"), ("补贴金额（元）", "amount")],
    [("序号", "seq"), ("姓 名", "name"), ("身份证号码", "id"), ("一卡通账号", "bank"), ("住 址", "addr"), ("金额（元）", "amount"), ("备注", "note")],
    [("序号", "seq"), ("姓名", "name"), ("与户主关系", "rel"), ("身份证号", "idmask"), ("家庭住址", "addr")],
    [("序号", "seq"), ("姓名", "name"), ("性别", "sex"), ("居住地址", "addr"), ("联系电话", "phone"), ("救助金额", "amount"), ("救助事由", "resc")],
    [("序号", "seq"), ("户主", "name"), ("人口", "count"), ("补贴面积（亩）", "area"), ("补贴金额", "amount"), ("领款人签字", "sign")],
    [("序号", "seq"), ("姓名", "name"), ("性别", "sex"), ("身份证号码", "id"), ("户籍地址", "addr"), ("安置点", "site"), ("联系电话", "phone")],
])
GS_RENDER = P("render", ["tab", "markdown", "spaces", "list", "pipes"])
GS = {
    "title": P("title", [
        "{TWN1}{YEAR}年第{QNUM}季度农村最低生活保障对象公示名单",
        "{CNTY}{YEAR}年城乡居民临时救助对象公示",
        "关于{VIL1}{YEAR}年度脱贫户产业发展补助资金发放情况的公示",
        "{TWN1}{YEAR}年耕地地力保护补贴发放花名册（公示）",
        "{CNTY}{YEAR}年度特困供养人员名单公示",
        "{TWN1}{YEAR}年农村危房改造补助对象公示",
        "{CNTY}{YEAR}年残疾人两项补贴拟享受对象公示表",
        "{TWN1}{VIL1}{YEAR}年易地扶贫搬迁对象公示名单",
    ]),
    "intro": P("intro", [
        "根据《社会救助暂行办法》及{PROV}有关规定，经个人申请、村（居）民委员会入户调查、民主评议，乡镇人民政府审核，现将拟纳入保障的对象予以公示。公示期为{DATE1}至{DATE2}。",
        "公示期间，如有异议，请向{TWN1}人民政府民政办反映，监督电话：{OFFPHONE}；也可拨打12345政务服务便民热线。",
        "经村民代表大会评议，以下{NROWS}户符合补助条件，现予公示，接受群众监督。",
        "现将{YEAR}年度补贴发放情况公示如下（单位：元）：",
        "按照“应保尽保、应退尽退”原则，现将{TWN1}动态调整情况公布如下：",
        "公示内容不涉及家庭收入、财产等信息。举报电话：{OFFPHONE}，受理地址：{OFFADDR}。",
        "本次公示对象共{NROWS}人，补助资金全部通过“一卡通”发放至本人账户。",
        "请广大群众相互监督，公示无异议后报{CNTY}民政局审批。",
        "公示期间，欢迎群众相互监督、如实反映，{TWN1}人民政府将及时调查核实。",
    ]),
    "foot": P("foot", [
        "\n{TWN1}人民政府\n{DATE3}",
        "\n制表人：{O1}    审核人：{O2}\n{DATE3}",
        "\n{VIL1}村民委员会（盖章）\n{DATE3}",
        "\n监督电话：{OFFPHONE}（{TWN1}民政办）  {CNTY}民政局监督电话：{OFFPHONE2}",
        "\n{CNTY}民政局\n{TWN1}人民政府\n{DATE3}",
    ]),
}


def build_gsmd(c: Ctx) -> None:
    rng = c.rng
    nrows = rng.randint(4, 14) if not c.long else rng.randint(15, 30)
    c.vals["NROWS1"] = str(nrows)
    if rng.random() < 0.1:
        c.vals["MASKED_TABLE"] = "1"
    c.emit_from(GS["title"])
    c.text("\n")
    for t in c.pick_many(GS["intro"], rng.randint(1, 3)):
        c.emit(t)
        c.text("\n")
    layout = c.pick(GS_LAYOUTS)
    render = c.pick(GS_RENDER)
    if render == "list":
        c.pad_names = False  # padding only aligns table columns
    headers = [h for h, _ in layout]
    rows = []
    for i in range(1, nrows + 1):
        row = []
        for _, col in layout:
            if col == "members":
                k = rng.randint(0, 3)
                cells = []
                for j in range(k):
                    if c.vals.get("MASKED_TABLE"):
                        cells.append((c.masked_name(100 + 10 * i + j), None))
                    else:
                        fam = i if rng.random() < 0.6 else None
                        cells.append((c.person(100 + 10 * i + j, family_of=fam).name, "person"))
                row.append(cells or [("无", None)])
            else:
                row.append([col_value(c, col, i)])
        rows.append(row)

    def emit_cell(cell: list) -> None:
        for j, (txt, kind) in enumerate(cell):
            if j:
                c.text("、")
            c.ent(txt, kind)

    if render in ("tab", "spaces", "pipes", "markdown"):
        sep = {"tab": "\t", "spaces": "  ", "pipes": " | ", "markdown": " | "}[render]
        pre, post = ("| ", " |") if render == "markdown" else ("", "")
        c.text(pre + sep.join(headers) + post + "\n")
        if render == "markdown":
            c.text("|" + "|".join(" --- " for _ in headers) + "|\n")
        for row in rows:
            c.text(pre)
            for j, cell in enumerate(row):
                if j:
                    c.text(sep)
                emit_cell(cell)
            c.text(post + "\n")
    else:  # list
        for row in rows:
            for j, (cell, h) in enumerate(zip(row, headers)):
                if j == 0:
                    c.ent(cell[0][0], cell[0][1])
                    c.text(". ")
                    continue
                if j > 1:
                    c.text("，")
                c.text(h.replace(" ", "") + "：")
                emit_cell(cell)
            c.text("。\n")
    c.emit_from(GS["foot"])


# 政府信息公开申请答复书 ------------------------------------------------------------------------
XXGK = {
    "head": P("head", [
        "{ORG1}\n政府信息公开申请答复书\n{WH}〔{YEAR}〕{NO}号\n\n",
        "政府信息公开申请答复书\n\n",
        "{CNTY}人民政府办公室\n关于政府信息公开申请的答复\n\n",
        "{ORG1}政府信息公开告知书\n（{YEAR}）第{NO}号\n\n",
    ]),
    "salute": P("salute", [
        "{P1}：\n",
        "{P1}先生/女士：\n",
        "申请人：{P1}\n身份证号码：{ID1}\n通讯地址：{A1}\n联系电话：{M1}\n\n",
        "申请人{P1}（身份证号：{ID1}）：\n",
        "申请人：{P1}，{SEX1}，{ETH1}，住{A1}，电子邮箱{E1}。\n",
        "{P1}、{P2}：\n",
        "申请人姓名：{P1}    联系电话：{M1}\n邮寄地址：{A1}\n",
        "尊敬的{P1}：\n",
        "申请人：{P1}\n联系电话：{L1}（宅）  {M1}（手机）\n通讯地址：{A1}\n\n",
    ]),
    "receipt": P("receipt", [
        "本机关于{DATE1}收到您通过{CH}提交的政府信息公开申请，申请获取“{SUBJ}”。",
        "您于{DATE1}以信函方式向本机关提出政府信息公开申请，要求公开{SUBJ}。本机关已于当日登记受理。",
        "{DATE1}，本机关收到申请人{P1}提交的《政府信息公开申请表》，申请公开{SUBJ}。",
        "你于{DATE1}通过{CNTY}人民政府门户网站依申请公开栏目提出申请，内容为：“请求公开{TWN1}{SUBJ}”。",
        "本机关已收到您的政府信息公开申请（登记号：{YEAR}{NO}），所需信息为：{SUBJ}。",
        "您在申请中称，您系{TWN1}村民，因房屋被征收，需了解{SUBJ}。",
    ]),
    "answer": P("answer", [
        "经审查，您申请公开的信息属于本机关公开职责范围，现将{SUBJ}复印件提供给您（见附件）。",
        "经检索，本机关未制作或获取您申请的信息，根据《中华人民共和国政府信息公开条例》第三十六条第（四）项的规定，告知您该政府信息不存在。",
        "您申请的信息中涉及第三方{K1}的个人隐私，经书面征求第三方意见，第三方不同意公开。依据《条例》第十五条、第三十二条之规定，本机关决定不予公开。",
        "您申请的补偿安置名册中含有{P2}、{P3}等{NUM}户被征收人的身份证号码、银行账号等个人信息，本机关已作区分处理后予以公开。",
        "经查，您所申请的信息属于{TWN1}人民政府职责权限范围，建议您向{TWN1}人民政府申请获取，联系电话：{OFFPHONE}。",
        "经核实，申请人{P1}与{P2}之间的土地承包经营权纠纷已由{TWN1}人民调解委员会调解结案，相关调解书可向该委员会查阅。",
        "根据《条例》第四十二条规定，本次答复不收取信息处理费。",
        "您申请公开的房屋征收补偿协议系您本人（{P1}）与{CO1}签订，依据《条例》第三十六条第（二）项，现予以公开。",
        "您申请的信息已在{CNTY}人民政府门户网站“政府信息公开”专栏主动公开，您可登录高新区门户网站或县政府网站自行查阅。",
        "您申请的信息系{ORG2}内部事务信息，根据《条例》第十六条第一款，不属于应当公开的政府信息。",
    ]),
    "deliver": P("deliver", [
        "本答复书通过邮政EMS寄送至您提供的地址：{A1}（邮编{ZIP}）。",
        "本答复书已通过电子邮件发送至{E1}，请注意查收。",
        "如需进一步了解，请与本机关联系。联系人：{O1}；联系电话：{OFFPHONE}；地址：{OFFADDR}。",
        "如对本答复不服，可以在收到本答复书之日起60日内向{CITY}人民政府申请行政复议，或者在6个月内向{CNTY}人民法院提起行政诉讼。",
        "特此告知。",
        "本答复书由工作人员{O2}电话告知后（{M1}）以挂号信方式寄往{H1}。",
    ]),
    "foot": P("foot", [
        "\n\n{ORG1}\n（政府信息公开专用章）\n{DATE2}",
        "\n\n{ORG1}\n{DATE2}",
        "\n\n{CNTY}人民政府办公室\n{DATE2}\n（联系人：{O3}，电话：{OFFPHONE}）",
    ]),
}


def build_xxgk(c: Ctx) -> None:
    c.emit_from(XXGK["head"])
    c.emit_from(XXGK["salute"])
    c.emit_from(XXGK["receipt"])
    c.text("" if c.rng.random() < 0.5 else "\n")
    c.text("现答复如下：\n" if c.rng.random() < 0.6 else "")
    for t in c.pick_many(XXGK["answer"], c.body_len(1, 3)):
        c.emit(t)
        c.text("\n")
    for t in c.pick_many(XXGK["deliver"], c.rng.randint(1, 3)):
        c.emit(t)
        c.text("\n" if c.rng.random() < 0.7 else "")
    c.emit_from(XXGK["foot"])


# 信访答复 ----------------------------------------------------------------------------------
XFDF = {
    "head": P("head", [
        "信访事项处理意见书\n{WH}〔{YEAR}〕{NO}号\n\n",
        "关于{P1}信访事项的答复意见\n\n",
        "{ORG1}\n信访事项答复意见书\n\n",
        "{TWN1}人民政府\n信访事项处理意见书\n\n",
        "",
    ]),
    "intro": P("intro", [
        "{P1}：\n您于{DATE1}到{ORG1}来访，反映{ISSUE}的问题，本机关已依法受理。现答复如下：\n",
        "信访人：{P1}，{SEX1}，{AGE1}岁，{ETH1}，住{A1}，联系电话：{M1}。\n信访人于{DATE1}通过网上信访平台反映：{ISSUE}。\n",
        "{P1}同志：\n你于{DATE1}通过12345政务服务便民热线反映{ISSUE}一事，收悉。\n",
        "信访人{P1}（身份证号：{ID1}），家住{A1}。{DATE1}，信访人到{CNTY}信访局来访，反映{ISSUE}问题。\n",
        "{P1}、{P2}：\n你们于{DATE1}联名来信反映{ISSUE}问题，我们高度重视。\n",
        "信访人：{P1}    联系方式：{M1}\n住址：{A1}\n信访事项：{ISSUE}\n\n",
        "{P1}女士/先生：\n您于{DATE1}写给{CITYS}领导的信已转我局办理。\n",
        "来信人{P1}，现住{H1}，于{DATE1}来信反映其与{P2}之间的{ISSUE}问题。\n",
        "信访人：{P1}，联系电话：{L1}，住{A1}。\n{DATE1}，{P1}到{TWN1}人民政府反映{ISSUE}。\n",
    ]),
    "invest": P("invest", [
        "经调查，{P1}与邻居{P2}系同村村民，双方因宅基地界线问题发生纠纷已有{NUM}年。{DATE2}，{TWN1}人民调解委员会组织双方调解，{P2}同意退让，{P1}不同意。",
        "{TWN1}党委政府高度重视，成立由分管领导{O1}任组长的调查组，先后{NUM}次深入{VIL1}走访核实。",
        "经查，村民{P1}向镇政府反映，其与{P3}因{REASON}发生纠纷，{P3}拖欠费用{AMT1}元至今未付。",
        "据村民小组长{O2}介绍，{P1}家于{YEAR}年申请危房改造，因其家庭成员{PF7}名下有商品房一套，不符合补助条件。",
        "调查组调取了{P1}提供的{CNTY}人民医院出院证明及{K1}的证人证言，经比对，您反映的情况基本属实。",
        "关于您反映{ROAD1}周边夜市噪音扰民的问题，{CNTY}综合行政执法局已于{DATE2}约谈经营者，并规定了营业时间。",
        "经核实，您之子{PF8}已于{DATE2}被纳入农村最低生活保障范围，月保障金{AMT1}元，由{TWN1}民政所按月发放至其一卡通账户{B8}。",
        "另，您反映的村民{P9}侵占集体林地一事，经{CNTY}林业和草原局现场勘验，不存在侵占情况。",
        "{DATE2}，{TWN1}派出所民警{O3}对{P1}与{P3}的纠纷进行调处，双方签订了调解协议。",
        "经查阅档案，{P1}（{BM1}出生）于{YEAR}年从外地迁回，户籍地为{H1}，符合相关优待政策。",
        "{P1}反映的其父{PF10}（已故）生前承包的{NUM}亩耕地被{K2}占用一事，经{TWN1}农经站核实，该地块已于{YEAR}年依法流转。",
        "{CNTY}人力资源和社会保障局于{DATE2}责令{CO1}支付{P1}等{NUM}名农民工工资{AMT1}元，目前已全部兑付。",
        "{P1}家的耕牛闯入{P2}承包的玉米地，双方发生争执，{P2}之妻{P11}在推搡中受伤。",
        "{O5}镇长主持召开协调会，{P1}、{P2}双方及村委会主任{O6}参加，{P2}同意赔偿{AMT2}元。",
        "经现场查看，{P1}位于{H1}的自建房后墙出现裂缝，系{P2}家建房开挖地基所致。",
        "据{P1}讲述，{PYEAR}年{P12}以介绍工作为名，先后向其借款{AMT2}元，{P12}现住{A12}，电话{L12}。",
    ]),
    "opinion": P("opinion", [
        "综上，您反映的问题部分属实。处理意见：由{TWN1}人民政府督促相关当事人在{NUM}日内整改到位。",
        "根据《信访工作条例》第三十二条的规定，您的诉求缺乏政策依据，不予支持。",
        "如对本处理意见不服，可自收到本意见书之日起30日内向{CNTY}人民政府书面申请复查。",
        "感谢您对我县工作的关心和支持！",
        "（联系人：{O4}，电话：{OFFPHONE}）",
        "请您依法理性表达诉求，共同维护良好的信访秩序。",
    ]),
    "foot": P("foot", [
        "\n\n{ORG1}\n{DATE3}",
        "\n\n{TWN1}人民政府\n{DATE3}",
        "\n\n{CNTY}信访局（代章）\n{DATE3}",
    ]),
}


def build_xfdf(c: Ctx) -> None:
    c.emit_from(XFDF["head"])
    c.emit_from(XFDF["intro"])
    for t in c.pick_many(XFDF["invest"], c.body_len(2, 4)):
        c.emit(t)
        c.text("\n" if c.rng.random() < 0.5 else "")
    c.text("\n")
    for t in c.pick_many(XFDF["opinion"], c.rng.randint(1, 3)):
        c.emit(t)
    c.emit_from(XFDF["foot"])


# 通报 -------------------------------------------------------------------------------------
TB = {
    "head": P("head", [
        "关于{TOPIC}有关情况的通报\n\n各乡（镇）人民政府，县直各单位：\n",
        "{CNTY}{UNIT}\n关于近期{TOPIC}典型案例的通报\n\n",
        "{CNTY}人民政府办公室关于{TOPIC}工作情况的通报\n{WH}〔{YEAR}〕{NO}号\n\n各乡镇人民政府，县直各部门：\n",
        "通  报\n（第{NO}期）\n{CNTY}{UNIT}    {DATE1}\n\n",
    ]),
    "lead": P("lead", [
        "近期，我县发生多起{TOPIC}方面的问题，暴露出部分乡镇和部门责任落实不到位。现将有关情况通报如下：\n",
        "为进一步加强{TOPIC}工作，根据{CITYS}统一部署，县{UNIT}于{DATE1}至{DATE2}组织开展了专项督查。现将督查情况通报如下：\n",
        "{YEAR}年以来，全县{TOPIC}形势总体平稳，但个别地方仍存在麻痹思想。现将典型案例通报如下：\n",
        "",
    ]),
    "case": P("case", [
        "{DATE1}{TIME}许，{TWN1}村民{P1}（{SEX1}，{AGE1}岁）驾驶{V1}号牌三轮摩托车在{ROAD1}与{P2}驾驶的{V2}号牌小型轿车相撞，造成{P1}受伤。",
        "{DATE1}，{TWN1}{VIL1}发生一起森林火情，系村民{P1}在地边烧荒引发，过火面积约{NUM}亩。{P1}已被公安机关依法刑事拘留。",
        "经查，{CO1}法定代表人{P1}在未取得施工许可的情况下组织施工，{DATE1}发生一起高处坠落事故，造成工人{P2}（{ETH2}，{AGE2}岁，家住{A2}）死亡。",
        "{TWN1}干部{O1}在防汛工作中冲锋在前，连续{NUM}天坚守一线，转移群众{NUM}人，予以通报表扬。",
        "{DATE2}，{CNTY}公安局交警大队在{ROAD1}查获{P3}醉酒驾驶{V3}号牌机动车，血液酒精含量为{NUM}0mg/100ml。",
        "{K1}、{K2}等{NUM}人在{TWN1}集镇聚众赌博，已被依法处理。",
        "经核查，{TWN1}村民{P1}冒领其已故母亲{P2}的养老保险待遇{NUM}个月共计{AMT1}元，现已全部追回。",
        "{DATE1}，{P1}（身份证号{ID1}）在{TWN1}{VIL1}违规使用明火，{CNTY}应急管理局依法对其处以罚款{AMT1}元。",
        "被困群众{P1}、{P2}夫妇及其子{PF3}被安全转移至{TWN1}中心学校安置点。",
        "{DATE2}，{TWN1}居民{P4}（住{A4}，联系电话{M4}）家中自建房发生墙体开裂，{TWN1}人民政府及时组织人员撤离。",
        "{DATE1}，{TWN1}党委书记{O3}带队走访慰问了脱贫户{P1}、{P2}，详细询问其家庭收入情况。",
        "{P1}一家五口住在{A1}，因病致贫，{PYEAR}年被识别为建档立卡贫困户，其子{PF5}在外务工。",
        "{CNTY}公安局民警{O4}、辅警{O5}在巡逻中发现{P1}倒卧路边，及时将其送医，并通知其女儿{PF6}。",
        "在督查中发现，{TWN2}对辖区内{NUM}户自建房底数不清，对周边高边坡隐患未建立台账。",
        "{TWN1}民政所工作人员{O2}在低保审核中优亲厚友，将其亲属{P1}违规纳入保障范围，已被给予党内警告处分。",
    ]),
    "demand": P("demand", [
        "各乡镇要落实属地责任，严格执行“一户一档”，确保不发生类似事件。",
        "请各单位于{DATE3}前将排查情况报{ORG1}，联系人：{O3}，联系电话：{OFFPHONE}。",
        "各部门要举一反三，深入开展周边隐患排查，对高新区、工业园区内的企业开展全覆盖检查。",
        "对工作不力、造成严重后果的，将依规依纪严肃追责问责。",
        "通报中涉及的{K3}、{K4}两户，已由{TWN1}人民政府纳入重点监测对象。",
    ]),
    "foot": P("foot", [
        "\n\n{CNTY}{UNIT}\n{DATE4}",
        "\n\n{DATE4}",
        "\n\n抄送：{CITYS}{UNIT}。\n{CNTY}人民政府办公室    {DATE4}印发",
    ]),
}


def build_tb(c: Ctx) -> None:
    c.emit_from(TB["head"])
    c.emit_from(TB["lead"])
    cases = c.pick_many(TB["case"], c.body_len(2, 4))
    c.rng.shuffle(cases)
    style = c.rng.randrange(4)
    for k, t in enumerate(cases, 1):
        c.text([f"{cnum(k)}、", f"（{cnum(k)}）", f"{k}.", ""][style])
        c.emit(t, offset=10 * (k - 1))
        c.text("\n")
    for t in c.pick_many(TB["demand"], c.rng.randint(1, 3)):
        c.emit(t)
        c.text("\n" if c.rng.random() < 0.5 else "")
    c.emit_from(TB["foot"])


# 判决书 -----------------------------------------------------------------------------------
PJS_CRIM = {
    "chead": P("chead", [
        "{CNTY}人民法院\n刑事判决书\n（{YEAR}）{PA}{CC}刑初{NO}号\n\n",
        "{CITY}中级人民法院\n刑事裁定书\n（{YEAR}）{PA}{CC}刑终{NO}号\n\n",
        "{CNTY}人民法院\n刑 事 判 决 书\n\n",
        "",
    ]),
    "cparty": P("cparty", [
        "公诉机关{CNTY}人民检察院。\n被告人{P1}，{SEX1}，{ETH1}，{BM1}出生，{EDU1}文化，农民，户籍地{A1}，现住{H1}。因涉嫌犯盗窃罪于{DATE1}被{CNTY}公安局刑事拘留。\n",
        "被告人{P1}，曾用名{P5}，{SEX1}，{BD1}生于{CNTY}，{ETH1}，{EDU1}文化，无业，住{A1}。\n",
        "上诉人（原审被告人）{P1}，{SEX1}，{BM1}出生，{ETH1}，户籍所在地{A1}。\n",
        "被告人：{P1}，{SEX1}，{ETH1}，{BDN1}生，身份证号码{ID1}，住{A1}。\n辩护人{K1}，{CITY}某律师事务所律师。\n",
        "罪犯{P1}，{SEX1}，{BM1}出生，{ETH1}，原户籍地{A1}，现在{CITY}监狱服刑。\n",
        "被告人{P1}，{SEX1}，{ETH1}，{BM1}出生，小学文化，住{A1}。{PYEAR}年因犯故意伤害罪被判处有期徒刑一年。\n",
        "被告人{P1}（绰号“{NICK}”），{SEX1}，{AGE1}岁，{ETH1}，家住{A1}，公民身份号码：{ID1}。\n",
        "附带民事诉讼原告人{P2}，{SEX2}，{ETH2}，住{A2}，系被害人{P6}之父。\n被告人{P1}，{SEX1}，{BM1}出生，住{A1}。\n",
    ]),
    "cfacts": P("cfacts", [
        "经审理查明：{DATE2}晚，被告人{P1}在{TWN1}{ROAD1}一烧烤店内与被害人{P2}因琐事发生口角，后{P1}持啤酒瓶击打{P2}头部，致{P2}轻伤二级。",
        "被害人{P2}陈述：{DATE2}晚其在家中休息时，听到{P1}在门外叫骂，随后{P1}踢开院门将其打伤，邻居{P7}闻声赶来劝阻。",
        "{DATE2}凌晨，被告人{P1}伙同{K2}（另案处理）窜至{TWN1}村民{P3}家中，盗走现金{AMT1}元。",
        "案发后，被告人{P1}的亲属{P4}代为赔偿被害人{P2}经济损失{AMT1}元，取得{P2}的谅解。",
        "另查明，被告人{P1}于{PYEAR}年因犯盗窃罪被判处有期徒刑{CNUM}年，刑满释放后五年内又犯罪，系累犯。",
        "上述事实，有被害人{P2}的陈述，证人{P3}、{K3}的证言，现场勘验检查笔录，被告人{P1}的供述与辩解等证据证实，足以认定。",
        "被告人{P1}驾驶{V1}号牌小型普通客车沿{ROAD1}由东向西行驶，与行人{P2}发生碰撞，造成{P2}当场死亡。",
        "经鉴定，{P2}的损伤程度为轻伤一级。{DATE3}，公安机关在{CITYS}高新区将被告人{P1}抓获。",
        "被告人{P1}归案后，其妻{P4}（{AGE4}岁，{ETH4}，电话{M4}）向本院表示愿意代为退赔。",
        "{DATE2}，被告人{P1}以帮助办理低保为由，骗取同村村民{P3}现金{AMT2}元，后挥霍一空。",
        "被告人{P1}供述：当晚其与{P3}、{K2}在{P3}家中喝酒，后独自前往{TWN1}集镇周边作案。",
        "{DATE2}，被告人{P1}在{TWN1}{VIL1}附近盗伐云南松{NUM}株，经鉴定立木蓄积{PCT}立方米。",
    ]),
    "cjudge": P("cjudge", [
        "本院认为，被告人{P1}以非法占有为目的，秘密窃取他人财物，数额较大，其行为已构成盗窃罪。判决如下：被告人{P1}犯盗窃罪，判处有期徒刑{CNUM}年，并处罚金人民币{AMT3}元。",
        "本院认为，公诉机关指控的罪名成立。被告人{P1}到案后如实供述自己的罪行，依法可以从轻处罚。",
        "如不服本判决，可在接到判决书的第二日起十日内，通过本院或者直接向{CITY}中级人民法院提出上诉。",
        "被告人{P1}犯故意伤害罪，判处有期徒刑{CNUM}个月，缓刑一年。（缓刑考验期限从判决确定之日起计算。）",
        "扣押在案的作案工具依法予以没收。",
    ]),
}
PJS_CIV = {
    "vhead": P("vhead", [
        "{CNTY}人民法院\n民事判决书\n（{YEAR}）{PA}{CC}民初{NO}号\n\n",
        "{CNTY}人民法院\n民事调解书\n\n",
        "{CITY}中级人民法院\n民事判决书\n（{YEAR}）{PA}{CC}民终{NO}号\n\n",
        "",
    ]),
    "vparty": P("vparty", [
        "原告：{P1}，{SEX1}，{BD1}出生，{ETH1}，住{A1}，公民身份号码{ID1}。\n被告：{P2}，{SEX2}，{BD2}出生，{ETH2}，住{A2}。\n",
        "申请人{P1}，{SEX1}，{AGE1}岁，住{A1}。\n被申请人{P2}，{SEX2}，{AGE2}岁，住{A2}。\n",
        "原告{CO1}，住所地{OFFADDR}。\n法定代表人{P1}，该公司总经理。\n被告{P2}，{SEX2}，{ETH2}，住{A2}，联系电话{M2}。\n",
        "原告{P1}与被告{P2}、第三人{P3}民间借贷纠纷一案，本院于{DATE1}立案后，依法适用简易程序公开开庭进行了审理。\n",
        "上诉人（原审原告）：{P1}，{SEX1}，{ETH1}，现住{H1}。\n被上诉人（原审被告）：{P2}，{SEX2}，户籍地{A2}。\n",
        "原告{P1}，{SEX1}，{BM1}出生，{ETH1}，农民，住{A1}。委托诉讼代理人{PF3}，系原告之子，住{A3}。\n被告{P2}，{SEX2}，住{A2}。\n",
        "原告：{P1}（{SEX1}，{AGE1}岁，电话{M1}），户籍地：{A1}。\n被告：{CO2}，法定代表人{P2}，联系电话{L2}。\n",
        "原告{P1}诉被告{P2}离婚纠纷一案，本院受理后依法组成合议庭审理，原告{P1}、被告{P2}均到庭参加诉讼。\n",
    ]),
    "vfacts": P("vfacts", [
        "村民{P1}向镇政府反映，其与{P2}因{REASON}发生纠纷，经{TWN1}人民调解委员会调解未果，遂诉至本院。",
        "原告{P1}与被告{P2}于{PYEAR}年经人介绍相识，婚后育有一子{PF4}，现随原告生活于{H1}。",
        "{DATE2}，被告{P2}通过微信向{P1}借款{AMT1}元，约定月息{PCT}%，并将款项转入其尾号为{TAIL}的银行账户。",
        "{P1}于{DATE2}将家住{A1}的房屋出租给{P2}使用，月租金{AMT1}元，{P2}拖欠租金至今。",
        "经审理查明：{P1}与{P2}系同村村民，双方承包地相邻。{DATE2}，{P2}在地界处修建围墙，占用{P1}承包地约{NUM}平方米。",
        "另查明，{P1}名下中国农业银行账户{B1}于{DATE2}收到{P2}转账{AMT2}元。",
        "证人{P3}出庭作证称，其亲眼看见{P2}将借款交付给{P1}，并有{K1}在场。",
        "被告{P2}辩称，其与原告{P1}之间不存在借贷关系，该款项系{K2}委托其代收的货款。",
        "原告{P1}之母{P4}于{PYEAR}年去世，生前居住于{H4}，遗留房屋一套。",
        "{DATE2}，被告{P2}驾驶{V2}号牌车辆在{ROAD1}将原告{P1}撞伤，经交警部门认定，被告负事故全部责任。",
    ]),
    "vjudge": P("vjudge", [
        "判决如下：被告{P2}于本判决生效之日起十日内偿还原告{P1}借款本金{AMT3}元。",
        "判决如下：准予原告{P1}与被告{P2}离婚。",
        "本院认为，{P1}的诉讼请求符合法律规定，本院予以支持。",
        "如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，上诉于{CITY}中级人民法院。",
        "案件受理费{AMT4}元，减半收取，由被告{P2}负担。",
    ]),
}
PJS_FOOT = P("foot", [
    "\n\n审判长    {O1}\n审判员    {O2}\n人民陪审员    {O3}\n\n{DATE4}\n\n书记员    {O4}",
    "\n\n审判员  {O1}\n{DATE4}\n书记员  {O4}",
    "\n\n{DATE4}",
    "\n\n审 判 长  {O1}\n审 判 员  {O2}\n审 判 员  {O3}\n{DATE4}\n法官助理  {O5}\n书 记 员  {O4}",
])


def build_pjs(c: Ctx) -> None:
    pools = list((PJS_CRIM if c.rng.random() < 0.55 else PJS_CIV).values())
    head, party, facts, judge = pools
    c.emit_from(head)
    c.emit_from(party)
    for t in c.pick_many(facts, c.body_len(2, 4)):
        c.emit(t)
        c.text("\n" if c.rng.random() < 0.6 else "")
    c.text("\n")
    for t in c.pick_many(judge, c.rng.randint(1, 2)):
        c.emit(t)
        c.text("\n")
    c.emit_from(PJS_FOOT)


# 任免及领导分工通知 ----------------------------------------------------------------------------
RMTZ = {
    "head": P("head", [
        "{CNTY}人民政府关于{O1}等同志职务任免的通知\n{WH}〔{YEAR}〕{NO}号\n\n各乡镇人民政府，县直各委、办、局：\n",
        "关于调整{ORG1}领导班子成员工作分工的通知\n\n局机关各股室、下属各单位：\n",
        "{ORG1}党组会议纪要\n（{YEAR}年第{NO}期）\n\n",
        "干部任前公示\n\n",
        "签发人：{O1}\n\n{CNTY}人民政府\n关于{TOPIC}工作领导小组人员调整的通知\n\n",
    ]),
    "body": P("body", [
        "经县人民政府研究决定：\n任命{O1}为{ORG1}副局长；\n免去{O2}的{ORG2}局长职务；\n{O3}同志任{ORG3}党组书记。",
        "根据工作需要，经研究，决定{O1}同志主持{ORG1}全面工作，{O2}同志不再担任{ORG1}副局长职务。",
        "{O1}，党组书记、局长：主持局全面工作，负责财务、人事工作。\n{O2}，党组成员、副局长：协助局长分管办公室、法规股，联系{TWN1}。\n{O3}，副局长：分管执法大队、应急工作。",
        "{O1}同志：{ORG1}党组书记、局长，主持全面工作。\n{O2}同志：副局长，协助分管安全生产、信访维稳工作。",
        "会议由{O1}局长主持，副局长{O2}、{O3}，总工程师{O4}参加会议。会议传达学习了{CITYS}有关会议精神。",
        "{O1}，{OSEX}，{OETH}，{OBM}生，{CITYS}人，大学学历，中共党员，现任{ORG1}副局长，拟任{TWN1}党委书记。",
        "{DATE1}，{CNTY}人民政府召开常务会议，县长{O1}主持会议，常务副县长{O2}、副县长{O3}出席。",
        "为加强对{TOPIC}工作的领导，成立工作领导小组：\n组  长：{O1}（县委副书记、县长）\n副组长：{O2}（副县长）\n成  员：{O3}（{ORG1}局长）、{O4}（{ORG2}局长）\n领导小组办公室设在{ORG1}，由{O3}同志兼任办公室主任。",
        "{O1}局长在讲话中强调，要压实周边安全责任，抓好高新区重点项目建设。",
        "免去：\n{O1}的{TWN1}镇长职务；\n{O2}的{ORG2}副局长职务。",
        "{O2}副局长因工作调动，其分管工作由{O3}同志负责。",
        "提名{O1}为{TWN1}人民政府乡长候选人，{O2}为副乡长候选人。",
    ]),
    "tail": P("tail", [
        "联系人：{O5}（{ORG1}办公室），联系电话：{OFFPHONE}。",
        "公示期间，如有异议请以书面形式向县委组织部反映，受理电话：12380。",
        "以上同志的任职时间从{DATE2}起计算。",
        "特此通知。",
    ]),
    "foot": P("foot", [
        "\n\n{CNTY}人民政府\n{DATE3}",
        "\n\n{ORG1}\n{DATE3}",
        "\n\n中共{CNTY}委组织部\n{DATE3}",
    ]),
}


def build_rmtz(c: Ctx) -> None:
    c.emit_from(RMTZ["head"])
    for t in c.pick_many(RMTZ["body"], c.body_len(1, 3)):
        c.emit(t)
        c.text("\n")
    for t in c.pick_many(RMTZ["tail"], c.rng.randint(1, 2)):
        c.emit(t)
        c.text("\n")
    c.emit_from(RMTZ["foot"])


# 政策报告 ----------------------------------------------------------------------------------
ZCBG = {
    "head": P("head", [
        "{CNTY}{YEAR}年{TOPIC}工作总结\n\n",
        "关于{CITYS}{TOPIC}情况的调研报告\n\n",
        "{ORG1}{YEAR}年政府信息公开工作年度报告\n\n",
        "{TWN1}{YEAR}年上半年工作情况汇报\n\n",
    ]),
    "para": P("para", [
        "{YEAR}年，{CNTY}坚持以习近平新时代中国特色社会主义思想为指导，全面完成了年度目标任务。全县实现地区生产总值{MONEY1}亿元，同比增长{PCT}%。",
        "高新区、工业园区建设稳步推进，{ROAD1}、华山南路等{NUM}条道路改造完成，周边配套设施逐步完善。",
        "{TWN1}人民政府牵头实施高原特色农业示范项目，带动周边{NUM}个村发展林下经济，户均增收{AMT1}元。",
        "{CNTY}民政局全年发放城乡低保金{MONEY2}万元，保障对象{NUM}人，相关数据已录入全国低收入人口动态监测信息平台。",
        "存在的主要问题：一是产业结构单一，龙头企业带动能力不强；二是基础设施欠账较多，{VIL1}等偏远村组交通条件较差；三是干部队伍能力有待提升。",
        "下一步，我们将紧扣“四个不摘”要求，严格落实防止返贫动态监测和帮扶机制，确保不发生规模性返贫。",
        "政府信息公开工作方面，全年主动公开政府信息{NUM}条，受理依申请公开{NUM}件，均按时答复，无行政复议和诉讼案件。",
        "全县森林覆盖率达到{PCT}%，完成营造林{NUM}万亩，{TWN1}、{TWN2}两个乡镇被评为省级生态文明乡镇。",
        "文旅融合发展成效明显，彝人古镇、{ROAD2}夜市等景区景点接待游客{NUM}万人次，实现旅游收入{MONEY3}亿元。",
        "金融服务持续优化，发放创业担保贷款{MONEY4}万元，扶持个体工商户{NUM}户，其中返乡创业人员{NUM}人。",
        "加强安全生产监管，开展常态化隐患排查整治，全年未发生较大以上安全事故。",
        "项目概况：{CO1}投资建设的马铃薯精深加工项目，位于{TWN1}工业片区，总投资{MONEY1}亿元，预计带动就业{NUM}人。",
        "{CITYS}党委政府高度重视，{CNTY}成立了由县委、县政府主要领导任双组长的工作专班，办公室设在{ORG1}（地址：{OFFADDR}）。",
        "严格落实个人信息保护要求，公开的低保名单一律隐去身份证号码、银行账号、家庭住址等信息，姓名按“张某某”方式处理。",
        "（数据来源：{CNTY}统计局，{DATE1}）",
        "深入开展学雷锋志愿服务活动，{TWN1}逸夫小学、聂耳音乐广场等{NUM}个点位被命名为新时代文明实践点。",
        "{ROAD1}至中山路段改造完成后，周边{NUM}个小区、{TWN1}人民政府及{CNTY}人民医院出行条件明显改善。",
        "周边县市的经验表明，发展康养旅游、石斛种植、黄金周客流组织等方面仍有较大潜力，高峰时段客流同比增长{PCT}%。",
    ]),
    "foot": P("foot", [
        "\n\n{ORG1}\n{DATE2}",
        "\n\n{TWN1}人民政府\n{DATE2}",
        "",
    ]),
}


def build_zcbg(c: Ctx) -> None:
    c.emit_from(ZCBG["head"])
    for k, t in enumerate(c.pick_many(ZCBG["para"], c.rng.randint(4, 8)), 1):
        if not t.startswith("（"):
            c.text(c.rng.choice(["", "", f"{cnum(k)}、", f"（{cnum(k)}）"]))
        c.emit(t)
        c.text("\n")
    c.emit_from(ZCBG["foot"])


GENRE_POOLS = {
    "xzcf": list(XZCF.values()),
    "gsmd": list(GS.values()) + [GS_LAYOUTS, GS_RENDER],
    "xxgk": list(XXGK.values()),
    "xfdf": list(XFDF.values()),
    "tb": list(TB.values()),
    "pjs": list(PJS_CRIM.values()) + list(PJS_CIV.values()) + [PJS_FOOT],
    "rmtz": list(RMTZ.values()),
    "zcbg": list(ZCBG.values()),
}
GENRE_BUILDERS = {"xzcf": build_xzcf, "gsmd": build_gsmd, "xxgk": build_xxgk, "xfdf": build_xfdf,
                  "tb": build_tb, "pjs": build_pjs, "rmtz": build_rmtz, "zcbg": build_zcbg}


def all_pools() -> dict[str, list[Pool]]:
    return GENRE_POOLS


def validate(text: str, spans: list[dict]) -> None:
    """Raise Regenerate when the instantiation breaks an annotation invariant."""
    spans.sort(key=lambda s: (s["start"], s["end"]))
    prev_end = -1
    for s in spans:
        if s["start"] < prev_end:
            raise Regenerate("overlap")
        prev_end = s["end"]
    # every occurrence of an annotated name is annotated with the same kind (mention propagation)
    for kind in ("person", "official"):
        names = {text[s["start"]:s["end"]] for s in spans if s["kind"] == kind}
        covered = {(s["start"], s["end"]) for s in spans if s["kind"] == kind}
        for nm in names:
            for m in re.finditer(re.escape(nm), text):
                if (m.start(), m.end()) not in covered:
                    # allowed only when inside an annotated address / identifier (never happens by design)
                    raise Regenerate(f"unannotated mention of {nm}")
    persons = {text[s["start"]:s["end"]] for s in spans if s["kind"] == "person"}
    officials = {text[s["start"]:s["end"]] for s in spans if s["kind"] == "official"}
    if persons & officials:
        raise Regenerate("name both person and official")


def generate(gazetteer_path: Path) -> tuple[dict[str, list[dict]], dict]:
    gaz = load_gazetteer(gazetteer_path)
    gen = Generator(gaz)
    pools = all_pools()
    for genre, plist in pools.items():
        for pool in plist:
            for i in range(len(pool.items)):
                if pool.held(i):
                    tid = f"{genre}.{pool.name}.{i}"
                    gen.held_out_ids.add(tid)
                    item = pool.items[i]
                    if not isinstance(item, str) or ANNOTATED_PLACEHOLDER.search(item) or (
                            genre == "zcbg" and len(item) > 20):
                        gen.held_out_substantive.add(tid)
    out: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    manifest: dict = {"seed": SEED, "version": VERSION, "held_out_templates": sorted(gen.held_out_ids),
                      "held_out_substantive": sorted(gen.held_out_substantive), "documents": {}}
    for si, split in enumerate(("train", "dev", "test")):
        for genre in SPLIT_SIZES:
            start_no = sum(SPLIT_SIZES[genre][:si])
            for k in range(SPLIT_SIZES[genre][si]):
                doc_id = f"{genre}-{start_no + k + 1:04d}"
                for attempt in range(50):
                    ctx = Ctx(gen, split, genre)
                    try:
                        GENRE_BUILDERS[genre](ctx)
                        text, spans = ctx.document()
                        validate(text, spans)
                        if split == "test" and not ctx.uses_held_out():
                            raise Regenerate("test document without a held-out template")
                    except Regenerate:
                        for nm in ctx.names_in_doc:
                            gen.used_names[split].discard(nm)
                        continue
                    break
                else:
                    raise RuntimeError(f"could not generate {doc_id}")
                out[split].append({"id": doc_id, "genre": GENRE_NAMES[genre], "text": text,
                                   "spans": [{"start": s["start"], "end": s["end"], "kind": s["kind"]} for s in spans]})
                manifest["documents"][doc_id] = {"split": split, "templates": ctx.templates,
                                                 "county": ctx.county.code, "county_held_out": ctx.county.held_out}
    return out, manifest


def dumps_split(docs: list[dict]) -> str:
    return "".join(json.dumps(d, ensure_ascii=False, sort_keys=False) + "\n" for d in docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gazetteer", type=Path, default=DEFAULT_GAZETTEER)
    ap.add_argument("--out", type=Path, default=ROOT / "corpora")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if the files would change")
    ap.add_argument("--stats", action="store_true", help="print counts per split / kind / genre")
    ap.add_argument("--markdown", action="store_true", help="print the counts as markdown tables (for the README)")
    args = ap.parse_args(argv)
    out, manifest = generate(args.gazetteer)
    files = {f"{s}.jsonl": dumps_split(out[s]) for s in out}
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    if args.check:
        bad = [n for n, c in files.items() if not (args.out / n).exists() or (args.out / n).read_text(encoding="utf-8") != c]
        if bad:
            print("would change:", ", ".join(bad))
            return 1
        print("corpus up to date")
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        for n, c in files.items():
            (args.out / n).write_text(c, encoding="utf-8")
    counts = stats_markdown(out) + "\n\n" + holdout_line(manifest)
    if not args.check:
        readme = args.out / "README.md"
        if readme.exists():  # refresh the generated block between the markers
            text = readme.read_text(encoding="utf-8")
            new = re.sub(r"(<!-- counts:begin -->\n).*?(<!-- counts:end -->)",
                         lambda m: m.group(1) + counts + "\n" + m.group(2), text, flags=re.S)
            if new != text:
                readme.write_text(new, encoding="utf-8")
    if args.markdown:
        print(counts)
    elif args.stats or not args.check:
        print(stats_table(out))
    return 0


def stats_markdown(out: dict[str, list[dict]]) -> str:
    """Markdown tables: documents and spans per split x kind, and per genre x kind (all splits)."""
    lines = ["| split | docs | chars | " + " | ".join(KINDS) + " |", "|---|---:|---:|" + "---:|" * len(KINDS)]
    for split, docs in out.items():
        kinds = {k: 0 for k in KINDS}
        for d in docs:
            for s in d["spans"]:
                kinds[s["kind"]] += 1
        lines.append(f"| {split} | {len(docs)} | {sum(len(d['text']) for d in docs)} | "
                     + " | ".join(str(kinds[k]) for k in KINDS) + " |")
    lines += ["", "| genre | train/dev/test docs | " + " | ".join(KINDS) + " |", "|---|---|" + "---:|" * len(KINDS)]
    for code, gname in GENRE_NAMES.items():
        per = [sum(1 for d in out[s] if d["genre"] == gname) for s in out]
        kinds = {k: 0 for k in KINDS}
        for s in out:
            for d in out[s]:
                if d["genre"] == gname:
                    for sp in d["spans"]:
                        kinds[sp["kind"]] += 1
        lines.append(f"| {gname} | {'/'.join(map(str, per))} | " + " | ".join(str(kinds[k]) for k in KINDS) + " |")
    return "\n".join(lines)


def holdout_line(manifest: dict) -> str:
    docs = manifest["documents"].values()
    n_templates = len({t for d in docs for t in d["templates"]})
    n_test = sum(d["split"] == "test" for d in docs)
    n_county = sum(d["county_held_out"] for d in docs if d["split"] == "test")
    return (f"templates used: {n_templates}; held out for test: {len(manifest['held_out_templates'])} "
            f"({len(manifest['held_out_substantive'])} with annotated values, one of which every test document uses); "
            f"test documents set in a held-out county: {n_county} of {n_test}.")


def stats_table(out: dict[str, list[dict]]) -> str:
    lines = []
    for split, docs in out.items():
        kinds = {k: 0 for k in KINDS}
        genres: dict[str, int] = {}
        chars = 0
        for d in docs:
            chars += len(d["text"])
            genres[d["genre"]] = genres.get(d["genre"], 0) + 1
            for s in d["spans"]:
                kinds[s["kind"]] += 1
        lines.append(f"{split}: {len(docs)} docs, {chars} chars")
        lines.append("  kinds:  " + ", ".join(f"{k}={v}" for k, v in kinds.items()))
        lines.append("  genres: " + ", ".join(f"{g}={n}" for g, n in genres.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
