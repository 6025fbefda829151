"""Relation closure within sentences: write a relation at every co-mention of its two things.

Why: the schema's gold (`../shared/dev`) annotates a relation in *every* sentence that names
both of its things (79% of same-sentence mention pairs of DEVELOPS-linked clusters carry
DEVELOPS there, 100% for OFFICER_OF), while authors of new documents tend to mark only the
sentence that states it (43% in our corpus). Used twice:

- in training (`JsonlCorpus(close_relations=...)`): each unmarked co-mention would otherwise
  be a negative example for a true relation;
- after prediction (`immunoextract_relation_closure`): a relation the model found once is
  written at the other co-mentions of the same things, including name variants the
  schema's clustering keeps apart (`Kamada` and `Kamada Ltd.`, `Hollander` and
  `David A. Hollander`), so the document's facts name every variant the text pairs.

Only entity relations are closed; ALIAS_OF is left alone (it is a fact of one apposition),
and so are event arguments. A mention that is the head of an ALIAS_OF gets no closed
relation: the schema attaches a sentence's relations to the first name, not to its aliases.
"""
import re
from typing import Callable, Dict, Hashable, List, Mapping, Optional, Sequence, Set, Tuple

from .facts import Cluster, entity_clusters
from .schema import SYMMETRIC_RELATIONS, Document, Relation, relation_fits

CLOSED_LABELS: Tuple[str, ...] = (
    "LICENSED_TO",
    "DEVELOPS",
    "HAS_ANTIBODY",
    "HAS_PAYLOAD",
    "TARGETS",
    "OFFICER_OF",
    "PARTNER_OF",
)
_NOT_WORD = re.compile(r"[^\w&]+")


def closed_relations(
    document: Document,
    sentence_of: Mapping[str, int],
    labels: Sequence[str] = CLOSED_LABELS,
    *,
    same_thing: Optional[Callable[[Cluster], Hashable]] = None,
) -> List[Relation]:
    """The relations closure adds to `document`: every relation of `labels` that links two
    things, written between every other pair of their mentions that share a sentence.

    document (Document): a gold or predicted document.
    sentence_of (Mapping[str, int]): entity id -> its sentence number; entities left out
        (for example, spans the filing cleaner removed) take part in nothing.
    labels (Sequence[str]): the relation labels to close, default CLOSED_LABELS.
    same_thing (Callable | None): maps a cluster to the key of the thing it names; default:
        the cluster itself (see `name_variant_keys` for one that joins name variants).
    RETURNS (List[Relation]): the new relations, in sentence and mention order, each with
        the highest score of the relations it closes (None for gold); the document itself
        is not changed.
    """
    wanted = set(labels) - {"ALIAS_OF", "PRODUCT", "PARTY"}
    entities = {e.id: e for e in document.entities}
    clusters = entity_clusters(document)
    thing = {ent_id: (same_thing(c) if same_thing else c) for ent_id, c in clusters.items()}
    alias_heads = {r.head for r in document.relations if r.label == "ALIAS_OF"}
    linked: Dict[str, Dict[Tuple[Hashable, Hashable], Optional[float]]] = {}
    for rel in document.relations:
        if rel.label not in wanted or rel.head not in entities or rel.tail not in entities:
            continue
        pairs = [(thing[rel.head], thing[rel.tail])]
        if rel.label in SYMMETRIC_RELATIONS:
            pairs.append(pairs[0][::-1])
        scores = linked.setdefault(rel.label, {})
        for pair in pairs:
            old = scores.get(pair)
            scores[pair] = rel.score if old is None else max(old, rel.score if rel.score is not None else old)
    if not linked:
        return []
    by_sentence: Dict[int, List[str]] = {}
    for ent in document.entities:
        if ent.id not in alias_heads and ent.id in sentence_of:
            by_sentence.setdefault(sentence_of[ent.id], []).append(ent.id)
    added: List[Relation] = []
    written: Set[Tuple[str, str, str]] = {(r.head, r.label, r.tail) for r in document.relations}
    for ids in by_sentence.values():
        for head in ids:
            for tail in ids:
                if head == tail or thing[head] == thing[tail]:
                    continue
                for label, pairs in linked.items():
                    pair = (thing[head], thing[tail])
                    if pair not in pairs or not relation_fits(label, entities[head].label, entities[tail].label):
                        continue
                    if (head, label, tail) in written or (label in SYMMETRIC_RELATIONS and (tail, label, head) in written):
                        continue
                    added.append(Relation(head=head, tail=tail, label=label, score=pairs[pair]))
                    written.add((head, label, tail))
    return added


def name_variant_keys(clusters: Sequence[Cluster], company_words: Sequence[str]) -> Dict[Cluster, Hashable]:
    """Join clusters that name the same company or person in a shorter or longer form.

    PARTNER: the names are equal once legal suffixes, a leading `the` and punctuation are
    set aside, or the shorter is the first words of the longer and the rest are company words
    (`ReAlta` / `ReAlta Life Sciences, Inc.`; never `Astra` / `Astra Merck`). OFFICER: a
    one-word name that is the first or last word of a longer one (`Hollander` /
    `David A. Hollander`). Other labels stay as they are.

    clusters (Sequence[Cluster]): a document's clusters.
    company_words (Sequence[str]): lower-case legal suffixes and generic company words.
    RETURNS (Dict[Cluster, Hashable]): cluster -> the key shared by its variants.
    """
    generic = {_NOT_WORD.sub(" ", w).strip() for w in company_words} | {"the", "&", "and", "life", "group", "international"}
    words = {c: [_NOT_WORD.sub(" ", n).split() for n in sorted(c.names)] for c in clusters}

    def core(name: List[str]) -> List[str]:
        name = list(name)
        while name and name[-1] in generic and len(name) > 1:
            name.pop()
        return name[1:] if len(name) > 1 and name[0] == "the" else name

    def variants(a: Cluster, b: Cluster) -> bool:
        for x in words[a]:
            for y in words[b]:
                short, long = sorted((x, y), key=len)
                if not short or short == long:
                    continue
                if a.label == "OFFICER":
                    if len(short) == 1 and len(long) > 1 and short[0] in (long[0], long[-1]):
                        return True
                    continue
                cs, cl = core(short), core(long)
                if cs == cl or (cl[: len(cs)] == cs and len(" ".join(cs)) >= 3 and all(w in generic for w in cl[len(cs) :])):
                    return True
        return False

    parent: Dict[Cluster, Cluster] = {c: c for c in clusters}

    def find(c: Cluster) -> Cluster:
        while parent[c] != c:
            c = parent[c]
        return c

    for i, a in enumerate(clusters):
        if a.label not in ("PARTNER", "OFFICER"):
            continue
        for b in clusters[i + 1 :]:
            if b.label == a.label and find(a) != find(b) and variants(a, b):
                parent[find(b)] = find(a)
    return {c: find(c) for c in clusters}
