"""API keys: random secrets shown once, stored as SHA-256 hashes, with roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

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
        return self.get_key(key_id)

    def authenticate(self, secret: str | None) -> ApiKey:
        """The key with this secret; :class:`AuthError` when missing, unknown or revoked."""
        if not secret or not secret.strip():
            raise AuthError("missing API key (send 'Authorization: Bearer KEY')")
        digest = hash_secret(secret.strip())
        with self._read() as conn:
            r = conn.execute(select(api_keys).where(api_keys.c.secret_hash == digest)).one_or_none()
        now = self.now()
        if r is None or not hmac.compare_digest(r.secret_hash, digest):
            self.audit("key.rejected", actor="anonymous", details={"reason": "unknown key"})
            raise AuthError("unknown API key")
        key = key_from_row(r)
        if key.revoked_at is not None:
            self.audit(
                "key.rejected", actor=key.actor, details={"reason": "revoked", "key_id": key.id}
            )
            raise AuthError(f"API key {key.prefix}... was revoked")
        if key.last_used_at is None or now - key.last_used_at >= self.key_use_interval:
            with self._write() as conn:
                conn.execute(
                    update(api_keys).where(api_keys.c.id == key.id).values(last_used_at=now)
                )
                audit_chain.append(conn, now, key.actor, "key.used", {"key_id": key.id})
            key = key.model_copy(update={"last_used_at": now})
        return key

    def require(self, key: ApiKey, action: str) -> None:
        """:class:`PermissionDeniedError` unless the key's role may do ``action``."""
        permissions.require(key, action)
