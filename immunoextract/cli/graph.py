"""`immunoextract graph INPUT... -o out.graphml|out.json`: facts as a graph of entity clusters."""
from pathlib import Path
from typing import List, Optional

import typer
from wasabi import Printer

from ._util import PREDICTED_HELP, TYPE_HELP, app, fail, read_annotated


@app.command("graph")
def graph_cli(
    inputs: List[str] = typer.Argument(..., help="Filings or schema .jsonl (extracted ones are used as they are)"),
    output: Path = typer.Option(..., "--output", "-o", help="Output file: .graphml (GraphML) or .json (node-link JSON)"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="graphml or json (default: from the suffix of --output)"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Pipeline for inputs not yet extracted (default: shipped model)"),
    predicted: Optional[bool] = typer.Option(None, "--predicted/--extract", help=PREDICTED_HELP),
    doc_type: Optional[List[str]] = typer.Option(None, "--type", help=TYPE_HELP),
) -> None:
    """Nodes are entity clusters merged across documents by name; edges are relation and event facts."""
    from ..graph import FORMATS, facts_graph, write_graph

    fmt = (fmt or output.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        fail(f"unknown --format {fmt!r} (graphml or json; or name the output .graphml or .json)")
    documents, failed = read_annotated(inputs, model=model, predicted=predicted, types=doc_type)
    graph = facts_graph(documents)
    write_graph(graph, output, fmt=fmt)
    Printer().good(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges from {len(documents)} documents -> {output}")
    if failed:
        raise typer.Exit(1)
