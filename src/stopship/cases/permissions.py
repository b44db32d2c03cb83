"""Roles and what each may do. ``require`` is the one check every entry point makes."""

from __future__ import annotations

from stopship.cases.models import ApiKey, Role
from stopship.errors import PermissionDeniedError

SCREEN = "screen"  # match, batch match, screen an order or a payment
LISTS_READ = "lists.read"  # list status, entity lookup
ALERTS_READ = "alerts.read"  # queue, alert pages, stats, suppressions, monitored
ALERTS_COMMENT = "alerts.comment"
ALERTS_ASSIGN = "alerts.assign"
ALERTS_DECIDE = "alerts.decide"  # open/escalate/true match/false positive (first decision)
ALERTS_APPROVE = "alerts.approve"  # second approval of clearing a block-level alert; reopen
KEYS_MANAGE = "keys.manage"
WEBHOOKS_MANAGE = "webhooks.manage"
AUDIT_READ = "audit.read"  # read and verify the audit log

_ANALYST = frozenset(
    {SCREEN, LISTS_READ, ALERTS_READ, ALERTS_COMMENT, ALERTS_ASSIGN, ALERTS_DECIDE}
)
_REVIEWER = _ANALYST | {ALERTS_APPROVE}

PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.SERVICE: frozenset({SCREEN, LISTS_READ}),
    Role.ANALYST: _ANALYST,
    Role.REVIEWER: _REVIEWER,
    Role.ADMIN: _REVIEWER | {KEYS_MANAGE, WEBHOOKS_MANAGE, AUDIT_READ},
}

ACTIONS: frozenset[str] = frozenset().union(*PERMISSIONS.values())


def allowed(role: Role, action: str) -> bool:
    return action in PERMISSIONS[role]


def require(key: ApiKey, action: str) -> None:
    """Raise :class:`PermissionDeniedError` unless the key's role may do ``action``."""
    if action not in ACTIONS:
        raise PermissionDeniedError(f"unknown action {action!r}")
    if key.revoked_at is not None:
        raise PermissionDeniedError(f"key {key.actor} is revoked")
    if not allowed(key.role, action):
        raise PermissionDeniedError(f"the {key.role.value} role may not {action} (key {key.actor})")
