"""What a list update does for case management: audit it, re-screen the monitored
counterparties against its deltas, and send the webhooks of the alerts that opened."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import httpx

from stopship.cases.models import DeliveryReport, RescreenReport
from stopship.cases.service import CaseService
from stopship.store import Store

if TYPE_CHECKING:
    from stopship.match.engine import Matcher
    from stopship.update import UpdateResult

#: webhook receivers get this long per delivery when the command line sends them
CLI_WEBHOOK_TIMEOUT = 5.0


def after_list_update(
    store: Store,
    results: Sequence[UpdateResult],
    matcher: Matcher | None,
    *,
    actor: str = "cli",
    client: httpx.Client | None = None,
) -> tuple[RescreenReport, DeliveryReport] | None:
    """Audit the update (every source, failed ones too); when a new version went into
    service (``matcher`` is the matcher over it), re-screen and deliver webhooks."""
    cases = CaseService(store)
    cases.audit(
        "lists.update",
        actor=actor,
        details={"results": [r.to_json() for r in results]},
    )
    if matcher is None:
        return None
    deltas = [r.version.delta for r in results if r.ok and r.version and r.version.delta]
    report = cases.rescreen(matcher, deltas)
    own = client is None
    http = client or httpx.Client(timeout=CLI_WEBHOOK_TIMEOUT)
    try:
        deliveries = cases.deliver_pending(http)
    finally:
        if own:
            http.close()
    return report, deliveries


def summary_line(report: RescreenReport, deliveries: DeliveryReport) -> str:
    line = report.summary()
    if deliveries.attempted or deliveries.pending:
        line += (
            f"; webhooks: {deliveries.delivered} delivered, {deliveries.failed} to retry, "
            f"{deliveries.dead} given up"
        )
    if report.errors:
        line += f"; {len(report.errors)} could not be screened"
    return line
