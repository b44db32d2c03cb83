"""Order readers: JSON / JSONL / CSV / XLSX, field by field, and every bad-input case."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from stopship.errors import InputError
from stopship.screen.goods import GoodsRules
from stopship.screen.orders import Order, OrderRecord, PartyRole, read_orders

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture()
def d(fixtures: Path) -> Path:
    return fixtures / "orders"


def _by_id(records: list[OrderRecord]) -> dict[str | None, OrderRecord]:
    return {r.order_id: r for r in records}


def _ok(rec: OrderRecord) -> Order:
    assert rec.errors == ()
    assert rec.order is not None
    return rec.order


# ---------------------------------------------------------------- JSON


def test_json_single_order_fields(d: Path) -> None:
    (rec,) = read_orders(d / "simple.json")
    o = _ok(rec)
    assert rec.source == "simple.json" and rec.location == "the order object"
    assert o.order_id == "T-1"
    assert o.order_date == date(2024, 3, 1)
    assert o.end_use == "Own production"
    buyer, consignee, ff = o.parties
    assert buyer.role is PartyRole.BUYER and buyer.name == "Example Buyer GmbH"
    assert buyer.address is not None
    assert (buyer.address.street, buyer.address.city, buyer.address.postcode) == (
        "Hauptstraße 1",
        "München",
        "80331",
    )
    assert buyer.address.country == "DE" and buyer.country == "DE"  # "Germany" -> DE
    assert buyer.identifier == "DE123456789"
    assert consignee.name == "Склад Пример"
    assert consignee.address is not None
    assert consignee.address.full == "ул. Примерная 5, Ереван, Armenia"
    assert consignee.country == "AM"
    assert ff.role is PartyRole.FREIGHT_FORWARDER  # "Freight Forwarder" accepted
    assert ff.address is None and ff.registration_date == date(2024, 1, 10)
    assert o.parties_with(PartyRole.BUYER) == (buyer,)
    i1, i2 = o.items
    assert (i1.line, i1.hs_code, i1.part_number, i1.manufacturer) == (
        1,
        "85423100",
        "nwm 32f4-11",
        "Northwind Microdevices",
    )
    assert (i1.quantity, i1.value, i1.currency) == (Decimal("100"), Decimal("250.5"), "EUR")
    assert (i2.line, i2.hs_code, i2.quantity, i2.value) == (
        7,
        "731815",
        Decimal("1000"),
        Decimal("12.00"),
    )
    assert (o.route.ship_from, o.route.transit, o.route.ship_to) == ("DE", ("AM",), "AM")


def test_jsonl_one_order_per_line_with_errors(d: Path) -> None:
    recs = list(read_orders(d / "simple.jsonl"))
    assert [(r.location, r.order_id, r.ok) for r in recs] == [
        ("line 1", "J-1", True),
        ("line 3", "J-2", False),
        ("line 4", None, False),
    ]
    assert _ok(recs[0]).items[0].hs_code == "852691"
    assert recs[1].errors == ("simple.jsonl, line 3: items[0].quantity: 0 must be more than 0",)
    assert recs[2].errors[0].startswith("simple.jsonl, line 4: bad JSON")


def test_json_array_bad_orders_name_file_order_and_field(d: Path) -> None:
    recs = list(read_orders(d / "bad_orders.json"))
    assert len(recs) == 7
    errs = [r.errors for r in recs]
    assert errs[0] == (
        "bad_orders.json, order 1 of the array: parties[0].role: unknown role 'shipper' "
        "(roles: buyer, consignee, end_user, intermediate_consignee, freight_forwarder, "
        "notify_party, payer, bank)",
    )
    assert errs[1] == ("bad_orders.json, order 2 of the array: order_id: missing",)
    e3 = "\n".join(errs[2])
    assert "order 3 of the array: parties[0].name: missing" in e3
    assert "items[0].hs_code: HS code '85A2' may hold only digits" in e3
    assert "items[0].quantity: -1 must be more than 0" in e3
    assert "items[0].value: 'abc' is not a number" in e3
    assert "route.ship_to: 'Narnia' is not an ISO 3166 country code" in e3
    assert "items[0].hscode: unknown field" in errs[3][0]
    assert errs[4] == (
        'bad_orders.json, order 5 of the array: not a JSON object (an order is {"order_id": ...})',
    )
    assert recs[5].ok and recs[5].order_id == "E-6"
    assert errs[6] == (
        "bad_orders.json, order 7 of the array: order_id: 'E-6' already used at "
        "order 6 of the array",
    )
    assert all(r.order is None for r in recs if r.errors)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b'{"order_id": "A",\n  "parties": [}', "line 2: bad JSON"),
        (b'{"order_id": "\xff"}', "line 1: not valid UTF-8"),
    ],
)
def test_unreadable_json_file_is_an_input_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    p = tmp_path / "o.json"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as exc:
        list(read_orders(p))
    assert "o.json" in str(exc.value)


def test_json_address_must_be_object_or_text(tmp_path: Path) -> None:
    p = tmp_path / "o.json"
    p.write_text(
        '{"order_id": "A", "parties": [{"role": "buyer", "name": "N", "address": 5}],'
        ' "items": "none", "route": ["DE"], "order_date": "01/02/2024"}',
        encoding="utf-8",
    )
    (rec,) = read_orders(p)
    text = "\n".join(rec.errors)
    assert "parties[0].address: must be an object or a text" in text
    assert "items: must be a list" in text
    assert "route: must be an object" in text
    assert "order_date: '01/02/2024' is not an ISO date" in text


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_orders(tmp_path / "absent.json"))
    p = tmp_path / "orders.xml"
    p.write_text("<x/>", encoding="utf-8")
    with pytest.raises(InputError, match="unknown order file format"):
        list(read_orders(p))


# ---------------------------------------------------------------- CSV


def test_csv_rows_grouped_by_order(d: Path) -> None:
    recs = list(read_orders(d / "simple.csv"))
    assert [(r.order_id, r.location) for r in recs] == [
        ("C-1", "row 1 (line 2) to row 2 (line 3)"),
        ("C-2", "row 3 (line 4)"),
    ]
    o = _ok(recs[0])
    assert o.order_date == date(2024, 5, 2)
    assert (o.route.ship_from, o.route.transit, o.route.ship_to) == ("DE", ("KZ", "KG"), "RU")
    buyer, consignee = o.parties
    assert (buyer.role, buyer.name, buyer.country) == (PartyRole.BUYER, "Orbit Trade LLC", "KG")
    assert buyer.address is not None and buyer.address.city == "Bishkek"
    assert consignee.address is not None
    assert consignee.address.street == "ул. Ш-2, 4/1, ОЭЗ Алабуга"
    assert (consignee.address.city, consignee.address.postcode) == ("Елабуга", "423600")
    assert consignee.address.region == "Республика Татарстан"
    assert consignee.address.country == "RU"
    assert [(i.line, i.part_number, i.hs_code, i.quantity, i.value) for i in o.items] == [
        (1, "NWM32F407VGT6", "85423190", Decimal(2000), Decimal("9800.00")),
        (2, "NWM-GNSS-M10Q", "85269120", Decimal(500), Decimal(14250)),
    ]
    c2 = _ok(recs[1])
    assert c2.route.transit == () and c2.items[0].hs_code == "610910"


def test_csv_bad_rows_name_file_row_line_and_column(d: Path) -> None:
    recs = list(read_orders(d / "bad_rows.csv"))
    got = {r.location: r.errors for r in recs}
    assert got["row 1 (line 2)"] == (
        "bad_rows.csv, row 1 (line 2): quantity: 'ten' is not a number",
    )
    assert got["row 2 (line 3)"] == (
        "bad_rows.csv, row 2 (line 3): order_id: missing (every row needs its order's id)",
    )
    e3 = "\n".join(got["row 3 (line 4)"])
    assert "row 3 (line 4): buyer_country: 'Atlantis' is not an ISO 3166" in e3
    assert "row 3 (line 4): hs_code: HS code '8542.3' has 5 digits" in e3
    assert "row 3 (line 4): value: -5 must not be negative" in e3
    e4 = "\n".join(got["row 4 (line 5) to row 5 (line 6)"])
    assert (
        "bad_rows.csv, row 5 (line 6): buyer_name: 'Other Name' differs from 'First Name' "
        "given for the same order at row 4 (line 5)" in e4
    )
    assert "row 5 (line 6): currency: 'ZZZ' is not an ISO 4217 currency code" in e4
    assert "use a dot for decimals" in got["row 6 (line 7)"][0]
    assert got["row 7 (line 8)"] == ()
    ok = [r for r in recs if r.ok]
    assert [r.order_id for r in ok] == ["B-5"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("order_id,shipper_name\n", "column 'shipper_name': unknown party role 'shipper'"),
        ("order_id,colour\n", "unknown column 'colour'"),
        ("buyer_name,hs_code\n", "no 'order_id' column"),
    ],
)
def test_csv_bad_header_is_a_file_error(tmp_path: Path, header: str, message: str) -> None:
    p = tmp_path / "o.csv"
    p.write_text(header + "A,B\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as exc:
        list(read_orders(p))
    assert "o.csv" in str(exc.value)


def test_csv_empty_ragged_and_non_utf8(tmp_path: Path) -> None:
    p = tmp_path / "o.csv"
    p.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        list(read_orders(p))
    p.write_text("order_id,buyer_name\nA,B,C\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1 \(line 2\): 3 cells but 2 columns"):
        list(read_orders(p))
    p.write_bytes(b"order_id,buyer_name\nA,\xe9t\xe9\n")
    with pytest.raises(InputError, match="line 2: not valid UTF-8"):
        list(read_orders(p))


def test_csv_party_without_name_names_the_column(tmp_path: Path) -> None:
    p = tmp_path / "o.csv"
    p.write_text("order_id,consignee_city,description\nA,Yerevan,Pens\n", encoding="utf-8")
    (rec,) = read_orders(p)
    assert rec.errors == ("o.csv, row 1 (line 2): consignee_name: missing",)


def test_tsv_and_case_insensitive_header(tmp_path: Path) -> None:
    p = tmp_path / "o.tsv"
    p.write_text("Order_ID\tBuyer Name\tHS_Code\n7\tZeta\t8542.31\n", encoding="utf-8")
    (rec,) = read_orders(p)
    o = _ok(rec)
    assert (o.order_id, o.parties[0].name, o.items[0].hs_code) == ("7", "Zeta", "854231")


# ---------------------------------------------------------------- XLSX


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_xlsx_flat_sheet_with_numeric_and_date_cells(tmp_path: Path) -> None:
    p = _workbook(
        tmp_path / "orders.xlsx",
        {
            "Sheet1": [
                [
                    "order_id",
                    "order_date",
                    "buyer_name",
                    "buyer_country",
                    "ship_to",
                    "line",
                    "description",
                    "hs_code",
                    "quantity",
                    "value",
                    "currency",
                ],
                [
                    1001,
                    datetime(2024, 6, 1),
                    "Delta Trading",
                    "Armenia",
                    "AM",
                    1,
                    "MCUs",
                    854231,
                    10,
                    99.5,
                    "USD",
                ],
                [1001, None, None, None, None, 2, "Antennas", 8529.1, 3, 7, "USD"],
                [None, None, None, None, None, None, None, None, None, None, None],
                [1002, "2024-06-02", "Epsilon", "DE", "DE", 1, "Pens", "9608.30", "x", 1, "EUR"],
            ]
        },
    )
    r1, r2 = read_orders(p)
    o = _ok(r1)
    assert r1.location == "sheet 'Sheet1', row 2 to sheet 'Sheet1', row 3"
    assert (o.order_id, o.order_date) == ("1001", date(2024, 6, 1))
    assert (o.parties[0].name, o.parties[0].country, o.route.ship_to) == (
        "Delta Trading",
        "AM",
        "AM",
    )
    assert [(i.hs_code, i.quantity, i.value) for i in o.items] == [
        ("854231", Decimal(10), Decimal("99.5")),
        ("852910", Decimal(3), Decimal(7)),  # the number 8529.1 read as 8529.10
    ]
    assert r2.errors == ("orders.xlsx, sheet 'Sheet1', row 5: quantity: 'x' is not a number",)


def test_xlsx_three_sheets(tmp_path: Path) -> None:
    p = _workbook(
        tmp_path / "multi.xlsx",
        {
            "Orders": [
                ["order_id", "order_date", "end_use", "ship_from", "transit", "ship_to"],
                ["M-1", "2024-07-01", "Unclear", "DE", "KZ; KG", "RU"],
                ["M-2", None, None, "DE", None, "FR"],
            ],
            "Parties": [
                ["order_id", "role", "name", "street", "city", "postcode", "region", "country"],
                ["M-1", "buyer", "Theta LLC", None, "Almaty", None, None, "KZ"],
                ["M-1", "notify_party", "Iota LLC", None, None, None, None, "KG"],
                ["M-1", "notify_party", "Kappa LLC", None, None, None, None, "KG"],
                ["M-2", "buyer", "Lambda SARL", "1 rue X", "Lyon", "69001", None, "FR"],
                ["M-2", "shipper", "Mu SA", None, None, None, None, "FR"],
                ["M-9", "buyer", "Orphan", None, None, None, None, "DE"],
            ],
            "Items": [
                [
                    "order_id",
                    "line",
                    "description",
                    "part_number",
                    "hs_code",
                    "quantity",
                    "value",
                    "currency",
                ],
                ["M-1", 1, "Modules", "NWM-GNSS-M10Q", "8526.91.20", 5, 100, "EUR"],
                ["M-2", 1, "Gears", None, "8483.40", 2, 50, "EUR"],
            ],
        },
    )
    recs = list(read_orders(p))
    by_id = _by_id(recs)
    m1 = _ok(by_id["M-1"])
    assert [p_.name for p_ in m1.parties_with(PartyRole.NOTIFY_PARTY)] == ["Iota LLC", "Kappa LLC"]
    assert m1.route.transit == ("KZ", "KG") and m1.end_use == "Unclear"
    assert m1.items[0].part_number == "NWM-GNSS-M10Q"
    assert by_id["M-2"].errors == (
        "multi.xlsx, sheet 'Parties', row 6: role: unknown role 'shipper' (roles: buyer, "
        "consignee, end_user, intermediate_consignee, freight_forwarder, notify_party, "
        "payer, bank)",
    )
    assert by_id["M-9"].errors == (
        "multi.xlsx, sheet 'Parties', row 7: order_id: 'M-9' is not in the Orders sheet",
    )


def test_xlsx_unreadable_and_bad_header(tmp_path: Path) -> None:
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable XLSX workbook"):
        list(read_orders(p))
    q = _workbook(tmp_path / "h.xlsx", {"S": [["order_id", "vessel_name"], ["A", "B"]]})
    with pytest.raises(InputError, match="unknown party role 'vessel'"):
        list(read_orders(q))
    r = _workbook(
        tmp_path / "m.xlsx",
        {
            "Orders": [["order_id", "colour"], ["A", "red"]],
            "Parties": [["order_id", "role", "name"]],
            "Items": [["order_id", "line"]],
        },
    )
    with pytest.raises(InputError, match="sheet 'Orders': unknown column"):
        list(read_orders(r))


# ---------------------------------------------------------------- the examples


def _normal(o: Order) -> Order:
    return o.model_copy(update={"parties": tuple(sorted(o.parties, key=lambda p: p.role.value))})


def test_examples_parse_and_json_equals_csv() -> None:
    j = [_ok(r) for r in read_orders(EXAMPLES / "orders.json")]
    c = [_ok(r) for r in read_orders(EXAMPLES / "orders.csv")]
    assert [o.order_id for o in j] == [
        "SO-2024-0417",
        "SO-2024-0418",
        "SO-2024-0419",
        "SO-2024-0420",
    ]
    assert [_normal(o) for o in j] == [_normal(o) for o in c]


def test_example_diversion_story() -> None:
    o = _ok(next(iter(read_orders(EXAMPLES / "orders.json"))))
    (consignee,) = o.parties_with(PartyRole.CONSIGNEE)
    (forwarder,) = o.parties_with(PartyRole.FREIGHT_FORWARDER)
    assert consignee.name == forwarder.name  # the freight forwarder is the final consignee
    assert consignee.address is not None
    assert "Алабуга" in (consignee.address.street or "")
    assert (consignee.address.postcode, consignee.country) == ("423600", "RU")
    (buyer,) = o.parties_with(PartyRole.BUYER)
    assert buyer.country == "KG" and buyer.registration_date == date(2024, 1, 15)
    assert o.route.transit == ("KG",) and o.route.ship_to == "RU"
    rules = GoodsRules.load(use_env=False)
    codes = {r.code for item in o.items for r in rules.check_item(item)}
    assert {"chpl_tier_1", "chpl_tier_2", "watchlist_prefix", "watchlist_part"} <= codes


def test_example_clean_orders_have_no_goods_reasons() -> None:
    rules = GoodsRules.load(use_env=False)
    for rec in list(read_orders(EXAMPLES / "orders.json"))[1:]:
        o = _ok(rec)
        assert [r for item in o.items for r in rules.check_item(item)] == []
        assert o.route.transit == ()
