"""Training the CPU config end to end, loading the result in a fresh process, extracting from a filing."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from immunoextract.data.schema import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
TINY_RUN = [
    "--training.max_steps", "6", "--training.eval_frequency", "3",
    "--corpora.train.limit", "6", "--corpora.dev.limit", "2", "--training.batcher.size", "600",
]
TINY = [*TINY_RUN, "--components.tok2vec.model.encode.width", "32", "--components.tok2vec.model.encode.depth", "1"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    out = tmp_path_factory.mktemp("train")
    for split in ("train", "dev"):
        if not (ROOT / "annotations" / f"{split}.jsonl").exists():
            pytest.fail(f"annotations/{split}.jsonl is missing: run `immunoextract annotations build`")
    cmd = [sys.executable, "-m", "immunoextract", "train", str(ROOT / "configs" / "cpu.cfg"), "--output", str(out),
           "--paths.train", str(ROOT / "annotations" / "train.jsonl"), "--paths.dev", str(ROOT / "annotations" / "dev.jsonl"), *TINY]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return out


@pytest.mark.slow
def test_training_cpu_config_gives_a_model_that_loads_in_a_fresh_process(tiny_model):
    meta = json.loads((tiny_model / "model-last" / "meta.json").read_text())
    assert len(meta["immunoextract"]["train_data_sha256"]) == 64
    code = (
        "import json, sys, spacy\n"  # no immunoextract import: entry points must resolve the components
        f"nlp = spacy.load({str(tiny_model / 'model-last')!r})\n"
        "doc = nlp('<PAGE>\\nAcme Bio, Inc. announced today that it has licensed its antibody AB-101 to\\nZeta Pharma AG under an agreement signed in Cambridge, Massachusetts, last week.\\n')\n"
        "print(json.dumps({'pipes': nlp.pipe_names, 'text': doc.text, 'source': doc._.source_text, 'rel': doc._.relations is not None, 'facts': sorted(doc._.facts)}))\n"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert out["pipes"] == ["tok2vec", "ner", "entity_rules", "events", "event_rules", "relations", "event_arguments", "relation_rules", "relation_closure", "facts"]
    assert "<PAGE>" not in out["text"] and "its antibody AB-101 to Zeta Pharma AG under" in out["text"]
    assert out["source"].startswith("<PAGE>")
    assert out["rel"] and out["facts"] == ["entities", "events", "relations"]


@pytest.mark.slow
def test_training_extract_writes_valid_jsonl_with_source_offsets(tiny_model, tmp_path, fixtures_dir):
    filing = fixtures_dir / "filings" / "submission_8k.txt"
    out = tmp_path / "pred.jsonl"
    cmd = [sys.executable, "-m", "immunoextract", "extract", str(filing), "--model", str(tiny_model / "model-last"), "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    docs = list(read_jsonl(out))  # validates offsets, overlaps, labels and ids
    raw = filing.read_text(encoding="utf-8")
    assert docs and all(d.text in raw for d in docs)
    for line in out.read_text().splitlines():
        assert set(json.loads(line)["facts"]) == {"entities", "relations", "events"}


@pytest.mark.slow
def test_pretrained_tok2vec_weights_are_loaded_by_training(tmp_path):
    """`spacy pretrain` on raw text, then `--paths.init_tok2vec`: spaCy reads the weights only when the config's
    [pretraining] section is filled in, and says nothing when it is not."""
    from spacy.training.initialize import init_nlp
    from spacy.training.pretrain import get_tok2vec_ref
    from spacy.util import load_config

    texts = ["Acme Bio licensed AB-101 to Zeta Pharma AG in 2020.", "Zeta initiated a Phase 2 trial of AB-101 in gout."]
    raw = tmp_path / "raw.jsonl"
    raw.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts * 20))
    small = ["--components.tok2vec.model.encode.width", "32", "--components.tok2vec.model.encode.depth", "1"]
    cmd = [sys.executable, "-m", "spacy", "pretrain", str(ROOT / "configs" / "cpu.cfg"), str(tmp_path / "pt"),
           "--paths.raw_text", str(raw), "--pretraining.max_epochs", "1", *small]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    weights = tmp_path / "pt" / "model0.bin"
    overrides = {"paths.train": str(ROOT / "annotations" / "dev.jsonl"), "paths.dev": str(ROOT / "annotations" / "dev.jsonl"),
                 "corpora.train.limit": 2, "paths.init_tok2vec": str(weights),
                 "components.tok2vec.model.encode.width": 32, "components.tok2vec.model.encode.depth": 1}
    config = load_config(ROOT / "configs" / "cpu.cfg", overrides=overrides, interpolate=False)
    nlp = init_nlp(config)
    assert get_tok2vec_ref(nlp, config.interpolate()["pretraining"]).to_bytes() == weights.read_bytes()


@pytest.mark.slow
def test_training_resumes_from_a_saved_pipeline(tiny_model, tmp_path):
    """`--resume-from`: the trained components are sourced from the saved pipeline, so the second leg starts
    from its weights (frozen here, so they must come out byte for byte as they went in)."""
    out = tmp_path / "leg2"
    cmd = [sys.executable, "-m", "immunoextract", "train", str(ROOT / "configs" / "cpu.cfg"), "--output", str(out),
           "--resume-from", str(tiny_model / "model-last"),
           "--paths.train", str(ROOT / "annotations" / "train.jsonl"), "--paths.dev", str(ROOT / "annotations" / "dev.jsonl"),
           *TINY_RUN,  # no width override: the sourced tok2vec brings its own
           "--training.frozen_components", '["tok2vec","ner","events","relations"]', "--training.max_steps", "2"]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    resume = (out / "resume.cfg").read_text()
    for name in ("tok2vec", "ner", "events", "relations"):
        assert f"[components.{name}]\nsource = \"{(tiny_model / 'model-last').resolve()}\"" in resume
    for name in ("tok2vec", "ner", "relations"):
        assert (out / "model-last" / name / "model").read_bytes() == (tiny_model / "model-last" / name / "model").read_bytes()
    missing = subprocess.run([sys.executable, "-m", "immunoextract", "train", str(ROOT / "configs" / "cpu.cfg"),
                              "--output", str(tmp_path / "x"), "--resume-from", str(tmp_path / "nothing")],
                             capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode != 0 and "not a saved pipeline" in missing.stderr and "Traceback" not in missing.stderr
