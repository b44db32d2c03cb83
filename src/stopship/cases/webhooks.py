"""Webhooks: every new alert is put in an outbox, one delivery per webhook, in the same
transaction as the alert; ``deliver_pending`` POSTs them, retrying with backoff."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import socket
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import ColumnElement, insert, or_, select, update
from sqlalchemy.engine import Connection

from stopship.cases import audit as audit_chain
from stopship.cases.base import ServiceBase, utc
from stopship.cases.models import Alert, ApiKey, DeliveryReport, Webhook
from stopship.cases.permissions import WEBHOOKS_MANAGE, require
from stopship.cases.rows import webhook_from_row
from stopship.cases.schema import webhook_deliveries, webhooks
from stopship.errors import CaseNotFoundError, InputError

SIGNATURE_HEADER = "X-Stopship-Signature"
DELIVERY_HEADER = "X-Stopship-Delivery"
EVENT_HEADER = "X-Stopship-Event"
#: first retry after this, doubling each time (30 s, 1 min, 2 min, 4 min, ...)
BACKOFF = timedelta(seconds=30)
TIMEOUT = 10.0
#: a claimed delivery is left to its claimer this long (then another process may send it)
CLAIM_LEASE = timedelta(minutes=2)


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def alert_payload(alert: Alert) -> dict[str, Any]:
    data = alert.model_dump(mode="json", exclude={"evidence"})
    return {"event": "alert.created", "alert": data}


_ACTIVE_HOOKS = select(webhooks.c.id).where(webhooks.c.active.is_(True)).order_by(webhooks.c.id)
_INSERT_DELIVERIES = insert(webhook_deliveries)


def active_webhooks(conn: Connection) -> list[int]:
    return [int(r.id) for r in conn.execute(_ACTIVE_HOOKS)]


def enqueue(conn: Connection, alert: Alert, now: datetime) -> int:
    """One pending delivery per active webhook for a new alert."""
    return enqueue_many(conn, [alert], now, active_webhooks(conn))


def enqueue_many(
    conn: Connection, new_alerts: Sequence[Alert], now: datetime, hook_ids: Sequence[int]
) -> int:
    """One pending delivery per webhook in ``hook_ids`` for each new alert (one insert)."""
    rows = [
        {
            "webhook_id": h,
            "alert_id": alert.id,
            "event": "alert.created",
            "payload": alert_payload(alert),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for alert in new_alerts
        for h in hook_ids
    ]
    if rows:
        conn.execute(_INSERT_DELIVERIES, rows)
    return len(rows)


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"url: {url!r} is not an http(s) URL")
    if len(url) > 2000:
        raise InputError("url: at most 2000 characters")
    return url


class WebhooksMixin(ServiceBase):
    def add_webhook(self, url: str, *, actor: ApiKey, secret: str | None = None) -> Webhook:
        require(actor, WEBHOOKS_MANAGE)
        url = _check_url(url)
        now = self.now()
        with self._write() as conn:
            wid = int(
                conn.execute(
                    insert(webhooks)
                    .values(
                        url=url,
                        secret=secret or None,
                        created_at=now,
                        created_by=actor.actor,
                        active=True,
                    )
                    .returning(webhooks.c.id)
                ).scalar_one()
            )
            audit_chain.append(
                conn,
                now,
                actor.actor,
                "webhook.added",
                {"webhook_id": wid, "url": url, "signed": bool(secret)},
            )
        return self.get_webhook(wid)

    def remove_webhook(self, webhook_id: int, *, actor: ApiKey) -> Webhook:
        """Deactivate a webhook (its deliveries stay on record; pending ones are not sent)."""
        require(actor, WEBHOOKS_MANAGE)
        now = self.now()
        with self._write() as conn:
            r = conn.execute(select(webhooks).where(webhooks.c.id == webhook_id)).one_or_none()
            if r is None:
                raise CaseNotFoundError(f"no webhook {webhook_id}")
            conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(active=False))
            audit_chain.append(
                conn, now, actor.actor, "webhook.removed", {"webhook_id": webhook_id, "url": r.url}
            )
        return self.get_webhook(webhook_id)

    def get_webhook(self, webhook_id: int) -> Webhook:
        with self._read() as conn:
            r = conn.execute(select(webhooks).where(webhooks.c.id == webhook_id)).one_or_none()
        if r is None:
            raise CaseNotFoundError(f"no webhook {webhook_id}")
        return webhook_from_row(r)

    def list_webhooks(self) -> list[Webhook]:
        with self._read() as conn:
            rows = conn.execute(select(webhooks).order_by(webhooks.c.id)).all()
        return [webhook_from_row(r) for r in rows]

    def deliveries(self, *, status: str | None = None) -> list[dict[str, Any]]:
        """The outbox, newest first (status: pending, delivered or dead)."""
        q = select(webhook_deliveries).order_by(webhook_deliveries.c.id.desc())
        if status:
            q = q.where(webhook_deliveries.c.status == status)
        with self._read() as conn:
            rows = conn.execute(q).all()
        return [
            {
                "id": r.id,
                "webhook_id": r.webhook_id,
                "alert_id": r.alert_id,
                "event": r.event,
                "status": r.status,
                "attempts": r.attempts,
                "next_attempt_at": utc(r.next_attempt_at).isoformat(),
                "last_error": r.last_error,
                "delivered_at": utc(r.delivered_at).isoformat() if r.delivered_at else None,
            }
            for r in rows
        ]

    def deliver_pending(
        self, client: httpx.Client | None = None, *, max_attempts: int = 5
    ) -> DeliveryReport:
        """POST every due delivery once. A 2xx marks it delivered; anything else (status,
        timeout, refused connection) schedules a retry after 30 s x 2^(attempts-1), and
        after ``max_attempts`` attempts it is marked dead.

        Each delivery is claimed before it is sent (an atomic update that only one
        process can make while it is pending and unclaimed), so several processes
        delivering at the same time (API workers, ``stopship lists update``) do not send
        one twice; a claim lapses after ``CLAIM_LEASE``, so the delivery of a process
        that died while sending it is sent again later (delivery is at least once)."""
        now = self.now()
        with self._read() as conn:
            due = conn.execute(
                select(webhook_deliveries, webhooks.c.url, webhooks.c.secret)
                .join(webhooks, webhooks.c.id == webhook_deliveries.c.webhook_id)
                .where(
                    webhook_deliveries.c.status == "pending",
                    webhook_deliveries.c.next_attempt_at <= now,
                    _unclaimed(now),
                    webhooks.c.active.is_(True),
                )
                .order_by(webhook_deliveries.c.id)
            ).all()
        own = client is None
        http = client or httpx.Client(timeout=TIMEOUT)
        claimer = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"
        attempted = delivered = failed = dead = 0
        try:
            for d in due:
                if not self._claim(d.id, claimer):
                    continue  # another process took it since it was read
                attempted += 1
                body = body_of(d.payload)
                headers = {
                    "Content-Type": "application/json",
                    DELIVERY_HEADER: str(d.id),
                    EVENT_HEADER: d.event,
                }
                if d.secret:
                    headers[SIGNATURE_HEADER] = signature(d.secret, body)
                error: str | None = None
                try:
                    resp = http.post(d.url, content=body, headers=headers)
                    if not resp.is_success:
                        error = f"HTTP {resp.status_code}"
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                attempts = d.attempts + 1
                values: dict[str, Any] = {
                    "attempts": attempts,
                    "last_error": error,
                    "claimed_by": None,
                    "claimed_until": None,
                }
                if error is None:
                    values.update(status="delivered", delivered_at=self.now())
                    delivered += 1
                elif attempts >= max_attempts:
                    values["status"] = "dead"
                    dead += 1
                else:
                    values["next_attempt_at"] = now + BACKOFF * (2 ** (attempts - 1))
                    failed += 1
                with self._write() as conn:
                    conn.execute(
                        update(webhook_deliveries)
                        .where(
                            webhook_deliveries.c.id == d.id,
                            webhook_deliveries.c.claimed_by == claimer,
                        )
                        .values(**values)
                    )
        finally:
            if own:
                http.close()
        with self._read() as conn:
            pending = len(
                conn.execute(
                    select(webhook_deliveries.c.id).where(webhook_deliveries.c.status == "pending")
                ).all()
            )
        return DeliveryReport(
            attempted=attempted, delivered=delivered, failed=failed, dead=dead, pending=pending
        )

    def _claim(self, delivery_id: int, claimer: str) -> bool:
        """Claim a pending delivery for ``CLAIM_LEASE``; False when another process holds
        a live claim on it or it is no longer pending."""
        now = self.now()
        with self._write() as conn:
            claimed = conn.execute(
                update(webhook_deliveries)
                .where(
                    webhook_deliveries.c.id == delivery_id,
                    webhook_deliveries.c.status == "pending",
                    _unclaimed(now),
                )
                .values(claimed_by=claimer, claimed_until=now + CLAIM_LEASE)
            ).rowcount
        return bool(claimed == 1)


def _unclaimed(now: datetime) -> ColumnElement[bool]:
    return or_(
        webhook_deliveries.c.claimed_until.is_(None),
        webhook_deliveries.c.claimed_until <= now,
    )
