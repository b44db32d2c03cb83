"""The HTTP API and review UI of stopship: one FastAPI app, built by :func:`create_app`.

``stopship serve`` runs it with uvicorn; tests build it over small fixture stores::

    app = create_app(store=store, matcher=Matcher.build(entities))
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from stopship.api import errors
from stopship.api.limits import BodySizeLimit
from stopship.api.settings import ApiSettings
from stopship.api.state import Services
from stopship.errors import StopshipError
from stopship.store import Store

if TYPE_CHECKING:
    from stopship.cases import CaseService
    from stopship.match import Matcher
    from stopship.screen.screener import Screener

__all__ = ["ApiSettings", "create_app"]

log = logging.getLogger("stopship.api")


def _load(svc: Services) -> None:
    """Load the screener (and with it the matcher) from the store, unless given."""
    if svc.matcher is not None or svc.screener is not None:
        if svc.matcher is None and svc.screener is not None:
            svc.matcher = svc.screener.matcher
        return
    from stopship.screen.screener import Screener

    try:
        svc.screener = Screener.from_store(
            svc.store, rules=svc.settings.rules, goods_lists=svc.settings.goods_lists
        )
    except StopshipError as exc:
        svc.load_error = str(exc)
        log.warning("not ready: %s", exc)
        return
    svc.matcher = svc.screener.matcher


def create_app(
    *,
    store: Store | None = None,
    matcher: Matcher | None = None,
    screener: Screener | None = None,
    cases: CaseService | None = None,
    settings: ApiSettings | None = None,
) -> FastAPI:
    """The app. Without ``matcher``/``screener`` it loads them from the store at start-up
    (lifespan); without ``store`` it opens the default one (``STOPSHIP_HOME``)."""
    from stopship.api import admin, alerts, health, screening
    from stopship.cases import CaseService
    from stopship.web import install as install_web
    from stopship.web.sessions import SessionStore, session_secret

    settings = settings or ApiSettings()
    owned = store is None
    the_store = store if store is not None else Store()
    svc = Services(
        store=the_store,
        cases=cases if cases is not None else CaseService(the_store),
        settings=settings,
        sessions=SessionStore(
            session_secret(settings.session_secret), max_age_seconds=settings.session_seconds
        ),
        matcher=matcher if matcher is not None else (screener.matcher if screener else None),
        screener=screener,
        owned_store=owned,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        _load(svc)
        yield
        if svc.owned_store:
            svc.store.close()

    app = FastAPI(
        title="stopship",
        version="0.1.0",
        summary="Sanctions screening: match, screen orders and payments, review alerts.",
        lifespan=lifespan,
        # the interactive pages load their scripts from a CDN: not on a screening server
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = svc
    errors.install(app)
    app.include_router(health.router)
    app.include_router(screening.router)
    app.include_router(alerts.router)
    app.include_router(admin.router)
    install_web(app)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    return app
