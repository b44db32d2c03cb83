"""Re-screening on the real lists: monitored counterparties against a real OFAC delta
(the Alabuga SEZ entry arriving in a new version), with the full real match index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stopship.cases import AlertStatus, CaseService
from stopship.match import Matcher, Query
from stopship.model import Entity
from stopship.store import Store
from tests.store_backends import sqlite_url

SEZ = "ofac:45708"  # JSC Special Economic Zone of Industrial Production Alabuga


@pytest.fixture(scope="module")
def real(real_lists_home: Path) -> Iterator[tuple[Matcher, list[Entity]]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(real_lists_home))
        store = Store()
        try:
            yield Matcher.from_store(store), list(store.iter_entities(["ofac"]))
        finally:
            store.close()


def test_a_new_real_entry_alerts_only_its_monitored_spellings(
    real: tuple[Matcher, list[Entity]], tmp_path: Path
) -> None:
    matcher, ofac = real
    assert SEZ in {e.id for e in ofac}
    store = Store(sqlite_url(tmp_path))
    try:
        cases = CaseService(store)
        # version 1 of OFAC without the SEZ; the monitored customer base
        store.replace_source("ofac", [e for e in ofac if e.id != SEZ], published=None, meta={})
        for name in (
            "ОЭЗ «Алабуга»",
            "AO OEZ PPT ALABUGA",
            "Special Economic Zone of Industrial Production Alabuga",
            "Lindenhaus Büromöbel GmbH",
            "Maria Gonzalez Fernandez",
        ):
            cases.monitor(Query(name=name), actor="erp")
        # version 2 brings it: a real delta
        v2 = store.replace_source("ofac", ofac, published=None, meta={})
        assert v2.delta is not None and v2.delta.added == [SEZ] and not v2.delta.changed
        report = cases.rescreen(matcher, [v2.delta])
        assert (report.monitored, report.entities, report.queries) == (5, 1, 5)
        assert report.errors == []
        alerts = cases.list_alerts().items
        # every Alabuga spelling alerts on the new entry, and on nothing else: the other
        # Alabuga entries (OFAC, EU, UK) are in the index but not in the delta
        assert {a.entity_id for a in alerts} == {SEZ}
        assert report.alerts_opened == len(alerts) >= 2
        assert {a.counterparty for a in alerts} <= {
            "ОЭЗ «Алабуга»",
            "AO OEZ PPT ALABUGA",
            "Special Economic Zone of Industrial Production Alabuga",
        }
        for a in alerts:
            assert a.origin == "rescreen" and a.status is AlertStatus.OPEN
            assert a.evidence["entity"]["id"] == SEZ
            assert "ALABUGA" in a.evidence["entity"]["raw"].upper()
            assert a.evidence["hit"]["explanation"]["features"]
        # the same delta again: the open alerts are updated, nothing new opens
        again = cases.rescreen(matcher, [v2.delta])
        assert again.alerts_opened == 0 and again.alerts_updated == len(alerts)
        assert cases.verify_audit().ok
    finally:
        store.close()
