"""``stopship keys ...``: create, list and revoke API keys for the HTTP service."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from stopship.cases import ApiKey, CaseService
from stopship.store import Store

keys_app = typer.Typer(help="API keys of the HTTP service.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)

#: who the command line is in the audit log
CLI_ACTOR = "cli"


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _service() -> CaseService:
    return CaseService(Store())


def _key_json(k: ApiKey) -> dict[str, Any]:
    return k.model_dump(mode="json")


@keys_app.command("create")
def create_cmd(
    role: Annotated[str, typer.Option("--role", help="analyst, reviewer, admin or service")],
    name: Annotated[str, typer.Option("--name", help="Who or what uses the key.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Create a key. Its secret is printed once: it is stored only as a hash."""
    key, secret = _service().create_key(role, name, actor=CLI_ACTOR)
    if as_json:
        _print_json({"key": _key_json(key), "secret": secret})
        return
    err.print(
        f"Created key #{key.id} {escape(key.name)!r} with role [bold]{key.role.value}[/]. "
        "[yellow]The secret below is shown only this once and cannot be shown again: "
        "store it now.[/]"
    )
    print(secret)


@keys_app.command("list")
def list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Every key: id, name, role, secret prefix, created, last used, revoked."""
    keys = _service().list_keys()
    if as_json:
        _print_json([_key_json(k) for k in keys])
        return
    if not keys:
        out.print("No API keys yet. Create one with `stopship keys create --role ...`.")
        return
    table = Table(title="API keys")
    for col in ("id", "name", "role", "prefix", "created (UTC)", "last used", "revoked"):
        table.add_column(col)

    def ts(v: Any) -> str:
        return v.strftime("%Y-%m-%d %H:%M") if v else "-"

    for k in keys:
        table.add_row(
            str(k.id),
            escape(k.name),
            k.role.value,
            k.prefix + "...",
            ts(k.created_at),
            ts(k.last_used_at),
            ts(k.revoked_at),
        )
    out.print(table)


@keys_app.command("revoke")
def revoke_cmd(
    key_id: Annotated[int, typer.Argument(help="The key's id (see `stopship keys list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Revoke a key: it is refused from now on (its history stays)."""
    key = _service().revoke_key(key_id, actor=CLI_ACTOR)
    if as_json:
        _print_json(_key_json(key))
        return
    out.print(f"Key #{key.id} {escape(key.name)!r} ({key.role.value}) is revoked.")
