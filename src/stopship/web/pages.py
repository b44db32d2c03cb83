"""The review UI's pages (``/ui/...``). Every GET page has a JSON twin: the same path
with ``.json`` appended (or ``Accept: application/json``), answering the data the page
shows. POST forms carry the session's CSRF token."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from stopship.api.errors import FieldInputError, status_of
from stopship.api.health import health_data
from stopship.api.models import MatchQuery
from stopship.api.screening import to_query
from stopship.api.state import services
from stopship.cases import permissions as P
from stopship.cases.models import ACTIVE_STATUSES, AlertDetail, AlertStatus
from stopship.cli.match import result_json
from stopship.errors import CaseNotFoundError, InputError, PermissionDeniedError, StopshipError
from stopship.web.charts import bar_chart
from stopship.web.render import Viewer, page, viewer
from stopship.web.sessions import COOKIE, csrf_ok

router = APIRouter(prefix="/ui", include_in_schema=False)

Who = Annotated[Viewer, Depends(viewer)]
#: the decisions a person can record, in the order the form offers them
DECISIONS = (
    AlertStatus.FALSE_POSITIVE,
    AlertStatus.TRUE_MATCH,
    AlertStatus.ESCALATED,
    AlertStatus.OPEN,
)


_F = TypeVar("_F", bound=Callable[..., Response])


def _get(path: str) -> Callable[[_F], _F]:
    """Register a page at ``path`` and its JSON twin at ``path + '.json'``."""

    def deco(fn: _F) -> _F:
        router.add_api_route(path, fn, methods=["GET"])
        router.add_api_route(path + ".json", fn, methods=["GET"])
        return fn

    return deco


class FormError(InputError):
    """A form value the UI refuses before the case service sees it (shown on the page)."""


def _check_csrf(who: Viewer, token: str | None) -> None:
    if who.session is not None and not csrf_ok(who.session, token):
        raise PermissionDeniedError("the form's CSRF token is missing or stale: reload the page")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/ui/") and not target.startswith("//"):
        return target
    return "/ui/alerts"


# ---------------------------------------------------------------------- login / logout


#: the login form's CSRF cookie (double submit: the form must carry the same value)
LOGIN_COOKIE = "stopship_login"


def _login_page(
    request: Request, next_: str | None, error: str | None, status: int = 200
) -> Response:
    """The login form, with a fresh login CSRF token in a cookie and in the form."""
    token = secrets.token_urlsafe(24)
    data = {"next": _safe_next(next_), "error": error, "login_csrf": token}
    resp = page(request, "login.html", data, None, status=status)
    resp.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=services(request).settings.secure_cookies,
        path="/ui/login",
        max_age=3600,
    )
    return resp


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, next, None)


@router.post("/login")
def login(
    request: Request,
    api_key: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/ui/alerts",
    login_csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    svc = services(request)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, login_csrf):
        # another site cannot log this browser in with a key of its choosing
        return _login_page(request, next, "the login form expired: log in again", 403)
    try:
        key = svc.cases.authenticate(api_key)
        svc.cases.require(key, P.ALERTS_READ)
    except StopshipError as exc:
        status, _ = status_of(exc)
        return _login_page(request, next, str(exc), status)
    session = svc.sessions.create(key.id)
    svc.cases.audit("ui.login", actor=key.actor, details={"key_id": key.id})
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(
        COOKIE,
        session.token,
        httponly=True,
        samesite="strict",
        secure=svc.settings.secure_cookies,
        path="/ui",
        max_age=svc.settings.session_seconds,
    )
    resp.delete_cookie(LOGIN_COOKIE, path="/ui/login")
    return resp


@router.post("/logout")
def logout(request: Request, who: Who, csrf: Annotated[str, Form()] = "") -> Response:
    _check_csrf(who, csrf)
    svc = services(request)
    if who.session is not None:
        svc.sessions.end(who.session.token)
    svc.cases.audit("ui.logout", actor=who.key.actor, details={"key_id": who.key.id})
    resp = RedirectResponse("/ui/login", status_code=303)
    resp.delete_cookie(COOKIE, path="/ui")
    return resp


# ---------------------------------------------------------------------- the queue


#: the queue's status choices beyond single statuses
STATUS_GROUPS: dict[str, tuple[AlertStatus, ...] | None] = {
    "active": ACTIVE_STATUSES,
    "any": None,
}


@_get("/alerts")
def queue(
    request: Request,
    who: Who,
    status: Annotated[str, Query(max_length=40)] = "active",
    source: Annotated[str | None, Query(max_length=100)] = None,
    level: Annotated[str | None, Query(max_length=20)] = None,
    assignee: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    """The alert queue; by default the active alerts (open, escalated, pending a second
    review)."""
    svc = services(request)
    svc.cases.require(who.key, P.ALERTS_READ)
    if status in STATUS_GROUPS:
        group = STATUS_GROUPS[status]
        statuses = list(group) if group is not None else None
    else:
        try:
            statuses = [AlertStatus(status)]
        except ValueError:
            raise FieldInputError([("query.status", f"{status!r} is not a status")]) from None
    if level is not None and level not in ("", "block", "review"):
        raise FieldInputError([("query.level", f"{level!r} is not block or review")])
    args: dict[str, Any] = {
        "status": status,
        "source": source or None,
        "level": level or None,
        "assignee": assignee or None,
        "q": q or None,
        "limit": limit,
        "offset": offset,
    }
    result = svc.cases.list_alerts(
        status=statuses,
        source=source or None,
        level=level or None,
        assignee=assignee or None,
        q=q or None,
        limit=limit,
        offset=offset,
    )
    data = {"filters": args, "page": result}
    shown = {k: v for k, v in args.items() if v not in (None, "") and k != "offset"}
    paging = {
        "prev": _page_url(shown, max(0, offset - limit)) if offset else None,
        "next": _page_url(shown, offset + limit) if offset + limit < result.total else None,
    }
    extra = {
        "statuses": [*STATUS_GROUPS, *(s.value for s in AlertStatus)],
        "sources": sorted(v.source for v in svc.store.current_versions()),
        "paging": paging,
    }
    return page(request, "queue.html", data, who, extra=extra)


def _page_url(args: dict[str, Any], offset: int) -> str:
    return "/ui/alerts?" + urlencode({**args, "offset": offset})


# ---------------------------------------------------------------------- one alert


def _alert_id(ref: str) -> int:
    text = ref.removesuffix(".json")
    if not text.isdigit() or len(text) > 18:
        raise CaseNotFoundError(f"no alert {text!r}")
    return int(text)


def _four_eyes(detail: AlertDetail) -> dict[str, Any]:
    """Who proposed what, when the alert waits for a reviewer's second decision."""
    pending = detail.alert.status is AlertStatus.PENDING_SECOND_REVIEW
    proposal = None
    if pending:
        for ev in reversed(detail.events):
            if ev.kind == "decision":
                proposal = {"actor": ev.actor, "at": ev.at, "text": ev.text}
                break
    return {
        "required": detail.alert.level == "block",
        "pending": pending,
        "proposal": proposal,
    }


def _hit_and_query(
    evidence: dict[str, Any], counterparty: str
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The hit (with its explanation) and the query of an alert's evidence: a name match
    keeps both; a document's party reason keeps the hit in the reason's evidence."""
    hit = evidence.get("hit")
    query = evidence.get("query")
    if not isinstance(hit, dict):
        hit = None
        for r in evidence.get("reasons", []):
            found = r.get("evidence", {}).get("hit") if isinstance(r, dict) else None
            if isinstance(found, dict):
                hit = found
                break
    if not isinstance(query, dict):
        query = {"name": counterparty}
    return hit, query


def _alert_page(
    request: Request, who: Viewer, alert_id: int, *, error: str | None = None, status: int = 200
) -> Response:
    svc = services(request)
    svc.cases.require(who.key, P.ALERTS_READ)
    detail = svc.cases.get_alert(alert_id)
    evidence = detail.alert.evidence
    data = {"detail": detail, "four_eyes": _four_eyes(detail), "error": error}
    hit, query = _hit_and_query(evidence, detail.alert.counterparty)
    extra = {
        "hit": hit,
        "query": query,
        "reasons": [r for r in evidence.get("reasons", []) if isinstance(r, dict)],
        "document": doc if isinstance(doc := evidence.get("document"), dict) else None,
        "decisions": DECISIONS,
        "can_approve": P.ALERTS_APPROVE in P.PERMISSIONS[who.key.role],
        "can_decide": P.ALERTS_DECIDE in P.PERMISSIONS[who.key.role],
    }
    return page(request, "alert.html", data, who, status=status, extra=extra)


@router.get("/alerts/{alert_ref}")
def alert(request: Request, alert_ref: str, who: Who) -> Response:
    return _alert_page(request, who, _alert_id(alert_ref))


def _alert_action(
    request: Request, who: Viewer, alert_id: int, action: Callable[[], object], done: str
) -> Response:
    """Run a form's action on one alert: on success, back to the alert (``done``); on a
    refusal the user can act on, the alert page again with the reason and its status."""
    try:
        action()
    except StopshipError as exc:
        code, _ = status_of(exc)
        if code == 404:
            raise
        return _alert_page(request, who, alert_id, error=str(exc), status=code)
    return RedirectResponse(done, status_code=303)


@router.post("/alerts/{alert_ref}/decision")
def decide(
    request: Request,
    alert_ref: str,
    who: Who,
    status: Annotated[str, Form(max_length=50)] = "",
    reason: Annotated[str, Form(max_length=10_000)] = "",
    expected_version: Annotated[int, Form(ge=0, le=2**62)] = 0,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    _check_csrf(who, csrf)
    alert_id = _alert_id(alert_ref)
    cases = services(request).cases

    def action() -> None:
        cases.require(who.key, P.ALERTS_DECIDE)
        try:
            new_status = AlertStatus(status)
        except ValueError:
            raise FormError(f"status: {status!r} is not a decision") from None
        cases.decide(
            alert_id,
            status=new_status,
            reason=reason,
            actor=who.key,
            expected_version=expected_version,
        )

    return _alert_action(request, who, alert_id, action, f"/ui/alerts/{alert_id}?decided=1")


@router.post("/alerts/{alert_ref}/comment")
def comment(
    request: Request,
    alert_ref: str,
    who: Who,
    text: Annotated[str, Form(max_length=10_000)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    _check_csrf(who, csrf)
    alert_id = _alert_id(alert_ref)
    cases = services(request).cases

    def action() -> None:
        cases.require(who.key, P.ALERTS_COMMENT)
        if not text.strip():
            raise FormError("a comment needs text")
        cases.comment(alert_id, text, actor=who.key)

    return _alert_action(request, who, alert_id, action, f"/ui/alerts/{alert_id}")


@router.post("/alerts/{alert_ref}/assign")
def assign(
    request: Request,
    alert_ref: str,
    who: Who,
    assignee: Annotated[str, Form(max_length=200)] = "",
    expected_version: Annotated[int, Form(ge=0, le=2**62)] = 0,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    _check_csrf(who, csrf)
    alert_id = _alert_id(alert_ref)
    cases = services(request).cases

    def action() -> None:
        cases.require(who.key, P.ALERTS_ASSIGN)
        cases.assign(
            alert_id, assignee.strip() or None, actor=who.key, expected_version=expected_version
        )

    return _alert_action(request, who, alert_id, action, f"/ui/alerts/{alert_id}")


# ---------------------------------------------------------------------- lookup, lists, dashboard


@_get("/lookup")
def lookup(
    request: Request,
    who: Who,
    name: str | None = None,
    kind: str | None = None,
    country: str | None = None,
) -> Response:
    """Search any name in any script: hits with their explanation (no alert is opened)."""
    svc = services(request)
    svc.cases.require(who.key, P.LISTS_READ)
    data: dict[str, Any] = {"name": name, "kind": kind, "country": country, "result": None}
    error = None
    if name and name.strip():
        try:
            q = MatchQuery.model_validate(
                {
                    "name": name[:1000],
                    "kind": kind or None,
                    "country": country or None,
                }
            )
            result = svc.need_matcher().match(to_query(q, "query"), limit=20)
            data["result"] = result_json(result)
            svc.cases.audit(
                "ui.lookup",
                actor=who.key.actor,
                details={"name": q.name, "hits": len(result.hits)},
            )
        except StopshipError as exc:
            error = str(exc)
        except ValueError as exc:
            error = str(exc)
    data["error"] = error
    return page(request, "lookup.html", data, who, status=422 if error else 200)


@_get("/lists")
def lists(request: Request, who: Who) -> Response:
    svc = services(request)
    svc.cases.require(who.key, P.LISTS_READ)
    data = health_data(svc)
    data["versions"] = [v.to_json() for v in svc.store.current_versions()]
    return page(request, "lists.html", data, who)


@_get("/dashboard")
def dashboard(request: Request, who: Who) -> Response:
    svc = services(request)
    svc.cases.require(who.key, P.ALERTS_READ)
    stats = svc.cases.stats()
    extra = {
        "charts": [
            bar_chart("Alerts by decision", dict(stats.get("by_status", {}))),
            bar_chart("Alerts by list", dict(stats.get("by_source", {}))),
            bar_chart("Alerts by level", dict(stats.get("by_level", {}))),
        ]
    }
    return page(request, "dashboard.html", {"stats": stats}, who, extra=extra)
