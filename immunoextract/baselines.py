"""A gazetteer-and-rules baseline, built from training annotations, to put model scores in context.

Entities: every annotated training string, matched case-sensitively (longest match
wins), plus rules for what names look like (product codes, INN stems, company
suffixes). Events: trigger words. Relations: none. Event arguments: every DRUG and
PARTNER of the trigger's sentence. It needs no training and shows how much a model
adds beyond memorising names.
"""
import re
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, Sequence, Tuple

from .data.schema import Document, Entity, Event, Relation

_CODE = re.compile(r"\b[A-Z]{1,5}-?\d{2,6}[A-Za-z]?\b")
_INN = re.compile(r"\b[a-z]{3,}(?:mab|tinib|ciclib|parib|vedotin|mertansine|tecan|leucel|cel|vec|tide|stat|vir)\b")
_COMPANY = re.compile(
    r"\b(?:[A-Z][\w&\-]+\s){0,3}[A-Z][\w&\-]+,?\s(?:Inc\.|Corp\.|Corporation|Ltd\.|plc|AG|GmbH|S\.A\.|N\.V\.|LLC|"
    r"Pharmaceuticals|Therapeutics|Biosciences|Biotech|Pharma)(?![\w])"
)
_TRIGGERS: Dict[str, Tuple[str, ...]] = {
    "LICENSE": ("license agreement", "licensing agreement", "collaboration agreement", "licensed", "exclusive license", "option agreement", "entered into a collaboration"),
    "TERMINATION": ("terminated", "termination", "regained", "returned the rights", "elected not to", "discontinue"),
    "CLINICAL": ("Phase I", "Phase II", "Phase III", "Phase 1", "Phase 2", "Phase 3", "clinical trial", "IND"),
    "MILESTONE": ("milestone",),
    "REGULATORY": ("approval", "approved", "Fast Track", "Orphan Drug", "BLA", "NDA", "Breakthrough Therapy"),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])|\n\s*\n")


class GazetteerBaseline:
    """Longest-match lookup of training mentions plus naming rules."""

    def __init__(self, names: Dict[str, str]) -> None:
        self.names = names
        ordered = sorted(names, key=len, reverse=True)
        self._pattern = re.compile("|".join(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])" for n in ordered)) if ordered else None

    @classmethod
    def from_documents(cls, docs: Iterable[Document]) -> "GazetteerBaseline":
        votes: Dict[str, Counter] = defaultdict(Counter)
        for doc in docs:
            for ent in doc.entities:
                name = doc.span_text(ent)
                if len(name) > 1:
                    votes[name][ent.label] += 1
        return cls({name: counter.most_common(1)[0][0] for name, counter in votes.items()})

    def entity_spans(self, text: str) -> List[Tuple[int, int, str]]:
        candidates: List[Tuple[int, int, str, int]] = []
        if self._pattern is not None:
            candidates += [(m.start(), m.end(), self.names[m.group(0)], 0) for m in self._pattern.finditer(text)]
        candidates += [(m.start(), m.end(), "DRUG", 1) for m in _CODE.finditer(text)]
        candidates += [(m.start(), m.end(), "DRUG", 1) for m in _INN.finditer(text)]
        candidates += [(m.start(), m.end(), "PARTNER", 1) for m in _COMPANY.finditer(text)]
        chosen: List[Tuple[int, int, str]] = []
        taken: List[Tuple[int, int]] = []
        # gazetteer hits first, then longer spans
        for start, end, label, _ in sorted(candidates, key=lambda c: (c[3], -(c[1] - c[0]), c[0])):
            if all(end <= s or start >= e for s, e in taken):
                chosen.append((start, end, label))
                taken.append((start, end))
        return sorted(chosen)

    def predict(self, doc: Document) -> Document:
        text = doc.text
        entities = [Entity(f"T{i + 1}", s, e, label) for i, (s, e, label) in enumerate(self.entity_spans(text))]
        events: List[Event] = []
        relations: List[Relation] = []
        bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
        for s0, s1 in zip(bounds, bounds[1:]):
            sentence_ents = [e for e in entities if s0 <= e.start and e.end <= s1 and e.label in ("DRUG", "PARTNER")]
            if not sentence_ents:
                continue
            found = None
            for ev_type, words in _TRIGGERS.items():
                for word in words:
                    at = text.find(word, s0, s1)
                    if at != -1 and all(at >= e.end or at + len(word) <= e.start for e in events):
                        found = (at, at + len(word), ev_type)
                        break
                if found:
                    break
            if not found:
                continue
            ev = Event(f"E{len(events) + 1}", *found)
            events.append(ev)
            for ent in sentence_ents:
                relations.append(Relation(ev.id, ent.id, "PRODUCT" if ent.label == "DRUG" else "PARTY"))
        return Document(id=doc.id, text=doc.text, meta=dict(doc.meta), entities=entities, events=sorted(events, key=lambda e: e.start), relations=relations)


def predict_all(baseline: GazetteerBaseline, docs: Sequence[Document]) -> List[Document]:
    return [baseline.predict(d) for d in docs]
