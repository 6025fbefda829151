"""`immunoextract graph INPUT... -o out.graphml|out.json`: facts as a graph of entity clusters."""
import sys
from pathlib import Path
from typing import List, Optional

import typer
from wasabi import Printer

from ._util import app, fail


@app.command("graph")
def graph_cli(
    inputs: List[str] = typer.Argument(..., help="Filings or schema .jsonl (extracted ones are used as they are)"),
    output: Path = typer.Option(..., "--output", "-o", help="Output file: .graphml (GraphML) or .json (node-link JSON)"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="graphml or json (default: from the suffix of --output)"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Pipeline for inputs not yet extracted (default: shipped model)"),
    predicted: Optional[bool] = typer.Option(
        None, "--predicted/--extract",
        help="--predicted: take the annotations of the .jsonl records as they are; --extract: run the model on "
        "everything. Default: records with 'facts' are taken as they are",
    ),
    doc_type: Optional[List[str]] = typer.Option(None, "--type", help="Only these exhibit types of a submission, e.g. EX-99.1"),
) -> None:
    """Nodes are entity clusters merged across documents by name; edges are relation and event facts."""
    from ..batch import annotated_documents
    from ..graph import FORMATS, facts_graph, write_graph

    fmt = (fmt or output.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        fail(f"unknown --format {fmt!r} (graphml or json; or name the output .graphml or .json)")
    documents, errors = annotated_documents(inputs, model=model, predicted=predicted, types=doc_type)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    graph = facts_graph(documents)
    write_graph(graph, output, fmt=fmt)
    Printer().good(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges from {len(documents)} documents -> {output}")
    if errors:
        raise typer.Exit(1)
