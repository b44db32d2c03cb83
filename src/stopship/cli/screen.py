"""``stopship screen`` (orders) and ``stopship screen-payment`` (MT103 / pacs.008)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from stopship.cli.progress import batch_progress
from stopship.engine.screening import decision_json
from stopship.errors import InputError
from stopship.match.batch_io import completed_rows
from stopship.screen.decision import Decision, Outcome
from stopship.screen.orders import read_orders
from stopship.screen.payments import parse_payment_file
from stopship.screen.report import render_html, write_export
from stopship.screen.screener import Screener
from stopship.store import Store

out = Console()
err = Console(stderr=True)

RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="A rule set file (default: the packaged one)")
]
GoodsOpt = Annotated[
    list[Path] | None,
    typer.Option("--goods-list", help="Extra HS-code (.json) or watch (.csv) lists; repeatable"),
]


def _screener(rules: Path | None, goods: list[Path] | None) -> Screener:
    err.print("loading lists, index and rules ...")
    return Screener.from_store(Store(), rules=rules, goods_lists=tuple(goods or ()))


_decision_json = decision_json  # one place makes decision lines (the engines too)


def screen_cmd(
    file: Annotated[Path, typer.Argument(help="Orders: JSON, JSONL, CSV or XLSX")],
    output: Annotated[
        Path | None,
        typer.Option(
            help="Decisions as JSONL (resumed after a crash; default FILE.decisions.jsonl)"
        ),
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write a self-contained HTML report")] = None,
    export: Annotated[
        Path | None, typer.Option(help="Write a flat CSV or XLSX export (formula-safe)")
    ] = None,
    rules: RulesOpt = None,
    goods_list: GoodsOpt = None,
    restart: Annotated[bool, typer.Option(help="Start over instead of resuming")] = False,
    engine: Annotated[
        str, typer.Option(help="local (this process) or spark (same decisions, on Spark)")
    ] = "local",
    spark_master: Annotated[
        str | None,
        typer.Option("--spark-master", help="Spark master URL (default local[*])"),
    ] = None,
) -> None:
    """Screen every order of FILE: one decision (clear / review / block) each, with reasons."""
    if export is not None and export.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(f"--export {export}: use a .csv or .xlsx file")
    if spark_master is not None and engine != "spark":
        raise InputError("--spark-master needs --engine spark")
    records = list(read_orders(file))
    dst = output or file.with_name(file.name + ".decisions.jsonl")
    done = 0 if restart else completed_rows(dst)
    if done > len(records):
        raise InputError(f"{dst} has {done} lines, more than {file} has orders ({len(records)})")
    if done:
        err.print(f"resuming after {done} of {len(records)} orders (already in {dst})")
    from stopship.engine import engine_for

    eng = engine_for(engine, master=spark_master)
    err.print("loading lists, index and rules ...")
    with batch_progress("screening", err, disable=engine != "local") as progress:
        task = progress.add_task("screen", total=len(records), completed=done)
        run = eng.run_screen(
            file,
            dst,
            rules=rules,
            goods_lists=tuple(goods_list or ()),
            skip=done,
            append=bool(done) and not restart,
            progress=lambda n: progress.advance(task, n),
        )
    if engine != "local":
        err.print(f"{run.engine}: {run.summary()} in {run.seconds:.1f} s")
    decisions, errors = _read_back(dst)
    _summary(decisions, errors)
    if report is not None:
        report.write_text(
            render_html(decisions, f"stopship screening report: {file.name}"), encoding="utf-8"
        )
        err.print(f"report: {report}")
    if export is not None:
        write_export(export, decisions)
        err.print(f"export: {export}")
    if errors:
        raise typer.Exit(2)
    if any(d.decision is not Outcome.CLEAR for d in decisions):
        raise typer.Exit(1)


def _read_back(path: Path) -> tuple[list[Decision], list[dict[str, Any]]]:
    decisions: list[Decision] = []
    errors: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if "errors" in obj:
                errors.append(obj)
            else:
                obj.pop("location", None)
                decisions.append(Decision.model_validate(obj))
    return decisions, errors


def _summary(decisions: list[Decision], errors: list[dict[str, Any]]) -> None:
    for d in decisions:
        color = {"block": "red", "review": "yellow", "clear": "green"}[d.decision.value]
        out.print(f"[bold {color}]{d.decision.value.upper():6}[/] {escape(d.document_id)}")
        for r in d.reasons:
            out.print(
                f"    {r.severity.value:6} {escape(r.code)}: {escape(r.message)}", highlight=False
            )
    for e in errors:
        err.print(
            f"[red]error[/] {escape(str(e.get('source')))}, {escape(str(e['location']))}: "
            f"{escape('; '.join(e['errors']))}"
        )


def screen_payment_cmd(
    file: Annotated[Path, typer.Argument(help="An MT103 (one or more messages) or pacs.008 file")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per message")] = False,
    strict: Annotated[
        bool, typer.Option(help="Treat SWIFT line-length and character-set deviations as errors")
    ] = False,
    rules: RulesOpt = None,
    goods_list: GoodsOpt = None,
) -> None:
    """Screen payment messages (format detected from content): decision, reasons, matches."""
    payments = parse_payment_file(file, strict=strict)
    screener = _screener(rules, goods_list)
    decisions = []
    with batch_progress("screening", err, disable=len(payments) < 2) as progress:
        task = progress.add_task("screen", total=len(payments))
        for p in payments:
            decisions.append(screener.screen_payment(p))
            progress.advance(task)
    if as_json:
        for p, d in zip(payments, decisions, strict=True):
            data = _decision_json(d)
            data["warnings"] = list(p.warnings)
            print(json.dumps(data, ensure_ascii=False))
    else:
        _summary(decisions, [])
    if any(d.decision is not Outcome.CLEAR for d in decisions):
        raise typer.Exit(1)
