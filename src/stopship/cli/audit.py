"""``stopship audit verify``: check the audit log's hash chain."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from stopship.cases import CaseService
from stopship.errors import AuditTamperedError
from stopship.store import Store

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
out = Console()


@audit_app.command("verify")
def verify_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Recompute the hash chain. Exit 0 when intact; exit 11 naming the first bad row
    when a row was changed, removed, inserted or reordered."""
    report = CaseService(Store()).verify_audit()
    if as_json:
        print(json.dumps(report.model_dump(mode="json"), indent=2))
    elif report.ok:
        out.print(
            f"[green]audit log intact[/]: {report.rows} rows; head {report.head or '-'} "
            "(record this hash elsewhere to detect a rewritten chain later)",
            highlight=False,
            soft_wrap=True,
        )
    if not report.ok:
        raise AuditTamperedError(
            f"audit log tampered: first bad row {report.first_bad_seq}: {report.problem}"
        )
