"""The compiled best alignment of spellings where a generic word of one side is a word of
the other (``Matcher._best_alignment`` through ``Matcher._generic_weights``) gives what
``Matcher._best_alignment_py`` computes, call by call, over a corpus of names with
generic words ("group", "trading", "holding", ...)."""

from __future__ import annotations

from typing import Any

import pytest

from stopship.match import Matcher, features
from stopship.match import engine as engine_module
from stopship.match.engine import _no_generic_meets
from tests.unit.test_match_kernel import _entities, _queries

needs_kernel = pytest.mark.skipif(
    features._kernel is None, reason="the compiled kernel is not built (no C compiler?)"
)


@needs_kernel
def test_best_alignment_with_generic_words_meeting_is_the_python_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entities = _entities()
    m = Matcher.build(entities, versions={"test": 1})
    queries = _queries(entities)
    fast = engine_module.Matcher._best_alignment
    calls = {"all": 0, "generic": 0}

    def both(self: Matcher, *args: Any) -> Any:
        qdata, variants, _strict, q_generic, c_generic, _bare = args
        got = fast(self, *args)  # (the rows it fills are the similarities themselves)
        want = engine_module.Matcher._best_alignment_py(self, *args)
        calls["all"] += 1
        calls["generic"] += not _no_generic_meets(qdata, variants, q_generic, c_generic)
        assert repr(got) == repr(want), (qdata, variants)
        return want

    monkeypatch.setattr(engine_module.Matcher, "_best_alignment", both)
    m.match_batch(queries, threshold=0.3, limit=20)
    assert calls["generic"] > 50 and calls["all"] > 1000, calls
