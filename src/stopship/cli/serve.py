"""``stopship serve``: the HTTP API and the review UI (uvicorn, one process)."""

from __future__ import annotations

from typing import Annotated

import typer


def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    log_level: Annotated[
        str, typer.Option("--log-level", help="uvicorn log level (info, warning, ...)")
    ] = "info",
    access_log: Annotated[bool, typer.Option(help="Log every request")] = True,
) -> None:
    """Serve the API (/v1, /health, /openapi.json) and the review UI (/ui) over the lists
    in the store. Lists, index and rules are loaded once at start-up."""
    import uvicorn

    from stopship.api import create_app

    uvicorn.run(
        create_app(),
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        proxy_headers=False,
    )
