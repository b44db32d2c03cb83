"""The alerts API: list with filters and paging, one alert with its evidence, events and
list record, assignment, comments, decisions (four eyes, optimistic concurrency),
statistics and the good-guy suppressions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from stopship.api.auth import allowed
from stopship.api.errors import ErrorEnvelope
from stopship.api.models import MatchQuery
from stopship.api.screening import to_query
from stopship.api.state import services
from stopship.cases import permissions as P
from stopship.cases.models import (
    Alert,
    AlertDetail,
    AlertPage,
    AlertStatus,
    ApiKey,
    Level,
    MonitoredCounterparty,
    Suppression,
)

router = APIRouter(prefix="/v1", tags=["alerts"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope} for code in (401, 403, 404, 409, 422)
}
Reader = Annotated[ApiKey, Depends(allowed(P.ALERTS_READ))]
Assigner = Annotated[ApiKey, Depends(allowed(P.ALERTS_ASSIGN))]
Commenter = Annotated[ApiKey, Depends(allowed(P.ALERTS_COMMENT))]
Decider = Annotated[ApiKey, Depends(allowed(P.ALERTS_DECIDE))]
Screener = Annotated[ApiKey, Depends(allowed(P.SCREEN))]
AlertId = Annotated[int, Path(ge=1, le=2**62)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignIn(_In):
    assignee: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="Who works the alert (None: unassign)"
    )
    expected_version: Annotated[int, Field(ge=0, le=2**62)]


class CommentIn(_In):
    text: Annotated[str, Field(min_length=1, max_length=10_000)]


class DecisionIn(_In):
    status: AlertStatus
    reason: Annotated[str, Field(max_length=10_000)] = Field(
        description="Why: required (an empty reason is refused)"
    )
    expected_version: Annotated[int, Field(ge=0, le=2**62)] = Field(
        description="The alert's version the decision was made on (409 if it changed)"
    )


class Stats(BaseModel):
    total: int
    open: int  # open, escalated or pending a second review
    suppressed: int
    by_status: dict[str, int]
    by_level: dict[str, int]
    by_source: dict[str, int]
    by_source_status: dict[str, dict[str, int]]


class Filters(BaseModel):
    status: list[AlertStatus] | None = None
    source: str | None = None
    level: Level | None = None
    assignee: str | None = None
    q: str | None = None
    limit: int = 50
    offset: int = 0


def filters(
    status: Annotated[
        list[AlertStatus] | None,
        Query(description="One or more statuses (repeat the parameter)", max_length=10),
    ] = None,
    source: Annotated[str | None, Query(max_length=100)] = None,
    level: Level | None = None,
    assignee: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in the name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Filters:
    return Filters(
        status=status or None,
        source=source or None,
        level=level,
        assignee=assignee or None,
        q=q or None,
        limit=limit,
        offset=offset,
    )


@router.get("/alerts", response_model=AlertPage, responses=_ERRORS)
def list_alerts(request: Request, _: Reader, f: Annotated[Filters, Depends(filters)]) -> AlertPage:
    """Alerts, newest first, filtered by status, source (list), level, assignee and text."""
    return services(request).cases.list_alerts(**f.model_dump())


@router.get("/alerts/stats", response_model=Stats, responses=_ERRORS)
def alert_stats(request: Request, _: Reader) -> dict[str, Any]:
    """Counts of alerts by status, by list and by level."""
    return services(request).cases.stats()


@router.get("/alerts/{alert_id}", response_model=AlertDetail, responses=_ERRORS)
def get_alert(request: Request, alert_id: AlertId, _: Reader) -> AlertDetail:
    """One alert: evidence as screened, its events, the list record in service now and the
    suppression that applies."""
    return services(request).cases.get_alert(alert_id)


@router.post("/alerts/{alert_id}/assign", response_model=Alert, responses=_ERRORS)
def assign(request: Request, alert_id: AlertId, body: AssignIn, key: Assigner) -> Alert:
    return services(request).cases.assign(
        alert_id, body.assignee, actor=key, expected_version=body.expected_version
    )


@router.post("/alerts/{alert_id}/comments", response_model=AlertDetail, responses=_ERRORS)
def comment(request: Request, alert_id: AlertId, body: CommentIn, key: Commenter) -> AlertDetail:
    cases = services(request).cases
    cases.comment(alert_id, body.text, actor=key)
    return cases.get_alert(alert_id)


@router.post("/alerts/{alert_id}/decision", response_model=Alert, responses=_ERRORS)
def decide(request: Request, alert_id: AlertId, body: DecisionIn, key: Decider) -> Alert:
    """Decide an alert (a reason is required). Clearing a block-level alert needs a second
    person with the reviewer role: the first decision leaves it pending_second_review."""
    return services(request).cases.decide(
        alert_id,
        status=body.status,
        reason=body.reason,
        actor=key,
        expected_version=body.expected_version,
    )


@router.get("/suppressions", response_model=list[Suppression], responses=_ERRORS)
def suppressions(request: Request, _: Reader, active: bool = False) -> list[Suppression]:
    """The good-guy list: which counterparty is cleared against which list entry, until
    when (``active=true``: only those in force)."""
    return list(services(request).cases.suppressions(active_only=active))


@router.get("/monitored", response_model=list[MonitoredCounterparty], responses=_ERRORS)
def monitored(request: Request, _: Reader) -> list[MonitoredCounterparty]:
    """Counterparties remembered for re-screening when the lists change."""
    return list(services(request).cases.monitored())


@router.post("/monitored", response_model=MonitoredCounterparty, status_code=201, responses=_ERRORS)
def add_monitored(request: Request, body: MatchQuery, key: Screener) -> MonitoredCounterparty:
    """Remember a counterparty for re-screening on list updates without screening it now
    (e.g. registering a customer base)."""
    return services(request).cases.monitor(to_query(body), actor=key.actor, origin="api")


@router.delete("/monitored/{monitored_id}", status_code=204, responses=_ERRORS)
def remove_monitored(
    request: Request, monitored_id: Annotated[int, Path(ge=1, le=2**62)], key: Decider
) -> Response:
    """Stop re-screening a counterparty (its alerts stay)."""
    services(request).cases.unmonitor(monitored_id, actor=key)
    return Response(status_code=204)
