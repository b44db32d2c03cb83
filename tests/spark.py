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


#: the fields of a hit that are the answer (without its explanation)
HIT_ANSWER = ("entity_id", "source", "list_name", "caption", "kind", "score", "alert")


def answers(line: dict[str, Any]) -> dict[str, Any]:
    """One output line without the explanation of its hits."""
    out = {k: v for k, v in line.items() if k != "hits"}
    out["hits"] = [{k: h[k] for k in HIT_ANSWER} for h in line["hits"]]
    return out


def assert_same_answers(a: Path, b: Path) -> None:
    """``a`` and ``b`` (JSONL outputs) are the same bytes; where a line differs, the
    failure first says whether the answers (rows, hits, scores, order) differ or only an
    explanation (e.g. which of an entity's equally scored names is shown)."""
    la = a.read_text(encoding="utf-8").splitlines()
    lb = b.read_text(encoding="utf-8").splitlines()
    assert len(la) == len(lb)
    for x, y in zip(la, lb, strict=True):
        if x != y:
            assert answers(json.loads(x)) == answers(json.loads(y))
            assert x == y  # same answers, other explanation
