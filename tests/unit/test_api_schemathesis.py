"""schemathesis against the app's own OpenAPI document: generated requests to every
operation, with a valid admin key, never get a server error (5xx). Bounded to a few
examples per operation so it stays quick in CI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from stopship.cases import Role
from tests.api_app import BLOCK_QUERY, ApiEnv, make_env


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    home = tmp_path_factory.mktemp("schemathesis") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(home))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        e = make_env(Path(home))
        # a few alerts, so that alert ids 1..3 exist for the path-parameter operations
        for name in (BLOCK_QUERY, "JSC Testzone", "Ivan Petrovich Testovski"):
            from stopship.match import Query

            e.cases.alerts_from_match(e.screener.matcher.match(Query(name=name)), actor="setup")
        yield e
        e.store.close()


def operations(env: ApiEnv) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", env.app())
    return [result.ok() for result in schema.get_all_operations()]


def run_operation(op: Any, auth: dict[str, str], admin_id: int) -> list[int]:
    """25 generated requests to one operation; their status codes."""
    statuses: list[int] = []

    @given(case=op.as_strategy())
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case: Any) -> None:
        # keep the admin key this test authenticates with
        deleting_keys = case.path == "/v1/keys/{key_id}" and case.method == "DELETE"
        if deleting_keys and case.path_parameters.get("key_id") == admin_id:
            case.path_parameters["key_id"] = admin_id + 1000
        response = case.call_and_validate(headers=auth, checks=[not_a_server_error])
        statuses.append(response.status_code)

    try:
        check()
    except Exception as exc:
        raise AssertionError(f"{op.method.upper()} {op.path}: {exc}") from exc
    return statuses


def test_no_server_errors(env: ApiEnv) -> None:
    auth = env.auth(Role.ADMIN)
    admin_id = env.keys[Role.ADMIN][0].id
    ops = operations(env)
    assert len(ops) >= 20
    for op in ops:
        statuses = run_operation(op, auth, admin_id)
        assert statuses, f"{op.method.upper()} {op.path}: no request was made"
        assert max(statuses) < 500
