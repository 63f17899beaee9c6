"""Format and integrity checks for the annotated corpus in ``corpora/``.

The corpus is written by ``scripts/make_corpus.py``; these tests are its spec: offsets point at
the annotated text, spans never overlap, splits are disjoint (document ids, texts, person
names, held-out templates), every genre is in every split, identifiers are valid, masked
names / organisations / office addresses are never annotated, and the distractors occur.
"""
from __future__ import annotations

import json
import re
import subprocess
import unicodedata
import sys
from collections import Counter
from pathlib import Path

import pytest

from redactor.detect import validators as v

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
SPLITS = ("train", "dev", "test")
KINDS = {"person", "official", "address", "id_card", "mobile", "landline", "bank_card", "email", "license_plate"}
GENRES = {"行政处罚决定书", "公示名单", "政府信息公开申请答复书", "信访答复", "通报", "判决书", "任免及领导分工通知", "政策报告"}
GAZETTEER = ROOT.parent / "shared" / "data" / "gbt2260" / "jionlp_1.5.31_china_location_5level.txt"

MASKED_NAME = re.compile(r"[\u4e00-\u9fff]{1,2}(某某|某[甲乙丙丁]|某\d|某|[Xx×＊*]{1,2}|××)")
CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def load(split: str) -> list[dict]:
    with open(CORPORA / f"{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    return {s: load(s) for s in SPLITS}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((CORPORA / "manifest.json").read_text(encoding="utf-8"))


def all_docs(corpus):
    for split in SPLITS:
        for d in corpus[split]:
            yield split, d


def spans_of(d, kind):
    return [d["text"][s["start"]:s["end"]] for s in d["spans"] if s["kind"] == kind]


# -- format -----------------------------------------------------------------------------------

def test_line_format_exact(corpus):
    for _, d in all_docs(corpus):
        assert list(d) == ["id", "genre", "text", "spans"], d["id"]
        assert isinstance(d["text"], str) and d["text"]
        for s in d["spans"]:
            assert set(s) == {"start", "end", "kind"}, d["id"]
            assert isinstance(s["start"], int) and isinstance(s["end"], int)
            assert s["kind"] in KINDS, (d["id"], s)


def test_offsets_point_at_clean_text(corpus):
    for _, d in all_docs(corpus):
        t = d["text"]
        for s in d["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(t), (d["id"], s)
            val = t[s["start"]:s["end"]]
            assert val == val.strip() and "\n" not in val and "\t" not in val, (d["id"], val)
            # spans end on a token boundary: no annotated value continues into a letter/digit
            if s["kind"] in {"id_card", "mobile", "landline", "bank_card"}:
                assert s["start"] == 0 or not t[s["start"] - 1].isdigit(), (d["id"], val)
                assert s["end"] == len(t) or not t[s["end"]].isdigit(), (d["id"], val)


def test_spans_sorted_and_disjoint(corpus):
    for _, d in all_docs(corpus):
        prev = -1
        for s in d["spans"]:
            assert s["start"] >= prev, (d["id"], s)
            prev = s["end"]


# -- splits --------------------------------------------------------------------------------------

def test_sizes_and_genres(corpus):
    sizes = {s: len(corpus[s]) for s in SPLITS}
    assert sizes["train"] >= 550 and sizes["dev"] >= 140 and sizes["test"] >= 180, sizes
    for split in SPLITS:
        genres = Counter(d["genre"] for d in corpus[split])
        assert set(genres) == GENRES, (split, genres)
        assert min(genres.values()) >= 10, (split, genres)


def test_ids_unique_and_well_formed(corpus):
    ids = [d["id"] for _, d in all_docs(corpus)]
    assert len(ids) == len(set(ids))
    prefix_genre: dict[str, str] = {}
    for _, d in all_docs(corpus):
        m = re.fullmatch(r"([a-z]+)-(\d{4})", d["id"])
        assert m, d["id"]
        assert prefix_genre.setdefault(m.group(1), d["genre"]) == d["genre"], d["id"]


def test_splits_disjoint_by_text_and_names(corpus):
    texts = {s: {d["text"] for d in corpus[s]} for s in SPLITS}
    assert not texts["train"] & texts["test"] and not texts["train"] & texts["dev"] and not texts["dev"] & texts["test"]
    names = {s: {n for d in corpus[s] for k in ("person", "official") for n in spans_of(d, k)} for s in SPLITS}
    assert not names["train"] & names["test"]
    assert not names["dev"] & names["test"]
    assert not names["train"] & names["dev"]


def test_held_out_templates_only_in_test(corpus, manifest):
    held = set(manifest["held_out_templates"])
    assert held
    docs = manifest["documents"]
    assert set(docs) == {d["id"] for _, d in all_docs(corpus)}
    used_in_test = set()
    for split, d in all_docs(corpus):
        meta = docs[d["id"]]
        assert meta["split"] == split
        used = set(meta["templates"])
        if split == "test":
            assert used & set(manifest["held_out_substantive"]), d["id"]
            used_in_test |= used & held
        else:
            assert not used & held, (d["id"], used & held)
            assert not meta["county_held_out"], d["id"]
    assert len(used_in_test) >= 0.9 * len(held)


def test_many_templates_per_genre(manifest):
    per_genre: dict[str, set[str]] = {}
    for meta in manifest["documents"].values():
        for t in meta["templates"]:
            per_genre.setdefault(t.split(".")[0], set()).add(t)
    assert len(per_genre) == 8
    for genre, ts in per_genre.items():
        assert len(ts) >= 20, (genre, len(ts))


# -- what is annotated -----------------------------------------------------------------------------

def test_identifiers_valid(corpus):
    checks = {
        "id_card": v.id18,
        "mobile": v.mobile,
        "landline": v.landline,
        "bank_card": v.bank_card,
        "license_plate": v.plate,
        "email": lambda x: re.fullmatch(r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}", x) is not None,
    }
    n = Counter()
    for _, d in all_docs(corpus):
        for kind, ok in checks.items():
            for val in spans_of(d, kind):
                norm = re.sub(r"[-\s]", "", unicodedata.normalize("NFKC", val)).upper() if kind != "email" else val
                assert ok(norm), (d["id"], kind, val)
                n[kind] += 1
    for kind in checks:
        assert n[kind] >= 5, (kind, n)


def test_names_look_like_names(corpus):
    lengths = Counter()
    for _, d in all_docs(corpus):
        for kind in ("person", "official"):
            for name in spans_of(d, kind):
                if "\u3000" in name:  # 王　伟: two-character name padded in a table column
                    assert d["genre"] == "公示名单" and len(name) == 3 and name[1] == "\u3000", (d["id"], name)
                    name = name.replace("\u3000", "")
                assert CJK.match(name) and 2 <= len(name) <= 4, (d["id"], name)
                assert "某" not in name, (d["id"], name)
                lengths[len(name)] += 1
    assert lengths[2] > 200 and lengths[3] > 1000 and lengths[4] > 50, lengths


def test_name_variety(corpus):
    persons = [n for _, d in all_docs(corpus) for n in spans_of(d, "person")]
    for compound in ("欧阳", "司马", "上官"):
        assert any(p.startswith(compound) for p in persons), compound
    for sw in "普者字起施番刀岩玉":
        assert sum(p.startswith(sw) for p in persons) >= 3, sw


def test_every_mention_annotated(corpus):
    """Once a name is annotated, every other occurrence in the document is annotated too."""
    for _, d in all_docs(corpus):
        t = d["text"]
        for kind in ("person", "official"):
            covered = {(s["start"], s["end"]) for s in d["spans"] if s["kind"] == kind}
            for name in set(spans_of(d, kind)):
                for m in re.finditer(re.escape(name), t):
                    assert (m.start(), m.end()) in covered, (d["id"], name)


def test_repeated_mentions_occur(corpus):
    repeated = sum(
        1 for _, d in all_docs(corpus) if any(c > 1 for c in Counter(spans_of(d, "person")).values())
    )
    assert repeated >= 200, repeated


def test_addresses_reach_house_or_group(corpus):
    n = 0
    for _, d in all_docs(corpus):
        for a in spans_of(d, "address"):
            assert re.search(r"(号|室|组)$", a), (d["id"], a)
            assert re.search(r"(镇|乡|街道|苏木|管委会|农场|林场|区|县|村|社区)", a), (d["id"], a)
            n += 1
    assert n >= 500


def test_address_prefix_variety(corpus):
    addrs = [a for _, d in all_docs(corpus) for a in spans_of(d, "address")]
    with_province = sum(bool(re.match(r"^.{2,8}(省|自治区|市)", a)) for a in addrs)
    assert 0.15 * len(addrs) < with_province < 0.7 * len(addrs)


def test_masked_names_never_annotated_and_present(corpus):
    found = 0
    for _, d in all_docs(corpus):
        t = d["text"]
        for m in MASKED_NAME.finditer(t):
            for s in d["spans"]:
                assert not (s["start"] < m.end() and m.start() < s["end"] and s["kind"] in ("person", "official")), (
                    d["id"], m.group())
            found += 1
    assert found >= 100, found


DISTRACTORS = ["高新区", "周边", "华山南路", "人民政府", "局长", "委员会", "人民法院"]


def test_distractors_occur_unannotated(corpus):
    for word in DISTRACTORS:
        hits = 0
        for _, d in all_docs(corpus):
            for m in re.finditer(word, d["text"]):
                hits += 1
                for s in d["spans"]:
                    if s["kind"] in ("person", "official"):
                        assert not (s["start"] < m.end() and m.start() < s["end"]), (d["id"], word)
        assert hits >= 20, (word, hits)


def test_policy_reports_have_no_personal_data(corpus):
    for _, d in all_docs(corpus):
        if d["genre"] == "政策报告":
            assert d["spans"] == [], d["id"]


def test_appointment_notices_keep_names(corpus):
    for split in SPLITS:
        n = 0
        for d in corpus[split]:
            if d["genre"] == "任免及领导分工通知":
                assert all(s["kind"] == "official" for s in d["spans"]), d["id"]
                n += len(d["spans"])
        assert n >= 20, split


def test_tables_in_both_renderings(corpus):
    tab = pipe = 0
    for _, d in all_docs(corpus):
        if d["genre"] == "公示名单":
            lines = d["text"].splitlines()
            tab += any(line.count("\t") >= 3 for line in lines)
            pipe += any(line.count(" | ") >= 3 for line in lines)
    assert tab >= 20 and pipe >= 20, (tab, pipe)


def test_every_split_has_every_kind(corpus):
    for split in SPLITS:
        kinds = Counter(s["kind"] for d in corpus[split] for s in d["spans"])
        for k in ("person", "official", "address", "id_card", "mobile", "bank_card", "license_plate"):
            assert kinds[k] >= 10, (split, k, kinds)


@pytest.mark.skipif(not GAZETTEER.exists(), reason="reference gazetteer not available")
def test_generator_is_deterministic():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_corpus.py"), "--check"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def test_identifier_spellings_vary(corpus):
    """Full-width digits, lowercase x, spaced/dashed/+86 mobiles and padded names occur."""
    ids = [x for _, d in all_docs(corpus) for x in spans_of(d, "id_card")]
    mobiles = [x for _, d in all_docs(corpus) for x in spans_of(d, "mobile")]
    names = [x for _, d in all_docs(corpus) for x in spans_of(d, "person")]
    assert any(re.search("[０-９]", x) for x in ids)
    assert any(x.endswith("x") for x in ids)
    assert any(" " in x for x in mobiles) and any("-" in x for x in mobiles) and any(x.startswith("+86") for x in mobiles)
    assert sum("\u3000" in x for x in names) >= 20


def test_readme_counts_match_files(corpus):
    """The count tables in corpora/README.md are the generator's own output for these files."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "scripts" / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus", mod)  # dataclasses look their module up by name
    spec.loader.exec_module(mod)
    readme = (CORPORA / "README.md").read_text(encoding="utf-8")
    assert mod.stats_markdown(corpus) in readme
