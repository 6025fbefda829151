"""Accuracy on real annotated filings: the pipelines beside two baselines, in one run, same files.

    python benchmarks/accuracy.py --model models/immunoextract_cpu [--model training/trf/model-best] \
        [--plain-ner training/plain_ner/model-best] [--gold ../shared/dev/dev.jsonl ...] [--json out.json]

Systems: every `--model` (immunoextract pipelines), spaCy's plain `ner` (`--plain-ner`, trained by
`benchmarks/plain_ner.py`), and the gazetteer/rule baseline built from `annotations/train.jsonl`.
Prints entity (strict, per label), event, relation and fact P/R/F1 with 95% bootstrap intervals.
"""
import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", default=[])
    parser.add_argument("--plain-ner", default=None)
    parser.add_argument("--train", default=str(ROOT / "annotations" / "train.jsonl"), help="gazetteer source JSONL file(s), comma-separated")
    parser.add_argument("--gold", action="append", default=None)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    from immunoextract.baselines import GazetteerBaseline, predict_all
    from immunoextract.data.schema import read_jsonl
    from immunoextract.extract import annotate_documents, load
    from immunoextract.scoring import evaluate_documents

    gold_files = args.gold or sorted(str(p) for p in (ROOT.parent / "shared" / "dev").glob("*.jsonl"))
    gold = [d for f in gold_files for d in read_jsonl(f)]
    systems = {}
    baseline = GazetteerBaseline.from_documents(d for path in args.train.split(",") for d in read_jsonl(path))
    systems["gazetteer+rules baseline"] = predict_all(baseline, gold)
    if args.plain_ner:
        systems["spaCy plain ner (default config)"] = list(annotate_documents(load(args.plain_ner), gold, with_facts=False))
    for model in args.model:
        systems[model] = list(annotate_documents(load(model), gold, with_facts=False))
    results = {name: evaluate_documents(preds, gold, samples=args.samples) for name, preds in systems.items()}
    print(f"gold: {', '.join(gold_files)} ({len(gold)} documents)")
    header = f"{'system':45} {'ents P':>7} {'R':>6} {'F':>6} {'F 95% CI':>14} {'events F':>9} {'rels F':>7} {'facts F':>8} {'facts 95% CI':>14}"
    print(header)
    for name, s in results.items():
        lo, hi = s["intervals"].get("ents_f", (0, 0))
        flo, fhi = s["intervals"].get("facts_f", (0, 0))
        print(f"{name[:45]:45} {s['ents_p']*100:7.1f} {s['ents_r']*100:6.1f} {s['ents_f']*100:6.1f} {f'[{lo*100:.1f},{hi*100:.1f}]':>14} "
              f"{s['events_f']*100:9.1f} {s['rels_f']*100:7.1f} {s['facts_f']*100:8.1f} {f'[{flo*100:.1f},{fhi*100:.1f}]':>14}")
    labels = sorted({l for s in results.values() for l in s["ents_per_type"]})
    print("\nentity F1 per label")
    print(f"{'system':45} " + " ".join(f"{l:>9}" for l in labels))
    for name, s in results.items():
        print(f"{name[:45]:45} " + " ".join(f"{s['ents_per_type'].get(l, {}).get('f', 0)*100:9.1f}" for l in labels))
    if args.json:
        Path(args.json).write_text(json.dumps({k: {m: v for m, v in s.items() if m != "errors"} for k, s in results.items()}, indent=2))


if __name__ == "__main__":
    main()
