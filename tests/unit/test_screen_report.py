"""The HTML report (escaped, counts, chart, list entry beside the explanation) and the
CSV/XLSX exports (one row per reason, formula injection neutralised)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from stopship.model import Address
from stopship.screen.decision import Citation, Decision, Outcome, Reason, Severity, decide
from stopship.screen.orders import Order, Party, PartyRole, Route
from stopship.screen.report import EXPORT_COLUMNS, render_html, safe_cell, write_export
from stopship.screen.screener import Screener
from stopship.store import Store
from tests.unit.test_screen_checks import COMPANY, build_small_store

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screener]:
    home = tmp_path_factory.mktemp("screen-report") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(home))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        build_small_store(home)
        yield Screener.from_store(Store())


@pytest.fixture(scope="module")
def decisions(screener: Screener) -> list[Decision]:
    """A block (a party matching the fictional company), a review (the script-named
    buyer with a vague end use) and a clear order."""
    blocked = screener.screen_order(
        Order(
            order_id="B-1",
            parties=(Party(role=PartyRole.BUYER, name="Testzona Industrial AO", country="RU"),),
            end_use="making machine tools",
            route=Route(ship_from="DE", ship_to="RU"),
        )
    )
    screened = screener.screen_order(
        Order(
            order_id=f"R-2 {SCRIPT}",
            parties=(
                Party(
                    role=PartyRole.BUYER,
                    name=SCRIPT,
                    country="RU",
                    address=Address(full=f"ul. Lenina 3 {SCRIPT}, Yelabuga", country="RU"),
                ),
            ),
            end_use=f"resale {SCRIPT}",
            route=Route(ship_from="DE", ship_to="RU"),
        )
    )
    # and a weak party match for the script-named buyer, its explanation carrying the name
    (real,) = [r for r in blocked.reasons if r.code == "party_match"]
    hit = json.loads(json.dumps(real.evidence["hit"]))
    hit["explanation"]["query_name"] = SCRIPT
    hit["explanation"]["token_pairs"][0]["query"] = SCRIPT
    weak = real.model_copy(
        update={
            "severity": Severity.REVIEW,
            "subject": f"buyer: {SCRIPT}",
            "message": f"buyer '{SCRIPT}' matches {COMPANY}",
            "evidence": {"hit": hit},
        }
    )
    review = decide(
        screened.document_id,
        screened.document_type,
        [*screened.reasons, weak],
        screened.list_versions,
        screened.ruleset_version,
    )
    clear = screener.screen_order(
        Order(
            order_id="C-3",
            parties=(Party(role=PartyRole.BUYER, name="Lindenhaus Buromobel GmbH", country="DE"),),
            end_use="furnishing our own offices",
            route=Route(ship_from="DE", ship_to="DE"),
        )
    )
    assert [d.decision for d in (blocked, review, clear)] == [
        Outcome.BLOCK,
        Outcome.REVIEW,
        Outcome.CLEAR,
    ]
    return [blocked, review, clear]


# ----------------------------------------------------------------------------- HTML


def test_html_escapes_user_text(decisions: list[Decision]) -> None:
    page = render_html(decisions, title=f"report {SCRIPT}")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # document id, subject and message each carry the text, all escaped
    # title, document id, address subject, party subject and message, the explanation
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 7
    side = re.findall(r"<h4>Document</h4><p>([^<]*)</p>", page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in side
    assert "<title>report &lt;script&gt;" in page


def test_html_escapes_text_inside_quotes_and_links() -> None:
    r = Reason(
        check="route",
        code="x",
        severity=Severity.REVIEW,
        message='say "hi" \' <marquee>',
        subject="s",
        source=Citation(name="N", url='https://example.org/"><img src=x onerror=alert(1)>'),
    )
    page = render_html([decide("D", "order", [r], {}, "rules@1")])
    assert "<img" not in page and "<marquee>" not in page
    assert "say &quot;hi&quot; &#x27; &lt;marquee&gt;" in page
    assert 'href="https://example.org/&quot;&gt;&lt;img' in page


def test_html_counts_chart_and_versions(decisions: list[Decision]) -> None:
    page = render_html(decisions)
    assert page.startswith("<!doctype html>")
    text = re.sub(r"\s+", " ", page)
    assert "3 documents: 1 block, 1 review, 1 clear." in text
    svg = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert svg is not None
    assert svg.group(0).count("<rect") == 3  # one bar per outcome
    for outcome in ("block", "review", "clear"):
        assert f">{outcome}</text>" in svg.group(0)
    # self-contained: no scripts, styles or images from elsewhere
    assert not re.search(r"<(script|link|img)\b", page)
    assert 'src="http' not in page
    version = decisions[0].list_versions["test"]
    assert f"test v{version}" in page
    assert decisions[0].ruleset_version.split(";")[0] in page
    for d in decisions:
        assert d.document_id.split(" ")[0] in page
    assert "no findings" in page  # the clear order


def test_html_shows_list_entry_beside_the_explanation(decisions: list[Decision]) -> None:
    blocked = decisions[0]
    (r,) = [r for r in blocked.reasons if r.code == "party_match"]
    hit = r.evidence["hit"]
    page = render_html([blocked])
    side = re.search(r'<div class="side">(.*?)</div></div>', page, re.S)
    assert side is not None, "no side-by-side block"
    block = side.group(1)
    assert "<h4>Document</h4>" in block and "Testzona Industrial AO" in block
    assert f"List entry {COMPANY}" in block
    assert hit["matched_name"] in block and "JSC Testzone Industrial" in block
    pairs = hit["explanation"]["token_pairs"]
    assert pairs
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([0-9.]+)</td>", page)
    for p in pairs:
        assert (p["query"], p["list"] or "—", f"{p['similarity']:.2f}") in rows
    # the reason's citation with its list version
    assert f"Source: TEST Fictional Test List (version {blocked.list_versions['test']})" in page


# ----------------------------------------------------------------------------- exports


def _reason(code: str, subject: str, message: str, source: str = "SRC") -> Reason:
    return Reason(
        check="route",
        code=code,
        severity=Severity.REVIEW,
        message=message,
        subject=subject,
        entity_ids=["x:1"],
        source=Citation(name=source),
    )


INJECTIONS = {
    "=": '=HYPERLINK("http://evil.example","click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def _injected() -> list[Decision]:
    reasons = [
        _reason(f"code{i}", value, value, source=value)
        for i, value in enumerate(INJECTIONS.values())
    ]
    return [
        Decision(
            document_id="=1+1",
            document_type="order",
            decision=Outcome.REVIEW,
            reasons=reasons,
            entity_ids=["x:1"],
            list_versions={"x": 1},
            ruleset_version="rules@1",
            screened_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        ),
        decide("plain", "MT103", [], {"x": 1}, "rules@1"),
    ]


@pytest.mark.parametrize("char", list(INJECTIONS))
def test_safe_cell_neutralises_each_formula_start(char: str) -> None:
    value = INJECTIONS[char]
    assert safe_cell(value) == "'" + value
    assert safe_cell(f"x{value}") == f"x{value}"  # only a leading character counts
    assert safe_cell(42) == 42 and safe_cell(None) is None


def _check_rows(rows: list[list[str]]) -> None:
    header, *body = rows
    assert tuple(header) == EXPORT_COLUMNS
    col = {c: i for i, c in enumerate(header)}
    assert len(body) == len(INJECTIONS) + 1  # one row per reason, one for the clear message
    for row, (char, value) in zip(body, INJECTIONS.items(), strict=False):
        for c in ("subject", "message", "source"):
            assert row[col[c]] == "'" + value, (char, c, row[col[c]])
        assert row[col["document_id"]] == "'=1+1"
        assert row[col["decision"]] == "review"
        assert row[col["entity_ids"]] == "x:1"
    clear = body[-1]
    assert clear[col["document_id"]] == "plain" and clear[col["decision"]] == "clear"
    assert (clear[col["code"]] or "") == "" and (clear[col["message"]] or "") == ""
    for row in body:
        for cell in row:
            assert cell is None or not str(cell).startswith(("=", "+", "-", "@")), row


def test_csv_export(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    write_export(path, _injected())
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    _check_rows(rows)
    col = EXPORT_COLUMNS.index("screened_at")
    assert rows[1][col] == "2026-01-02T03:04:05+00:00"


def test_xlsx_export(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    write_export(path, _injected())
    wb = load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
    wb.close()
    _check_rows(rows)
    # no cell was stored as a formula
    wb = load_workbook(path)
    try:
        for row in wb.worksheets[0].iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    finally:
        wb.close()


def test_export_of_real_decisions_has_one_row_per_reason(
    decisions: list[Decision], tmp_path: Path
) -> None:
    path = tmp_path / "e.csv"
    write_export(path, decisions)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = sum(max(1, len(d.reasons)) for d in decisions)
    assert len(rows) == expected
    blocked = [r for r in rows if r["document_id"] == "B-1"]
    assert {r["code"] for r in blocked} == {c.code for c in decisions[0].reasons}
    assert all(r["decision"] == "block" for r in blocked)
    assert any(COMPANY in r["entity_ids"] for r in blocked)
    assert all(r["ruleset_version"] == decisions[0].ruleset_version for r in rows)
