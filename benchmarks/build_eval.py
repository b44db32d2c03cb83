"""Build the accuracy evaluation set from the real lists (deterministic, nobody tunes it).

Writes ``benchmarks/out/eval.jsonl`` (one query per line) and ``benchmarks/out/eval_meta.json``.
See docs/benchmarks-method.md for the method.

    .venv/bin/python benchmarks/build_eval.py [--sample 2000] [--seed 20260901] [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import (
    DEFAULT_HOME,
    DEFAULT_LISTS,
    OUT_DIR,
    ensure_store,
    has_non_latin,
    is_latin,
    latin_key,
    latin_letters,
    norm_key,
)

from stopship.model import Entity, EntityKind, NameType
from stopship.store import Store

# ----------------------------------------------------------------------------- vocabularies

LEGAL_FORMS = {
    "llc", "ooo", "jsc", "ao", "pao", "zao", "oao", "pjsc", "cjsc", "ojsc", "ltd", "limited",
    "inc", "corp", "corporation", "co", "gmbh", "ag", "sa", "srl", "plc", "llp", "fze", "fzco",
    "bv", "nv", "spa", "sas", "kg", "tov", "too", "sarl", "bhd", "pte", "ooo.", "aps", "ab",
}  # fmt: skip
ADDED_LEGAL_FORMS: list[tuple[str, bool]] = [  # (form, prefix?)
    ("LLC", False), ("LTD", False), ("JSC", False), ("OOO", True), ("GmbH", False),
    ("Inc.", False), ("AO", True), ("Co., Ltd.", False),
]  # fmt: skip
HONORIFICS = ["Mr", "Mr.", "Dr", "Dr.", "Haji"]
DIACRITICS = {
    "e": "éèë", "a": "áàä", "o": "óöô", "u": "üú", "i": "íï", "c": "ç", "n": "ñ",
    "s": "š", "z": "ž", "y": "ý",
}  # fmt: skip
HOMOGLYPHS = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у",  # Cyrillic
    "A": "АΑ", "B": "ВΒ", "E": "ЕΕ", "O": "ОΟ", "P": "РΡ", "C": "С", "X": "ХΧ",
    "H": "НΗ", "K": "КΚ", "M": "МΜ", "T": "ТΤ", "Y": "ΥУ",  # Cyrillic / Greek capitals
}  # fmt: skip
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"]

VARIATIONS = [
    "typo", "token_swap", "legal_form", "honorific", "initials", "spacing_punct", "diacritics",
]  # fmt: skip
OBFUSCATIONS = ["homoglyph", "zero_width", "mixed"]
CLEAN_LOCALES = ["ru_RU", "uk_UA", "fa_IR", "ar_AA", "zh_CN", "en_US", "de_DE"]
NON_LATIN_SCRIPTS = {
    "Cyrl",
    "Arab",
    "Hani",
    "Hans",
    "Hant",
    "Hang",
    "Kore",
    "Jpan",
    "Grek",
    "Hebr",
    "Geor",
    "Armn",
    "Thai",
    "Deva",
    "Ethi",
    "Mong",
    "Tibt",
    "Beng",
}


#: words of spelled-out legal forms ("joint stock company", "limited liability company", ...)
LEGAL_FORM_WORDS = LEGAL_FORMS | {
    "joint",
    "stock",
    "company",
    "liability",
    "public",
    "closed",
    "open",
}


#: identifier types that name one party: shared across lists, they link its entries. Lists
#: file one number under different types (a Belarusian UNP is a "registration" number in
#: one list and a "tax_id" in another), so values are compared across these types.
LINKING_ID_TYPES = frozenset(
    {
        "inn", "ogrn", "okpo", "imo", "lei", "bic", "tax_id", "passport", "national_id",
        "registration",
    }
)  # fmt: skip


def _id_value(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def link_by_identifiers(entities: Sequence[Entity]) -> dict[str, frozenset[str]]:
    """The same party's entries in different lists, linked by a shared strong identifier.

    Two entities of the same kind are linked when they carry the same value (letters and
    digits only, at least 8 of them — 7 for an IMO number —, at least one digit) of any of
    ``LINKING_ID_TYPES``, and
    no source holds two entities with that value (a value shared inside one list is a
    group's or a family's, not one party's). Links are transitive. Returns, for every linked
    entity, its whole group (itself included); unlinked entities are absent.
    """
    holders: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for e in entities:
        for ident in e.identifiers:
            if ident.type.value not in LINKING_ID_TYPES:
                continue
            v = _id_value(ident.value)
            if ident.type.value == "imo":  # "IMO 9123456"
                v = "".join(ch for ch in v if ch.isdigit())
            if len(v) < (7 if ident.type.value == "imo" else 8):
                continue
            if not any(ch.isdigit() for ch in v):
                continue
            holders[(e.kind.value, v)].append(e)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for group in holders.values():
        ids = sorted({e.id for e in group})
        sources = [i.split(":", 1)[0] for i in ids]
        if len(ids) < 2 or len(set(sources)) != len(sources):
            continue
        for x in ids:
            parent.setdefault(x, x)
        root = find(ids[0])
        for other in ids[1:]:
            r = find(other)
            if r != root:
                parent[r] = root
    groups: dict[str, set[str]] = defaultdict(set)
    for x in list(parent):
        groups[find(x)].add(x)
    out: dict[str, frozenset[str]] = {}
    for members in groups.values():
        fm = frozenset(members)
        for m in fm:
            out[m] = fm
    return out


#: Faker tables of real companies, not generated names: Russia's largest companies (the
#: RBC 500, with Gazprom, LUKOIL, Rosneft, Sberbank) and Tehran-listed Iranian companies.
#: Some are designated under another script's spelling, which no independent check here can
#: tell, so they form their own category ("clean_real"), reported beside the clean names.
REAL_COMPANY_TABLES = {"ru_RU": "large_companies", "fa_IR": "company_names"}


def real_company_names(fake: Any, locale: str) -> frozenset[str]:
    """The names in ``locale``'s Faker table of real companies (empty when it has none)."""
    attr = REAL_COMPANY_TABLES.get(locale)
    if attr is None:
        return frozenset()
    for provider in fake.providers:
        table = getattr(provider, attr, None)
        if table:
            return frozenset(" ".join(str(x).split()) for x in table)
    raise RuntimeError(f"Faker {locale} has no {attr} table: update REAL_COMPANY_TABLES")


def without_legal_forms(key: frozenset[str]) -> frozenset[str]:
    """The token set without legal-form words (unchanged when nothing else is left)."""
    rest = key - LEGAL_FORM_WORDS
    return rest if rest else key


@dataclass(frozen=True, slots=True)
class Source:
    entity_id: str
    kind: EntityKind
    name: str


def query_kind(kind: EntityKind) -> str | None:
    return None if kind is EntityKind.UNKNOWN else kind.value


# ----------------------------------------------------------------------------- variations


def _letter_positions(token: str) -> list[int]:
    return [i for i, ch in enumerate(token) if ch.isalpha()]


def _long_tokens(tokens: Sequence[str]) -> list[int]:
    return [i for i, t in enumerate(tokens) if len(_letter_positions(t)) >= 5]


def var_typo(s: Source, rng: random.Random) -> tuple[str, str] | None:
    tokens = s.name.split(" ")
    cands = _long_tokens(tokens)
    if not cands:
        return None
    ti = rng.choice(cands)
    tok = tokens[ti]
    pos = _letter_positions(tok)
    upper = sum(tok[i].isupper() for i in pos) > len(pos) / 2
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if upper else "abcdefghijklmnopqrstuvwxyz"
    op = rng.choice(["insert", "delete", "substitute", "transpose"])
    i = rng.choice(pos[1:-1]) if len(pos) > 2 else pos[0]
    if op == "insert":
        new = tok[:i] + rng.choice(alphabet) + tok[i:]
    elif op == "delete":
        new = tok[:i] + tok[i + 1 :]
    elif op == "substitute":
        choices = [c for c in alphabet if c.casefold() != tok[i].casefold()]
        new = tok[:i] + rng.choice(choices) + tok[i + 1 :]
    else:
        j = i + 1
        if j >= len(tok) or not tok[j].isalpha() or tok[i] == tok[j]:
            # transpose with the previous letter instead, or give up on equal letters
            j = i - 1
            if j < 0 or not tok[j].isalpha() or tok[i] == tok[j]:
                return None
            i, j = j, i
        new = tok[:i] + tok[j] + tok[i] + tok[j + 1 :]
    tokens[ti] = new
    return " ".join(tokens), f"typo:{op}"


def var_token_swap(s: Source, rng: random.Random) -> tuple[str, str] | None:
    tokens = [t for t in s.name.replace(",", " ").split() if t]
    if len(tokens) < 2:
        return None
    i, j = sorted(rng.sample(range(len(tokens)), 2))
    tokens[i], tokens[j] = tokens[j], tokens[i]
    out = " ".join(tokens)
    if out.casefold() == " ".join(s.name.replace(",", " ").split()).casefold():
        return None  # repeated tokens: the swap changed nothing
    return out, "token_swap"


def _strip_punct(tok: str) -> str:
    return "".join(ch for ch in tok if ch.isalnum()).casefold()


def var_legal_form(s: Source, rng: random.Random) -> tuple[str, str] | None:
    if s.kind is not EntityKind.ORGANIZATION:
        return None
    tokens = s.name.split()
    present = [i for i, t in enumerate(tokens) if _strip_punct(t) in LEGAL_FORMS]
    if present and len(tokens) - 1 >= 1:
        i = rng.choice(present)
        rest = tokens[:i] + tokens[i + 1 :]
        out = " ".join(rest).strip(" ,;-")
        if not norm_key(out):
            return None
        return out, "legal_form:dropped"
    form, prefix = rng.choice(ADDED_LEGAL_FORMS)
    out = f"{form} {s.name}" if prefix else f"{s.name} {form}"
    return out, "legal_form:added"


def var_honorific(s: Source, rng: random.Random) -> tuple[str, str] | None:
    if s.kind is not EntityKind.PERSON:
        return None
    return f"{rng.choice(HONORIFICS)} {s.name}", "honorific"


def var_initials(s: Source, rng: random.Random) -> tuple[str, str] | None:
    if s.kind is not EntityKind.PERSON:
        return None
    if len([t for t in s.name.replace(",", " ").split() if t]) < 3:
        return None
    if "," in s.name:
        surname, _, given = s.name.partition(",")
        gt = given.split()
        if not gt or len(gt[0]) < 2 or not gt[0][0].isalpha():
            return None
        gt[0] = gt[0][0] + "."
        return f"{surname}, {' '.join(gt)}", "initials"
    tokens = s.name.split()
    if len(tokens[0]) < 2 or not tokens[0][0].isalpha():
        return None
    tokens[0] = tokens[0][0] + "."
    return " ".join(tokens), "initials"


def var_spacing_punct(s: Source, rng: random.Random) -> tuple[str, str] | None:
    tokens = s.name.split()
    ops: list[str] = ["double_space", "dots"]
    if len(tokens) >= 2:
        ops += ["hyphen", "comma"]
    if any(ch in s.name for ch in "-.,'\""):
        ops.append("strip_punct")
    op = rng.choice(ops)
    if op == "double_space":
        out = "  ".join(tokens) if len(tokens) > 1 else f" {s.name}  "
    elif op == "dots":
        i = rng.randrange(len(tokens))
        tokens[i] = ".".join(tokens[i]) if len(tokens[i]) <= 4 else tokens[i] + "."
        out = " ".join(tokens)
    elif op == "hyphen":
        i = rng.randrange(len(tokens) - 1)
        out = " ".join([*tokens[:i], tokens[i] + "-" + tokens[i + 1], *tokens[i + 2 :]])
    elif op == "comma":
        i = rng.randrange(len(tokens) - 1)
        tokens[i] = tokens[i].rstrip(",") + ","
        out = " ".join(tokens)
    else:
        out = " ".join("".join(ch if ch not in "-.,'\"" else " " for ch in s.name).split())
    if out == s.name:
        return None
    return out, f"spacing_punct:{op}"


def var_diacritics(s: Source, rng: random.Random) -> tuple[str, str] | None:
    pos = [i for i, ch in enumerate(s.name) if ch.lower() in DIACRITICS]
    if not pos:
        return None
    chars = list(s.name)
    for i in rng.sample(pos, min(len(pos), rng.choice([1, 2]))):
        ch = chars[i]
        rep = rng.choice(DIACRITICS[ch.lower()])
        chars[i] = rep.upper() if ch.isupper() else rep
    return "".join(chars), "diacritics"


VARIATION_FUNCS: dict[str, Callable[[Source, random.Random], tuple[str, str] | None]] = {
    "typo": var_typo,
    "token_swap": var_token_swap,
    "legal_form": var_legal_form,
    "honorific": var_honorific,
    "initials": var_initials,
    "spacing_punct": var_spacing_punct,
    "diacritics": var_diacritics,
}


def obf_homoglyph(name: str, rng: random.Random) -> str | None:
    pos = [i for i, ch in enumerate(name) if ch in HOMOGLYPHS]
    if not pos:
        return None
    chosen = [i for i in pos if rng.random() < 0.5] or [rng.choice(pos)]
    chars = list(name)
    for i in chosen:
        chars[i] = rng.choice(HOMOGLYPHS[chars[i]])
    return "".join(chars)


def obf_zero_width(name: str, rng: random.Random) -> str | None:
    inner = [i for i in range(1, len(name)) if name[i - 1].isalpha() and name[i].isalpha()]
    if not inner:
        return None
    chars = list(name)
    for i in sorted(rng.sample(inner, min(len(inner), rng.randint(1, 3))), reverse=True):
        chars.insert(i, rng.choice(ZERO_WIDTH))
    return "".join(chars)


# ----------------------------------------------------------------------------- building


def row(category: str, sub: str, name: str, kind: str | None, expected: Sequence[str],
        source: Source | None) -> dict[str, Any]:  # fmt: skip
    q: dict[str, Any] = {"name": name}
    if kind:
        q["kind"] = kind
    out: dict[str, Any] = {
        "category": category,
        "subcategory": sub,
        "query": q,
        "expected": sorted(expected),
    }
    if source is not None:
        out["source_entity"] = source.entity_id
        out["source_name"] = source.name
    return out


def build(
    entities: list[Entity],
    sample: int,
    seed: int,
    clean_persons: int,
    clean_companies: int,
    cross_max: int | None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    by_key: dict[frozenset[str], set[str]] = defaultdict(set)
    latin_keys: set[frozenset[str]] = set()
    org_keys: set[frozenset[str]] = set()  # non-person names without legal-form words
    pool: list[Source] = []
    has_latin: dict[str, bool] = {}
    for e in entities:
        has_latin[e.id] = any(is_latin(n.value) for n in e.names)
        for n in e.names:
            k = norm_key(n.value)
            if not k:
                continue
            by_key[k].add(e.id)
            latin_keys.add(latin_key(n.value))
            if e.kind is not EntityKind.PERSON:
                org_keys.add(without_legal_forms(latin_key(n.value)))
            if n.type in (NameType.PRIMARY, NameType.STRONG_ALIAS) and is_latin(n.value):
                pool.append(Source(e.id, e.kind, " ".join(n.value.split())))
    # dedupe the pool on (entity, name)
    pool = sorted(set(pool), key=lambda s: (s.entity_id, s.name))
    links = link_by_identifiers(entities)
    letter_keys = {latin_letters(n.value) for e in entities for n in e.names}
    letter_keys = {lk for lk in letter_keys if len(lk) >= 6}

    def widen(ids: set[str]) -> set[str]:
        """The entities and every entry linked to them in another list."""
        out = set(ids)
        for i in ids:
            out |= links.get(i, frozenset())
        return out

    def expected_for(name: str) -> list[str]:
        return sorted(widen(by_key.get(norm_key(name), set())))

    rows: list[dict[str, Any]] = []
    stats: dict[str, Any] = {
        "pool_latin_names": len(pool),
        "linked_entities": len(links),
        "linked_groups": len(set(links.values())),
    }

    # (a) exact
    rng = random.Random(seed)
    for s in rng.sample(pool, min(sample, len(pool))):
        rows.append(row("exact", "exact", s.name, query_kind(s.kind), expected_for(s.name), s))

    # (b) variation: sample // len(VARIATIONS) per type, each from the names it applies to
    rng = random.Random(seed + 1)
    per = sample // len(VARIATIONS)
    var_counts: Counter[str] = Counter()
    for vname in VARIATIONS:
        func = VARIATION_FUNCS[vname]
        order = pool[:]
        rng.shuffle(order)
        made = 0
        for s in order:
            if made >= per:
                break
            res = func(s, rng)
            if res is None:
                continue
            out, sub = res
            if out == s.name:
                continue
            rows.append(row("variation", sub, out, query_kind(s.kind), expected_for(s.name), s))
            var_counts[vname] += 1
            made += 1
    stats["variation_counts"] = dict(var_counts)

    # (c) obfuscation: homoglyph / zero_width / mixed, evenly
    rng = random.Random(seed + 2)
    per = sample // len(OBFUSCATIONS)
    obf_counts: Counter[str] = Counter()
    for oname in OBFUSCATIONS:
        order = pool[:]
        rng.shuffle(order)
        made = 0
        for s in order:
            if made >= per:
                break
            obf: str | None
            if oname == "homoglyph":
                obf = obf_homoglyph(s.name, rng)
            elif oname == "zero_width":
                obf = obf_zero_width(s.name, rng)
            else:
                h = obf_homoglyph(s.name, rng)
                obf = obf_zero_width(h, rng) if h is not None else None
            if obf is None or obf == s.name:
                continue
            rows.append(row("obfuscation", oname, obf, query_kind(s.kind),
                            expected_for(s.name), s))  # fmt: skip
            obf_counts[oname] += 1
            made += 1
    stats["obfuscation_counts"] = dict(obf_counts)

    # (d) cross-script: every original-script name of an entity that also has a Latin name
    seen: set[tuple[str, frozenset[str]]] = set()
    cross: list[dict[str, Any]] = []
    cross_entities: set[str] = set()
    for e in entities:
        if not has_latin[e.id]:
            continue
        for n in e.names:
            original = n.type is NameType.ORIGINAL_SCRIPT or n.script in NON_LATIN_SCRIPTS
            if not original or not has_non_latin(n.value):
                continue
            k = norm_key(n.value)
            if not k or (e.id, k) in seen:
                continue
            seen.add((e.id, k))
            exp = sorted(i for i in widen(by_key[k]) if has_latin[i])
            name = " ".join(n.value.split())
            cross.append(row("cross_script", n.script, name, query_kind(e.kind), exp,
                             Source(e.id, e.kind, name)))  # fmt: skip
    # the same original-script name on several entities (duplicates across lists) is queried once
    dedup: dict[frozenset[str], dict[str, Any]] = {}
    for r in cross:
        dedup.setdefault(norm_key(r["query"]["name"]), r)
    cross = list(dedup.values())
    if cross_max is not None and len(cross) > cross_max:
        cross = random.Random(seed + 3).sample(cross, cross_max)
        cross.sort(key=lambda r: (r["source_entity"], r["query"]["name"]))
    for r in cross:
        cross_entities.update(r["expected"])
    rows.extend(cross)
    stats["cross_script_queries"] = len(cross)
    stats["cross_script_scripts"] = dict(Counter(r["subcategory"] for r in cross))

    # (e) clean names from Faker, minus any that are truly listed
    from faker import Faker

    dropped: list[dict[str, str]] = []
    clean_counts: dict[str, dict[str, int]] = {}
    for li, loc in enumerate(CLEAN_LOCALES):
        fake = Faker(loc)
        fake.seed_instance(seed + 100 + li)
        real = real_company_names(fake, loc)
        counts = {"person": 0, "organization": 0, "dropped": 0, "real_company": 0}
        for kind, want, gen in (
            ("person", clean_persons, fake.name),
            ("organization", clean_companies, fake.company),
        ):
            names: set[str] = set()
            attempts = 0
            while len(names) < want and attempts < want * 30:
                attempts += 1
                nm = " ".join(str(gen()).split())
                if nm in names:
                    continue
                lk = latin_key(nm)
                listed = lk in latin_keys or norm_key(nm) in by_key
                listed = listed or latin_letters(nm) in letter_keys
                if kind == "organization" and without_legal_forms(lk) in org_keys:
                    listed = True
                if listed:
                    if not any(d["name"] == nm for d in dropped):
                        dropped.append({"locale": loc, "kind": kind, "name": nm})
                        counts["dropped"] += 1
                    continue
                names.add(nm)
            for nm in sorted(names):
                if nm in real:
                    rows.append(row("clean_real", loc, nm, kind, [], None))
                    counts["real_company"] += 1
                else:
                    rows.append(row("clean", loc, nm, kind, [], None))
            counts[kind] = len(names)
        clean_counts[loc] = counts
    stats["clean_counts"] = clean_counts
    stats["clean_dropped"] = dropped
    stats["cross_script_entity_ids"] = sorted(cross_entities)
    return rows, stats


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--sample",
        type=int,
        default=2000,
        help="list names per category exact/variation/obfuscation (default 2000)",
    )
    ap.add_argument("--seed", type=int, default=20260901, help="random seed (default 20260901)")
    ap.add_argument(
        "--home",
        type=Path,
        default=DEFAULT_HOME,
        help="STOPSHIP_HOME holding the store (default benchmarks/out/home); "
        "loaded from --lists when empty",
    )
    ap.add_argument("--lists", type=Path, default=DEFAULT_LISTS, help="list files folder")
    ap.add_argument("--clean-persons", type=int, default=300, help="Faker persons per locale")
    ap.add_argument("--clean-companies", type=int, default=150, help="Faker companies per locale")
    ap.add_argument(
        "--cross-max", type=int, default=None, help="cap on cross-script queries (default: all)"
    )
    ap.add_argument("--out", type=Path, default=OUT_DIR / "eval.jsonl", help="output JSONL")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    url = ensure_store(args.home.resolve(), args.lists)
    store = Store(url)
    entities = list(store.iter_entities())
    versions = {v.source: v.id for v in store.current_versions()}
    store.close()
    rows, stats = build(entities, args.sample, args.seed, args.clean_persons,
                        args.clean_companies, args.cross_max)  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    by_cat = Counter(r["category"] for r in rows)
    meta = {
        "seed": args.seed,
        "sample": args.sample,
        "store": url,
        "list_versions": versions,
        "entities": len(entities),
        "rows": dict(by_cat),
        **stats,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    meta_path = args.out.with_name(args.out.stem + "_meta.json")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {len(rows)} queries to {args.out} ({dict(by_cat)}); meta in {meta_path}")
    print(f"clean names dropped as listed: {len(stats['clean_dropped'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
