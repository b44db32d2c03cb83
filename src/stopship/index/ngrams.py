"""Character n-gram TF-IDF vectors: candidate retrieval that finds fuzzy-close names
even when they share no exact token ("alabuga" ~ "alabugga" ~ "alabouga")."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

N = 3


def grams(tokens: Sequence[str]) -> list[str]:
    """Padded character trigrams of each token, plus a whole-name skeleton without
    spaces so that split or merged tokens ("alabuga" vs "ala buga") still meet."""
    out: list[str] = []
    for t in tokens:
        p = f" {t} "
        if len(p) <= N:
            out.append(p)
            continue
        out.extend(p[i : i + N] for i in range(len(p) - N + 1))
    joined = "".join(tokens)
    if len(tokens) > 1 and len(joined) >= N:
        out.extend("#" + joined[i : i + N - 1] for i in range(len(joined) - N + 2))
    return out


class GramVocabulary:
    """Gram -> column, with inverse document frequencies over the indexed rows."""

    def __init__(self, vocab: dict[str, int], idf: NDArray[np.float32]) -> None:
        self.vocab = vocab
        self.idf = idf

    @classmethod
    def fit(cls, rows: Iterable[list[str]]) -> tuple[GramVocabulary, sparse.csr_matrix]:
        vocab: dict[str, int] = {}
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        n_rows = 0
        for gs in rows:
            counts: dict[int, int] = {}
            for g in gs:
                col = vocab.setdefault(g, len(vocab))
                counts[col] = counts.get(col, 0) + 1
            indices.extend(counts)
            data.extend(float(c) for c in counts.values())
            indptr.append(len(indices))
            n_rows += 1
        mat = sparse.csr_matrix(
            (
                np.asarray(data, dtype=np.float32),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(n_rows, max(len(vocab), 1)),
        )
        df = np.bincount(mat.indices, minlength=mat.shape[1]).astype(np.float64)
        idf = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
        voc = cls(vocab, idf.astype(np.float32))
        return voc, voc._weigh(mat)

    def _weigh(self, mat: sparse.csr_matrix) -> sparse.csr_matrix:
        mat = mat.multiply(self.idf[np.newaxis, :]).tocsr()
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        inv = sparse.diags((1.0 / norms).astype(np.float32))
        out: sparse.csr_matrix = (inv @ mat).tocsr().astype(np.float32)
        return out

    def transform(self, rows: Sequence[list[str]]) -> sparse.csr_matrix:
        """Vectors for query gram lists (unknown grams are ignored)."""
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for gs in rows:
            counts: dict[int, float] = {}
            for g in gs:
                col = self.vocab.get(g)
                if col is not None:
                    counts[col] = counts.get(col, 0.0) + 1.0
            for col, c in counts.items():
                indices.append(col)
                data.append(c * float(self.idf[col]))
            indptr.append(len(indices))
        mat = sparse.csr_matrix(
            (
                np.asarray(data, dtype=np.float32),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(rows), max(len(self.vocab), 1)),
        )
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        out: sparse.csr_matrix = (sparse.diags((1.0 / norms).astype(np.float32)) @ mat).tocsr()
        return out


def top_k(sims: sparse.csr_matrix, k: int, floor: float) -> list[list[tuple[int, float]]]:
    """Per row of a (queries x names) similarity matrix, the k best (name, sim) >= floor."""
    out: list[list[tuple[int, float]]] = []
    for r in range(sims.shape[0]):
        start, end = sims.indptr[r], sims.indptr[r + 1]
        cols = sims.indices[start:end]
        vals = sims.data[start:end]
        keep = vals >= floor
        cols, vals = cols[keep], vals[keep]
        if len(vals) > k:
            part = np.argpartition(-vals, k)[:k]
            cols, vals = cols[part], vals[part]
        order = np.argsort(-vals, kind="stable")
        out.append([(int(cols[i]), float(vals[i])) for i in order])
    return out


def idf_cap(n_rows: int, max_share: float = 0.02) -> float:
    """Document-frequency above which a gram is too common to retrieve by."""
    return math.log((1.0 + n_rows) / (1.0 + max_share * n_rows)) + 1.0
