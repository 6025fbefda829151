"""`immunoextract timeline INPUT... -o OUT [--format csv|json|png|html]`: each product's dated events."""
from pathlib import Path
from typing import List, Optional

import typer
from wasabi import Printer

from ._util import PREDICTED_HELP, TYPE_HELP, app, fail, read_annotated


@app.command("timeline")
def timeline_cli(
    inputs: List[str] = typer.Argument(..., help="Filings or schema .jsonl (extracted ones are used as they are)"),
    output: Path = typer.Option(..., "--output", "-o", help="Output file (.csv, .json, .png or .html)"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="csv, json, png or html (default: from the suffix of --output, else csv)"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Pipeline for inputs not yet extracted (default: shipped model)"),
    predicted: Optional[bool] = typer.Option(None, "--predicted/--extract", help=PREDICTED_HELP),
    doc_type: Optional[List[str]] = typer.Option(None, "--type", help=TYPE_HELP),
) -> None:
    """Products merged across documents by their aliases, with their LICENSE, TERMINATION, CLINICAL,
    MILESTONE and REGULATORY events in date order."""
    from ..timeline import FORMATS, timeline_rows, write_timeline

    fmt = (fmt or output.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        fail(f"unknown --format {fmt!r} (csv, json, png or html)")
    documents, failed = read_annotated(inputs, model=model, predicted=predicted, types=doc_type)
    rows = timeline_rows(documents)
    write_timeline(rows, output, fmt=fmt)
    products = len({r.product for r in rows})
    Printer().good(f"{len(rows)} events of {products} products from {len(documents)} documents -> {output}")
    if failed:
        raise typer.Exit(1)
