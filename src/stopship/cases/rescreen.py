"""Re-screening monitored counterparties against a list update's delta only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import update

from stopship.cases import audit as audit_chain
from stopship.cases.alerts import AlertsMixin
from stopship.cases.models import RescreenReport
from stopship.cases.monitoring import MonitoringMixin
from stopship.cases.schema import monitored
from stopship.match.model import Query
from stopship.model import EntityKind
from stopship.store.delta import Delta

if TYPE_CHECKING:
    from stopship.match.engine import Matcher


class RescreenMixin(AlertsMixin, MonitoringMixin):
    def rescreen(
        self, matcher: Matcher, deltas: Sequence[Delta], *, actor: str = "lists-update"
    ) -> RescreenReport:
        """Screen every monitored counterparty against the entities the deltas added or
        changed (removed ones cannot match), opening or updating alerts (origin
        "rescreen"). Entities the update left unchanged are not looked at, so they
        produce nothing new."""
        ids = sorted({e for d in deltas for e in (*d.added, *d.changed)})
        people = self.monitored()
        report = RescreenReport(
            monitored=len(people),
            entities=len(ids),
            queries=0,
            hits=0,
            alerts_opened=0,
            alerts_updated=0,
            suppressed=0,
        )
        if ids and people:
            queries: list[Query] = []
            for m in people:
                try:
                    queries.append(
                        Query(
                            name=m.name,
                            kind=EntityKind(m.kind) if m.kind else None,
                            country=m.country,
                            birth_date=m.birth_date,
                            id=m.id_value,
                            ref=str(m.id),
                        )
                    )
                except (ValidationError, ValueError) as exc:
                    report.errors.append(f"monitored {m.id} ({m.name!r}): {exc}")
            report.queries = len(queries)
            for result in matcher.match_batch(queries, only=ids):
                if result.error:
                    report.errors.append(f"monitored {result.query.ref}: {result.error}")
                    continue
                report.hits += sum(1 for h in result.hits if h.alert)
                for _alert, outcome in self._record_all(
                    self.match_candidates(result, origin="rescreen"), actor
                ):
                    if outcome == "opened":
                        report.alerts_opened += 1
                    elif outcome == "updated":
                        report.alerts_updated += 1
                    else:
                        report.suppressed += 1
        now = self.now()
        with self._write() as conn:
            if ids and people:
                conn.execute(update(monitored).values(last_screened_at=now))
            audit_chain.append(
                conn,
                now,
                actor,
                "monitoring.rescreened",
                {
                    **report.model_dump(mode="json", exclude={"errors"}),
                    "errors": report.errors[:20],
                    "deltas": [
                        {"source": d.source, "version": d.version, **d.summary()} for d in deltas
                    ],
                },
            )
        return report
