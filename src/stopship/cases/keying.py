"""Keys that say "the same counterparty": a cleaned, case-folded name plus the facts
given with it (kind, country, birth date, identifier). Suppressions and monitoring use
them, so "OOO «Альфа»" and "ooo  альфа" are one counterparty, while the same name with
another birth date is not."""

from __future__ import annotations

import hashlib

from stopship.normalize import clean

_MAX = 400


def counterparty_key(
    name: str,
    kind: str | None = None,
    country: str | None = None,
    birth_date: str | None = None,
    id_value: str | None = None,
) -> str:
    base = " ".join(clean(name).split()) or " ".join(name.casefold().split())
    facts = [
        f"{label}={value.strip().casefold()}"
        for label, value in (
            ("kind", kind),
            ("country", country),
            ("born", birth_date),
            ("id", id_value),
        )
        if value and value.strip()
    ]
    key = "|".join([base, *facts])
    if len(key) > _MAX:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        key = key[: _MAX - 33] + "#" + digest
    return key


def document_key(document_id: str) -> str:
    """The counterparty key of alerts about a document rather than a listed party."""
    return f"document:{document_id}"[:_MAX]
