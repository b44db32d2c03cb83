"""Orders and shipments: the document model and its readers (JSON, JSONL, CSV, XLSX).

Layouts are documented in ``examples/README.md``:

* **JSON**: one order object, an array of them, or JSON Lines (one order per line).
* **CSV / single-sheet XLSX** ("flat"): one row per line item; order columns (``order_id``,
  ``order_date``, ``end_use``, ``notes``, ``ship_from``, ``transit``, ``ship_to``) and party
  columns ``<role>_<field>`` (``buyer_name``, ``consignee_city``, ...) are repeated or left blank
  on an order's further rows. Rows are grouped by ``order_id``.
* **XLSX with sheets Orders / Parties / Items**: one row per order, per party (with a ``role``
  column, so a role may occur more than once) and per line item, joined on ``order_id``.

Every problem is reported, never skipped: a file that cannot be read raises
:class:`~stopship.errors.InputError`; a bad order yields an :class:`OrderRecord` without an
order whose ``errors`` name the file, the row or line, and the field.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

import pycountry
from pydantic import BaseModel, ConfigDict

from stopship.cells import cell_text, csv_lines
from stopship.countries import to_iso
from stopship.errors import InputError
from stopship.model import Address
from stopship.screen.goods import HsCodeError, normalize_hs


class PartyRole(StrEnum):
    BUYER = "buyer"
    CONSIGNEE = "consignee"
    END_USER = "end_user"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee"
    FREIGHT_FORWARDER = "freight_forwarder"
    NOTIFY_PARTY = "notify_party"
    PAYER = "payer"
    BANK = "bank"


ROLES = tuple(r.value for r in PartyRole)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Party(_Model):
    role: PartyRole
    name: str
    address: Address | None = None
    country: str | None = None  # ISO alpha-2 (the address country when not given apart)
    identifier: str | None = None  # as given: tax id, registration no., BIC, LEI
    registration_date: date | None = None  # when the company was founded, if known


class LineItem(_Model):
    line: int
    description: str | None = None
    manufacturer: str | None = None
    part_number: str | None = None
    hs_code: str | None = None  # digits only, 2-10 (see stopship.screen.goods.normalize_hs)
    quantity: Decimal | None = None
    value: Decimal | None = None  # the line's total value
    currency: str | None = None  # ISO 4217


class Route(_Model):
    ship_from: str | None = None  # ISO alpha-2
    transit: tuple[str, ...] = ()
    ship_to: str | None = None


class Order(_Model):
    order_id: str
    order_date: date | None = None
    parties: tuple[Party, ...] = ()
    items: tuple[LineItem, ...] = ()
    route: Route = Route()
    end_use: str | None = None
    notes: str | None = None

    def parties_with(self, role: PartyRole) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role is role)


@dataclass(frozen=True)
class OrderRecord:
    """One order read from a file, or the reasons it could not be read."""

    source: str  # file name
    location: str  # "line 3", "order 2 of the array", "rows 2-4", "sheet 'Orders', row 5"
    order_id: str | None
    order: Order | None
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.order is not None


# -- reading ---------------------------------------------------------------------------------

ORDER_FIELDS = ("order_id", "order_date", "end_use", "notes", "ship_from", "transit", "ship_to")
ITEM_FIELDS = (
    "line",
    "description",
    "manufacturer",
    "part_number",
    "hs_code",
    "quantity",
    "value",
    "currency",
)
PARTY_FIELDS = (
    "name",
    "street",
    "city",
    "postcode",
    "region",
    "country",
    "identifier",
    "registration_date",
)
_ADDRESS_FIELDS = ("street", "city", "postcode", "region", "country")


def read_orders(path: Path | str) -> Iterator[OrderRecord]:
    """Orders of a JSON/JSONL, CSV/TSV or XLSX file (by extension)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl", ".ndjson"):
        yield from _json(path)
    elif suffix in (".csv", ".tsv", ".txt"):
        yield from _csv(path, "\t" if suffix == ".tsv" else ",")
    elif suffix in (".xlsx", ".xlsm"):
        yield from _xlsx(path)
    else:
        raise InputError(f"{path}: unknown order file format {suffix!r} (.json, .csv or .xlsx)")


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}, line {line}: not valid UTF-8") from exc


# JSON ---------------------------------------------------------------------------------------


def _json(path: Path) -> Iterator[OrderRecord]:
    text = _decode(path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    doc: Any = None
    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
    if not jsonl:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                raise InputError(f"{path}, line {exc.lineno}: bad JSON: {exc.msg}") from exc
            jsonl = True
    seen: dict[str, str] = {}
    if jsonl:
        for n, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            where = f"line {n}"
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                yield _failed(path, where, None, f"bad JSON: {exc.msg}")
                continue
            yield _from_json_obj(path, where, obj, seen)
    elif isinstance(doc, list):
        for n, obj in enumerate(doc, start=1):
            yield _from_json_obj(path, f"order {n} of the array", obj, seen)
    else:
        yield _from_json_obj(path, "the order object", doc, seen)


def _failed(path: Path, where: str, order_id: str | None, msg: str) -> OrderRecord:
    return OrderRecord(path.name, where, order_id, None, (f"{path.name}, {where}: {msg}",))


def _from_json_obj(path: Path, where: str, obj: Any, seen: dict[str, str]) -> OrderRecord:
    if not isinstance(obj, dict):
        return _failed(path, where, None, 'not a JSON object (an order is {"order_id": ...})')
    rec = _build(path.name, where, obj, {})
    return _dedupe(rec, seen)


def _dedupe(rec: OrderRecord, seen: dict[str, str]) -> OrderRecord:
    if rec.order_id is None:
        return rec
    first = seen.setdefault(rec.order_id, rec.location)
    if first == rec.location:
        return rec
    msg = f"{rec.source}, {rec.location}: order_id: {rec.order_id!r} already used at {first}"
    return OrderRecord(rec.source, rec.location, rec.order_id, None, (*rec.errors, msg))


# CSV / flat sheet -----------------------------------------------------------------------------


@dataclass
class _FlatOrder:
    order_id: str
    rows: list[str] = field(default_factory=list)  # row labels
    raw: dict[str, Any] = field(default_factory=dict)
    locs: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (where, column)
    conflicts: list[str] = field(default_factory=list)


def _flat_columns(path: Path, header: list[str]) -> list[str]:
    cols = [re.sub(r"\s+", "_", h.strip().lower().lstrip("\ufeff")) for h in header]
    known = set(ORDER_FIELDS) | set(ITEM_FIELDS)
    known |= {f"{r}_{f}" for r in ROLES for f in PARTY_FIELDS}
    for col in cols:
        if not col or col in known:
            continue
        m = re.fullmatch(r"(.+)_(" + "|".join(PARTY_FIELDS) + r")", col)
        if m:
            raise InputError(
                f"{path}: column {col!r}: unknown party role {m.group(1)!r} "
                f"(roles: {', '.join(ROLES)})"
            )
        raise InputError(f"{path}: unknown column {col!r} (see examples/README.md for the layout)")
    if "order_id" not in cols:
        raise InputError(f"{path}: no 'order_id' column in the header")
    return cols


def _flat_orders(path: Path, rows: Iterator[tuple[str, dict[str, Any]]]) -> Iterator[OrderRecord]:
    """Group labelled flat rows by order id and build each order (in first-row order)."""
    orders: dict[str, _FlatOrder] = {}
    out: list[tuple[int, OrderRecord | _FlatOrder]] = []
    for seq, (label, cells) in enumerate(rows):
        oid = cell_text(cells.get("order_id"))
        if oid is None:
            msg = "order_id: missing (every row needs its order's id)"
            out.append((seq, _failed(path, label, None, msg)))
            continue
        fo = orders.get(oid)
        if fo is None:
            fo = orders[oid] = _FlatOrder(oid, raw={"order_id": oid})
            fo.locs["order_id"] = (label, "order_id")
            out.append((seq, fo))
        fo.rows.append(label)
        _merge_flat_row(fo, label, cells)
    for _, item in sorted(out, key=lambda x: x[0]):
        if isinstance(item, OrderRecord):
            yield item
            continue
        fo = item
        where = fo.rows[0] if len(fo.rows) == 1 else f"{fo.rows[0]} to {fo.rows[-1]}"
        rec = _build(path.name, where, fo.raw, fo.locs)
        if fo.conflicts:
            errs = tuple(f"{path.name}, {c}" for c in fo.conflicts)
            rec = OrderRecord(rec.source, rec.location, fo.order_id, None, (*errs, *rec.errors))
        yield rec


def _merge_flat_row(fo: _FlatOrder, label: str, cells: dict[str, Any]) -> None:
    def put(target: dict[str, Any], key: str, path: str, column: str, value: Any) -> None:
        if _blank(value):
            return
        if key in target:
            if cell_text(target[key]) != cell_text(value):
                where = fo.locs[path][0]
                fo.conflicts.append(
                    f"{label}: {column}: {cell_text(value)!r} differs from "
                    f"{cell_text(target[key])!r} given for the same order at {where}"
                )
            return
        target[key] = value
        fo.locs[path] = (label, column)

    for col in ORDER_FIELDS:
        if col == "order_id":
            continue
        if col in ("ship_from", "transit", "ship_to"):
            put(fo.raw.setdefault("route", {}), col, f"route.{col}", col, cells.get(col))
        else:
            put(fo.raw, col, col, col, cells.get(col))
    parties: dict[str, dict[str, Any]] = fo.raw.setdefault("_parties", {})
    for role in ROLES:
        for f in PARTY_FIELDS:
            col = f"{role}_{f}"
            if not _blank(cells.get(col)):
                if role not in parties:
                    fo.locs[f"party:{role}.first"] = (label, col)
                party = parties.setdefault(role, {"role": role})
                put(party, f, f"party:{role}.{f}", col, cells.get(col))
    if any(not _blank(cells.get(c)) for c in ITEM_FIELDS):
        items: list[dict[str, Any]] = fo.raw.setdefault("items", [])
        i = len(items)
        items.append({c: cells[c] for c in ITEM_FIELDS if not _blank(cells.get(c))})
        for c in ITEM_FIELDS:
            fo.locs[f"items[{i}].{c}"] = (label, c)
        fo.locs[f"items[{i}]"] = (label, "line item")
    fo.raw["parties"] = list(parties.values())
    # party paths by position, for error messages
    for i, party in enumerate(fo.raw["parties"]):
        role = party["role"]
        first = fo.locs[f"party:{role}.first"]
        for f in PARTY_FIELDS:
            fo.locs[f"parties[{i}].{f}"] = fo.locs.get(
                f"party:{role}.{f}", (first[0], f"{role}_{f}")
            )
        fo.locs[f"parties[{i}]"] = first


def _csv(path: Path, delimiter: str) -> Iterator[OrderRecord]:
    header, lines = csv_lines(path, _decode(path), delimiter)
    cols = _flat_columns(path, header)

    def rows() -> Iterator[tuple[str, dict[str, Any]]]:
        for row, (line, values) in enumerate(lines, start=1):
            if isinstance(values, csv.Error):
                raise InputError(f"{path}, line {line}: malformed CSV: {values}") from values
            label = f"row {row} (line {line})"
            if len(values) > len(cols):
                raise InputError(
                    f"{path}, {label}: {len(values)} cells but {len(cols)} columns in the header"
                )
            yield label, dict(zip(cols, values, strict=False))

    yield from _flat_orders(path, rows())


# XLSX -------------------------------------------------------------------------------------------


def _xlsx(path: Path) -> Iterator[OrderRecord]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        if {"orders", "parties", "items"} <= sheets.keys():
            names = ("orders", "parties", "items")
            tables = {k: list(_sheet_rows(path, sheets[k])) for k in names}
            titles = {k: sheets[k].title for k in names}
            records = list(_multi_sheet(path, tables, titles))
        else:
            ws = wb.worksheets[0]
            it = ws.iter_rows(values_only=True)
            try:
                header = next(it)
            except StopIteration:
                raise InputError(f"{path}: the first sheet is empty") from None
            cols = _flat_columns(path, ["" if h is None else str(h) for h in header])

            def rows() -> Iterator[tuple[str, dict[str, Any]]]:
                for n, values in enumerate(it, start=2):
                    if all(_blank(v) for v in values):
                        continue
                    yield f"sheet {ws.title!r}, row {n}", dict(zip(cols, values, strict=False))

            records = list(_flat_orders(path, rows()))
    finally:
        wb.close()
    yield from records


def _sheet_rows(path: Path, ws: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    it = ws.iter_rows(values_only=True)
    try:
        header = next(it)
    except StopIteration:
        return
    cols = [re.sub(r"\s+", "_", str(h or "").strip().lower()) for h in header]
    if "order_id" not in cols:
        raise InputError(f"{path}: sheet {ws.title!r} has no 'order_id' column")
    for n, values in enumerate(it, start=2):
        if all(_blank(v) for v in values):
            continue
        yield f"sheet {ws.title!r}, row {n}", dict(zip(cols, values, strict=False))


_SHEET_COLUMNS = {
    "orders": set(ORDER_FIELDS),
    "parties": {"order_id", "role", *PARTY_FIELDS},
    "items": {"order_id", *ITEM_FIELDS},
}


def _multi_sheet(
    path: Path, tables: dict[str, list[tuple[str, dict[str, Any]]]], titles: dict[str, str]
) -> Iterator[OrderRecord]:
    for sheet, rows in tables.items():
        for _label, cells in rows[:1]:
            unknown = sorted(set(cells) - _SHEET_COLUMNS[sheet] - {""})
            if unknown:
                raise InputError(
                    f"{path}: sheet {titles[sheet]!r}: unknown column(s) "
                    f"{', '.join(map(repr, unknown))}"
                )
    orders: dict[str, tuple[str, dict[str, Any], dict[str, tuple[str, str]]]] = {}
    for label, cells in tables["orders"]:
        oid = cell_text(cells.get("order_id"))
        if oid is None:
            yield _failed(path, label, None, "order_id: missing")
            continue
        if oid in orders:
            yield _failed(path, label, oid, f"order_id: {oid!r} already used at {orders[oid][0]}")
            continue
        raw: dict[str, Any] = {k: v for k, v in cells.items() if k in ORDER_FIELDS}
        raw["route"] = {k: raw.pop(k) for k in ("ship_from", "transit", "ship_to") if k in raw}
        raw["parties"], raw["items"] = [], []
        locs = {k: (label, k) for k in ORDER_FIELDS}
        locs |= {f"route.{k}": (label, k) for k in ("ship_from", "transit", "ship_to")}
        orders[oid] = (label, raw, locs)
    for kind in ("parties", "items"):
        for label, cells in tables[kind]:
            oid = cell_text(cells.get("order_id"))
            if oid is None or oid not in orders:
                why = "missing" if oid is None else f"{oid!r} is not in the Orders sheet"
                yield _failed(path, label, oid, f"order_id: {why}")
                continue
            _, raw, locs = orders[oid]
            i = len(raw[kind])
            raw[kind].append({k: v for k, v in cells.items() if k != "order_id" and k})
            for k in cells:
                locs[f"{kind}[{i}].{k}"] = (label, k)
            locs[f"{kind}[{i}]"] = (label, kind)
    for label, raw, locs in orders.values():
        yield _build(path.name, label, raw, locs)


# -- building an order from plain data ------------------------------------------------------------


class _Errors:
    def __init__(self, source: str, where: str, locs: dict[str, tuple[str, str]]):
        self.source, self.where, self.locs = source, where, locs
        self.messages: list[str] = []

    def add(self, path: str, msg: str) -> None:
        where, label = self.locs.get(path, (self.where, path))
        self.messages.append(f"{self.source}, {where}: {label}: {msg}")


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _check_keys(e: _Errors, path: str, obj: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for k in obj:
        if k not in allowed:
            prefix = f"{path}." if path else ""
            e.add(f"{prefix}{k}", f"unknown field (expected one of: {', '.join(allowed)})")


def _country(e: _Errors, path: str, v: Any) -> str | None:
    t = cell_text(v)
    if t is None:
        return None
    iso = to_iso(t)
    if iso is None:
        e.add(path, f"{t!r} is not an ISO 3166 country code or a known country name")
    return iso


def _decimal(e: _Errors, path: str, v: Any, *, positive: bool) -> Decimal | None:
    if _blank(v):
        return None
    if isinstance(v, bool):
        e.add(path, f"{v!r} is not a number")
        return None
    t = str(v).strip()
    try:
        d = Decimal(t)
    except InvalidOperation:
        hint = " (use a dot for decimals and no thousands separator)" if "," in t else ""
        e.add(path, f"{t!r} is not a number{hint}")
        return None
    if not d.is_finite():
        e.add(path, f"{t!r} is not a finite number")
        return None
    if positive and d <= 0:
        e.add(path, f"{t} must be more than 0")
        return None
    if d < 0:
        e.add(path, f"{t} must not be negative")
        return None
    return d


def _hs(e: _Errors, path: str, v: Any) -> str | None:
    if _blank(v):
        return None
    if isinstance(v, float):  # a spreadsheet number cell: 854231.0, 8542.31
        v = str(int(v)) if v.is_integer() else f"{v:.2f}"
    try:
        return normalize_hs(v if isinstance(v, int | str) else str(v))
    except HsCodeError as exc:
        e.add(path, str(exc))
        return None


def _build(
    source: str, where: str, raw: dict[str, Any], locs: dict[str, tuple[str, str]]
) -> OrderRecord:
    e = _Errors(source, where, locs)
    raw = {k: v for k, v in raw.items() if not k.startswith("_")}
    _check_keys(
        e, "", raw, ("order_id", "order_date", "parties", "items", "route", "end_use", "notes")
    )
    oid = cell_text(raw.get("order_id"))
    if oid is None:
        e.add("order_id", "missing")
    order_date = _date(e, "order_date", raw.get("order_date"))
    parties = _parties(e, raw.get("parties"))
    items = _items(e, raw.get("items"))
    route = _route(e, raw.get("route"))
    if e.messages or oid is None:
        return OrderRecord(source, where, oid, None, tuple(e.messages))
    order = Order(
        order_id=oid,
        order_date=order_date,
        parties=parties,
        items=items,
        route=route,
        end_use=cell_text(raw.get("end_use")),
        notes=cell_text(raw.get("notes")),
    )
    return OrderRecord(source, where, oid, order)


def _date(e: _Errors, path: str, v: Any) -> date | None:
    if _blank(v):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v).strip())
    except ValueError:
        e.add(path, f"{v!r} is not an ISO date (YYYY-MM-DD)")
        return None


def _list_of_objects(e: _Errors, path: str, v: Any) -> list[tuple[int, dict[str, Any]]]:
    if v is None:
        return []
    if not isinstance(v, list):
        e.add(path, "must be a list")
        return []
    out = []
    for i, obj in enumerate(v):
        if isinstance(obj, dict):
            out.append((i, obj))
        else:
            e.add(f"{path}[{i}]", "must be an object")
    return out


def _parties(e: _Errors, v: Any) -> tuple[Party, ...]:
    out: list[Party] = []
    allowed = ("role", "name", "address", *PARTY_FIELDS)
    for i, p in _list_of_objects(e, "parties", v):
        at = f"parties[{i}]"
        _check_keys(e, at, p, allowed)
        role_text = (cell_text(p.get("role")) or "").lower().replace(" ", "_").replace("-", "_")
        if not role_text:
            e.add(f"{at}.role", "missing")
        elif role_text not in ROLES:
            e.add(f"{at}.role", f"unknown role {role_text!r} (roles: {', '.join(ROLES)})")
        name = cell_text(p.get("name"))
        if name is None:
            e.add(f"{at}.name", "missing")
        address = _address(e, at, p)
        country = _country(e, f"{at}.country", p.get("country"))
        if role_text in ROLES and name is not None:
            out.append(
                Party(
                    role=PartyRole(role_text),
                    name=name,
                    address=address,
                    country=country or (address.country if address else None),
                    identifier=cell_text(p.get("identifier")),
                    registration_date=_date(
                        e, f"{at}.registration_date", p.get("registration_date")
                    ),
                )
            )
    return tuple(out)


def _address(e: _Errors, at: str, p: dict[str, Any]) -> Address | None:
    a = p.get("address")
    fields: dict[str, Any] = {}
    if isinstance(a, str):
        fields["full"] = a.strip() or None
    elif isinstance(a, dict):
        _check_keys(e, f"{at}.address", a, (*_ADDRESS_FIELDS, "full"))
        fields = {k: a.get(k) for k in (*_ADDRESS_FIELDS, "full")}
        fields["country"] = _country(e, f"{at}.address.country", a.get("country"))
    elif a is not None:
        e.add(f"{at}.address", "must be an object or a text")
    for k in ("street", "city", "postcode", "region"):  # flat layouts
        if k in p and not fields.get(k):
            fields[k] = p.get(k)
    clean = {k: cell_text(x) for k, x in fields.items()}
    if not any(clean.values()):
        return None
    if not clean.get("country") and "country" in p:  # flat layouts: <role>_country
        clean["country"] = to_iso(cell_text(p.get("country")))
    return Address(**clean)


def _items(e: _Errors, v: Any) -> tuple[LineItem, ...]:
    out: list[LineItem] = []
    for i, it in _list_of_objects(e, "items", v):
        at = f"items[{i}]"
        _check_keys(e, at, it, ITEM_FIELDS)
        before = len(e.messages)
        line_no = i + 1
        if not _blank(it.get("line")):
            try:
                line_no = int(str(cell_text(it.get("line"))))
            except ValueError:
                e.add(f"{at}.line", f"{it.get('line')!r} is not a whole number")
        currency = cell_text(it.get("currency"))
        if currency is not None:
            currency = currency.upper()
            if pycountry.currencies.get(alpha_3=currency) is None:
                e.add(f"{at}.currency", f"{currency!r} is not an ISO 4217 currency code")
        item = {
            "line": line_no,
            "description": cell_text(it.get("description")),
            "manufacturer": cell_text(it.get("manufacturer")),
            "part_number": cell_text(it.get("part_number")),
            "hs_code": _hs(e, f"{at}.hs_code", it.get("hs_code")),
            "quantity": _decimal(e, f"{at}.quantity", it.get("quantity"), positive=True),
            "value": _decimal(e, f"{at}.value", it.get("value"), positive=False),
            "currency": currency,
        }
        nothing = not any(item[k] for k in ("description", "part_number", "hs_code"))
        if nothing and len(e.messages) == before:
            e.add(at, "a line item needs a description, a part_number or an hs_code")
        if len(e.messages) == before:
            out.append(LineItem(**item))
    return tuple(out)


def _route(e: _Errors, v: Any) -> Route:
    if v is None:
        return Route()
    if not isinstance(v, dict):
        e.add("route", "must be an object with ship_from, transit, ship_to")
        return Route()
    _check_keys(e, "route", v, ("ship_from", "transit", "ship_to"))
    transit_raw = v.get("transit")
    names: list[Any]
    if isinstance(transit_raw, list):
        names = transit_raw
    elif _blank(transit_raw):
        names = []
    else:
        names = [x for x in re.split(r"[;,|]", str(transit_raw)) if x.strip()]
    transit = [_country(e, "route.transit", n) for n in names]
    return Route(
        ship_from=_country(e, "route.ship_from", v.get("ship_from")),
        transit=tuple(t for t in transit if t),
        ship_to=_country(e, "route.ship_to", v.get("ship_to")),
    )


__all__ = [
    "ITEM_FIELDS",
    "ORDER_FIELDS",
    "PARTY_FIELDS",
    "ROLES",
    "LineItem",
    "Order",
    "OrderRecord",
    "Party",
    "PartyRole",
    "Route",
    "read_orders",
]


def order_from_json(obj: Any, source: str = "request") -> OrderRecord:
    """One order from an already parsed JSON value (as one object of a JSON order file),
    e.g. an HTTP request body. Error messages read ``"<source>, the order object: <field>:
    <problem>"``."""
    where = "the order object"
    if not isinstance(obj, dict):
        msg = f'{source}, {where}: not a JSON object (an order is {{"order_id": ...}})'
        return OrderRecord(source, where, None, None, (msg,))
    return _build(source, where, obj, {})
