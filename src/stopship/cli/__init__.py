"""The ``stopship`` command line. Errors are mapped to messages and exit codes here."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from stopship.cli.audit import audit_app
from stopship.cli.keys import keys_app
from stopship.cli.lists import lists_app
from stopship.cli.match import match_cmd
from stopship.cli.screen import screen_cmd, screen_payment_cmd
from stopship.cli.serve import serve_cmd
from stopship.errors import StopshipError

app = typer.Typer(
    name="stopship",
    help="Sanctions and export-control screening against the official lists.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(lists_app, name="lists")
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.command("match")(match_cmd)
app.command("screen")(screen_cmd)
app.command("screen-payment")(screen_payment_cmd)
app.command("serve")(serve_cmd)

err = Console(stderr=True)


def main() -> None:
    try:
        rc = app(standalone_mode=False)  # click returns the code of a typer.Exit here
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except StopshipError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted: nothing was changed by the unfinished step")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors (typer ships its own click)
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        code = getattr(exc, "exit_code", 2)
        sys.exit(code if isinstance(code, int) else 2)
