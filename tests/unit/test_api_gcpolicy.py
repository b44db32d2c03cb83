"""The server's garbage-collector policy: survivors of a full collection are frozen."""

from __future__ import annotations

import gc

from stopship.api import gcpolicy


def test_full_collections_freeze_their_survivors() -> None:
    undo = gcpolicy.install()
    try:
        keep = [[i] for i in range(1000)]  # tracked containers that survive
        before = gc.get_freeze_count()
        gc.collect(1)  # not a full collection: nothing frozen
        assert gc.get_freeze_count() == before
        gc.collect()
        assert gc.get_freeze_count() >= before + len(keep)
    finally:
        undo()
        gc.unfreeze()
    assert gcpolicy._freeze_after_full not in gc.callbacks
    before = gc.get_freeze_count()
    gc.collect()
    assert gc.get_freeze_count() == before  # undone
