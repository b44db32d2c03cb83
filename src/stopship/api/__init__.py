"""The HTTP API and review UI of stopship: one FastAPI app, built by :func:`create_app`.

``stopship serve`` runs it with uvicorn; tests build it over small fixture stores::

    app = create_app(store=store, matcher=Matcher.build(entities))
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from stopship.api import errors, gcpolicy
from stopship.api.limits import BodySizeLimit
from stopship.api.loading import load_engines, watch
from stopship.api.settings import ApiSettings
from stopship.api.state import Services
from stopship.store import Store
from stopship.store.checkpoint import WalCheckpointer

if TYPE_CHECKING:
    from stopship.cases import CaseService
    from stopship.match import Matcher
    from stopship.screen.screener import Screener

__all__ = ["ApiSettings", "create_app"]


def create_app(
    *,
    store: Store | None = None,
    matcher: Matcher | None = None,
    screener: Screener | None = None,
    cases: CaseService | None = None,
    settings: ApiSettings | None = None,
) -> FastAPI:
    """The app. Without ``matcher``/``screener`` it loads them from the store at start-up
    (lifespan) and again when the store gets new list versions (checked every
    ``settings.reload_seconds``), and delivers webhooks of new alerts in the background
    (every ``settings.webhook_seconds``, and at once after a call that opened alerts);
    without ``store`` it opens the default one (``STOPSHIP_HOME``)."""
    from stopship.api import admin, alerts, health, screening
    from stopship.cases import CaseService
    from stopship.cases.delivery import DeliveryLoop
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
        owns_engines=matcher is None and screener is None,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(load_engines, svc)
        watcher = None
        if settings.reload_seconds > 0 and svc.owns_engines:
            watcher = asyncio.create_task(watch(svc, settings.reload_seconds))
        undo_gc = gcpolicy.install() if settings.freeze_gc else None
        checkpoints = WalCheckpointer(
            svc.store.engine, interval=settings.wal_checkpoint_seconds
        ).start()
        if settings.webhook_seconds > 0:
            svc.deliveries = DeliveryLoop(svc.cases, interval=settings.webhook_seconds).start()
        yield
        if watcher is not None:
            watcher.cancel()
        if svc.deliveries is not None:
            await run_in_threadpool(svc.deliveries.stop)
            svc.deliveries = None
        if undo_gc is not None:
            undo_gc()
        await run_in_threadpool(checkpoints.stop)
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
