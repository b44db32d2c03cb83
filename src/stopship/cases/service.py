"""``CaseService``: alerts, review, four eyes, suppression, monitoring, webhooks, keys and
the audit log over one store (SQLite or PostgreSQL)."""

from __future__ import annotations

from stopship.cases.audit import AuditMixin
from stopship.cases.keys import KeysMixin
from stopship.cases.rescreen import RescreenMixin
from stopship.cases.review import ReviewMixin
from stopship.cases.suppression import SuppressionMixin
from stopship.cases.webhooks import WebhooksMixin


class CaseService(
    KeysMixin, RescreenMixin, ReviewMixin, SuppressionMixin, WebhooksMixin, AuditMixin
):
    """The case-management backend. ``CaseService(store)`` uses ``store.engine``; its
    tables come with the store's migrations. ``clock`` returns the current time (tests
    move it); ``suppression_days`` is how long a false-positive decision suppresses the
    same pair (None: until the entity's record changes)."""
