"""Orders to decision lines, as both engines write them (the lines of ``stopship screen``)."""

from __future__ import annotations

import json
from typing import Any

from stopship.screen.decision import Decision
from stopship.screen.orders import Order, OrderRecord
from stopship.screen.screener import Screener


def decision_json(d: Decision, location: str | None = None) -> dict[str, Any]:
    data = d.model_dump(mode="json")
    if location:
        data["location"] = location
    return data


def error_json(location: str, source: str, order_id: str | None, errors: list[str]) -> str:
    line = {"location": location, "source": source, "document_id": order_id, "errors": errors}
    return json.dumps(line, ensure_ascii=False)


def order_line(screener: Screener, order: Order, location: str) -> tuple[str, bool]:
    """The decision line of one order, and whether it is not ``clear``."""
    d = screener.screen_order(order)
    line = json.dumps(decision_json(d, location), ensure_ascii=False)
    return line, d.decision.value != "clear"


def record_line(screener: Screener, rec: OrderRecord) -> tuple[str, bool, bool]:
    """(JSON line, flagged, error) of one order record as read from a file."""
    if rec.order is None:
        return error_json(rec.location, rec.source, rec.order_id, list(rec.errors)), False, True
    line, flagged = order_line(screener, rec.order, rec.location)
    return line, flagged, False
