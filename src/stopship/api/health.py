"""``GET /health``: readiness and the list versions in service (no key needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from stopship.api.state import Services, services

router = APIRouter(tags=["health"])


class ListStatus(BaseModel):
    source: str
    version: int
    published: str | None
    loaded_at: str | None
    entity_count: int


class Health(BaseModel):
    status: str  # "ready" | "not_ready"
    ready: bool
    serving: dict[str, int]  # the list versions the matcher screens against
    stale: bool  # the store has newer versions than those served: restart to load them
    lists: list[ListStatus]
    problem: str | None = None


def health_data(svc: Services) -> dict[str, Any]:
    lists = [
        ListStatus(
            source=v.source,
            version=v.id,
            published=v.published.isoformat() if v.published else None,
            loaded_at=v.finished_at.isoformat() if v.finished_at else None,
            entity_count=v.entity_count,
        )
        for v in svc.store.current_versions()
    ]
    serving = dict(svc.matcher.index.versions) if svc.matcher is not None else {}
    ready = bool(serving)
    problem = None
    if not ready:
        problem = svc.load_error or "no lists are loaded: run `stopship lists update` first"
    return Health(
        status="ready" if ready else "not_ready",
        ready=ready,
        serving=serving,
        stale={x.source: x.version for x in lists} != serving and ready,
        lists=lists,
        problem=problem,
    ).model_dump(mode="json")


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(request: Request) -> JSONResponse:
    """Ready (200) when lists are loaded and screened against; 503 otherwise."""
    data = health_data(services(request))
    return JSONResponse(data, status_code=200 if data["ready"] else 503)
