"""One-name list entries for matcher tests."""

from __future__ import annotations

from stopship.model import Entity


def named(rid: str, name: str, kind: str = "person", source: str = "t") -> Entity:
    """An entity ``<source>:<rid>`` of this kind with one primary name."""
    return Entity.model_validate(
        {
            "id": f"{source}:{rid}",
            "source": source,
            "record_id": rid,
            "kind": kind,
            "names": [{"value": name, "type": "primary"}],
        }
    )
