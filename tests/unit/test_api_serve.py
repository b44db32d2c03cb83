"""``stopship serve`` end to end: the real entry point in a subprocess loads the lists of
STOPSHIP_HOME at start-up and answers /health, the API and the UI's login page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from stopship.cases import CaseService, Role
from tests.api_app import BLOCK_QUERY, load_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_loads_the_store_and_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("STOPSHIP_HOME", str(home))
    monkeypatch.delenv("STOPSHIP_DB_URL", raising=False)
    store = load_store(home)
    _, secret = CaseService(store).create_key(Role.SERVICE, "svc")
    store.close()
    port = free_port()
    env = dict(os.environ, STOPSHIP_HOME=str(home))
    cmd = [sys.executable, "-m", "stopship", "serve", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                health = httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "stopship serve did not start"
                time.sleep(0.1)
        assert health.status_code == 200
        assert health.json()["serving"] == {"test": 1}
        r = httpx.post(
            f"{base}/v1/match",
            json={"name": BLOCK_QUERY},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert r.status_code == 200 and r.json()["alert"] is True
        assert httpx.post(f"{base}/v1/match", json={"name": "x"}).status_code == 401
        assert "api_key" in httpx.get(f"{base}/ui/login").text
        assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "stopship"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode == 0


def test_serve_uses_the_compiled_http_parser_and_event_loop() -> None:
    """httptools and uvloop are pinned dependencies: the server runs on them (the
    pure-Python h11 parser costs more CPU per request: see docs/benchmarks.md)."""
    from stopship.cli.serve import http_stack

    assert http_stack() == ("httptools", "uvloop")
