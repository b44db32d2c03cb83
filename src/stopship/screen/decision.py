"""Reasons and decisions: every check returns reasons citing their source; a document's
decision is the most severe of them (block > review > clear)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class Severity(StrEnum):
    BLOCK = "block"
    REVIEW = "review"
    INFO = "info"


class Outcome(StrEnum):
    CLEAR = "clear"
    REVIEW = "review"
    BLOCK = "block"


class Citation(BaseModel):
    """Where a reason's rule or list entry comes from."""

    name: str  # "OFAC SDN", "CHPL", "BIS/FinCEN joint alert FIN-2022-Alert003", ...
    version: str | None = None
    url: str | None = None


class Reason(BaseModel):
    check: str  # "party" | "address" | "goods" | "route" | "payment"
    code: str  # e.g. "party_match", "address_match", "chpl_tier_1", "transit_country"
    severity: Severity
    message: str
    subject: str  # what it is about: "consignee: OOO Example", "item 2 (HS 854231)"
    entity_ids: list[str] = Field(default_factory=list)
    evidence: dict[str, Any] = Field(default_factory=dict)
    source: Citation | None = None


class Decision(BaseModel):
    document_id: str
    document_type: str  # "order" | "MT103" | "pacs.008"
    decision: Outcome
    reasons: list[Reason]
    entity_ids: list[str]
    list_versions: dict[str, int]
    ruleset_version: str
    screened_at: datetime


def decide(
    document_id: str,
    document_type: str,
    reasons: list[Reason],
    list_versions: dict[str, int],
    ruleset_version: str,
) -> Decision:
    """Block when any reason blocks, review when any asks for review, else clear."""
    severities = {r.severity for r in reasons}
    if Severity.BLOCK in severities:
        outcome = Outcome.BLOCK
    elif Severity.REVIEW in severities:
        outcome = Outcome.REVIEW
    else:
        outcome = Outcome.CLEAR
    order = {Severity.BLOCK: 0, Severity.REVIEW: 1, Severity.INFO: 2}
    ranked = sorted(reasons, key=lambda r: (order[r.severity], r.check, r.subject))
    entity_ids = sorted({e for r in ranked for e in r.entity_ids})
    return Decision(
        document_id=document_id,
        document_type=document_type,
        decision=outcome,
        reasons=ranked,
        entity_ids=entity_ids,
        list_versions=dict(list_versions),
        ruleset_version=ruleset_version,
        screened_at=datetime.now(UTC),
    )
