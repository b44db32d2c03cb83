"""Administration (admin role): API keys, webhooks, audit-chain verification."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from stopship.api.auth import allowed
from stopship.api.errors import ErrorEnvelope
from stopship.api.state import services
from stopship.cases import permissions as P
from stopship.cases.models import ApiKey, AuditEntry, AuditReport, Role, Webhook

router = APIRouter(prefix="/v1", tags=["admin"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope} for code in (401, 403, 404, 422)
}
KeyAdmin = Annotated[ApiKey, Depends(allowed(P.KEYS_MANAGE))]
HookAdmin = Annotated[ApiKey, Depends(allowed(P.WEBHOOKS_MANAGE))]
Auditor = Annotated[ApiKey, Depends(allowed(P.AUDIT_READ))]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeyIn(_In):
    role: Role
    name: Annotated[str, Field(max_length=200)] = ""


class NewKey(BaseModel):
    key: ApiKey
    secret: str = Field(description="The key itself: shown once, stored only hashed")


class WebhookIn(_In):
    url: Annotated[str, Field(min_length=8, max_length=2000, pattern=r"^https?://")]
    secret: Annotated[str, Field(max_length=500)] | None = Field(
        None, description="Deliveries are signed with HMAC-SHA256 of this secret"
    )


@router.get("/keys", response_model=list[ApiKey], responses=_ERRORS)
def list_keys(request: Request, _: KeyAdmin) -> list[ApiKey]:
    return list(services(request).cases.list_keys())


@router.post("/keys", response_model=NewKey, status_code=201, responses=_ERRORS)
def create_key(request: Request, body: KeyIn, key: KeyAdmin) -> NewKey:
    created, secret = services(request).cases.create_key(body.role, body.name, actor=key.actor)
    return NewKey(key=created, secret=secret)


@router.delete("/keys/{key_id}", response_model=ApiKey, responses=_ERRORS)
def revoke_key(
    request: Request, key_id: Annotated[int, Path(ge=1, le=2**62)], key: KeyAdmin
) -> ApiKey:
    return services(request).cases.revoke_key(key_id, actor=key.actor)


@router.get("/webhooks", response_model=list[Webhook], responses=_ERRORS)
def list_webhooks(request: Request, _: HookAdmin) -> list[Webhook]:
    return list(services(request).cases.list_webhooks())


@router.post("/webhooks", response_model=Webhook, status_code=201, responses=_ERRORS)
def add_webhook(request: Request, body: WebhookIn, key: HookAdmin) -> Webhook:
    return services(request).cases.add_webhook(body.url, secret=body.secret, actor=key)


@router.delete("/webhooks/{webhook_id}", response_model=Webhook, responses=_ERRORS)
def remove_webhook(
    request: Request, webhook_id: Annotated[int, Path(ge=1, le=2**62)], key: HookAdmin
) -> Webhook:
    return services(request).cases.remove_webhook(webhook_id, actor=key)


@router.get("/audit", response_model=list[AuditEntry], responses=_ERRORS)
def audit_entries(
    request: Request,
    _: Auditor,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[AuditEntry]:
    """Audit-log rows, newest first."""
    return list(services(request).cases.audit_entries(limit=limit, offset=offset))


@router.get("/audit/verify", response_model=AuditReport, responses=_ERRORS)
def verify_audit(request: Request, _: Auditor) -> AuditReport:
    """Re-compute the audit log's hash chain: ``ok`` false names the first bad row."""
    return services(request).cases.verify_audit()
