"""`immunoextract render DOC -o page.html [--model M] [--index N]`: one document as an HTML page."""
import sys
from pathlib import Path
from typing import List, Optional

import typer
from wasabi import Printer

from ._util import TYPE_HELP, app, fail


@app.command("render")
def render_cli(
    source: Path = typer.Argument(..., help="Schema .jsonl (annotated or predicted), or a filing (extracted with the model)"),
    output: Path = typer.Option(..., "--output", "-o", help="The HTML page to write"),
    model: Optional[str] = typer.Option(
        None, "--model", "-m", help="Extract first with this pipeline (always done for filings; default: shipped model)"
    ),
    index: int = typer.Option(0, "--index", "-n", help="Which document of the file (0 = first, -1 = last)"),
    doc_id: Optional[str] = typer.Option(None, "--id", help="Render the document with this id instead of --index"),
    doc_type: Optional[List[str]] = typer.Option(None, "--type", help=TYPE_HELP),
) -> None:
    """displaCy marks for entities and events, labelled arcs for relations and event arguments, and the facts."""
    from ..batch import iter_documents
    from ..data.schema import Document
    from ..errors import ImmunoextractError
    from ..render import render_document, select_document

    if not source.exists():
        fail(f"{source}: no such file")
    documents: List[Document] = []
    for _, item in iter_documents([source], types=doc_type):
        if isinstance(item, ImmunoextractError):
            print(f"error: {item}", file=sys.stderr)
        else:
            documents.append(item)
    doc = select_document(documents, index=index, doc_id=doc_id)
    if model is not None or source.suffix != ".jsonl":
        from ..extract import annotate_documents, load

        doc = next(annotate_documents(load(model), [doc]))
    output.write_text(render_document(doc), encoding="utf-8")
    Printer().good(f"{doc.id}: {len(doc.entities)} entities, {len(doc.events)} events, {len(doc.relations)} relations -> {output}")
