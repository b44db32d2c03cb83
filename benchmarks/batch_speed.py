"""Batch matching speed of one code tree, per CPU-second of its process.

Loads the matcher from a store (``Matcher.from_store``; the persisted index of that home is
used or built), matches 200 names to warm up, then the rest of the evaluation's
non-cross-script names twice: "cold" is the first sight of those names (normalisation and
token similarities computed), "warm" the repeat (caches filled). Prints JSON.

To compare two versions whose results differ (``benchmarks/throughput_identity.py`` needs
identical results), run it alternately on each tree, each with its own copy of the store
(the persisted index is keyed by the code, so two trees sharing one home rebuild it in
turn):

    PYTHONPATH=/path/to/other/tree/src .venv/bin/python benchmarks/batch_speed.py \\
        --home /tmp/home-other --eval benchmarks/out/eval2.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, required=True, help="a STOPSHIP_HOME with stopship.db")
    ap.add_argument("--eval", type=Path, required=True, help="evaluation JSONL (build_eval.py)")
    ap.add_argument("--warmup", type=int, default=200, help="names matched before timing")
    args = ap.parse_args()
    os.environ["STOPSHIP_HOME"] = str(args.home)
    os.environ.pop("STOPSHIP_DB_URL", None)
    from accuracy import to_query

    from stopship.match import Matcher
    from stopship.store import Store

    rows = [json.loads(line) for line in args.eval.open(encoding="utf-8") if line.strip()]
    plain = (r for r in rows if r["category"] != "cross_script")
    queries = [to_query(r["query"], str(i)) for i, r in enumerate(plain)]
    store = Store(f"sqlite:///{args.home / 'stopship.db'}")
    matcher = Matcher.from_store(store)
    matcher.match_batch(queries[: args.warmup])
    rest = queries[args.warmup :]
    out: dict[str, dict[str, float]] = {}
    for label in ("cold", "warm"):
        c0, w0 = time.process_time(), time.perf_counter()
        matcher.match_batch(rest)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        out[label] = {
            "names": len(rest),
            "cpu_s": round(cpu, 2),
            "names_per_cpu_s": round(len(rest) / cpu),
            "names_per_s": round(len(rest) / wall),
        }
    store.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
