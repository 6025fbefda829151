"""The shared typer app, and the way every subcommand reports bad input: one line, non-zero exit."""
import sys
from typing import NoReturn

import typer
from wasabi import Printer

from ..errors import ImmunoextractError

app = typer.Typer(
    name="immunoextract",
    help="Extract drugs, antibodies, targets, partners, officers, relations and events from biopharma filings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
msg = Printer()


def fail(text: str, *, code: int = 1) -> NoReturn:
    """Print one error line on stderr and exit with `code`."""
    print(f"error: {text}", file=sys.stderr)
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry: run the app, turning any ImmunoextractError into one line and exit 1."""
    try:
        app()
    except ImmunoextractError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(1)
