"""One SparkSession (``local[2]``) for the whole test session, shared by the Spark engine's
unit and integration tests; they skip, naming the reason, where PySpark or Java is absent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session", name="spark")
def spark_fixture() -> Iterator[Any]:
    from stopship.engine.session import require_spark, spark_session
    from stopship.errors import EngineUnavailableError

    try:
        require_spark()
    except EngineUnavailableError as exc:
        pytest.skip(f"Spark engine tests need PySpark and Java: {exc}")
    session = spark_session("local[2]", app="stopship-tests")
    yield session
    session.stop()


#: the fields of a hit that are the answer (the explanation, and which of an entity's
#: equally scored names is shown, can differ between processes: see the note below)
HIT_ANSWER = ("entity_id", "source", "list_name", "caption", "kind", "score", "alert")


def answers(line: dict[str, Any]) -> dict[str, Any]:
    """One output line without the explanation of its hits."""
    out = {k: v for k, v in line.items() if k != "hits"}
    out["hits"] = [{k: h[k] for k in HIT_ANSWER} for h in line["hits"]]
    return out


def assert_same_answers(a: Path, b: Path, min_identical: float = 0.99) -> None:
    """``a`` and ``b`` (JSONL outputs) give the same rows, hits, scores and order; and at
    least ``min_identical`` of their lines are byte for byte the same. Note: when two names
    of one entity score the same, the matcher's choice between them (and so the shown
    name and explanation) follows the process's string-hash seed, which differs between
    Python processes; the entity, its score and its rank do not."""
    la = a.read_text(encoding="utf-8").splitlines()
    lb = b.read_text(encoding="utf-8").splitlines()
    assert len(la) == len(lb)
    same = 0
    for x, y in zip(la, lb, strict=True):
        if x == y:
            same += 1
            continue
        assert answers(json.loads(x)) == answers(json.loads(y))
    assert same >= min_identical * len(la), (same, len(la))
