"""Screening endpoints: ``/v1/match``, ``/v1/match/batch``, ``/v1/screen`` and
``/v1/screen/payment``. Each call is audited; each call that alerts opens or updates
alerts, whose ids it returns."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from stopship.api.auth import allowed
from stopship.api.errors import ErrorEnvelope, FieldInputError
from stopship.api.models import (
    BatchRequest,
    BatchResponse,
    DecisionResponse,
    MatchQuery,
    MatchRequest,
    MatchResponse,
    OrderIn,
    PaymentIn,
    PaymentResponse,
    order_json,
)
from stopship.api.state import Services, services
from stopship.cases import permissions as P
from stopship.cases.models import Alert, ApiKey
from stopship.cli.match import result_json
from stopship.countries import to_iso
from stopship.match import Query, QueryResult
from stopship.model import EntityKind
from stopship.screen.decision import Decision
from stopship.screen.orders import order_from_json
from stopship.screen.payments import parse_payment

router = APIRouter(prefix="/v1", tags=["screening"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope} for code in (401, 403, 413, 422, 503)
}


def _ok(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """The documented answers: ``model`` on 200 (the handlers return the CLI's JSON as
    is, not re-serialised through the model), the error envelope otherwise."""
    return {200: {"model": model}, **_ERRORS}


Screening = Annotated[ApiKey, Depends(allowed(P.SCREEN))]


def to_query(q: MatchQuery, at: str = "body") -> Query:
    """The matcher's query for a request (as ``stopship match`` builds it)."""
    country = None
    if q.country is not None and q.country.strip():
        country = to_iso(q.country)
        if country is None:
            raise FieldInputError(
                [(f"{at}.country", f"{q.country!r} is not an ISO code or a known country name")]
            )
    kind = None if q.kind in (None, "any") else EntityKind(q.kind)
    try:
        return Query(name=q.name, kind=kind, country=country, birth_date=q.birth_date, id=q.id)
    except ValidationError as exc:
        raise FieldInputError(
            [
                (
                    ".".join([at, *(str(x) for x in e["loc"])]),
                    str(e["ctx"]["error"]) if "error" in e.get("ctx", {}) else e["msg"],
                )
                for e in exc.errors()
            ]
        ) from exc


def _match_json(result: QueryResult, alert_ids: list[int]) -> dict[str, Any]:
    data = result_json(result)
    data["alert_ids"] = alert_ids
    return data


@router.post("/match", response_model=None, responses=_ok(MatchResponse))
async def match(body: MatchRequest, request: Request, key: Screening) -> JSONResponse:
    """Screen one name: the JSON of ``stopship match --json`` plus ``alert_ids``."""
    # on the event loop: a single query takes about a millisecond, less than the hop to
    # the thread pool and back (batches, orders and payments run in the pool)
    svc = services(request)
    query = to_query(body)
    result = svc.need_matcher().match(query, threshold=body.threshold, limit=body.limit)
    if result.error:
        raise FieldInputError([("body.name", result.error)])

    def audit_call(alerts: list[Alert]) -> tuple[str, dict[str, Any]]:
        return "screen.match", {
            "name": query.name,
            "hits": len(result.hits),
            "alert": result.alert,
            "alert_ids": [a.id for a in alerts],
            "list_versions": result.list_versions,
            "monitor": body.monitor,
        }

    # the alerts and the call's audit row in one transaction
    queued = svc.cases.deliveries_queued
    alerts = svc.cases.alerts_from_match(
        result, actor=key.actor, monitor=body.monitor, audit_call=audit_call
    )
    svc.queued(queued)
    return JSONResponse(_match_json(result, [a.id for a in alerts]))


@router.post("/match/batch", response_model=None, responses=_ok(BatchResponse))
def match_batch(body: BatchRequest, request: Request, key: Screening) -> JSONResponse:
    """Screen up to 1,000 names at once; one result per query, in order."""
    svc = services(request)
    queued = svc.cases.deliveries_queued
    queries = [to_query(q, f"body.queries.{i}") for i, q in enumerate(body.queries)]
    results = svc.need_matcher().match_batch(queries, threshold=body.threshold, limit=body.limit)
    out = []
    all_ids: list[int] = []
    for r in results:
        ids = (
            []
            if r.error
            else [
                a.id for a in svc.cases.alerts_from_match(r, actor=key.actor, monitor=body.monitor)
            ]
        )
        all_ids.extend(ids)
        out.append(_match_json(r, ids))
    alerting = sum(1 for r in results if r.alert)
    svc.queued(queued)
    svc.cases.audit(
        "screen.match_batch",
        actor=key.actor,
        details={
            "queries": len(queries),
            "alerting": alerting,
            "errors": sum(1 for r in results if r.error),
            "alert_ids": all_ids,
            "monitor": body.monitor,
        },
    )
    return JSONResponse({"results": out, "alerts": alerting, "alert_ids": all_ids})


def _decision_json(
    svc: Services,
    event: str,
    d: Decision,
    key: ApiKey,
    monitor: bool,
    warnings: list[str],
    parties: list[str],
) -> dict[str, Any]:
    """The decision's JSON with its alerts recorded and the call audited (``event``), in
    one transaction."""
    data = d.model_dump(mode="json")

    def audit_call(alerts: list[Alert]) -> tuple[str, dict[str, Any]]:
        data["alert_ids"] = [a.id for a in alerts]
        return event, {
            "document_id": data["document_id"],
            "document_type": data["document_type"],
            "decision": data["decision"],
            "entity_ids": data["entity_ids"],
            "alert_ids": data["alert_ids"],
            "list_versions": data["list_versions"],
            "monitor": monitor,
        }

    queued = svc.cases.deliveries_queued
    alerts = svc.cases.alerts_from_decision(
        d, actor=key.actor, monitor=monitor, parties=parties, audit_call=audit_call
    )
    data["alert_ids"] = [a.id for a in alerts]
    data["warnings"] = warnings
    svc.queued(queued)
    return data


@router.post("/screen", response_model=None, responses=_ok(DecisionResponse))
def screen_order(
    body: OrderIn, request: Request, key: Screening, monitor: bool = False
) -> JSONResponse:
    """Screen one order (as in a JSON order file): the decision as ``stopship screen``
    writes it, plus ``alert_ids``."""
    svc = services(request)
    rec = order_from_json(order_json(body), "request body")
    if rec.order is None:
        raise FieldInputError([_order_field(m) for m in rec.errors])
    screener = svc.need_screener()
    with svc.screen_lock:
        decision = screener.screen_order(rec.order)
    parties = [p.name for p in rec.order.parties]
    return JSONResponse(_decision_json(svc, "screen.order", decision, key, monitor, [], parties))


def _order_field(message: str) -> tuple[str, str]:
    # "request body, the order object: parties[0].role: missing"
    _, _, rest = message.partition("the order object: ")
    field, sep, problem = rest.partition(": ")
    if not sep:
        return "body", message
    return "body." + field.replace("[", ".").replace("]", ""), problem


_PAYMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": PaymentIn.model_json_schema()},
            "text/plain": {"schema": {"type": "string"}},
            "application/xml": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/screen/payment",
    response_model=None,
    responses=_ok(PaymentResponse),
    openapi_extra=_PAYMENT_BODY,
)
async def screen_payment(
    request: Request, key: Screening, monitor: bool = False, strict: bool = False
) -> JSONResponse:
    """Screen a raw SWIFT MT103 (one or more messages) or an ISO 20022 pacs.008 document,
    sent as text/plain or application/xml, or as JSON ``{"message": "..."}``: one decision
    per payment, as ``stopship screen-payment --json`` prints them."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if ctype == "application/json" or ctype.endswith("+json"):
        try:
            parsed = PaymentIn.model_validate(json.loads(raw))
        except json.JSONDecodeError as exc:
            raise FieldInputError([("body", f"bad JSON: {exc.msg}")]) from exc
        except ValidationError as exc:
            raise FieldInputError(
                [(".".join(["body", *map(str, e["loc"])]), e["msg"]) for e in exc.errors()]
            ) from exc
        text: str | bytes = parsed.message
        strict = strict or parsed.strict
    elif ctype in ("", "text/plain", "application/xml", "text/xml", "application/octet-stream"):
        text = raw
    else:
        raise FieldInputError(
            [("content-type", f"{ctype!r}: send text/plain, application/xml or JSON")]
        )
    data = await run_in_threadpool(_screen_payment_sync, request, key, text, monitor, strict)
    return JSONResponse(data)


def _screen_payment_sync(
    request: Request, key: ApiKey, text: str | bytes, monitor: bool, strict: bool
) -> dict[str, Any]:
    svc = services(request)
    screener = svc.need_screener()
    payments = parse_payment(text, "request body", strict=strict)
    out = []
    for p in payments:
        names = [x.name for x in p.parties if x.name]
        with svc.screen_lock:
            decision = screener.screen_payment(p)
        out.append(
            _decision_json(svc, "screen.payment", decision, key, monitor, list(p.warnings), names)
        )
    return {"decisions": out}
