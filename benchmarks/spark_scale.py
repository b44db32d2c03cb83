"""Bank-scale batches: the local engine (1 and 2 worker processes) against Spark local[1]
and local[2] on N synthetic counterparties (default 1,000,000) screened against every
loaded list, plus Spark's fixed start-up cost (session, index shipping, worker load)
measured on a small input, the index pickle size and a worker's memory.

    .venv/bin/python benchmarks/spark_scale.py [--rows 1000000] [--home benchmarks/out/home]
        [--configs local1,local2,spark1,spark2] [--startup-rows 1000]

Names: Faker persons and companies in seven locales (ru_RU, uk_UA, fa_IR, ar_AA, zh_CN,
en_US, de_DE: Cyrillic, Arabic script, Han, Latin), plus 5 % variations of listed names
(token order, a dropped letter, case) so that a realistic share of rows has hits. They are
generated once (seed 6) to benchmarks/out/counterparties-N.parquet. Each configuration runs
in its own process (a fresh JVM for Spark); results go to benchmarks/out/spark_scale-N.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import DEFAULT_HOME, OUT_DIR, ensure_store  # noqa: E402

LOCALES = ("ru_RU", "uk_UA", "fa_IR", "ar_AA", "zh_CN", "en_US", "de_DE")
CONFIGS = {
    "local1": ("local", 1),
    "local2": ("local", 2),
    "spark1": ("spark", 1),
    "spark2": ("spark", 2),
}


def _listed_names(home: Path, limit: int = 20000) -> list[str]:
    from stopship.store import Store

    os.environ["STOPSHIP_HOME"] = str(home)
    store = Store()
    try:
        names = []
        for e in store.iter_entities():
            names.append(e.caption)
            if len(names) >= limit:
                break
    finally:
        store.close()
    return names


def _vary(rng: random.Random, name: str) -> str:
    tokens = name.split()
    choice = rng.randrange(4)
    if choice == 0 and len(tokens) > 1:
        tokens = tokens[1:] + tokens[:1]
    elif choice == 1:
        i = rng.randrange(len(tokens))
        if len(tokens[i]) > 4:
            j = rng.randrange(1, len(tokens[i]) - 1)
            tokens[i] = tokens[i][:j] + tokens[i][j + 1 :]
    elif choice == 2:
        return name.upper()
    return " ".join(tokens)


def generate(path: Path, rows: int, home: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from faker import Faker

    rng = random.Random(6)
    fakers = []
    for loc in LOCALES:
        f = Faker(loc)
        f.seed_instance(6)
        fakers.append(f)
    listed = _listed_names(home)
    names: list[str] = []
    countries: list[str | None] = []
    t0 = time.perf_counter()
    for i in range(rows):
        r = rng.random()
        if r < 0.05 and listed:
            names.append(_vary(rng, rng.choice(listed)))
            countries.append(None)
            continue
        f = fakers[i % len(fakers)]
        names.append(f.company() if r < 0.30 else f.name())
        countries.append(f.current_country_code() if r > 0.9 else None)
    table = pa.table(
        {
            "ref": [f"c{i:08d}" for i in range(1, rows + 1)],
            "name": names,
            "country": countries,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=100_000)
    print(f"generated {rows} names in {time.perf_counter() - t0:.0f} s: {path}", file=sys.stderr)


def run_one(config: str, src: Path, dst: Path) -> dict[str, Any]:
    """One configuration in this process: the engine's report as JSON."""
    from stopship.engine import LocalEngine, SparkEngine
    from stopship.match.weights import ALERT_THRESHOLD

    kind, n = CONFIGS[config]
    engine: Any = LocalEngine(n) if kind == "local" else SparkEngine(f"local[{n}]")
    rep = engine.run_match(src, dst, threshold=ALERT_THRESHOLD, limit=10)
    assert rep.balanced, rep
    return {
        "config": config,
        "rows_in": rep.rows_in,
        "rows_out": rep.rows_out,
        "rows_error": rep.rows_error,
        "alerts": rep.alerts,
        "seconds": round(rep.seconds, 2),
        "timings": {k: round(v, 2) for k, v in rep.timings.items()},
        "shipped_bytes": getattr(engine, "shipped_bytes", None),
    }


def _child(config: str, src: Path, dst: Path, home: Path) -> dict[str, Any]:
    env = dict(os.environ, STOPSHIP_HOME=str(home))
    env.pop("STOPSHIP_DB_URL", None)
    cmd = [sys.executable, __file__, "--run-one", config, "--input", str(src), "--output", str(dst)]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{config} failed:\n{p.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(p.stdout.strip().splitlines()[-1])
    out["wall_seconds"] = round(wall, 2)
    return out


def worker_rss(home: Path) -> dict[str, float]:
    """Size of the index pickle and the resident memory of a process that loaded it."""
    idx = sorted((home / "index").glob("index-*.pkl"))[-1]
    code = (
        "import pickle, resource, sys; pickle.load(open(sys.argv[1], 'rb'));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    p = subprocess.run(
        [sys.executable, "-c", code, str(idx)], capture_output=True, text=True, check=True
    )
    return {
        "index_pickle_mb": round(idx.stat().st_size / 2**20, 1),
        "worker_rss_after_load_mb": round(int(p.stdout.strip()) / 1024, 1),
    }


def compare(outs: list[Path]) -> dict[str, int]:
    """Lines identical to the first configuration's, and lines whose answers (hits,
    scores, order) are the same with another of an entity's equally scored names shown."""
    same = tie = other = 0
    if len(outs) < 2:
        return {"identical_lines": same}
    files = [o.open(encoding="utf-8") for o in outs]
    try:
        for lines in zip(*files, strict=True):
            if all(x == lines[0] for x in lines):
                same += 1
                continue
            keys = [
                [(h["entity_id"], h["score"], h["alert"]) for h in json.loads(x)["hits"]]
                for x in lines
            ]
            if all(k == keys[0] for k in keys):
                tie += 1
            else:
                other += 1
    finally:
        for f in files:
            f.close()
    return {"identical_lines": same, "same_hits_other_name_shown": tie, "different_hits": other}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME)
    ap.add_argument("--configs", default="local1,local2,spark1,spark2")
    ap.add_argument("--startup-rows", type=int, default=1000)
    ap.add_argument("--run-one", choices=sorted(CONFIGS), help=argparse.SUPPRESS)
    ap.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_one:
        print(json.dumps(run_one(args.run_one, args.input, args.output)))
        return
    home = args.home.resolve()
    ensure_store(home)
    src = OUT_DIR / f"counterparties-{args.rows}.parquet"
    if not src.is_file():
        generate(src, args.rows, home)
    small = OUT_DIR / f"counterparties-{args.startup_rows}.parquet"
    if not small.is_file():
        generate(small, args.startup_rows, home)
    work = OUT_DIR / "spark_scale"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"rows": args.rows, "startup_rows": args.startup_rows}
    # warm the index (built once from the store and persisted) before any timing
    subprocess.run(
        [sys.executable, "-m", "stopship", "match", "warm-up"],
        env=dict(os.environ, STOPSHIP_HOME=str(home)),
        capture_output=True,
        check=False,
    )
    results["memory"] = worker_rss(home)
    configs = [c for c in args.configs.split(",") if c]
    results["startup"] = {
        c: _child(c, small, work / f"small-{c}.jsonl", home) for c in ("local1", "spark1")
    }
    runs = {}
    for c in configs:
        r = _child(c, src, work / f"out-{c}.jsonl", home)
        match = r["timings"].get("match") or r["timings"].get("match+write")
        r["rows_per_s_end_to_end"] = round(r["rows_in"] / r["wall_seconds"], 1)
        r["rows_per_s_matching"] = round(r["rows_in"] / match, 1) if match else None
        runs[c] = r
        print(json.dumps(r), file=sys.stderr)
    results["runs"] = runs
    results["comparison"] = compare([work / f"out-{c}.jsonl" for c in configs])
    results["max_child_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    dst = OUT_DIR / f"spark_scale-{args.rows}.json"
    dst.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
