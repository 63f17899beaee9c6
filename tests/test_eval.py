"""`redactor eval`: strict and overlap scores per kind; an official scored as a person is a
person false positive."""
from __future__ import annotations

import json

import pytest

from redactor.cli import main
from redactor.evaluate import Counts, compare, evaluate, format_table


def test_compare_strict_and_overlap():
    c = compare(gold=[(0, 3), (10, 13)], pred=[(0, 3), (10, 12), (20, 22)])
    assert (c.gold, c.pred, c.tp_strict, c.tp_overlap_gold, c.tp_overlap_pred) == (2, 3, 1, 2, 2)
    s = c.scores()
    assert s["strict_p"] == pytest.approx(1 / 3) and s["strict_r"] == pytest.approx(1 / 2)
    assert s["overlap_p"] == pytest.approx(2 / 3) and s["overlap_r"] == pytest.approx(1.0)


def test_empty_counts_score_sensibly():
    assert Counts().scores()["strict_p"] == 1.0 and Counts().scores()["strict_r"] == 1.0
    assert Counts(gold=2).scores()["strict_r"] == 0.0


def _corpus(tmp_path):
    text1 = "申请人：张三丰\n王立新局长主持会议。"
    text2 = "住址：云南省楚雄彝族自治州楚雄市鹿城镇团结路12号。"
    docs = [
        {"id": "a", "genre": "答复书", "text": text1, "spans": [
            {"start": 4, "end": 7, "kind": "person"},
            # gold says official; if it were predicted as a person it would be a person FP
            {"start": 8, "end": 11, "kind": "official"},
        ]},
        {"id": "b", "genre": "判决书", "text": text2, "spans": [{"start": 3, "end": len(text2) - 1, "kind": "address"}]},
    ]
    p = tmp_path / "mini.jsonl"
    p.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    return p


def test_evaluate_mini_corpus(tmp_path):
    res = evaluate([_corpus(tmp_path)], kinds=["person", "official", "address"])
    assert res.docs == 2
    for kind in ("person", "official", "address"):
        c = res.per_kind[kind]
        assert (c.gold, c.pred, c.tp_strict) == (1, 1, 1), kind
    assert set(res.per_genre) == {"答复书", "判决书"}
    assert "person" in format_table(res, by_genre=True)


def test_official_predicted_as_person_counts_against_person(tmp_path):
    # same text, but the gold marks 王立新 as a *person*: our official prediction is then an
    # official false positive and a person false negative (kinds are never merged)
    p = _corpus(tmp_path)
    docs = [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()]
    docs[0]["spans"][1]["kind"] = "person"
    p.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    res = evaluate([p], kinds=["person", "official"])
    assert res.per_kind["person"].gold == 2 and res.per_kind["person"].tp_strict == 1
    assert res.per_kind["official"].gold == 0 and res.per_kind["official"].pred == 1
    assert res.per_kind["official"].scores()["strict_p"] == 0.0


def test_cli_eval_prints_table_and_json(tmp_path, capsys):
    p = _corpus(tmp_path)
    assert main(["eval", str(p), "--kinds", "person,official,address", "--by-genre"]) == 0
    out = capsys.readouterr().out
    assert "person" in out and "strict" in out and "-- 判决书" in out
    assert main(["eval", str(p), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kinds"]["person"]["strict_f1"] == 1.0


def test_cli_eval_missing_corpus(tmp_path):
    assert main(["eval", str(tmp_path / "nope.jsonl")]) == 2


def test_table_shows_dash_where_nothing_is_measured_and_keeps_columns():
    """A kind with no gold span has no recall; one with no prediction has no precision: '-',
    never 'P 0.000 R 1.000'. Long kind names widen the column instead of breaking it."""
    from redactor.evaluate import EvalResult, format_table

    res = EvalResult()
    res.per_kind["disclosure_attribute"].add(Counts(gold=0, pred=3))
    res.per_kind["person"].add(Counts(gold=4, pred=0))
    lines = format_table(res).splitlines()
    disc = next(line for line in lines if line.startswith("disclosure_attribute"))
    person = next(line for line in lines if line.startswith("person"))
    assert disc.split()[3:] == ["0.000", "-", "-", "0.000", "-", "-"]
    assert person.split()[3:] == ["-", "0.000", "-", "-", "0.000", "-"]
    header = next(line for line in lines if line.startswith("kind"))
    assert len({len(header), len(disc), len(person)}) == 1  # aligned columns
