"""The list store: SQLite by default, PostgreSQL through the same interface.

A list update writes a whole new version of one source and switches the
``current_lists`` pointer in the same transaction, so readers see either the
previous version or the complete new one, never a mix. A failed update rolls back
and is recorded as a ``failed`` version row with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Engine,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from stopship import config
from stopship.errors import EntityNotFoundError, StoreError
from stopship.model import Entity
from stopship.store.delta import Delta, FieldChange, changed_fields
from stopship.store.schema import current_lists, entities, list_versions

_MIGRATIONS = Path(__file__).parent / "migrations"
_BATCH = 2000
_ENTITIES_BY_ID = (
    select(entities.c.entity_id, entities.c.version_id, entities.c.data)
    .join(current_lists, current_lists.c.version_id == entities.c.version_id)
    .where(entities.c.entity_id.in_(bindparam("ids", expanding=True)))
)


@dataclass(frozen=True)
class ListVersion:
    id: int
    source: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    published: date | None
    entity_count: int
    meta: dict[str, Any]
    delta: Delta | None
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.id,
            "source": self.source,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "loaded_at": self.finished_at.isoformat() if self.finished_at else None,
            "published": self.published.isoformat() if self.published else None,
            "entity_count": self.entity_count,
            "counts_by_kind": self.meta.get("counts_by_kind", {}),
            "files": self.meta.get("files", []),
            "datasets": self.meta.get("datasets", []),
            "issue_count": self.meta.get("issue_count", 0),
            "delta": self.delta.summary() if self.delta else None,
            "error": self.error,
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt


class Store:
    """Entities and list versions in a SQL database (SQLAlchemy URL)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or config.db_url()
        try:
            self.engine: Engine = create_engine(self.url, future=True)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot open store {self._safe_url()}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    def _safe_url(self) -> str:
        return self.url.split("@")[-1] if "@" in self.url else self.url

    def _migrate(self) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open or migrate store {self._safe_url()}: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ writing

    def replace_source(
        self,
        source: str,
        items: Iterable[Entity],
        *,
        published: date | None,
        meta: dict[str, Any],
        started_at: datetime | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> ListVersion:
        """Write a complete new version of ``source`` and put it in service atomically."""
        started = started_at or _now()
        try:
            with self.engine.begin() as conn:
                prev_id = conn.execute(
                    select(current_lists.c.version_id).where(current_lists.c.source == source)
                ).scalar_one_or_none()
                vid = int(
                    conn.execute(
                        insert(list_versions)
                        .values(
                            source=source,
                            status="loading",
                            started_at=started,
                            published=published,
                            entity_count=0,
                            meta={},
                        )
                        .returning(list_versions.c.id)
                    ).scalar_one()
                )
                new_hashes: dict[str, str] = {}
                counts: dict[str, int] = {}
                batch: list[dict[str, Any]] = []
                for ent in items:
                    if ent.source != source:
                        raise StoreError(f"entity {ent.id} is of source {ent.source}, not {source}")
                    data = ent.model_dump_json()
                    h = ent.content_hash()
                    if ent.id in new_hashes:
                        raise StoreError(f"duplicate entity id {ent.id} in source {source}")
                    new_hashes[ent.id] = h
                    counts[ent.kind.value] = counts.get(ent.kind.value, 0) + 1
                    batch.append(
                        {
                            "version_id": vid,
                            "entity_id": ent.id,
                            "source": source,
                            "kind": ent.kind.value,
                            "caption": ent.caption,
                            "content_hash": h,
                            "data": data,
                        }
                    )
                    if len(batch) >= _BATCH:
                        conn.execute(insert(entities), batch)
                        if on_batch:
                            on_batch(len(batch))
                        batch = []
                if batch:
                    conn.execute(insert(entities), batch)
                    if on_batch:
                        on_batch(len(batch))
                delta = self._delta(conn, source, prev_id, vid, new_hashes)
                full_meta = dict(meta)
                full_meta["counts_by_kind"] = dict(sorted(counts.items()))
                finished = _now()
                conn.execute(
                    update(list_versions)
                    .where(list_versions.c.id == vid)
                    .values(
                        status="current",
                        finished_at=finished,
                        entity_count=len(new_hashes),
                        meta=full_meta,
                        delta=delta.model_dump(mode="json"),
                    )
                )
                if prev_id is None:
                    conn.execute(insert(current_lists).values(source=source, version_id=vid))
                else:
                    switched = conn.execute(
                        update(current_lists)
                        .where(
                            and_(
                                current_lists.c.source == source,
                                current_lists.c.version_id == prev_id,
                            )
                        )
                        .values(version_id=vid)
                    ).rowcount
                    if switched != 1:
                        raise StoreError(
                            f"another update of {source} finished first; this one was rolled back"
                        )
                    conn.execute(
                        update(list_versions)
                        .where(list_versions.c.id == prev_id)
                        .values(status="superseded")
                    )
                    self._prune(conn, source, keep={vid, prev_id})
        except SQLAlchemyError as exc:
            raise StoreError(f"writing {source} to the store failed: {exc}") from exc
        return self.version(vid)

    def record_failure(
        self, source: str, error: str, *, meta: dict[str, Any], started_at: datetime
    ) -> int:
        """Record a failed update attempt (the version in service is untouched)."""
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    insert(list_versions)
                    .values(
                        source=source,
                        status="failed",
                        started_at=started_at,
                        finished_at=_now(),
                        published=None,
                        entity_count=0,
                        meta=meta,
                        error=error,
                    )
                    .returning(list_versions.c.id)
                ).scalar_one()
            )

    def _delta(
        self,
        conn: Connection,
        source: str,
        prev_id: int | None,
        vid: int,
        new_hashes: dict[str, str],
    ) -> Delta:
        old_hashes: dict[str, str] = {}
        if prev_id is not None:
            old_hashes = {
                r.entity_id: r.content_hash
                for r in conn.execute(
                    select(entities.c.entity_id, entities.c.content_hash).where(
                        entities.c.version_id == prev_id
                    )
                )
            }
        added = sorted(set(new_hashes) - set(old_hashes))
        removed = sorted(set(old_hashes) - set(new_hashes))
        changed_ids = sorted(
            i for i in set(new_hashes) & set(old_hashes) if new_hashes[i] != old_hashes[i]
        )
        changed: dict[str, list[FieldChange]] = {}
        for chunk_start in range(0, len(changed_ids), 500):
            chunk = changed_ids[chunk_start : chunk_start + 500]
            rows = conn.execute(
                select(entities.c.version_id, entities.c.entity_id, entities.c.data).where(
                    and_(
                        entities.c.version_id.in_([prev_id, vid]),
                        entities.c.entity_id.in_(chunk),
                    )
                )
            )
            pairs: dict[str, dict[int, dict[str, Any]]] = {}
            for r in rows:
                pairs.setdefault(r.entity_id, {})[r.version_id] = json.loads(r.data)
            for eid in chunk:
                both = pairs.get(eid, {})
                if prev_id in both and vid in both:
                    changed[eid] = changed_fields(both[prev_id], both[vid])
        return Delta(
            source=source,
            previous_version=prev_id,
            version=vid,
            added=added,
            removed=removed,
            changed=changed,
        )

    def _prune(self, conn: Connection, source: str, keep: set[int]) -> None:
        """Drop entity rows of versions older than the previous one (version rows stay)."""
        old = [
            r.id
            for r in conn.execute(
                select(list_versions.c.id).where(
                    and_(list_versions.c.source == source, list_versions.c.id.not_in(keep))
                )
            )
        ]
        if old:
            conn.execute(delete(entities).where(entities.c.version_id.in_(old)))

    # ------------------------------------------------------------------ reading

    def current_versions(self) -> list[ListVersion]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(list_versions)
                .join(current_lists, current_lists.c.version_id == list_versions.c.id)
                .order_by(list_versions.c.source)
            ).all()
        return [self._version_from_row(r) for r in rows]

    def current_version(self, source: str) -> ListVersion | None:
        for v in self.current_versions():
            if v.source == source:
                return v
        return None

    def version(self, version_id: int) -> ListVersion:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(list_versions).where(list_versions.c.id == version_id)
            ).one_or_none()
        if row is None:
            raise StoreError(f"no list version {version_id}")
        return self._version_from_row(row)

    def history(self, source: str | None = None, limit: int = 50) -> list[ListVersion]:
        q = select(list_versions).order_by(list_versions.c.id.desc()).limit(limit)
        if source:
            q = q.where(list_versions.c.source == source)
        with self.engine.connect() as conn:
            return [self._version_from_row(r) for r in conn.execute(q).all()]

    def get_entity(self, entity_id: str) -> Entity:
        with self.engine.connect() as conn:
            data = conn.execute(
                select(entities.c.data)
                .join(current_lists, current_lists.c.version_id == entities.c.version_id)
                .where(entities.c.entity_id == entity_id)
            ).scalar_one_or_none()
        if data is None:
            raise EntityNotFoundError(f"no entity {entity_id!r} in the lists in service")
        return Entity.model_validate_json(data)

    def entity_records(self, entity_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
        """For the entities with these ids in the lists in service (missing ones are left
        out), in one read: the list version they are in and their JSON as stored
        (``Entity.model_validate_json`` reads it). A version's rows never change, so
        (entity id, version) identifies a record."""
        ids = sorted(set(entity_ids))
        if not ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(_ENTITIES_BY_ID, {"ids": ids}).all()
        return {r.entity_id: (int(r.version_id), r.data) for r in rows}

    def iter_entities(self, sources: Iterable[str] | None = None) -> Iterator[Entity]:
        """All entities of the versions in service (optionally of some sources)."""
        q = (
            select(entities.c.data)
            .join(current_lists, current_lists.c.version_id == entities.c.version_id)
            .order_by(entities.c.entity_id)
        )
        if sources is not None:
            q = q.where(entities.c.source.in_(list(sources)))
        with self.engine.connect() as conn:
            for (data,) in conn.execution_options(stream_results=True, yield_per=_BATCH).execute(q):
                yield Entity.model_validate_json(data)

    def entity_count(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(entities)
                    .join(current_lists, current_lists.c.version_id == entities.c.version_id)
                ).scalar_one()
            )

    @staticmethod
    def _version_from_row(r: Any) -> ListVersion:
        return ListVersion(
            id=r.id,
            source=r.source,
            status=r.status,
            started_at=_aware(r.started_at) or _now(),
            finished_at=_aware(r.finished_at),
            published=r.published,
            entity_count=r.entity_count,
            meta=r.meta or {},
            delta=Delta.model_validate(r.delta) if r.delta else None,
            error=r.error,
        )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
