"""Baseline: spaCy's plain `ner`, default config (`spacy init config -p ner`), trained on the same corpus.

    python benchmarks/plain_ner.py --output training/plain_ner [--max-steps 1500]

The documents are read as they are (spaCy's default tokenizer, no EDGAR cleaning), as a
user who knows only spaCy would train it. The model lands in OUTPUT/model-best.
"""
import argparse
import subprocess
import sys
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "training" / "plain_ner"))
    parser.add_argument("--train", default=str(ROOT / "annotations" / "train.jsonl"), help="JSONL file(s), comma-separated")
    parser.add_argument("--dev", default=str(ROOT / "annotations" / "dev.jsonl"))
    parser.add_argument("--max-steps", type=int, default=1500)
    args = parser.parse_args()
    from immunoextract.data.formats import doc_from_document, write_docbin
    from immunoextract.data.schema import read_jsonl

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    for name, paths in (("train", args.train), ("dev", args.dev)):
        docs = (d for path in paths.split(",") for d in read_jsonl(path))
        write_docbin((doc_from_document(nlp, d, clean=False) for d in docs), out / f"{name}.spacy")
    config = out / "config.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(config), "--lang", "en", "--pipeline", "ner", "--optimize", "efficiency", "--force"], check=True)
    subprocess.run([sys.executable, "-m", "spacy", "train", str(config), "--output", str(out), "--paths.train", str(out / "train.spacy"),
                    "--paths.dev", str(out / "dev.spacy"), "--training.max_steps", str(args.max_steps), "--training.eval_frequency", "250"], check=True)


if __name__ == "__main__":
    main()
