"""The store's tables (SQLAlchemy Core). Migrations in ``migrations/`` create them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

#: one row per attempted list update of one source; never deleted
list_versions = Table(
    "list_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(32), nullable=False, index=True),
    Column("status", String(16), nullable=False),  # current | superseded | failed
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("published", Date, nullable=True),
    Column("entity_count", Integer, nullable=False, default=0),
    Column("meta", JSON, nullable=False),
    Column("delta", JSON, nullable=True),
    Column("error", Text, nullable=True),
)

#: which version of each source is in service (the atomic switch)
current_lists = Table(
    "current_lists",
    metadata,
    Column("source", String(32), primary_key=True),
    Column("version_id", Integer, ForeignKey("list_versions.id"), nullable=False),
)

#: entities of the current and the previous version of each source
entities = Table(
    "entities",
    metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id"), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("source", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("caption", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_entities_entity_id", "entity_id"),
)
