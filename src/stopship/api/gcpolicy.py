"""The server's garbage-collector policy.

The lists' indexes are frozen out of the collector when they are loaded, but the matcher's
bounded caches (fuzzy-lookup neighbourhoods, token similarities) keep growing with the
names screened, and every full collection walks them: with all lists, a full collection
paused the server for up to ~90 ms every ~1,300 requests, the main source of its tail
latency. After each full collection (all garbage just collected) the survivors are frozen
too, so the next full collection walks only what is newer. Objects frozen this way are
still freed by reference counting when dropped; only a reference cycle formed later by an
object alive at that moment would stay (per-request objects are rarely in cycles).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any


def _freeze_after_full(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()


def install() -> Callable[[], None]:
    """Freeze the survivors of every full collection from now on; returns the undo."""
    gc.callbacks.append(_freeze_after_full)

    def remove() -> None:
        if _freeze_after_full in gc.callbacks:
            gc.callbacks.remove(_freeze_after_full)

    return remove
