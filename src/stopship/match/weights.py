"""The published weights and thresholds of the scorer (see docs/matching.md).

A hit's score is its name similarity (in [0, 1]) plus the signed contributions of the
secondary features below, clipped to [0, 1]. An identifier match lifts the score to at
least ``IDENTIFIER_FLOOR``.
"""

from __future__ import annotations

#: default alert threshold
ALERT_THRESHOLD = 0.80
#: hits below this are not returned at all
REPORT_FLOOR = 0.50

#: a query token and a list token count as the same when their similarity reaches this
TOKEN_MATCH_MIN = 0.78
#: similarity credited to tokens that are the same under the light phonetic key
#: ("aleksandr" / "alexandr"); partial phonetic matches are scaled by it
PHONETIC_SIMILARITY = 0.92
#: two tokens that mean one word of the organisation glossary, in two languages or as two
#: of its usual translations ("zavod"/"plant", "fund"/"foundation")
TRANSLATION_SIMILARITY = 0.9
#: taken off the similarity of tokens that differ in their first letter
FIRST_LETTER_PENALTY = 0.07
#: similarities below this are stretched down (x1.5 the shortfall)
WEAK_TOKEN_SIMILARITY = 0.85
#: a consonant-skeleton match needs this many matched skeleton letters to count fully
#: (7 before the long-vowel check of match.long_vowels: 5 with it raised Arabic-script
#: recall 0.31 -> 0.43 for one more false alarm in 2,969 clean names); one less when every
#: word of both names is paired. Letters are the consonants both names write (generic
#: words such as "group" do not count)
SKELETON_MIN_LETTERS = 5
#: ... where a long vowel the Arabic-script word writes (ا, و, ي) is written at the same
#: place by the Latin spelling, it counts as this share of a letter
SKELETON_VOWEL_LETTER = 0.5
#: tokens this short or shorter must match exactly (no typo tolerance)
EXACT_ONLY_LEN = 3
#: similarity credited to an initial ("t") against a token it starts ("timur")
INITIAL_SIMILARITY = 0.9
#: weight share of an initial relative to the token it stands for
INITIAL_WEIGHT = 0.5
#: weight share of an unmatched patronymic ("nailevich") on the list side
PATRONYMIC_WEIGHT = 0.25
#: weight share of an unmatched short token (an acronym such as "ppt") in a company name
ACRONYM_MAX_LEN = 3
ACRONYM_WEIGHT = 0.4
#: weight share of a function word ("of", "the"), matched or not
FUNCTION_WORD_WEIGHT = 0.1
#: weight share of generic business words ("trading", "group") relative to names
GENERIC_WEIGHT = 0.35
#: minimum length of the space-free name for a fuzzy compact (spacing-proof) similarity
COMPACT_MIN_LEN = 9
#: a consonant-skeleton match (Arabic-script name vs Latin spelling) counts this much
SKELETON_DISCOUNT = 0.9

#: secondary features: name -> (bonus when they agree, penalty when they conflict)
WEIGHTS: dict[str, tuple[float, float]] = {
    "kind": (0.0, -0.20),  # person vs organization, vessel vs person, ...
    "legal_form": (0.02, -0.06),  # LLC vs JSC; a legal form against a person
    "birth_date": (0.05, -0.20),  # query birth date inside / outside the listed dates
    "country": (0.03, -0.05),  # query country among / not among the entity's countries
}
IDENTIFIER_FLOOR = 0.98
