"""`immunoextract batch INPUT... -o OUTDIR [--engine local|ray] [--workers N]`: resumable bulk extraction."""
from pathlib import Path
from typing import List, Optional

import typer
from wasabi import Printer

from ._util import TYPE_HELP, app, fail


@app.command("batch")
def batch_cli(
    inputs: List[str] = typer.Argument(..., help="Schema .jsonl, filings, directories (recursive) or glob patterns"),
    output_dir: Path = typer.Option(..., "--output", "-o", help="Output folder; a rerun into it skips documents already done"),
    engine: str = typer.Option("local", "--engine", "-e", help="local (nlp.pipe processes) or ray (Ray Data actors)"),
    workers: int = typer.Option(1, "--workers", "-w", help="Worker processes (local) or actors (ray)"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Pipeline directory or package (default: shipped model)"),
    batch_size: int = typer.Option(16, "--batch-size", help="Pieces per nlp.pipe batch; documents per Ray batch at most"),
    doc_type: Optional[List[str]] = typer.Option(None, "--type", help=TYPE_HELP),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Ray cluster address (default: $RAY_ADDRESS, else a local Ray)"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar"),
) -> None:
    """Extract from many filings into OUTDIR: documents.jsonl plus Parquet tables that join on doc_id."""
    from ..batch import ENGINES, run_batch

    if engine not in ENGINES:
        fail(f"unknown --engine {engine!r} (local or ray)")
    if workers < 1:
        fail(f"--workers must be at least 1, got {workers}")
    msg = Printer()
    summary = run_batch(
        inputs, output_dir, model=model, engine=engine, workers=workers, batch_size=batch_size,
        types=doc_type, ray_address=ray_address, progress=progress,
    )
    msg.good(
        f"{summary.done} documents in {summary.seconds:.1f}s ({summary.docs_per_second:.2f} docs/s, "
        f"{summary.words_per_second:,.0f} words/s); {summary.skipped} already done"
    )
    if summary.errors:
        msg.warn(f"{summary.errors} inputs failed: see {output_dir / 'errors.parquet'}")
    msg.info(f"Tables: {', '.join(sorted(str(p.name) for p in summary.tables.values()))} in {output_dir}")
