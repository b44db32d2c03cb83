"""The review UI in a real browser: Playwright drives Debian's headless Chromium against
uvicorn serving the app over a small fictional list. An analyst logs in with an API key,
opens the queue, opens an alert, decides it, and sees it leave the queue; a screenshot of
the alert page is saved to tests/artifacts/alert-page.png."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from stopship.cases import Role
from tests.api_app import REVIEW_QUERY, XSS_NAME, ApiEnv, make_env

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.is_file():
    pytest.skip(
        f"{CHROMIUM} not found: install Debian's chromium (.ci/run does) to run the browser "
        "tests",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ApiEnv]]:
    home = tmp_path_factory.mktemp("browser") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(home))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        env = make_env(home)
        port = free_port()
        config = uvicorn.Config(env.app(), host="127.0.0.1", port=port, log_level="warning")
        srv = uvicorn.Server(config)
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        try:
            yield base, env
        finally:
            srv.should_exit = True
            thread.join(timeout=10)
            env.store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def screen(base: str, env: ApiEnv, name: str) -> int:
    r = httpx.post(f"{base}/v1/match", json={"name": name}, headers=env.auth(Role.SERVICE))
    r.raise_for_status()
    ids: list[int] = r.json()["alert_ids"]
    assert len(ids) == 1
    return ids[0]


def test_decide_an_alert_and_see_it_leave_the_queue(
    server: tuple[str, ApiEnv], browser: object
) -> None:
    base, env = server
    alert_id = screen(base, env, REVIEW_QUERY)
    xss_id = screen(base, env, XSS_NAME)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    # login: an unauthenticated page sends the browser to the login form
    page.goto(f"{base}/ui/alerts")
    assert page.url.startswith(f"{base}/ui/login")
    page.fill("#api_key", env.secret(Role.ANALYST))
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/ui/alerts")

    # the queue shows both alerts; the script name is text, not markup
    queue = page.locator("table.queue tbody")
    assert queue.locator(f'a[href="/ui/alerts/{alert_id}"]').count() == 2
    assert queue.get_by_text(XSS_NAME, exact=True).count() == 1
    assert not dialogs

    # open the review-level alert
    queue.locator(f'td.name a[href="/ui/alerts/{alert_id}"]').click()
    page.wait_for_url(f"{base}/ui/alerts/{alert_id}")
    assert page.locator("#query-name").inner_text() == REVIEW_QUERY
    assert page.locator("#alert-status").inner_text() == "open"
    assert page.locator("table.features tbody tr").count() > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "alert-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    # decide: false positive with a reason
    page.check('input[name=status][value="false_positive"]')
    page.fill("#reason", "Different company: registry shows another address and owners")
    page.click("form.decision button[type=submit]")
    page.wait_for_url(f"{base}/ui/alerts/{alert_id}?decided=1")
    assert page.locator("#alert-status").inner_text() == "false positive"
    assert page.get_by_text("Decision recorded.").count() == 1

    # back in the (active) queue the alert is gone; the other one is still there
    page.click("header nav a[href='/ui/alerts']")
    page.wait_for_url(f"{base}/ui/alerts")
    assert queue.locator(f'a[href="/ui/alerts/{alert_id}"]').count() == 0
    assert queue.locator(f'a[href="/ui/alerts/{xss_id}"]').count() == 2

    # the script-named alert's page renders the name as text, and no dialog ever opened
    page.goto(f"{base}/ui/alerts/{xss_id}")
    assert page.locator("#query-name").inner_text() == XSS_NAME
    assert not dialogs
    page.close()
    status = env.cases.get_alert(alert_id).alert.status.value
    assert status == "false_positive"
