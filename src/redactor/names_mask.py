"""Masking forms for person names and addresses (shared by operators and name detectors)."""
from __future__ import annotations

import regex

from .operators import MASK_CHAR
from .textview import to_simplified, view_of

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 西门 南宫 独孤 "
    "百里 呼延 万俟 闻人 赫连 澹台 公冶 宗政 濮阳 太叔 申屠 仲孙 单于 拓跋 第五 东郭 左丘 梁丘".split()
)


def surname_of(name: str) -> str:
    # 歐陽修: the compound is looked up in simplified script, the original characters are kept
    return name[:2] if to_simplified(name[:2]) in COMPOUND_SURNAMES and len(name) > 2 else name[:1]


def mask_name(name: str) -> str:
    """张三 -> 张某, 张三丰 -> 张某某, 欧阳修 -> 欧阳某 (SPC practice: keep the surname)."""
    name = name.strip()
    if not name:
        return name
    name = regex.sub(r"[\s\u3000]+", "", name)  # 杞　明 (a two-character name padded in a table)
    sur = surname_of(name)
    given = len(name) - len(sur)
    if given <= 0:
        return sur + "某"
    return sur + ("某" if given == 1 else "某某")


_ADMIN_SUFFIX = regex.compile(r"(?:省|自治区|市|自治州|州|地区|盟|县|区|旗|镇|乡|街道|苏木)")
# The first of these ends the administrative part: roads, villages, estates, house numbers.
_BELOW_TOWNSHIP = regex.compile(r"路|街(?!道)|巷|弄|村|组|社区|小区|[0-9０-９]|号|栋|幢|单元|室|大道|胡同|屯|寨")


def _gazetteer_admin_len(address: str) -> int:
    """Length of the province..township prefix read with the division gazetteer (0: unknown)."""
    try:
        from .detect.addresses import default  # noqa: PLC0415 - loads the gazetteer lazily
    except ImportError:  # pragma: no cover - a build without the name detectors
        return 0
    return default().admin_prefix_len(address)


def generalize_address(address: str) -> str:
    """Keep the administrative part down to the township, mask the rest.

    云南省楚雄彝族自治州楚雄市鹿城镇团结路12号 -> 云南省楚雄彝族自治州楚雄市鹿城镇********
    The part kept is read on the normalised view (traditional script, format characters) and
    kept in the original's characters. A division alone is not an address to the detector, so
    the masked copy does not show a new one.
    """
    view = view_of(address)
    text = view.text
    # The gazetteer knows the names (路南镇, 新村乡, 镇沅彝族哈尼族拉祜族自治县); the suffix
    # heuristic is the fallback for places it does not list.
    best = _gazetteer_admin_len(text)
    if not best:
        stop = _BELOW_TOWNSHIP.search(text)
        head = text[: stop.start()] if stop else text
        for m in _ADMIN_SUFFIX.finditer(head):
            best = m.end()
    if best >= len(text):
        return address
    keep = view.span(0, best)[1] if best else 0
    return address[:keep] + MASK_CHAR * max(1, len(address) - keep)
