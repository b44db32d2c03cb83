"""match.long_vowels: long vowels written in Arabic script against Latin spellings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.match.long_vowels import VowelCheck, check_alignment, conflicts, skeleton_words
from stopship.model import Entity
from stopship.normalize.translit import skeleton, token_schemes
from tests.named import named


def _arabic(word: str) -> str:
    """The transliterated word, its joined article cut off (as the skeleton has it)."""
    t = token_schemes(word, "Arab")[0]
    return t[2:] if len(t) > 4 and t.startswith("al") else t


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("الحسيني", "husseini"),
        ("سليمان", "sulayman"),
        ("سليمان", "suleiman"),
        ("محمدی", "mohammadi"),
        ("حسين", "hussein"),
        ("حسين", "husayn"),
        ("یوسف", "yusuf"),
        ("یوسف", "yousef"),
        ("نور", "noor"),
        ("اسما", "osama"),  # an initial alif carries any vowel
        ("ابراهيم", "ibrahim"),
        ("مالك", "malik"),  # short vowels are not written: the Latin may add any
        ("حمشو", "hamsho"),
    ],
)
def test_same_name_agrees(arabic: str, latin: str) -> None:
    assert conflicts(_arabic(arabic), latin) == 0


@pytest.mark.parametrize(
    ("arabic", "latin", "count"),
    [
        ("الحسيني", "hasan", 2),  # al-Husseini is not Hasan: no i after s, none at the end
        ("سليمان", "salman", 1),
        ("محمدی", "mehmood", 1),
        ("حمید", "ahmad", 1),  # Hamid
        ("حسين", "hassan", 1),
    ],
)
def test_missing_long_vowels_are_counted(arabic: str, latin: str, count: int) -> None:
    assert conflicts(_arabic(arabic), latin) == count


def test_vowel_marks_count_like_long_vowels() -> None:
    # a name written with its short vowels ("muhammad"): each must be matched
    assert conflicts("muhammad", "mohammad") == 0
    assert conflicts("muhammad", "mhmd") == 3


def test_different_consonants_say_nothing() -> None:
    assert conflicts("jmal", "kamal") is None
    assert conflicts("hsn", "hsr") is None


def test_skeleton_words_drop_articles_like_the_skeleton() -> None:
    assert skeleton_words(("al", "hasan")) == ("hasan",)
    assert skeleton_words(("alhsyny", "mlk")) == ("hsyny", "mlk")
    assert skeleton_words(("al",)) == ("al",)  # nothing but an article: kept
    # "و" written apart is "and"; a Latin "W" is an initial
    assert skeleton_words(("hajy", "w", "star")) == ("hajy", "star")
    assert skeleton_words(("george", "w", "bush"), latin=True) == ("george", "w", "bush")
    # the article joined to a word of two consonants in Arabic script ("الحق" alhq), as
    # Latin writes it apart ("Abdul-Haq"); a Latin word of four letters is a name ("Alan")
    assert skeleton_words(("bd", "alhq")) == ("bd", "hq")
    assert skeleton_words(("alan", "smith"), latin=True) == ("alan", "smith")


def test_check_alignment_scales_by_the_weight_of_disagreeing_pairs() -> None:
    from stopship.match.long_vowels import PENALTY, check_alignment

    arabic = ("mlk", "alhsyny")  # مالك الحسيني as transliterated
    # skeleton alignment pairs: (query token, list token, similarity, weight)
    pairs = [("mlk", "mlk", 1.0, 1.0), ("hsn", "hsn", 1.0, 3.0)]
    bad = check_alignment(arabic, ("malik", "hasan"), pairs, arabic_is_query=True)
    assert bad.compared == 2
    assert bad.disagreeing == (("hsyny", "hasan"),)
    assert bad.factor == pytest.approx(1.0 - PENALTY * 3.0 / 4.0)
    good = check_alignment(arabic, ("malik", "al", "husseini"), pairs, arabic_is_query=True)
    assert good.disagreeing == () and good.factor == 1.0
    # the list side in Arabic script, the query in Latin: the same verdict
    flipped = check_alignment(arabic, ("malik", "hasan"), pairs, arabic_is_query=False)
    assert flipped.factor == bad.factor
    # an unmatched pair (None) is neither checked nor part of the weight that is shared out
    partial = check_alignment(
        arabic, ("malik", "hasan"), [("mlk", "mlk", 1.0, 1.0), ("hsn", None, 0.0, 3.0)], True
    )
    assert partial.compared == 1 and partial.factor == 1.0


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("مصطفى", "mustafa"),  # final alif maqsura: an "a"
        ("الموسى", "moussa"),
        ("عبدالله", "abdullah"),  # the alif of "allah" written "u" in "-ullah"
        ("خواجه", "khajeh"),  # Persian silent w after kh
        ("صغری", "soghra"),
    ],
)
def test_spellings_that_do_not_disagree(arabic: str, latin: str) -> None:
    assert conflicts(_arabic(arabic), latin) == 0


# --- scoring: the check in the matcher, and surname endings in token similarity ------------


def test_matcher_lowers_a_skeleton_match_whose_long_vowels_disagree() -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build(
        [_entity("hasan", "Malik HASAN"), _entity("husseini", "Malik AL-HUSSEINI")],
        versions={"t": 1},
    )
    hits = {h.entity_id: h for h in m.match(Query(name="مالك الحسيني"), threshold=0.0).hits}
    assert hits["t:husseini"].score >= m.threshold
    hasan = hits.get("t:hasan")
    assert hasan is None or hasan.score < m.threshold
    if hasan is not None:  # the reason is in the explanation
        skel = next(f for f in hasan.explanation.features if f.name == "name.consonant_skeleton")
        assert skel.detail["long_vowels_disagree"] == ["hsyny/hasan"]


def test_short_skeleton_matches_with_agreeing_vowels_alert() -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build([_entity("emad", "Emad HAMSHO")], versions={"t": 1})
    r = m.match(Query(name="حمشو عماد"))
    assert r.hits and r.hits[0].entity_id == "t:emad" and r.hits[0].alert


def test_a_waw_written_as_a_consonant_on_both_sides_is_a_shared_letter() -> None:
    from stopship.match.long_vowels import shared_semivowels

    assert shared_semivowels("fdwy", "fadavi") == 1
    assert shared_semivowels("mwswy", "mousavi") == 1
    assert shared_semivowels("fdwy", "fadai") == 0  # no v or w in the Latin spelling
    assert shared_semivowels("jwady", "djouadi") == 0  # "ou" is a vowel, not the w
    assert shared_semivowels("fdwy", "fardavi") == 0  # other consonants: nothing said


def test_a_short_name_with_a_shared_waw_alerts() -> None:
    from stopship.match import Matcher, Query

    # l, f, d: three skeleton letters; the و written as "v" is the fourth
    m = Matcher.build([_entity("fadavi", "FADAVI Ali")], versions={"t": 1})
    r = m.match(Query(name="علی فدوی"))
    assert r.hits and r.hits[0].entity_id == "t:fadavi" and r.hits[0].alert, r.hits[:1]
    # the same consonants without the w in the Latin spelling stay below the threshold
    other = Matcher.build([_entity("fadai", "FADAI Ali")], versions={"t": 1})
    r = other.match(Query(name="علی فدوی"))
    assert not r.alert, r.hits[:1]


def test_surnames_sharing_an_ending_are_judged_without_it() -> None:
    from stopship.match.features import token_similarity

    assert token_similarity("babichenko", "belichenko") == 0.0  # babich / belich
    assert token_similarity("babichenko", "babychenko") >= 0.9  # one name, two spellings
    assert token_similarity("tymoshenko", "tymashenko") >= 0.85  # one typo: unchanged
    assert token_similarity("sergeevich", "sergeyevich") >= 0.9
    # patronymic endings are not cut: the Belarusian form of one given name stays a match
    assert token_similarity("siargeevich", "sergeevich") > 0.0


def test_ayn_and_hamza_need_a_vowel_in_the_latin_spelling() -> None:
    from stopship.match.long_vowels import marked_words

    assert marked_words("عبدالله عسير") == ("3bdallh", "3syr")
    assert conflicts("3syr", "asir") == 0  # عسير Asir
    assert conflicts("3syr", "sayyar") == 1  # no vowel where the ayn is
    assert conflicts("s3yd", "saeed") == 0  # سعيد
    assert conflicts("ms3wd", "masood") == 0  # مسعود
    assert conflicts("rby3", "rabi") == 0  # ربيع


def test_dj_is_the_jim() -> None:
    assert conflicts("jmal", "djamel") == 0


@pytest.mark.parametrize(
    ("tokens", "words"),
    [
        (("abdul", "wahed"), ("abd", "wahed")),  # "al" joined to "abd" in Latin
        (("bd", "alwahd"), ("bd", "wahd")),  # عبد الواحد: the article joined to the name
        (("abdulwahed",), ("abd", "wahed")),
        (("bdalwahd",), ("bd", "wahd")),  # عبدالواحد
        (("abdurrahman",), ("abd", "rahman")),  # the article assimilated
        (("abdullah",), ("abd", "lah")),
        (("bdallh", "alsndy"), ("bd", "lh", "sndy")),  # عبدالله السندي
        (("rahmatullah", "shah"), ("rahmat", "allah", "shah")),
        (("rhmt", "allh", "shah"), ("rhmt", "allh", "shah")),  # رحمت الله: kept apart
        (("nsrallh",), ("nsr", "allah")),  # نصرالله
        (("hesamuddin",), ("hesam", "din")),
        (("hsam", "aldyn"), ("hsam", "dyn")),  # حسام الدین
        (("salah", "eddine"), ("salah", "din")),
        (("as", "sayyid"), ("sayyid",)),  # a sun-letter article written apart
        (("abdoulaye",), ("abdoulaye",)),  # not "abd" + a name
        (("badr",), ("badr",)),
        (("bdr",), ("bdr",)),  # بدر
        (("abdi",), ("abdi",)),
    ],
)
def test_skeleton_words_write_compound_names_apart(
    tokens: tuple[str, ...], words: tuple[str, ...]
) -> None:
    assert skeleton_words(tokens) == words


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("عبد الواحد شفيق", "Abdul Wahed Shafiq"),
        ("عبدالله السندي", "AL-SINDI, Abdullah"),
        ("رحمت الله شاه نواز", "Rahmatullah Shah Nawaz"),
        ("سید جواد تهامی", "Seyed Javad TOHAMI"),  # و is "v" in Persian
    ],
)
def test_compound_names_and_persian_v_meet_their_latin_spelling(arabic: str, latin: str) -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build([_entity("x", latin)], versions={"t": 1})
    r = m.match(Query(name=arabic))
    assert r.hits and r.hits[0].entity_id == "t:x" and r.hits[0].alert


def test_skeletons_compared_joined_when_words_are_divided_differently() -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build(
        [_entity("osanloo", "Mohammad Taqi OSANLOO"), _entity("other", "Mohammad TAGHAVI")],
        versions={"t": 1},
    )
    r = m.match(Query(name="محمدتقی اسانلو"), threshold=0.0)  # Mohammad-Taqi written joined
    top = r.hits[0]
    assert top.entity_id == "t:osanloo" and top.alert
    # the list's two words compared joined, as the query writes them
    pairs = [(t.query, t.list) for t in top.explanation.token_pairs]
    assert pairs == [("mhmdtk", "mhmdtk"), ("snl", "snl")]
    assert all(h.score < m.threshold for h in r.hits[1:])


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمود سالار کیا", "SALARKIA Mahmoud"),  # the query divides a word the list joins
        ("اللهکرم عزیزی", "AZIZI Allah-Karam"),  # ... or joins two the list divides
        ("عیسی زارع پور", "Issa ZAREPOUR"),
    ],
)
def test_words_divided_differently_meet_in_any_order(arabic: str, latin: str) -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build([_entity("x", latin), _entity("y", "Mahmoud SALARI")], versions={"t": 1})
    r = m.match(Query(name=arabic), threshold=0.0)
    assert r.hits and r.hits[0].entity_id == "t:x" and r.hits[0].alert, r.hits[:2]
    assert all(h.score < m.threshold for h in r.hits[1:])


def test_joined_skeletons_are_checked_for_long_vowels() -> None:
    from stopship.match.long_vowels import check_alignment

    pairs = [("mhmdtksnl", "mhmdtksnl", 1.0, 1.0)]
    agree = check_alignment(("mhmdtqy", "asanlw"), ("mohammad", "taqi", "osanloo"), pairs, True)
    assert agree.compared == 1 and agree.factor == 1.0
    # no vowel in the Latin spelling where the Arabic one writes "y" after the q
    bad = check_alignment(("mhmdtqy", "asanlw"), ("mohammad", "taq", "osanloo"), pairs, True)
    assert bad.compared == 1 and bad.factor < 1.0


def test_joined_skeletons_must_be_identical() -> None:
    from stopship.match.engine import _joined_skeleton
    from stopship.match.features import Alignment

    weak = Alignment(0.5, 0.5, 0.5, ())
    same = _joined_skeleton(("mhmdtk", "snl"), ("mhmd", "tk", "snl"), weak)
    assert same.score == 1.0 and same.pairs == (("mhmdtksnl", "mhmdtksnl", 1.0, 1.0),)
    # one letter apart (عبد القدوس المظفر / Abdolghassem Mozaffari): not the same name
    assert _joined_skeleton(("bd", "ghds", "mzfr"), ("bd", "ghsm", "mzfr"), weak) is weak
    # from 12 letters on, one letter apart still counts
    near = _joined_skeleton(("hsnmhmdtk", "snlh"), ("hsn", "mhmdtk", "snl"), weak)
    assert near is not weak and 0.9 <= near.score < 1.0


def test_construct_state_reading() -> None:
    from stopship.match import Matcher, Query
    from stopship.match.prepare import construct_reading

    # a taa marbuta before a noun is said "t"; before "li-" (to, for) and at the end not
    assert construct_reading("عصبة الأنصار") == "عصبت الأنصار"
    assert construct_reading("جبهة النصرة لأهل الشام") == "جبهت النصرة لأهل الشام"
    m = Matcher.build(
        [_entity("x", "ASBAT AL-ANSAR"), _entity("y", "ANSAR AL-ISLAM")], versions={"t": 1}
    )
    r = m.match(Query(name="عصبة الأنصار"))
    assert r.hits and r.hits[0].entity_id == "t:x" and r.hits[0].alert, r.hits[:2]
    assert not any(h.alert for h in r.hits[1:])


def test_persian_reading() -> None:
    from stopship.match.prepare import persian_reading, prepare

    assert persian_reading("مرتضی ذوالقدر") == "مرتزی زوالغدر"
    p = prepare("مرتضی براتی")
    assert p.skeleton == ("mrtd", "brt")  # ICU's Arabic reading: ض is "d"
    assert p.readings == ((("mrtzy", "braty"), ("mrtz", "brt")),)
    assert prepare("Morteza Barati").readings == ()  # Latin: no other reading
    # a final heh is also read silent: "ساره" Sara, "زاده" Zade as well as Zadeh
    from stopship.match.prepare import silent_heh_reading

    assert silent_heh_reading("ساره محمد") == "سار محمد"
    assert any(skel == ("sr", "mhmd") for _w, skel in prepare("ساره محمد").readings)
    assert skeleton("zadeh") in prepare("آخوند زاده").skeleton  # as written, too
    # the zhe ژ is "zh" as written and "j" in the Persian reading: "Nezhad" and "Nejad"
    p = prepare("احسان ایمانی نژاد")
    assert skeleton("nezhad") in p.skeleton
    assert any(skeleton("nejad") in skel for _words, skel in p.readings)


def test_hebrew_readings_of_tsade_and_shin() -> None:
    from stopship.match.prepare import prepare

    # צ is "z" ("Zion") and ש "s" (German "st" written שט: "Gopstein") in one reading
    p = prepare("בן ציון גופשטיין")
    assert skeleton("ben zion gopstein").split() in [list(skel) for _w, skel in p.readings]


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("مرتضی براتی", "Morteza BARATI"),  # ض is "z" in Persian
        ("ذوالقدر احمد", "Ahmad ZOLGHADR"),  # ذ "z", ق "gh"
    ],
)
def test_persian_names_meet_their_persian_spelling(arabic: str, latin: str) -> None:
    from stopship.match import Matcher, Query
    from stopship.match.prepare import prepare

    m = Matcher.build([_entity("x", latin)], versions={"t": 1})
    r = m.match(Query(name=arabic))
    assert r.hits and r.hits[0].entity_id == "t:x" and r.hits[0].alert
    skel = next(f for f in r.hits[0].explanation.features if f.name == "name.consonant_skeleton")
    # the explanation shows the reading that was compared: the Persian one
    assert skel.detail["query"] == " ".join(prepare(arabic).readings[0][1])


def test_latin_names_beginning_with_al_are_not_an_article() -> None:
    from stopship.match.prepare import prepare

    assert skeleton_words(("alireza",), latin=True) == ("alireza",)
    assert skeleton_words(("alhusseini",), latin=True) == ("husseini",)
    assert skeleton_words(("alireza",)) == ("ireza",)  # transliterated Arabic: an article
    assert prepare("Alireza SALEHI").skeleton == ("lrz", "slh")
    assert prepare("علیرضا صالحی").readings[0][1] == ("lrz", "slh")


def test_skeleton_candidates_tied_on_share_prefer_the_querys_tokens() -> None:
    from stopship.match import Matcher, Query

    # many names share the skeleton tokens of "Mohammad Reza": the one made of the
    # query's tokens only must be among those scored
    others = [_entity(f"o{i}", f"Mohammad Reza {s}") for i, s in enumerate(_SURNAMES)]
    m = Matcher.build([*others, _entity("x", "Mohammad Reza MOHAMMADI")], versions={"t": 1})
    r = m.match(Query(name="محمد رضا محمدى"), threshold=0.0)
    assert r.hits[0].entity_id == "t:x" and r.hits[0].alert


_SURNAMES = [
    "HABIBI", "NAQDI", "TAVAKOLI", "VAGHARI", "HAJIAN", "SHAMS", "AMOOZAD", "KARIMI",
    "RAHIMI", "JAFARI", "AHMADI", "MORADI", "ZAKERI", "SADEGHI", "HOSSEINI", "MOUSAVI",
    "REZAEI", "NOURI", "GHASEMI", "SALEHI",
]  # fmt: skip


def test_skeleton_evidence_counts_the_consonants_both_names_write() -> None:
    from stopship.match import Matcher, Query
    from stopship.match.long_vowels import written_consonants

    # "عزيز" writes two z's with a vowel between (its skeleton is "z"), as "Aziz" does
    assert written_consonants(("trk", "z"), ("tariq", "aziz"), True) == {
        "trk": 3,
        "z": 2,
        "trkz": 5,
    }
    assert written_consonants(("hsn",), ("hassan",), True) == {"hsn": 3}
    m = Matcher.build(
        [_entity("t", "Tariq AZIZ"), _entity("d", "Ali AL-DAFEER")], versions={"t": 1}
    )
    hit = m.match(Query(name="طارق عزيز")).hits[0]
    assert hit.entity_id == "t:t" and hit.alert
    # دادفر writes d, d, f, r; "Dafeer" only d, f, r: the match counts the fewer
    r = m.match(Query(name="علي دادفر"), threshold=0.0)
    assert r.hits and all(h.score < m.threshold for h in r.hits)


def test_a_consonant_written_twice_around_a_long_vowel_must_be_twice_in_latin() -> None:
    assert conflicts("dadfr", "dafeer") == 1  # دادفر is not Dafeer
    assert conflicts("dadfr", "dadfar") == 0
    assert conflicts("hbyb", "habib") == 0
    assert conflicts("mmlwk", "mamluk") == 0  # side by side: no vowel written between


def test_two_word_names_paired_completely_need_one_skeleton_letter_less() -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build(
        [_entity("s", "Ali SALEHI"), _entity("g", "Ali GHANEM"), _entity("b", "BUKHORI")],
        versions={"t": 1},
    )
    top = m.match(Query(name="علی صالحی")).hits[0]  # l + slh: 4 letters, every word paired
    assert top.entity_id == "t:s" and top.alert
    # a word left over on either side needs the full 5 letters
    for query in ("وادع غنيم", "وفاء البخاري"):
        r = m.match(Query(name=query), threshold=0.0)
        assert all(h.score < m.threshold for h in r.hits)


def _reference_check_alignment(
    arabic_tokens: tuple[str, ...],
    latin_tokens: tuple[str, ...],
    pairs: list[tuple[str, str | None, float, float]],
    arabic_is_query: bool,
    arabic_marked_words: tuple[str, ...] = (),
) -> VowelCheck:
    """``check_alignment`` before its per-name maps were cached (9d4ebec), verbatim."""
    from stopship.match.long_vowels import _MARK, PENALTY
    from stopship.normalize.translit import skeleton

    words_a = skeleton_words(arabic_tokens)
    words_l = skeleton_words(latin_tokens, latin=True)
    marked_a = skeleton_words(arabic_marked_words)
    by_skel_a: dict[str, str] = {}
    for words in (marked_a, words_a):
        if len(words) > 1:
            joined = "".join(skeleton(w.replace(_MARK, "")) for w in words)
            by_skel_a.setdefault(joined, "".join(words))
    for w in (*marked_a, *words_a):
        by_skel_a.setdefault(skeleton(w.replace(_MARK, "")), w)
    by_skel_l: dict[str, str] = {}
    if len(words_l) > 1:
        by_skel_l["".join(skeleton(w) for w in words_l)] = "".join(words_l)
    for w in words_l:
        by_skel_l.setdefault(skeleton(w), w)
    total = 0.0
    bad = 0.0
    compared = 0
    disagreeing: list[tuple[str, str]] = []
    for q, c, _sim, weight in pairs:
        if c is None:
            continue
        a_skel, l_skel = (q, c) if arabic_is_query else (c, q)
        aw, lw = by_skel_a.get(a_skel), by_skel_l.get(l_skel)
        total += weight
        if aw is None or lw is None:
            continue
        n = conflicts.__wrapped__(aw, lw)
        if n is None:
            continue
        compared += 1
        if n:
            bad += weight
            disagreeing.append((aw, lw))
    factor = 1.0 - PENALTY * (bad / total) if total > 0 else 1.0
    return VowelCheck(compared, tuple(disagreeing), factor)


_ARABIC_WORDS = ["mhmd", "mohammad", "alhsyny", "hsyn", "bdallh", "abdulwahed", "rhmtallh",
                 "hsamaldyn", "3bd", "asanlw", "mhmdtky", "ali", "al", "khwajh", "rza"]  # fmt: skip
_LATIN_WORDS = ["mohammad", "muhammad", "husseini", "hussein", "hasan", "abdullah", "abd",
                "wahed", "rahmatullah", "hesamuddin", "osanloo", "taqi", "alireza", "el",
                "khajeh", "reza", "mohammadi"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    a=st.lists(st.sampled_from(_ARABIC_WORDS), min_size=1, max_size=4),
    m=st.lists(st.sampled_from(_ARABIC_WORDS), max_size=3),
    lat=st.lists(st.sampled_from(_LATIN_WORDS), min_size=1, max_size=4),
    weights=st.lists(st.floats(0.1, 3.0), min_size=4, max_size=4),
)
def test_cached_check_alignment_is_the_reference(
    a: list[str], m: list[str], lat: list[str], weights: list[float]
) -> None:
    """The maps from skeleton tokens to words are cached per name: the same checks as
    building them for every pair, however often a name is met (and with whatever else)."""
    from stopship.normalize.translit import skeleton

    # every skeleton either side can have (as words or joined) paired with every other
    sa = {skeleton(w.replace("3", "")) for w in (*skeleton_words(tuple(a)), *a, *m)}
    sa.add("".join(skeleton(w) for w in skeleton_words(tuple(a))))
    lw = {*skeleton_words(tuple(lat), latin=True), *skeleton_words(tuple(lat)), *lat}
    sl = {skeleton(w) for w in lw} | {"".join(skeleton(w) for w in skeleton_words(tuple(lat)))}
    pairs: list[tuple[str, str | None, float, float]] = [
        (x, y, 1.0, weights[k % len(weights)])
        for k, (x, y) in enumerate((x, y) for x in sorted(sa) for y in sorted(sl))
    ]
    pairs.append((min(sa), None, 0.0, 1.0))
    for arabic_is_query in (True, False):
        args = (tuple(a), tuple(lat), pairs, arabic_is_query, tuple(m))
        for _ in range(2):  # the second time from the caches
            assert check_alignment(*args) == _reference_check_alignment(*args)


def _entity(rid: str, name: str, kind: str = "person") -> Entity:
    return named(rid, name, kind)


def test_generic_words_weigh_little_in_a_skeleton_alignment() -> None:
    from stopship.match import Matcher, Query

    # "گروه" read "group" (grb) is a generic word: the list name lacking it loses little
    listed = ["Islamic Republic of Iran Shipping Lines", "Iran Air", "Douran Trading"]
    m = Matcher.build([named(str(i), n, "organization") for i, n in enumerate(listed)])
    hit = m.match(Query(name="گروه کشتیرانی جمهوری اسلامی ایران")).hits[0]
    skel = next(f for f in hit.explanation.features if f.name == "name.consonant_skeleton")
    assert hit.entity_id == "t:0" and skel.detail["query"] == "grb shbng rblk slmk rn"
    assert skel.value > 0.75, hit.explanation


def test_a_name_whose_skeleton_is_a_generic_words_counts_in_full() -> None:
    from stopship.match import Matcher, Query

    # "sn" is the generic "sanaye" (industries) of a name, and the name "Sina" here:
    # Sina Chemical Industries is not CHEMICAL INDUSTRIES GROUP
    listed = ["CHEMICAL INDUSTRIES GROUP", "SANAYE MOKHABERAT IRAN", "Iran Air"]
    m = Matcher.build([named(str(i), n, "organization") for i, n in enumerate(listed)])
    hits = m.match(Query(name="صنايع شيميايي سينا"), threshold=0.0).hits
    got = {h.entity_id: h.score for h in hits}
    assert 0.5 < got["t:0"] < 0.8, got


def test_joined_skeletons_write_a_letter_shared_at_the_join_once() -> None:
    from stopship.match.engine import _joined_skeleton
    from stopship.match.features import Alignment

    weak = Alignment(0.3, 0.5, 0.5, ())
    # "احسان ایمانی نژاد" / "Ehsan IMANINEJAD": the n of "mn" and "njd" is one letter
    got = _joined_skeleton(("hsn", "mn", "njd"), ("hsn", "mnjd"), weak)
    assert got.score == 1.0 and got.pairs == (("hsnmnjd", "hsnmnjd", 1.0, 1.0),)
    # other letters still differ
    assert _joined_skeleton(("hsn", "mn", "kjd"), ("hsn", "mnjd"), weak) is weak


def test_agreeing_long_vowels_counts_written_vowels_the_latin_spelling_writes_too() -> None:
    from stopship.match.long_vowels import agreeing_long_vowels

    assert agreeing_long_vowels("wanws", "wanus") == 3  # و a, the ا, و u
    assert agreeing_long_vowels("ly", "ali") == 1  # the final ي
    assert agreeing_long_vowels("byat", "bayat") == 2  # ي and ا after the b
    assert agreeing_long_vowels("hsyny", "hasan") == 0  # a long vowel disagrees: none count
    assert agreeing_long_vowels("wanws", "anas") == 0
    assert agreeing_long_vowels("dwa", "dawwa") == 1  # the consonantal و is a shared letter
    assert agreeing_long_vowels("jwady", "bujadi") == 0  # other consonants: nothing said


def test_short_two_word_names_whose_long_vowels_agree_alert() -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build(
        [
            _entity("w", "Ali WANUS"),
            _entity("b", "BAYAT Isa"),
            _entity("a", "Ali ANAS"),
            _entity("k", "KATINA D.O.O."),
        ],
        versions={"t": 1},
    )
    # l, n, s and b, t, s: three skeleton letters each, too few alone; the long vowels
    # both spellings write at the same places make up the rest
    for query, expected in (("علي وانوس", "t:w"), ("بیات عیسی", "t:b")):
        top = m.match(Query(name=query, kind="person")).hits[0]
        assert top.entity_id == expected and top.alert, (query, top)
    # "Anas" writes no vowel for the initial و: no alert
    assert not any(h.entity_id == "t:a" and h.alert for h in m.match(Query(name="علي وانوس")).hits)
    # one word: its vowels do not count
    assert not m.match(Query(name="قطينة")).alert


def test_a_name_written_twice_is_also_read_with_each_word_once() -> None:
    from stopship.match import Matcher, Query
    from stopship.match.prepare import prepare_query

    p = prepare_query("KARIMI Farzin فرزین کریمی مزلقان چای")
    assert (("karimi", "farzin", "mzlqan", "chay"), ("krm", "frzn", "mzlkn", "sh")) in p.readings
    assert not prepare_query("علي وانوس").readings  # no word repeats: no such reading
    m = Matcher.build(
        [_entity("m", "Ibrahim MA'ALA"), _entity("k", "MAZLQANCHAY, Farzin Karimi")],
        versions={"t": 1},
    )
    for query, expected in (
        ("معلا ابراهيم, ابراهيم معلى", "t:m"),
        ("KARIMI Farzin فرزین کریمی مزلقان چای", "t:k"),
    ):
        top = m.match(Query(name=query, kind="person")).hits[0]
        assert top.entity_id == expected and top.alert, (query, top)


def test_hebrew_long_vowels_count_as_arabic_ones_do_but_a_final_yod_is_no_a() -> None:
    from stopship.match import Matcher, Query
    from stopship.match.long_vowels import agreeing_long_vowels

    assert agreeing_long_vowels("lwy", "lau") == 2  # Arabic: a final ى may be "a"
    assert agreeing_long_vowels("lwy", "lau", hebrew=True) == 0  # a final י is not
    m = Matcher.build(
        [_entity("y", "Yinon LEVI"), _entity("e", "Eden LEVI"), _entity("l", "LAU, Edwina")],
        versions={"t": 1},
    )
    for query, expected in (("ינון לוי", "t:y"), ("עדן לוי", "t:e")):
        r = m.match(Query(name=query, kind="person"))
        assert r.hits[0].entity_id == expected and r.hits[0].alert, (query, r.hits[:1])
        assert not any(h.entity_id == "t:l" and h.alert for h in r.hits)
