"""Loading the matcher and screener from the store at start-up, and again whenever
``stopship lists update`` puts new list versions in service while the server runs."""

from __future__ import annotations

import asyncio
import logging

from fastapi.concurrency import run_in_threadpool

from stopship.api.state import Services
from stopship.errors import StopshipError

log = logging.getLogger("stopship.api")


def store_versions(svc: Services) -> dict[str, int]:
    return {v.source: v.id for v in svc.store.current_versions()}


def load_engines(svc: Services) -> None:
    """Load the screener (and with it the matcher) from the store, unless they were
    given to :func:`~stopship.api.create_app`."""
    if not svc.owns_engines:
        return
    from stopship.screen.screener import Screener

    try:
        screener = Screener.from_store(
            svc.store, rules=svc.settings.rules, goods_lists=svc.settings.goods_lists
        )
    except StopshipError as exc:
        svc.load_error = str(exc)
        log.warning("not ready: %s", exc)
        return
    svc.screener, svc.matcher, svc.load_error = screener, screener.matcher, None


def reload_if_stale(svc: Services) -> bool:
    """Load the lists again when the store's versions differ from those served; the old
    matcher keeps answering until the new one is complete. True when it reloaded."""
    if not svc.owns_engines:
        return False
    with svc.reload_lock:
        serving = dict(svc.matcher.index.versions) if svc.matcher is not None else {}
        wanted = store_versions(svc)
        if wanted == serving:
            return False
        log.info("lists changed (%s -> %s): loading", serving, wanted)
        load_engines(svc)
        now = dict(svc.matcher.index.versions) if svc.matcher is not None else {}
        svc.cases.audit(
            "service.lists_loaded",
            actor="server",
            details={"from": serving, "to": now, "problem": svc.load_error},
        )
        return now != serving


async def watch(svc: Services, every: float) -> None:
    """Check for new list versions every ``every`` seconds (runs until cancelled)."""
    while True:
        await asyncio.sleep(every)
        try:
            await run_in_threadpool(reload_if_stale, svc)
        except Exception:  # keep serving the lists already loaded
            log.exception("reloading the lists failed; still serving the previous ones")
