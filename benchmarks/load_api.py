"""Load on the HTTP API: ``POST /v1/match`` open-loop at a fixed rate against every real
list, from a separate process.

The server is ``stopship serve`` in a subprocess, over a copy of the benchmark store
(benchmarks/out/home, loaded from ../shared/lists when empty) so the alerts, keys and
audit rows the run writes do not end up in the store other benchmarks read. The driver
sends requests on a fixed schedule (``--rate`` per second) without waiting for answers,
and measures each latency from the request's *scheduled* send time, so a slow server
cannot hide its queueing (no coordinated omission). Names are drawn from the evaluation
set (benchmarks/out/eval.jsonl, see build_eval.py): list names, spelling variations,
obfuscations, other scripts and clean Faker names, each with its kind when known.

    .venv/bin/python benchmarks/load_api.py [--rate 200] [--seconds 60] [--warmup 5]

Prints and writes benchmarks/out/load_api.json: p50/p95/p99/max latency, achieved rate,
errors, and the share of requests that alerted (and so opened or updated an alert).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from common import DEFAULT_HOME, DEFAULT_LISTS, OUT_DIR, ensure_store, percentile

ROOT = Path(__file__).resolve().parents[1]
#: a kept-alive connection idle this long is not reused (uvicorn closes them after 5 s)
IDLE_SECONDS = 3.0


def prepare_home(src: Path, dst: Path, lists: Path) -> None:
    """A fresh copy of the benchmark store and its match index under ``dst``."""
    ensure_store(src, lists)
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    with (
        sqlite3.connect(src / "stopship.db") as a,
        sqlite3.connect(dst / "stopship.db") as b,
    ):
        a.backup(b)  # a consistent copy, even while someone reads the source
    if (src / "index").is_dir():
        shutil.copytree(src / "index", dst / "index")


def copy_lists_to(home: Path, db_url: str) -> None:
    """The lists of the SQLite store under ``home`` into the database at ``db_url``, with
    the same version ids, so the match index under ``home`` fits (a database that has
    lists already is used as it is: alerts and audit rows of earlier runs stay)."""
    from sqlalchemy import func, insert, select

    from stopship.store import Store
    from stopship.store.schema import current_lists, entities, list_versions

    src = Store(f"sqlite:///{home / 'stopship.db'}")
    dst = Store(db_url)
    try:
        with src.engine.connect() as a, dst.engine.begin() as b:
            if b.execute(select(func.count()).select_from(list_versions)).scalar_one():
                return
            for table in (list_versions, current_lists, entities):
                rows = a.execution_options(yield_per=2000).execute(select(table))
                for chunk in rows.partitions(2000):
                    b.execute(insert(table), [dict(r._mapping) for r in chunk])
            if b.dialect.name == "postgresql":  # the identity past the copied ids
                b.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('list_versions', 'id'), "
                    "(SELECT max(id) FROM list_versions))"
                )
    finally:
        src.close()
        dst.close()


def service_key(home: Path, db_url: str | None = None) -> str:
    os.environ["STOPSHIP_HOME"] = str(home)
    os.environ.pop("STOPSHIP_DB_URL", None)
    from stopship.cases import CaseService, Role
    from stopship.store import Store

    store = Store(db_url)
    try:
        _, secret = CaseService(store).create_key(Role.SERVICE, "load benchmark")
    finally:
        store.close()
    return secret


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), for CPU per request."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float | None:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            sys.exit(f"the server exited with {proc.returncode} before it was ready")
        try:
            r = httpx.get(f"{base}/health", timeout=2)
            if r.status_code == 200:
                return time.monotonic() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    sys.exit(f"the server was not ready after {timeout:.0f} s")


def load_queries(path: Path, n: int, seed: int, clean_share: float | None) -> list[dict[str, Any]]:
    """``n`` queries from the evaluation set: a ``clean_share`` of clean names, the rest
    list-derived (exact, variations, obfuscations, other scripts); None keeps the
    evaluation set's own mix."""
    if not path.is_file():
        sys.exit(f"{path} not found: run benchmarks/build_eval.py first")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    rng = random.Random(seed)
    if clean_share is None:
        picked = rng.choices(rows, k=n)
    else:
        clean = [r for r in rows if r["category"] == "clean"]
        listed = [r for r in rows if r["category"] != "clean"]
        picked = [rng.choice(clean if rng.random() < clean_share else listed) for _ in range(n)]
    out = []
    for r in picked:
        q = {"name": r["query"]["name"]}
        if r["query"].get("kind"):
            q["kind"] = r["query"]["kind"]
        out.append(q)
    return out


class Http:
    """A small HTTP/1.1 keep-alive client on asyncio streams: cheap enough per request
    that the load generator does not take the CPU the server under test needs (httpx
    costs about a millisecond per request). Connections are reused; a new one is opened
    whenever all are busy, so a slow server never slows the sending schedule."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.opened = 0

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """One request; on a kept-alive connection the server closed meanwhile, once more
        on a new one (as HTTP clients do)."""
        now = time.perf_counter()
        while self.idle:
            reader, writer, last = self.idle.pop()
            if now - last < IDLE_SECONDS:  # uvicorn closes idle connections after 5 s
                try:
                    return await self._exchange(reader, writer, path, body)
                except (OSError, asyncio.IncompleteReadError):
                    break
            writer.close()
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.opened += 1
        return await self._exchange(reader, writer, path, body)

    async def _exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        path: str,
        body: bytes,
    ) -> tuple[int, bytes]:
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.head}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        try:
            writer.write(request)
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length = 0
            close = False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            data = await reader.readexactly(length)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            writer.close()
            raise
        if close:
            writer.close()
        else:
            self.idle.append((reader, writer, time.perf_counter()))
        return status, data

    def close(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()


async def drive(
    port: int, secret: str, queries: list[dict[str, Any]], rate: float, warmup: int
) -> dict[str, Any]:
    """Send ``queries`` at ``rate`` per second on a fixed schedule; the first ``warmup``
    requests are not counted."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    alerting = 0
    errors: list[str] = []
    http = Http("127.0.0.1", port, {"Authorization": f"Bearer {secret}"})
    bodies = [json.dumps(q, ensure_ascii=False).encode() for q in queries]

    async def one(i: int, scheduled: float) -> None:
        nonlocal alerting
        try:
            status, data = await http.post("/v1/match", bodies[i])
        except Exception as exc:
            if i >= warmup:
                errors.append(f"{type(exc).__name__}: {exc}")
                statuses["exception"] = statuses.get("exception", 0) + 1
            return
        done = time.perf_counter()
        if i < warmup:
            return
        latencies.append(done - scheduled)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if status != 200:
            errors.append(f"{status}: {data[:200]!r}")
        elif b'"alert":true' in data:
            alerting += 1

    tasks = []
    start = time.perf_counter() + 0.2
    for i in range(len(queries)):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, scheduled)))
    send_end = time.perf_counter()
    await asyncio.gather(*tasks)
    end = time.perf_counter()
    http.close()
    counted = len(queries) - warmup
    measured_start = start + warmup / rate
    ms = sorted(x * 1000 for x in latencies)
    return {
        "requests": counted,
        "completed": len(latencies),
        "errors": counted - statuses.get("200", 0),
        "statuses": statuses,
        "error_samples": errors[:5],
        "connections_opened": http.opened,
        "achieved_rate_per_s": round(len(latencies) / (end - measured_start), 1),
        "send_rate_per_s": round(counted / (send_end - measured_start), 1),
        "alerting_share": round(alerting / max(1, len(latencies)), 3),
        "latency_ms": {
            "p50": round(percentile(ms, 50), 2),
            "p95": round(percentile(ms, 95), 2),
            "p99": round(percentile(ms, 99), 2),
            "max": round(ms[-1], 2) if ms else None,
            "mean": round(sum(ms) / len(ms), 2) if ms else None,
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME, help="store with all lists")
    ap.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    ap.add_argument("--eval", type=Path, default=OUT_DIR / "eval.jsonl")
    ap.add_argument("--rate", type=float, default=200.0, help="requests per second")
    ap.add_argument("--seconds", type=float, default=60.0, help="measured duration")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds sent first, not counted")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--workers", type=int, default=1, help="stopship serve --workers")
    ap.add_argument(
        "--clean-share",
        default="0.9",
        help="share of clean names (default 0.9: most names a bank screens are not "
        "listed); 'eval' keeps the evaluation set's mix (19%% clean)",
    )
    ap.add_argument(
        "--db-url",
        default=None,
        help="serve from this (empty) database, e.g. PostgreSQL, instead of the SQLite "
        "copy: the lists are copied into it first",
    )
    ap.add_argument("--out", type=Path, default=OUT_DIR / "load_api.json")
    args = ap.parse_args()

    home = OUT_DIR / "load_api_home"
    t0 = time.monotonic()
    prepare_home(args.home, home, args.lists)
    if args.db_url:
        copy_lists_to(home, args.db_url)
    secret = service_key(home, args.db_url)
    warmup = int(args.warmup * args.rate)
    share = None if args.clean_share == "eval" else float(args.clean_share)
    queries = load_queries(args.eval, warmup + int(args.seconds * args.rate), args.seed, share)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, STOPSHIP_HOME=str(home))
    env.pop("STOPSHIP_DB_URL", None)
    if args.db_url:
        env["STOPSHIP_DB_URL"] = args.db_url
    exe = str(Path(sys.executable).with_name("stopship"))
    cmd = [exe, "serve", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    cmd += ["--workers", str(args.workers)]
    print(f"prepared {home} in {time.monotonic() - t0:.1f} s; starting {' '.join(cmd)}")
    proc = subprocess.Popen(cmd, env=env)
    try:
        ready = wait_ready(base, proc, timeout=600)
        if args.workers > 1:  # each worker loads the index: wait until all have
            time.sleep(max(10.0, 2 * ready))
        health = httpx.get(f"{base}/health").json()
        print(f"ready after {ready:.1f} s, serving {health['serving']}")
        load_before = os.getloadavg()[0]
        cpu0 = cpu_seconds(proc.pid)
        result = asyncio.run(drive(port, secret, queries, args.rate, warmup))
        cpu = cpu_seconds(proc.pid) - cpu0
        result["server_cpu_ms_per_request"] = round(cpu * 1000 / len(queries), 2)
        result["server_rss_mb"] = rss_mb(proc.pid)
        # the machine's 1-minute load average (other processes share its cores)
        result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        result["server_cpu_share_of_one_core"] = round(cpu / ((len(queries)) / args.rate), 2)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    report = {
        "command": " ".join(["benchmarks/load_api.py", *sys.argv[1:]]),
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "rate_per_s": args.rate,
        "workers": args.workers,
        "store": "sqlite" if not args.db_url else args.db_url.split("://")[0],
        "clean_share": args.clean_share,
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "lists": health["serving"],
        "entities": sum(x["entity_count"] for x in health["lists"]),
        "startup_seconds": round(ready, 1),
        "cpus": os.cpu_count(),
        **result,
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
