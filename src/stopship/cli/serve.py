"""``stopship serve``: the HTTP API and the review UI (uvicorn)."""

from __future__ import annotations

import importlib.util
import os
import secrets
from typing import Annotated

import typer


def http_stack() -> tuple[str, str]:
    """uvicorn's HTTP parser and event loop: the compiled ones (httptools, uvloop, pinned
    dependencies) when installed, else the pure-Python h11 and asyncio's own loop."""
    compiled = all(importlib.util.find_spec(m) is not None for m in ("httptools", "uvloop"))
    return ("httptools", "uvloop") if compiled else ("h11", "asyncio")


def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Worker processes (each loads the lists and the match index)"
        ),
    ] = 1,
    log_level: Annotated[
        str, typer.Option("--log-level", help="uvicorn log level (info, warning, ...)")
    ] = "info",
    access_log: Annotated[bool, typer.Option(help="Log every request")] = True,
    reload_every: Annotated[
        float,
        typer.Option(
            "--reload-every",
            min=0,
            help="Seconds between checks for new list versions in the store (0: never)",
        ),
    ] = 60.0,
) -> None:
    """Serve the API (/v1, /health, /openapi.json) and the review UI (/ui) over the lists
    in the store. Lists, index and rules are loaded once per worker at start-up, and again
    when `stopship lists update` puts new versions in service."""
    import uvicorn

    from stopship.api.settings import FREEZE_GC_ENV, RELOAD_ENV
    from stopship.web.sessions import SECRET_ENV

    # one session secret for every worker, so a browser session works on any of them
    os.environ.setdefault(SECRET_ENV, secrets.token_hex(32))
    os.environ[RELOAD_ENV] = str(reload_every)
    os.environ[FREEZE_GC_ENV] = "1"  # see stopship.api.gcpolicy
    http, loop = http_stack()
    uvicorn.run(
        "stopship.api:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=access_log,
        proxy_headers=False,
        http=http,
        loop=loop,
    )
