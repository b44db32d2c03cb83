"""A candidate whose skeleton alignments already put it below the report floor is not
scored further (engine._skeleton_bound): the results are the same as when every
candidate is scored in full, and every name left out scores below the floor in full."""

from __future__ import annotations

import random
from typing import Any

import pytest

from stopship.match import Matcher, Query
from stopship.match import engine as engine_module
from stopship.model import Entity

_GIVEN = ["Mohammad", "Ali", "Reza", "Hossein", "Hassan", "Mahmoud", "Abbas", "Mehdi",
          "Fatemeh", "Zahra", "Ahmad", "Javad", "Saeed", "Hamid", "Majid", "Karim"]  # fmt: skip
_SURNAMES = ["Rostami", "Hosseini", "Mohammadi", "Salehi", "Karimi", "Ahmadi", "Rezaei",
             "Jafari", "Hashemi", "Abbasi", "Fadavi", "Salarkia", "Ghasemi", "Rahimi"]  # fmt: skip
_COMPANIES = ["SANAYE SHIMIYAI SINA", "PARS TRADING GROUP", "KHATAM AL ANBIYA",
              "BANK SEPAH", "MAHAN AIR", "PETRO PARS", "SINA INDUSTRIAL GROUP"]  # fmt: skip
_QUERIES = ["محمد رستمی", "علی حسینی", "رضا محمدی", "حسین صالحی", "محمود کریمی",
            "عباس احمدی", "مهدی رضایی", "فاطمه جعفری", "زهرا هاشمی", "احمد عباسی",
            "علی صالحی", "سالار کیا محمود", "محمدرضا حسینی", "جواد فدوی", "صنایع شیمیایی سینا",
            "بانک سپه", "هواپیمایی ماهان", "پتروپارس", "محمد علی رحیمی", "سعید قاسمی",
            "محمد رضا محمدی", "حمید", "مجید کریمی تهرانی", "كريم رستمي",
            "عبد الله حسيني"]  # fmt: skip


def _entities() -> list[Entity]:
    rng = random.Random(3)
    out: list[Entity] = []
    for k in range(160):
        parts = [*rng.sample(_GIVEN, rng.choice([1, 2])), rng.choice(_SURNAMES)]
        out.append(
            Entity.model_validate(
                {
                    "id": f"test:p-{k}",
                    "source": "test",
                    "record_id": f"p-{k}",
                    "kind": "person",
                    "names": [{"value": " ".join(parts), "type": "primary"}],
                    "countries": ["ir"] if k % 3 else [],
                }
            )
        )
    for k, name in enumerate(_COMPANIES):
        out.append(
            Entity.model_validate(
                {
                    "id": f"test:c-{k}",
                    "source": "test",
                    "record_id": f"c-{k}",
                    "kind": "organization",
                    "names": [{"value": name, "type": "primary"}],
                }
            )
        )
    return out


def _queries() -> list[Query]:
    out = [Query(name=n) for n in _QUERIES]
    out += [Query(name=n, kind="organization") for n in _QUERIES[:8]]
    out += [Query(name=n, country="IR") for n in _QUERIES[8:16]]
    return out


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(_entities(), versions={"test": 1})


def _results(m: Matcher, threshold: float, limit: int) -> list[str]:
    return [r.model_dump_json() for r in m.match_batch(_queries(), threshold, limit)]


@pytest.mark.parametrize(("threshold", "limit"), [(0.8, 10), (0.6, 3), (0.3, 20), (0.0, 20)])
def test_bound_changes_no_result(
    matcher: Matcher, monkeypatch: pytest.MonkeyPatch, threshold: float, limit: int
) -> None:
    bounded = _results(matcher, threshold, limit)
    monkeypatch.setattr(engine_module, "_skeleton_bound", lambda *_args: False)
    assert _results(matcher, threshold, limit) == bounded


def test_names_left_out_score_below_the_floor(
    matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    score_name = engine_module.Matcher._score_name
    left_out = 0

    def checked(self: Matcher, *args: Any) -> Any:
        nonlocal left_out
        got = score_name(self, *args)
        if got is None:
            left_out += 1
            full = score_name(self, *args[:-1], None)
            assert full is not None
            assert full.score < args[-1]
        return got

    monkeypatch.setattr(engine_module.Matcher, "_score_name", checked)
    for threshold in (0.8, 0.6, 0.3):
        _results(matcher, threshold, 10)
    assert left_out > 50  # the bound did leave names out


def test_bound_steps() -> None:
    bound = engine_module._skeleton_bound
    assert bound(0.2, [0.5], [], 0.5)  # 0.45
    assert not bound(0.2, [0.6], [], 0.5)  # 0.54
    assert not bound(0.55, [0.1], [], 0.5)
    assert not bound(0.2, [-0.3, 0.1], [], 0.1)  # the other name features: 0.2
    assert bound(0.05, [-0.3], [], 0.1)  # a skeleton score below 0 counts as 0
    kind: engine_module._Secondary = ("kind", 0.0, -0.2, -0.2, {})
    assert bound(0.6, [0.6], [kind], 0.5)  # 0.6 - 0.2
    assert not bound(0.0, [0.0], [], 0.0)  # clipped at 0, never below a floor of 0
