"""One SparkSession (``local[2]``) for the whole test session, shared by the Spark engine's
unit and integration tests; they skip, naming the reason, where PySpark or Java is absent."""

from __future__ import annotations

from collections.abc import Iterator
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
