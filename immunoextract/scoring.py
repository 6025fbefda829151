"""The scoring of `ANNOTATION_SCHEMA.md`, as pure functions over schema Documents.

- Entities: strict (start, end, label), micro and per label.
- Events: same type and overlapping trigger, matched one-to-one.
- Relations: strict on both argument spans and the label; an event argument's
  event end counts as matched when its trigger is matched as above.
- Facts: document-level facts (`data.facts`), micro over documents.

Keys follow spaCy's scorer (`ents_p`, `ents_r`, `ents_f`, `ents_per_type`), and
`bootstrap_intervals` adds 95% intervals by resampling documents.
"""
import random
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .data.facts import Fact, document_facts, match_facts, maximum_matching
from .data.schema import SYMMETRIC_RELATIONS, Document
from .errors import InputError


@dataclass
class PRF:
    """True positives, false positives and false negatives; precision, recall and F1 from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def fscore(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> Dict[str, float]:
        return {"p": self.precision, "r": self.recall, "f": self.fscore, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class DocCounts:
    """Per-document counts, kept so that bootstrap resampling needs no re-matching."""

    by_task: Dict[str, PRF] = field(default_factory=dict)
    by_type: Dict[str, Dict[str, PRF]] = field(default_factory=dict)
    errors: List[Dict[str, object]] = field(default_factory=list)


def _prf(n_pred: int, n_gold: int, tp: int) -> PRF:
    return PRF(tp=tp, fp=n_pred - tp, fn=n_gold - tp)


def _event_alignment(pred: Document, gold: Document) -> Dict[str, str]:
    """Predicted event id -> gold event id: same type, overlapping triggers, a maximum one-to-one
    matching (larger overlaps tried first)."""
    candidates = []
    for p in pred.events:
        overlaps = [(min(p.end, g.end) - max(p.start, g.start), k) for k, g in enumerate(gold.events) if p.type == g.type]
        candidates.append([k for overlap, k in sorted(overlaps, reverse=True) if overlap > 0])
    return {pred.events[p].id: gold.events[g].id for p, g in maximum_matching(candidates)}


def _relation_keys(doc: Document, event_key: Callable[[str], Optional[object]]) -> List[Tuple[object, object, str]]:
    ents = {e.id: (e.start, e.end) for e in doc.entities}  # strict on the argument spans
    keys = []
    for rel in doc.relations:
        if rel.label in ("PRODUCT", "PARTY"):
            head = event_key(rel.head)
        else:
            head = ents.get(rel.head)
        tail = ents.get(rel.tail)
        if head is None or tail is None:
            continue
        if rel.label in SYMMETRIC_RELATIONS:
            head, tail = sorted((head, tail), key=repr)
        keys.append((head, tail, rel.label))
    return list(dict.fromkeys(keys))


def _per_type(pred: set, gold: set, *, label_of: Callable[[Tuple], str]) -> Dict[str, PRF]:
    """Per-label tp/fp/fn of two sets of strict keys."""
    types: Dict[str, PRF] = {}
    for key in pred | gold:
        prf = types.setdefault(label_of(key), PRF())
        if key in pred and key in gold:
            prf.tp += 1
        elif key in pred:
            prf.fp += 1
        else:
            prf.fn += 1
    return types


def score_document(pred: Document, gold: Document) -> DocCounts:
    """Count matches of `pred` against `gold` (same document) for every task and type."""
    if pred.text != gold.text:
        raise InputError("the prediction's text differs from the gold text", doc_id=gold.id)
    counts = DocCounts()
    # entities
    pred_ents = {(e.start, e.end, e.label) for e in pred.entities}
    gold_ents = {(e.start, e.end, e.label) for e in gold.entities}
    counts.by_task["ents"] = _prf(len(pred_ents), len(gold_ents), len(pred_ents & gold_ents))
    per_label = _per_type(pred_ents, gold_ents, label_of=lambda key: key[2])
    for key in sorted(pred_ents - gold_ents):
        counts.errors.append({"doc": gold.id, "task": "ents", "kind": "false positive", "label": key[2], "text": pred.text[key[0]:key[1]], "start": key[0]})
    for key in sorted(gold_ents - pred_ents):
        counts.errors.append({"doc": gold.id, "task": "ents", "kind": "missed", "label": key[2], "text": gold.text[key[0]:key[1]], "start": key[0]})
    counts.by_type["ents"] = per_label
    # events
    alignment = _event_alignment(pred, gold)
    counts.by_task["events"] = _prf(len(pred.events), len(gold.events), len(alignment))
    ev_types: Dict[str, PRF] = {}
    matched_gold = set(alignment.values())
    for ev in pred.events:
        prf = ev_types.setdefault(ev.type, PRF())
        if ev.id in alignment:
            prf.tp += 1
        else:
            prf.fp += 1
    for ev in gold.events:
        if ev.id not in matched_gold:
            ev_types.setdefault(ev.type, PRF()).fn += 1
    counts.by_type["events"] = ev_types
    # relations: a predicted event stands for the gold event it is aligned with
    gold_ev = {e.id: ("event", e.id) for e in gold.events}
    pred_rel = _relation_keys(pred, lambda i: ("event", alignment[i]) if i in alignment else ("unmatched", i))
    gold_rel = _relation_keys(gold, lambda i: gold_ev.get(i))
    pset, gset = set(pred_rel), set(gold_rel)
    counts.by_task["rels"] = _prf(len(pset), len(gset), len(pset & gset))
    rel_types = _per_type(pset, gset, label_of=lambda key: key[2])
    counts.by_type["rels"] = rel_types
    # facts
    pred_facts, gold_facts = document_facts(pred), document_facts(gold)
    matches = match_facts(pred_facts, gold_facts)
    counts.by_task["facts"] = _prf(len(pred_facts), len(gold_facts), len(matches))
    fact_types: Dict[str, PRF] = {}
    matched_p = {p for p, _ in matches}
    matched_g = {g for _, g in matches}
    for i, fact in enumerate(pred_facts):
        prf = fact_types.setdefault(fact.label, PRF())
        if i in matched_p:
            prf.tp += 1
        else:
            prf.fp += 1
            counts.errors.append({"doc": gold.id, "task": "facts", "kind": "false positive", "label": fact.label, "text": _fact_text(fact)})
    for i, fact in enumerate(gold_facts):
        if i not in matched_g:
            fact_types.setdefault(fact.label, PRF()).fn += 1
            counts.errors.append({"doc": gold.id, "task": "facts", "kind": "missed", "label": fact.label, "text": _fact_text(fact)})
    counts.by_type["facts"] = fact_types
    return counts


def _fact_text(fact: Fact) -> str:
    head = fact.head.display if fact.head else "-"
    tail = fact.tail.display if fact.tail else "-"
    return f"{head} -> {tail}"


TASKS = ("ents", "events", "rels", "facts")


def aggregate(per_doc: Sequence[DocCounts]) -> Dict[str, object]:
    """spaCy-style flat scores over documents: `<task>_p/_r/_f` and `<task>_per_type`."""
    scores: Dict[str, object] = {}
    for task in TASKS:
        total = PRF()
        types: Dict[str, PRF] = {}
        for counts in per_doc:
            if task in counts.by_task:
                total.add(counts.by_task[task])
            for label, prf in counts.by_type.get(task, {}).items():
                types.setdefault(label, PRF()).add(prf)
        scores[f"{task}_p"] = total.precision
        scores[f"{task}_r"] = total.recall
        scores[f"{task}_f"] = total.fscore
        scores[f"{task}_counts"] = {"tp": total.tp, "fp": total.fp, "fn": total.fn}
        scores[f"{task}_per_type"] = {label: types[label].to_dict() for label in sorted(types)}
    return scores


def bootstrap_intervals(
    per_doc: Sequence[DocCounts], *, samples: int = 1000, seed: int = 0, level: float = 0.95
) -> Dict[str, Tuple[float, float]]:
    """95% intervals of each task's micro P, R and F1, resampling documents with replacement."""
    rng = random.Random(seed)
    n = len(per_doc)
    samples = max(samples, 1)
    draws: Dict[str, List[float]] = {f"{t}_{m}": [] for t in TASKS for m in "prf"}
    if n == 0:
        return {k: (0.0, 0.0) for k in draws}
    for _ in range(samples):
        picks = [per_doc[rng.randrange(n)] for _ in range(n)]
        for task in TASKS:
            total = PRF()
            for counts in picks:
                if task in counts.by_task:
                    total.add(counts.by_task[task])
            draws[f"{task}_p"].append(total.precision)
            draws[f"{task}_r"].append(total.recall)
            draws[f"{task}_f"].append(total.fscore)
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    result = {}
    for key, values in draws.items():
        values.sort()
        result[key] = (values[int(lo_q * (len(values) - 1))], values[int(round(hi_q * (len(values) - 1)))])
    return result


def evaluate_documents(
    predictions: Sequence[Document], gold: Sequence[Document], *, samples: int = 1000, seed: int = 0
) -> Dict[str, object]:
    """Score predicted documents against gold ones (paired by id): scores, intervals and errors."""
    for side, docs in (("gold", gold), ("predictions", predictions)):
        seen: set = set()
        for d in docs:
            if d.id in seen:
                raise InputError(f"document id is used twice in the {side}", doc_id=d.id)
            seen.add(d.id)
    by_id = {d.id: d for d in predictions}
    missing = [g.id for g in gold if g.id not in by_id]
    if missing:
        raise InputError(f"no prediction for {len(missing)} gold document(s)", doc_id=missing[0])
    extra = sorted(set(by_id) - {g.id for g in gold})
    if extra:
        raise InputError(f"{len(extra)} predicted document(s) are not in the gold file", doc_id=extra[0])
    per_doc = [score_document(by_id[g.id], g) for g in gold]
    scores = aggregate(per_doc)
    scores["intervals"] = bootstrap_intervals(per_doc, samples=samples, seed=seed) if samples else {}
    scores["errors"] = [e for c in per_doc for e in c.errors]
    scores["n_docs"] = len(per_doc)
    return scores
