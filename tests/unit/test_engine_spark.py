"""The Spark engine (local[2], one session for the test session) against the local engine
on the fictional list: the same output bytes and error rows from CSV, JSONL and Parquet,
Parquet output, delta re-screening, orders through ``stopship screen --engine spark``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stopship.cli import app
from stopship.engine import LocalEngine
from stopship.engine.rows import PARQUET_JSON_FIELDS
from stopship.engine.spark import SparkEngine
from stopship.match import Matcher
from stopship.screen.screener import Screener
from stopship.store import Store
from tests.spark import (
    answers,
    assert_same_answers,
    spark_fixture,  # noqa: F401  (the session's SparkSession)
)
from tests.unit.test_engine_local import ROWS, read_jsonl, write_csv
from tests.unit.test_screen_checks import BANK, build_small_store

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")

SCREEN = Path(__file__).resolve().parents[1] / "fixtures" / "screen"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    h = tmp_path_factory.mktemp("engine-spark") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(h))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        build_small_store(h)
        Matcher.from_store(Store())
        yield h


def both(src: Path, out: Path, spark: Any, **kw: Any) -> tuple[Any, Any]:
    local = LocalEngine(2).run_match(src, out / "local.jsonl", threshold=0.8, limit=10, **kw)
    sp = SparkEngine(session=spark).run_match(
        src, out / "spark.jsonl", threshold=0.8, limit=10, **kw
    )
    return local, sp


def test_spark_writes_the_local_engines_bytes(home: Path, tmp_path: Path, spark: Any) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS * 40)  # 480 rows over several partitions
    local, sp = both(src, tmp_path, spark)
    assert (sp.rows_in, sp.rows_out, sp.rows_error) == (480, 200, 280)
    assert sp.balanced and sp.alerts == local.alerts > 0
    assert_same_answers(local.output, sp.output)
    assert sp.errors.read_bytes() == local.errors.read_bytes()
    rows = [r["row"] for r in read_jsonl(sp.output)] + [e["row"] for e in read_jsonl(sp.errors)]
    assert sorted(rows) == list(range(1, 481))  # nothing lost, nothing doubled


def test_spark_jsonl_with_broken_bytes(home: Path, tmp_path: Path, spark: Any) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"name": "Volgaria Credit Bank", "ref": "a"}\n'
        b'{"name": "Volg\xe4ria Credit Bank"}\n'  # Latin-1 byte in a UTF-8 file
        b"not json\n"
        b'{"name": "JSC Testzone Industrial", "kind": "organization", "id": 1234567}\n'
        b'["a list"]\n'
    )
    local, sp = both(src, tmp_path, spark)
    assert (sp.rows_in, sp.rows_out, sp.rows_error) == (5, 2, 3)
    assert_same_answers(local.output, sp.output)
    assert sp.errors.read_bytes() == local.errors.read_bytes()
    reasons = [e["error"] for e in read_jsonl(sp.errors)]
    assert reasons == [
        "in.jsonl, line 2: not valid UTF-8",
        "in.jsonl, line 3: bad JSON: Expecting value",
        "in.jsonl, line 5: not a JSON object",
    ]


def test_spark_parquet_in_and_out(home: Path, tmp_path: Path, spark: Any) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in.parquet"
    table = pa.table(
        {
            "name": [n for n, _, _ in ROWS] * 20,
            "country": [c or None for _, c, _ in ROWS] * 20,
            "ref": [f"r{i}" for i in range(1, 20 * len(ROWS) + 1)],
        }
    )
    pq.write_table(table, src, row_group_size=50)
    # JSONL output: the local engine's bytes
    local, sp = both(src, tmp_path, spark)
    assert_same_answers(local.output, sp.output)
    assert sp.errors.read_bytes() == local.errors.read_bytes()
    # Parquet output: written by the executors, the same records as the local engine's
    lp = LocalEngine(1).run_match(src, tmp_path / "l.parquet", threshold=0.8, limit=10)
    sp2 = SparkEngine(session=spark).run_match(src, tmp_path / "s.parquet", threshold=0.8, limit=10)
    assert (sp2.rows_in, sp2.rows_out, sp2.rows_error) == (240, 100, 140)

    def records(path: Path) -> list[dict[str, Any]]:
        return sorted(pq.read_table(path).to_pylist(), key=lambda r: r["row"])

    assert records(lp.errors) == records(sp2.errors) and records(sp2.errors)
    ta, tb = records(lp.output), records(sp2.output)
    assert [r["row"] for r in ta] == [r["row"] for r in tb] and ta
    for a, b in zip(ta, tb, strict=True):
        parsed = [
            {k: json.loads(v) if k in PARQUET_JSON_FIELDS else v for k, v in r.items()}
            for r in (a, b)
        ]
        assert answers(parsed[0]) == answers(parsed[1])


def test_spark_delta(home: Path, tmp_path: Path, spark: Any) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS * 5)
    local, sp = both(src, tmp_path, spark, only=frozenset({BANK}))
    assert_same_answers(local.output, sp.output)
    hits = {h["entity_id"] for line in read_jsonl(sp.output) for h in line["hits"]}
    assert hits == {BANK}


def _without_time(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in read_jsonl(path):
        line.pop("screened_at", None)
        out.append(line)
    return out


def test_screen_orders_on_spark(home: Path, tmp_path: Path, spark: Any) -> None:
    Screener.from_store(Store())  # warm the index for the local run
    src = tmp_path / "orders.jsonl"
    base = json.loads((SCREEN / "orders_mixed.json").read_text(encoding="utf-8"))
    with src.open("w", encoding="utf-8") as fh:
        for i in range(60):
            fh.write(json.dumps(dict(base[i % len(base)], order_id=f"N-{i:03d}")) + "\n")
        fh.write('{"order_id": "BAD-1", "parties": "not a list"}\n')
    runner = CliRunner()
    r1 = runner.invoke(app, ["screen", str(src), "--output", str(tmp_path / "l.jsonl")])
    r2 = runner.invoke(
        app,
        ["screen", str(src), "--output", str(tmp_path / "s.jsonl"), "--engine", "spark"],
    )
    assert r1.exit_code == r2.exit_code == 2, (r1.output, r2.output)  # one order in error
    local, sp = _without_time(tmp_path / "l.jsonl"), _without_time(tmp_path / "s.jsonl")
    assert len(sp) == 61 and sp == local
    assert {d["decision"] for d in sp if "decision" in d} == {"block", "review", "clear"}
    assert "61 rows in: 60 screened" in r2.output and "1 in error" in r2.output
    # resume after a crash: the orders already in the output are not screened again
    lines = (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "s.jsonl").write_text("".join(lines[:25]), encoding="utf-8")
    r3 = runner.invoke(
        app,
        ["screen", str(src), "--output", str(tmp_path / "s.jsonl"), "--engine", "spark"],
    )
    assert "resuming after 25 of 61 orders" in r3.output
    assert "36 rows in: 35 screened" in r3.output
    assert _without_time(tmp_path / "s.jsonl") == local


def test_cli_match_engine_spark(home: Path, tmp_path: Path, spark: Any) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS)
    out = tmp_path / "hits.jsonl"
    r = CliRunner().invoke(
        app, ["match", "--engine", "spark", "--input", str(src), "--output", str(out)]
    )
    assert r.exit_code == 2, r.output  # rows in error: listed, the job completed
    assert "12 rows in: 5 screened" in r.output and "7 in error" in r.output
    assert len(read_jsonl(out)) == 5 and len(read_jsonl(tmp_path / "hits.errors.jsonl")) == 7


def test_executors_with_other_code_are_refused(
    home: Path, tmp_path: Path, spark: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver's index key (list versions + normalisation code) differs from what the
    executors compute: the job stops with a clear error instead of other answers."""
    from stopship.errors import EngineUnavailableError
    from stopship.index.build import MatchIndex

    real_key = MatchIndex.key
    monkeypatch.setattr(MatchIndex, "key", staticmethod(lambda v: "other-" + real_key(v)))
    src = write_csv(tmp_path / "in.csv", ROWS[:3])
    with pytest.raises(EngineUnavailableError, match="executors run other stopship code"):
        SparkEngine(session=spark).run_match(src, tmp_path / "o.jsonl", threshold=0.8, limit=10)
