"""Names a list entry writes inside one published name ("Jamil (a.k.a. Jameel) HASSAN"):
split out for comparison, while a hit still shows the published name."""

from __future__ import annotations

import pytest

from stopship.match import Matcher, Query
from stopship.match.list_names import inline_names
from tests.named import named


@pytest.mark.parametrize(
    ("published", "names"),
    [
        # a one-word alias in the middle replaces the word before it
        ("Jamil (a.k.a. Jameel) HASSAN", ("Jamil HASSAN", "Jameel HASSAN")),
        (
            "Mohamed (a.k.a. Mohammad, Muhammad) Heikmat (a.k.a. Hikmat) IBRAHIM",
            (
                "Mohamed Heikmat IBRAHIM",
                "Mohammad Heikmat IBRAHIM",
                "Muhammad Heikmat IBRAHIM",
                "Mohamed Hikmat IBRAHIM",
            ),
        ),
        # at the end, one word is a nickname or a short name: no name of its own
        ("Serhii Anatoliyovych ZDRILIUK (a.k.a. Abwehr)", ("Serhii Anatoliyovych ZDRILIUK",)),
        ("PSB Bank (formerly. PROMSVYAZBANK)", ("PSB Bank",)),
        # an alias of several words is a name; "or" inside the brackets parts aliases
        (
            "Larisa Leonidovna AIRAPETYAN (a.k.a. Larysa AYRAPETYAN or Larisa AIRAPETYAN)",
            ("Larisa Leonidovna AIRAPETYAN", "Larysa AYRAPETYAN", "Larisa AIRAPETYAN"),
        ),
        ("PJSC KAMAZ alias KAMAZ PTC", ("PJSC KAMAZ", "KAMAZ PTC")),
        # "or" and "née" outside brackets: one word replaces the last
        (
            "Hojjat al-Eslam Ali Saidi or Saeedi",
            ("Hojjat al-Eslam Ali Saidi", "Hojjat al-Eslam Ali Saeedi"),
        ),
        (
            "Sardana Vladimirovna AVKSENTYEVA, née GOGOLEVA",
            ("Sardana Vladimirovna AVKSENTYEVA", "Sardana Vladimirovna GOGOLEVA"),
        ),
        # names of one word each, joined by a marker
        ("Kirsanova or Selyun", ("Kirsanova", "Selyun")),
        ("DOBROLET a.k.a. DOBROLYOT", ("DOBROLET", "DOBROLYOT")),
        # remarks and birth details are not names
        ("Ezatullah Haqqani (previously listed as)", ("Ezatullah Haqqani",)),
        ("Mohammad Ishaq Akhund born in 1963", ("Mohammad Ishaq Akhund",)),
        ("Elena Borisovna MIZULINA (born DMITRIYEVA)", ("Elena Borisovna MIZULINA",)),
        (
            "Safia Farkash Al-Hadad, born 1 Jan. 1953 (passport no 03825239)",
            ("Safia Farkash Al-Hadad",),
        ),
        # a given name alone is no name to screen
        ("Zeinab NEE. SUMA", ()),
        # nothing to split: no marker as a word
        ("YK-AKA", ()),
        ("ALIAS LLC", ()),
        ("AKA INTEGRAL SERVICES, S. DE R.L. DE C.V.", ()),
        ('JSC "MOSCOW RADIO ENGINEERING PLANT"', ()),
        ("Born Free Foundation", ()),
    ],
)
def test_inline_names(published: str, names: tuple[str, ...]) -> None:
    assert inline_names(published) == names


PUBLISHED = {
    "t:zdriliuk": "Serhii Anatoliyovych ZDRILIUK (a.k.a. Abwehr)",
    "t:hassan": "Jamil (a.k.a. Jameel) HASSAN",
    "t:avksentyeva": "Sardana Vladimirovna AVKSENTYEVA, née GOGOLEVA",
}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(
        [named(eid.removeprefix("t:"), name) for eid, name in PUBLISHED.items()],
        versions={"t": 1},
    )


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("Сергей Анатольевич ЗДРИЛЮК", "t:zdriliuk"),
        ("Jameel Hassan", "t:hassan"),
        ("Сардана Владимировна ГОГОЛЕВА", "t:avksentyeva"),
    ],
)
def test_a_name_written_inside_a_published_name_alerts(
    matcher: Matcher, query: str, entity: str
) -> None:
    r = matcher.match(Query(name=query, kind="person"))
    assert r.hits and r.hits[0].entity_id == entity and r.hits[0].alert, r.hits[:1]
    assert r.hits[0].matched_name == PUBLISHED[entity]  # the hit shows the name as published
