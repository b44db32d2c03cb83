"""``stopship match``: screen one name, or a batch file, against the lists in service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stopship.cli.progress import batch_progress
from stopship.countries import to_iso
from stopship.errors import InputError
from stopship.match import Matcher, Query, QueryResult
from stopship.match.batch_io import completed_rows, read_rows
from stopship.match.parallel import default_workers, match_chunks
from stopship.match.weights import ALERT_THRESHOLD
from stopship.model import EntityKind
from stopship.store import Store

out = Console()
err = Console(stderr=True)
_CHUNK = 512
_SHOWN_ERRORS = 20


def result_json(r: QueryResult, row: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if row is not None:
        data["row"] = row
    data.update(r.model_dump(mode="json", exclude={"query": {"ref"}}))
    if row is not None and r.error:
        data["error"] = f"row {row}: {r.error}"  # a batch error names its row
    data["alert"] = r.alert
    return data


def match_cmd(
    name: Annotated[str | None, typer.Argument(help="The name to screen (any script).")] = None,
    kind: Annotated[
        str, typer.Option(help="person, organization, vessel, aircraft or any")
    ] = "any",
    country: Annotated[str | None, typer.Option(help="ISO country code or name")] = None,
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    id_value: Annotated[
        str | None, typer.Option("--id", help="An identifier: IMO, INN, OGRN, BIC, passport...")
    ] = None,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Alert threshold")
    ] = ALERT_THRESHOLD,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Hits per query")] = 10,
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="Batch: CSV, XLSX, JSONL or Parquet with a name column"),
    ] = None,
    output_file: Annotated[
        Path | None, typer.Option("--output", help="Batch: JSONL output (resumed if it exists)")
    ] = None,
    restart: Annotated[
        bool, typer.Option("--restart", help="Batch: overwrite the output instead of resuming")
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Batch: worker processes (default: all cores)")
    ] = default_workers(),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    engine: Annotated[
        str | None,
        typer.Option(
            help="Batch engine: local (worker processes) or spark; either writes screened rows "
            "to --output (.jsonl or .parquet) and bad rows to --errors"
        ),
    ] = None,
    spark_master: Annotated[
        str | None,
        typer.Option("--spark-master", help="Spark master URL (default local[*])"),
    ] = None,
    delta: Annotated[
        Path | None,
        typer.Option(
            help="Re-screen against a list delta only: the JSON of `stopship lists diff --json`"
        ),
    ] = None,
    errors_file: Annotated[
        Path | None,
        typer.Option(
            "--errors", help="With --engine: bad rows (default: hits.errors.jsonl for hits.jsonl)"
        ),
    ] = None,
) -> None:
    """Screen NAME (or every row of --input) against all loaded lists, with explanations."""
    if (name is None) == (input_file is None):
        raise InputError("give either a NAME or --input FILE (with --output FILE.jsonl)")
    if engine is not None or delta is not None or spark_master is not None:
        if input_file is None or output_file is None:
            raise InputError("--engine, --delta and --spark-master need --input and --output")
        _engine_batch(
            engine or ("spark" if spark_master else "local"),
            input_file,
            output_file,
            errors_file,
            threshold=threshold,
            limit=limit,
            workers=workers,
            master=spark_master,
            delta=delta,
        )
        return
    matcher = Matcher.from_store(Store())
    if input_file is not None:
        if output_file is None:
            raise InputError("--input needs --output FILE.jsonl")
        _batch(matcher, input_file, output_file, threshold, limit, restart, workers)
        return
    assert name is not None
    kind_value = None if kind.lower() == "any" else kind.lower()
    if kind_value is not None and kind_value not in {k.value for k in EntityKind}:
        raise InputError(f"--kind {kind!r}: use person, organization, vessel, aircraft or any")
    country_code = None
    if country is not None and country.strip():
        country_code = to_iso(country)
        if country_code is None:
            raise InputError(f"--country {country!r}: not an ISO code or a known country name")
    try:
        query = Query(
            name=name,
            kind=EntityKind(kind_value) if kind_value else None,
            country=country_code,
            birth_date=birth_date,
            id=id_value,
        )
    except ValidationError as exc:
        msg = "; ".join(
            f"--{'.'.join(str(x) for x in e['loc']).replace('_', '-')}: "
            + (str(e["ctx"]["error"]) if "error" in e.get("ctx", {}) else e["msg"])
            for e in exc.errors()
        )
        raise InputError(msg) from exc
    result = matcher.match(query, threshold=threshold, limit=limit)
    if result.error:
        raise InputError(result.error)
    if as_json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
    else:
        _render(result)
    if result.alert:
        raise typer.Exit(1)


def _render(r: QueryResult) -> None:
    out.print(f"[bold]{escape(r.query.name)}[/] → {escape(' | '.join(r.normalized))}")
    for w in r.warnings:
        out.print(f"[yellow]warning:[/] {escape(w)}")
    if not r.hits:
        out.print("[green]no hits[/]")
        return
    t = Table()
    for col in ("score", "alert", "entity", "matched name", "kind", "why"):
        t.add_column(col)
    for h in r.hits:
        pairs = ", ".join(
            f"{p.query}={p.list}" if p.list else f"{p.query}=∅" for p in h.explanation.token_pairs
        )
        extra = ", ".join(
            f"{f.name} {f.contribution:+.2f}"
            for f in h.explanation.features
            if not f.name.startswith("name.") and f.contribution
        )
        t.add_row(
            f"{h.score:.3f}",
            "[bold red]ALERT[/]" if h.alert else "",
            escape(h.entity_id),
            escape(h.matched_name),
            h.kind,
            escape(pairs + (f"; {extra}" if extra else "")),
        )
    out.print(t)


def _batch(
    matcher: Matcher,
    src: Path,
    dst: Path,
    threshold: float,
    limit: int,
    restart: bool,
    workers: int,
) -> None:
    rows = list(read_rows(src))
    done = 0 if restart else completed_rows(dst)
    if done > len(rows):
        raise InputError(f"{dst} has {done} rows, more than {src} ({len(rows)}): wrong output?")
    if done:
        err.print(f"resuming after row {done} of {len(rows)} (already in {dst})")
    todo = rows[done:]
    bad = {r.row: r.error for r in todo if r.query is None}
    chunks: list[list[tuple[int, Query]]] = []
    for start in range(0, len(todo), _CHUNK):
        chunks.append([(r.row, r.query) for r in todo[start : start + _CHUNK] if r.query])
    errors = alerts = 0
    messages: list[str] = []
    with (
        dst.open("w" if restart or not done else "a", encoding="utf-8") as fh,
        batch_progress("matching", err) as progress,
    ):
        task = progress.add_task("match", total=len(rows), completed=done)
        results = match_chunks(matcher, chunks, threshold, limit, workers, result_json)
        for start, chunk_out in zip(range(0, len(todo), _CHUNK), results, strict=False):
            by_row = {row: (line, alert, failed) for row, line, alert, failed in chunk_out}
            lines = []
            for r in todo[start : start + _CHUNK]:
                if r.row in bad:
                    errors += 1
                    messages.append(r.error or f"row {r.row}")
                    lines.append(json.dumps({"row": r.row, "error": r.error}, ensure_ascii=False))
                    continue
                line, alert, failed = by_row[r.row]
                errors += failed
                if failed:
                    messages.append(f"{src.name}, {json.loads(line)['error']}")
                alerts += alert
                lines.append(line)
            fh.write("\n".join(lines) + "\n")
            fh.flush()
            progress.update(task, advance=len(lines))
    err.print(f"{len(todo)} rows matched: {alerts} with alerts, {errors} with errors")
    if errors:
        for m in messages[:_SHOWN_ERRORS]:
            err.print(f"  [red]{escape(m)}[/]")
        if len(messages) > _SHOWN_ERRORS:
            err.print(f"  ... and {len(messages) - _SHOWN_ERRORS} more (see {dst})")
        raise typer.Exit(2)


def _engine_batch(
    name: str,
    src: Path,
    dst: Path,
    errors: Path | None,
    *,
    threshold: float,
    limit: int,
    workers: int,
    master: str | None,
    delta: Path | None,
) -> None:
    """A batch through an engine (local or Spark): screened rows to ``dst``, bad rows to
    ``errors``; prints the counts (rows in = rows out + rows in error)."""
    from stopship.engine import engine_for
    from stopship.engine.delta import delta_entity_ids

    if name != "spark" and master is not None:
        raise InputError("--spark-master needs --engine spark")
    only = delta_entity_ids(delta) if delta is not None else None
    eng = engine_for(name, workers=workers, master=master)
    if only is not None:
        err.print(f"re-screening against {len(only)} added or changed entities of {delta}")
    report = eng.run_match(src, dst, threshold=threshold, limit=limit, only=only, errors=errors)
    err.print(f"{report.engine}: {report.summary()} in {report.seconds:.1f} s")
    err.print(f"  screened rows: {report.output}")
    err.print(f"  rows in error: {report.errors}")
    if report.rows_error:
        raise typer.Exit(2)
