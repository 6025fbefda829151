"""`immunoextract read FILE...`: read filings and print their clean text, or write schema JSONL.

Two layers as in `spacy/cli/evaluate.py`: the typer command, and a plain
`read_files()` that writes the output and returns what it read and what failed.
Each unreadable file or document gives one `error:` line on stderr; the others
are still read, and the command exits 1 when anything failed.
"""
import sys
import warnings
from pathlib import Path
from typing import IO, List, Optional, Sequence, Tuple

import typer
from wasabi import Printer

from ..errors import FilingError
from ._util import app

FORMATS: Tuple[str, ...] = ("text", "jsonl")


def error_line(err: FilingError) -> str:
    """The one-line report of a failure: `error: <file>: <document>: <problem>`."""
    parts = [str(err.path) if err.path is not None else "<input>"]
    if err.doc_id is not None:
        parts.append(str(err.doc_id))
    parts.append(err.problem)
    return "error: " + ": ".join(parts)


def read_files(
    paths: Sequence[Path],
    *,
    types: Optional[Sequence[str]] = None,
    fmt: str = "text",
    out: Optional[IO[str]] = None,
    err: Optional[IO[str]] = None,
) -> Tuple[int, List[FilingError]]:
    """Read filings and write each document to `out`.

    paths (Sequence[Path]): the files.
    types (Sequence[str] | None): document types of submissions to keep (glob patterns), default all.
    fmt (str): "text" (metadata lines, then the clean text) or "jsonl" (schema records whose
        `text` is the source text), default "text".
    out (IO[str] | None): where documents go, default stdout.
    err (IO[str] | None): where `error:` and `warning:` lines go, default stderr.
    RETURNS (Tuple[int, List[FilingError]]): the number of documents written, and the failures.
    """
    from ..data.schema import Document, dumps_document
    from ..filings import Filing, ReaderConfig, iter_filings

    out = out or sys.stdout
    err = err or sys.stderr
    config = ReaderConfig(types=tuple(types) if types else None)
    failures: List[FilingError] = []
    written = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for item in iter_filings(paths, config=config):
            for warning in caught:
                print(f"warning: {warning.message}", file=err)
            caught.clear()
            if not isinstance(item, Filing):
                failures.append(item)
                print(error_line(item), file=err)
                continue
            if fmt == "jsonl":
                out.write(dumps_document(Document(id=item.id, text=item.source_text, meta=dict(item.meta))) + "\n")
            else:
                if written:
                    out.write("\n")
                out.write(f"=== {item.id} ===\n")
                for key, value in item.meta.items():
                    if value is not None:
                        out.write(f"{key}: {value}\n")
                out.write("\n" + item.text + "\n")
            written += 1
        for warning in caught:
            print(f"warning: {warning.message}", file=err)
    return written, failures


@app.command("read")
def read_cli(
    files: List[Path] = typer.Argument(..., help="Filings: EDGAR full-submission .txt, HTML or plain-text files"),
    types: Optional[List[str]] = typer.Option(
        None, "--type", "-t", help="Keep only these document types of a submission, e.g. EX-99.1 or 'EX-99*' (repeatable)"
    ),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout"),
    fmt: str = typer.Option("text", "--format", "-f", help="text: metadata and clean text; jsonl: schema records"),
) -> None:
    """Read filings and print their clean text with metadata, or write schema JSONL records."""
    if fmt not in FORMATS:
        print(f"error: unknown --format {fmt!r} (expected one of {', '.join(FORMATS)})", file=sys.stderr)
        raise typer.Exit(2)
    if output is None:
        _, failures = read_files(files, types=types, fmt=fmt)
    else:
        try:
            handle = output.open("w", encoding="utf-8")
        except OSError as exc:
            print(f"error: {output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            raise typer.Exit(1)
        with handle:
            written, failures = read_files(files, types=types, fmt=fmt, out=handle)
        Printer().good(f"Wrote {written} document(s) to {output}")
    if failures:
        raise typer.Exit(1)
