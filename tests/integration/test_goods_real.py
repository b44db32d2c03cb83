"""The packaged CHPL data file against the transcription in ../shared/lists/chpl."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from stopship.screen.goods import GoodsRules

pytestmark = pytest.mark.integration


def test_packaged_chpl_matches_the_shared_transcription(shared_lists: Path) -> None:
    path = shared_lists / "chpl" / "chpl_hs6_tiers.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    with path.open(encoding="utf-8", newline="") as fh:
        shared = {row["hs6"]: row["tier"] for row in csv.DictReader(fh)}
        fh.seek(0)
        definitions = {row["tier"]: row["tier_definition"] for row in csv.DictReader(fh)}
    rules = GoodsRules.load(defaults=True, use_env=False)
    chpl = next(h for h in rules.hs_lists if h.info.id == "chpl")
    ours = {e.hs: e.group for e in chpl.entries}

    only_ours = sorted(set(ours) - set(shared))
    only_shared = sorted(set(shared) - set(ours))
    tier_diff = sorted(
        f"{hs}: ours {ours[hs]!r}, shared {shared[hs]!r}"
        for hs in set(ours) & set(shared)
        if ours[hs] != shared[hs]
    )
    report = (
        f"only in the packaged file: {only_ours}; only in the shared transcription: "
        f"{only_shared}; tier differences: {tier_diff}"
    )
    assert (only_ours, only_shared, tier_diff) == ([], [], []), report
    assert len(ours) == len(shared) == 50

    # tier definitions agree apart from the trailing full stop
    for tier, text in definitions.items():
        assert chpl.group_definitions[tier].rstrip(".") == text.rstrip("."), tier

    # the shared file's version line names the same notice
    with path.open(encoding="utf-8", newline="") as fh:
        versions = {row["list_version"] for row in csv.DictReader(fh)}
    assert any("2024-02-23" in v for v in versions)
    assert chpl.info.version == "2024-02-23"
