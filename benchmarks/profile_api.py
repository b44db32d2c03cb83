"""Where one ``POST /v1/match`` spends its CPU, measured in-process (no HTTP server, no
sockets): the app is called as an ASGI application over a copy of the benchmark store,
with the same names as ``load_api.py``, and the parts of a request are timed by wrapping
the functions that do them (key check, match, alerts, the call's audit row).

    .venv/bin/python benchmarks/profile_api.py [--requests 3000] [--cprofile out.prof]

Prints milliseconds per request for each part and for the whole ASGI call; the rest of
a request (uvicorn's HTTP parsing and the socket) is not in these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import DEFAULT_HOME, DEFAULT_LISTS, OUT_DIR
from load_api import load_queries, prepare_home, service_key

TIMES: dict[str, list[float]] = defaultdict(list)


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[name].append(time.perf_counter() - t0)

    return wrapper


async def call(app: Any, body: bytes, secret: str) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/match",
        "raw_path": b"/v1/match",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {secret}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent = False
    status = 0
    out = bytearray()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(msg: dict[str, Any]) -> None:
        nonlocal status
        if msg["type"] == "http.response.start":
            status = msg["status"]
        elif msg["type"] == "http.response.body":
            out.extend(msg.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME)
    ap.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    ap.add_argument("--eval", type=Path, default=OUT_DIR / "eval.jsonl")
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--warmup", type=int, default=500)
    ap.add_argument("--clean-share", type=float, default=0.9)
    ap.add_argument("--cprofile", type=Path, default=None)
    args = ap.parse_args()

    home = OUT_DIR / "profile_api_home"
    prepare_home(args.home, home, args.lists)
    secret = service_key(home)
    os.environ["STOPSHIP_HOME"] = str(home)

    from stopship.api import ApiSettings, create_app
    from stopship.api import screening as screening_mod
    from stopship.api.loading import load_engines
    from stopship.cases import CaseService

    app = create_app(settings=ApiSettings(reload_seconds=0, webhook_seconds=0))
    svc = app.state.services
    load_engines(svc)
    cases: CaseService = svc.cases
    # the parts of a request, timed where the handler calls them
    cases.authenticate = timed("key check", cases.authenticate)  # type: ignore[method-assign]
    cases.alerts_from_match = timed("alerts", cases.alerts_from_match)  # type: ignore[method-assign]
    cases.audit = timed("audit row of the call", cases.audit)  # type: ignore[method-assign]
    matcher = svc.need_matcher()
    matcher.match = timed("match", matcher.match)  # type: ignore[method-assign]
    screening_mod.result_json = timed("result JSON", screening_mod.result_json)

    queries = load_queries(args.eval, args.warmup + args.requests, 5, args.clean_share)
    bodies = [json.dumps(q, ensure_ascii=False).encode() for q in queries]

    async def run() -> tuple[list[float], list[float], int]:
        total: list[float] = []
        alerting: list[float] = []
        errors = 0
        prof = cProfile.Profile() if args.cprofile else None
        for i, body in enumerate(bodies):
            if i == args.warmup:
                TIMES.clear()
                if prof:
                    prof.enable()
            t0 = time.perf_counter()
            status, data = await call(app, body, secret)
            dt = time.perf_counter() - t0
            if i >= args.warmup:
                total.append(dt)
                errors += status != 200
                if b'"alert":true' in data:
                    alerting.append(dt)
        if prof:
            prof.disable()
            prof.dump_stats(str(args.cprofile))
        return total, alerting, errors

    cpu0 = time.process_time()
    total, alerting, errors = asyncio.run(run())
    cpu = time.process_time() - cpu0
    n = len(total)
    report: dict[str, Any] = {
        "requests": n,
        "errors": errors,
        "alerting": len(alerting),
        "cpu_ms_per_request (incl. warm-up)": round(cpu * 1000 / len(bodies), 3),
        "asgi_call_ms": {
            "mean": round(statistics.fmean(total) * 1000, 3),
            "p50": round(statistics.median(total) * 1000, 3),
            "p99": round(sorted(total)[int(0.99 * n)] * 1000, 3),
            "alerting_mean": round(statistics.fmean(alerting) * 1000, 3) if alerting else None,
        },
        "parts_ms_per_request": {k: round(sum(v) * 1000 / n, 3) for k, v in sorted(TIMES.items())},
        "parts_p99_max_ms": {
            k: [round(sorted(v)[int(0.99 * len(v))] * 1000, 2), round(max(v) * 1000, 2)]
            for k, v in sorted(TIMES.items())
        },
    }
    parts = sum(report["parts_ms_per_request"].values()) - report["parts_ms_per_request"].get(
        "result JSON", 0
    )
    report["rest_of_the_asgi_call_ms"] = round(report["asgi_call_ms"]["mean"] - parts, 3)
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
