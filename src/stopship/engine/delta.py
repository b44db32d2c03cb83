"""List deltas for re-screening: the entity ids added or changed by the last update, read
from the output of ``stopship lists diff SOURCE --json`` (one object, or a list of them)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from stopship.errors import InputError
from stopship.store.delta import Delta


def delta_entity_ids(path: Path) -> frozenset[str]:
    """The ids to re-screen against: added and changed entities (removed ones are no longer
    listed, so nothing can match them)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--delta {path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"--delta {path}: not JSON ({exc})") from exc
    items = data if isinstance(data, list) else [data]
    ids: set[str] = set()
    for i, item in enumerate(items, start=1):
        try:
            d = Delta.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"]) or "(top level)"
            at = f", delta {i}" if isinstance(data, list) else ""
            raise InputError(
                f"--delta {path}{at}: not the output of `stopship lists diff --json` "
                f"({where}: {first['msg']})"
            ) from exc
        ids.update(d.added)
        ids.update(d.changed)
    return frozenset(ids)
