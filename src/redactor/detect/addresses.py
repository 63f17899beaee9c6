"""Addresses of private persons, backed by the gazetteer of administrative divisions.

An address is a chain of components read left to right:
  province · prefecture · county · township        (admin part: names checked against the
                                                    GB/T 2260 + township gazetteer, or an
                                                    admin suffix right after a known level)
  village/community · group · road · number · estate · building · unit · floor · room
A person's address reaches below the township: a bare division (住在新妙镇, 家住楚雄市) does not
locate a home, and it is what the address operator keeps of an address it masks
(云南省楚雄市鹿城镇******), so the read-back of a masked copy does not see a new address.
Three ways in:
  addresses.label      after a residence cue (住址, 家住, 户籍地, 现住, 住所地, 居住的 ...): a
                       chain that reaches a village, an estate, a road or a house
  addresses.structure  no cue: a chain that starts with a known division and reaches a dwelling
                       (a village group, a house number, a building, a room)
  addresses.home       the place of a private person's home: 来到长安小区居民郎某家中,
                       在某某镇某某村三组王某家门口 (a place, then a surname-led name and 家)
Left alone: a division on its own (楚雄州), an organisation (鹿城镇人民政府, 富民村委会主任), a
road without a number (华山南路), addresses introduced as an office's or a company's
(办公地址, 联系地址 after a body, 住所 of a company), and places introduced by 位于 unless a
home is meant (其房屋位于, 位于...的家中).
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

import regex

from ..findings import Finding
from . import gazetteer
from .base import DetectContext

if TYPE_CHECKING:
    from ..policy import Policy

NUM = r"[0-9０-９]+|[一二三四五六七八九十百零〇]+"
# A character of a place name: Han, but not a function word that place names do not hold (的,
# 在 ...; 向, 从, 将, 那, 让 do occur: 向阳村, 从江县, 将军路, 那坡县, 西让村) nor 某 (an already masked name:
# 某某村 is not a new address).
H = r"(?:(?![的在是了被这等及与某]|附近|周边|一带|旁边|对面|门口|路口|家中|家里)\p{Han})"
# 社区, 小区, 园区 ... end in 区 but are not districts
_NOT_COUNTY = r"(?<!社区|小区|园区|景区|校区|厂区|矿区|营区|城区|街区|片区|辖区|库区|灾区|山区|牧区|林区|农区|市区|郊区|老区|湖区|岸区|住区)"
# component name -> (pattern, level); levels: 1-4 admin, 5 village, 6+ below
_NUMBERED_GROUP = regex.compile(rf"第?(?:{NUM})(?:村民小组|小组|组|队|社)")
_CONJ = regex.compile(r"[等和与及的]")
_PLACE_BAD = regex.compile(r"[，,。；;等和与及的在]")
_GENERIC_ADMIN = [
    ("province", rf"{H}{{2,7}}?(?:省|自治区)", 1),
    ("prefecture", rf"{H}{{2,14}}?(?:自治州|地区|盟|市|州)", 2),
    ("county", rf"{H}{{1,14}}?(?:自治县|自治旗|县|区|市|旗){_NOT_COUNTY}", 3),
    ("township", rf"{H}{{1,6}}?(?:街道办事处|街道|镇|乡|苏木)", 4),
]
_BELOW = [
    ("village", rf"{H}{{0,8}}?(?:村民委员会|居民委员会|村委会|居委会|社区|村(?!民)|屯|寨|嘎查|农场|林场|牧场)", 5),
    ("group", rf"第?(?:{NUM})(?:村民小组|小组|组|队|社)|{H}{{0,6}}?(?:村民小组|小组|组|队)", 6),
    ("road", rf"{H}{{1,10}}?(?:大道|路|街|巷|弄|胡同|道)(?:(?:{NUM})(?:段|巷|弄|条))?", 7),
    ("number", rf"(?:附|之)?(?:{NUM})(?:[-－—](?:{NUM}))?(?:号院|号楼|号|弄|栋|幢|座)", 8),
    ("estate", rf"{H}{{2,8}}?(?:小区|花园|公寓|大厦|新村|家园|苑|庭院|宿舍|宿舍区|广场|大院|家属院|家属区|家属楼|名邸|公馆|华庭|山庄)", 8),
    ("building", rf"(?:{NUM}|[A-Za-zＡ-Ｚ])(?:栋|幢|号楼|座|楼)", 9),
    ("unit", rf"(?:{NUM})单元", 10),
    ("floor", rf"(?:{NUM})(?:层|楼)", 11),
    ("room", rf"(?:{NUM})(?:室|号房|房|户)?", 12),
    # any other named place right before a group or house number: 幸福农场虚拟生活区2组48号
    ("place", rf"{H}{{1,12}}?(?=[0-9０-９]+(?:村民小组|小组|组|号|幢|栋|单元)|第\p{{Han}}{{1,3}}(?:村民小组|小组|组))", 6),
]
_LABEL = regex.compile(
    r"(?P<label>位于|现住址|现住所|现住|家庭住址|家庭地址|住址|住所地|住所|家住|居住地址|经常居住地|居住地|居住的|户籍地址|"
    r"户籍所在地|户籍地|户籍|户口所在地|通讯地址|联系地址|送达地址|收件地址|邮寄地址|居住于|生活于|地\s*址|籍贯|"
    r"寄往|寄送至|邮寄至|寄至|送达至|住)"
    r"[ \t\u3000]*(?:[：:][ \t\u3000]*|在|于|为)?"  # on the label's line (拦不住\n宾川县...: no label)
)
# Labels a notice also uses for an office's address: a person's only when no body is named just
# before (本机关联系地址：..., 政务服务中心（地址：...）).
_CONTACT_LABEL = regex.compile(r"联系地址|地\s*址")
# An address column of a table (住址, 家庭住址, 户籍地 ...), not an office's (办公地址, 单位地址).
_COLUMN = regex.compile(r"住址|住所|家庭地址|居住地|户籍|现住|^\s*地\s*址\s*$|联系地址|通讯地址")
_OFFICE_COLUMN = regex.compile(r"办公|单位|机关|受理|窗口|经营|注册|企业|公司|项目|工程")
# 位于 locates a home only after a dwelling (其房屋位于, 宅基地位于) or before one (位于...的家中).
_DWELLING_BEFORE = regex.compile(r"(?:房屋|住房|住宅|房子|宅基地|家|住处|户)$")
_HOME_AFTER = regex.compile(r"的?(?:家|住处|住所|住宅|房屋|住房|自建房|房子|老宅|宅基地)")
# A place someone goes to or is at, then the home of a named person there: 来到长安小区居民郎某家中.
_TO_PLACE = regex.compile(r"来到|走进|走访|看望|前往|回到|赶到|在|到|住在")
# ... who lives there, before the name: 的村民, 102岁老人 (anchored at the name)
_HOME_WHO = regex.compile(
    r"的?(?:[0-9]+岁)?(?:老人|村民|居民|群众|农户|脱贫户|困难户|低保户|老党员|党员|老兵|退役军人|独居老人)?$"
)
_HAN_RUN = regex.compile(r"\p{Han}+")
_VILLAGE_WORDS = frozenset(
    "村民委员会 居民委员会 村委会 居委会 社区 村 屯 寨 嘎查 农场 林场 牧场 农村 乡村 山村 渔村 村村 城乡 新农村".split()
)
_COMMON_PLACE_WORDS = frozenset("农村 乡村 山村 渔村 村村 城乡 新农村".split())  # 守住农村居民健康
_ADMIN_NAMES = frozenset({"admin", "province", "prefecture", "county", "township"})
# what a chain must reach to locate a home (besides a road with its division)
_BELOW_TOWN = frozenset({"village", "group", "number", "estate", "building", "unit", "floor", "room", "place"})
_OFFICE_LABEL = regex.compile(r"(?:办公地址|单位地址|办公地点|受理地点|受理地址|办理地点|窗口地址|机关地址|(?<![其家户处])位于|坐落于|设在|地处)\s*[：:]?\s*$")
_COMPANY_BEFORE = regex.compile(r"公司|统一社会信用代码|企业|个体工商户|经营场所|商店|超市|门市|名称[：:]")
# the components that make a chain without a cue the address of one dwelling, not a place: a
# house (a village group alone is a community: 李湾村二组的村民, 12组的百岁老人)
_DWELLING = frozenset({"number", "building", "unit", "floor", "room"})
_ORG_WORD = regex.compile(r"(?:局|政府|委员会|办公室|办事处|中心|法院|检察院|单位|机关|窗口|大厅|公司|医院|学校|派出所|站|所|电话|热线|传真|邮编)")
_OFFICE_BEFORE_LABEL = regex.compile(r"(?:受理|办公|单位|机关|窗口|办理|咨询|服务)$")
_ORG_AFTER = regex.compile(
    r"^(?:人民政府|政府|党委|党工委|委员会|村委会|居委会|办事处|派出所|卫生院|卫生室|中心|学校|小学|中学|幼儿园|法院|"
    r"检察院|局|所|站|医院|公司|合作社|管委会|主任|书记|支部|党支部|工作|干部|委员|代表|副)"
)
_PERSON_CUE = regex.compile(r"(?:住(?:址|所|在)?[：:]|现住|家住|户籍|居住|申请人|当事人|户主|村民|居民|[，,]\s*[男女]\s*[，,]|出生|身份证|您|你|提供的|邮寄|通讯)")


# A table cell in text: cells separated by a tab, a bar or a run of spaces (as the text and PDF
# readers lay out tables), or a line of its own.
_CELL_BEFORE = regex.compile(r"(?:^|\t|\||[ \u3000]{2,})[ \u3000]*$")
_CELL_AFTER = regex.compile(r"[ \u3000]*(?:$|\t|\||[ \u3000]{2,}|\r?\n)")


def _clause_end(text: str, i: int) -> int:
    """The end of the clause at i (an office's address is not read again from its middle)."""
    m = _CLAUSE_END.search(text, i)
    return m.start() if m else len(text)


_NUMBER_SOON = regex.compile(r"[0-9０-９一二三四五六七八九十]")
_CLAUSE_END = regex.compile(r"[\n。；;，,）)]")


def _whole_cell(text: str, start: int, end: int) -> bool:
    """Does [start, end) fill a cell of a table row (a household's village group in a list of
    beneficiaries is its address; the same words in a sentence are a place)?"""
    line_start = text.rfind("\n", 0, start) + 1
    return _CELL_BEFORE.search(text, line_start, start) is not None and _CELL_AFTER.match(text, end) is not None


class AddressDetector:
    name = "addresses"

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy

    @cached_property
    def _rx(self) -> dict[str, object]:
        comps = {name: regex.compile(rf"\G(?:{pat})") for name, pat, _ in _GENERIC_ADMIN + _BELOW}
        levels = {name: lvl for name, _, lvl in _GENERIC_ADMIN + _BELOW}
        # where a division name ends (场: state farms at township level, 园艺场, 热带作物场)
        suffix = regex.compile(r"(?:自治区|自治州|自治县|自治旗|街道|苏木|省|市|州|地区|盟|县|区|旗|镇|乡|场)")
        div = gazetteer.divisions()
        admin_levels: dict[str, int] = {}
        for lvl, names in ((4, div.townships), (3, div.counties), (2, div.prefectures), (1, div.provinces)):
            admin_levels.update(dict.fromkeys(names, lvl))  # a name on two levels: the higher wins
        return {"comps": comps, "levels": levels, "suffix": suffix, "div": div, "admin_levels": admin_levels}

    # --- the chain reader -------------------------------------------------------------------
    def _known_admin_at(self, text: str, i: int) -> tuple[int, int] | None:
        """A gazetteer division name starting at i: (end, level)."""
        levels = self._rx["admin_levels"]
        best = None
        for n in range(2, min(21, len(text) - i + 1)):
            lvl = levels.get(text[i : i + n])
            if lvl:
                best = (i + n, lvl)
        return best

    def chain(self, text: str, i: int, labelled: bool = False) -> tuple[int, int, int]:
        """Read components from i: (end, deepest level, number of components)."""
        end, deepest, names = self.components(text, i, labelled)
        return end, deepest, len(names)

    def components(self, text: str, i: int, labelled: bool = False) -> tuple[int, int, list[str]]:
        """Read components from i: (end, deepest level, component names in order)."""
        pos, deepest, count, last_admin = i, 0, 0, 0
        names: list[str] = []
        undo = None  # the state before the last known division, to read it as part of a longer name
        while pos < len(text):
            known = self._known_admin_at(text, pos) if deepest <= 4 else None
            if known and known[1] > last_admin:
                undo = (pos, deepest, count, last_admin, len(names))
                pos, last_admin = known[0], known[1]
                deepest, count = max(deepest, known[1]), count + 1
                names.append("admin")
                continue
            step = self._step(text, pos, names, deepest, count, last_admin, labelled)
            if step is None and undo is not None and names and names[-1] == "admin":
                # 海湖新区西城名邸: 西城 is a township somewhere, but here it begins an estate's name
                u_pos, u_deepest, u_count, u_last, u_len = undo
                alt = self._step(text, u_pos, names[:u_len], u_deepest, u_count, u_last, labelled, below_only=True)
                if alt is not None and alt[0] > pos:
                    pos, deepest, count, last_admin = u_pos, u_deepest, u_count, u_last
                    del names[u_len:]
                    step = alt
            undo = None
            if not step:
                break
            pos, lvl, name = step
            if lvl <= 4:
                last_admin = lvl
            deepest, count = max(deepest, lvl), count + 1
            names.append(name)
        return pos, deepest, names

    def _step(
        self, text: str, pos: int, names: list[str], deepest: int, count: int, last_admin: int, labelled: bool,
        below_only: bool = False,
    ) -> tuple[int, int, str] | None:
        """The next component at pos: (end, level, name), or None."""
        comps = self._rx["comps"]
        levels = self._rx["levels"]
        for name, rx in comps.items():
            lvl = levels[name]
            if below_only and lvl <= 4:
                continue
            if lvl <= 4:
                # a generic admin name only right after a higher known level (or a label)
                if not (last_admin and lvl > last_admin) and not (labelled and count == 0):
                    continue
            elif lvl == 5 and not (last_admin >= 3 or labelled or deepest >= 5) or lvl < deepest and name not in ("number", "room", "group", "place"):
                # a village right after a province or a prefecture is a word like 驻村 (保定市派出驻村工作队)
                continue
            m = rx.match(text, pos)
            if m and m.end() > pos:
                if name == "room" and not (deepest >= 8):
                    continue
                if name == "road" and deepest >= 8:
                    continue
                if name == "group" and not _NUMBERED_GROUP.fullmatch(m.group()):
                    if not (names and names[-1] == "village") or _CONJ.search(m.group()):
                        continue
                if name == "village" and m.group() in _VILLAGE_WORDS:
                    if not (names and names[-1] == "village") or m.group() in _COMMON_PLACE_WORDS:
                        continue
                if name == "place" and (not (labelled or deepest >= 3) or _PLACE_BAD.search(m.group())):
                    continue
                return m.end(), lvl, name
        return None

    def detect(self, text: str, ctx: DetectContext) -> Iterable[Finding]:
        out: list[Finding] = []
        taken_until = -1
        header = ctx.column_header or ""
        if header and _OFFICE_COLUMN.search(header):
            return out  # a column of offices' or companies' premises
        if header and _COLUMN.search(header):
            # a cell of an address column: the cell is the address (no label inside)
            end, _deepest, names = self.components(text, 0, labelled=True)
            if self._locates_a_home(names) and not _ORG_AFTER.match(text[end:]):
                out.append(self._finding(text, 0, end, "addresses.column", 0.9, f"address column '{header}'", ctx))
                taken_until = end
        for m in _LABEL.finditer(text):
            s = m.end()
            if s <= taken_until:
                continue
            end, _deepest, names = self.components(text, s, labelled=True)
            label = m.group("label")
            if not names or label == "住" and names[0] not in _ADMIN_NAMES:
                continue  # 守住农村..., 住院部: a bare 住 introduces a division (住永仁县...)
            if not self._a_persons_label(text, m, end):
                taken_until = _clause_end(text, end)  # an office's or a company's: do not read it again
                continue
            if not self._locates_a_home(names):
                continue  # a bare division (住在新妙镇) or nothing an address is made of
            out.append(self._finding(text, s, end, "addresses.label", 0.93, "address after a residence label", ctx))
            taken_until = end
        out.extend(self._structure(text, ctx, taken_until))
        taken = [(f.start, f.end) for f in out]
        out.extend(f for f in self._homes(text, ctx) if not any(a < f.end and f.start < b for a, b in taken))
        return out

    @staticmethod
    def _a_persons_label(text: str, m: "regex.Match[str]", end: int) -> bool:
        """Does the label introduce a person's address (not a company's, an office's, a site's)?"""
        label = m.group("label")
        before = text[max(0, m.start() - 30) : m.start()]
        if label.startswith("住所") and _COMPANY_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
            return False  # a company's registered address
        if label == "位于":
            # 其房屋位于..., 位于...的家中; not 项目位于..., 来到位于...的纪念馆
            return bool(_DWELLING_BEFORE.search(before[-8:]) or _HOME_AFTER.match(text, end))
        if _OFFICE_BEFORE_LABEL.search(before):
            return False  # 办公地址, 受理地址 ...
        # 联系地址 / 地址 after a body named just before, with no person in between
        return not (_CONTACT_LABEL.fullmatch(label) and _ORG_WORD.search(before) and not _PERSON_CUE.search(before[-12:]))

    @staticmethod
    def _locates_a_home(names: list[str]) -> bool:
        """Below the township: a village, an estate, a dwelling, or a road with its division."""
        parts = set(names)
        return bool(parts & _BELOW_TOWN) or ("road" in parts and bool(parts & _ADMIN_NAMES))

    def _structure(self, text: str, ctx: DetectContext, taken_until: int) -> list[Finding]:
        """No cue: a chain from a known division that reaches a dwelling."""
        out: list[Finding] = []
        levels = self._rx["admin_levels"]
        for m in self._rx["suffix"].finditer(text):
            e = m.end()
            # a dwelling has a number (12号, 3栋, 三组) soon after the division: look no further
            if e <= taken_until or not _NUMBER_SOON.search(text, e, e + 40):
                continue
            # find a known division ending here (2-20 chars long)
            start = None
            for n in range(2, min(21, e + 1)):
                if text[e - n : e] in levels:
                    start = e - n
            if start is None or start < taken_until or text[start : start + 2] in ("社区", "村委", "居委"):
                continue
            end, _deepest, names = self.components(text, start)
            if len(names) < 2 or not (_DWELLING.intersection(names) or "group" in names and _whole_cell(text, start, end)):
                continue
            if _ORG_AFTER.match(text[end:]):
                continue
            if _OFFICE_LABEL.search(text[max(0, start - 10) : start]):
                continue
            out.append(self._finding(text, start, end, "addresses.structure", 0.85, "address below township level", ctx))
            taken_until = end
        return out

    def _homes(self, text: str, ctx: DetectContext) -> list[Finding]:
        """The place of a private person's home: a place right before (村民|居民 ...) + name + 家."""
        out: list[Finding] = []
        sn = gazetteer.surnames()
        i = text.find("家")
        while i != -1:
            for ends in self._home_starts(text, i, sn):
                found = self._home_place(text, ends, ctx)
                if found:
                    out.append(found)
                    break
            i = text.find("家", i + 1)
        return out

    @staticmethod
    def _home_starts(text: str, i: int, sn: gazetteer.Surnames) -> list[int]:
        """Where the words before a home (老人王某 | 的村民李某) begin, for 家 at i."""
        starts = []
        for n in (3, 2, 4):  # the name: a surname and one to three characters
            p = i - n
            if p < 0 or not sn.at(text, p) or not _HAN_RUN.fullmatch(text, p, i):
                continue
            who = _HOME_WHO.search(text, max(0, p - 12), p)
            starts.append(who.start() if who else p)
        return starts

    def _home_place(self, text: str, end: int, ctx: DetectContext) -> Finding | None:
        cue = None
        for c in _TO_PLACE.finditer(text, max(0, end - 30), end):
            cue = c  # the nearest cue before the home
        if cue is None:
            return None
        s = cue.end()
        stop, _deepest, names = self.components(text, s, labelled=True)
        if stop != end or not self._locates_a_home(names):
            return None
        return self._finding(text, s, stop, "addresses.home", 0.85, "place of a private person's home", ctx)

    def _finding(self, text: str, s: int, e: int, rule: str, score: float, why: str, ctx: DetectContext) -> Finding:
        return Finding("address", s, e, text[s:e], score, rule, why, ctx.index, {})

    def admin_prefix_len(self, address: str) -> int:
        """Length of the administrative part (down to the township) of an address."""
        pos, last = 0, 0
        while pos < len(address):
            known = self._known_admin_at(address, pos)
            if known and known[1] > last:
                pos, last = known
                continue
            progressed = False
            for name, pat, lvl in _GENERIC_ADMIN:
                if last and lvl > last:
                    m = self._rx["comps"][name].match(address, pos)
                    if m:
                        pos, last, progressed = m.end(), lvl, True
                        break
            if not progressed:
                break
        return pos


_DEFAULT: AddressDetector | None = None


def default() -> AddressDetector:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = AddressDetector()
    return _DEFAULT


__all__ = ["AddressDetector", "default"]
