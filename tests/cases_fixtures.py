"""Shared set-up for the case-management tests (import ``env_fixture`` and
``store_url_fixture`` to use the ``env`` fixture): a store on each backend (SQLite always,
PostgreSQL when reachable), a movable clock, fictional list entities and keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stopship.cases import ApiKey, CaseService, Role
from stopship.match import Matcher, Query, QueryResult
from stopship.model import Entity
from stopship.store import Store
from tests.store_backends import pg_available, pg_database, sqlite_url

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_entities() -> list[Entity]:
    """The matcher's fictional test list (tests/fixtures/match/entities.json)."""
    data = json.loads((FIXTURES / "match" / "entities.json").read_text(encoding="utf-8"))
    return [Entity.model_validate(e) for e in data]


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclass
class Env:
    store: Store
    cases: CaseService
    clock: Clock
    matcher: Matcher

    def load(self, entities: list[Entity], source: str = "test") -> Matcher:
        """Put ``entities`` in service as a new version of ``source``; a matcher over it."""
        self.store.replace_source(source, entities, published=None, meta={})
        versions = {v.source: v.id for v in self.store.current_versions()}
        self.matcher = Matcher.build(self.store.iter_entities(), versions)
        return self.matcher

    def match(self, name: str, **kw: str) -> QueryResult:
        return self.matcher.match(Query(name=name, **kw))  # type: ignore[arg-type]

    def key(self, role: Role, name: str = "") -> ApiKey:
        return self.cases.create_key(role, name or role.value)[0]


@pytest.fixture(name="store_url", params=["sqlite", "postgresql"])
def store_url_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    with pg_database() as url:
        yield url


@pytest.fixture(name="env")
def env_fixture(store_url: str) -> Iterator[Env]:
    store = Store(store_url)
    clock = Clock()
    cases = CaseService(store, clock=clock, suppression_days=30)
    e = Env(store=store, cases=cases, clock=clock, matcher=Matcher.build([]))
    e.load(fixture_entities())
    try:
        yield e
    finally:
        store.close()
