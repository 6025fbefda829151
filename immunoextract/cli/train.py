"""`immunoextract train CONFIG --output DIR [--gpu-id N] [--resume-from MODEL] [--section.key value ...]`."""
from pathlib import Path

import typer
from spacy.cli._util import parse_config_overrides

from ._util import app, fail


@app.command("train", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train_cli(
    ctx: typer.Context,
    config_path: Path = typer.Argument(..., help="Training config, e.g. configs/cpu.cfg", exists=False),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for model-best and model-last"),
    gpu_id: int = typer.Option(-1, "--gpu-id", "-g", help="GPU id, -1 for CPU"),
    resume_from: Path = typer.Option(None, "--resume-from", help="A saved pipeline whose trained components start from their weights"),
) -> None:
    """Train a pipeline from schema JSONL (the config's paths.train / paths.dev). Extra
    `--section.key value` options override the config, as with `spacy train`."""
    from ..training.loop import train

    if not config_path.exists():
        fail(f"{config_path}: no such config file")
    overrides = parse_config_overrides(ctx.args)
    best = train(config_path, output, overrides=overrides, use_gpu=gpu_id, resume_from=resume_from)
    typer.echo(f"Best model: {best}")
