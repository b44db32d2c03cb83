"""Settings of one API process (limits, cookies, screening rules)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: the largest request body accepted (bytes); larger bodies get 413 before parsing
MAX_BODY_BYTES = 1 << 20
#: the most queries one ``POST /v1/match/batch`` may carry
MAX_BATCH = 1000


#: ``stopship serve --reload-every`` reaches the app (built by uvicorn) through this
RELOAD_ENV = "STOPSHIP_RELOAD_SECONDS"
FREEZE_GC_ENV = "STOPSHIP_FREEZE_GC"


def _reload_default() -> float:
    try:
        return float(os.environ.get(RELOAD_ENV, "60"))
    except ValueError:
        return 60.0


@dataclass(frozen=True)
class ApiSettings:
    max_body_bytes: int = MAX_BODY_BYTES
    #: how long a browser session lasts from login (seconds)
    session_seconds: int = 8 * 3600
    #: the secret that signs session cookies (default: $STOPSHIP_SESSION_SECRET, else a
    #: random one per process)
    session_secret: str | None = None
    #: mark the session cookie ``Secure`` (set when served over HTTPS)
    secure_cookies: bool = False
    #: how often to check the store for new list versions and load them (0: never; the
    #: server then serves the versions it started with until restarted)
    reload_seconds: float = field(default_factory=_reload_default)
    #: how often to deliver pending webhooks (retries included; 0: never, e.g. when another
    #: process delivers them)
    webhook_seconds: float = 15.0
    #: with a SQLite store, checkpoint its write-ahead log in a background thread this
    #: often instead of inside the commit of whichever request fills it (see
    #: stopship.store.checkpoint; 0: leave it to SQLite)
    wal_checkpoint_seconds: float = 1.0
    #: freeze the survivors of each full garbage collection (see stopship.api.gcpolicy):
    #: on in ``stopship serve``, off by default for embedding (it changes the process)
    freeze_gc: bool = field(default_factory=lambda: os.environ.get(FREEZE_GC_ENV) == "1")
    #: a rule-set file for order screening (default: the packaged one)
    rules: Path | None = None
    #: extra goods lists for order screening
    goods_lists: tuple[Path, ...] = ()
