"""Check digits of Russian company and tax numbers, to type an unlabelled number as an
INN (10 or 12 digits) or OGRN (13 or 15 digits) only when it is one."""

from __future__ import annotations


def inn_ok(value: str) -> bool:
    """A valid INN: 10 digits (organisation) or 12 digits (person), check digits agree."""
    if not value.isdigit():
        return False
    d = [int(c) for c in value]

    def chk(ws: tuple[int, ...]) -> int:
        return sum(a * b for a, b in zip(ws, d, strict=False)) % 11 % 10

    if len(d) == 10:
        return chk((2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[9]
    if len(d) == 12:
        return (
            chk((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[10]
            and chk((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[11]
        )
    return False


def ogrn_ok(value: str) -> bool:
    """A valid OGRN (13 digits) or OGRNIP (15 digits)."""
    if not value.isdigit():
        return False
    if len(value) == 13:
        return int(value[:12]) % 11 % 10 == int(value[12])
    if len(value) == 15:
        return int(value[:14]) % 13 % 10 == int(value[14])
    return False
