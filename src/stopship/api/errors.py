"""The one seam where errors become HTTP responses, all in one JSON envelope::

{"error": {"code": "invalid", "message": "...", "fields": [{"field": "body.name",
                                                              "message": "..."}]}}
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from stopship.api.limits import BodyTooLargeError
from stopship.errors import (
    AuditTamperedError,
    AuthError,
    CaseNotFoundError,
    ConflictError,
    DecisionError,
    EngineUnavailableError,
    EntityNotFoundError,
    InputError,
    NoListsLoadedError,
    PermissionDeniedError,
    SourceFormatError,
    StopshipError,
    UnknownSourceError,
)
from stopship.screen.payments.errors import PaymentFormatError

log = logging.getLogger("stopship.api")


class FieldError(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: list[FieldError] = []


class ErrorEnvelope(BaseModel):
    """Every error response of the API has this shape."""

    error: ErrorBody


class FieldInputError(InputError):
    """Bad input in named request fields (HTTP 422 naming them)."""

    def __init__(self, fields: Sequence[tuple[str, str]]) -> None:
        self.fields = list(fields)
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.fields))


#: stopship error class -> (HTTP status, error code); the first matching class wins
STATUS: tuple[tuple[type[StopshipError], int, str], ...] = (
    (AuthError, 401, "unauthorized"),
    (PermissionDeniedError, 403, "forbidden"),
    (CaseNotFoundError, 404, "not_found"),
    (EntityNotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (DecisionError, 422, "decision_refused"),
    (InputError, 422, "invalid"),
    (PaymentFormatError, 422, "invalid"),
    (SourceFormatError, 422, "invalid"),
    (UnknownSourceError, 422, "invalid"),
    (NoListsLoadedError, 503, "lists_not_loaded"),
    (EngineUnavailableError, 503, "unavailable"),
    (AuditTamperedError, 500, "audit_tampered"),
)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    503: "unavailable",
}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: Sequence[tuple[str, str]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorEnvelope(
        error=ErrorBody(
            code=code,
            message=message,
            fields=[FieldError(field=f, message=m) for f, m in fields],
        )
    )
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="stopship"', **(headers or {})}
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def status_of(exc: StopshipError) -> tuple[int, str]:
    for cls, status, code in STATUS:
        if isinstance(exc, cls):
            return status, code
    return 400, "bad_request"


def _field_name(loc: Sequence[Any]) -> str:
    return ".".join(str(x) for x in loc)


def validation_fields(errors: Sequence[Any]) -> list[tuple[str, str]]:
    out = []
    for e in errors:
        msg = str(e.get("msg", "invalid"))
        loc = tuple(e.get("loc", ()))
        if e.get("type") == "json_invalid":
            ctx = e.get("ctx") or {}
            at = f" at character {loc[1]}" if len(loc) > 1 else ""
            msg = f"bad JSON{at}: {ctx.get('error', msg)}"
            loc = loc[:1]
        out.append((_field_name(loc), msg))
    return out


def stopship_error_response(exc: StopshipError) -> JSONResponse:
    status, code = status_of(exc)
    fields: list[tuple[str, str]] = []
    if isinstance(exc, FieldInputError):
        fields = exc.fields
    elif isinstance(exc, PaymentFormatError) and exc.field:
        fields = [("body", f"{exc.field}: {exc.message}")]
    if status >= 500 and not isinstance(exc, NoListsLoadedError | EngineUnavailableError):
        log.error("server error: %s", exc)
    return error_response(status, code, str(exc), fields)


def _ui(request: Request, resp: JSONResponse) -> Response:
    """The UI's HTML page for this error when the request came from a browser page."""
    hook = getattr(request.app.state, "ui_errors", None)
    if hook is None:
        return resp
    err = json.loads(bytes(resp.body))["error"]
    html: Response | None = hook(request, resp.status_code, err["code"], err["message"])
    return resp if html is None else html


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the envelope."""

    async def on_stopship(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StopshipError)
        return _ui(request, stopship_error_response(exc))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = validation_fields(exc.errors())
        message = "; ".join(f"{f}: {m}" for f, m in fields) or "invalid request"
        return _ui(request, error_response(422, "invalid", message, fields))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = _HTTP_CODES.get(exc.status_code, "error")
        resp = error_response(
            exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {})
        )
        return _ui(request, resp)

    async def on_too_large(_: Request, exc: Exception) -> Response:
        return error_response(413, "payload_too_large", str(exc))

    async def on_unexpected(_: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return error_response(500, "internal", "internal error: the server logged the details")

    app.add_exception_handler(StopshipError, on_stopship)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(BodyTooLargeError, on_too_large)
    app.add_exception_handler(Exception, on_unexpected)
