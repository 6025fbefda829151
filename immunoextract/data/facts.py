"""Document-level facts, derived exactly as `ANNOTATION_SCHEMA.md` says, for gold and predictions alike.

1. Mentions form entity clusters: same label and same normalised text, joined through ALIAS_OF.
2. A relation fact is (head cluster, label, tail cluster); an event fact is
   (type, product cluster or None, party cluster or None) for every PRODUCT x PARTY pair.
3. A predicted fact matches a gold fact when the labels are equal and each predicted
   cluster shares at least one normalised name with the gold cluster.

Decisions where the schema is silent (see docs/DECISIONS.md): ALIAS_OF gives no relation
fact of its own (it is consumed by clustering); PARTNER_OF facts are unordered; matching
is one-to-one (a maximum bipartite matching), so an unmerged alias cannot be credited twice.
"""
import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from .schema import SYMMETRIC_RELATIONS, Document, Entity

_FOLD = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]+")


def normalize_name(text: str) -> str:
    """Case-fold and collapse every run of white space and hyphens (any dash) to one space."""
    return _FOLD.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class Cluster:
    """One real-world thing in a document: its label, its normalised names and its mentions."""

    label: str
    names: FrozenSet[str]
    mention_ids: Tuple[str, ...] = field(default=(), compare=False)
    display: str = field(default="", compare=False)

    def matches(self, other: "Cluster") -> bool:
        """The schema's rule: the clusters share at least one normalised name (labels are not compared)."""
        return bool(self.names & other.names)


@dataclass(frozen=True)
class Fact:
    """A relation fact (kind "relation") or an event fact (kind "event"; head = product, tail = party)."""

    kind: str
    label: str
    head: Optional[Cluster]
    tail: Optional[Cluster]
    score: Optional[float] = field(default=None, compare=False)

    def matches(self, gold: "Fact") -> bool:
        if self.kind != gold.kind or self.label != gold.label:
            return False
        if self._slots_match(self.head, gold.head) and self._slots_match(self.tail, gold.tail):
            return True
        if self.kind == "relation" and self.label in SYMMETRIC_RELATIONS:
            return self._slots_match(self.head, gold.tail) and self._slots_match(self.tail, gold.head)
        return False

    @staticmethod
    def _slots_match(pred: Optional[Cluster], gold: Optional[Cluster]) -> bool:
        if pred is None or gold is None:
            return pred is None and gold is None
        return pred.matches(gold)


def entity_clusters(doc: Document) -> Dict[str, Cluster]:
    """Map every entity id of `doc` to its cluster."""
    parent: Dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_key: Dict[Tuple[str, str], str] = {}
    entities = {e.id: e for e in doc.entities}
    for ent in doc.entities:
        key = (ent.label, normalize_name(doc.span_text(ent)))
        parent[ent.id] = ent.id
        if key in by_key:
            union(ent.id, by_key[key])
        else:
            by_key[key] = ent.id
    for rel in doc.relations:
        if rel.label == "ALIAS_OF" and rel.head in entities and rel.tail in entities:
            if entities[rel.head].label == entities[rel.tail].label:
                union(rel.head, rel.tail)
    members: Dict[str, List[Entity]] = {}
    for ent in doc.entities:
        members.setdefault(find(ent.id), []).append(ent)
    alias_heads = {r.head for r in doc.relations if r.label == "ALIAS_OF"}
    clusters: Dict[str, Cluster] = {}
    for root, ents in members.items():
        # the display name: the most frequent name that is not itself an alias
        counts: Dict[str, int] = {}
        for ent in ents:
            if ent.id not in alias_heads:
                counts[doc.span_text(ent)] = counts.get(doc.span_text(ent), 0) + 1
        display = max(counts, key=lambda n: (counts[n], len(n))) if counts else doc.span_text(ents[0])
        cluster = Cluster(
            label=ents[0].label,
            names=frozenset(normalize_name(doc.span_text(e)) for e in ents),
            mention_ids=tuple(e.id for e in ents),
            display=" ".join(display.split()),
        )
        for ent in ents:
            clusters[ent.id] = cluster
    return clusters


def document_facts(doc: Document) -> List[Fact]:
    """The document-level relation and event facts of `doc`, without duplicates."""
    clusters = entity_clusters(doc)
    facts: Dict[Fact, Fact] = {}

    def add(fact: Fact) -> None:
        old = facts.get(fact)
        if old is None or (fact.score or 0) > (old.score or 0):
            facts.pop(fact, None)
            facts[fact] = fact

    event_ids = {e.id for e in doc.events}
    products: Dict[str, List[Tuple[Cluster, Optional[float]]]] = {e: [] for e in event_ids}
    parties: Dict[str, List[Tuple[Cluster, Optional[float]]]] = {e: [] for e in event_ids}
    for rel in doc.relations:
        if rel.label in ("PRODUCT", "PARTY"):
            if rel.head in event_ids and rel.tail in clusters:
                (products if rel.label == "PRODUCT" else parties)[rel.head].append((clusters[rel.tail], rel.score))
            continue
        if rel.label == "ALIAS_OF" or rel.head not in clusters or rel.tail not in clusters:
            continue
        head, tail = clusters[rel.head], clusters[rel.tail]
        if rel.label in SYMMETRIC_RELATIONS:
            head, tail = sorted((head, tail), key=lambda c: sorted(c.names))
        if head == tail:
            continue
        add(Fact("relation", rel.label, head, tail, rel.score))
    for event in doc.events:
        prods = products[event.id] or [(None, None)]
        parts = parties[event.id] or [(None, None)]
        if prods == [(None, None)] and parts == [(None, None)]:
            continue
        for prod, p_score in prods:
            for party, q_score in parts:
                scores = [s for s in (event.score, p_score, q_score) if s is not None]
                add(Fact("event", event.type, prod, party, min(scores) if scores else None))
    return list(facts)


def match_facts(predicted: Sequence[Fact], gold: Sequence[Fact]) -> List[Tuple[int, int]]:
    """A maximum one-to-one matching between predicted and gold facts, as (pred index, gold index) pairs."""
    return maximum_matching([[g for g, gf in enumerate(gold) if pf.matches(gf)] for pf in predicted])


def maximum_matching(candidates: Sequence[Sequence[int]]) -> List[Tuple[int, int]]:
    """Maximum bipartite matching (augmenting paths): `candidates[p]` lists the gold indices prediction p may
    take, best first. RETURNS (pred index, gold index) pairs."""
    owner: Dict[int, int] = {}

    def augment(p: int, seen: set) -> bool:
        for g in candidates[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    for p in range(len(candidates)):
        augment(p, set())
    return sorted((p, g) for g, p in owner.items())


def cluster_to_dict(cluster: Optional[Cluster]) -> Optional[Dict[str, object]]:
    if cluster is None:
        return None
    return {"label": cluster.label, "name": cluster.display, "names": sorted(cluster.names), "mentions": list(cluster.mention_ids)}


def fact_to_dict(fact: Fact) -> Dict[str, object]:
    """The JSON form of a fact, as written under the `facts` key of extract's output."""
    record: Dict[str, object] = {"kind": fact.kind, "label": fact.label}
    if fact.kind == "event":
        record.update(product=cluster_to_dict(fact.head), party=cluster_to_dict(fact.tail))
    else:
        record.update(head=cluster_to_dict(fact.head), tail=cluster_to_dict(fact.tail))
    if fact.score is not None:
        record["score"] = round(float(fact.score), 4)
    return record


def facts_record(doc: Document) -> Dict[str, object]:
    """Entities merged by alias plus relation and event facts: what users consume."""
    clusters = entity_clusters(doc)
    unique: Dict[int, Cluster] = {}
    for cluster in clusters.values():
        unique.setdefault(id(cluster), cluster)
    facts = document_facts(doc)
    return {
        "entities": [cluster_to_dict(c) for c in sorted(unique.values(), key=lambda c: (c.label, c.display))],
        "relations": [fact_to_dict(f) for f in facts if f.kind == "relation"],
        "events": [fact_to_dict(f) for f in facts if f.kind == "event"],
    }

