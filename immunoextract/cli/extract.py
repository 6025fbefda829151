"""`immunoextract extract INPUT... [-o OUT.jsonl] [--model M] [--format jsonl|table]`."""
import sys
from pathlib import Path
from typing import Iterator, List, Optional, Union

import typer
from wasabi import Printer

from ._util import TYPE_HELP, app, fail
from ..data.schema import Document, dumps_document, iter_jsonl
from ..errors import ImmunoextractError


def iter_inputs(paths: List[Path], *, types: Optional[List[str]] = None) -> Iterator[Union[Document, ImmunoextractError]]:
    """Documents from schema JSONL files and from filings in any format the reader takes; errors are
    yielded, not raised, so one bad input never stops the others."""
    from ..filings import ReaderConfig, iter_filings

    config = ReaderConfig(types=tuple(types)) if types else None
    for path in paths:
        if path.suffix.lower() == ".jsonl":
            yield from iter_jsonl(path)
            continue
        for item in iter_filings([path], config=config):
            if isinstance(item, ImmunoextractError):
                yield item
            else:
                yield Document(id=item.id, text=item.source_text, meta=dict(item.meta))


def _table(doc: Document, msg: Printer) -> None:
    msg.divider(f"{doc.id}  {doc.meta.get('company', '')}  {doc.meta.get('date', '')}")
    rows = [(e.label, " ".join(doc.span_text(e).split()), e.start, f"{e.score:.2f}" if e.score is not None else "") for e in doc.entities]
    if rows:
        msg.table(rows, header=("label", "mention", "offset", "score"))
    facts = doc.extra.get("facts", {})
    rel_rows = [(f["label"], f["head"]["name"], f["tail"]["name"]) for f in facts.get("relations", [])]
    if rel_rows:
        msg.table(rel_rows, header=("relation", "head", "tail"))
    ev_rows = [(f["label"], (f["product"] or {}).get("name", "-"), (f["party"] or {}).get("name", "-")) for f in facts.get("events", [])]
    if ev_rows:
        msg.table(ev_rows, header=("event", "product", "party"))


@app.command("extract")
def extract_cli(
    inputs: List[Path] = typer.Argument(..., help="Filings (EDGAR submission, HTML, plain text) or schema .jsonl"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write schema JSONL here (default: stdout)"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Pipeline directory or package (default: shipped model)"),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl or table"),
    doc_type: Optional[List[str]] = typer.Option(None, "--type", help=TYPE_HELP),
    batch_size: int = typer.Option(4, "--batch-size", help="Pieces (of at most 5,000 characters) per nlp.pipe batch; memory grows with it"),
) -> None:
    """Entities, events, relations and document-level facts, with offsets into the original text."""
    from ..extract import annotate_documents, load

    if fmt not in ("jsonl", "table"):
        fail(f"unknown --format {fmt!r} (jsonl or table)")
    if output is not None and fmt == "table":
        fail("--output writes JSONL; leave it out with --format table")
    if output is not None and not output.parent.is_dir():
        fail(f"{output}: the folder {output.parent} does not exist")
    missing = [p for p in inputs if not p.exists()]
    for p in missing:
        print(f"error: {p}: no such file", file=sys.stderr)
    nlp = load(model)
    failures = len(missing)
    good: List[Document] = []

    def documents() -> Iterator[Document]:
        nonlocal failures
        for item in iter_inputs([p for p in inputs if p.exists()], types=doc_type):
            if isinstance(item, ImmunoextractError):
                failures += 1
                print(f"error: {item}", file=sys.stderr)
                continue
            yield item

    out = output.open("w", encoding="utf-8") if output and fmt == "jsonl" else None
    msg = Printer()
    try:
        for doc in annotate_documents(nlp, documents(), batch_size=batch_size):
            if fmt == "table":
                _table(doc, msg)
            elif out is not None:
                out.write(dumps_document(doc) + "\n")
            else:
                sys.stdout.write(dumps_document(doc) + "\n")
    finally:
        if out is not None:
            out.close()
    if failures:
        raise typer.Exit(1)
