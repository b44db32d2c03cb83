"""List updates: find or fetch a source's files, parse them all, then store atomically.

Parsing happens completely before the store is touched; the store switches versions in
one transaction. Any failure leaves the version in service as it was and is recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from stopship import config
from stopship.errors import DownloadError, SourceNotFoundError, StopshipError
from stopship.model import Entity
from stopship.sources import SOURCES, Adapter, ParsedDataset, ParseIssue, SourceFile
from stopship.store import ListVersion, Store

#: progress callback: (source, stage description)
Progress = Callable[[str, str], None]

_MAX_ISSUES_STORED = 500
_USER_AGENT = "stopship/0.1 (+https://github.com/stopship; sanctions list update)"


@dataclass
class CollectedSource:
    """All datasets of one source, parsed, merged by entity id, not yet stored."""

    source: str
    root: Path
    datasets: list[ParsedDataset]
    entities: list[Entity]
    superseded: int  # entities dropped because an earlier dataset had the same id
    missing: list[str] = field(default_factory=list)  # datasets with no files found

    @property
    def issues(self) -> list[ParseIssue]:
        return [i for d in self.datasets for i in d.issues]

    @property
    def published(self) -> date | None:
        dates = [d.published for d in self.datasets if d.published]
        return max(dates) if dates else None

    def meta(self) -> dict[str, Any]:
        files = []
        for d in self.datasets:
            for f in d.files:
                files.append(
                    {
                        "dataset": d.adapter,
                        "role": f.role,
                        "path": str(f.path),
                        "name": f.path.name,
                        "size": f.path.stat().st_size,
                        "sha256": f.sha256(),
                    }
                )
        issues = self.issues
        return {
            "root": str(self.root),
            "files": files,
            "datasets": [
                {
                    "adapter": d.adapter,
                    "entities": len(d.entities),
                    "published": d.published.isoformat() if d.published else None,
                    "issues": len(d.issues),
                }
                for d in self.datasets
            ],
            "missing_datasets": self.missing,
            "superseded_duplicates": self.superseded,
            "issue_count": len(issues),
            "issues": [str(i) for i in issues[:_MAX_ISSUES_STORED]],
        }


@dataclass
class UpdateResult:
    source: str
    ok: bool
    version: ListVersion | None = None
    error: str | None = None
    issues: list[ParseIssue] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False  # no files for this source where we looked (default set only)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "skipped": self.skipped,
            "error": self.error,
            "seconds": round(self.seconds, 3),
            "issue_count": len(self.issues),
            "version": self.version.to_json() if self.version else None,
        }


def collect(source: str, root: Path, progress: Progress | None = None) -> CollectedSource:
    """Discover and parse every dataset of ``source`` below ``root``."""
    parsed: list[ParsedDataset] = []
    missing: list[str] = []
    for spec in SOURCES[source]:
        chosen: tuple[Adapter, list[SourceFile]] | None = None
        for adapter in spec.load_adapters():
            files = adapter.discover(root)
            if files:
                chosen = (adapter, files)
                break
        if chosen is None:
            missing.append(spec.name)
            continue
        adapter, files = chosen
        if progress:
            names = ", ".join(f.path.name for f in files)
            progress(source, f"parsing {spec.name} ({adapter.name}: {names})")
        parsed.append(adapter.parse(files))
    if not parsed:
        raise SourceNotFoundError(f"no {source} list files found in {root}")
    merged: dict[str, Entity] = {}
    superseded = 0
    for d in parsed:
        for e in d.entities:
            if e.id in merged:
                superseded += 1
                continue
            merged[e.id] = e
    return CollectedSource(
        source=source,
        root=root,
        datasets=parsed,
        entities=list(merged.values()),
        superseded=superseded,
        missing=missing,
    )


def fetch(
    source: str,
    dest: Path,
    client: httpx.Client,
    progress: Progress | None = None,
) -> Path:
    """Download ``source``'s files from the publishers into ``dest``: for each dataset,
    the most preferred format that has official URLs."""
    dest.mkdir(parents=True, exist_ok=True)
    got = 0
    for spec in SOURCES[source]:
        for adapter in spec.load_adapters():
            if not adapter.urls:
                continue
            for filename, url in adapter.urls.items():
                if progress:
                    progress(source, f"downloading {url}")
                try:
                    resp = client.get(url)
                    resp.raise_for_status()
                except httpx.HTTPError as exc:
                    raise DownloadError(f"downloading {source} from {url} failed: {exc}") from exc
                if not resp.content.strip():
                    raise DownloadError(f"downloading {source} from {url}: empty response")
                (dest / filename).write_bytes(resp.content)
                got += 1
            break
    if not got:
        raise DownloadError(f"{source} has no official download URL; load it with --from DIR")
    return dest


def update(
    store: Store,
    sources: list[str],
    *,
    from_dir: Path | None = None,
    explicit: bool = False,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
) -> list[UpdateResult]:
    """Update each source; one source's failure does not stop the others."""
    results: list[UpdateResult] = []
    for source in sources:
        started = datetime.now(UTC)
        t0 = time.perf_counter()
        result = UpdateResult(source=source, ok=False)
        meta: dict[str, Any] = {"from": str(from_dir) if from_dir else "download"}
        try:
            if from_dir is not None:
                root = from_dir
            else:
                stamp = started.strftime("%Y%m%dT%H%M%S")
                own = client is None
                http = client or httpx.Client(
                    timeout=120, follow_redirects=True, headers={"User-Agent": _USER_AGENT}
                )
                try:
                    dest = config.home() / "downloads" / source / stamp
                    root = fetch(source, dest, http, progress)
                finally:
                    if own:
                        http.close()
            collected = collect(source, root, progress)
            result.issues = collected.issues
            meta.update(collected.meta())
            if progress:
                progress(source, f"storing {len(collected.entities)} entities")
            result.version = store.replace_source(
                source,
                collected.entities,
                published=collected.published,
                meta=meta,
                started_at=started,
            )
            result.ok = True
        except SourceNotFoundError as exc:
            if from_dir is not None and not explicit:
                result.skipped = True
                result.ok = True
                result.error = str(exc)
            else:
                result.error = str(exc)
                store.record_failure(source, str(exc), meta=meta, started_at=started)
        except StopshipError as exc:
            result.error = str(exc)
            store.record_failure(source, str(exc), meta=meta, started_at=started)
        result.seconds = time.perf_counter() - t0
        results.append(result)
    return results
