"""What one API process serves with: the store, the matcher and screener loaded once at
start-up, the case service, the settings and the browser sessions."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from fastapi import Request

from stopship.api.settings import ApiSettings
from stopship.errors import NoListsLoadedError
from stopship.store import Store

if TYPE_CHECKING:
    from stopship.cases import CaseService
    from stopship.cases.delivery import DeliveryLoop
    from stopship.match import Matcher
    from stopship.screen.screener import Screener
    from stopship.web.sessions import SessionStore


@dataclass
class Services:
    store: Store
    cases: CaseService
    settings: ApiSettings
    sessions: SessionStore
    matcher: Matcher | None = None
    screener: Screener | None = None
    #: why the lists could not be loaded at start-up (shown by /health)
    load_error: str | None = None
    owned_store: bool = False
    #: the matcher and screener were loaded here (not given): reload them on list updates
    owns_engines: bool = False
    reload_lock: threading.Lock = field(default_factory=threading.Lock)
    #: the screener's per-party cache is not safe for concurrent use: one screening at a
    #: time (they are CPU-bound under one interpreter lock anyway)
    screen_lock: threading.Lock = field(default_factory=threading.Lock)
    #: the background webhook delivery (while the app runs)
    deliveries: DeliveryLoop | None = None

    def queued(self, before: int) -> None:
        """Deliver webhooks now (not at the next pass) when this process queued some
        since ``cases.deliveries_queued`` was ``before`` (new alerts with webhooks set);
        screening calls that queued none do not wake the delivery thread."""
        if self.cases.deliveries_queued != before and self.deliveries is not None:
            self.deliveries.nudge()

    def need_matcher(self) -> Matcher:
        if self.matcher is None:
            raise NoListsLoadedError(
                self.load_error or "no lists are loaded: run `stopship lists update` first"
            )
        return self.matcher

    def need_screener(self) -> Screener:
        if self.screener is None:
            raise NoListsLoadedError(
                self.load_error
                or "order and payment screening is not loaded: run `stopship lists update`"
            )
        return self.screener


def services(request: Request) -> Services:
    return cast(Services, request.app.state.services)
