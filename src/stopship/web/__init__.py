"""The review UI: server-rendered pages (Jinja2, autoescaped) under ``/ui``, each with a
JSON twin (the same path with ``.json`` appended, or ``Accept: application/json``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def install(app: FastAPI) -> None:
    from stopship.web import pages
    from stopship.web.render import ui_error

    app.include_router(pages.router)
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="static")
    app.state.ui_errors = ui_error

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/alerts", status_code=303)
