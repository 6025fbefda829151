"""`immunoextract convert IN OUT --from F --to T`: schema JSONL <-> Prodigy, Label Studio, doccano, DocBin."""
import warnings
from pathlib import Path
from typing import Optional

import typer
from wasabi import Printer

from ._util import app, fail


@app.command("convert")
def convert_cli(
    source: Path = typer.Argument(..., help="Input file"),
    target: Path = typer.Argument(..., help="Output file"),
    from_format: Optional[str] = typer.Option(
        None, "--from", help="jsonl (schema), prodigy-ner, prodigy-rel, label-studio, doccano or docbin (default: from the suffix)"
    ),
    to_format: Optional[str] = typer.Option(None, "--to", help="Output format, same names (default: from the suffix)"),
    clean: bool = typer.Option(False, "--clean", help="docbin: store the cleaned text the pipeline reads"),
) -> None:
    """Convert annotations between formats; lossless where the target can hold everything, with a warning where it cannot."""
    from ..convert import convert

    if not source.exists():
        fail(f"{source}: no such file")
    msg = Printer()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        count = convert(source, target, from_format=from_format, to_format=to_format, clean=clean)
    for warning in caught:
        msg.warn(str(warning.message))
    msg.good(f"{count} documents -> {target}")
