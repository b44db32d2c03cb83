"""The case tables (SQLAlchemy Core). The Alembic revisions 0002 and 0003 create them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("status", String(32), nullable=False),
    Column("level", String(8), nullable=False),
    Column("counterparty", Text, nullable=False),
    Column("counterparty_key", String(400), nullable=False),
    Column("entity_id", String(200), nullable=True),
    Column("source", String(32), nullable=True),
    Column("score", Float, nullable=True),
    Column("origin", String(16), nullable=False),
    Column("document_id", String(200), nullable=True),
    Column("reason_code", String(64), nullable=True),
    Column("dedup_key", String(700), nullable=False),
    Column("assignee", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("suppressed_by", Integer, nullable=True),
    Column("latest_snapshot_id", Integer, nullable=True),
    Column("proposed_by_key_id", Integer, nullable=True),
    Index("ix_alerts_dedup_key", "dedup_key"),
    Index("ix_alerts_status", "status"),
)

alert_events = Table(
    "alert_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_key_id", Integer, nullable=True),
    Column("kind", String(16), nullable=False),
    Column("status_from", String(32), nullable=True),
    Column("status_to", String(32), nullable=True),
    Column("text", Text, nullable=True),
)

evidence_snapshots = Table(
    "evidence_snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("origin", String(16), nullable=False),
    Column("entity_fingerprint", String(64), nullable=True),
    Column("evidence", JSON, nullable=False),
)

suppressions = Table(
    "suppressions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("counterparty_key", String(400), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("decision_event_id", Integer, nullable=False, unique=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_suppressions_pair", "counterparty_key", "entity_id"),
)

monitored = Table(
    "monitored",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=True),
    Column("country", String(64), nullable=True),
    Column("birth_date", String(10), nullable=True),
    Column("id_value", String(200), nullable=True),
    Column("origin", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_screened_at", DateTime(timezone=True), nullable=False),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("secret", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", Integer, ForeignKey("webhooks.id"), nullable=False),
    Column("alert_id", Integer, ForeignKey("alerts.id"), nullable=False),
    Column("event", String(32), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # pending | delivered | dead
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    # who is sending it and until when (a lapsed claim may be taken again); revision 0003
    Column("claimed_by", String(100), nullable=True),
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)

#: append-only, hash-chained; rows are never updated or deleted
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("event", String(64), nullable=False),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

#: one row (id 1): the chain's last seq and hash; locked to append in order
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)
