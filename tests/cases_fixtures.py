"""Shared set-up for the case-management tests: a store on each backend (SQLite always,
PostgreSQL when reachable), a movable clock, fictional list entities and keys. Import
``fx_env, fx_pg, fx_url`` to get the ``env`` fixture."""

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


_PG_URL: list[str] = []  # the one database of this test session, once created


@pytest.fixture(name="pg_session_url", scope="session")
def fx_pg() -> Iterator[str | None]:
    """One PostgreSQL database for all the case tests of a session (emptied before each
    test); None when PostgreSQL is not reachable. Each test module imports this fixture,
    so the first to run creates the database and drops it at the end of the session."""
    if _PG_URL:
        yield _PG_URL[0]
        return
    if pg_available():
        yield None
        return
    with pg_database() as url:
        _PG_URL.append(url)
        yield url


def _empty_pg(url: str) -> None:
    """Every table emptied, identities restarted, the audit chain back at its start."""
    from sqlalchemy import create_engine, insert, text

    from stopship.cases.audit import GENESIS
    from stopship.cases.schema import audit_head
    from stopship.cases.schema import metadata as cases_md
    from stopship.store.schema import metadata as lists_md

    names = [t.name for md in (cases_md, lists_md) for t in md.sorted_tables]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if conn.execute(text("SELECT to_regclass('audit_head')")).scalar() is None:
                return  # the first test: the Store creates the tables
            conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
            conn.execute(insert(audit_head).values(id=1, seq=0, hash=GENESIS))
    finally:
        engine.dispose()


@pytest.fixture(name="store_url", params=["sqlite", "postgresql"])
def fx_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_session_url: str | None
) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    if pg_session_url is None:
        pytest.skip(pg_available() or "PostgreSQL not reachable")
    _empty_pg(pg_session_url)
    yield pg_session_url


@pytest.fixture(name="env")
def fx_env(store_url: str) -> Iterator[Env]:
    store = Store(store_url)
    clock = Clock()
    cases = CaseService(store, clock=clock, suppression_days=30)
    e = Env(store=store, cases=cases, clock=clock, matcher=Matcher.build([]))
    e.load(fixture_entities())
    try:
        yield e
    finally:
        store.close()
