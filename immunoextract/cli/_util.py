"""The shared typer app, and the way every subcommand reports bad input: one line, non-zero exit."""
import sys
from typing import Any, List, NoReturn, Optional, Sequence, Tuple

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

TYPE_HELP = "Only these exhibit types of a submission, e.g. EX-99.1"
PREDICTED_HELP = (
    "--predicted: take the annotations of the .jsonl records as they are (gold or predicted); "
    "--extract: run the model on everything. Default: records with 'facts' are taken as they are"
)


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


def read_annotated(inputs: Sequence[str], *, model: Optional[str], predicted: Optional[bool],
                   types: Optional[List[str]]) -> Tuple[List[Any], bool]:
    """`batch.annotated_documents` for a subcommand: each input that cannot be read is reported on
    stderr (the others are still used); RETURNS (the documents, whether any input failed)."""
    from ..batch import annotated_documents

    documents, errors = annotated_documents(inputs, model=model, predicted=predicted, types=types)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    return documents, bool(errors)
