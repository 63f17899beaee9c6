"""Addresses of private persons, backed by the gazetteer of administrative divisions.

An address is a chain of components read left to right:
  province · prefecture · county · township        (admin part: names checked against the
                                                    GB/T 2260 + township gazetteer, or an
                                                    admin suffix right after a known level)
  village/community · group · road · number · estate · building · unit · floor · room
Two ways in:
  addresses.label      after 住址/住/家住/户籍地/现住/居住地/地址 ...: any chain (户籍地：...村三组)
  addresses.structure  no label: a chain that starts with a known division and reaches below
                       the township (a village group, a house number, a building, a room)
Left alone: a division on its own (楚雄州), an organisation (鹿城镇人民政府, 富民村委会主任),
a road without a number (华山南路), and addresses introduced as an office's location
(办公地址, 位于, 地址 after an organisation's name).
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
# component name -> (pattern, level); levels: 1-4 admin, 5 village, 6+ below
_NUM_START = regex.compile(rf"第?(?:{NUM})")
_CONJ = regex.compile(r"[等和与及的]")
_PLACE_BAD = regex.compile(r"[，,。；;等和与及的在]")
_BARE_ADDR = regex.compile(r"地\s*址")
_HAN = regex.compile(r"\p{Han}")
_GENERIC_ADMIN = [
    ("province", r"\p{Han}{2,7}?(?:省|自治区)", 1),
    ("prefecture", r"\p{Han}{2,14}?(?:自治州|地区|盟|市|州)", 2),
    ("county", r"\p{Han}{1,14}?(?:自治县|自治旗|县|区|市|旗)", 3),
    ("township", r"\p{Han}{1,6}?(?:街道办事处|街道|镇|乡|苏木)", 4),
]
_BELOW = [
    ("village", r"\p{Han}{0,8}?(?:村民委员会|居民委员会|村委会|居委会|社区|村|屯|寨|嘎查|农场|林场|牧场)", 5),
    ("group", rf"第?(?:{NUM})(?:村民小组|小组|组|队|社)|\p{{Han}}{{0,6}}?(?:村民小组|小组|组|队)", 6),
    ("road", rf"\p{{Han}}{{1,10}}?(?:大道|路|街|巷|弄|胡同|道)(?:(?:{NUM})(?:段|巷|弄|条))?", 7),
    ("number", rf"(?:附|之)?(?:{NUM})(?:[-－—](?:{NUM}))?(?:号院|号|弄|栋|幢|号楼|座)", 8),
    ("estate", r"\p{Han}{2,8}?(?:小区|花园|公寓|大厦|新村|家园|苑|庭院|宿舍|宿舍区|广场|大院)", 8),
    ("building", rf"(?:{NUM}|[A-Za-zＡ-Ｚ])(?:栋|幢|号楼|座|楼)", 9),
    ("unit", rf"(?:{NUM})单元", 10),
    ("floor", rf"(?:{NUM})(?:层|楼)", 11),
    ("room", rf"(?:{NUM})(?:室|号房|房|户)?", 12),
    # any other named place right before a group or house number: 幸福农场虚拟生活区2组48号
    ("place", r"\p{Han}{1,12}?(?=[0-9０-９]+(?:村民小组|小组|组|号|幢|栋|单元)|第\p{Han}{1,3}(?:村民小组|小组|组))", 6),
]
_LABEL = regex.compile(
    r"(?:位于|现住址|现住所|现住|家庭住址|家庭地址|住址|住所地|住所|家住|居住地|居住地址|经常居住地|户籍地址|户籍所在地|户籍地|"
    r"户籍|户口所在地|通讯地址|联系地址|送达地址|收件地址|邮寄地址|居住于|生活于|地\s*址|籍贯|住)\s*(?:[：:]\s*|在|于|为)?"
)
_OFFICE_LABEL = regex.compile(r"(?:办公地址|单位地址|办公地点|受理地点|受理地址|办理地点|窗口地址|机关地址|(?<![其家户处])位于|坐落于|设在|地处)\s*[：:]?\s*$")
_COMPANY_BEFORE = regex.compile(r"公司|统一社会信用代码|企业|个体工商户|经营场所|商店|超市|门市|名称[：:]")
# the components that make a chain the address of a dwelling rather than a place name
_DWELLING = frozenset({"group", "number", "building", "unit", "floor", "room", "estate_number"})
_ORG_WORD = regex.compile(r"(?:局|政府|委员会|办公室|办事处|中心|法院|检察院|单位|机关|窗口|大厅|公司|医院|学校|派出所|站|所|电话|热线|传真|邮编)")
_OFFICE_BEFORE_LABEL = regex.compile(r"(?:受理|办公|单位|机关|窗口|办理|咨询|服务)$")
_ORG_AFTER = regex.compile(
    r"^(?:人民政府|政府|党委|党工委|委员会|村委会|居委会|办事处|派出所|卫生院|卫生室|中心|学校|小学|中学|幼儿园|法院|"
    r"检察院|局|所|站|医院|公司|合作社|管委会|主任|书记|支部|党支部|工作|干部|委员|代表|副)"
)
_PERSON_CUE = regex.compile(r"(?:住(?:址|所|在)?[：:]|现住|家住|户籍|居住|申请人|当事人|户主|村民|居民|[，,]\s*[男女]\s*[，,]|出生|身份证|您|你|提供的|邮寄|通讯)")


class AddressDetector:
    name = "addresses"

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy

    @cached_property
    def _rx(self) -> dict[str, object]:
        comps = {name: regex.compile(rf"\G(?:{pat})") for name, pat, _ in _GENERIC_ADMIN + _BELOW}
        levels = {name: lvl for name, _, lvl in _GENERIC_ADMIN + _BELOW}
        suffix = regex.compile(r"(?:自治区|自治州|自治县|自治旗|街道|苏木|省|市|州|地区|盟|县|区|旗|镇|乡)")
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
        comps = self._rx["comps"]
        levels = self._rx["levels"]
        pos, deepest, count, last_admin = i, 0, 0, 0
        names: list[str] = []
        while pos < len(text):
            known = self._known_admin_at(text, pos) if deepest <= 4 else None
            if known and known[1] > last_admin:
                pos, last_admin = known[0], known[1]
                deepest, count = max(deepest, known[1]), count + 1
                names.append("admin")
                continue
            step = None
            for name, rx in comps.items():
                lvl = levels[name]
                if lvl <= 4:
                    # a generic admin name only right after a higher known level (or a label)
                    if not (last_admin and lvl > last_admin) and not (labelled and count == 0):
                        continue
                elif lvl == 5 and not (last_admin or labelled or deepest) or lvl < deepest and name not in ("number", "room", "group", "place"):
                    continue
                m = rx.match(text, pos)
                if m and m.end() > pos:
                    if name == "room" and not (deepest >= 8):
                        continue
                    if name == "road" and deepest >= 8:
                        continue
                    if name == "group" and not _NUM_START.match(m.group()):
                        if not (names and names[-1] == "village") or _CONJ.search(m.group()):
                            continue
                    if name == "village" and m.group() in ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "村", "屯", "寨", "嘎查", "农场", "林场", "牧场"):
                        if not (names and names[-1] == "village"):
                            continue
                    if name == "place" and (not (labelled or deepest >= 3) or _PLACE_BAD.search(m.group())):
                        continue
                    step = (m.end(), lvl, name)
                    break
            if not step:
                break
            pos, lvl, name = step
            if lvl <= 4:
                last_admin = lvl
            deepest, count = max(deepest, lvl), count + 1
            names.append(name)
        return pos, deepest, names

    def detect(self, text: str, ctx: DetectContext) -> Iterable[Finding]:
        out: list[Finding] = []
        taken_until = -1
        for m in _LABEL.finditer(text):
            s = m.end()
            if s <= taken_until:
                continue
            end, deepest, names = self.components(text, s, labelled=True)
            count = len(names)
            if count == 0 or end - s < 3:
                continue
            if _COMPANY_BEFORE.search(text[max(0, m.start() - 60) : m.start()]) and m.group().startswith("住所"):
                taken_until = end  # a company's registered address
                continue
            if deepest < 5 and m.group().strip("：: ") in ("住", "地址"):
                continue
            if deepest <= 4 and _ORG_AFTER.match(text[end:]):
                continue
            before = text[max(0, m.start() - 30) : m.start()]
            if m.group().startswith("位于") and (_ORG_WORD.search(before[-10:]) or not _HAN.match(before[-1:] or " ")):
                taken_until = end  # 局机关位于..., 项目位于...: a place, not a home
                continue
            if _OFFICE_BEFORE_LABEL.search(before) or (
                _BARE_ADDR.match(m.group()) and _ORG_WORD.search(before) and not _PERSON_CUE.search(before[-12:])
            ):
                taken_until = end  # an office's address in a notice: leave it, and do not read it again
                continue
            out.append(self._finding(text, s, end, "addresses.label", 0.93, "address after a residence label", ctx))
            taken_until = end
        suffix = self._rx["suffix"]
        div = self._rx["div"]
        for m in suffix.finditer(text):
            # find a known division ending here (2-10 chars long)
            e = m.end()
            if e <= taken_until:
                continue
            start = None
            for n in range(2, 21):
                w = text[e - n : e]
                if len(w) < n:
                    break
                if w in div.provinces or w in div.prefectures or w in div.counties or w in div.townships:
                    start = e - n
            if start is None or start < taken_until or text[start : start + 2] in ("社区", "村委", "居委"):
                continue
            end, deepest, names = self.components(text, start)
            if len(names) < 2 or not _DWELLING.intersection(names):
                continue
            if _ORG_AFTER.match(text[end:]):
                continue
            if _OFFICE_LABEL.search(text[max(0, start - 10) : start]):
                continue
            out.append(self._finding(text, start, end, "addresses.structure", 0.85, "address below township level", ctx))
            taken_until = end
        return out

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
