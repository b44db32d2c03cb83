"""Browser sessions of the review UI: opaque server-side sessions in process memory.

The browser holds only a random session id (HttpOnly, SameSite=Strict cookie); the
server maps it to the API key the analyst pasted at login (re-checked on every request,
so a revoked key ends its sessions) and to the CSRF token every POST form must carry.
Sessions end at logout, after ``idle_seconds`` without use, or when the process stops.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

COOKIE = "stopship_session"


@dataclass
class Session:
    id: str
    secret: str  # the API key
    csrf: str
    last_seen: float


class SessionStore:
    def __init__(
        self, idle_seconds: int = 8 * 3600, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, secret: str) -> Session:
        now = self._clock()
        s = Session(secrets.token_urlsafe(32), secret, secrets.token_urlsafe(32), now)
        with self._lock:
            self._expire(now)
            self._sessions[s.id] = s
        return s

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        now = self._clock()
        with self._lock:
            s = self._sessions.get(session_id)
            if s is None:
                return None
            if now - s.last_seen > self.idle_seconds:
                del self._sessions[session_id]
                return None
            s.last_seen = now
            return s

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)

    def _expire(self, now: float) -> None:
        old = [k for k, s in self._sessions.items() if now - s.last_seen > self.idle_seconds]
        for k in old:
            del self._sessions[k]


def csrf_ok(session: Session, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(session.csrf, token)
