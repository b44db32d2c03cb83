"""Names that divide the same words otherwise (match.regroup): joined words and acronyms."""

from __future__ import annotations

import gc

import pytest

from stopship.match import Matcher, Query
from stopship.match.regroup import _keys, keys_of, may_regroup, name_keys_of, regroupings
from tests.named import named


def test_neighbours_joined_as_the_other_side_writes_them() -> None:
    got = list(regroupings(("plant", "electromechanics"), ("electro", "mechanics", "plant")))
    assert got == [
        (("plant", "electromechanics"), ("electromechanics", "plant"), {}, {
            "electromechanics": "electro mechanics"
        })
    ]  # fmt: skip


def test_a_run_of_words_as_the_acronym_the_other_side_writes() -> None:
    got = list(regroupings(("tambovskiy", "porokhovoy", "zavod"), ("fkp", "tpz")))
    assert got == [(("tpz",), ("fkp", "tpz"), {"tpz": "tambovskiy porokhovoy zavod"}, {})]
    # and the other way round
    got = list(regroupings(("nii", "tp"), ("nauchno", "issledovatelskiy", "institut", "tp")))
    assert got == [(("nii", "tp"), ("nii", "tp"), {}, {"nii": "nauchno issledovatelskiy institut"})]


def test_no_regrouping_without_a_word_to_meet() -> None:
    assert list(regroupings(("ivan", "petrov"), ("petr", "ivanov"))) == []
    # two-letter acronyms are left alone: two initials meet far too many of them
    assert list(regroupings(("tambovskiy", "zavod"), ("tz", "oktyabr"))) == []
    # a word both sides have is no acronym of the other's words
    assert list(regroupings(("pao", "pervyy", "avtomobilnyy", "ooo"), ("pao", "x"))) == []


def test_the_quick_check_agrees_with_the_regroupings() -> None:
    pairs = [
        (("plant", "electromechanics"), ("electro", "mechanics", "plant")),
        (("tambovskiy", "porokhovoy", "zavod"), ("fkp", "tpz")),
        (("ivan", "petrov"), ("petr", "ivanov")),
        (("tambovskiy", "zavod"), ("tz", "oktyabr")),
    ]
    for q, c in pairs:
        found = bool(list(regroupings(q, c)))
        assert may_regroup(keys_of((q,)), keys_of((c,))) == found, (q, c)
        # a list name's keys as tuples (engine._NameData) give the same answer
        assert may_regroup(keys_of((q,)), name_keys_of((c,))) == found, (q, c)


def test_a_list_names_keys_are_tuples_the_collector_lets_go() -> None:
    """The keys a list name keeps for the process are tuples of str (the collector stops
    tracking them once seen, where it walks a frozenset after every batch), the same words
    as :func:`keys_of` (a query's, through the memo of :func:`_keys`: a query comes back
    in the next batch); a list name's leave no entry in that memo."""
    spellings = (("tambovskiy", "porokhovoy", "zavod"), ("zavod", "tpz"))
    _keys.cache_clear()
    name_words, name_keys = got = name_keys_of(spellings)
    assert _keys.cache_info().currsize == 0
    words, keys = keys_of(spellings)
    assert _keys.cache_info().currsize == 2
    assert name_words == tuple(sorted(words)) and name_keys == tuple(sorted(keys))
    assert "tpz" in keys and "porokhovoyzavod" in keys
    gc.collect()
    assert not gc.is_tracked(got)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(
        [
            named("epm", "Precise Electro-Mechanics Plant", "organization"),
            named("tpz", "Tambov Powder Zavod Oktyabr", "organization"),
            named("other", "TPZ Holding", "organization"),
        ],
        versions={"t": 1},
    )


@pytest.mark.parametrize(
    ("name", "entity_id", "pair"),
    [
        ("Завод точной электромеханики", "t:epm", ("electromechanics", "electro mechanics")),
        # the list spells out what the query writes as an acronym
        ("JSC TPZ Oktyabr", "t:tpz", ("tpz", "tambov powder zavod")),
    ],
)
def test_a_name_divided_otherwise_alerts_and_says_how(
    matcher: Matcher, name: str, entity_id: str, pair: tuple[str, str]
) -> None:
    r = matcher.match(Query(name=name))
    assert r.hits and r.hits[0].entity_id == entity_id and r.hits[0].alert, r.hits[:2]
    pairs = [(t.query, t.list) for t in r.hits[0].explanation.token_pairs]
    assert pair in pairs, pairs


def test_an_acronym_alone_does_not_alert(matcher: Matcher) -> None:
    # "TPZ" stands for other words here; only the acronym is shared
    r = matcher.match(Query(name="TPZ Vostok"))
    assert not any(h.alert for h in r.hits), r.hits[:2]


def test_a_names_own_acronym_is_no_missing_word() -> None:
    from stopship.match.features import unmatched_factors

    # "MAZ" restates "Minskii Avtomobilnyi Zavod": unmatched, it weighs nothing
    assert unmatched_factors(("minskii", "avtomobilnyi", "zavod", "maz"), False)[3] == 0.0
    # an acronym of other words is the usual short token; a person's tokens are no acronyms
    assert unmatched_factors(("minskii", "avtomobilnyi", "zavod", "mtz"), False)[3] == 0.4
    assert unmatched_factors(("ivan", "bo", "bunin"), True)[1] is None

    def score(listed: str) -> float:
        m = Matcher.build(
            [named("x", listed, "organization"), named("y", "Minsk Tractor Works", "organization")],
            versions={"t": 1},
        )
        return m.match(Query(name="Минскі аўтамабільны завод")).hits[0].score

    assert score("Minskii Avtomobilnyi Zavod (MAZ)") == score("Minskii Avtomobilnyi Zavod")


def test_align_remembers_a_names_unmatched_factors(monkeypatch: pytest.MonkeyPatch) -> None:
    """:func:`align` computes a list side's unmatched-weight factors once per name (one
    list shared per pattern of factors), and aligns as with fresh ones."""
    from stopship.match import features

    calls: list[tuple[str, ...]] = []
    real = features.unmatched_factors

    def counted(tokens: tuple[str, ...], list_is_person: bool) -> list[float | None]:
        calls.append(tokens)
        return real(tokens, list_is_person)

    monkeypatch.setattr(features, "unmatched_factors", counted)
    monkeypatch.setattr(features, "_align_factors_memo", ({}, {}))
    monkeypatch.setattr(features, "_factor_patterns", {})
    q, c, c2 = ("minskii", "zavod"), ("minskii", "avtomobilnyi", "zavod", "maz"), ("a", "zz")
    first = features.align(q, c, lambda t: 1.0, frozenset(), False)
    again = features.align(q, c, lambda t: 1.0, frozenset(), False)
    assert first == again and calls == [c]
    features.align(q, c, lambda t: 1.0, frozenset(), True)  # a person's: another entry
    assert calls == [c, c]
    assert features.shared_unmatched_factors(c, False) == real(c, False)
    shared = features.shared_unmatched_factors
    assert shared(("ivan", "bo"), True) is shared(c2, True)
    monkeypatch.setattr(features, "ALIGN_FACTORS_MEMO", 1)
    features.shared_unmatched_factors(("x", "y"), True)  # full: started afresh
    assert list(features._align_factors_memo[True]) == [("x", "y")]


def _own_acronyms_reference(tokens: tuple[str, ...]) -> frozenset[int]:
    """What match.regroup.own_acronyms computes, word by word: the initials of a run of
    words, or of a run of the words that are no function words ("of", "and")."""
    from stopship.match.regroup import FUNCTION_WORDS

    found: set[int] = set()
    named = [k for k, w in enumerate(tokens) if w not in FUNCTION_WORDS]
    for i, t in enumerate(tokens):
        if not 2 <= len(t) <= 6 or not t.isalpha() or len(t) >= len(tokens):
            continue
        n = len(t)
        for where in (list(range(len(tokens))), named):
            for start in range(len(where) - n + 1):
                run = where[start : start + n]
                if not run[0] <= i <= run[-1] and all(
                    tokens[k][0] == t[j] for j, k in enumerate(run)
                ):
                    found.add(i)
                    break
    return frozenset(found)


def test_own_acronyms_found_by_first_letters_as_word_by_word() -> None:
    import random

    from stopship.match.regroup import own_acronyms

    rng = random.Random(7)
    letters = "abm"
    cases = [
        ("minskii", "avtomobilnyi", "zavod", "maz"),
        ("maz", "minskii", "avtomobilnyi", "zavod"),
        ("ma", "ma"),  # the run may not be the acronym itself
        ("mm", "m", "m"),
        ("ab", "a", "b", "ab"),
        ("a1", "a", "1"),  # not letters
        ("", "ab", "a", "b"),  # an empty token (never in a name): word by word
        # the initials of the words that name something
        ("islamic", "republic", "of", "iran", "broadcasting", "irib"),
        ("bank", "of", "america", "boa"),
    ]
    for _ in range(3000):
        n = rng.randint(1, 8)
        cases.append(
            tuple(
                rng.choice(("of", "and"))
                if rng.random() < 0.2
                else "".join(rng.choice(letters) for _ in range(rng.randint(1, 4)))
                for _ in range(n)
            )
        )
    for tokens in cases:
        assert own_acronyms(tokens) == _own_acronyms_reference(tokens), tokens


def test_acronym_spellings_for_retrieval() -> None:
    from stopship.match.regroup import acronym_spellings

    known = {"npo", "bazalt", "aah"}.__contains__
    words = ("nauchno", "proizvodstvennoe", "obedinenie", "bazalt")
    assert acronym_spellings((words,), known, 4) == (("npo", "bazalt"),)
    # never the whole spelling as one acronym, nor an acronym that is no list word
    assert acronym_spellings((("aleksandra", "alekseevna", "kharitonova"),), known, 4) == ()
    assert acronym_spellings((("tambovskiy", "porokhovoy", "zavod", "x"),), known, 4) == ()


def test_a_russian_name_retrieves_the_acronym_a_list_writes_for_its_words() -> None:
    # retrieval sees "bazalt" alone of the query's words in "NPO BAZALT": a fifth of the
    # query by rarity; its spelling "npo bazalt" finds it, and the scorer's regrouping
    listed = ["NPO BAZALT", "Bazalt Trading", "Bazalt Invest", "Bazalt Group"]
    listed += ["Nauchno Proizvodstvennoe Obedinenie Mashinostroeniya", "NPO Mash", "NPO Saturn"]
    m = Matcher.build([named(str(i), n, "organization") for i, n in enumerate(listed)])
    hits = m.match(Query(name="Научно-производственное объединение «Базальт»")).hits
    assert hits and hits[0].entity_id == "t:0" and hits[0].alert, hits


def test_a_lists_remark_inside_a_name_weighs_as_a_function_word() -> None:
    from stopship.match import Matcher, Query
    from stopship.match import weights as W
    from stopship.match.features import side_weights
    from tests.named import named

    weights = side_weights(("psb", "bank", "formerly", "promsvyazbank"), lambda t: 1.0, frozenset())
    assert weights[2] == W.FUNCTION_WORD_WEIGHT
    m = Matcher.build(
        [
            named("p", "PSB Bank (formerly PROMSVYAZBANK)", "organization"),
            named("x", "Bank Rossiya", "organization"),
        ]
    )
    top = m.match(Query(name="Bank PSB Promsvyazbank")).hits[0]
    assert top.entity_id == "t:p" and top.alert, top
