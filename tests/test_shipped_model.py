"""The shipped default model: loads by default, small enough, and reads the ImmunoGen seed filing right."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import immunoextract
from immunoextract.data.schema import read_jsonl
from immunoextract.extract import default_model_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model_dir() -> Path:
    path = default_model_path()
    assert (path / "meta.json").exists(), f"the shipped model is missing at {path}"
    return path


def test_shipped_model_is_small_and_records_its_training(model_dir):
    size = sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file())
    assert size < 50 * 1024 * 1024
    meta = json.loads((model_dir / "meta.json").read_text())
    assert len(meta["immunoextract"]["train_data_sha256"]) == 64
    assert "ents_f" in meta["immunoextract"]["scores"]["shared_dev"]


def test_shipped_model_loads_by_default_and_extracts():
    nlp = immunoextract.load()
    assert {"ner", "events", "relations"} <= set(nlp.pipe_names)
    doc = immunoextract.annotate_text(nlp, "Acme Biologics, Inc. said today that it has licensed AB-101 to Zeta Pharma AG.", doc_id="x")
    assert doc.id == "x" and all(e.score is not None for e in doc.entities)


def test_shipped_model_on_the_cantuzumab_seed(shared_dir, tmp_path):
    seed = shared_dir / "seeds" / "003_a2e94f4191c124ee.txt"
    out = tmp_path / "seed.jsonl"
    result = subprocess.run([sys.executable, "-m", "immunoextract", "extract", str(seed), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    docs = list(read_jsonl(out))
    mentions = {(e.label, " ".join(d.span_text(e).split())) for d in docs for e in d.entities}
    for expected in [("DRUG", "cantuzumab mertansine"), ("ANTIBODY", "huC242"), ("TARGET", "CanAg"), ("PARTNER", "GlaxoSmithKline"), ("OFFICER", "Mitchel Sayare")]:
        assert expected in mentions, f"{expected} not found; got {sorted(mentions)[:40]}"
    facts = [f for line in out.read_text().splitlines() for f in json.loads(line)["facts"]["events"]]
    terminations = [f for f in facts if f["label"] == "TERMINATION"]
    assert any(
        (f["product"] and "cantuzumab mertansine" in f["product"]["names"]) or (f["party"] and "immunogen" in " ".join(f["party"]["names"]))
        for f in terminations
    ), terminations
