"""The engine contract on the local engine (no Spark needed): strict row checks, the error
output, rows in = rows out + rows in error, the same lines as the matcher gives, Parquet
input and output, delta re-screening, and the CLI options."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stopship.cli.match import result_json
from stopship.engine import LocalEngine, engine_for
from stopship.engine.delta import delta_entity_ids
from stopship.engine.rows import name_problem
from stopship.engine.session import require_spark
from stopship.errors import EngineUnavailableError, InputError
from stopship.match import Matcher, Query
from stopship.store import Store
from stopship.store.delta import Delta
from tests.cli import run
from tests.unit.test_screen_checks import BANK, COMPANY, build_small_store

#: (name, country, why it is bad or None)
ROWS: list[tuple[str, str, str | None]] = [
    ("JSC Testzone Industrial", "", None),
    ("Volgaria Credit Bank", "RU", None),
    ("Ivan Petrovich Testovsky", "", None),
    ("АО Тестзона Индастриал", "", None),
    ("Margaret Clean-Name", "GB", None),
    ("", "", "name is empty"),
    ("   ", "", "name is whitespace only"),
    ("Volgaria\x07 Credit Bank", "", "control character U+0007"),
    ("Testzone \ufffd Industrial", "", "U+FFFD"),
    ("x" * 1001, "", "1001 characters long"),
    ("!!!", "", "no letters or digits"),
    ("Volgaria Credit Bank", "Atlantis", "not an ISO code"),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    h = tmp_path_factory.mktemp("engine-local") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(h))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        build_small_store(h)
        Matcher.from_store(Store())  # build and persist the index once
        yield h


def write_csv(path: Path, rows: list[tuple[str, str, str | None]]) -> Path:
    lines = ["ref,name,country"] + [
        f'r{i},"{name}",{country}' for i, (name, country, _) in enumerate(rows, start=1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "name is empty"),
        (" \t ", "name is whitespace only"),
        ("a\x00b", "name contains the control character U+0000"),
        ("Ivan\u0085", "name contains the control character U+0085"),
        ("Ivan \ufffd", "name contains U+FFFD (a character lost to a broken encoding)"),
        ("Ivan\udcff", "name is not valid UTF-8"),
        ("y" * 1001, "name is 1001 characters long; the limit is 1000"),
        ("Ivan Petrov", None),
        ("Иван Петров", None),
    ],
)
def test_name_problem(name: str, problem: str | None) -> None:
    assert name_problem(name) == problem


def test_local_engine_accounts_for_every_row(home: Path, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS)
    rep = LocalEngine(1).run_match(src, tmp_path / "out.jsonl", threshold=0.8, limit=10)
    assert (rep.rows_in, rep.rows_out, rep.rows_error) == (12, 5, 7)
    assert rep.balanced
    assert rep.errors == tmp_path / "out.errors.jsonl"
    errors = read_jsonl(rep.errors)
    bad = [(i, why) for i, (_, _, why) in enumerate(ROWS, start=1) if why]
    assert [(e["row"], e["ref"]) for e in errors] == [(i, f"r{i}") for i, _ in bad]
    for e, (i, why) in zip(errors, bad, strict=True):
        assert e["error"].startswith(f"in.csv, row {i} (line {i + 1}): ")
        assert why in e["error"]
    # the screened rows are exactly the matcher's answers, as the CLI writes them
    good = [(i, n, c) for i, (n, c, why) in enumerate(ROWS, start=1) if not why]
    matcher = Matcher.from_store(Store())
    queries = [Query(name=n, country=c or None, ref=str(i)) for i, n, c in good]
    expected = [
        json.dumps(result_json(r, i), ensure_ascii=False)
        for (i, _, _), r in zip(good, matcher.match_batch(queries, 0.8, 10), strict=True)
    ]
    assert rep.output.read_text(encoding="utf-8").splitlines() == expected
    out = read_jsonl(rep.output)
    assert out[0]["hits"][0]["entity_id"] == COMPANY and out[0]["alert"]
    assert out[1]["hits"][0]["entity_id"] == BANK
    assert rep.alerts == sum(o["alert"] for o in out) >= 3


def test_two_workers_write_the_same_bytes(home: Path, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS * 150)  # 1,800 rows: several chunks of 512
    one = LocalEngine(1).run_match(src, tmp_path / "one.jsonl", threshold=0.8, limit=10)
    two = LocalEngine(2).run_match(src, tmp_path / "two.jsonl", threshold=0.8, limit=10)
    assert one.rows_in == two.rows_in == 1800 and two.balanced
    assert one.output.read_bytes() == two.output.read_bytes()
    assert one.errors.read_bytes() == two.errors.read_bytes()


def test_parquet_in_and_out(home: Path, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    csv_rep = LocalEngine(1).run_match(
        write_csv(tmp_path / "in.csv", ROWS), tmp_path / "csv.jsonl", threshold=0.8, limit=10
    )
    table = pa.table(
        {
            "Name": [n for n, _, _ in ROWS],  # column names are matched case-insensitively
            "country": [c or None for _, c, _ in ROWS],
            "ref": [f"r{i}" for i in range(1, len(ROWS) + 1)],
        }
    )
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    rep = LocalEngine(1).run_match(src, tmp_path / "out.parquet", threshold=0.8, limit=10)
    assert rep.balanced and (rep.rows_out, rep.rows_error) == (5, 7)
    assert rep.errors == tmp_path / "out.errors.parquet"
    got = pq.read_table(rep.output).to_pylist()
    want = read_jsonl(csv_rep.output)
    assert [g["row"] for g in got] == [w["row"] for w in want]
    for g, w in zip(got, want, strict=True):
        assert g["alert"] == w["alert"]
        for key in ("query", "normalized", "list_versions", "hits", "warnings"):
            assert json.loads(g[key]) == w[key]
    errs = pq.read_table(rep.errors).to_pylist()
    assert [e["row"] for e in errs] == [e["row"] for e in read_jsonl(csv_rep.errors)]
    assert all(e["line"] is None and e["error"].startswith("in.parquet, row ") for e in errs)


def test_delta_restricts_hits_with_unchanged_scores(home: Path, tmp_path: Path) -> None:
    delta = Delta(
        source="test", previous_version=1, version=2, added=[BANK], removed=[], changed={}
    )
    dfile = tmp_path / "delta.json"
    dfile.write_text(json.dumps(delta.model_dump(mode="json")), encoding="utf-8")
    assert delta_entity_ids(dfile) == {BANK}
    src = write_csv(tmp_path / "in.csv", ROWS)
    full = LocalEngine(1).run_match(src, tmp_path / "full.jsonl", threshold=0.8, limit=10)
    part = LocalEngine(2).run_match(
        src, tmp_path / "delta.jsonl", threshold=0.8, limit=10, only=delta_entity_ids(dfile)
    )
    assert part.balanced and part.rows_out == full.rows_out
    bank_hits = 0
    for f, d in zip(read_jsonl(full.output), read_jsonl(part.output), strict=True):
        assert {h["entity_id"] for h in d["hits"]} <= {BANK}
        assert [h for h in f["hits"] if h["entity_id"] == BANK] == d["hits"]
        bank_hits += len(d["hits"])
    assert bank_hits >= 1


def test_delta_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"source": "un"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.json: not the output of `stopship lists diff"):
        delta_entity_ids(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not JSON"):
        delta_entity_ids(bad)
    with pytest.raises(InputError, match="no such file"):
        delta_entity_ids(tmp_path / "missing.json")


def test_unknown_engine_and_missing_spark(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="use local or spark"):
        engine_for("hadoop")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(EngineUnavailableError, match="needs Java"):
        require_spark()
    monkeypatch.setitem(__import__("sys").modules, "pyspark", None)
    with pytest.raises(EngineUnavailableError, match=r"needs pyspark: pip install"):
        require_spark()


def test_cli_engine_local_and_delta(home: Path, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS)
    out = tmp_path / "hits.jsonl"
    p = run(home, "match", "--engine", "local", "--input", str(src), "--output", str(out))
    assert p.returncode == 2, p.stderr  # some rows in error; all rows accounted for
    assert "12 rows in: 5 screened" in p.stderr and "7 in error" in p.stderr
    assert len(read_jsonl(out)) == 5 and len(read_jsonl(tmp_path / "hits.errors.jsonl")) == 7
    dfile = tmp_path / "d.json"
    dfile.write_text(
        json.dumps(
            {
                "source": "test",
                "previous_version": 1,
                "version": 2,
                "added": [],
                "removed": [],
                "changed": {COMPANY: []},
            }
        ),
        encoding="utf-8",
    )
    good = write_csv(tmp_path / "good.csv", [r for r in ROWS if r[2] is None])
    p = run(home, "match", "--input", str(good), "--output", str(out), "--delta", str(dfile))
    assert p.returncode == 0, p.stderr
    assert "re-screening against 1 added or changed entities" in p.stderr
    hits = [h["entity_id"] for line in read_jsonl(out) for h in line["hits"]]
    assert hits and set(hits) == {COMPANY}


def test_cli_engine_option_errors(home: Path, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS[:2])
    p = run(home, "match", "--engine", "local", "--input", str(src))
    assert p.returncode == 2 and "need --input and --output" in p.stderr
    p = run(home, "match", "--engine", "nope", "--input", str(src), "--output", "o.jsonl")
    assert p.returncode == 2 and "use local or spark" in p.stderr
    p = run(
        home,
        "match",
        "--engine",
        "local",
        "--spark-master",
        "local[1]",
        "--input",
        str(src),
        "--output",
        str(tmp_path / "o.jsonl"),
    )
    assert p.returncode == 2 and "--spark-master needs --engine spark" in p.stderr


def test_cli_spark_without_java_exits_12(home: Path, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", ROWS[:2])
    env_path = os.environ.get("PATH", "")
    os.environ["PATH"] = "/nonexistent"
    java_home = os.environ.pop("JAVA_HOME", None)
    try:
        p = run(
            home,
            "match",
            "--engine",
            "spark",
            "--input",
            str(src),
            "--output",
            str(tmp_path / "o.jsonl"),
        )
    finally:
        os.environ["PATH"] = env_path
        if java_home is not None:
            os.environ["JAVA_HOME"] = java_home
    assert p.returncode == 12, p.stderr
    assert "needs Java" in p.stderr
