"""Time loading every list in a folder (default ../shared/lists) into a fresh store,
per source, and the match-index build that follows.

    .venv/bin/python benchmarks/load_lists.py [--lists DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(lists: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        os.environ["STOPSHIP_HOME"] = home
        os.environ.pop("STOPSHIP_DB_URL", None)
        from stopship.match import Matcher
        from stopship.sources import SOURCES
        from stopship.store import Store
        from stopship.update import update

        store = Store()
        t0 = time.perf_counter()
        results = update(store, list(SOURCES), from_dir=lists)
        t1 = time.perf_counter()
        failed = [r for r in results if not r.ok]
        if failed:
            sys.exit(f"update failed: {[(r.source, r.error) for r in failed]}")
        matcher = Matcher.from_store(store, rebuild=True)
        t2 = time.perf_counter()
        out = {f"update.{r.source}": r.seconds for r in results}
        out["update.total"] = t1 - t0
        out["index.build"] = t2 - t1
        out["total"] = t2 - t0
        out["entities"] = float(store.entity_count())
        out["indexed_names"] = float(len(matcher.index.names))
        out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        store.close()
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "lists")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--one", action="store_true", help="one run in this process (internal)")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_run(args.lists)))
        return
    # each run in a fresh process, so no cache of an earlier run helps a later one
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, __file__, "--one", "--lists", str(args.lists)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    keys = runs[0].keys()
    summary = {k: round(statistics.median(r[k] for r in runs), 2) for k in keys}
    print(json.dumps({"runs": args.runs, "median": summary}, indent=2))


if __name__ == "__main__":
    main()
