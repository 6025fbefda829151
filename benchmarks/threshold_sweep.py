"""Relation threshold sweep: relation and fact F1 of a pipeline at several thresholds, beside chance.

    python benchmarks/threshold_sweep.py MODEL GOLD.jsonl [GOLD.jsonl ...]
    python benchmarks/threshold_sweep.py --per-label MODEL GOLD.jsonl [GOLD.jsonl ...]

The pipeline runs once with the threshold at 0 (every scored pair kept, with its score); each
threshold then filters those relations, so the sweep costs one pass. "chance" keeps each
candidate relation with probability 0.5 and shows what a score-blind filter reaches.

`--per-label` moves one label's threshold at a time (the others stay as configured) and runs the
whole pipeline for each value, relation closure included, so it shows what
`components.relations.thresholds` would give; it prints the best value of each label. Choose
the thresholds on the corpus's held-out split with a model trained without it, never on the
files the model is judged on.
"""
import random
import sys
from copy import deepcopy


LABEL_VALUES = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def per_label(model: str, gold_files: list) -> None:
    """Facts F1 with one label's threshold moved at a time; the best value of each label."""
    from immunoextract.data.schema import read_jsonl
    from immunoextract.extract import annotate_documents, load
    from immunoextract.scoring import evaluate_documents

    gold = [d for f in gold_files for d in read_jsonl(f)]
    nlp = load(model)
    rel = next(nlp.get_pipe(n) for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory == "immunoextract_relations")
    configured = dict(rel.cfg.get("thresholds") or {})

    def facts_f() -> float:
        return evaluate_documents(list(annotate_documents(nlp, gold, with_facts=False)), gold, samples=0)["facts_f"]

    base = facts_f()
    print(f"model {model} (threshold {rel.threshold}, per label {configured}); gold {', '.join(gold_files)}")
    print(f"facts F1 as configured: {base * 100:.1f}")
    print(f"{'label':>13} " + " ".join(f"{v:>5}" for v in LABEL_VALUES) + "   best")
    best = {}
    for label in rel.labels:
        row = []
        for value in LABEL_VALUES:
            rel.cfg["thresholds"] = {**configured, label: value}
            row.append(facts_f())
        rel.cfg["thresholds"] = configured
        top = max(range(len(row)), key=lambda i: (round(row[i], 4), -abs(LABEL_VALUES[i] - rel.threshold)))
        if row[top] > base:
            best[label] = LABEL_VALUES[top]
        print(f"{label:>13} " + " ".join(f"{f * 100:5.1f}" for f in row) + f"   {LABEL_VALUES[top]}")
    print("labels whose best value beats the configured one:", best)


def main() -> None:
    if sys.argv[1] == "--per-label":
        per_label(sys.argv[2], sys.argv[3:])
        return
    from immunoextract.data.schema import read_jsonl
    from immunoextract.extract import annotate_documents, load
    from immunoextract.scoring import evaluate_documents

    model, gold_files = sys.argv[1], sys.argv[2:]
    gold = [d for f in gold_files for d in read_jsonl(f)]
    nlp = load(model)
    rel = next(nlp.get_pipe(n) for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory == "immunoextract_relations")
    configured = rel.threshold
    rel.threshold = 0.0
    predicted = list(annotate_documents(nlp, gold, with_facts=False))
    print(f"model {model} (configured threshold {configured}); gold {', '.join(gold_files)}")
    print(f"{'threshold':>10} {'rels P':>7} {'R':>6} {'F':>6} {'facts F':>8}")
    rng = random.Random(0)
    for threshold in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, "chance"):
        docs = deepcopy(predicted)
        for doc in docs:
            if threshold == "chance":
                doc.relations = [r for r in doc.relations if rng.random() < 0.5]
            else:
                doc.relations = [r for r in doc.relations if (r.score or 0) > threshold]
        s = evaluate_documents(docs, gold, samples=0)
        print(f"{threshold!s:>10} {s['rels_p']*100:7.1f} {s['rels_r']*100:6.1f} {s['rels_f']*100:6.1f} {s['facts_f']*100:8.1f}")


if __name__ == "__main__":
    main()
