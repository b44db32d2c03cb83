"""normalize.frequency: rare tokens weigh more than common ones."""

from __future__ import annotations

import json

import pytest

from stopship.normalize import TokenStats, normalize_name
from stopship.normalize.name import Token

NAMES = [
    "Alabuga Trading LLC",
    "Romashka Trading LLC",
    "Sberbank Trading LLC",
    "Vostok Trading Corp",
    "Zenit Holding LLC",
    "Ivanov Ivan",
]


def stats() -> TokenStats:
    return TokenStats.build(normalize_name(n) for n in NAMES)


def test_rare_tokens_weigh_more_than_common() -> None:
    s = stats()
    assert s.n_docs == 6
    assert s.doc_freq("trading") == 4
    assert 0 < s.weight("trading") < s.weight("alabuga") <= 1
    assert s.weight("never-seen") == pytest.approx(1.0, abs=0.2)


def test_typed_tokens_are_capped() -> None:
    s = stats()
    llc = Token("llc", "legal_form", "llc", "Latn")
    assert s.weight(llc) <= 0.1
    assert s.weight(Token("unknownco", "legal_form", "co", "Latn")) <= 0.1
    assert s.weight(Token("alabuga", "name", "alabuga", "Latn")) > 0.5


def test_weights_in_range_for_token_in_every_name() -> None:
    s = TokenStats.build(normalize_name(n) for n in ["Acme One", "Acme Two", "Acme Three"])
    assert 0 < s.weight("acme") < s.weight("one")


def test_empty_stats_weigh_one() -> None:
    assert TokenStats().weight("anything") == 1.0


def test_json_round_trip() -> None:
    s = stats()
    data = json.loads(json.dumps(s.to_dict()))
    s2 = TokenStats.from_dict(data)
    assert s2.df == s.df and s2.n_docs == s.n_docs
    assert s2.weight("trading") == s.weight("trading")
    with pytest.raises(ValueError):
        TokenStats.from_dict({"format": "other"})
