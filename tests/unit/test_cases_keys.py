"""API keys: secrets shown once and stored hashed, authentication, revocation, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from stopship.cases import ACTIONS, PERMISSIONS, CaseService, Role
from stopship.cases.keys import hash_secret
from stopship.cases.schema import api_keys
from stopship.errors import AuthError, CaseNotFoundError, InputError, PermissionDeniedError
from tests.cases_fixtures import Env, fx_env, fx_pg, fx_url  # noqa: F401


def _events(e: Env) -> list[str]:
    return [r.event for r in reversed(e.cases.audit_entries(limit=1000))]


def test_secret_is_returned_once_and_stored_only_as_its_hash(env: Env) -> None:
    key, secret = env.cases.create_key(Role.ANALYST, "ann")
    assert key.role is Role.ANALYST and key.name == "ann"
    assert secret.startswith("ss_") and len(secret) > 40
    assert secret.startswith(key.prefix) and len(key.prefix) < len(secret) // 3
    with env.store.engine.connect() as conn:
        row = conn.execute(select(api_keys)).one()
    stored = [str(v) for v in row]
    assert not any(secret in v for v in stored)
    assert row.secret_hash == hash_secret(secret)
    other, secret2 = env.cases.create_key("reviewer")
    assert secret2 != secret and other.id != key.id
    assert [k.id for k in env.cases.list_keys()] == [key.id, other.id]
    assert _events(env) == ["key.created", "key.created"]


def test_authenticate_accepts_the_secret_and_records_its_use(env: Env) -> None:
    key, secret = env.cases.create_key(Role.SERVICE, "erp")
    env.clock.advance(minutes=5)
    got = env.cases.authenticate(secret)
    assert got.id == key.id and got.role is Role.SERVICE
    assert got.last_used_at == env.clock.now
    assert env.cases.get_key(key.id).last_used_at == env.clock.now
    # a second use within the interval is not written again; after it, it is
    env.clock.advance(seconds=10)
    env.cases.authenticate(secret)
    assert _events(env).count("key.used") == 1
    env.clock.advance(seconds=60)
    env.cases.authenticate(" " + secret + " ")
    assert _events(env).count("key.used") == 2
    assert env.cases.get_key(key.id).last_used_at == env.clock.now


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_missing_key_is_refused(env: Env, secret: str | None) -> None:
    with pytest.raises(AuthError, match="missing"):
        env.cases.authenticate(secret)


def test_unknown_and_revoked_keys_are_refused_and_audited(env: Env) -> None:
    key, secret = env.cases.create_key(Role.ANALYST)
    with pytest.raises(AuthError, match="unknown"):
        env.cases.authenticate(secret + "x")
    revoked = env.cases.revoke_key(key.id, actor="admin#1")
    assert revoked.revoked_at == env.clock.now
    with pytest.raises(AuthError, match="revoked"):
        env.cases.authenticate(secret)
    # revoking twice changes nothing and is not audited twice
    env.cases.revoke_key(key.id, actor="admin#1")
    assert _events(env) == ["key.created", "key.rejected", "key.revoked", "key.rejected"]
    with pytest.raises(CaseNotFoundError):
        env.cases.revoke_key(999, actor="admin#1")


def test_unknown_role_is_an_input_error_naming_the_field(env: Env) -> None:
    with pytest.raises(InputError, match="role: 'boss'"):
        env.cases.create_key("boss")


EXPECTED = {
    Role.SERVICE: {"screen", "lists.read"},
    Role.ANALYST: {
        "screen",
        "lists.read",
        "alerts.read",
        "alerts.comment",
        "alerts.assign",
        "alerts.decide",
    },
}
EXPECTED[Role.REVIEWER] = EXPECTED[Role.ANALYST] | {"alerts.approve"}
EXPECTED[Role.ADMIN] = EXPECTED[Role.REVIEWER] | {"keys.manage", "webhooks.manage", "audit.read"}


def test_roles_allow_exactly_their_actions(env: Env) -> None:
    assert {r: set(a) for r, a in PERMISSIONS.items()} == EXPECTED
    for role in Role:
        key = env.key(role)
        for action in ACTIONS:
            if action in EXPECTED[role]:
                env.cases.require(key, action)
            else:
                with pytest.raises(PermissionDeniedError, match=role.value):
                    env.cases.require(key, action)
        with pytest.raises(PermissionDeniedError, match="unknown action"):
            env.cases.require(key, "alerts.delete")


def test_a_revoked_key_object_is_denied(env: Env) -> None:
    key = env.key(Role.ADMIN)
    revoked = env.cases.revoke_key(key.id, actor="cli")
    with pytest.raises(PermissionDeniedError, match="revoked"):
        env.cases.require(revoked, "alerts.read")


def _reads_of_keys(env: Env) -> list[str]:
    """Collects the SQL statements reading api_keys while the test runs."""
    seen: list[str] = []

    def listen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "api_keys" in statement:
            seen.append(statement)

    event.listen(env.store.engine, "before_cursor_execute", listen)
    return seen


def test_a_verified_key_is_cached_for_a_few_seconds(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, secret = env.cases.create_key(Role.SERVICE, "erp")
    reads = _reads_of_keys(env)
    clock = [1000.0]
    monkeypatch.setattr("stopship.cases.keys.time.monotonic", lambda: clock[0])
    for _ in range(5):
        env.cases.authenticate(secret)
    assert len(reads) == 1  # one read of the store, then the cache
    clock[0] += env.cases.key_cache_seconds
    env.cases.authenticate(secret)
    assert len(reads) == 2  # read again once the cache time is over


def test_a_key_revoked_here_is_refused_at_once_elsewhere_within_the_cache_time(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("stopship.cases.keys.time.monotonic", lambda: clock[0])
    a, secret_a = env.cases.create_key(Role.SERVICE, "a")
    b, secret_b = env.cases.create_key(Role.SERVICE, "b")
    other = CaseService(env.store, clock=env.clock)  # e.g. another worker
    for cases in (env.cases, other):
        cases.authenticate(secret_a)
        cases.authenticate(secret_b)
    env.cases.revoke_key(a.id, actor="admin#1")
    with pytest.raises(AuthError, match="revoked"):
        env.cases.authenticate(secret_a)
    # the other object still trusts its cached verification, for at most the cache time
    assert other.authenticate(secret_a).id == a.id
    clock[0] += other.key_cache_seconds
    with pytest.raises(AuthError, match="revoked"):
        other.authenticate(secret_a)
    assert other.authenticate(secret_b).id == b.id
    # forget_keys drops the cached verifications: the next use reads the store
    other.revoke_key(b.id, actor="admin#1")
    env.cases.forget_keys()
    with pytest.raises(AuthError, match="revoked"):
        env.cases.authenticate(secret_b)
