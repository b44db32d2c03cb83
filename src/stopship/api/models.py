"""Request and response bodies of the screening endpoints (typed, so the OpenAPI
document describes them and schemathesis can generate inputs)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from stopship.api.settings import MAX_BATCH
from stopship.match.model import MAX_NAME_LENGTH, Hit
from stopship.match.weights import ALERT_THRESHOLD
from stopship.screen.decision import Decision

Kind = Literal["person", "organization", "vessel", "aircraft", "any"]
Short = Annotated[str, Field(max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MatchQuery(_In):
    """One name to screen, with optional facts that sharpen the match."""

    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]
    kind: Kind | None = None
    country: Short | None = Field(None, description="ISO 3166 code or country name")
    birth_date: Short | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    id: Short | None = Field(None, description="An identifier: IMO, INN, OGRN, BIC, ...")


class MatchRequest(MatchQuery):
    threshold: Annotated[float, Field(ge=0.0, le=1.0)] = ALERT_THRESHOLD
    limit: Annotated[int, Field(ge=1, le=100)] = 10
    monitor: bool = Field(
        False, description="Remember this counterparty: re-screen it when the lists change"
    )


class BatchRequest(_In):
    queries: Annotated[list[MatchQuery], Field(min_length=1, max_length=MAX_BATCH)]
    threshold: Annotated[float, Field(ge=0.0, le=1.0)] = ALERT_THRESHOLD
    limit: Annotated[int, Field(ge=1, le=100)] = 10
    monitor: bool = False


class QueryOut(BaseModel):
    name: str
    kind: str | None
    country: str | None
    birth_date: str | None
    id: str | None


class MatchResponse(BaseModel):
    """The JSON of ``stopship match --json``, plus the ids of the alerts it opened or
    updated."""

    query: QueryOut
    normalized: list[str]
    list_versions: dict[str, int]
    hits: list[Hit]
    warnings: list[str]
    error: str | None
    alert: bool
    alert_ids: list[int]


class BatchResponse(BaseModel):
    results: list[MatchResponse]
    alerts: int
    alert_ids: list[int]


# ---------------------------------------------------------------------- orders (as JSON files)


class AddressIn(_In):
    full: Short | None = None
    street: Short | None = None
    city: Short | None = None
    postcode: Short | None = None
    region: Short | None = None
    country: Short | None = None


class PartyIn(_In):
    role: Short
    name: Annotated[str, Field(max_length=MAX_NAME_LENGTH)]
    address: AddressIn | Short | None = None
    street: Short | None = None
    city: Short | None = None
    postcode: Short | None = None
    region: Short | None = None
    country: Short | None = None
    identifier: Short | None = None
    registration_date: Short | None = None


class ItemIn(_In):
    line: int | Short | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None
    manufacturer: Short | None = None
    part_number: Short | None = None
    hs_code: Short | None = None
    quantity: float | Short | None = None
    value: float | Short | None = None
    currency: Short | None = None


class RouteIn(_In):
    ship_from: Short | None = None
    transit: list[Short] | Short | None = None
    ship_to: Short | None = None


class OrderIn(_In):
    """An order as in a JSON order file of ``stopship screen`` (see examples/README.md)."""

    order_id: Short
    order_date: Short | None = None
    parties: Annotated[list[PartyIn], Field(max_length=100)] = []
    items: Annotated[list[ItemIn], Field(max_length=1000)] = []
    route: RouteIn | None = None
    end_use: Annotated[str, Field(max_length=2000)] | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None


class PaymentIn(_In):
    message: Annotated[str, Field(min_length=1, description="An MT103 or pacs.008 message")]
    strict: bool = False


class DecisionResponse(Decision):
    """A decision as ``stopship screen`` writes it, plus the alerts it opened or updated
    (and, for payments, the parser's warnings)."""

    alert_ids: list[int]
    warnings: list[str] = Field(default_factory=list)


class PaymentResponse(BaseModel):
    decisions: list[DecisionResponse]


def order_json(order: OrderIn) -> dict[str, Any]:
    """The order as the JSON object a file would hold (unset fields left out)."""
    return order.model_dump(mode="json", exclude_unset=True)
