"""What each weightless prediction rule adds: the pipeline scored with the rules switched on one by one.

    python benchmarks/rule_ablation.py [--rules models/immunoextract_cpu] [--weights DIR] [--gold FILE ...]

The rules (settings of `--rules`' config) come from the shipped model; the trained components (tok2vec,
ner, events, relations) from `--weights` (default: the same model). With a model trained without the
corpus's held-out split as `--weights` and that split as `--gold`, this is how each rule was checked
on text its tuning never saw:

    immunoextract train configs/cpu.cfg --output training/trainonly \\
        --paths.train annotations/train.jsonl,annotations/train_augmented.jsonl
    python benchmarks/rule_ablation.py --weights training/trainonly/model-last \\
        --gold annotations/dev.jsonl --gold annotations/test.jsonl

Each row adds one setting to the row above; the first switches all of them off. Prints a Markdown table.
"""
import argparse
from pathlib import Path
from typing import Any, Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
TRAINED = ("tok2vec", "ner", "events", "relations")
# (row name, the settings it switches on); the first row's settings switch every later one off
STEPS: List[Tuple[str, Dict[str, Dict[str, Any]]]] = [
    ("switchable rules off", {
        "events": {"negative_scale": 1.0},
        "event_arguments": {"product_required": []},
        "relation_rules": {"coordinated_lists": [], "drop_merger_partners": False, "drop_list_partners": False,
                           "payload_stems": False, "first_names": False},
        "entity_rules": {"drop_filing_words": False, "propagate_names": False, "partner_heads": False},
        "event_rules": {"drop_mergers": False, "type_words": False, "milestone_words": False},
    }),
    ("+ events.negative_scale", {"events": {"negative_scale": None}}),
    ("+ event_arguments.product_required", {"event_arguments": {"product_required": None}}),
    ("+ relation_rules.coordinated_lists", {"relation_rules": {"coordinated_lists": None}}),
    ("+ entity_rules.drop_filing_words", {"entity_rules": {"drop_filing_words": None}}),
    ("+ event_rules.drop_mergers", {"event_rules": {"drop_mergers": None}}),
    ("+ relation_rules.drop_merger_partners", {"relation_rules": {"drop_merger_partners": None}}),
    ("+ entity_rules.partner_heads", {"entity_rules": {"partner_heads": None}}),
    ("+ entity_rules.propagate_names", {"entity_rules": {"propagate_names": None}}),
    ("+ relation_rules.drop_list_partners", {"relation_rules": {"drop_list_partners": None}}),
    ("+ relation_rules.payload_stems", {"relation_rules": {"payload_stems": None}}),
    ("+ event_rules.type_words", {"event_rules": {"type_words": None}}),
    ("+ event_rules.milestone_words", {"event_rules": {"milestone_words": None}}),
    ("+ relation_rules.first_names", {"relation_rules": {"first_names": None}}),
]


def build(rules_path: str, weights_path: str, settings: Dict[str, Dict[str, Any]]):
    """The trained components of `weights_path` with the rule components of `rules_path`, `settings` applied
    (None: the value `rules_path` ships)."""
    import spacy

    rules = spacy.load(rules_path)

    def setting(component: str, key: str) -> Any:
        value = settings.get(component, {}).get(key, "unset")
        return rules.config["components"][component].get(key) if value in (None, "unset") else value

    events = rules.config["components"]["events"]
    nlp = spacy.load(weights_path, config={
        "components.events.factory": events["factory"],
        "components.events.negative_scale": setting("events", "negative_scale"),
    })
    for i, name in enumerate(rules.pipe_names):
        if name in TRAINED:
            continue
        config = {k: v for k, v in rules.config["components"][name].items() if k != "factory"}
        config.update({k: setting(name, k) for k in settings.get(name, {})})
        factory = rules.get_pipe_meta(name).factory
        if name in nlp.pipe_names:
            nlp.replace_pipe(name, factory, config=config)
        else:
            nlp.add_pipe(factory, name=name, after=rules.pipe_names[i - 1], config=config)
    # decoding settings the packaging script writes into the shipped model
    nlp.get_pipe("ner").cfg["beam_width"] = rules.get_pipe("ner").cfg.get("beam_width", 1)
    nlp.get_pipe("relations").cfg["thresholds"] = dict(rules.get_pipe("relations").cfg.get("thresholds") or {})
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", default=str(ROOT / "models" / "immunoextract_cpu"))
    parser.add_argument("--weights", default=None)
    parser.add_argument("--gold", action="append", default=None)
    args = parser.parse_args()
    from immunoextract.data.schema import read_jsonl
    from immunoextract.extract import annotate_documents
    from immunoextract.scoring import evaluate_documents

    gold_files = args.gold or sorted(str(p) for p in (ROOT.parent / "shared" / "dev").glob("*.jsonl"))
    gold = [d for f in gold_files for d in read_jsonl(f)]
    print(f"rules: {args.rules}; weights: {args.weights or args.rules}; {len(gold)} documents of {', '.join(gold_files)}\n")
    print("| setting | entities F1 | events F1 | relations F1 | facts P | facts R | facts F1 |")
    print("|---|---|---|---|---|---|---|")
    settings: Dict[str, Dict[str, Any]] = {}
    for row, step in STEPS:
        for component, values in step.items():
            settings.setdefault(component, {}).update(values)
        nlp = build(args.rules, args.weights or args.rules, settings)
        s = evaluate_documents(list(annotate_documents(nlp, gold, with_facts=False)), gold, samples=0)
        cells = [s["ents_f"], s["events_f"], s["rels_f"], s["facts_p"], s["facts_r"], s["facts_f"]]
        print(f"| {row} | " + " | ".join(f"{100 * v:.1f}" for v in cells) + " |", flush=True)


if __name__ == "__main__":
    main()
