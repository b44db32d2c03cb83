"""Case management: API keys, alerts with events and evidence snapshots, suppressions,
monitored counterparties, webhooks with their delivery outbox, and the audit chain.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        _ts("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        _ts("revoked_at", True),
        _ts("last_used_at", True),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("counterparty", sa.Text, nullable=False),
        sa.Column("counterparty_key", sa.String(400), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=True),
        sa.Column("source", sa.String(32), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("document_id", sa.String(200), nullable=True),
        sa.Column("reason_code", sa.String(64), nullable=True),
        sa.Column("dedup_key", sa.String(700), nullable=False),
        sa.Column("assignee", sa.String(200), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("suppressed_by", sa.Integer, nullable=True),
        sa.Column("latest_snapshot_id", sa.Integer, nullable=True),
        sa.Column("proposed_by_key_id", sa.Integer, nullable=True),
    )
    op.create_index("ix_alerts_dedup_key", "alerts", ["dedup_key"])
    op.create_index("ix_alerts_status", "alerts", ["status"])
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
        _ts("at"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_key_id", sa.Integer, nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status_from", sa.String(32), nullable=True),
        sa.Column("status_to", sa.String(32), nullable=True),
        sa.Column("text", sa.Text, nullable=True),
    )
    op.create_index("ix_alert_events_alert_id", "alert_events", ["alert_id"])
    op.create_table(
        "evidence_snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
        _ts("at"),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("entity_fingerprint", sa.String(64), nullable=True),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    op.create_index("ix_evidence_snapshots_alert_id", "evidence_snapshots", ["alert_id"])
    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counterparty_key", sa.String(400), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("decision_event_id", sa.Integer, nullable=False, unique=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        _ts("created_at"),
        _ts("expires_at", True),
        _ts("revoked_at", True),
    )
    op.create_index("ix_suppressions_pair", "suppressions", ["counterparty_key", "entity_id"])
    op.create_table(
        "monitored",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("country", sa.String(64), nullable=True),
        sa.Column("birth_date", sa.String(10), nullable=True),
        sa.Column("id_value", sa.String(200), nullable=True),
        sa.Column("origin", sa.String(16), nullable=False),
        _ts("created_at"),
        _ts("last_screened_at"),
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("secret", sa.Text, nullable=True),
        _ts("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("webhook_id", sa.Integer, sa.ForeignKey("webhooks.id"), nullable=False),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        _ts("next_attempt_at"),
        sa.Column("last_error", sa.Text, nullable=True),
        _ts("created_at"),
        _ts("delivered_at", True),
    )
    op.create_index(
        "ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"]
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        _ts("at"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    for name in (
        "audit_head",
        "audit_log",
        "webhook_deliveries",
        "webhooks",
        "monitored",
        "suppressions",
        "evidence_snapshots",
        "alert_events",
        "alerts",
        "api_keys",
    ):
        op.drop_table(name)
