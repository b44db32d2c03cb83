"""A background thread that delivers webhooks while the service runs."""

from __future__ import annotations

import logging
import threading

import httpx

from stopship.cases.models import DeliveryReport
from stopship.cases.webhooks import TIMEOUT, WebhooksMixin
from stopship.errors import StopshipError

log = logging.getLogger(__name__)


class DeliveryLoop:
    """Calls ``deliver_pending`` every ``interval`` seconds until stopped (and once more
    on :meth:`nudge`, e.g. right after an alert opened). Errors are logged, not raised:
    undelivered rows stay in the outbox for the next pass."""

    def __init__(
        self,
        cases: WebhooksMixin,
        *,
        interval: float = 15.0,
        max_attempts: int = 5,
        client: httpx.Client | None = None,
    ) -> None:
        self.cases = cases
        self.interval = interval
        self.max_attempts = max_attempts
        self._client = client
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.last: DeliveryReport | None = None
        self.passes = 0

    def start(self) -> DeliveryLoop:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="stopship-webhooks", daemon=True)
            self._thread.start()
        return self

    def nudge(self) -> None:
        """Run a pass now instead of at the end of the interval."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self, client: httpx.Client) -> DeliveryReport | None:
        try:
            self.last = self.cases.deliver_pending(client, max_attempts=self.max_attempts)
        except StopshipError as exc:
            log.warning("webhook delivery pass failed: %s", exc)
            return None
        finally:
            self.passes += 1
        return self.last

    def _run(self) -> None:
        client = self._client or httpx.Client(timeout=TIMEOUT)
        try:
            while not self._stop.is_set():
                self._wake.clear()  # a nudge during the pass below wakes the next one
                self.run_once(client)
                self._wake.wait(self.interval)
        finally:
            if self._client is None:
                client.close()
