"""`immunoextract evaluate MODEL GOLD.jsonl`: the schema's scoring with bootstrap intervals.

Three layers as in `spacy/cli/evaluate.py`: the typer command, a plain `evaluate()`
that returns the metrics, and printing through a wasabi Printer.
"""
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

import typer
from wasabi import Printer

from ._util import app, fail
from ..errors import InputError

TASK_NAMES = {"ents": "Entities", "events": "Events", "rels": "Relations", "facts": "Facts"}


def evaluate(
    model: str,
    gold_path: Union[Path, Sequence[Path]],
    *,
    samples: int = 1000,
    seed: int = 0,
    batch_size: int = 16,
) -> Dict[str, Any]:
    """Score a model (pipeline directory or package) or a predictions JSONL file against gold JSONL (one file or several)."""
    from ..data.schema import read_jsonl
    from ..extract import annotate_documents, load
    from ..scoring import evaluate_documents

    gold_paths = [Path(gold_path)] if isinstance(gold_path, (str, Path)) else [Path(p) for p in gold_path]
    gold = [d for path in gold_paths for d in read_jsonl(path)]
    if model.lower().endswith(".jsonl"):
        if not Path(model).is_file():
            raise InputError("no such predictions file", path=model)
        predictions = list(read_jsonl(model))
    else:
        nlp = load(model)
        predictions = list(annotate_documents(nlp, gold, batch_size=batch_size, with_facts=False))
    scores = evaluate_documents(predictions, gold, samples=samples, seed=seed)
    scores["model"] = model
    scores["gold"] = ",".join(str(p) for p in gold_paths)
    return scores


def headline_scores(scores: Dict[str, Any]) -> Dict[str, Any]:
    """The figures worth keeping in a model's meta: micro P/R/F per task, entity F per label, the gold file."""
    kept: Dict[str, Any] = {k: round(v, 4) for k, v in scores.items() if k.rsplit("_", 1)[-1] in ("p", "r", "f") and isinstance(v, float)}
    kept["ents_f_per_type"] = {label: round(v["f"], 4) for label, v in scores["ents_per_type"].items()}
    kept["gold"] = scores["gold"]
    kept["n_docs"] = scores["n_docs"]
    return kept


def print_scores(scores: Dict[str, Any], msg: Printer, *, worst: int = 15) -> None:
    intervals = scores.get("intervals", {})
    rows = []
    for task, name in TASK_NAMES.items():
        lo, hi = intervals.get(f"{task}_f", (None, None))
        ci = f"[{lo * 100:.1f}, {hi * 100:.1f}]" if lo is not None else ""
        rows.append((name, f"{scores[f'{task}_p'] * 100:.1f}", f"{scores[f'{task}_r'] * 100:.1f}", f"{scores[f'{task}_f'] * 100:.1f}", ci))
    msg.divider(f"Results ({scores['n_docs']} documents)")
    msg.table(rows, header=("", "P", "R", "F", "F 95% CI"), aligns=("l", "r", "r", "r", "r"))
    for task, name in TASK_NAMES.items():
        per_type = scores.get(f"{task}_per_type") or {}
        if per_type:
            data = [(label, f"{v['p'] * 100:.1f}", f"{v['r'] * 100:.1f}", f"{v['f'] * 100:.1f}", v["tp"] + v["fn"]) for label, v in per_type.items()]
            msg.divider(f"{name} per type")
            msg.table(data, header=("", "P", "R", "F", "gold"), aligns=("l", "r", "r", "r", "r"))
    errors: List[Dict[str, Any]] = scores.get("errors", [])
    if errors and worst:
        msg.divider("Errors (most frequent first)")
        counts: Dict[tuple, int] = {}
        for e in errors:
            key = (e["task"], e["kind"], e["label"], " ".join(str(e["text"]).split()))
            counts[key] = counts.get(key, 0) + 1
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:worst]
        msg.table([(*k, n) for k, n in top], header=("task", "kind", "label", "text", "n"))


@app.command("evaluate")
def evaluate_cli(
    model: str = typer.Argument(..., help="Pipeline directory / package, or a predictions .jsonl file"),
    gold: List[Path] = typer.Argument(..., help="Gold schema JSONL file(s)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the metrics as JSON here"),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON instead of tables"),
    samples: int = typer.Option(1000, "--samples", min=0, help="Bootstrap resamples for the 95% intervals (0: none)"),
    worst: int = typer.Option(15, "--worst", help="How many of the most frequent errors to list"),
    record_as: Optional[str] = typer.Option(None, "--record-as", help="Also store the headline scores in MODEL's meta.json under immunoextract.scores.NAME"),
) -> None:
    """Entities (strict), events, relations and document-level facts: P/R/F1 with 95% bootstrap intervals."""
    for path in gold:
        if not path.exists():
            fail(f"{path}: no such file")
    if output is not None and not output.parent.is_dir():
        fail(f"{output}: the folder {output.parent} does not exist")
    if record_as and not (Path(model) / "meta.json").is_file():
        fail(f"--record-as needs a pipeline folder with a meta.json; {model} is not one")
    scores = evaluate(model, gold, samples=samples)
    if output:
        output.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    if record_as:
        from ..training.loop import record_meta

        record_meta(model, {"immunoextract": {"scores": {record_as: headline_scores(scores)}}})
    if as_json:
        typer.echo(json.dumps({k: v for k, v in scores.items() if k != "errors"} | {"errors": scores["errors"][:200]}, indent=2))
    else:
        print_scores(scores, Printer(), worst=worst)
