"""Lexicons for the name and address rules, loaded lazily and once from ``patterns/``.

  surnames.txt              single and compound surnames (derived from jionlp, Apache-2.0,
                            by scripts/build_gazetteer.py; plus south-west minority surnames)
  gazetteer_divisions.tsv   provinces, prefectures, counties with GB/T 2260 codes (jionlp)
  gazetteer_townships.tsv   43k townships (镇/乡/街道/苏木) by county (jionlp)
  name_labels.txt           labels that introduce a private person's name (申请人, 户主 ...)
  official_titles.txt       post titles that mark a public official (局长, 书记 ...)
  nonname_words.txt         ordinary words that begin with a surname character (高新区, 周边)
  common_words.txt          frequent two-character words (jieba's dictionary, MIT): where a name ends
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from ..patterns_data import open_pattern_file


def _rows(name: str) -> list[list[str]]:
    out = []
    with open_pattern_file(name) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            out.append(line.split("\t"))
    return out


@dataclass(frozen=True)
class Surnames:
    single: frozenset[str]
    compound: frozenset[str]
    unambiguous: frozenset[str]

    def at(self, text: str, i: int) -> str | None:
        """The surname starting at ``text[i]``, compound first, or None."""
        two = text[i : i + 2]
        if two in self.compound:
            return two
        ch = text[i : i + 1]
        return ch if ch in self.single else None


@lru_cache(maxsize=1)
def surnames() -> Surnames:
    single, compound, unamb = set(), set(), set()
    for row in _rows("surnames.txt"):
        s, flags = row[0], (row[1] if len(row) > 1 else "")
        (compound if len(s) > 1 else single).add(s)
        if "u" in flags:
            unamb.add(s)
    return Surnames(frozenset(single), frozenset(compound), frozenset(unamb))


@cache
def word_list(name: str) -> tuple[str, ...]:
    """One entry per line (first column), longest first so alternations prefer long words."""
    words = {row[0].strip() for row in _rows(name) if row and row[0].strip()}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Frequent two-character words (from jieba's dictionary, see scripts/build_gazetteer.py)."""
    return frozenset(row[0] for row in _rows("common_words.txt"))


@dataclass(frozen=True)
class Divisions:
    provinces: frozenset[str]    # full names: 云南省, 广西壮族自治区, 北京市
    prefectures: frozenset[str]  # 楚雄彝族自治州, 昆明市 and short forms 楚雄州
    counties: frozenset[str]     # 楚雄市, 禄丰县, 五华区
    townships: frozenset[str]    # 鹿城镇, 东瓜镇, 吕合镇
    shorts: frozenset[str]       # 云南, 楚雄, 禄丰 (short names of all three levels)


def _short_prefecture(name: str) -> str | None:
    # 楚雄彝族自治州 -> 楚雄州; 红河哈尼族彝族自治州 -> 红河州 (the usual written short form)
    if name.endswith("自治州"):
        core = name[:-3]
        for i in range(2, len(core)):
            if core[i:].endswith("族") or "族" in core[i : i + 3]:
                return core[:i] + "州"
    return None


@lru_cache(maxsize=1)
def divisions() -> Divisions:
    prov, pref, county, shorts = set(), set(), set(), set()
    for code, level, name, short, *_ in _rows("gazetteer_divisions.tsv"):
        target = {"1": prov, "2": pref, "3": county}[level]
        target.add(name)
        if short and len(short) >= 2:
            shorts.add(short)
        if level == "2":
            s = _short_prefecture(name)
            if s:
                pref.add(s)
    towns = {row[1] for row in _rows("gazetteer_townships.tsv") if len(row) > 1 and len(row[1]) >= 2}
    return Divisions(frozenset(prov), frozenset(pref), frozenset(county), frozenset(towns), frozenset(shorts))


__all__ = ["Divisions", "Surnames", "common_words", "divisions", "surnames", "word_list"]
