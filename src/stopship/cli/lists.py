"""``stopship lists ...``: update, status, diff and show the official lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from stopship.errors import StopshipError
from stopship.model import Entity
from stopship.sources import resolve_sources
from stopship.store import Store
from stopship.update import update

lists_app = typer.Typer(help="Load and inspect the official lists.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@lists_app.command("update")
def update_cmd(
    from_dir: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Load local files from this folder instead of downloading from the publishers.",
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Comma-separated sources: ofac,un,eu,uk,csl,opensanctions (default: all "
            "official ones).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Parse, validate and load lists; each source switches to its new version atomically."""
    if from_dir is not None and not from_dir.exists():
        raise StopshipError(f"--from {from_dir}: no such file or folder")
    sources = resolve_sources(source, include_optional=from_dir is not None)
    store = Store()
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[source]:<14}[/]"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=as_json,
        disable=as_json,
    ) as progress:
        tasks = {s: progress.add_task("waiting", source=s, total=None) for s in sources}

        def report(src: str, stage: str) -> None:
            progress.update(tasks[src], description=escape(stage))

        results = update(
            store, sources, from_dir=from_dir, explicit=source is not None, progress=report
        )
        matcher = None
        if any(r.ok and r.version for r in results):
            t = progress.add_task("building", source="match index", total=None)
            from stopship.match import Matcher

            matcher = Matcher.from_store(store, rebuild=True)
            index = matcher.index
            progress.update(
                t,
                description=f"[green]built[/] over {len(index.names)} names",
                total=1,
                completed=1,
            )
            for p in index.problems:
                err.print(
                    f"[yellow]not indexed:[/] {escape(p.entity_id)} "
                    f"{escape(p.name)!r}: {escape(p.reason)}"
                )
        for r in results:
            if r.skipped:
                msg = "[dim]skipped: no files[/]"
            elif r.ok and r.version:
                d = r.version.delta.summary() if r.version.delta else {}
                msg = (
                    f"[green]loaded[/] {r.version.entity_count} entities as version "
                    f"{r.version.id} (+{d.get('added', 0)} -{d.get('removed', 0)} "
                    f"~{d.get('changed', 0)}) in {r.seconds:.1f}s"
                )
            else:
                msg = "[red]FAILED[/]: previous version kept"
            progress.update(tasks[r.source], description=msg, total=1, completed=1)
    # case management: audit the update, re-screen monitored counterparties, webhooks
    from stopship.cases.updates import after_list_update, summary_line

    rescreened = after_list_update(store, results, matcher)
    if rescreened is not None:
        err.print(f"[bold]monitoring:[/] {escape(summary_line(*rescreened))}", highlight=False)
    if as_json:
        _print_json([r.to_json() for r in results])
    else:
        for r in results:
            if r.issues:
                err.print(f"[yellow]{r.source}: {len(r.issues)} issue(s) to review:[/]")
                for i in r.issues[:20]:
                    err.print(f"  - {escape(str(i))}", highlight=False)
                if len(r.issues) > 20:
                    err.print(f"  ... and {len(r.issues) - 20} more (see `stopship lists status`)")
            if r.error and not r.skipped:
                err.print(f"[bold red]error:[/] {r.source}: {escape(r.error)}", highlight=False)
    if any(not r.ok for r in results):
        raise typer.Exit(3)
    if all(r.skipped for r in results):
        err.print(f"[bold red]error:[/] no list files found in {from_dir}")
        raise typer.Exit(4)


@lists_app.command("status")
def status_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Per source: version in service, publication date, load time, counts by kind."""
    store = Store()
    versions = store.current_versions()
    failures = {v.source: v for v in reversed(store.history(limit=200)) if v.status == "failed"}
    if as_json:
        data = []
        for v in versions:
            j = v.to_json()
            last_fail = failures.get(v.source)
            if last_fail and last_fail.id > v.id:
                j["last_failed_update"] = {
                    "at": last_fail.started_at.isoformat(),
                    "error": last_fail.error,
                }
            data.append(j)
        _print_json(data)
        return
    if not versions:
        out.print("No lists loaded yet. Run `stopship lists update`.")
        return
    table = Table(title="Lists in service")
    for col in (
        "source",
        "version",
        "published",
        "loaded at (UTC)",
        "entities",
        "by kind",
        "issues",
    ):
        table.add_column(col)
    for v in versions:
        kinds = ", ".join(f"{k} {n}" for k, n in v.meta.get("counts_by_kind", {}).items())
        table.add_row(
            v.source,
            str(v.id),
            v.published.isoformat() if v.published else "-",
            v.finished_at.strftime("%Y-%m-%d %H:%M:%S") if v.finished_at else "-",
            str(v.entity_count),
            kinds,
            str(v.meta.get("issue_count", 0)),
        )
    out.print(table)
    for v in versions:
        last_fail = failures.get(v.source)
        if last_fail and last_fail.id > v.id:
            out.print(
                f"[yellow]{v.source}: the last update failed "
                f"({escape(last_fail.error or '')}); version {v.id} stays in service[/]"
            )


@lists_app.command("diff")
def diff_cmd(
    source: Annotated[str, typer.Argument(help="ofac, un, eu, uk, csl or opensanctions")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The delta of the last update of SOURCE: entities added, removed and changed."""
    (src,) = resolve_sources(source)
    store = Store()
    v = store.current_version(src)
    if v is None or v.delta is None:
        raise StopshipError(f"{src} has not been loaded yet")
    d = v.delta
    if as_json:
        _print_json(d.model_dump(mode="json"))
        return
    out.print(
        f"[bold]{src}[/]: version {d.previous_version or '-'} -> {d.version}: "
        f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
    )
    for eid in d.added[:50]:
        out.print(f"  [green]+ {eid}[/]")
    for eid in d.removed[:50]:
        out.print(f"  [red]- {eid}[/]")
    for eid, changes in list(d.changed.items())[:50]:
        out.print(f"  [yellow]~ {eid}[/]: {', '.join(c.field for c in changes)}")
    hidden = max(0, len(d.added) - 50) + max(0, len(d.removed) - 50)
    hidden += max(0, len(d.changed) - 50)
    if hidden:
        out.print(f"  ... {hidden} more (use --json for all)")


@lists_app.command("show")
def show_cmd(
    entity_id: Annotated[str, typer.Argument(help="An entity id, e.g. ofac:45708")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """One entity: all its fields and the publisher's raw record."""
    store = Store()
    ent = store.get_entity(entity_id)
    if as_json:
        data = ent.content()
        data["caption"] = ent.caption
        _print_json(data)
        return
    render_entity(ent)


def render_entity(ent: Entity) -> None:
    out.print(
        Panel.fit(
            f"[bold]{escape(ent.caption)}[/]\n{ent.id} · {ent.kind.value} · "
            f"{escape(ent.list_name or ent.source)}"
        )
    )
    t = Table(title="Names", show_lines=False)
    for col in ("type", "script", "name"):
        t.add_column(col)
    for n in ent.names:
        t.add_row(n.type.value, n.script, escape(n.value))
    out.print(t)
    if ent.addresses:
        t = Table(title="Addresses")
        for col in ("street", "city", "postcode", "region", "country", "as published"):
            t.add_column(col)
        for a in ent.addresses:
            t.add_row(
                *(
                    escape(x or "")
                    for x in (
                        a.street,
                        a.city,
                        a.postcode,
                        a.region,
                        a.country or a.country_name,
                        a.full,
                    )
                )
            )
        out.print(t)
    if ent.identifiers:
        t = Table(title="Identifiers")
        for col in ("type", "value", "country", "label"):
            t.add_column(col)
        for i in ent.identifiers:
            t.add_row(i.type.value, escape(i.value), i.country or "", escape(i.label or ""))
        out.print(t)
    facts: list[tuple[str, str]] = []
    if ent.birth_dates:
        facts.append(("birth dates", ", ".join(b.raw for b in ent.birth_dates)))
    if ent.birth_places:
        facts.append(("birth places", "; ".join(ent.birth_places)))
    if ent.nationalities:
        facts.append(("nationalities", ", ".join(ent.nationalities)))
    if ent.countries:
        facts.append(("countries", ", ".join(ent.countries)))
    if ent.programs:
        facts.append(("programs", ", ".join(ent.programs)))
    if ent.listed_on:
        facts.append(("listed on", ent.listed_on.isoformat()))
    if ent.gender:
        facts.append(("gender", ent.gender))
    for label, vals in (("titles", ent.titles), ("positions", ent.positions)):
        if vals:
            facts.append((label, "; ".join(vals)))
    for rel in ent.relations:
        facts.append((rel.type.replace("_", " "), rel.target_name or rel.target_id or ""))
    for key, vals in ent.properties.items():
        facts.append((key, "; ".join(vals)))
    if facts:
        t = Table(title="Facts", show_header=False)
        t.add_column("field", style="bold")
        t.add_column("value")
        for label, text in facts:
            t.add_row(escape(label), escape(text))
        out.print(t)
    for r in ent.remarks:
        out.print(Panel(escape(r), title="Remarks", expand=False))
    out.print(Panel(escape(ent.raw), title=f"Raw record ({ent.raw_format})", expand=False))
