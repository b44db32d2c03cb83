"""Batch matching speed against a reference commit, with proof that nothing changed.

Runs one fixed query set (every non-cross-script query of the evaluation set, a seeded
sample of its cross-script queries, the same names with country / birth date / kind
variations, identifier queries and bad inputs) through ``Matcher.match_batch`` in two code
trees — the working tree and a reference commit — alternately, each in its own process,
and

* checks that every ``QueryResult`` is byte-identical as JSON (hits, scores,
  explanations, order, warnings, errors), also at other thresholds and limits and with
  ``only`` (delta re-screening);
* reports names/s of each tree and their ratio in the same run: "cold" is the first pass
  over the names in a fresh process (normalisation included), "warm" the second pass
  (normalisation and token caches filled); wall clock and per CPU-second of the process
  (the latter is the steadier measure when other work shares the cores).

Both trees are snapshots taken at start: the working tree's ``src/`` as it is, and the same
with the matcher's own files (``OWNED`` below) as they were at the reference commit. The
normaliser and everything else is therefore the same on both sides, even while it is being
edited elsewhere. Each tree builds its index from the store once and keeps it in a private
cache (``--cache``), keyed by its code; ``$STOPSHIP_HOME/index`` is not touched.

    .venv/bin/python benchmarks/throughput_identity.py [--base COMMIT] [--rounds 3]

The compiled kernel (``stopship.match._kernel``, see setup.py) is part of the working tree
as built in ``src`` (``pip install -e .`` or ``python setup.py build_ext --inplace``). The
reference side gets its own build of the reference commit's ``_kernel.c``, compiled into
its snapshot by the working tree's setup.py (the same compiler and flags as an install),
and none when that commit has no ``_kernel.c`` or no C compiler is available; it never
runs the working tree's build. The report says whether each side ran with a kernel
("kernel") and how the reference side's came about ("kernel_build").

(The session's runs in docs/benchmarks.md used --base 97b34a6; 6c0e674 later changed
matching results on purpose, so identity across it is not expected.)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: the files whose reference version is compared (everything else is the working tree's)
OWNED = ("src/stopship/match/engine.py", "src/stopship/match/features.py",
         "src/stopship/match/model.py", "src/stopship/match/weights.py",
         "src/stopship/match/fast.py", "src/stopship/match/long_vowels.py",
         "src/stopship/match/memo.py", "src/stopship/match/regroup.py",
         "src/stopship/index/",
         "src/stopship/match/_kernel.c", "src/stopship/match/_kernel.pyi",
         # the normaliser's files with shortcuts of the speed3 branch
         "src/stopship/normalize/text.py", "src/stopship/normalize/translit.py",
         "src/stopship/normalize/glossary.py")  # fmt: skip
#: compiled modules (``setup.py``): source -> its builds in a tree. The reference tree gets
#: its own build of the reference commit's source (:func:`build_reference_kernel`)
COMPILED = {"src/stopship/match/_kernel.c": "src/stopship/match/_kernel.*.so"}

BAD_NAMES = [
    "",
    "   ",
    "\t\n",
    "x" * 10_000,
    "A" * 1_001,
    "\x00\x01\x02",
    "\u200b\u200c\u200d",
    "...---!!!",
    "ꆈꌠ꒿ ꁱꂷ",  # Yi: no transliterator
    "ᠮᠣᠩᠭᠣᠯ ᠤᠯᠤᠰ",  # Mongolian script
    "𓂀𓃒",
    "O\u0301O\u0301O",
    "Al\u00adabuga",
    "S.A.",
    "LLC",
    "ООО",
    "Mr",
    "a",
    "ab cd",
    "x " * 400,
    "Алабуга" * 60,
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
]


# ----------------------------------------------------------------------------- queries


def build_queries(eval_path: Path, cross: int, seed: int) -> dict[str, Any]:
    rows = [json.loads(line) for line in eval_path.open(encoding="utf-8")]
    rng = random.Random(seed)
    plain = [r for r in rows if r["category"] != "cross_script"]
    crossing = [r for r in rows if r["category"] == "cross_script"]
    rng.shuffle(crossing)
    main_rows = plain + crossing[:cross]
    queries: list[dict[str, Any]] = [dict(r["query"]) for r in main_rows]
    # the same names with other facts: kind dropped, country, birth date
    countries = ["RU", "IR", "CN", "US", "DE", "KP", "SY", "BY", "Russia", "ZZ"]
    births = ["1970", "1965-03", "1978-01-28", "1980", "1955-12-31", "1990-13"]
    extra: list[dict[str, Any]] = []
    for i, q in enumerate(rng.sample(queries, 1500)):
        q = dict(q)
        if i % 3 == 0:
            q.pop("kind", None)
        if i % 2 == 0:
            q["country"] = countries[i % len(countries)]
        if i % 5 == 0:
            q["birth_date"] = births[i % len(births)]
        if i % 7 == 0:
            q["kind"] = ["person", "organization", "vessel", "aircraft"][i % 4]
        extra.append(q)
    bad = [{"name": n} for n in BAD_NAMES] + [
        {"name": "Ivan Petrov", "country": "Narnia"},
        {"name": "Ivan Petrov", "birth_date": "1970"},
        {"name": "Ivan Petrov", "id": "7701234567"},
    ]
    only_rows = [r for r in plain if r["category"] in ("exact", "variation")][:600]
    only_ids = sorted({e for r in only_rows for e in r["expected"]})[::2]
    return {
        "main": queries + extra + bad,
        "only": [r["query"] for r in only_rows],
        "only_ids": only_ids,
        "n_plain": len(plain),
        "n_cross": min(cross, len(crossing)),
    }


# ----------------------------------------------------------------------------- worker


def worker(args: argparse.Namespace) -> None:
    """Runs inside one tree (its ``src`` first on ``sys.path``): prints timings as JSON,
    writes every result as JSON lines to ``--out``."""
    import gc

    import stopship.match.features as features
    from stopship.index.build import MatchIndex
    from stopship.match.engine import Matcher
    from stopship.match.model import Query
    from stopship.store import Store

    spec = json.loads(Path(args.queries).read_text(encoding="utf-8"))
    store = Store(f"sqlite:///{args.home / 'stopship.db'}")
    versions = {v.source: v.id for v in store.current_versions()}
    cache = Path(args.cache)
    t0 = time.perf_counter()
    index = MatchIndex.load(cache, versions)
    built = index is None
    if index is None:
        index = MatchIndex.build(store.iter_entities(), versions)
        index.save(cache)
    load_s = time.perf_counter() - t0
    store.close()
    gc.collect()
    gc.freeze()
    matcher = Matcher(index)

    def queries(items: list[dict[str, Any]]) -> list[Any]:
        out = []
        for i, q in enumerate(items):
            try:
                out.append(Query(**q, ref=str(i)))
            except ValueError:  # a birth date the model refuses: not a matcher input
                out.append(Query(name=q["name"], ref=f"{i}!"))
        return out

    main = queries(spec["main"])
    # identifier queries: every 25th identifier of the index, with its entity's caption
    # and with an unrelated name
    for k, ident in enumerate(sorted(index.id_index)[::25]):
        e = index.entities[index.id_index[ident][0]]
        main.append(Query(name=e.caption if k % 2 else "Nonexistent Trading", id=ident))
    t0, c0 = time.perf_counter(), time.process_time()
    cold = matcher.match_batch(main)
    cold_s, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    warm = matcher.match_batch(main)
    warm_s, warm_cpu = time.perf_counter() - t0, time.process_time() - c0
    lines = [r.model_dump_json() for r in cold]
    if [r.model_dump_json() for r in warm] != lines:
        lines.append("WARM PASS DIFFERS FROM COLD PASS")
    if args.out:
        subset = main[::7]
        for thr, limit in ((0.3, 3), (0.95, 1), (0.0, 50), (0.6, 10)):
            lines.append(f"# threshold={thr} limit={limit}")
            lines += [r.model_dump_json() for r in matcher.match_batch(subset, thr, limit)]
        lines.append("# only")
        only = queries(spec["only"])
        lines += [r.model_dump_json() for r in matcher.match_batch(only, only=spec["only_ids"])]
        lines.append("# single")
        lines += [matcher.match(q).model_dump_json() for q in main[::97]]
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {
                "names": len(main),
                "kernel": getattr(features, "_kernel", None) is not None,
                "index_built": built,
                "index_s": round(load_s, 2),
                "cold_s": round(cold_s, 3),
                "warm_s": round(warm_s, 3),
                "cold_names_per_s": round(len(main) / cold_s, 1),
                "warm_names_per_s": round(len(main) / warm_s, 1),
                "cold_names_per_cpu_s": round(len(main) / cold_cpu, 1),
                "warm_names_per_cpu_s": round(len(main) / warm_cpu, 1),
            }
        )
    )


# ----------------------------------------------------------------------------- driver


def _git(*a: str) -> str:
    return subprocess.run(["git", *a], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def snapshot(base: str, where: Path) -> tuple[Path, Path, str]:
    """(working tree copy, reference copy) of ``src``: equal but for ``OWNED`` and the
    compiled kernel, which the reference copy builds from its own source; and how it did
    (:func:`build_reference_kernel`)."""
    new, ref = where / "new", where / "base"
    for d in (new, ref):
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(ROOT / "src", d / "src", ignore=shutil.ignore_patterns("__pycache__"))
    at_base = set(_git("ls-tree", "-r", "--name-only", base, "--", "src").split())
    for owned in OWNED:
        for f in sorted((ref / owned).parent.rglob("*.py") if owned.endswith("/") else
                        [ref / owned]):  # fmt: skip
            rel = str(f.relative_to(ref))
            if rel.startswith(owned) and rel not in at_base:
                f.unlink(missing_ok=True)
        for rel in sorted(p for p in at_base if p.startswith(owned)):
            (ref / rel).parent.mkdir(parents=True, exist_ok=True)
            (ref / rel).write_text(_git("show", f"{base}:{rel}"), encoding="utf-8")
    for built in COMPILED.values():  # the working tree's builds: never on the reference side
        for f in ref.glob(built):
            f.unlink()
    return new, ref, build_reference_kernel(base, ref, at_base, where / "build-temp")


def build_reference_kernel(base: str, ref: Path, at_base: set[str], temp: Path) -> str:
    """Compile the reference commit's kernel source (written into ``ref/src`` by
    :func:`snapshot`) into ``ref/src`` with the working tree's setup.py, so its compiler
    and flags are those of an install: what the report says of it."""
    missing = [source for source in COMPILED if source not in at_base]
    if missing:
        return f"none: {base} has no {', '.join(missing)}"
    shutil.rmtree(temp, ignore_errors=True)
    p = subprocess.run(
        [sys.executable, str(ROOT / "setup.py"), "build_ext", "--build-lib", str(ref / "src"),
         "--build-temp", str(temp)],
        cwd=ref, capture_output=True, text=True, check=False,
    )  # fmt: skip
    shutil.rmtree(temp, ignore_errors=True)
    # setup.py's extension is optional: without a C compiler the build goes on without it
    if p.returncode == 0 and all(any(ref.glob(built)) for built in COMPILED.values()):
        return f"built from {base}'s {', '.join(COMPILED)}"
    tail = (p.stderr or p.stdout).strip().splitlines()[-3:]
    return "none: the build failed (no C compiler?): " + " | ".join(tail)


def run_tree(tree: Path, args: argparse.Namespace, queries: Path, out: Path | None) -> Any:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), PYTHONHASHSEED=str(args.hashseed))
    cmd = [sys.executable, __file__, "--worker", "--home", str(args.home),
           "--queries", str(queries), "--cache", str(tree / "index-cache")]  # fmt: skip
    if out is not None:
        cmd += ["--out", str(out)]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if p.returncode != 0:
        sys.exit(f"{tree} failed:\n{p.stderr[-4000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def compare(a: Path, b: Path) -> tuple[int, int, list[str]]:
    la = a.read_text(encoding="utf-8").splitlines()
    lb = b.read_text(encoding="utf-8").splitlines()
    diffs = [
        f"line {i + 1}:\n  base {x[:600]}\n  new  {y[:600]}"
        for i, (x, y) in enumerate(zip(la, lb, strict=False))
        if x != y
    ]
    if len(la) != len(lb):
        diffs.append(f"line counts differ: base {len(la)}, new {len(lb)}")
    return len(la), len(diffs), diffs[:5]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--base",
        default="HEAD",
        help="reference commit (default HEAD: the working tree's uncommitted matcher changes); "
        "a commit whose matcher changed results on purpose cannot be a reference across it",
    )
    ap.add_argument("--home", type=Path, default=ROOT / "benchmarks" / "out" / "home")
    ap.add_argument("--eval", type=Path, default=ROOT / "benchmarks" / "out" / "eval.jsonl")
    ap.add_argument("--cross", type=int, default=600, help="cross-script queries sampled")
    ap.add_argument("--rounds", type=int, default=3, help="timed runs of each tree")
    ap.add_argument("--hashseed", default="0")
    ap.add_argument("--work", type=Path, default=Path("/tmp/stopship-throughput-identity"))
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--queries", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    base = _git("rev-parse", "--short", args.base).strip()
    head = _git("rev-parse", "--short", "HEAD").strip()
    dirty = bool(_git("status", "--porcelain", "--", *OWNED).strip())
    new, ref, kernel_build = snapshot(base, args.work)
    spec = build_queries(args.eval, args.cross, seed=3)
    qfile = args.work / "queries.json"
    qfile.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    load = [os.getloadavg()[0]]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    # round 0 builds/loads the indexes and writes the results compared
    r_base = run_tree(ref, args, qfile, args.work / "base.jsonl")
    r_new = run_tree(new, args, qfile, args.work / "new.jsonl")
    total, ndiff, diffs = compare(args.work / "base.jsonl", args.work / "new.jsonl")
    rounds: list[dict[str, Any]] = []
    for i in range(args.rounds):
        order = [("base", ref), ("new", new)] if i % 2 == 0 else [("new", new), ("base", ref)]
        got = {}
        for label, tree in order:
            got[label] = run_tree(tree, args, qfile, None)
            load.append(os.getloadavg()[0])
        rounds.append(got)
    report: dict[str, Any] = {
        "started": started,
        "base": base,
        "head": head + ("+working tree" if dirty else ""),
        "names": r_new["names"],
        "plain_queries": spec["n_plain"],
        "cross_script_queries": spec["n_cross"],
        "identity": {"lines": total, "differing": ndiff, "first": diffs},
        "index_s": {"base": r_base["index_s"], "new": r_new["index_s"]},
        "kernel": {"base": r_base["kernel"], "new": r_new["kernel"]},
        "kernel_build": {"base": kernel_build, "new": "the working tree's, as built in src"},
        "load_avg_1min": [round(x, 2) for x in load],
        "rounds": rounds,
    }
    # wall-clock names/s, and names per CPU-second of the process (less sensitive to other
    # work on a shared machine); ratios are new / reference within each round
    for pas in ("cold", "warm", "cold_cpu", "warm_cpu"):
        key = f"{pas.split('_')[0]}_names_per_{'cpu_s' if pas.endswith('cpu') else 's'}"
        ratios = [r["new"][key] / r["base"][key] for r in rounds]
        report[f"{pas}_ratio_median"] = round(statistics.median(ratios), 2) if ratios else None
        report[f"{pas}_ratios"] = [round(x, 2) for x in ratios]
        report[f"{key}_median"] = {
            side: statistics.median(r[side][key] for r in rounds) for side in ("base", "new")
        } if rounds else None  # fmt: skip
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if ndiff:
        sys.exit(1)


if __name__ == "__main__":
    main()
