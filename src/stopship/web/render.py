"""Rendering a page as HTML or as its JSON twin, the UI's authentication, and the UI's
error pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from stopship.api.auth import bearer_secret
from stopship.api.state import services
from stopship.cases.models import ApiKey
from stopship.errors import AuthError, CaseNotFoundError
from stopship.web import TEMPLATES
from stopship.web.sessions import COOKIE, Session

templates = Jinja2Templates(directory=TEMPLATES)
templates.env.autoescape = True  # every template, whatever its extension

#: sent with every UI page: no inline scripts, no framing, no caching of case data
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Viewer:
    key: ApiKey
    session: Session | None  # None when the page was fetched with a bearer key

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session else ""


def viewer(request: Request) -> Viewer:
    """Who is looking: the session's key, or a bearer key (for the JSON twins)."""
    svc = services(request)
    secret = bearer_secret(request)
    if secret is not None:
        return Viewer(svc.cases.authenticate(secret), None)
    session = svc.sessions.get(request.cookies.get(COOKIE))
    if session is None:
        raise AuthError("not logged in: log in with an API key")
    try:
        key = svc.cases.get_key(session.key_id)
    except CaseNotFoundError:
        raise AuthError("the session's API key no longer exists: log in again") from None
    if key.revoked_at is not None:
        svc.sessions.end(session.token)
        raise AuthError(f"API key {key.prefix}... was revoked: log in with another key")
    return Viewer(key, session)


def wants_json(request: Request) -> bool:
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def page(
    request: Request,
    template: str,
    data: dict[str, Any],
    who: Viewer | None,
    *,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    """``data`` as JSON (the twin) or rendered into ``template`` (with ``extra``, which
    holds what only the HTML needs, like charts)."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder(data), status_code=status)
    context = {**data, **(extra or {}), "me": who.key if who else None}
    context["csrf"] = who.csrf if who else ""
    resp = templates.TemplateResponse(request, template, context, status_code=status)
    resp.headers.update(SECURITY_HEADERS)
    return resp


def _is_ui_html(request: Request) -> bool:
    return request.url.path.startswith("/ui") and not wants_json(request)


def ui_error(request: Request, status: int, code: str, message: str) -> Response | None:
    """The HTML answer to an error on a UI page (None: answer with the JSON envelope)."""
    if not _is_ui_html(request):
        return None
    if status == 401:
        target = request.url.path
        if request.method != "GET":
            target = "/ui/alerts"
        elif request.url.query:
            target += "?" + request.url.query
        resp: Response = RedirectResponse(
            f"/ui/login?next={quote(target, safe='')}", status_code=303
        )
        resp.delete_cookie(COOKIE, path="/ui")
        return resp
    resp = templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "me": None, "csrf": ""},
        status_code=status,
    )
    resp.headers.update(SECURITY_HEADERS)
    return resp
