"""Token-frequency weights from the loaded list names: rare tokens count more."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from stopship.normalize.name import NormalizedName, Token

# typed tokens never weigh more than this, however rare they are in the lists
TYPED_CAP: Mapping[str, float] = {"legal_form": 0.1, "honorific": 0.1, "generic": 0.3}
MIN_WEIGHT = 0.01
FORMAT = "stopship.token_stats/1"


class TokenStats:
    """Document frequency of each token text over a collection of names.

    ``weight(token)`` is a smoothed inverse document frequency scaled to (0, 1]:
    ``log((N + 1) / (df + 0.5)) / log((N + 1) / 0.5)``, so a token seen in no name (or
    in one name) is close to 1 and a token in every name is near 0 (clamped at
    ``MIN_WEIGHT``). Legal forms, honorifics and generic words are also capped
    (``TYPED_CAP``), so "LLC", "Mr" or "Trading" never carry a match.
    """

    def __init__(self, df: Mapping[str, int] | None = None, n_docs: int = 0) -> None:
        self.df: dict[str, int] = dict(df or {})
        self.n_docs = n_docs
        self._norm = math.log((n_docs + 1) / 0.5)

    @classmethod
    def build(cls, names: Iterable[NormalizedName]) -> TokenStats:
        df: Counter[str] = Counter()
        n = 0
        for name in names:
            n += 1
            texts: set[str] = {t.text for t in name.tokens}
            for variant in name.variants[1:]:
                texts.update(variant)
            df.update(texts)
        return cls(df, n)

    def doc_freq(self, text: str) -> int:
        return self.df.get(text, 0)

    def weight(self, token: Token | str) -> float:
        """A weight in (0, 1]: rare tokens near 1, tokens in most names near 0."""
        text = token if isinstance(token, str) else token.text
        df = self.df.get(text, 0)
        if self.n_docs <= 0:
            w = 1.0
        else:
            w = math.log((self.n_docs + 1) / (df + 0.5)) / self._norm
            w = min(1.0, max(MIN_WEIGHT, w))
        if isinstance(token, Token) and token.kind in TYPED_CAP:
            w = min(w, TYPED_CAP[token.kind])
        return w

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "n_docs": self.n_docs, "df": dict(sorted(self.df.items()))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TokenStats:
        if data.get("format") != FORMAT:
            raise ValueError(f"not token statistics of format {FORMAT}: {data.get('format')!r}")
        df = data.get("df", {})
        n = data.get("n_docs", 0)
        if not isinstance(df, dict) or not isinstance(n, int):
            raise ValueError("token statistics: 'df' must be an object, 'n_docs' an integer")
        return cls({str(k): int(v) for k, v in df.items()}, n)
