"""API-key authentication (``Authorization: Bearer KEY``) and role checks, as FastAPI
dependencies. The browser UI authenticates with its session cookie instead (see
:mod:`stopship.web.sessions`); both end in :meth:`CaseService.authenticate`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from stopship.api.state import services
from stopship.cases.models import ApiKey
from stopship.errors import AuthError

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer KEY`")


def bearer_secret(request: Request) -> str | None:
    """The key of an ``Authorization: Bearer`` header, '' for a malformed header, None
    when there is no header."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return ""
    return value.strip()


async def api_key(
    request: Request,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> ApiKey:
    """The key that sent this request (401 when missing, unknown or revoked). Runs on
    the event loop: one indexed read (and a write at most once a minute per key) costs
    less than a hop to the thread pool."""
    secret = bearer_secret(request)
    if secret is None:
        raise AuthError("missing API key: send the header 'Authorization: Bearer KEY'")
    if not secret:
        raise AuthError("malformed Authorization header: use 'Authorization: Bearer KEY'")
    return services(request).cases.authenticate(secret)


def allowed(action: str) -> Callable[..., Awaitable[ApiKey]]:
    """A dependency: the request's key, when its role may do ``action`` (else 403)."""

    async def dependency(request: Request, key: Annotated[ApiKey, Depends(api_key)]) -> ApiKey:
        services(request).cases.require(key, action)
        return key

    dependency.__name__ = f"allowed_{action.replace('.', '_')}"
    return dependency
