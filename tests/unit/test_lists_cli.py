"""`stopship lists ...` end to end through the real console entry point (exit codes, JSON)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from stopship.errors import DownloadError
from stopship.sources.un_xml import UnXml
from stopship.store import Store
from stopship.update import update
from tests.cli import run

UN_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "un" / "consolidated.xml"


def run_json(home: Path, *args: str) -> Any:
    p = run(home, *args, "--json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.fixture()
def un_dir(tmp_path: Path) -> Path:
    d = tmp_path / "lists" / "un"
    d.mkdir(parents=True)
    shutil.copy(UN_FIXTURE, d / "consolidated.xml")
    return d


def test_update_status_show_diff(home: Path, un_dir: Path) -> None:
    p = run(home, "lists", "update", "--from", str(un_dir), "--source", "un")
    assert p.returncode == 0, p.stderr
    status = run_json(home, "lists", "status")
    (un,) = status
    assert un["source"] == "un" and un["status"] == "current"
    assert un["published"] == "2026-03-15"
    assert un["entity_count"] == 5
    assert un["counts_by_kind"] == {"organization": 2, "person": 3}
    assert un["files"][0]["name"] == "consolidated.xml"
    assert len(un["files"][0]["sha256"]) == 64
    ent = run_json(home, "lists", "show", "un:9100001")
    assert ent["caption"].startswith("ZORAN QUILLAN")
    assert any(n["type"] == "original_script" and n["script"] == "Arab" for n in ent["names"])
    assert "<DATAID>9100001</DATAID>" in ent["raw"]
    human = run(home, "lists", "show", "un:9100001")
    assert human.returncode == 0 and "Raw record" in human.stdout

    # a new version: one record renamed, one removed
    text = UN_FIXTURE.read_text(encoding="utf-8")
    text = text.replace("<FIRST_NAME>PAK</FIRST_NAME>", "<FIRST_NAME>PARK</FIRST_NAME>")
    start = text.index("<ENTITY>\n      <DATAID>9200002")
    end = text.index("</ENTITY>", start) + len("</ENTITY>")
    (un_dir / "consolidated.xml").write_text(text[:start] + text[end:], encoding="utf-8")
    p = run(home, "lists", "update", "--from", str(un_dir), "--source", "un")
    assert p.returncode == 0, p.stderr
    delta = run_json(home, "lists", "diff", "un")
    assert delta["removed"] == ["un:9200002"]
    assert delta["added"] == []
    assert set(delta["changed"]) == {"un:9100002"}
    fields = {c["field"] for c in delta["changed"]["un:9100002"]}
    assert "names" in fields and "raw" in fields


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t[: len(t) // 2], "malformed XML"),
        (lambda t: "", "empty"),
        (
            lambda t: (
                '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
                "<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>"
            ),
            "unsafe XML",
        ),
    ],
    ids=["truncated", "empty", "xml-bomb"],
)
def test_bad_file_keeps_previous_version(
    home: Path, un_dir: Path, mutate: Any, message: str
) -> None:
    assert run(home, "lists", "update", "--from", str(un_dir), "--source", "un").returncode == 0
    before = run_json(home, "lists", "status")[0]
    f = un_dir / "consolidated.xml"
    f.write_text(mutate(f.read_text(encoding="utf-8")), encoding="utf-8")
    p = run(home, "lists", "update", "--from", str(un_dir), "--source", "un")
    assert p.returncode != 0
    assert "consolidated.xml" in p.stderr and message in p.stderr
    after = run_json(home, "lists", "status")[0]
    assert after["version"] == before["version"]
    assert after["last_failed_update"]["error"]
    assert run_json(home, "lists", "show", "un:9100001")["id"] == "un:9100001"


def test_named_source_without_files_is_an_error(home: Path, tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    p = run(home, "lists", "update", "--from", str(tmp_path / "nothing"), "--source", "un")
    assert p.returncode != 0 and "no un list files found" in p.stderr


def test_unknown_source_and_entity(home: Path, un_dir: Path) -> None:
    p = run(home, "lists", "update", "--from", str(un_dir), "--source", "xyz")
    assert p.returncode == 2 and "unknown source 'xyz'" in p.stderr
    p = run(home, "lists", "show", "un:404")
    assert p.returncode == 6 and "no entity 'un:404'" in p.stderr


def _mock_client(handler: Any) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_download_from_publisher_url(home: Path) -> None:
    url = UnXml.urls["consolidated.xml"]
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=UN_FIXTURE.read_bytes())

    store = Store()
    (res,) = update(store, ["un"], client=_mock_client(handler))
    assert res.ok, res.error
    assert seen == [url]
    assert res.version is not None and res.version.entity_count == 5
    downloaded = Path(res.version.meta["files"][0]["path"])
    assert downloaded.is_relative_to(home / "downloads" / "un")


def test_failed_download_keeps_previous_version(home: Path) -> None:
    store = Store()

    def ok(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=UN_FIXTURE.read_bytes())

    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="maintenance")

    (first,) = update(store, ["un"], client=_mock_client(ok))
    (second,) = update(store, ["un"], client=_mock_client(broken))
    assert not second.ok and second.error is not None and "503" in second.error
    cur = store.current_version("un")
    assert first.version is not None and cur is not None and cur.id == first.version.id
    with pytest.raises(DownloadError):
        from stopship.update import fetch

        fetch("un", home / "x", _mock_client(broken))
