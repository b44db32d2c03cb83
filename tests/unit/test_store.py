from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stopship.errors import EntityNotFoundError, StoreError
from stopship.model import Entity, EntityKind, Name, NameType
from stopship.store import Store
from tests.store_backends import pg_available, pg_database, sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store(sqlite_url(tmp_path))
        yield s
        s.close()
        return
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    with pg_database() as url:
        s = Store(url)
        yield s
        s.close()


def ent(rid: str, name: str, kind: EntityKind = EntityKind.ORGANIZATION, src: str = "t") -> Entity:
    return Entity(
        id=f"{src}:{rid}",
        source=src,
        record_id=rid,
        kind=kind,
        names=(Name(value=name, type=NameType.PRIMARY, script="Latn"),),
        raw=f"{rid},{name}",
        raw_format="csv",
    )


def test_first_load_is_in_service(store: Store) -> None:
    v = store.replace_source(
        "t",
        [ent("1", "ACME"), ent("2", "BETA", EntityKind.PERSON)],
        published=None,
        meta={"files": []},
    )
    assert v.status == "current" and v.entity_count == 2
    assert v.meta["counts_by_kind"] == {"organization": 1, "person": 1}
    assert v.delta is not None and v.delta.added == ["t:1", "t:2"]
    assert store.get_entity("t:1").caption == "ACME"
    assert [c.source for c in store.current_versions()] == ["t"]
    assert {e.id for e in store.iter_entities()} == {"t:1", "t:2"}


def test_second_load_records_delta_with_changed_fields(store: Store) -> None:
    store.replace_source("t", [ent("1", "ACME"), ent("2", "BETA")], published=None, meta={})
    v2 = store.replace_source(
        "t", [ent("1", "ACME HOLDINGS"), ent("3", "GAMMA")], published=None, meta={}
    )
    d = v2.delta
    assert d is not None
    assert d.added == ["t:3"] and d.removed == ["t:2"]
    fields = {c.field for c in d.changed["t:1"]}
    assert fields == {"names", "raw"}
    names_change = next(c for c in d.changed["t:1"] if c.field == "names")
    assert names_change.old[0]["value"] == "ACME"
    assert names_change.new[0]["value"] == "ACME HOLDINGS"
    with pytest.raises(EntityNotFoundError):
        store.get_entity("t:2")
    assert store.current_version("t") is not None
    assert [v.status for v in store.history("t")] == ["current", "superseded"]


def test_failed_load_leaves_previous_version_in_service(store: Store) -> None:
    v1 = store.replace_source("t", [ent("1", "ACME")], published=None, meta={})

    def broken() -> Iterator[Entity]:
        yield ent("1", "CHANGED")
        for i in range(5000):  # past one insert batch, so rows were written before the crash
            yield ent(f"n{i}", f"NEW {i}")
        raise RuntimeError("parser crashed mid-way")

    with pytest.raises(RuntimeError):
        store.replace_source("t", broken(), published=None, meta={})
    cur = store.current_version("t")
    assert cur is not None and cur.id == v1.id
    assert store.get_entity("t:1").caption == "ACME"
    assert store.entity_count() == 1
    assert all(v.status != "loading" for v in store.history("t"))


def test_duplicate_ids_are_refused_and_rolled_back(store: Store) -> None:
    store.replace_source("t", [ent("1", "ACME")], published=None, meta={})
    with pytest.raises(StoreError, match="duplicate entity id t:1"):
        store.replace_source("t", [ent("1", "X"), ent("1", "Y")], published=None, meta={})
    assert store.get_entity("t:1").caption == "ACME"


def test_failure_is_recorded_without_touching_service(store: Store) -> None:
    store.replace_source("t", [ent("1", "ACME")], published=None, meta={})
    from datetime import UTC, datetime

    store.record_failure("t", "t.csv, line 3: malformed", meta={}, started_at=datetime.now(UTC))
    hist = store.history("t")
    assert hist[0].status == "failed" and "line 3" in (hist[0].error or "")
    cur = store.current_version("t")
    assert cur is not None and cur.status == "current"


def test_old_versions_entities_are_pruned_but_versions_kept(store: Store) -> None:
    for i in range(4):
        store.replace_source("t", [ent("1", f"ACME {i}")], published=None, meta={})
    from sqlalchemy import func, select

    from stopship.store.schema import entities

    with store.engine.connect() as conn:
        versions_with_rows = conn.execute(
            select(func.count(func.distinct(entities.c.version_id)))
        ).scalar_one()
    assert versions_with_rows == 2
    assert len(store.history("t")) == 4


def test_sources_are_independent(store: Store) -> None:
    store.replace_source("a", [ent("1", "ACME", src="a")], published=None, meta={})
    store.replace_source("b", [ent("1", "BETA", src="b")], published=None, meta={})
    assert store.get_entity("a:1").caption == "ACME"
    assert store.get_entity("b:1").caption == "BETA"
    assert {e.id for e in store.iter_entities(["b"])} == {"b:1"}
    with pytest.raises(StoreError, match="is of source a"):
        store.replace_source("b", [ent("2", "X", src="a")], published=None, meta={})
