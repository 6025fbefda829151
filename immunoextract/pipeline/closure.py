"""Relation closure after prediction: a relation found once is written at every co-mention.

The relation model decides each pair of mentions from its sentence, and the schema's facts
keep name variants apart (`Kamada` and `Kamada Ltd.` are two clusters unless the text
defines one as the other). The schema's gold writes a relation in every sentence that names
both things, variants included. This stateless step does the same with the model's
relations (`data/closure.py`): for each relation of `labels`, every other same-sentence pair
of mentions of the same two things (with `name_variants`, also of their shorter or longer
names) gets the relation, with the score of the relation it copies. It runs after
`immunoextract_relations` and before `immunoextract_facts`.

With `one_employer`, an officer keeps OFFICER_OF to one organisation only (the one its best
scored OFFICER_OF names, variants counted as one): in the corpus 866 of 871 officers, and
every officer of `../shared/dev`, hold a role at a single organisation of the document,
while the model, deciding sentence by sentence, tied 8 of the 35 officers it linked in
`../shared/dev` to a second one (a former employer, a partner named in the same quote).
PARTNER_OF between two names of one organisation (variants counted as one) is dropped.
"""
from typing import Dict, Hashable, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..data.closure import CLOSED_LABELS, closed_relations, name_variant_keys
from ..data.extensions import install_extensions
from ..data.facts import entity_clusters
from ..data.schema import Document, Entity, Relation
from ..errors import check_choices
from ..ml.models.features import COMPANY_SUFFIXES, COMPANY_WORDS
from ..ml.models.relations import sentence_ids


class RelationClosure:
    """Write each predicted relation of `labels` at the other co-mentions of its two things."""

    def __init__(
        self,
        name: str = "relation_closure",
        *,
        labels: Sequence[str] = CLOSED_LABELS,
        name_variants: bool = True,
        one_employer: bool = True,
    ) -> None:
        check_choices(name, "labels", labels, CLOSED_LABELS, "cannot be closed")
        install_extensions()
        self.name = name
        self.labels = tuple(labels)
        self.name_variants = name_variants
        self.one_employer = one_employer
        self._company_words = sorted(COMPANY_SUFFIXES | COMPANY_WORDS)

    def __call__(self, doc: Doc) -> Doc:
        relations = doc._.relations or []
        if not any(r["label"] in self.labels or (self.one_employer and r["label"] == "OFFICER_OF") for r in relations):
            return doc
        offsets: Dict[Tuple[int, int], str] = {}
        entities: List[Entity] = []
        sentences = sentence_ids(doc)
        sentence_of: Dict[str, int] = {}
        for i, ent in enumerate(doc.ents):
            ent_id = f"T{i}"
            offsets[(ent.start_char, ent.end_char)] = ent_id
            entities.append(Entity(id=ent_id, start=ent.start_char, end=ent.end_char, label=ent.label_))
            sentence_of[ent_id] = sentences[ent.start]
        # keep every relation in `relations`; `links` mirrors it index by index (None: an event argument)
        links = [
            Relation(head=offsets[tuple(r["head"])], tail=offsets[tuple(r["tail"])], label=r["label"], score=r.get("score"))
            if tuple(r["head"]) in offsets and tuple(r["tail"]) in offsets
            else None
            for r in relations
        ]
        document = Document(id="", text=doc.text, entities=entities, relations=[r for r in links if r is not None])
        clusters = entity_clusters(document)
        if self.name_variants:
            keys = name_variant_keys(list(dict.fromkeys(clusters.values())), self._company_words)
            thing = {ent_id: keys[c] for ent_id, c in clusters.items()}
        else:
            keys, thing = None, dict(clusters)
        dropped = _all_but_best(links, thing, "OFFICER_OF", "head") if self.one_employer else set()
        # an organisation is not its own partner (`American Cyanamid` / `American Cyanamid Company`)
        dropped |= {i for i, r in enumerate(links) if r is not None and r.label == "PARTNER_OF" and thing[r.head] == thing[r.tail]}
        if dropped:
            relations = [r for i, r in enumerate(relations) if i not in dropped]
            document.relations = [r for i, r in enumerate(links) if r is not None and i not in dropped]
        added = closed_relations(document, sentence_of, self.labels, same_thing=keys.__getitem__ if keys else None)
        spans = {e.id: [e.start, e.end] for e in entities}
        doc._.relations = list(relations) + [
            {"head": spans[r.head], "tail": spans[r.tail], "label": r.label, "score": r.score} for r in added
        ]
        return doc


def _all_but_best(links: Sequence[Optional[Relation]], thing: Dict[str, Hashable], label: str, one: str) -> Set[int]:
    """Indices of the `label` relations that tie the thing on side `one` ("head" or "tail") to another
    thing than the one its best scored `label` relation names."""
    other = "tail" if one == "head" else "head"
    best: Dict[Hashable, Tuple[float, Hashable]] = {}
    for rel in links:
        if rel is not None and rel.label == label:
            score = rel.score if rel.score is not None else 1.0
            key = thing[getattr(rel, one)]
            if key not in best or score > best[key][0]:
                best[key] = (score, thing[getattr(rel, other)])
    return {
        i for i, rel in enumerate(links)
        if rel is not None and rel.label == label and thing[getattr(rel, other)] != best[thing[getattr(rel, one)]][1]
    }


@Language.factory(
    "immunoextract_relation_closure",
    assigns=["doc._.relations"],
    requires=["doc.ents", "doc._.relations"],
    default_config={"labels": list(CLOSED_LABELS), "name_variants": True, "one_employer": True},
)
def make_relation_closure(
    nlp: Language, name: str, labels: List[str], name_variants: bool, one_employer: bool
) -> RelationClosure:
    """Create an `immunoextract_relation_closure` component (see `RelationClosure`)."""
    return RelationClosure(name, labels=labels, name_variants=name_variants, one_employer=one_employer)
