"""Goods checks: HS normalisation, CHPL and annex lists, the component watch list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from stopship.errors import InputError, SourceFormatError
from stopship.screen.goods import (
    GoodsRules,
    HsCodeError,
    format_hs,
    manufacturer_key,
    normalize_hs,
    part_key,
)

CHPL_URL = "https://www.bis.gov/licensing/country-guidance/common-high-priority-items-list-chpl"


@dataclass(frozen=True)
class Item:
    hs_code: str | None = None
    part_number: str | None = None
    manufacturer: str | None = None


@pytest.fixture(scope="module")
def rules() -> GoodsRules:
    return GoodsRules.load(use_env=False)


# ---------------------------------------------------------------- HS code normalisation


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("8542.31.00", "85423100"),
        ("854231", "854231"),
        ("8542 31 0000", "8542310000"),
        ("8542.31", "854231"),
        (" 8542.31.00.00 ", "8542310000"),
        ("8542", "8542"),
        ("85", "85"),
        ("0101.21", "010121"),
        ("8542\u00a031", "854231"),  # no-break space
        ("８５４２．３１", "854231"),  # full-width digits and dot (NFKC)
        (85423100, "85423100"),
    ],
)
def test_normalize_hs_accepts_common_forms(raw: str | int, digits: str) -> None:
    assert normalize_hs(raw) == digits


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("8542A1", "only digits"),
        ("8542-31", "only digits"),
        ("HS 8542", "only digits"),
        ("85423", "5 digits"),
        ("8", "1 digits"),
        ("854231000", "9 digits"),
        ("854231000000", "12 digits"),
        ("...", "no digits"),
    ],
)
def test_normalize_hs_rejects_bad_codes_clearly(raw: str, message: str) -> None:
    with pytest.raises(HsCodeError, match=message):
        normalize_hs(raw)


def test_hs_code_error_is_an_input_error() -> None:
    with pytest.raises(InputError):
        normalize_hs("x")
    with pytest.raises(HsCodeError, match="not text"):
        normalize_hs(None)  # type: ignore[arg-type]


def test_format_hs() -> None:
    assert format_hs("85423100") == "8542.31.00"
    assert format_hs("854231") == "8542.31"
    assert format_hs("8542") == "8542"
    assert format_hs("8542310000") == "8542.31.00.00"


# ---------------------------------------------------------------- the packaged CHPL


def test_packaged_chpl_has_50_codes_in_six_tiers(rules: GoodsRules) -> None:
    chpl = next(h for h in rules.hs_lists if h.info.id == "chpl")
    assert len(chpl) == 50
    counts: dict[str, int] = {}
    for e in chpl.entries:
        counts[e.group] = counts.get(e.group, 0) + 1
        assert len(e.hs) == 6
    assert counts == {
        "Tier 1": 4,
        "Tier 2": 5,
        "Tier 3.A": 16,
        "Tier 3.B": 9,
        "Tier 4.A": 11,
        "Tier 4.B": 5,
    }
    assert chpl.info.version == "2024-02-23"
    assert chpl.info.published == "2024-02-23"
    assert chpl.info.source_url == CHPL_URL
    assert "February 23, 2024" in chpl.info.citation
    assert chpl.info.excerpt is False
    assert chpl.group_definitions["Tier 1"].startswith("Items of the highest concern")


@pytest.mark.parametrize(
    ("code", "reason", "entry"),
    [
        ("854231", "chpl_tier_1", "8542.31"),  # 6 digits
        ("8542.31.90", "chpl_tier_1", "8542.31"),  # 8-digit CN
        ("8542 39 0000", "chpl_tier_1", "8542.39"),  # 10-digit HTS
        ("8526.91.20", "chpl_tier_2", "8526.91"),
        ("8548.00.00", "chpl_tier_2", "8548.00"),
        ("8541.10.00.80", "chpl_tier_3a", "8541.10"),
        ("8807.30.00", "chpl_tier_3b", "8807.30"),
        ("9030.82", "chpl_tier_4a", "9030.82"),
        ("8457.10.10", "chpl_tier_4b", "8457.10"),
    ],
)
def test_chpl_tier_hits_at_6_8_10_digits(
    rules: GoodsRules, code: str, reason: str, entry: str
) -> None:
    hits = [r for r in rules.check_hs(code) if r.list_id == "chpl"]
    assert len(hits) == 1
    r = hits[0]
    assert (r.code, r.entry, r.match, r.severity) == (reason, entry, "exact", "review")
    assert r.hs_code == format_hs(normalize_hs(code))
    assert r.list_version == "2024-02-23"
    assert r.source_url == CHPL_URL
    assert "Common High Priority List" in r.list_name
    assert r.group_definition
    assert entry in r.message and r.group is not None and r.group in r.message


def test_codes_outside_the_lists_give_no_reason(rules: GoodsRules) -> None:
    for code in ("7324.10.00", "6109.10", "8542.90", "9608.30", "01"):
        assert rules.check_hs(code) == []


def test_a_different_subheading_in_the_same_heading_does_not_hit(rules: GoodsRules) -> None:
    assert rules.check_hs("8541.40") == []  # LEDs/photodiodes: 8541.49 is listed, 8541.40 not


def test_four_digit_heading_is_ambiguous_review(rules: GoodsRules) -> None:
    chpl = [r for r in rules.check_hs("8542") if r.list_id == "chpl"]
    assert len(chpl) == 1
    r = chpl[0]
    assert r.code == "chpl_tier_1_ambiguous"
    assert r.match == "ambiguous"
    assert r.severity == "review"
    assert r.covered == ("8542.31", "8542.32", "8542.33", "8542.39")
    assert "too short" in r.message and "8542.39" in r.message
    assert r.list_version == "2024-02-23"


def test_heading_spanning_two_tiers_gives_one_reason_per_tier(rules: GoodsRules) -> None:
    # 8471: 8471.50 is Tier 3.A, 8471.80 is Tier 4.A
    by_code = {r.code: r for r in rules.check_hs("8471") if r.list_id == "chpl"}
    assert set(by_code) == {"chpl_tier_3a_ambiguous", "chpl_tier_4a_ambiguous"}
    assert by_code["chpl_tier_3a_ambiguous"].covered == ("8471.50",)
    assert by_code["chpl_tier_4a_ambiguous"].covered == ("8471.80",)


def test_chapter_covers_every_listed_code_under_it(rules: GoodsRules) -> None:
    reasons = [r for r in rules.check_hs("90") if r.list_id == "chpl"]
    covered = {c for r in reasons for c in r.covered}
    assert covered == {
        "9013.10",
        "9013.80",
        "9014.20",
        "9014.80",
        "9027.50",
        "9030.20",
        "9030.32",
        "9030.39",
        "9030.82",
    }
    assert all(r.match == "ambiguous" and r.severity == "review" for r in reasons)


# ---------------------------------------------------------------- annex lists


def test_packaged_annex_excerpt_hits_and_is_marked_excerpt(rules: GoodsRules) -> None:
    annex = [r for r in rules.check_hs("8542.32.00") if r.list_id == "eu_833_annex_xl"]
    assert len(annex) == 1
    r = annex[0]
    assert r.code == "eu_833_annex_xl"
    assert r.list_excerpt is True
    assert "EXCERPT" in r.list_name
    assert "833/2014" in r.source
    assert r.source_url is not None and "eur-lex.europa.eu" in r.source_url


def _write_list(path: Path, entries: list[dict[str, str]], **meta: object) -> Path:
    doc = {
        "format": "stopship.hs_list/1",
        "list": {
            "id": "test_annex",
            "name": "Test annex",
            "version": "2025-01-01",
            "citation": "Test Regulation 1/2025, Annex Z",
            "source_url": "https://example.org/annex-z",
            "severity": "block",
            **meta,
        },
        "groups": {
            "Part A": {"code": "test_annex_a", "definition": "Part A items"},
            "Part B": {"code": "test_annex_b", "definition": "Part B items"},
        },
        "entries": entries,
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_extra_annex_list_with_4_and_8_digit_entries(tmp_path: Path) -> None:
    p = _write_list(
        tmp_path / "annex.json",
        [
            {"hs": "8407", "group": "Part A"},  # a whole heading
            {"hs": "8411.12.10", "group": "Part B"},  # an 8-digit CN line
        ],
    )
    rules = GoodsRules.load([p], use_env=False)
    assert "test_annex" in rules.versions and "chpl" in rules.versions
    (r,) = [x for x in rules.check_hs("8407.10.00") if x.list_id == "test_annex"]
    assert (r.code, r.severity, r.entry, r.source) == (
        "test_annex_a",
        "block",
        "8407",
        "Test Regulation 1/2025, Annex Z",
    )
    assert r.list_version == "2025-01-01"
    # the 8-digit entry: a 10-digit code under it hits, the 6-digit subheading is ambiguous
    assert [x.code for x in rules.check_hs("8411121090")] == ["test_annex_b"]
    (amb,) = rules.check_hs("8411.12")
    assert (amb.code, amb.match, amb.severity) == ("test_annex_b_ambiguous", "ambiguous", "review")
    assert rules.check_hs("8411.12.90") == []


def test_list_files_from_a_directory_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "lists"
    d.mkdir()
    _write_list(d / "a.json", [{"hs": "7318.15", "group": "Part A"}])
    monkeypatch.setenv("STOPSHIP_GOODS_LISTS", str(d))
    rules = GoodsRules.load()
    assert [r.code for r in rules.check_hs("7318.15.90")] == ["test_annex_a"]
    only = GoodsRules.load([d], defaults=False, use_env=False)
    assert set(only.versions) == {"test_annex"}


def test_a_list_with_the_same_id_replaces_the_packaged_one(tmp_path: Path) -> None:
    p = _write_list(tmp_path / "chpl_new.json", [{"hs": "8542.31", "group": "Part A"}], id="chpl")
    rules = GoodsRules.load([p], use_env=False)
    assert rules.versions["chpl"] == "2025-01-01"
    assert [r for r in rules.check_hs("8526.91") if r.list_id == "chpl"] == []


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other"}', "format"),
        (
            '{"format": "stopship.hs_list/1", "list": {"id": "x"}, "groups": {}, '
            '"entries": [{"hs": "85", "group": "g"}]}',
            "lacks name, version, citation",
        ),
    ],
)
def test_bad_list_files_name_the_file(tmp_path: Path, doc: str, message: str) -> None:
    p = tmp_path / "bad.json"
    p.write_text(doc, encoding="utf-8")
    with pytest.raises(SourceFormatError, match=message) as exc:
        GoodsRules.load([p], defaults=False, use_env=False)
    assert "bad.json" in str(exc.value)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"hs": "85423", "group": "Part A"}], "entry 1.*5 digits"),
        ([{"hs": "8542.31", "group": "Part C"}], "unknown group"),
        ([{"hs": "8542.31", "group": "Part A"}, {"hs": "854231", "group": "Part B"}], "twice"),
    ],
)
def test_bad_list_entries_are_rejected(
    tmp_path: Path, entries: list[dict[str, str]], message: str
) -> None:
    p = _write_list(tmp_path / "l.json", entries)
    with pytest.raises(SourceFormatError, match=message):
        GoodsRules.load([p], defaults=False, use_env=False)


def test_missing_extra_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such goods list"):
        GoodsRules.load([tmp_path / "nope.json"], use_env=False)


# ---------------------------------------------------------------- watch lists


def test_part_and_manufacturer_keys() -> None:
    assert part_key("nwm-32f4 07.vgt6") == "NWM32F407VGT6"
    assert manufacturer_key("Example Navigation Modules Ltd.") == "examplenavigationmodules"
    assert manufacturer_key("EXAMPLE  navigation-modules") == "examplenavigationmodules"
    assert manufacturer_key("Northwind Microdevices Co., Ltd") == "northwindmicrodevices"


def test_example_watch_list_is_marked_as_example(rules: GoodsRules) -> None:
    (wl,) = rules.watchlists
    assert wl.info.id == "watchlist_example"
    assert "EXAMPLE" in wl.info.name
    assert wl.info.version == "example-1"
    assert all("fictional" in e.source.lower() for e in wl.entries)


def test_watch_list_prefix_hit(rules: GoodsRules) -> None:
    (r,) = rules.check_item(Item(part_number="nwm32f407vgt6"))
    assert (r.code, r.match, r.severity) == ("watchlist_prefix", "prefix", "review")
    assert r.entry == "Northwind Microdevices / NWM32F4*"
    assert r.list_version == "example-1"
    assert r.source == "Example data (fictional)"
    assert "line " in r.message


def test_watch_list_exact_part_ignores_case_and_punctuation(rules: GoodsRules) -> None:
    (r,) = rules.check_item(Item(part_number="nwm gnss m10q"))
    assert (r.code, r.match) == ("watchlist_part", "part")
    assert rules.check_item(Item(part_number="NWM-GNSS-M10QX")) == []  # exact, not prefix


def test_watch_list_manufacturer_hit(rules: GoodsRules) -> None:
    (r,) = rules.check_item(Item(manufacturer="EXAMPLE NAVIGATION MODULES LIMITED"))
    assert (r.code, r.match) == ("watchlist_manufacturer", "manufacturer")
    assert rules.check_item(Item(manufacturer="Northwind Microdevices")) == []  # parts only


def test_check_item_combines_hs_and_watch_list(rules: GoodsRules) -> None:
    reasons = rules.check_item(
        Item(hs_code="8542.31.90", part_number="NWM32F411CEU6", manufacturer="Northwind")
    )
    assert [r.code for r in reasons] == ["chpl_tier_1", "eu_833_annex_xl", "watchlist_prefix"]
    for r in reasons:
        assert r.list_version and r.source
    with pytest.raises(HsCodeError):
        rules.check_item(Item(hs_code="85A"))


def test_extra_watch_list_csv(tmp_path: Path) -> None:
    p = tmp_path / "my_watch.csv"
    p.write_text(
        "# list_id: my_watch\n# name: Our watch list\n# version: 2025-06\n"
        "# source_url: https://example.org/advisory\n"
        "manufacturer,part_number,note,source,severity\n"
        "Acme Chips,AC-77*,flagged family,Advisory 2025-3,block\n"
        ",XJ 900,,Advisory 2025-4,\n",
        encoding="utf-8",
    )
    rules = GoodsRules.load([p], defaults=False, use_env=False)
    (a,) = rules.check_item(Item(part_number="ac77-01"))
    assert (a.code, a.severity, a.list_id, a.list_version) == (
        "watchlist_prefix",
        "block",
        "my_watch",
        "2025-06",
    )
    assert a.source == "Advisory 2025-3" and a.source_url == "https://example.org/advisory"
    (b,) = rules.check_item(Item(part_number="xj-900"))
    assert (b.code, b.severity) == ("watchlist_part", "review")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("manufacturer,part_number,note\n", "no 'source' column"),
        ("manufacturer,part_number,note,source\n,,x,y\n", "line 2: needs a manufacturer"),
        ("manufacturer,part_number,note,source\nA,B*,x,\n", "line 2: every watch-list row"),
        ("# name: n\nmanufacturer,part_number,note,source\nA,B*C,x,s\n", "line 3: .*trailing"),
        ("manufacturer,part_number,note,source,severity\nA,B,x,s,high\n", "severity"),
    ],
)
def test_bad_watch_lists_are_rejected(tmp_path: Path, body: str, message: str) -> None:
    p = tmp_path / "w.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(SourceFormatError, match=message):
        GoodsRules.load([p], defaults=False, use_env=False)
