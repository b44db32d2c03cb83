"""The Spark engine against every real list (../shared/lists): a few thousand queries built
from the listed names (as published, with a token moved, a letter dropped, upper-cased, in
their original script), clean names in several scripts and bad rows. Spark (local[2]) must
write the local engine's bytes: the same hits, scores and order, the same error rows."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stopship.engine import LocalEngine
from stopship.engine.spark import SparkEngine
from stopship.match import Matcher
from stopship.store import Store
from tests.spark import (
    assert_same_answers,
    spark_fixture,  # noqa: F401  (the session's SparkSession)
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
]

#: rows that must land in the error output (name, reason fragment)
BAD = [
    ("", "name is empty"),
    ("   ", "whitespace only"),
    ("OEZ\x00 Alabuga", "control character U+0000"),
    ("Alabuga\x1b[31m", "control character U+001B"),
    ("Ala\ufffdbuga", "U+FFFD"),
    ("A" * 1200, "1200 characters long"),
    ("?!?", "no letters or digits"),
]
CLEAN = [
    "Margaret Thornbury",
    "Heinrich Vollbrecht GmbH",
    "Анна Сергеевна Колесникова",
    "ООО Северный ветер",
    "Олена Шевчук",
    "王秀英",
    "深圳市华强电子有限公司",
    "مريم الحسيني",
    "Lakeside Dental Clinic LLC",
    "Yamamoto Precision Tools",
]


def _vary(rng: random.Random, name: str) -> str:
    tokens = name.split()
    pick = rng.randrange(3)
    if pick == 0 and len(tokens) > 1:
        return " ".join(tokens[1:] + tokens[:1])
    if pick == 1:
        i = max(range(len(tokens)), key=lambda k: len(tokens[k]))
        t = tokens[i]
        if len(t) > 4:
            tokens[i] = t[:2] + t[3:]
        return " ".join(tokens)
    return name.upper()


def build_queries(n_entities: int = 750) -> tuple[bytes, int, dict[str, str]]:
    """A CSV (as bytes, with one row of broken UTF-8), its row count, and the bad rows'
    refs with the reason each must be given."""
    rng = random.Random(6)
    store = Store()
    try:
        entities = list(store.iter_entities())
    finally:
        store.close()
    picked = rng.sample(entities, min(n_entities, len(entities)))
    rows: list[dict[str, str]] = []
    for e in picked:
        rows.append({"name": e.caption, "kind": e.kind.value})
        rows.append({"name": _vary(rng, e.caption)})
        other = [n.value for n in e.names if n.value != e.caption]
        if other:
            rows.append({"name": rng.choice(other), "country": rng.choice(["", "RU", "IR"])})
    for i in range(300):
        rows.append({"name": f"{rng.choice(CLEAN)} {i}" if i % 3 == 0 else rng.choice(CLEAN)})
    bad_refs: dict[str, str] = {}
    for name, why in BAD:
        pos = rng.randrange(len(rows))
        rows.insert(pos, {"name": name, "bad": why})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ref", "name", "kind", "country"])
    for i, r in enumerate(rows, start=1):
        ref = f"q{i}"
        if r.get("bad"):
            bad_refs[ref] = r["bad"]
        w.writerow([ref, r["name"], r.get("kind", ""), r.get("country", "")])
    data = buf.getvalue().encode("utf-8") + b'q-latin1,"Gazprom Neft \xc4\xd6 \xe4",,\n'
    bad_refs["q-latin1"] = "not valid UTF-8"
    return data, len(rows) + 1, bad_refs


@pytest.fixture(scope="module")
def real_home(real_lists_home: Path) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(real_lists_home))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        Matcher.from_store(Store())  # the persisted index, shared with the other tests
        yield real_lists_home


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def local_run(real_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The queries, and the local engine's answers to them (2 workers)."""
    tmp = tmp_path_factory.mktemp("spark-real")
    data, n, bad_refs = build_queries()
    src = tmp / "queries.csv"
    src.write_bytes(data)
    rep = LocalEngine(2).run_match(src, tmp / "local.jsonl", threshold=0.8, limit=10)
    return {"src": src, "n": n, "bad_refs": bad_refs, "report": rep}


def test_spark_and_local_give_the_same_answers(
    local_run: dict[str, Any], tmp_path: Path, spark: Any
) -> None:
    src, n, bad_refs, local = (local_run[k] for k in ("src", "n", "bad_refs", "report"))
    assert n > 2000
    sp = SparkEngine(session=spark).run_match(
        src, tmp_path / "spark.jsonl", threshold=0.8, limit=10
    )
    for rep in (local, sp):
        assert rep.rows_in == n and rep.balanced, rep
    assert (sp.rows_out, sp.rows_error, sp.alerts) == (
        local.rows_out,
        local.rows_error,
        local.alerts,
    )
    assert_same_answers(local.output, sp.output)
    assert sp.errors.read_bytes() == local.errors.read_bytes()
    out, errors = _jsonl(sp.output), _jsonl(sp.errors)
    # every injected bad row is in the error output, with its reason, and nothing else
    assert sorted(e["ref"] for e in errors) == sorted(bad_refs)
    by_ref = {e["ref"]: e["error"] for e in errors}
    for ref, why in bad_refs.items():
        assert why in by_ref[ref], (ref, by_ref[ref])
    # a real workload: most list-derived queries hit, with alerts, in score order
    with_hits = [o for o in out if o["hits"]]
    assert len(with_hits) > n // 2 and sp.alerts > n // 3
    for o in with_hits:
        scores = [h["score"] for h in o["hits"]]
        assert scores == sorted(scores, reverse=True)


def test_delta_rescreen_on_real_lists(
    local_run: dict[str, Any], tmp_path: Path, spark: Any
) -> None:
    src, full = local_run["src"], local_run["report"]
    hit_ids = sorted({h["entity_id"] for o in _jsonl(full.output) for h in o["hits"]})
    only = frozenset(hit_ids[::7])
    local = LocalEngine(2).run_match(src, tmp_path / "ld.jsonl", threshold=0.8, limit=10, only=only)
    sp = SparkEngine(session=spark).run_match(
        src, tmp_path / "sd.jsonl", threshold=0.8, limit=10, only=only
    )
    assert_same_answers(local.output, sp.output)
    got = {h["entity_id"] for o in _jsonl(sp.output) for h in o["hits"]}
    assert got and got <= only
    same = 0
    for f, d in zip(_jsonl(full.output), _jsonl(sp.output), strict=True):
        # each delta entity that the full match found is found again, with the same score
        # or a higher one (with fewer candidates, more of its names get scored)
        delta = {h["entity_id"]: h["score"] for h in d["hits"]}
        for h in f["hits"]:
            if h["entity_id"] in only:
                assert delta.get(h["entity_id"], -1) >= h["score"], (f["query"]["name"], h)
                same += delta[h["entity_id"]] == h["score"]
    assert same > 0
