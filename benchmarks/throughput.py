"""Batch throughput of `stopship match --input ... --output ...` end to end (reading,
matching, writing JSONL), with 1 and 2 worker processes, on names drawn from the evaluation
set (list names, variations, obfuscations and clean names; cross-script excluded).

    .venv/bin/python benchmarks/throughput.py [--home benchmarks/out/home] [--names 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--home", type=Path, default=ROOT / "benchmarks" / "out" / "home")
    ap.add_argument("--eval", type=Path, default=ROOT / "benchmarks" / "out" / "eval.jsonl")
    ap.add_argument("--names", type=int, default=20000)
    args = ap.parse_args()
    if not args.eval.is_file():
        sys.exit(f"{args.eval} not found: run benchmarks/build_eval.py first")
    rows = [json.loads(line) for line in args.eval.open(encoding="utf-8")]
    names = [r["query"]["name"] for r in rows if r["category"] != "cross_script"]
    names = (names * (args.names // len(names) + 1))[: args.names]
    env = dict(os.environ, STOPSHIP_HOME=str(args.home))
    stopship = str(Path(sys.executable).parent / "stopship")
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "names.jsonl"
        src.write_text(
            "".join(json.dumps({"name": n}, ensure_ascii=False) + "\n" for n in names),
            encoding="utf-8",
        )
        # warm the persisted index once (loading it is a fixed cost, measured separately)
        subprocess.run([stopship, "match", "warm-up"], env=env, capture_output=True, check=False)
        for workers in (1, 2):
            dst = Path(tmp) / f"out{workers}.jsonl"
            t0 = time.perf_counter()
            subprocess.run(
                [
                    stopship,
                    "match",
                    "--input",
                    str(src),
                    "--output",
                    str(dst),
                    "--restart",
                    "--workers",
                    str(workers),
                ],
                env=env,
                capture_output=True,
                check=False,
            )
            dt = time.perf_counter() - t0
            lines = sum(1 for _ in dst.open(encoding="utf-8"))
            if lines != len(names):
                sys.exit(f"expected {len(names)} output lines, got {lines}")
            out[f"workers_{workers}_names_per_s"] = round(len(names) / dt, 1)
            out[f"workers_{workers}_seconds"] = round(dt, 2)
        t0 = time.perf_counter()
        subprocess.run([stopship, "match", "warm-up"], env=env, capture_output=True, check=False)
        out["single_command_seconds_incl_index_load"] = round(time.perf_counter() - t0, 2)
    print(json.dumps({"names": len(names), **out}, indent=2))


if __name__ == "__main__":
    main()
