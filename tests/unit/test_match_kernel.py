"""The compiled kernel (stopship.match._kernel, built from _kernel.c by setup.py) gives the
same results as the Python code it stands in for: every align_core call and every
retrieval of a matcher run over hundreds of names and their misspellings is computed both
ways and compared, the whole results are compared as JSON, and random token sequences
check the edge cases."""

from __future__ import annotations

import json
import os
import random
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.index import tokens as token_module
from stopship.match import Matcher, Query, features, model, regroup
from stopship.match import engine as engine_module
from stopship.model import Entity
from stopship.normalize.given_names import name_key, same_given_name
from stopship.normalize.glossary import concepts, same_meaning

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ENTITIES = FIXTURES / "match" / "entities.json"

needs_kernel = pytest.mark.skipif(
    features._kernel is None, reason="the compiled kernel is not built (no C compiler?)"
)


def test_kernel_is_built() -> None:
    """A build that silently lost the kernel would run (correctly) at a fraction of the
    speed; set STOPSHIP_ALLOW_NO_KERNEL=1 where no C compiler is available."""
    if os.environ.get("STOPSHIP_ALLOW_NO_KERNEL") == "1":
        pytest.skip("STOPSHIP_ALLOW_NO_KERNEL=1")
    assert features._kernel is not None, "stopship.match._kernel missing: pip install -e ."


# ----------------------------------------------------------------------------- corpus


def _entities() -> list[Entity]:
    """The fixture entities, and persons and companies made of real given names and
    common surname and company words (repeats, initials, patronymics, generic words)."""
    out = [Entity.model_validate(e) for e in json.loads(ENTITIES.read_text(encoding="utf-8"))]
    raw = json.loads(
        resources.files("stopship.data").joinpath("given_names.json").read_text("utf-8")
    )
    given_names = sorted({f for g in raw["groups"] for f in g if f.isalpha()})
    rng = random.Random(11)
    surnames = ["petrov", "ivanenko", "babichenko", "kovalchuk", "rostami", "hosseini",
                "alabuga", "shagivaleev", "smith", "al hashimi", "abu bakr", "kim", "park",
                "mohammadi", "tymoshenko", "sergeevich", "ivanovna", "van der berg"]  # fmt: skip
    words = ["trading", "holding", "group", "industrial", "shipping", "bank", "energy",
             "neft", "techno", "alabuga", "star", "golden", "ocean", "united", "zavod"]  # fmt: skip
    forms = ["LLC", "LTD", "JSC", "OOO", "GmbH", "S.A.", ""]
    for k in range(300):
        parts = [*rng.sample(given_names, rng.choice([1, 1, 2])), rng.choice(surnames)]
        if k % 7 == 0:
            parts.append(rng.choice(given_names)[0])  # an initial
        if k % 11 == 0:
            parts.append(parts[0])  # a spelling repeated
        aliases = [" ".join(rng.sample(parts, len(parts)))]
        out.append(
            Entity.model_validate(
                {
                    "id": f"test:kp-{k}",
                    "source": "test",
                    "record_id": f"kp-{k}",
                    "kind": "person",
                    "names": [{"value": " ".join(parts).title(), "type": "primary"}]
                    + [{"value": a, "type": "strong_alias"} for a in aliases],
                }
            )
        )
    for k in range(200):
        parts = rng.sample(words, rng.choice([1, 2, 3]))
        name = " ".join(parts).upper() + " " + rng.choice(forms)
        out.append(
            Entity.model_validate(
                {
                    "id": f"test:kc-{k}",
                    "source": "test",
                    "record_id": f"kc-{k}",
                    "kind": "organization",
                    "names": [{"value": name.strip(), "type": "primary"}],
                }
            )
        )
    return out


def _misspell(name: str, rng: random.Random) -> str:
    tokens = name.split()
    op = rng.randrange(6)
    if op == 0 and len(tokens) > 1:
        rng.shuffle(tokens)
    elif op == 1 and len(tokens) > 1:
        tokens.pop(rng.randrange(len(tokens)))
    elif op == 2:
        i = rng.randrange(len(tokens))
        t = tokens[i]
        if len(t) > 3:
            j = rng.randrange(1, len(t))
            tokens[i] = t[:j] + t[j + 1 :] if rng.random() < 0.5 else t[:j] + "e" + t[j:]
    elif op == 3:
        tokens[0] = tokens[0][0] + "."
    elif op == 4:
        tokens.append(rng.choice(["Trading", "Ltd", "Ivanovich", "Al", "Group"]))
    else:
        i = rng.randrange(len(tokens))
        t = tokens[i]
        if len(t) > 4:
            tokens[i] = t[:1] + t[2] + t[1] + t[3:]  # a transposition
    return " ".join(tokens)


def _queries(entities: list[Entity]) -> list[Query]:
    rng = random.Random(5)
    names = [n.value for e in entities for n in e.names]
    out = [Query(name=n) for n in names]
    out += [Query(name=_misspell(n, rng)) for n in names for _ in range(2)]
    out += [
        Query(name=n)
        for n in ("Алабуга", "Иван Петров", "محمد رستمی", "Тимошенко Юлия", "Shagivaleyev",
                  "ALABUGGA DEVELOPMENT", "a l a b u g a", "Babychenko", "Володимир Ковальчук")
    ]  # fmt: skip
    return out


@pytest.fixture(scope="module")
def corpus() -> tuple[Matcher, list[Query]]:
    entities = _entities()
    return Matcher.build(entities, versions={"test": 1}), _queries(entities)


# ----------------------------------------------------------------------------- real cases


def _results(m: Matcher, queries: list[Query]) -> list[str]:
    """Every result as JSON, each similarity computed afresh (no cache of an earlier run)."""
    m._name_data.clear()
    m.forget_queries()
    features.token_similarity.cache_clear()
    features.phonetic.cache_clear()  # computed by the kernel, or not, afresh
    m.index.tokens._similar.clear()
    m.index.skeletons._similar.clear()
    return [r.model_dump_json() for r in m.match_batch(queries, threshold=0.3, limit=20)]


@needs_kernel
def test_kernel_and_python_give_identical_results(
    corpus: tuple[Matcher, list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    m, queries = corpus
    compiled = _results(m, queries)
    monkeypatch.setattr(features, "_kernel", None)
    monkeypatch.setattr(token_module, "_kernel", None)
    monkeypatch.setattr(engine_module, "_kernel", None)
    monkeypatch.setattr(regroup, "_kernel", None)
    python = _results(m, queries)
    assert len(compiled) == len(queries)
    assert sum(r.count('"entity_id"') for r in compiled) > len(queries)  # hits compared
    assert compiled == python


@needs_kernel
def test_every_alignment_and_retrieval_agrees(
    corpus: tuple[Matcher, list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each call made while matching, computed by both paths (and rows filled alike)."""
    m, queries = corpus
    kernel = features._kernel
    assert kernel is not None
    calls = {"align": 0, "fast": 0, "retrieve": 0}

    def both_align(*args: Any) -> Any:
        q, qw, c, cw, cf, strict, rows = args
        rows_py = None if rows is None else [dict(r) for r in rows]
        got = kernel.align_core(q, qw, c, cw, cf, strict, rows, features.token_similarity)
        want = features.align_core_py(q, qw, c, cw, cf, strict, rows_py)
        calls["align"] += 1
        calls["fast"] += got is not None
        if got is not None:
            assert repr(got) == repr(want), (q, c, strict)
            assert [type(x[2]) for x in got[3]] == [type(x[2]) for x in want[3]]
            assert rows == rows_py
        return want

    monkeypatch.setattr(engine_module, "align_core", both_align)
    # every name through the Python loop over spellings, which calls align_core
    monkeypatch.setattr(
        engine_module.Matcher, "_best_alignment", engine_module.Matcher._best_alignment_py
    )
    retrieve = token_module.TokenIndex.retrieve

    def both_retrieve(self: token_module.TokenIndex, *args: Any) -> dict[int, float]:
        got = retrieve(self, *args)
        monkeypatch.setattr(token_module, "_kernel", None)
        try:
            want = retrieve(self, *args)
        finally:
            monkeypatch.setattr(token_module, "_kernel", kernel)
        calls["retrieve"] += 1
        assert list(got.items()) == list(want.items())
        return got

    monkeypatch.setattr(token_module.TokenIndex, "retrieve", both_retrieve)
    m._name_data.clear()
    m.forget_queries()  # nothing remembered of an earlier test's queries
    m.match_batch(queries, threshold=0.3, limit=20)
    assert calls["align"] > 3 * len(queries)
    assert calls["fast"] == calls["align"]  # the kernel took every real case
    # every query name's candidates retrieved, and compared (a name met again is the
    # matcher's memo's: Matcher._retrieved)
    assert calls["retrieve"] >= len({q.name for q in queries})


# ----------------------------------------------------------------------------- edge cases

tokens = st.sampled_from(
    ["a", "b", "al", "ivan", "ivanov", "ivanova", "petrov", "petrova", "alabuga", "alabugga",
     "aleksandr", "alexander", "babichenko", "belichenko", "ooo", "trading", "sergeevich",
     "x", "mohammad", "muhammad", "volodymyr", "vladimir", "zzzz"]
)  # fmt: skip
spellings = st.lists(tokens, min_size=0, max_size=7).map(tuple)
weights = st.sampled_from([0.01, 0.2, 0.35, 0.5, 1.0, 0.123456789, 0.9999999])


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(
    q=spellings,
    c=spellings,
    qw_seed=st.lists(weights, min_size=7, max_size=7),
    cw_seed=st.lists(weights, min_size=7, max_size=7),
    factors=st.lists(st.sampled_from([None, 0.25, 0.4]), min_size=7, max_size=7),
    strict=st.booleans(),
    use_rows=st.booleans(),
)
def test_align_core_kernel_matches_python(
    q: tuple[str, ...],
    c: tuple[str, ...],
    qw_seed: list[float],
    cw_seed: list[float],
    factors: list[float | None],
    strict: bool,
    use_rows: bool,
) -> None:
    qw, cw, cf = qw_seed[: len(q)], cw_seed[: len(c)], factors[: len(c)]
    rows: list[dict[str, float]] | None = [{} for _ in q] if use_rows else None
    rows_py: list[dict[str, float]] | None = [{} for _ in q] if use_rows else None
    got = features.align_core(q, qw, c, cw, cf, strict, rows)
    want = features.align_core_py(q, qw, c, cw, cf, strict, rows_py)
    assert repr(got) == repr(want)
    assert rows == rows_py


@needs_kernel
def test_kernel_declines_unusual_types() -> None:
    """Not exact floats (an int weight, a float subclass): None, and the Python code runs."""
    kernel = features._kernel
    assert kernel is not None
    sim = features.token_similarity
    assert kernel.align_core(("a",), [1], ("a",), [1.0], [None], False, None, sim) is None
    same, meaning, phonetic = same_given_name, same_meaning, features.phonetic
    assert kernel.token_similarity("ivan", 1, False, same, meaning, phonetic) is None
    # a[0] of the Python code: an IndexError there
    assert kernel.token_similarity("", "i", False, same, meaning, phonetic) is None
    assert kernel.token_similarity("ivan" * 17, "ivan" * 17, False, same, meaning, phonetic) is None
    assert kernel.token_similarity("ivan", "ivan", 0, same, meaning, phonetic) is None
    assert kernel.token_similarity(Str("ivan"), "ivan", False, same, meaning, phonetic) is None
    # phonetic keys longer than their tokens ("\x00" reads "ch")
    assert kernel.token_similarity(
        "\x00" * 64, "a" + "\x00" * 63, False, same, meaning, phonetic
    ) == (features.token_similarity_py("\x00" * 64, "a" + "\x00" * 63))
    assert features.token_similarity("ivan" * 17, "ivan" * 16 + "ivanx") == (
        features.token_similarity_py("ivan" * 17, "ivan" * 16 + "ivanx")
    )
    assert features.align_core(("ivan",), [1], ("ivan",), [1.0], [None], False) == (
        features.align_core_py(("ivan",), [1], ("ivan",), [1.0], [None], False)
    )


class Str(str):
    """A str subclass: the kernel leaves it to the Python code."""


# ----------------------------------------------------------------------------- token_similarity

#: letters the phonetic key rewrites ("ks", "ph", "kh", "ck", "ch", "c", "q", "w", "y",
#: "j", "ou", "ie", "ei", "ye", "\x00", its marker for "ch", and "skaya" endings), doubled
#: letters, surname endings, a newline (which the key's doubled-letter rule does not
#: collapse) and letters outside Latin-1 and the BMP
_LETTERS = "aeiouykshqwjcnrtlmbdzp\n\x00ёж\U0001d400"
_SUFFIXES = ["", "", "chenko", "enko", "oglu", "zadeh", "shvili", "skaya", "skaia", "ska"]


def _similarity_both(a: str, b: str, strict: bool) -> None:
    kernel = features._kernel
    assert kernel is not None
    got = kernel.token_similarity(a, b, strict, same_given_name, same_meaning, features.phonetic)
    assert got is not None, (a, b)
    want = features.token_similarity_py(a, b, strict)
    assert repr(got) == repr(want), (a, b, strict)
    assert type(got) is float
    # the same through the predicates' lookups (what features.token_similarity calls)
    keyed = kernel.similarity(a, b, strict, name_key, concepts, features.phonetic)
    assert repr(keyed) == repr(want), (a, b, strict)


@needs_kernel
@settings(max_examples=3000, deadline=None)
@given(
    a=st.text(alphabet=_LETTERS, min_size=1, max_size=14),
    edits=st.lists(st.tuples(st.integers(0, 13), st.integers(0, 2), st.sampled_from(_LETTERS))),
    suffix=st.sampled_from(_SUFFIXES),
    strict=st.booleans(),
)
def test_token_similarity_kernel_matches_python(
    a: str, edits: list[tuple[int, int, str]], suffix: str, strict: bool
) -> None:
    """Random tokens and their misspellings (replaced, dropped and swapped letters)."""
    b = list(a)
    for pos, op, letter in edits:
        k = pos % len(b) if b else 0
        if op == 0 and b:
            b[k] = letter
        elif op == 1 and len(b) > 1:
            del b[k]
        elif op == 2 and k + 1 < len(b):
            b[k], b[k + 1] = b[k + 1], b[k]
    _similarity_both(a + suffix, "".join(b) + suffix, strict)
    _similarity_both("".join(b) or "x", a, strict)


@needs_kernel
def test_token_similarity_kernel_matches_python_on_names(
    corpus: tuple[Matcher, list[Query]],
) -> None:
    """Every pair of the corpus's tokens and the listed given-name forms (phonetic keys,
    given-name groups, patronymics, surname endings), and each with a typo."""
    m, _queries = corpus
    raw = json.loads(
        resources.files("stopship.data").joinpath("given_names.json").read_text("utf-8")
    )
    names = sorted({f for g in raw["groups"] for f in g})
    rng = random.Random(7)
    vocab = sorted(set(m.index.tokens.tokens) | set(names))
    vocab += [t[:2] + t[3] + t[2] + t[4:] for t in vocab if len(t) > 4][:400]
    vocab += [t + "ovich" for t in rng.sample(names, 50)]
    # words of one meaning in two languages (normalize.glossary), and near misses
    vocab += ["zavod", "zavodu", "plant", "plants", "fund", "fond", "foundation", "bank",
              "banka", "kompleks", "complex", "kargo", "cargo", "tsentr", "center"]  # fmt: skip
    for a in vocab:
        for b in vocab:
            _similarity_both(a, b, False)
    for a, b in zip(vocab, reversed(vocab), strict=True):
        _similarity_both(a, b, True)


# ----------------------------------------------------------------------------- retrieval

_similarities = st.sampled_from([0.0, 0.3, 0.5, 0.78, 0.9, 1.0, 0.123456789])


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(
    postings=st.lists(
        st.lists(st.integers(0, 60), max_size=12, unique=True).map(sorted),
        min_size=1,
        max_size=8,
    ),
    tokens=st.lists(
        st.tuples(
            st.lists(st.tuples(st.integers(0, 7), _similarities), max_size=4),
            st.booleans(),
            st.floats(0.01, 1.0),
        ),
        max_size=5,
    ),
    common=st.lists(
        st.tuples(
            st.floats(0.0, 1.0),
            st.lists(
                st.tuples(st.frozensets(st.integers(0, 60), max_size=30), st.floats(0.0, 1.0)),
                max_size=4,
            ),
        ),
        max_size=3,
    ),
    headroom=st.floats(0.0, 1.0),
    floor=st.sampled_from([0.0, 0.3, 0.5, 0.75, 1.0]),
    compact=st.lists(st.integers(0, 80), max_size=3, unique=True),
    best=st.dictionaries(st.integers(0, 80), st.floats(0.0, 1.5), max_size=20),
)
def test_retrieve_variant_kernel_matches_python(
    postings: list[list[int]],
    tokens: list[tuple[list[tuple[int, float]], bool, float]],
    common: list[tuple[float, list[tuple[frozenset[int], float]]]],
    headroom: float,
    floor: float,
    compact: list[int],
    best: dict[int, float],
) -> None:
    """The kernel's retrieve_variant and TokenIndex._retrieve_variant (the Python code)
    raise ``best`` alike (items, values, order) on random postings, token matches
    (similarities of 0 among them), common tokens and compact names."""
    kernel = features._kernel
    assert kernel is not None
    index = token_module.TokenIndex()
    index.postings = postings
    per_token = [[(tid % len(postings), s) for tid, s in m] for m, _, _ in tokens]
    followable = [f for _, f, _ in tokens]
    weights = [w for _, _, w in tokens]
    total = sum(weights) or 1.0
    got, want = dict(best), dict(best)
    assert kernel.retrieve_variant(
        per_token, followable, weights, total, postings, common, headroom, floor, compact, got
    )
    index._retrieve_variant(
        per_token, followable, weights, total, common, headroom, floor, compact, want
    )
    assert list(got.items()) == list(want.items())
    assert all(type(v) is float for v in got.values())


_COMMON = ["trading", "tradin", "group", "grup", "holding"]
_RARE = [f"{a}{b}" for a in ("alab", "petr", "kovl", "hoss") for b in ("uga", "ova", "ini")]


def _weigh(t: str) -> float:
    return 0.1 if t in _COMMON else 0.9


def _random_names(
    seed: int, count: int, commons: list[int], reversed_too: bool
) -> tuple[token_module.TokenIndex, list[list[str]]]:
    """An index of ``count`` random names: common words (as many as a choice of
    ``commons``) and one or two rare ones; each also written backwards with
    ``reversed_too``."""
    index = token_module.TokenIndex()
    rng = random.Random(seed)
    names = []
    for nid in range(count):
        name = rng.sample(_COMMON, rng.choice(commons)) + rng.sample(_RARE, rng.choice([1, 2]))
        names.append(name)
        index.add(nid, [tuple(name), tuple(reversed(name))] if reversed_too else [tuple(name)])
    return index, names


@needs_kernel
def test_retrieval_with_common_tokens_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names sharing words so common that they are not followed (their postings longer
    than max_postings): retrieval credits them through the kernel as in Python."""
    index, names = _random_names(3, 400, [2], reversed_too=False)
    queries = [tuple(n) for n in names[:60]] + [("trading", "group"), ("tradng", "alabuga")]
    for q in queries:
        for max_postings in (5, 50, 300):
            got = index.retrieve([q], _weigh, frozenset({"group"}), 0.35, max_postings, 0.3)
            with monkeypatch.context() as mp:
                mp.setattr(token_module, "_kernel", None)
                index._ranked.clear()
                want = index.retrieve([q], _weigh, frozenset({"group"}), 0.35, max_postings, 0.3)
            assert list(got.items()) == list(want.items())


@needs_kernel
def test_fused_retrieval_matches_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """retrieve_variant gives what the Python code gives: the same items in the same
    order, over several spellings (``best`` raised across them) and with name ids from
    the compact map alone."""
    index, names = _random_names(8, 300, [0, 1, 2], reversed_too=True)
    index.add(300, [("alabugatrading",)])  # only the compact map joins it to a query
    index.add(3000, [("petrova", "grup")])  # an id far past the others
    queries = [[tuple(n), tuple(reversed(n))] for n in names[:50]]
    queries += [[("alabuga", "trading")], [("petrova", "grup"), ("petrva",)], [("zzz",)]]
    for variants in queries:
        for max_postings in (5, 300):
            for floor in (0.0, 0.3, 0.5):
                args = (variants, _weigh, frozenset({"group"}), 0.35, max_postings, floor)
                fused = index.retrieve(*args)
                with monkeypatch.context() as mp:
                    mp.setattr(token_module, "_kernel", None)
                    python = index.retrieve(*args)
                assert list(fused.items()) == list(python.items())


@needs_kernel
def test_fused_retrieval_declines_unusual_types() -> None:
    kernel = features._kernel
    assert kernel is not None
    post = [[0, 1], [1]]
    ok = ([[(0, 1.0)]], [True], [1.0], 1.0, post, [], 0.0, 0.5, [], {})
    best: dict[Any, Any] = {}
    assert kernel.retrieve_variant(*ok[:-1], best) and best == {0: 1.0, 1: 1.0}
    odd = [
        ([[(0, 1)]], [True], [1.0], 1.0, post, [], 0.0, 0.5, [], {}),  # an int similarity
        ([[(5, 1.0)]], [True], [1.0], 1.0, post, [], 0.0, 0.5, [], {}),  # no such token
        ([[(0, 1.0)]], [1], [1.0], 1.0, post, [], 0.0, 0.5, [], {}),  # not a bool
        ([[(0, 1.0)]], [True], [1.0], 1.0, [["a"]], [], 0.0, 0.5, [], {}),  # not a name id
        ([[(0, 1.0)]], [True], [1.0], 1.0, post, [], 0.0, 0.5, [-1], {}),  # negative id
        ([[(0, 1.0)]], [True], [1.0], 1.0, post, [], 0.0, 0.5, [], {0: 1}),  # an int best
        ([[(0, 1.0)]], [True], [1.0], 1, post, [], 0.0, 0.5, [], {}),  # an int total
    ]
    for args in odd:
        best = dict(args[-1])
        assert kernel.retrieve_variant(*args[:-1], best) is False
        assert best == args[-1]  # nothing done


# ----------------------------------------------------------------------------- best spellings


@needs_kernel
def test_best_alignment_kernel_matches_python(
    corpus: tuple[Matcher, list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each name scored while matching: the best pair of spellings by the kernel and by
    the Python loop (on copies of the query's similarity rows, filled alike)."""
    m, queries = corpus
    kernel = features._kernel
    assert kernel is not None
    calls = {"all": 0, "fast": 0, "bare": 0, "generic": 0}
    python = engine_module.Matcher._best_alignment_py

    def both(
        self: Matcher,
        qdata: list[Any],
        variants: tuple[Any, ...],
        strict: bool,
        q_generic: frozenset[str],
        c_generic: frozenset[str],
        bare_person: bool,
    ) -> Any:
        copied = [(qv, qj, qw, tuple([dict(r) for r in rs] for rs in rows), qp)
                  for qv, qj, qw, rows, qp in qdata]  # fmt: skip
        want = python(self, copied, variants, strict, q_generic, c_generic, bare_person)
        calls["all"] += 1
        calls["bare"] += bare_person
        if engine_module._no_generic_meets(qdata, variants, q_generic, c_generic):
            calls["generic"] += bool(q_generic or c_generic)
            got = kernel.best_alignment(
                qdata,
                variants,
                strict,
                bare_person,
                engine_module.W.COMPACT_MIN_LEN,
                features.compact_joined,
                features.token_similarity,
            )
            assert got is not None
            calls["fast"] += 1
            a, qc, cc, order, compact, qi, ci = got
            assert repr((a, qc, cc, order, compact)) == repr(want[:5])
            assert (qdata[qi][0], qdata[qi][4 if bare_person else 2], variants[ci][0]) == want[5:]
            assert [rows for *_x, rows in qdata] == [rows for *_x, rows in copied]
        return want

    monkeypatch.setattr(engine_module.Matcher, "_best_alignment", both)
    m._name_data.clear()
    m.forget_queries()  # nothing remembered of an earlier test's queries
    m.match_batch(queries, threshold=0.3, limit=20)
    assert calls["fast"] > len(queries)
    assert calls["all"] > calls["fast"]  # generic words of one side in the other: Python
    assert calls["generic"] > 0  # generic words that meet no word of the other side
    assert calls["bare"] > 0


@needs_kernel
def test_best_alignment_kernel_declines_unusual_types() -> None:
    kernel = features._kernel
    assert kernel is not None
    sim, compact = features.token_similarity, features.compact_joined
    rows: tuple[list[dict[str, float]], list[dict[str, float]]] = ([{}], [{}])
    qdata = [(("ivan",), "ivan", [1.0], rows, [1.0])]
    variants = ((("ivan",), "ivan", [1.0], [None]),)
    assert kernel.best_alignment(qdata, variants, False, False, 9, compact, sim) is not None
    assert kernel.best_alignment(qdata, variants, 0, False, 9, compact, sim) is None
    assert kernel.best_alignment(qdata, variants, False, 1, 9, compact, sim) is None
    assert kernel.best_alignment(qdata, variants, False, False, 9.0, compact, sim) is None
    assert kernel.best_alignment([(("ivan",), "ivan", [1.0], rows, [1])], variants, False,
                                 True, 9, compact, sim) is None  # fmt: skip
    assert kernel.best_alignment([(("ivan",), "ivan", [1.0], rows)], variants, False,
                                 False, 9, compact, sim) is None  # fmt: skip
    assert kernel.best_alignment(qdata, (), False, False, 9, compact, sim) is None


@needs_kernel
def test_similar_tokens_kernel_matches_python(
    corpus: tuple[Matcher, list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The typo-close tokens of every query token (and of each index token misspelt), in
    the same order, found by the kernel's neighbourhood walk and by the Python loop."""
    m, queries = corpus
    index = m.index.tokens
    rng = random.Random(9)
    words = sorted({t for q in queries for t in q.name.lower().split()} | set(index.tokens))
    words += [_misspell(w + " x", rng).split()[0] for w in words]
    walked = {"kernel": 0}
    kernel = token_module._kernel
    assert kernel is not None
    walk = kernel.walk_neighbours

    def counting(*args: Any) -> bool:
        walked["kernel"] += 1
        return walk(*args)

    for w in words:
        with monkeypatch.context() as mp:
            mp.setattr(token_module._kernel, "walk_neighbours", counting)
            got = index._similar_tokens(w)
        with monkeypatch.context() as mp:
            mp.setattr(token_module, "_kernel", None)
            want = index._similar_tokens(w)
        assert got == want, w
        assert [type(s) for _t, s in got] == [type(s) for _t, s in want]
    assert walked["kernel"] > len(words) // 2
    assert (
        kernel.walk_neighbours("ivan", frozenset(), [], [], {}, features.token_similarity) is False
    )


# ----------------------------------------------------------------------------- regrouping keys

key_words = st.sampled_from(
    ["a", "b", "ooo", "nauchno", "issledovatelskiy", "institut", "nii", "tp", "z", "zavod",
     "électro", "mechanics", "électromechanics", "ä", "ivan", "ivanov"]
)  # fmt: skip


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.lists(key_words, max_size=10).map(tuple), max_size=4).map(tuple))
def test_name_keys_kernel_matches_python(spellings: tuple[tuple[str, ...], ...]) -> None:
    """A list name's regrouping keys (joined neighbours, initials of runs of words), each
    once and sorted: the same tuples both ways, for spellings of up to ten words (runs
    longer than an acronym), non-ASCII first letters included."""
    kernel = features._kernel
    assert kernel is not None
    got = kernel.name_keys(spellings, *regroup.ACRONYM_LETTERS, regroup.ACRONYM_WORDS)
    assert got == regroup.name_keys_of_py(spellings)
    assert regroup.name_keys_of(spellings) == got


@needs_kernel
def test_name_keys_kernel_declines_unusual_types() -> None:
    """An empty word, a word that is not an exact str or a spelling that is not a tuple:
    None, and the Python code runs."""
    kernel = features._kernel
    assert kernel is not None

    class Word(str):
        pass

    for odd in [(("ab", ""),), (("ab", Word("cd")),), (["ab", "cd"],), (("ab", 1),)]:
        assert kernel.name_keys(odd, 3, 6, 7) is None
    assert kernel.name_keys((("ab", "cd", "ef"),), 3, 6, 7) == (
        ("ab", "cd", "ef"),
        ("abcd", "ace", "cdef"),
    )


# ----------------------------------------------------------------------------- phonetic key


@needs_kernel
@settings(max_examples=3000, deadline=None)
@given(
    st.text(alphabet="abcehijkopqsuwxyz\x00\nñ", max_size=14)
    | st.sampled_from(["yelabuga", "ievgeny", "service", "kachchh", "moskovskaia", "ee"])
)
def test_phonetic_kernel_matches_python(token: str) -> None:
    """The phonetic key both ways: every replacement of features._PHONETIC, the soft c,
    runs of one letter (not of newlines), "-skaia", final e's; the placeholder the
    replacements use (\\x00) and non-ASCII letters in the token itself."""
    kernel = features._kernel
    assert kernel is not None
    assert kernel.phonetic(token, features._PHONETIC) == features.phonetic_py(token)


@needs_kernel
def test_phonetic_kernel_declines_unusual_types() -> None:
    kernel = features._kernel
    assert kernel is not None

    class Word(str):
        pass

    assert kernel.phonetic(Word("ivan"), features._PHONETIC) is None
    assert kernel.phonetic("ivan", [("a", "b")]) is None
    assert kernel.phonetic("ivan", (("a", 1),)) is None
    assert kernel.phonetic("ivan", (("a",),)) is None
    assert kernel.phonetic("ivan", ()) == "ivan"


# ----------------------------------------------------------------------------- token pairs


def _pair_models(models: list[Any]) -> list[tuple[Any, ...]]:
    """What makes two token pair models the same: their values (the floats' bits by
    repr), fields set, extra and private attributes."""
    return [
        (repr(m.__dict__), m.__pydantic_fields_set__, m.__pydantic_extra__,
         m.__pydantic_private__, type(m))
        for m in models
    ]  # fmt: skip


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(
    q=st.lists(tokens, max_size=6).map(tuple),
    c=st.lists(tokens, max_size=6).map(tuple),
    data=st.data(),
)
def test_alignment_pairs_kernel_matches_python(
    q: tuple[str, ...], c: tuple[str, ...], data: st.DataObject
) -> None:
    """An alignment's token pairs from its matches, both ways, as tuples and as models:
    matched and unmatched query tokens, similarities and weights rounded to 4 places (ties
    of the rounding included)."""
    kernel = features._kernel
    assert kernel is not None
    qw = data.draw(st.lists(weights, min_size=len(q), max_size=len(q)))
    sims = st.sampled_from([0.78, 0.9, 1.0, 0.123456789, 0.00005, 0.84999999999, 0.92])
    k = data.draw(st.integers(0, min(len(q), len(c))))
    qi = data.draw(st.permutations(range(len(q))))[:k]
    ci = data.draw(st.permutations(range(len(c))))[:k]
    order = [(i, j, data.draw(sims)) for i, j in zip(qi, ci, strict=True)]
    pairs = kernel.alignment_pairs(q, c, qw, order)
    assert repr(pairs) == repr(features.alignment_pairs_py(q, c, qw, order))
    assert features.alignment_pairs(q, c, qw, order) == pairs
    got = kernel.alignment_token_pairs(model.TokenPair, q, c, qw, order)
    assert got is not None
    want = model.token_pairs_py(features.alignment_pairs_py(q, c, qw, order))
    assert _pair_models(got) == _pair_models(want)
    assert _pair_models(engine_module._alignment_token_pairs(q, c, qw, order)) == _pair_models(want)


@needs_kernel
def test_alignment_pairs_kernel_declines_unusual_types() -> None:
    """A position out of range or not an int, a match not a 3-tuple, weights shorter than
    the query, a query that is not a tuple: None, and the Python code runs."""
    kernel = features._kernel
    assert kernel is not None
    tp = model.TokenPair
    q, c = ("ivan", "petrov"), ("petrov",)
    assert kernel.alignment_token_pairs(tp, q, c, [0.5, 1.0], [(1, 0, 1.0)]) is not None
    for args in [
        (q, c, [0.5, 1.0], [(1, 1, 1.0)]),  # list position out of range
        (q, c, [0.5, 1.0], [(2, 0, 1.0)]),  # query position out of range
        (q, c, [0.5, 1.0], [(-1, 0, 1.0)]),
        (q, c, [0.5, 1.0], [(1, 0)]),
        (q, c, [0.5, 1.0], [(1.0, 0, 1.0)]),
        (q, c, [0.5, 1.0], [[1, 0, 1.0]]),
        (q, c, [0.5], [(1, 0, 1.0)]),
        (list(q), c, [0.5, 1.0], [(1, 0, 1.0)]),
        (q, c, [0.5, 1.0], ((1, 0, 1.0),)),
    ]:
        assert kernel.alignment_token_pairs(tp, *args) is None
        assert kernel.alignment_pairs(*args) is None


# ----------------------------------------------------------------------------- features


@needs_kernel
def test_features_kernel_matches_python(
    corpus: tuple[Matcher, list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each hit's features, by the kernel and by the Python code: the same models (values'
    bits, details, fields set), for hits with secondary features (the corpus' queries
    have kinds, countries and birth dates) and without; hits with a skeleton feature are
    the Python code's."""
    m, queries = corpus
    calls = {"all": 0, "compiled": 0, "secondary": 0}
    compiled = engine_module.Matcher._features

    def both(self: Matcher, p: Any, s: Any) -> Any:
        want = self._features_py(p, s)
        got = compiled(self, p, s)
        calls["all"] += 1
        calls["compiled"] += s.skeleton is None
        calls["secondary"] += bool(s.secondary)
        assert _pair_models(got) == _pair_models(want)
        return got

    monkeypatch.setattr(engine_module.Matcher, "_features", both)
    m.match_batch(queries, threshold=0.3, limit=20)
    assert calls["compiled"] > len(queries)
    assert calls["secondary"] > 0


@needs_kernel
def test_features_kernel_declines_unusual_types() -> None:
    kernel = features._kernel
    assert kernel is not None
    f = model.Feature
    kinds = {"name.token_alignment": 0.5, "name.compact_similarity": 0.0}
    sec = [("kind", 1.0, -0.2, 0.0, {"query": "person", "list": "person"})]
    args = (kinds, 0.5, 0.25, 0.5, "name.token_alignment", sec)
    got = kernel.features(f, *args)
    assert got is not None and [x.name for x in got] == [*kinds, "kind"]
    assert got[0].detail == {"query_coverage": 0.5, "list_coverage": 0.25}
    assert (got[0].contribution, got[1].contribution, got[1].detail) == (0.5, 0.0, {})
    for odd in [
        ({**kinds, "name.consonant_skeleton": 0.4}, *args[1:]),  # the Python code's
        (list(kinds.items()), *args[1:]),
        (*args[:4], 1, sec),
        (*args[:5], tuple(sec)),
        (*args[:5], [("kind", 1.0)]),
    ]:
        assert kernel.features(f, *odd) is None
