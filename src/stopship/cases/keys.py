"""API keys: random secrets shown once, stored as SHA-256 hashes, with roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from stopship.cases import audit as audit_chain
from stopship.cases import permissions
from stopship.cases.audit import AuditMixin
from stopship.cases.base import utc, utc_or_none
from stopship.cases.models import ApiKey, Role
from stopship.cases.schema import api_keys
from stopship.errors import AuthError, CaseNotFoundError, InputError

#: every secret starts with this, so a leaked one is recognisable in logs and scanners
SECRET_PREFIX = "ss_"
_DISPLAY_CHARS = 10


def hash_secret(secret: str) -> str:
    """SHA-256 of the secret (the secret is 256 random bits: no salt or stretching needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def key_from_row(r: Any) -> ApiKey:
    return ApiKey(
        id=r.id,
        name=r.name,
        role=Role(r.role),
        prefix=r.prefix,
        created_at=utc(r.created_at),
        revoked_at=utc_or_none(r.revoked_at),
        last_used_at=utc_or_none(r.last_used_at),
    )


_KEY_BY_HASH = select(api_keys).where(api_keys.c.secret_hash == bindparam("h"))


def parse_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InputError(f"role: {role!r} is not one of {names}") from None


class KeysMixin(AuditMixin):
    #: ``last_used_at`` and a ``key.used`` audit row are written at most this often per key
    #: (every screening call is audited by the API anyway, naming its key)
    key_use_interval: timedelta = timedelta(seconds=60)
    #: how long a verified key is trusted without reading the store again (seconds; 0:
    #: read it on every use). A key revoked through this service object stops working
    #: at once; one revoked elsewhere (another worker, ``stopship keys revoke``) within
    #: this time.
    key_cache_seconds: float = 5.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: verified keys by the hash of their secret, with the (monotonic) time read
        self._keys_verified: dict[str, tuple[ApiKey, float]] = {}

    def _key_cache(self) -> dict[str, tuple[ApiKey, float]]:
        return self._keys_verified

    def forget_keys(self) -> None:
        """Drop every cached key verification (the next use of each key reads the store)."""
        self._keys_verified.clear()

    def create_key(
        self, role: Role | str, name: str = "", *, actor: str = "cli"
    ) -> tuple[ApiKey, str]:
        """A new key and its secret. The secret is returned once and never stored."""
        role = parse_role(role)
        name = name.strip()
        if len(name) > 200:
            raise InputError("name: at most 200 characters")
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        now = self.now()
        with self._write() as conn:
            kid = int(
                conn.execute(
                    insert(api_keys)
                    .values(
                        name=name,
                        role=role.value,
                        prefix=secret[:_DISPLAY_CHARS],
                        secret_hash=hash_secret(secret),
                        created_at=now,
                        created_by=actor,
                    )
                    .returning(api_keys.c.id)
                ).scalar_one()
            )
            audit_chain.append(
                conn,
                now,
                actor,
                "key.created",
                {"key_id": kid, "name": name, "role": role.value, "prefix": secret[:10]},
            )
        return self.get_key(kid), secret

    def get_key(self, key_id: int) -> ApiKey:
        with self._read() as conn:
            r = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).one_or_none()
        if r is None:
            raise CaseNotFoundError(f"no API key {key_id}")
        return key_from_row(r)

    def list_keys(self) -> list[ApiKey]:
        with self._read() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.id)).all()
        return [key_from_row(r) for r in rows]

    def revoke_key(self, key_id: int, *, actor: str) -> ApiKey:
        now = self.now()
        with self._write() as conn:
            r = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).one_or_none()
            if r is None:
                raise CaseNotFoundError(f"no API key {key_id}")
            if r.revoked_at is None:
                conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=now))
                audit_chain.append(
                    conn, now, actor, "key.revoked", {"key_id": key_id, "name": r.name}
                )
        self._key_cache().pop(r.secret_hash, None)
        return self.get_key(key_id)

    def authenticate(self, secret: str | None) -> ApiKey:
        """The key with this secret; :class:`AuthError` when missing, unknown or revoked.
        A verified key is remembered for ``key_cache_seconds`` (revocations through this
        object end that at once)."""
        if not secret or not secret.strip():
            raise AuthError("missing API key (send 'Authorization: Bearer KEY')")
        digest = hash_secret(secret.strip())
        cache = self._key_cache()
        hit = cache.get(digest)
        if hit is not None and time.monotonic() - hit[1] < self.key_cache_seconds:
            key = hit[0]
        else:
            with self._read() as conn:
                r = conn.execute(_KEY_BY_HASH, {"h": digest}).one_or_none()
            if r is None or not hmac.compare_digest(r.secret_hash, digest):
                cache.pop(digest, None)
                self.audit("key.rejected", actor="anonymous", details={"reason": "unknown key"})
                raise AuthError("unknown API key")
            key = key_from_row(r)
            if key.revoked_at is not None:
                cache.pop(digest, None)
                self.audit(
                    "key.rejected",
                    actor=key.actor,
                    details={"reason": "revoked", "key_id": key.id},
                )
                raise AuthError(f"API key {key.prefix}... was revoked")
            if self.key_cache_seconds > 0:
                cache[digest] = (key, time.monotonic())
        now = self.now()
        if key.last_used_at is None or now - key.last_used_at >= self.key_use_interval:
            with self._write() as conn:
                conn.execute(
                    update(api_keys).where(api_keys.c.id == key.id).values(last_used_at=now)
                )
                audit_chain.append(conn, now, key.actor, "key.used", {"key_id": key.id})
            key = key.model_copy(update={"last_used_at": now})
            if digest in cache:
                cache[digest] = (key, cache[digest][1])
        return key

    def require(self, key: ApiKey, action: str) -> None:
        """:class:`PermissionDeniedError` unless the key's role may do ``action``."""
        permissions.require(key, action)
