"""Accuracy and speed of stopship against the baselines, on identical queries and candidates.

For each query of ``benchmarks/out/eval.jsonl`` (built by build_eval.py when missing):
candidates = stopship's retrieved hits (``Matcher.match(q, threshold=0.0, limit=20)``) PLUS the
expected entities (injected, so every scorer sees the true match); every scorer scores the same
candidates. A query is recalled by a scorer when an expected entity scores at or above the
scorer's own alert threshold; a clean query is a false alarm when any candidate does.
The cross-script category runs against an index (and entities) WITHOUT non-Latin names.

Writes ``benchmarks/out/accuracy.json`` and prints Markdown tables.

    .venv/bin/python benchmarks/accuracy.py [--sample 2000] [--seed 20260901] [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from baselines import Scorer, make_scorers
from common import DEFAULT_HOME, DEFAULT_LISTS, OUT_DIR, ensure_store, is_latin, percentile

from stopship.match.model import Query, QueryResult
from stopship.model import Entity, EntityKind

CATEGORIES = ["exact", "variation", "obfuscation", "cross_script", "clean", "clean_real"]
#: categories of names that must not alert ("clean_real": Faker's tables of real companies)
CLEAN = frozenset({"clean", "clean_real"})
TARGETS = {"exact": 0.995, "variation": 0.98, "obfuscation": 1.0, "cross_script": 0.95}


def rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def to_query(q: dict[str, Any], ref: str) -> Query:
    kind = q.get("kind")
    return Query(
        name=q["name"],
        kind=EntityKind(kind) if kind else None,
        country=q.get("country"),
        birth_date=q.get("birth_date"),
        id=q.get("id"),
        ref=ref,
    )


def latin_only(e: Entity) -> Entity | None:
    names = tuple(n for n in e.names if is_latin(n.value))
    if not names:
        return None
    return e.model_copy(update={"names": names})


class StopshipPairs:
    """stopship's score for given (query, entity) pairs, also for entities its retrieval
    did not return (``Matcher.score_entities``); when that API is missing (an older
    stopship), an unretrieved candidate scores 0 and ``ok`` is False."""

    def __init__(self, matcher: Any) -> None:
        self.m = matcher
        self.ok = hasattr(matcher, "score_entities")
        self.error: str | None = None if self.ok else "Matcher.score_entities is missing"

    def score(self, q: Query, entity_ids: Sequence[str]) -> dict[str, float]:
        if not self.ok or not entity_ids:
            return {}
        try:
            return {h.entity_id: h.score for h in self.m.score_entities(q, entity_ids)}
        except Exception as exc:  # reported in the results (stopship_injected_scoring_error)
            self.ok, self.error = False, repr(exc)
            return {}


def load_eval(args: argparse.Namespace) -> list[dict[str, Any]]:
    path: Path = args.eval
    if args.rebuild_eval or not path.exists():
        import build_eval

        build_eval.main(
            [
                "--sample",
                str(args.sample),
                "--seed",
                str(args.seed),
                "--home",
                str(args.home),
                "--out",
                str(path),
            ]
        )
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    if args.max_per_category:
        rng = random.Random(args.seed)
        by: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by[r["category"]].append(r)
        rows = []
        for cat in CATEGORIES:
            rs = by.get(cat, [])
            rows.extend(
                rs if len(rs) <= args.max_per_category else rng.sample(rs, args.max_per_category)
            )
    return rows


def run(args: argparse.Namespace) -> dict[str, Any]:
    home = args.home.resolve()
    url = ensure_store(home, DEFAULT_LISTS)
    os.environ["STOPSHIP_HOME"] = str(home)  # the persisted index lives in the home
    os.environ.pop("STOPSHIP_DB_URL", None)
    from stopship.match import Matcher
    from stopship.store import Store

    rows = load_eval(args)
    store = Store(url)
    entities = {e.id: e for e in store.iter_entities()}
    versions = {v.source: v.id for v in store.current_versions()}

    # ------------------------------------------------------------- index build (time, memory)
    rss0 = rss_mb()
    t0 = time.perf_counter()
    matcher = Matcher.from_store(store, rebuild=True)
    build_s = time.perf_counter() - t0
    rss1 = rss_mb()
    t0 = time.perf_counter()
    Matcher.from_store(store)
    load_s = time.perf_counter() - t0
    latin_entities = {k: v for k, v in ((i, latin_only(e)) for i, e in entities.items()) if v}
    t0 = time.perf_counter()
    latin_matcher = Matcher.build(latin_entities.values(), versions)
    latin_build_s = time.perf_counter() - t0
    store.close()

    scorers: list[Scorer] = make_scorers(args.scorers)
    names = ["stopship", *[s.name for s in scorers]]
    thresholds = {"stopship": float(matcher.threshold), **{s.name: s.threshold for s in scorers}}
    pairs_time: dict[str, float] = defaultdict(float)
    pairs_count: dict[str, int] = defaultdict(int)

    recalled: dict[str, dict[str, int]] = {n: defaultdict(int) for n in [*names, "stopship_system"]}
    sub_recalled: dict[str, dict[str, int]] = {n: defaultdict(int) for n in names}
    other_alerts: dict[str, dict[str, int]] = {n: defaultdict(int) for n in names}
    totals: dict[str, int] = defaultdict(int)
    sub_totals: dict[str, int] = defaultdict(int)
    injected_needed: dict[str, int] = defaultdict(int)
    misses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    alarms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    errors: list[dict[str, Any]] = []
    pair_scorers: list[StopshipPairs] = []

    for cat in CATEGORIES:
        crow = [r for r in rows if r["category"] == cat]
        if not crow:
            continue
        cross = cat == "cross_script"
        m = latin_matcher if cross else matcher
        ents = latin_entities if cross else entities
        pairs = StopshipPairs(m)
        pair_scorers.append(pairs)
        queries = [to_query(r["query"], str(i)) for i, r in enumerate(crow)]
        t0 = time.perf_counter()
        results: list[QueryResult] = m.match_batch(queries, threshold=0.0, limit=args.limit)
        print(
            f"{cat}: {len(queries)} queries matched in {time.perf_counter() - t0:.1f}s",
            file=sys.stderr,
        )
        for r, q, res in zip(crow, queries, results, strict=True):
            sub = f"{cat}/{r['subcategory']}"
            totals[cat] += 1
            sub_totals[sub] += 1
            expected = set(r["expected"])
            if res.error:
                errors.append({"category": cat, "query": r["query"], "error": res.error})
            hit_scores = {h.entity_id: h.score for h in res.hits}
            injected = [e for e in sorted(expected) if e not in hit_scores]
            if expected and len(injected) == len(expected):
                injected_needed[cat] += 1
            stop_scores = dict(hit_scores)
            stop_scores.update({k: v for k, v in pairs.score(q, injected).items()})
            cand_ids = sorted(set(hit_scores) | {e for e in expected if e in ents})
            per: dict[str, dict[str, float]] = {
                "stopship": {c: stop_scores.get(c, 0.0) for c in cand_ids}
            }
            for s in scorers:
                sc: dict[str, float] = {}
                t1 = time.perf_counter()
                for c in cand_ids:
                    sc[c] = s.score(q, ents[c])
                pairs_time[s.name] += time.perf_counter() - t1
                pairs_count[s.name] += len(cand_ids)
                per[s.name] = sc
            # as a system: expected entity among stopship's own alerting hits
            sys_alert = {h.entity_id for h in res.hits if h.score >= matcher.threshold}
            if cat in CLEAN:
                if sys_alert:
                    recalled["stopship_system"][cat] += 1
            elif expected & sys_alert:
                recalled["stopship_system"][cat] += 1
            for n in names:
                thr = thresholds[n]
                alerting = {c for c, v in per[n].items() if v >= thr}
                if cat in CLEAN:
                    if alerting:
                        recalled[n][cat] += 1  # here: a false alarm
                        sub_recalled[n][sub] += 1
                        if n == "stopship" and len(alarms[cat]) < args.show:
                            best = max(sorted(alerting), key=lambda c: per[n][c])
                            alarms[cat].append(
                                {
                                    "query": r["query"]["name"],
                                    "entity": best,
                                    "score": per[n][best],
                                    "matched": next(
                                        h.matched_name for h in res.hits if h.entity_id == best
                                    ),
                                }
                            )
                    continue
                if alerting & expected:
                    recalled[n][cat] += 1
                    sub_recalled[n][sub] += 1
                elif n == "stopship" and len(misses[cat]) < args.show:
                    best = max(sorted(expected), key=lambda c: per[n].get(c, 0.0))
                    misses[cat].append(
                        {
                            "query": r["query"]["name"],
                            "source_name": r.get("source_name"),
                            "subcategory": r["subcategory"],
                            "expected": best,
                            "score": per[n].get(best, 0.0),
                            "retrieved": best in hit_scores,
                            "top": [(h.entity_id, h.matched_name, h.score) for h in res.hits[:3]],
                        }
                    )
                other_alerts[n][cat] += len(alerting - expected)
        if cross:
            for s in scorers:
                forget = getattr(s, "forget", None)
                if forget is not None:
                    forget()

    # ------------------------------------------------------------- speed of stopship itself
    # the names were all matched above: the matcher's per-query memos (Matcher.forget_queries)
    # are emptied so that the batch is not served from them (the normaliser's and the token
    # caches stay filled, as in every earlier run of this script)
    forget_queries = getattr(matcher, "forget_queries", None)
    if forget_queries is not None:
        forget_queries()
    speed_rows = [r for r in rows if r["category"] != "cross_script"]
    speed_queries = [to_query(r["query"], str(i)) for i, r in enumerate(speed_rows)]
    t0 = time.perf_counter()
    matcher.match_batch(speed_queries)
    batch_s = time.perf_counter() - t0
    rng = random.Random(args.seed)
    single = rng.sample(speed_queries, min(args.latency_queries, len(speed_queries)))
    lat: list[float] = []
    for q in single:
        t1 = time.perf_counter()
        matcher.match(q)
        lat.append((time.perf_counter() - t1) * 1000.0)

    # ------------------------------------------------------------- report
    accuracy: dict[str, Any] = {}
    for cat in CATEGORIES:
        if not totals[cat]:
            continue
        entry: dict[str, Any] = {"queries": totals[cat]}
        for n in [*names, "stopship_system"]:
            k = recalled[n][cat]
            if cat in CLEAN:
                entry[n] = {"false_alarms": k, "per_1000": round(1000.0 * k / totals[cat], 2)}
            else:
                entry[n] = {"recalled": k, "recall": round(k / totals[cat], 4)}
            if n in other_alerts:
                entry[n]["other_alerts_per_query"] = round(other_alerts[n][cat] / totals[cat], 3)
        if cat not in CLEAN:
            entry["expected_not_retrieved_by_stopship"] = injected_needed[cat]
        accuracy[cat] = entry
    subcats: dict[str, Any] = {}
    for sub in sorted(sub_totals):
        subcats[sub] = {"queries": sub_totals[sub]}
        for n in names:
            subcats[sub][n] = round(sub_recalled[n][sub] / sub_totals[sub], 4)
    speed: dict[str, Any] = {
        "index_build_s": round(build_s, 2),
        "index_load_s": round(load_s, 2),
        "latin_index_build_s": round(latin_build_s, 2),
        "rss_mb_before_build": round(rss0, 1),
        "rss_mb_after_build": round(rss1, 1),
        "stopship_batch": {
            "queries": len(speed_queries),
            "seconds": round(batch_s, 3),
            "names_per_s": round(len(speed_queries) / batch_s, 1),
        },
        "stopship_single": {
            "queries": len(lat),
            "p50_ms": round(percentile(lat, 50), 3),
            "p99_ms": round(percentile(lat, 99), 3),
            "names_per_s": round(len(lat) / (sum(lat) / 1000.0), 1),
        },
        "cpu_count": os.cpu_count(),
    }
    for s in scorers:
        t = pairs_time[s.name]
        speed[s.name] = {
            "pairs": pairs_count[s.name],
            "seconds": round(t, 2),
            "pairs_per_s": round(pairs_count[s.name] / t, 1) if t else None,
            "queries_per_s": round(len(rows) / t, 1) if t else None,
        }
    return {
        "eval": str(args.eval),
        "queries": len(rows),
        "list_versions": versions,
        "entities": len(entities),
        "candidate_limit": args.limit,
        "thresholds": thresholds,
        "versions": {s.name: s.version for s in scorers},
        "stopship_injected_scoring": all(p.ok for p in pair_scorers),
        "stopship_injected_scoring_error": next((p.error for p in pair_scorers if p.error), None),
        "accuracy": accuracy,
        "subcategories": subcats,
        "speed": speed,
        "errors": errors[: args.show],
        "error_count": len(errors),
        "stopship_misses": dict(misses),
        "stopship_false_alarms": dict(alarms),
    }


def markdown(res: dict[str, Any]) -> str:
    names = ["stopship_system", "stopship", *res["versions"].keys()]
    head = ["category", "queries", *[n.replace("_", " ") for n in names], "target"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for cat, entry in res["accuracy"].items():
        if cat in CLEAN:
            vals = [f"{entry[n]['per_1000']:.1f} /1000" for n in names]
            target = "≤ 1 /1000" if cat == "clean" else "(reported)"
        else:
            vals = [f"{entry[n]['recall']:.3f}" for n in names]
            target = f"≥ {TARGETS[cat]}"
        lines.append(f"| {cat} | {entry['queries']} | " + " | ".join(vals) + f" | {target} |")
    thr = ", ".join(f"{k} {v:.2f}" for k, v in res["thresholds"].items())
    lines.append("")
    lines.append(
        f"Alert thresholds: {thr}. Versions: "
        + "; ".join(f"{k}: {v}" for k, v in res["versions"].items())
    )
    sp = res["speed"]
    lines += [
        "",
        "| speed | value |",
        "|---|---|",
        f"| stopship index build (all lists) | {sp['index_build_s']} s, RSS "
        f"{sp['rss_mb_before_build']} → {sp['rss_mb_after_build']} MB |",
        f"| stopship index load (persisted) | {sp['index_load_s']} s |",
        f"| stopship batch (match_batch, {sp['stopship_batch']['queries']} names) | "
        f"{sp['stopship_batch']['names_per_s']} names/s |",
        f"| stopship single query ({sp['stopship_single']['queries']} names) | "
        f"p50 {sp['stopship_single']['p50_ms']} ms, p99 {sp['stopship_single']['p99_ms']} ms, "
        f"{sp['stopship_single']['names_per_s']} names/s |",
    ]
    for n in res["versions"]:
        s = sp[n]
        lines.append(
            f"| {n} scorer ({s['pairs']} pairs) | {s['pairs_per_s']} pairs/s "
            f"= {s['queries_per_s']} names/s |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sample", type=int, default=2000, help="build_eval.py sample")
    ap.add_argument("--seed", type=int, default=20260901, help="random seed (default 20260901)")
    ap.add_argument(
        "--home",
        type=Path,
        default=DEFAULT_HOME,
        help="STOPSHIP_HOME with the store (default benchmarks/out/home)",
    )
    ap.add_argument("--eval", type=Path, default=OUT_DIR / "eval.jsonl", help="evaluation JSONL")
    ap.add_argument("--rebuild-eval", action="store_true", help="rebuild the evaluation first")
    ap.add_argument(
        "--max-per-category",
        type=int,
        default=None,
        help="subsample each category to at most N queries (quick runs)",
    )
    ap.add_argument(
        "--scorers",
        default="logic-v2,logic-v1,rapidfuzz",
        help="baselines to run (comma-separated)",
    )
    ap.add_argument("--limit", type=int, default=20, help="stopship candidates per query")
    ap.add_argument(
        "--latency-queries", type=int, default=2000, help="single queries timed for p50/p99"
    )
    ap.add_argument("--show", type=int, default=50, help="misses/false alarms kept in the JSON")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "accuracy.json", help="results JSON")
    args = ap.parse_args(argv)
    args.scorers = [s.strip() for s in args.scorers.split(",") if s.strip()]
    res = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    print(markdown(res))
    print(f"\nresults: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
