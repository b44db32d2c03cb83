"""`stopship screen` and `stopship screen-payment` end to end through the real entry point
(``python -m stopship``) against the small fictional list of test_screen_checks: exit
codes, outputs, malformed input, and resuming after a torn write or a SIGKILL."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stopship.screen.screener import Screener
from stopship.store import Store
from tests.cli import cli_env as _env
from tests.cli import run
from tests.unit.test_screen_checks import BANK, COMPANY, build_small_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCREEN = FIXTURES / "screen"
PAYMENTS = FIXTURES / "payments"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A STOPSHIP_HOME with the small list stored (built here, read by the CLI)."""
    h = tmp_path_factory.mktemp("screen-cli") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(h))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        build_small_store(h)
        Screener.from_store(Store())  # builds and saves the match index once
        yield h


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_orders(path: Path, n: int) -> list[str]:
    """``n`` orders cycling through the mixed fixture (block, review, clear)."""
    base = json.loads((SCREEN / "orders_mixed.json").read_text(encoding="utf-8"))
    ids = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            o = dict(base[i % len(base)], order_id=f"N-{i:04d}")
            ids.append(o["order_id"])
            fh.write(json.dumps(o, ensure_ascii=False) + "\n")
    return ids


# ----------------------------------------------------------------------------- screen


def test_screen_mixed_orders_exit_1_with_outputs(home: Path, tmp_path: Path) -> None:
    out, rep, exp = tmp_path / "out.jsonl", tmp_path / "r.html", tmp_path / "e.csv"
    p = run(
        home,
        "screen",
        str(SCREEN / "orders_mixed.json"),
        "--output",
        str(out),
        "--report",
        str(rep),
        "--export",
        str(exp),
    )
    assert p.returncode == 1, p.stderr
    rows = read_jsonl(out)
    assert [(r["document_id"], r["decision"]) for r in rows] == [
        ("MX-1", "block"),
        ("MX-2", "review"),
        ("MX-3", "clear"),
    ]
    assert rows[0]["entity_ids"] == [COMPANY]
    assert "address_match" in {r["code"] for r in rows[0]["reasons"]}
    assert {r["code"] for r in rows[1]["reasons"]} == {"end_use_not_declared"}
    assert rows[2]["reasons"] == []
    for r in rows:
        assert r["location"].startswith("order ")
        assert r["list_versions"].keys() == {"test"}
        assert r["ruleset_version"].startswith("rules@")
    # the human summary
    assert "BLOCK" in p.stdout and "MX-1" in p.stdout and "CLEAR" in p.stdout
    page = rep.read_text(encoding="utf-8")
    assert "3 documents: 1 block," in " ".join(page.split())
    assert "<svg" in page
    with exp.open(encoding="utf-8", newline="") as fh:
        exported = list(csv.DictReader(fh))
    assert len(exported) == sum(max(1, len(r["reasons"])) for r in rows)
    assert {e["document_id"] for e in exported} == {"MX-1", "MX-2", "MX-3"}


def test_screen_all_clear_exits_0(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "clean.jsonl"
    p = run(home, "screen", str(SCREEN / "orders_clean.json"), "--output", str(out))
    assert p.returncode == 0, p.stdout + p.stderr
    rows = read_jsonl(out)
    assert [(r["document_id"], r["decision"]) for r in rows] == [
        ("CL-1", "clear"),
        ("CL-2", "clear"),
    ]


def test_screen_default_output_beside_the_file_and_xlsx_export(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "orders.json"
    src.write_bytes((SCREEN / "orders_clean.json").read_bytes())
    exp = tmp_path / "e.xlsx"
    p = run(home, "screen", str(src), "--export", str(exp))
    assert p.returncode == 0, p.stderr
    assert len(read_jsonl(tmp_path / "orders.json.decisions.jsonl")) == 2
    from openpyxl import load_workbook

    wb = load_workbook(exp, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert rows[0][0] == "document_id" and [r[0] for r in rows[1:]] == ["CL-1", "CL-2"]


def test_screen_bad_export_suffix_is_an_error(home: Path, tmp_path: Path) -> None:
    p = run(
        home,
        "screen",
        str(SCREEN / "orders_clean.json"),
        "--output",
        str(tmp_path / "o.jsonl"),
        "--export",
        str(tmp_path / "e.txt"),
    )
    assert p.returncode == 2, p.stderr
    assert "e.txt" in p.stderr and ".csv" in p.stderr


def test_screen_malformed_order_exits_2_others_decided(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    p = run(home, "screen", str(SCREEN / "orders_malformed.json"), "--output", str(out))
    assert p.returncode == 2, p.stdout + p.stderr
    rows = read_jsonl(out)
    assert [r["document_id"] for r in rows] == ["OK-1", "BAD-2", "OK-3"]
    assert rows[0]["decision"] == "clear" and rows[2]["decision"] == "clear"
    bad = rows[1]
    assert "decision" not in bad
    assert bad["source"] == "orders_malformed.json"
    assert bad["location"] == "order 2 of the array"
    errors = " | ".join(bad["errors"])
    assert "orders_malformed.json, order 2 of the array: parties[0].role" in errors
    assert "'shipper'" in errors
    assert "items[0].quantity: 'ten' is not a number" in errors
    # and on the console
    flat = " ".join(p.stderr.split())
    assert "orders_malformed.json" in flat and "items[0].quantity" in flat


def test_screen_unreadable_file_is_an_error(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('[{"order_id": "X"', encoding="utf-8")
    p = run(home, "screen", str(bad), "--output", str(tmp_path / "o.jsonl"))
    assert p.returncode == 2, p.stderr
    assert "broken.json" in p.stderr and "line 1" in p.stderr


def test_screen_resumes_after_a_torn_write(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "orders.jsonl"
    ids = write_orders(src, 12)
    out = tmp_path / "out.jsonl"
    first = run(home, "screen", str(src), "--output", str(out))
    assert first.returncode == 1, first.stderr
    full = out.read_bytes().splitlines(keepends=True)
    assert len(full) == 12
    k = 5
    kept = b"".join(full[:k])
    out.write_bytes(kept + full[k][: len(full[k]) // 2])  # a torn half line
    time.sleep(0.01)  # screened_at of the new decisions differs from the old ones
    second = run(home, "screen", str(src), "--output", str(out))
    assert second.returncode == 1, second.stderr
    assert f"resuming after {k} of 12" in " ".join(second.stderr.split())
    data = out.read_bytes()
    assert data.startswith(kept)  # decisions already written are never rewritten
    rows = read_jsonl(out)
    assert [r["document_id"] for r in rows] == ids  # every order once, in order
    redone = [json.loads(line) for line in full[k:]]
    for old, new in zip(redone, rows[k:], strict=True):
        assert old["document_id"] == new["document_id"]
        assert old["decision"] == new["decision"]
    # a finished batch run again screens nothing new
    third = run(home, "screen", str(src), "--output", str(out))
    assert third.returncode == 1 and out.read_bytes() == data
    # --restart starts over
    fourth = run(home, "screen", str(src), "--output", str(out), "--restart")
    assert fourth.returncode == 1
    assert [r["document_id"] for r in read_jsonl(out)] == ids
    assert out.read_bytes() != data


def test_screen_output_longer_than_input_is_an_error(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "orders.jsonl"
    write_orders(src, 2)
    out = tmp_path / "out.jsonl"
    out.write_text('{"a": 1}\n' * 3, encoding="utf-8")
    p = run(home, "screen", str(src), "--output", str(out))
    assert p.returncode == 2
    assert "more than" in p.stderr
    assert out.read_text(encoding="utf-8") == '{"a": 1}\n' * 3


def test_screen_killed_and_rerun_loses_and_duplicates_nothing(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "orders.jsonl"
    ids = write_orders(src, 300)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "stopship", "screen", str(src), "--output", str(out)],
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_file() and out.read_bytes().count(b"\n") >= 20:
                break
            time.sleep(0.002)
        assert proc.poll() is None, "the batch finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    written = out.read_bytes()
    done = written.count(b"\n")
    assert 20 <= done < 300, done
    p = run(home, "screen", str(src), "--output", str(out))
    assert p.returncode == 1, p.stderr
    rows = read_jsonl(out)
    assert len(rows) == 300
    assert [r["document_id"] for r in rows] == ids
    assert len({r["document_id"] for r in rows}) == 300
    assert out.read_bytes().startswith(written[: written.rfind(b"\n") + 1])


# ----------------------------------------------------------------------------- payments


def _payment_json(p: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["mt103_alabuga.fin", "pacs008_alabuga.xml"])
def test_screen_payment_blocks_the_listed_creditor(home: Path, name: str) -> None:
    p = run(home, "screen-payment", str(PAYMENTS / name), "--json")
    assert p.returncode == 1, p.stderr
    (d,) = _payment_json(p)
    assert d["decision"] == "block"
    assert COMPANY in d["entity_ids"]
    assert BANK in d["entity_ids"]  # the creditor agent's BIC VLGARU2K
    assert d["document_type"] == ("MT103" if name.endswith(".fin") else "pacs.008")
    creditor = [r for r in d["reasons"] if r["subject"].startswith("creditor:")]
    assert any(r["code"] == "party_match" and r["severity"] == "block" for r in creditor)
    assert isinstance(d["warnings"], list)
    assert d["list_versions"].keys() == {"test"} and d["ruleset_version"].startswith("rules@")


@pytest.mark.parametrize("name", ["mt103_clean.fin", "pacs008_clean.xml"])
def test_screen_payment_clean_clears(home: Path, name: str) -> None:
    p = run(home, "screen-payment", str(PAYMENTS / name), "--json")
    assert p.returncode == 0, p.stdout + p.stderr
    decisions = _payment_json(p)
    assert decisions and all(d["decision"] == "clear" for d in decisions)
    assert all(d["entity_ids"] == [] and d["reasons"] == [] for d in decisions)


def test_screen_payment_human_output(home: Path) -> None:
    p = run(home, "screen-payment", str(PAYMENTS / "mt103_alabuga.fin"))
    assert p.returncode == 1, p.stderr
    assert "BLOCK" in p.stdout and "TTB240315-0917" in p.stdout and COMPANY in p.stdout


def test_screen_payment_malformed_mt103_exits_3_naming_the_field(home: Path) -> None:
    p = run(home, "screen-payment", str(SCREEN / "mt103_missing_32a.fin"), "--json")
    assert p.returncode == 3, p.stdout + p.stderr
    assert p.stdout == ""
    flat = " ".join(p.stderr.split())
    assert "mt103_missing_32a.fin" in flat
    assert ":32A:" in flat and "missing" in flat
    assert "[block 4]" in flat  # the field, not read as console markup


def test_screen_payment_not_a_payment_exits_3(home: Path, tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("hello, this is not a payment\n", encoding="utf-8")
    p = run(home, "screen-payment", str(f), "--json")
    assert p.returncode == 3
    assert "note.txt" in p.stderr and "pacs.008" in p.stderr


def test_screen_payment_malformed_pacs008_exits_3_naming_the_element(home: Path) -> None:
    p = run(home, "screen-payment", str(SCREEN / "pacs008_missing_amount.xml"), "--json")
    assert p.returncode == 3, p.stdout + p.stderr
    assert p.stdout == ""
    flat = "".join(p.stderr.split())  # the console may wrap the long path anywhere
    assert "pacs008_missing_amount.xml" in flat
    assert "[FIToFICstmrCdtTrf/CdtTrfTxInf[1]/IntrBkSttlmAmt]" in flat
    assert "mandatoryelementismissing" in flat
