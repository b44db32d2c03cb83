"""Browser sessions of the review UI: signed, stateless session cookies.

At login the analyst pastes an API key; the browser then holds only a cookie (HttpOnly,
SameSite=Strict, path /ui) naming the key's *id*, when the session began and a random
nonce, signed with HMAC-SHA256 under the server's session secret. The key itself is never
stored. Every request re-reads the key by id, so revoking a key ends its sessions at
once. The CSRF token of a session is derived from its cookie (HMAC under the same
secret) and must come with every POST form.

The secret comes from ``ApiSettings.session_secret``, else ``$STOPSHIP_SESSION_SECRET``
(``stopship serve --workers N`` sets one for all its workers), else a random one per
process (sessions then end when the server restarts). Sessions last ``max_age_seconds``
from login; logging out deletes the cookie and refuses it in this process from then on.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

COOKIE = "stopship_session"
SECRET_ENV = "STOPSHIP_SESSION_SECRET"
_MAX_ENDED = 100_000


@dataclass(frozen=True)
class Session:
    token: str  # the cookie value
    key_id: int
    issued: int
    csrf: str


def session_secret(configured: str | None = None) -> bytes:
    value = configured or os.environ.get(SECRET_ENV) or secrets.token_hex(32)
    return value.encode("utf-8")


class SessionStore:
    def __init__(
        self,
        secret: bytes,
        max_age_seconds: int = 8 * 3600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = secret
        self.max_age_seconds = max_age_seconds
        self._clock = clock
        self._ended: set[str] = set()
        self._lock = threading.Lock()

    def _sign(self, text: str, purpose: str) -> str:
        mac = hmac.new(self._secret, f"{purpose}:{text}".encode(), hashlib.sha256)
        return mac.hexdigest()

    def create(self, key_id: int) -> Session:
        issued = int(self._clock())
        body = f"{key_id}.{issued}.{secrets.token_urlsafe(16)}"
        token = f"{body}.{self._sign(body, 'session')}"
        return Session(token, key_id, issued, self._sign(token, "csrf"))

    def get(self, token: str | None) -> Session | None:
        """The session of a cookie value; None when it is forged, expired or ended."""
        if not token or len(token) > 300:
            return None
        body, _, sig = token.rpartition(".")
        if not hmac.compare_digest(sig, self._sign(body, "session")):
            return None
        key_text, _, rest = body.partition(".")
        issued_text, _, _nonce = rest.partition(".")
        if not key_text.isdigit() or not issued_text.isdigit():
            return None
        issued = int(issued_text)
        if self._clock() - issued > self.max_age_seconds:
            return None
        with self._lock:
            if token in self._ended:
                return None
        return Session(token, int(key_text), issued, self._sign(token, "csrf"))

    def end(self, token: str | None) -> None:
        if token:
            with self._lock:
                if len(self._ended) >= _MAX_ENDED:
                    self._ended.clear()  # those are old: most have expired anyway
                self._ended.add(token)


def csrf_ok(session: Session, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(session.csrf, token)
