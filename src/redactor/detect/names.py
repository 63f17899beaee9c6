"""Person names (private persons and public officials) and, via addresses.py, addresses.

Where a name comes from (each source has its own rule id and score):
  names.label      after a label that introduces a private person: 申请人张三, 户主：李四、王五
  names.title      after a post title: 副局长诸葛庆磊、公孙宇龙 / 签发人：王五 / 审判员  施菊
  names.table      a table cell under a 姓名/户主/... column (``ctx.column_header``), or a cell of a
                   plain-text table (tab or '|' separated) whose header row names such a column
  names.cue        before gender/birth/ID/address cues: 张三，男，彝族，1975年3月出生 / 李四（女，..）
  names.relation   in a relation only a private person has: X之妻, 在X家中, X承包的, X、Y双方
  names.salutation the addressee of a reply: "张三：\\n您于..." at the start of a line
  names.model      the small statistical model (detect/ner.py) on sentences with a candidate
  names.propagate  every other mention of a name found anywhere in the document
Whose name it is (decided per name for the whole document): a private-person label, a table
of beneficiaries or a gender/birth cue makes it ``person``; a post title right before or after
a mention (局长王立新, 王立新局长, X同志, 任命/免去 X 职务) makes it ``official`` (category
organisation, kept unless the policy says ``officials = "mask"``). A name with neither is a
person, except in an appointment or division-of-duties notice, where it is an official.
Already-masked forms (张某, 李某某, 刘某甲, 王某1, 王X, 张××, 张**) and ordinary words (高新区,
周边, 华山南路) are never names.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import regex

from ..document import Document
from ..findings import Finding
from . import gazetteer
from .base import DetectContext

if TYPE_CHECKING:
    from ..policy import Policy

PERSON, OFFICIAL = "person", "official"
PRIVATE_CUE, OFFICIAL_CUE = "private", "official"

# 张某, 李某某, 刘某甲, 王某1, 王X, 张××, 张**, 某某, 欧阳某 (SPC practice for published judgments)
MASKED_NAME = regex.compile(
    r"(?:\p{Han}{1,2})?(?:某+(?:[甲乙丙丁戊己庚辛]|[0-9０-９]+)?|[xX×＊*ＸｘΧ○〇]+)"
)
# Characters that are (almost) never part of a given name: a name read by a rule stops there.
_STOP = "于曾已在向与及的为是系称将把被从到也都均所现经等因对雇请拒未不说诉驾报之其该并或让给由自某共领签犯副持擅违逾无告以就要认表即又还却再去来占搭修购租借欠患拨前后任兼"
# A function character right after a name: the name ends there (杜晓生于, 毛雨贵在, 秦泽继任).
_NEXT_FUNC = frozenset("于在向与和及的为是将把被从到也都均所等因对已曾任")
# Two-character words that start with a name's last character: 司徒会[陈述], 苏和英[家中].
_TRAIL = frozenset("陈述 供述 证实 出庭 作证 负担 承担 承认 辩称 诉称 述称 到庭 家中 家里 家门 家属 家人 一家 闻声 闻讯 驾驶 持有 经营 居住 现住 同意 不同 签字 签名 本人 名下 主持 出席 参加 讲话 强调 指出 承包 以介".split())  # noqa: SIM905
_GIVEN = rf"(?:(?![{_STOP}])\p{{Han}})"
_BOUNDARY = r"(?=\Z|[^\p{Han}·]|[" + _STOP + r"]|男|女|住|户籍|身份|公民|联系|电话|手机|同志|先生|女士|家|夫妇|户|申请|反映|提出|不服|出生|生于|任|信访|讲述|介绍|同意|拖欠|因)"
_HAN = regex.compile(r"[\p{Han}·]")
_PLACE_END = frozenset("湖河园庄营坝湾沟寨塘岭洞桥庙寺塔宫楼馆")
_MASK_CHARS = frozenset("某×*＊xXＸｘ")
_ADMIN_CHAR = regex.compile(r"[县市镇乡村州省]")
_DOC_NUMBER_AFTER = regex.compile(r"\p{Han}{0,3}\s*[〔\[［(（【]\s*[0-9０-９]{4}")  # 陆良林罚〔2017〕154号
_HAN_RUN = regex.compile(r"\p{Han}(?:[　 ]?[\p{Han}·])*")  # a run; one (full-width) space may pad a name: 景　智
_ORG_TAIL = regex.compile(
    r"\p{Han}{2,14}?(?:有限责任公司|有限公司|公司|经营部|合作社|商贸|商行|工厂|厂|商店|店|超市|门市部|协会|酒店|宾馆|餐厅|农场|诊所|药房|工作室)"
)
_WIDE_GAP = regex.compile(r"\S(?: {2,}|　{2,})\S")
_CELL = regex.compile(r"\S+(?:[ 　]\S+)*")
_DIGIT = regex.compile(r"[0-9０-９]")
_GENDER_AFTER = regex.compile(r"[，,（(]\s*[男女]")
_NAME_CHARS = regex.compile(r"[\p{Han}·]{2,6}")
_SENT = regex.compile(r"[^。！？；!?\n]+[。！？；!?\n]*")
_APPOINT_BEFORE = regex.compile(r"(?:任命|免去|提名|聘任|聘请|选举|推选|推荐|决定|同意)$")
_APPOINT_AFTER = regex.compile(r"^(?:同志)?(?:为\p{Han}{0,20}(?:长|员|任|记|师|主席|委员)|(?:同志)?的?\p{Han}{0,24}职务|同志)")
_APPOINT_SENT = regex.compile(r"现任|拟任|拟提名|任职|职务|同志|任命|免去")
_GENDER_CUE = regex.compile(r"[，,（(]\s*(?:男|女)\s*(?=[，,、）)；;。\s]|\Z)")
_BIRTH_CUE = regex.compile(
    r"[，,（(]\s*(?:[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*日)?\s*(?:出生|生)|"
    r"(?:公民)?身份证(?:号码?)?|公民身份号码|住(?:址|所)?|户籍(?:地|所在地)?|现住|家住|联系(?:电话|方式)|手机|"
    r"\p{Han}{1,4}族\s*[，,]|[0-9０-９]{1,3}岁)"
)
_NAME_HEADER = regex.compile(r"姓\s*名|户\s*主|户名|名字|(?:申请|当事|负责|领取|收款|领款|承包|救助|保障|补助|帮扶)(?:人|对象)|成员|对象")
_NOT_NAME_HEADER = regex.compile(r"号|码|电话|地址|金额|面积|人口|关系|性别|民族|年龄|类别|标准|数|签字日期|村|组|乡|镇|单位|备注|时间|日期")
_APPOINT_DOC = regex.compile(r"任免|任职|免职|领导分工|工作分工|分工的通知|人员调整|任前公示|职务")
_ETHNIC_PLACE = regex.compile(r"(?:\p{Han}{1,3}族)+(?:自治)?(?:乡|镇|县|州|旗|区)")  # 高良[壮族苗族瑶族乡]
_WEAK_LABELS = frozenset("群众 村民 居民 农户 职工 员工 工人 学生 考生 患者 乘客 行人 驾驶员 驾驶人 死者 证人".split())  # noqa: SIM905
_PLACE_AFTER = regex.compile(r"^(?:街道|嘎查|苏木|堡|镇|乡|村|县|区|市|州|族|路|街|大道|巷|社区|山|河|江|湖|湾|桥|寨|屯|坝|沟|坪|庄|营|铺|集团|公司|大学|学院|中学|小学|医院|宾馆|酒店)")
# An unlisted "surname" that is really the start of a function word (本机关, 其中, 该局, 各村) and
# the head characters of a body (办公室, 县政府): such a field is not a name.
_NOT_SURNAME_LEAD = frozenset("子女亲儿孙妻夫父母兄弟姐妹甲乙丙丁本其该此这那各每全总某无未不非另以之所有见详同如上下中内外原现前后第")
_BODY_END = frozenset("关室会局处科部院所站队组办厅司委台馆校府")
# Labels of a party to a case or a petition, written right before the name (当事人庹敏发擅自...)
_PARTY_WORDS = (
    "当事人 被处罚人 申请人 被申请人 被告人 被告 原告 第三人 上诉人 被上诉人 罪犯 犯罪嫌疑人 信访人 举报人 投诉人 "
    "被投诉人 反映人 押运人 驾驶人 法定代表人 经营者 受害人 被害人 证人 户主 委托代理人 监护人 "
    "其妻 其夫 其子 其女 其父 其母 之妻 之夫 之子 之女 您之子 您之女 妻子 丈夫"
)
_PARTY_LABELS = sorted(_PARTY_WORDS.split(), key=len, reverse=True)
_REL_BEFORE = frozenset("，,。；;、：:与和同在系入对向及被把将让据经")
_REL_BEFORE_UNLISTED = frozenset("，,。；;、：:\n与在系对向")
_OFFICIAL_ACTION = regex.compile(r"带队|率队|主持|出席|讲话|调研|陪同|一行")
_LIST_ITEM = regex.compile(r"[^、，,]+")
_STAFF_NOUNS = ("工作人员", "执法人员", "分管领导", "经办人", "承办人", "办案人员", "民警", "辅警", "网格员")
_FIELD_OPEN = frozenset("：:\n\t 　，,、；;。（(|｜")  # what opens a field that holds only a name
_WIN_BEFORE, _WIN_AFTER = 4, 8  # model window around a candidate surname (model context is +-4 chars)


@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    rule: str
    score: float
    why: str
    cue: str | None = None  # PRIVATE_CUE / OFFICIAL_CUE / None


def trim_name(text: str, s: int, e: int) -> tuple[int, int]:
    """Give back a last character that starts the next word: 密燕冒领 -> 密燕, 司徒会陈述 -> 司徒会."""
    if e - s < 3:
        return s, e
    if e >= len(text):
        return (s, e - 1) if text[e - 1] in _STOP else (s, e)
    sur = gazetteer.surnames().at(text, s)
    if sur and e - 1 - (s + len(sur)) < 1:
        return s, e
    if text[e - 1] in _STOP:
        return s, e - 1  # 徐璐到, 顾智之
    pair = text[e - 1 : e + 1]
    words = gazetteer.common_words()
    if text[e - 1] == "家" and text[e] in "的中里门":
        return s, e - 1  # 郭林家的耕牛
    if text[e] in _NEXT_FUNC or text[e : e + 2] in words or text[e : e + 2] in _TRAIL:
        return s, e  # 秦泽继任组长, 梁桂林家中, 陆丽国电话: the next word starts right after the name
    if pair in _TRAIL or pair in words:
        return s, e - 1
    return s, e


def is_masked(name: str) -> bool:
    return bool(MASKED_NAME.fullmatch(name.strip()))


def is_appointment_document(text: str) -> bool:
    """An appointment/removal notice or a division of duties among a body's leaders."""
    return bool(_APPOINT_DOC.search(text[:300]))


class _Lex:
    """Compiled rules, built once on first use (not at import)."""

    def __init__(self) -> None:
        sn = gazetteer.surnames()
        self.surnames = sn
        self.labels = gazetteer.word_list("name_labels.txt")
        self.titles = gazetteer.word_list("official_titles.txt")
        self.nonnames = frozenset(gazetteer.word_list("nonname_words.txt"))
        self.public = frozenset(gazetteer.word_list("public_figures.txt"))
        self.div = gazetteer.divisions()
        comp = "|".join(sorted(sn.compound, key=len, reverse=True))
        single = "".join(sorted(sn.single))
        name = (
            rf"(?:(?:{comp}){_GIVEN}{{1,2}}|[{single}]　{_GIVEN}(?!\p{{Han}})|[{single}]{_GIVEN}{{1,2}}"
            rf"|\p{{Han}}{{1,6}}·\p{{Han}}{{1,6}})"
        )
        self.name_re = name
        self.name_rx = regex.compile(name)
        labels = "|".join(map(regex.escape, self.labels))
        # titles are often spaced out in headers and signatures: 审 判 长, 书　记　员
        titles = "|".join(r"[ 　]?".join(map(regex.escape, t)) for t in self.titles)
        self.label_re = regex.compile(rf"(?:{labels})(?:[：:]\s*|[ 　]|为|是)?(?P<name>{name})")
        self.title_re = regex.compile(
            rf"(?:{titles})(?:(?:[：:]\s*|[ 　]+)(?P<name>{name})|(?![任兼为及等])(?P<name>{name}))"
        )
        self.list_re = regex.compile(rf"\G[、，,和及与]\s*(?P<name>{name}){_BOUNDARY}")
        self.label_list_re = regex.compile(rf"\G[、，,和及与]\s*(?P<name>{name})")
        self.title_after = regex.compile(rf"^[，,、（(\s]*(?:{titles})")
        self.title_after_direct = regex.compile(rf"^\s*(?:{titles})")
        self.title_before = regex.compile(rf"(?:{titles})\s*[：:]?\s*$")
        self.label_before = regex.compile(rf"(?:{labels})\s*[：:]?\s*$")
        self.salutation = regex.compile(
            rf"(?m)^[ \t　]*(?:尊敬的)?(?P<names>{name}(?:[、，,]{name})*)"
            rf"(?:同志|先生|女士|君|(?:先生|女士)[/／、](?:先生|女士)|[（(](?:先生|女士)(?:[/／、](?:先生|女士))?[)）]|(?:先生|女士)[（(](?:先生|女士)[)）])?"
            rf"[ \t　]*[：:][ \t　]*(?:$|(?=您|你))"
        )
        # an official named at the head of a line or after 免去/任命: 涂子，党组书记、局长：/ 纪丽长同志任
        self.official_re = regex.compile(
            rf"(?:^|(?<=[\n：:，,、。；;]|免去|任命|聘任|提名|由|决定|同意))[ \t　]*(?P<name>{name})"
            rf"(?=同志|[，,、]?\s*(?:{titles})|的\p{{Han}}{{2,30}}职务|为\p{{Han}}{{2,30}}?(?:长|员|主任|书记|委员|主席))",
            regex.M,
        )
        self.private_re = regex.compile(
            rf"(?:(?:关于|其与|据|对|与)(?P<name>{name})(?=(?:同志)?(?:信访|反映|申请|投诉|举报|来信|讲述|与\p{{Han}}{{2,4}}的纠纷|因))"
            rf"|(?<=[，,。；;、\s年]|^)(?P<name>{name})(?=现住|家住|现居住|以介绍)"
            rf"|(?:查获|抓获|发现|救起|救助|传唤|拘留)(?P<name>{name})(?=醉酒|酒后|驾驶|倒卧|晕倒|无证|持有|在|于|并|后|[，,])"
            rf"|(?<=[。；;\n]|^)(?P<name>{name})(?=于[0-9０-９]{{4}}年[0-9０-９]{{1,2}}月[0-9０-９]{{1,2}}日(?:通过|向|到|来|提交|提出|申请)))",
            regex.M,
        )
        # A name in a relation only a private person has (domain knowledge of petition, mediation,
        # accident and judgment narrative, not of one template): a kinship (X之妻, X的儿子, 系X之子),
        # a household or property (在X家中, X家的耕牛, X承包的土地, X名下), a party to a dispute
        # or a settlement (X与Y的纠纷, X、Y双方, X同意赔偿), a driver (与X驾驶的), a co-offender
        # in a judgment (X（另案处理）), a request to a public body (X向镇政府反映).
        # found trigger first (rare), then the name that ends right before it: one scan for the
        # triggers instead of a name pattern tried at every position
        self.rel_trigger = regex.compile(
            r"之(?:妻|夫|子|女|父|母|兄|弟|姐|妹|孙|侄|儿媳|女婿|岳父|岳母|祖父|祖母|外孙)"
            r"|的(?:妻子|丈夫|儿子|女儿|父亲|母亲|哥哥|弟弟|姐姐|妹妹|儿媳|女婿|孙子|孙女|亲属|家属|邻居|纠纷)"
            r"|家(?:中|里|的|门口|门前|院|院坝|房屋|住房|住宅|建房|老宅|自留地|承包地|责任田|宅基地)"
            r"|(?:承包|承租|租用|经营|饲养|建盖|修建|所有)的|名下|驾驶的|所驾|双方|同意(?:赔偿|补偿|支付|退还|归还)"
            r"|因\p{Han}{1,12}?发生(?:纠纷|争执|口角|矛盾)"
            r"|[（(](?:另案处理|已判刑|已判决|已死亡|已故|在逃|未到庭|系\p{Han}{1,8}?之(?:妻|夫|子|女|父|母))"
            r"|向\p{Han}{2,16}?(?:提出|提交|反映|投诉|举报|申请|借款|借钱|借)"
        )
        self.name_full = regex.compile(name)
        # A surname no list has (庹, 撒, 沐 ...: every surname list has gaps) is only accepted
        # where the field is unambiguous: right after a label or post title *and* a colon or
        # spacing, and closed by a line end, punctuation or a gender cue (当事人：庹敏发\n,
        # 审判员　撒丽). Listed surnames are read by the rules above.
        unlisted = rf"(?:(?![{single}{_STOP}])\p{{Han}}{_GIVEN}{{1,2}})"
        close = r"(?=[ \t　]*(?:$|[\n，,、；;。（(]|[ \t　]+\S)|[，,（(]\s*[男女])"
        # ... or written right after the label and closed by a character no name contains (当事人庹敏发擅自,
        # 押运人为眭波才（), or an addressee line (眭丽：\n您于...), or a private relation (，庹信佳之妻)
        tight = rf"(?=[{_STOP}]|[，,。；;、（(\n])"
        party = "|".join(_PARTY_LABELS)
        # one pass for both: a separated field; the label or title before it is looked up after
        # a match (matches are rare; an alternation of all labels at every position is not)
        self.unlisted_field_re = regex.compile(
            rf"(?<=\p{{Han}})(?:[：:][ \t　]*|[ 　]+)(?P<name>{unlisted}|{name})(?:[、，,](?P<name>{unlisted}|{name}))*{close}", regex.M
        )
        self.unlisted_party_re = regex.compile(rf"(?:{party})(?:为|是)?(?P<name>{unlisted}){tight}")
        # a role noun of an office's staff written right before the name: 由工作人员庹鹏珠电话告知
        self.unlisted_staff_re = regex.compile(
            rf"(?:{'|'.join(_STAFF_NOUNS)})(?P<name>{unlisted})(?=[{_STOP}]|[，,。；;、（(\n]|电话|联系|负责|带队|送达|告知|核实|调查)"
        )
        sal_tail = (
            r"(?:同志|先生|女士|君|(?:先生|女士)[/／、](?:先生|女士)|[（(](?:先生|女士)(?:[/／、](?:先生|女士))?[)）]"
            r"|(?:先生|女士)[（(](?:先生|女士)[)）])?"
        )
        anyname = rf"(?:{name}|{unlisted})"
        self.salutation_any = regex.compile(
            rf"(?m)^[ \t　]*(?:尊敬的)?(?P<names>{anyname}(?:[、，,]{anyname})*){sal_tail}[ \t　]*[：:][ \t　]*(?:$|(?=您|你))"
        )
        self.label_set = frozenset(self.labels)
        self.title_set = frozenset(self.titles)
        self.unlisted_other_re = regex.compile(
            rf"(?:关于|其与|据)(?P<name>{unlisted})(?=(?:信访|反映|申请|投诉|举报|来信))",
            regex.M,
        )
        self.unlisted_full = regex.compile(unlisted)
        self.public_re = regex.compile("|".join(map(regex.escape, self.public)) or "(?!)")
        self.surname_pos = regex.compile(rf"(?:{comp}|[{single}])\p{{Han}}")

    def ordinary_word(self, name: str) -> bool:
        """A two-character 'name' that is a common word (保密, 全面): only a strong cue makes it a name."""
        return len(name) == 2 and name in gazetteer.common_words()

    def plausible(self, name: str) -> bool:
        name = name.replace("　", "")
        if not _NAME_CHARS.fullmatch(name) or is_masked(name) or "某" in name:
            return False
        nonnames = self.nonnames
        if any(name[:k] in nonnames for k in range(2, len(name) + 1)):
            return False
        if name in self.labels or name in self.titles or name[-1] in "区路街族" or _ADMIN_CHAR.search(name):
            return False
        if any(name.endswith(t) for t in ("局长", "书记", "主任", "县长", "镇长", "市长", "乡长", "同志", "先生", "女士")):
            return False
        return True

    def is_org(self, text: str, s: int) -> bool:
        """The name is the head of an organisation's name: 武定金沙建筑工程有限公司."""
        return bool(_ORG_TAIL.match(text, s))

    def starts_with_surname(self, name: str) -> bool:
        return self.surnames.at(name, 0) is not None or "·" in name

    def is_place(self, text: str, s: int, e: int) -> bool:
        """The span is the head of a place name: 杨林镇, 杨桥街道, 金平苗族, 王庄布依族."""
        after = text[e : e + 6]
        if _PLACE_AFTER.match(after) or _ETHNIC_PLACE.match(text, e):
            return True
        div = self.div
        for k in range(1, 5):
            w = text[s : e + k]
            if w in div.townships or w in div.counties or w in div.prefectures or w in div.provinces:
                return True
        return text[s:e] in div.shorts


class NameDetector:
    name = "names"

    def __init__(self, policy: Policy | None = None, use_model: bool = True) -> None:
        self.policy = policy
        self.use_model = use_model
        self._doc_flag: tuple[int, bool] | None = None

    @cached_property
    def lex(self) -> _Lex:
        return _Lex()

    def _appointment_doc(self, ctx: DetectContext, text: str) -> bool:
        doc = ctx.document
        if doc is None:
            return is_appointment_document(text)
        if self._doc_flag is None or self._doc_flag[0] != id(doc):
            head = "".join(s.text for s in doc.segments[:12])
            self._doc_flag = (id(doc), is_appointment_document(head))
        return self._doc_flag[1]

    # --- per segment ------------------------------------------------------------------------
    def detect(self, text: str, ctx: DetectContext) -> Iterable[Finding]:
        cands: list[_Cand] = []
        header = ctx.column_header
        if header and _NAME_HEADER.search(header) and not _NOT_NAME_HEADER.search(header):
            cands.extend(self._cell(text, header))
        cands.extend(self._labels(text))
        cands.extend(self._titles(text))
        cands.extend(self._cues(text))
        cands.extend(self._salutations(text))
        cands.extend(self._narrative(text))
        cands.extend(self._officials(text))
        cands.extend(self._unlisted(text))
        cands.extend(self._official_actions(text))
        cands.extend(self._text_tables(text))
        if self.use_model:
            cands.extend(self._model(text, cands))
        return self._classify(text, cands, ctx)

    def _cell(self, text: str, header: str) -> Iterable[_Cand]:
        for m in _HAN_RUN.finditer(text):
            name = m.group()
            if 2 <= len(name) <= 7 and self.lex.plausible(name.replace("　", "").replace(" ", "")):
                yield _Cand(m.start(), m.end(), "names.table", 0.95, f"table column '{header}'", PRIVATE_CUE)

    def _listed(self, text: str, rx, rule: str, why: str, cue: str, list_rx=None, strict: bool = False) -> Iterable[_Cand]:
        lex = self.lex
        list_rx = list_rx or lex.list_re
        for m in rx.finditer(text):
            s, e = trim_name(text, *m.span("name"))
            if lex.plausible(text[s:e]) and not lex.is_org(text, s) and not (strict and lex.ordinary_word(text[s:e])):
                yield _Cand(s, e, rule, 0.95, why, cue)
            pos = m.end("name")
            while True:
                n = list_rx.match(text, pos)
                if not n:
                    break
                s, e = trim_name(text, *n.span("name"))
                if lex.plausible(text[s:e]):
                    yield _Cand(s, e, rule, 0.9, why + " (list)", cue)
                pos = n.end("name")

    def _labels(self, text: str) -> Iterable[_Cand]:
        lex = self.lex
        for c in self._listed(text, lex.label_re, "names.label", "name after a label for a private person", PRIVATE_CUE, lex.label_list_re):
            # after a weak label (群众, 村民) a common word is not a name: 欢迎群众相互监督
            if lex.ordinary_word(text[c.start : c.end]) and any(text.endswith(w, 0, c.start) for w in _WEAK_LABELS):
                continue
            yield c

    def unlisted_ok(self, name: str) -> bool:
        """A name whose surname is in no list: plausible, not a word, not a body's name."""
        lex = self.lex
        return (
            lex.plausible(name) and not lex.ordinary_word(name) and name[0] not in _NOT_SURNAME_LEAD
            and name[-1] not in _BODY_END and name[:2] not in gazetteer.common_words()
        )

    def _field_owner(self, text: str, end: int) -> str | None:
        """PRIVATE_CUE / OFFICIAL_CUE when a label / a post title (maybe spaced: 审 判 员) ends at ``end``."""
        lex = self.lex
        for k in range(8, 1, -1):
            w = text[max(0, end - k) : end]
            if len(w) == k:
                if w in lex.label_set:
                    return PRIVATE_CUE
                if w in lex.title_set:
                    return OFFICIAL_CUE
        spaced = text[max(0, end - 12) : end]
        if " " in spaced or "　" in spaced:
            squeezed = spaced.replace(" ", "").replace("　", "")
            for k in range(8, 1, -1):
                if squeezed[-k:] in lex.title_set and len(squeezed) >= k:
                    return OFFICIAL_CUE
        return None

    def _unlisted(self, text: str) -> Iterable[_Cand]:
        lex = self.lex
        for m in lex.unlisted_field_re.finditer(text):
            cue = self._field_owner(text, m.start())
            if cue is None:
                continue
            for s, e in m.spans("name"):
                if lex.surnames.at(text, s) is not None:
                    continue  # a listed surname: the label and title rules read it
                if not self.unlisted_ok(text[s:e]) or lex.is_org(text, s) or lex.is_place(text, s, e):
                    continue
                if cue == PRIVATE_CUE:
                    yield _Cand(s, e, "names.label", 0.85, "name after a label (surname not in the list)", cue)
                else:
                    yield _Cand(s, e, "names.title", 0.85, "name after a post title (surname not in the list)", cue)
        for m in lex.unlisted_staff_re.finditer(text):
            s, e = m.span("name")
            if self.unlisted_ok(m.group("name")) and not lex.is_org(text, s) and not lex.is_place(text, s, e):
                yield _Cand(s, e, "names.title", 0.85, "name after a staff role (surname not in the list)", OFFICIAL_CUE)
        for rx, why in (
            (lex.unlisted_party_re, "name after a party label (surname not in the list)"),
            (lex.unlisted_other_re, "addressee or private relation (surname not in the list)"),
        ):
            for m in rx.finditer(text):
                s, e = m.span("name")
                if self.unlisted_ok(m.group("name")) and not lex.is_org(text, s) and not lex.is_place(text, s, e):
                    yield _Cand(s, e, "names.label" if rx is lex.unlisted_party_re else "names.cue", 0.85, why, PRIVATE_CUE)

    def _titles(self, text: str) -> Iterable[_Cand]:
        return self._listed(
            text, self.lex.title_re, "names.title", "name after a post title", OFFICIAL_CUE, self.lex.label_list_re, strict=True
        )

    def _officials(self, text: str) -> Iterable[_Cand]:
        lex = self.lex
        for m in lex.official_re.finditer(text):
            if lex.plausible(m.group("name")) and not lex.ordinary_word(m.group("name")):
                yield _Cand(m.start("name"), m.end("name"), "names.title", 0.9, "name before a post title or 同志", OFFICIAL_CUE)

    def _narrative(self, text: str) -> Iterable[_Cand]:
        lex = self.lex
        for m in lex.private_re.finditer(text):
            if lex.plausible(m.group("name")):
                yield _Cand(m.start("name"), m.end("name"), "names.cue", 0.9, "name in a petition or dispute", PRIVATE_CUE)
        for m in lex.rel_trigger.finditer(text):
            end = m.start()
            chain = m.group() == "双方"  # X、Y双方: walk back over the list
            while True:
                span = self._name_ending(text, end)
                if span is None:
                    break
                s, e, listed = span
                if listed:
                    yield _Cand(s, e, "names.relation", 0.88, "name in a private relation (kin, household, dispute)", PRIVATE_CUE)
                else:
                    yield _Cand(s, e, "names.cue", 0.85, "private relation (surname not in the list)", PRIVATE_CUE)
                if not (chain and s > 0 and text[s - 1] in "、，,和与及"):
                    break
                end = s - 1

    def _title_ending(self, text: str, end: int) -> int | None:
        """Where a post title that ends at ``end`` starts (镇长, 党委书记), else None."""
        titles = self.lex.title_set
        for k in range(6, 1, -1):
            if end - k >= 0 and text[end - k : end] in titles:
                return end - k
        return None

    def _official_actions(self, text: str) -> Iterable[_Cand]:
        """An official with an unlisted surname, from what officials do in their role: 党委书记庹明带队,
        庹明镇长主持 (listed surnames are read by the title rules)."""
        lex = self.lex
        for m in _OFFICIAL_ACTION.finditer(text):
            p = m.start()
            for n in (3, 2):  # title, name, action
                s = p - n
                if (
                    s > 0 and lex.unlisted_full.fullmatch(text, s, p) and self._title_ending(text, s) is not None
                    and self.unlisted_ok(text[s:p])
                ):
                    yield _Cand(s, p, "names.title", 0.85, "official acting in the role (surname not in the list)", OFFICIAL_CUE)
                    break
            q = self._title_ending(text, p)  # name, title, action
            if q is None:
                continue
            for n in (3, 2):
                s = q - n
                if s < 0 or (s > 0 and text[s - 1] not in _REL_BEFORE_UNLISTED):
                    continue
                if lex.unlisted_full.fullmatch(text, s, q) and self.unlisted_ok(text[s:q]):
                    yield _Cand(s, q, "names.title", 0.85, "official acting in the role (surname not in the list)", OFFICIAL_CUE)
                    break

    def _name_ending(self, text: str, end: int) -> tuple[int, int, bool] | None:
        """The name that ends at ``end`` after a boundary (punctuation, line start, 与/在/系 ...):
        a listed surname (2-4 characters) or an unlisted one (2-3)."""
        lex = self.lex
        for n in (4, 3, 2):
            s = end - n
            if s < 0 or (s > 0 and text[s - 1] not in _REL_BEFORE and not text[s - 1].isspace()):
                continue
            if not lex.name_full.fullmatch(text, s, end):
                continue
            name = text[s:end]
            if not lex.plausible(name) or lex.ordinary_word(name) or not lex.starts_with_surname(name):
                continue
            if lex.is_place(text, s, end) or lex.is_org(text, s):
                continue
            return s, end, True
        for n in (3, 2):
            s = end - n
            if s < 0 or (s > 0 and text[s - 1] not in _REL_BEFORE_UNLISTED):
                continue
            if (
                lex.unlisted_full.fullmatch(text, s, end) and self.unlisted_ok(text[s:end])
                and not lex.is_place(text, s, end) and not lex.is_org(text, s)
            ):
                return s, end, False
        return None

    def _salutations(self, text: str) -> Iterable[_Cand]:
        lex = self.lex
        if "：" not in text and ":" not in text:
            return
        for m in lex.salutation_any.finditer(text):
            base = m.start("names")
            for part in _LIST_ITEM.finditer(m.group("names")):
                name, s = part.group(), base + part.start()
                if lex.surnames.at(name, 0) is not None or "·" in name:
                    if lex.plausible(name):
                        yield _Cand(s, s + len(name), "names.salutation", 0.93, "addressee of a reply", PRIVATE_CUE)
                elif self.unlisted_ok(name):
                    yield _Cand(s, s + len(name), "names.salutation", 0.85, "addressee of a reply (surname not in the list)", PRIVATE_CUE)

    def _cues(self, text: str) -> Iterable[_Cand]:
        for pat, why in ((_GENDER_CUE, "name before gender"), (_BIRTH_CUE, "name before birth date/ID/address")):
            for m in pat.finditer(text):
                span = self._name_before(text, m.start(), whole_field=pat is _GENDER_CUE)
                if span:
                    sent_end = text.find("。", m.start())
                    sent = text[m.start() : sent_end if sent_end >= 0 else len(text)]
                    cue = OFFICIAL_CUE if _APPOINT_SENT.search(sent) else PRIVATE_CUE
                    yield _Cand(span[0], span[1], "names.cue", 0.92, why, cue)

    def _name_before(self, text: str, end: int, whole_field: bool = False) -> tuple[int, int] | None:
        """The name that ends at ``end``: trim a label off the Han run before it. With
        ``whole_field`` (a gender cue), a 2-3 character run that is a field of its own
        (：眭柏雪，男 / 、庹波，女) is the name even when its surname is in no list."""
        lex = self.lex
        start = end
        while start > 0 and end - start < 12 and _HAN.match(text[start - 1]):
            start -= 1
        run = text[start:end]
        if len(run) < 2:
            return None
        if len(run) <= 4 and lex.starts_with_surname(run) and lex.plausible(run):
            return start, end
        if whole_field and len(run) <= 3 and (start == 0 or text[start - 1] in _FIELD_OPEN) and self.unlisted_ok(run):
            return start, end
        for lab in lex.labels + lex.titles:  # longest first
            i = run.rfind(lab)
            if i >= 0:
                rest = run[i + len(lab):]
                if rest[:1] in ("为", "是") and len(rest) >= 3:
                    rest = rest[1:]  # 押运人为眭波才
                if 2 <= len(rest) <= 4 and lex.plausible(rest):
                    return end - len(rest), end
        words = gazetteer.common_words()
        for n in (4, 3, 2):
            tail = run[-n:]
            if len(run) > n and run[-n - 1 : -n + 1] in words:
                continue  # the tail's first character ends a word: 行政委[员会]
            if len(run) >= n and lex.starts_with_surname(tail) and lex.plausible(tail):
                if n == 4 and tail[:2] not in lex.surnames.compound:
                    continue
                return end - n, end
        return None

    def _text_tables(self, text: str) -> Iterable[_Cand]:
        """Rows of a plain-text table (tab or '|' separated) under a 姓名/户主 header."""
        if "\n" not in text or not _NAME_HEADER.search(text):
            return
        cols: list[int] = []
        ncols = 0
        pos = 0
        for line in text.split("\n"):
            sep = "\t" if "\t" in line else ("|" if "|" in line else ("｜" if "｜" in line else None))
            if sep is None and not _WIDE_GAP.search(line):
                cols = [] if not line.strip() else cols
                pos += len(line) + 1
                continue
            cells = []
            if sep is None:
                cells = [(m.start(), m.group()) for m in _CELL.finditer(line)]
            else:
                off = 0
                for part in line.split(sep):
                    lead = len(part) - len(part.lstrip())
                    cells.append((off + lead, part.strip()))
                    off += len(part) + 1
            header = [
                i for i, (_, c) in enumerate(cells)
                if c and _NAME_HEADER.search(c) and not _NOT_NAME_HEADER.search(c) and len(c) <= 8 and "：" not in c and ":" not in c
            ]
            if header and not _DIGIT.search(line):
                cols, ncols = header, len(cells)
            elif cols and abs(len(cells) - ncols) <= 1:
                for i in cols:
                    if i < len(cells):
                        a, name = cells[i]
                        for part in _HAN_RUN.finditer(name):
                            bare = part.group().replace("　", "").replace(" ", "")
                            if self.lex.plausible(bare) and len(part.group()) <= 7:
                                s = pos + a + part.start()
                                yield _Cand(s, s + len(part.group()), "names.table", 0.93, "table column of names", PRIVATE_CUE)
            pos += len(line) + 1

    def _windows(self, text: str, have: Sequence[_Cand]) -> list[tuple[int, int]]:
        """Where the model must look: around surname characters that neither a rule nor an
        ordinary word explains (高新区, 全面, 国家 are words; 村民张三 is not). Runs of text
        without such a position are never given to the model: that is most of a document."""
        lex = self.lex
        words = gazetteer.common_words()
        covered = bytearray(len(text) + 1)
        known: set[str] = set()
        for c in have:
            covered[c.start : c.end] = b"\x01" * (c.end - c.start)
            known.add(text[c.start : c.end])
        by_first: dict[str, list[str]] = {}
        for k in known:
            by_first.setdefault(k[0], []).append(k)
        spans: list[tuple[int, int]] = []
        n = len(text)
        for m in lex.surname_pos.finditer(text, overlapped=True):
            i = m.start()
            if covered[i] or text[i : i + 2] in words or (i > 0 and text[i - 1 : i + 1] in words):
                continue
            if text[m.end() - 1] in _STOP or text[i - 1 : i] in _MASK_CHARS or text[m.end() : m.end() + 1] in _MASK_CHARS:
                continue  # 王在, 张某: no given name can start here
            if any(text.startswith(k, i) for k in by_first.get(text[i], ())):
                continue  # another mention of a name the rules found: propagation masks it
            a, b = max(0, i - _WIN_BEFORE), min(n, i + _WIN_AFTER)
            nl = text.rfind("\n", a, i)
            if nl >= 0:
                a = nl + 1
            nl = text.find("\n", i, b)
            if nl >= 0:
                b = nl
            if spans and a <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], b))
            else:
                spans.append((a, b))
        return spans

    def _model(self, text: str, have: Sequence[_Cand] = ()) -> Iterable[_Cand]:
        from . import ner

        if not ner.available():
            return
        lex = self.lex
        windows = self._windows(text, have)
        if not windows:
            return
        # all windows of the segment in one Doc, a newline between two windows: one parse
        # instead of one per window (spans that cross a newline are dropped below)
        joined = "\n".join(text[a:b] for a, b in windows)
        starts, pos = [], 0
        for a, b in windows:
            starts.append(pos)
            pos += b - a + 1
        for ja, jb in ner.predict([joined])[0]:
            k = bisect.bisect_right(starts, ja) - 1
            off, end = windows[k]
            a, b = ja - starts[k], jb - starts[k]
            if b > end - off:
                continue  # crosses into the next window
            s, e = off + a, off + b
            # a span cut by the window's right edge is not trusted (names are short)
            if e == end and end < len(text) and _HAN.match(text[end]):
                continue
            while e > s and not _HAN.match(text[e - 1]):
                e -= 1
            # a compound surname the model cut in half: 长[孙秋丽] -> 长孙秋丽
            if s > 0 and text[s - 1 : s + 1] in lex.surnames.compound and e - s <= 3:
                s -= 1
            s, e = trim_name(text, s, e)
            name = text[s:e]
            if not lex.plausible(name) or not lex.starts_with_surname(name) or lex.ordinary_word(name):
                continue
            if lex.is_place(text, s, e) or lex.is_org(text, s) or _DOC_NUMBER_AFTER.match(text, e):
                continue
            if name[-1] in _PLACE_END:
                continue  # 杜鹃湖, 汪洋湖, 宋家庄: the model alone does not make a place a person
            if name[:2] in lex.div.shorts:
                continue  # 孟连娜允古镇: the head of a place name
            yield _Cand(s, e, "names.model", 0.8, "statistical name model")

    # --- whose name -------------------------------------------------------------------------
    def _mention_cue(self, text: str, s: int, e: int) -> tuple[str | None, str]:
        """(cue, why) from the words right around one mention."""
        lex = self.lex
        before = text[max(0, s - 16) : s]
        after = text[e : e + 24]
        if lex.label_before.search(before):
            return PRIVATE_CUE, "label before the name"
        m = lex.title_after_direct.match(after)
        if m:
            return OFFICIAL_CUE, f"title after the name: {m.group().strip()}"
        m = lex.title_before.search(before)
        if m:
            return OFFICIAL_CUE, f"title before the name: {m.group().strip()}"
        if _APPOINT_BEFORE.search(before) and _APPOINT_AFTER.match(after):
            return OFFICIAL_CUE, "appointment or removal"
        if after.startswith("同志") or after.startswith("等同志"):
            return OFFICIAL_CUE, "同志"
        m = lex.title_after.match(after)
        if m and after[:1] in "，,、（(" and not _GENDER_AFTER.match(after):
            return OFFICIAL_CUE, f"title after the name: {m.group().strip()}"
        return None, ""

    def _classify(self, text: str, cands: Sequence[_Cand], ctx: DetectContext) -> list[Finding]:
        # the strongest candidate per span; rule candidates win over the model on overlaps
        taken: list[_Cand] = []
        for c in sorted(cands, key=lambda c: (-c.score, -(c.end - c.start), c.start)):
            if any(c.start < t.end and t.start < c.end for t in taken):
                continue
            if text[c.end : c.end + 1] in _MASK_CHARS:
                continue  # 欧阳某, 王某1: the head of an already-masked name
            cue, why = c.cue, c.why
            if cue is None or c.rule == "names.label":
                mcue, mwhy = self._mention_cue(text, c.start, c.end)
                if mcue and cue is None:
                    cue, why = mcue, mwhy
            taken.append(replace(c, cue=cue, why=why))
        appoint = self._appointment_doc(ctx, text)
        # national leaders and public figures cited in their role (邓小平理论) are nobody's private name
        for m in self.lex.public_re.finditer(text) if self.lex.public else ():
            # only the figure's own name (李鹏), not a longer name that starts with it (李鹏忠)
            taken = [t for t in taken if not (m.start() <= t.start and t.end <= m.end())]
        roles = resolve_roles((text[c.start : c.end], c.cue) for c in taken)
        out = []
        for c in sorted(taken, key=lambda c: c.start):
            name = text[c.start : c.end]
            kind = kind_for(roles.get(name), appoint)
            why = c.why
            if kind == OFFICIAL and c.cue != OFFICIAL_CUE:
                why = "official: " + ("appointment or duties notice" if roles.get(name) is None else "named with a post title elsewhere")
            out.append(Finding(kind, c.start, c.end, name, c.score, c.rule, why, ctx.index, {"cue": c.cue or ""}))
        return out

    # --- whole document ---------------------------------------------------------------------
    def detect_document(self, doc: Document, findings: Sequence[Finding], ctx: DetectContext) -> Iterable[Finding]:
        """Every other mention of a name found in the document, with one role per name."""
        mine = [f for f in findings if f.kind in (PERSON, OFFICIAL) and f.rule.startswith("names.")]
        if not mine:
            return []
        roles = resolve_roles((f.text, f.attrs.get("cue") or None) for f in mine)
        appoint = self._appointment_doc(DetectContext(document=doc), doc.segments[0].text if doc.segments else "")
        names = {f.text for f in mine if len(f.text) >= 2 and not is_masked(f.text)}
        if not names:
            return []
        # Names by their first character: a segment is searched only for the names that can
        # start in it (a long list has thousands of names and tens of thousands of cells).
        by_first: dict[str, list[str]] = {}
        for name in names:
            by_first.setdefault(name[0], []).append(name)
        have: dict[int, dict[tuple[int, int], str]] = {}
        for f in findings:
            if f.kind in (PERSON, OFFICIAL):
                have.setdefault(f.segment, {})[(f.start, f.end)] = f.kind
        out = []
        for i, seg in enumerate(doc.segments):
            spans = have.get(i, {})
            candidates = [n for ch in set(seg.text) for n in by_first.get(ch, ())]
            if not candidates:
                continue
            for s, e in _occurrences(seg.text, sorted(candidates, key=len, reverse=True)):
                name = seg.text[s:e]
                kind = kind_for(roles.get(name), appoint)
                if (s, e) in spans:
                    if spans[(s, e)] != kind:  # one role per name: override the local reading
                        out.append(Finding(kind, s, e, name, 0.97, "names.role", f"{kind} elsewhere in this document", i, {}))
                    continue
                # a longer name found elsewhere wins over a part of it read here (眭[柏雪] -> 眭柏雪)
                if any(s < b and a < e and not (s <= a and b <= e and (a, b) != (s, e)) for a, b in spans):
                    continue
                # a longer word that merely contains the name is not a mention (杨林 in 杨林镇)
                if self.lex.is_place(seg.text, s, e):
                    continue
                why = "another mention of a name found in this document"
                if kind == OFFICIAL:
                    why = "another mention of an official found in this document"
                out.append(Finding(kind, s, e, name, 0.9, "names.propagate", why, i, {}))
        return out


def _occurrences(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of any of ``names`` (longest first), in text order.
    (str.find per name: cheaper than compiling an alternation for every document.)"""
    taken = bytearray(len(text))
    spans = []
    for name in names:
        i = text.find(name)
        while i >= 0:
            e = i + len(name)
            if not any(taken[i:e]):
                taken[i:e] = b"\x01" * (e - i)
                spans.append((i, e))
            i = text.find(name, i + 1)
    return sorted(spans)


def resolve_roles(mentions: Iterable[tuple[str, str | None]]) -> dict[str, str | None]:
    """name -> PRIVATE_CUE / OFFICIAL_CUE / None: a private-person cue anywhere wins."""
    roles: dict[str, str | None] = {}
    for name, cue in mentions:
        cur = roles.get(name)
        if cur == PRIVATE_CUE:
            continue
        if cue == PRIVATE_CUE or cur is None:
            roles[name] = cue
    return roles


def kind_for(role: str | None, appointment_doc: bool) -> str:
    if role == OFFICIAL_CUE or (role is None and appointment_doc):
        return OFFICIAL
    return PERSON


def build(policy: Policy) -> list[object]:
    from .addresses import AddressDetector

    return [NameDetector(policy), AddressDetector(policy)]


__all__ = ["MASKED_NAME", "NameDetector", "build", "is_appointment_document", "is_masked"]
