"""`stopship match` end to end through the real console entry point: single names,
option errors, and batch files (CSV, XLSX, JSONL) with per-row errors and resume."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.cli import run

UN_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "un" / "consolidated.xml"

HIT_FIELDS = {
    "entity_id",
    "source",
    "matched_name",
    "caption",
    "kind",
    "score",
    "alert",
    "explanation",
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A STOPSHIP_HOME with the UN fixture loaded (and its match index built)."""
    base = tmp_path_factory.mktemp("match-cli")
    lists = base / "lists" / "un"
    lists.mkdir(parents=True)
    shutil.copy(UN_FIXTURE, lists / "consolidated.xml")
    home = base / "home"
    p = run(home, "lists", "update", "--from", str(lists), "--source", "un")
    assert p.returncode == 0, p.stderr
    return home


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------- single name


def test_single_name_alert_json(loaded: Path) -> None:
    p = run(loaded, "match", "Zoran Quillan", "--json")
    assert p.returncode == 1, p.stderr  # 1 = at least one alert
    data = json.loads(p.stdout)
    assert data["query"]["name"] == "Zoran Quillan"
    assert data["list_versions"] == {"un": 1}
    assert data["alert"] is True
    hit = data["hits"][0]
    assert set(hit) >= HIT_FIELDS
    assert hit["entity_id"] == "un:9100001" and hit["source"] == "un"
    assert hit["kind"] == "person" and hit["alert"] is True
    assert hit["caption"].startswith("ZORAN QUILLAN")
    assert 0.8 <= hit["score"] <= 1.0
    ex = hit["explanation"]
    assert ex["token_pairs"] and {"query", "list", "similarity", "weight"} <= set(
        ex["token_pairs"][0]
    )
    assert all({"name", "value", "weight", "contribution"} <= set(f) for f in ex["features"])


def test_single_name_no_alert(loaded: Path) -> None:
    p = run(loaded, "match", "Peter Miller", "--json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["alert"] is False and not any(h["alert"] for h in data["hits"])
    human = run(loaded, "match", "Peter Miller")
    assert human.returncode == 0 and "no hits" in human.stdout


def test_single_name_human_output(loaded: Path) -> None:
    p = run(loaded, "match", "TEST SHIPPING LINE")
    assert p.returncode == 1, p.stderr
    assert "un:9200002" in p.stdout and "ALERT" in p.stdout


def test_cross_script_and_options(loaded: Path) -> None:
    # the Arabic original-script name of the fictional company
    p = run(loaded, "match", "شركة فكتلاند التجارية", "--json")
    assert p.returncode == 1, p.stderr
    assert json.loads(p.stdout)["hits"][0]["entity_id"] == "un:9200001"
    # a passport number with an unrelated name
    p = run(loaded, "match", "Somebody Else", "--id", "X1234567", "--json")
    assert p.returncode == 1, p.stderr
    hit = json.loads(p.stdout)["hits"][0]
    assert hit["entity_id"] == "un:9100001"
    assert any(f["name"] == "identifier" for f in hit["explanation"]["features"])
    # kind, country and birth date reach the scorer
    p = run(
        loaded,
        "match",
        "Zoran Quillan",
        "--kind",
        "person",
        "--country",
        "Iraq",
        "--birth-date",
        "1970-07-15",
        "--json",
    )
    assert p.returncode == 1, p.stderr
    data = json.loads(p.stdout)
    assert data["query"]["kind"] == "person" and data["query"]["country"] == "IQ"
    names = {f["name"] for f in data["hits"][0]["explanation"]["features"]}
    assert {"kind", "country", "birth_date"} <= names
    # threshold and limit
    p = run(loaded, "match", "Zoran", "--threshold", "0.5", "--limit", "1", "--json")
    data = json.loads(p.stdout)
    assert len(data["hits"]) == 1 and data["hits"][0]["alert"] is True and p.returncode == 1


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--kind", "robot"], "--kind"),
        (["--country", "Narnia"], "--country"),
        (["--country", "ZZ"], "--country"),
        (["--birth-date", "1970-13-01"], "--birth-date"),
        pytest.param(["--threshold", "1.5"], "--threshold"),
        pytest.param(["--no-such-option"], "--no-such-option"),
    ],
)
def test_bad_option_values_exit_2(loaded: Path, args: list[str], field: str) -> None:
    p = run(loaded, "match", "Zoran Quillan", *args)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert field in p.stderr
    assert "Traceback" not in p.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "empty"), ("x" * 10_000, "10000")],
    ids=["spaces", "10000-chars"],
)
def test_bad_names_exit_2(loaded: Path, name: str, message: str) -> None:
    p = run(loaded, "match", name, "--json")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert message in p.stderr.replace(",", "") and "Traceback" not in p.stderr


def test_untransliterated_script_is_a_warning(loaded: Path) -> None:
    p = run(loaded, "match", "ᏣᎳᎩ", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["warnings"]


def test_usage_errors(loaded: Path, tmp_path: Path) -> None:
    p = run(loaded, "match")
    assert p.returncode == 2 and "NAME" in p.stderr
    f = tmp_path / "q.csv"
    f.write_text("name\nZoran\n", encoding="utf-8")
    p = run(loaded, "match", "Zoran", "--input", str(f), "--output", str(tmp_path / "o.jsonl"))
    assert p.returncode == 2
    p = run(loaded, "match", "--input", str(f))
    assert p.returncode == 2 and "--output" in p.stderr
    p = run(loaded, "match", "--input", str(tmp_path / "nope.csv"), "--output", str(f))
    assert p.returncode == 2 and "nope.csv" in p.stderr


def test_no_lists_loaded(tmp_path: Path) -> None:
    p = run(tmp_path / "empty-home", "match", "Zoran Quillan")
    assert p.returncode == 7 and "lists update" in p.stderr


# ---------------------------------------------------------------------- batch

ROWS: list[dict[str, Any]] = [
    {"name": "Zoran Quillan", "kind": "person", "country": "IQ", "birth_date": "1970-07-15"},
    {"name": "Peter Miller", "kind": "", "country": "", "birth_date": ""},
    {"name": "", "kind": "person", "country": "", "birth_date": ""},  # empty name
    {"name": "Test Shipping Line", "kind": "organization", "country": "", "birth_date": ""},
    {"name": "x" * 10_000, "kind": "", "country": "", "birth_date": ""},
    {"name": "Fictland Trading Company", "kind": "", "country": "Iran", "birth_date": ""},
    {"name": "Zoran Kvilan", "kind": "", "country": "", "birth_date": "1970-99-01"},
    {"name": "Pak Song Test", "kind": "robot", "country": "", "birth_date": ""},
    {"name": "Song Pak", "kind": "person", "country": "Narnia", "birth_date": ""},
    {"name": "Somebody Else", "kind": "", "country": "", "birth_date": "", "id": "X1234567"},
]
#: 1-based rows that must come back as errors, and a word the error must contain
BAD_ROWS = {3: "empty", 5: "10000", 7: "birth_date", 8: "kind", 9: "country"}
ALERT_ROWS = {1: "un:9100001", 4: "un:9200002", 6: "un:9200001", 10: "un:9100001"}


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "name", "kind", "country", "birth_date"])
        w.writeheader()
        for r in rows:
            w.writerow({"id": "", **r})


def check_batch(out: Path, rows: list[dict[str, Any]], bad: dict[int, str]) -> None:
    lines = read_jsonl(out)
    assert len(lines) == len(rows)  # rows in == lines out
    assert [d["row"] for d in lines] == list(range(1, len(rows) + 1))
    for d in lines:
        n = d["row"]
        if n in bad:
            assert d.get("error"), d
            assert f"row {n}" in d["error"] and bad[n] in d["error"].replace(",", ""), d
        else:
            assert not d.get("error"), d
            assert d["query"]["name"] == rows[n - 1]["name"]
            assert d["list_versions"] == {"un": 1}
            if n in ALERT_ROWS:
                assert d["alert"] and d["hits"][0]["entity_id"] == ALERT_ROWS[n], d["hits"][:1]
            if n == 2:
                assert not d["alert"]


def test_batch_csv_with_bad_rows(loaded: Path, tmp_path: Path) -> None:
    src = tmp_path / "queries.csv"
    write_csv(src, ROWS)
    out = tmp_path / "out.jsonl"
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 2, p.stderr
    check_batch(out, ROWS, BAD_ROWS)
    for n in BAD_ROWS:
        assert f"row {n}" in p.stderr
    assert "queries.csv" in p.stderr


def test_batch_csv_invalid_utf8_cell(loaded: Path, tmp_path: Path) -> None:
    src = tmp_path / "latin1.csv"
    write_csv(src, ROWS[:4])
    data = src.read_bytes().replace(b"Peter Miller", b"Peter M\xfcller \xff")
    src.write_bytes(data)
    out = tmp_path / "out.jsonl"
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 2, p.stderr
    check_batch(out, ROWS[:4], {2: "UTF-8", 3: "empty"})
    assert "latin1.csv" in read_jsonl(out)[1]["error"]


def test_batch_clean_file_exits_by_alerts_not_errors(loaded: Path, tmp_path: Path) -> None:
    src = tmp_path / "clean.csv"
    write_csv(src, [ROWS[0], ROWS[1], ROWS[3]])
    out = tmp_path / "out.jsonl"
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 0, p.stderr
    assert len(read_jsonl(out)) == 3


def test_batch_xlsx(loaded: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Name", "Kind", "Country", "Birth_Date", "ID"])
    for r in ROWS:
        ws.append(
            [
                r["name"] or None,
                r["kind"] or None,
                r["country"] or None,
                r["birth_date"] or None,
                r.get("id"),
            ]
        )
    # spreadsheet-typed cells: a date cell, a datetime cell, a numeric identifier
    ws.append(["Zoran Quillan", "person", None, date(1970, 7, 15), None])
    ws.append(["Zoran Quillan", None, None, datetime(1970, 7, 15, 0, 0), None])
    ws.append([None, None, None, None, None])  # a blank row is not a row
    ws.append(["Nobody Known", None, None, None, 9998877])
    src = tmp_path / "queries.xlsx"
    wb.save(src)
    out = tmp_path / "out.jsonl"
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 2, p.stderr
    rows = [*ROWS, ROWS[0], ROWS[0], {"name": "Nobody Known"}]
    lines = read_jsonl(out)
    assert len(lines) == len(rows)
    check_batch_prefix = lines[: len(ROWS)]
    for d in check_batch_prefix:
        assert bool(d.get("error")) == (d["row"] in BAD_ROWS), d
        if d["row"] in ALERT_ROWS:
            assert d["hits"][0]["entity_id"] == ALERT_ROWS[d["row"]]
    for d in lines[len(ROWS) : len(ROWS) + 2]:
        assert not d.get("error"), d
        assert d["query"]["birth_date"] == "1970-07-15"
        assert d["alert"]
    assert lines[-1]["query"]["id"] == "9998877" and not lines[-1].get("error")


def test_batch_jsonl(loaded: Path, tmp_path: Path) -> None:
    src = tmp_path / "queries.jsonl"
    with src.open("wb") as fh:
        for r in ROWS:
            fh.write(json.dumps(r, ensure_ascii=False).encode() + b"\n")
        fh.write(b"\n")  # blank lines are not rows
        fh.write(b'{"name": "Test Shipping", "birth_date": 1970}\n')
        fh.write(b'{"name": "Peter M\xfcller"}\n')  # invalid UTF-8
        fh.write(b'{"name": "half\n')  # bad JSON
        fh.write(b'["not", "an", "object"]\n')
        fh.write(b'{"kind": "person"}\n')  # no name
    out = tmp_path / "out.jsonl"
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 2, p.stderr
    lines = read_jsonl(out)
    assert len(lines) == len(ROWS) + 5
    assert [d["row"] for d in lines] == list(range(1, len(ROWS) + 6))
    for d in lines[: len(ROWS)]:
        assert bool(d.get("error")) == (d["row"] in BAD_ROWS), d
    extra = lines[len(ROWS) :]
    assert not extra[0].get("error") and extra[0]["alert"]
    assert extra[0]["query"]["birth_date"] == "1970"
    for d, word in zip(extra[1:], ["UTF-8", "JSON", "object", "name"], strict=True):
        assert d.get("error") and word in d["error"] and "queries.jsonl" in d["error"], d


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_batch_missing_name_column(loaded: Path, tmp_path: Path, fmt: str) -> None:
    src = tmp_path / f"nameless.{fmt}"
    if fmt == "csv":
        src.write_text("full_name,kind\nZoran Quillan,person\n", encoding="utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["full_name", "kind"])
        ws.append(["Zoran Quillan", "person"])
        wb.save(src)
    out = tmp_path / "out.jsonl"
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 2
    assert f"nameless.{fmt}" in p.stderr and "name" in p.stderr
    assert not out.exists() or out.read_text() == ""


def test_batch_unreadable_files(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    for fname, content in [
        ("empty.csv", b""),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook"),
        ("queries.pdf", b"%PDF-1.4"),
    ]:
        src = tmp_path / fname
        src.write_bytes(content)
        p = run(loaded, "match", "--input", str(src), "--output", str(out))
        assert p.returncode == 2, (fname, p.stderr)
        assert fname in p.stderr and "Traceback" not in p.stderr


# ---------------------------------------------------------------------- resume

#: enough rows to span several output chunks
MANY = [
    {"name": n, "kind": "person", "country": "", "birth_date": ""}
    for i in range(1100)
    for n in [["Zoran Quillan", "Peter Miller", "", "Test Shipping", f"Person Number {i}"][i % 5]]
]


@pytest.fixture(scope="module")
def many(loaded: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A 1,100-row CSV and its complete output lines (one uninterrupted run)."""
    d = tmp_path_factory.mktemp("many")
    src = d / "many.csv"
    write_csv(src, MANY)
    out = d / "full.jsonl"
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 2, p.stderr  # every fifth row has an empty name
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(MANY)
    assert [json.loads(x)["row"] for x in lines] == list(range(1, len(MANY) + 1))
    return src, lines


@pytest.mark.parametrize("k", [0, 700])
def test_resume_after_a_torn_line(
    loaded: Path, tmp_path: Path, many: tuple[Path, list[str]], k: int
) -> None:
    src, full = many
    out = tmp_path / "out.jsonl"
    torn = full[k][: len(full[k]) // 2]
    out.write_text("".join(x + "\n" for x in full[:k]) + torn, encoding="utf-8")
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 2, p.stderr
    if k:
        assert f"resuming after row {k}" in p.stderr
    assert out.read_text(encoding="utf-8").splitlines() == full


def test_resume_of_a_complete_output_adds_nothing(
    loaded: Path, tmp_path: Path, many: tuple[Path, list[str]]
) -> None:
    src, full = many
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join(full) + "\n", encoding="utf-8")
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 0, p.stderr  # nothing left to match, no new errors
    assert out.read_text(encoding="utf-8").splitlines() == full


def test_restart_overwrites(loaded: Path, tmp_path: Path, many: tuple[Path, list[str]]) -> None:
    src, full = many
    out = tmp_path / "out.jsonl"
    out.write_text('{"row": 1, "stale": true}\n{"row": 2, "stale": true}\n{"ro', encoding="utf-8")
    p = run(loaded, "match", "--input", str(src), "--output", str(out), "--restart")
    assert p.returncode == 2, p.stderr
    assert out.read_text(encoding="utf-8").splitlines() == full


def test_output_longer_than_input_is_refused(loaded: Path, tmp_path: Path) -> None:
    src = tmp_path / "two.csv"
    write_csv(src, ROWS[:2])
    out = tmp_path / "out.jsonl"
    before = '{"row": 1}\n{"row": 2}\n{"row": 3}\n'
    out.write_text(before, encoding="utf-8")
    p = run(loaded, "match", "--input", str(src), "--output", str(out))
    assert p.returncode == 2 and "out.jsonl" in p.stderr
    assert out.read_text(encoding="utf-8") == before
