"""The delta between two versions of one source: added, removed, changed (with fields)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel


class FieldChange(BaseModel):
    field: str
    old: Any = None
    new: Any = None


class Delta(BaseModel):
    source: str
    previous_version: int | None
    version: int
    added: list[str]
    removed: list[str]
    changed: dict[str, list[FieldChange]]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """Field-level differences; the verbatim raw record is reported changed without values."""
    out: list[FieldChange] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if key == "raw":
            out.append(FieldChange(field="raw"))
        else:
            out.append(FieldChange(field=key, old=a, new=b))
    return out
