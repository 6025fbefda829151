"""Relations the schema states by form, written after the relation model.

The schema's own DEVELOPS example is a partner followed by its product in parentheses:
"Genentech (Trastuzumab-DM1)". Filings use the form for partnered programmes
("collaborations with Boehringer Ingelheim (bivatuzumab mertansine) and Millennium (MLN2704)"),
and every such pair is DEVELOPS in the corpus (17 of 17) and in `../shared/dev` (9 of 9). The
relation model, which sees the pair as two pooled spans and the one bracket between them,
wrote 2 of those 9. This rule writes the rest; it runs before `immunoextract_relation_closure`,
which then copies each to the pair's other co-mentions.
"""
import re
from typing import Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..data.extensions import install_extensions

OPENING_BRACKET = re.compile(r"\s*\(\s*")


class RelationRules:
    """Write DEVELOPS from a PARTNER to the DRUG that opens the parenthesis right after it."""

    def __init__(self, name: str = "relation_rules", *, partner_product_parentheses: bool = True) -> None:
        install_extensions()
        self.name = name
        self.partner_product_parentheses = partner_product_parentheses

    def __call__(self, doc: Doc) -> Doc:
        if not self.partner_product_parentheses:
            return doc
        ents = list(doc.ents)
        scores: Optional[List[float]] = doc._.entity_scores
        relations = list(doc._.relations or [])
        written = {(tuple(r["head"]), tuple(r["tail"]), r["label"]) for r in relations}
        added: List[Dict[str, object]] = []
        for i in range(len(ents) - 1):
            partner, product = ents[i], ents[i + 1]
            if partner.label_ != "PARTNER" or product.label_ != "DRUG":
                continue
            if not OPENING_BRACKET.fullmatch(doc.text[partner.end_char : product.start_char]):
                continue
            head: Tuple[int, int] = (partner.start_char, partner.end_char)
            tail: Tuple[int, int] = (product.start_char, product.end_char)
            if (head, tail, "DEVELOPS") in written:
                continue
            # as sure as the less sure of its two mentions
            known = [s for s in (scores[i], scores[i + 1]) if s is not None] if scores else []
            score = min(known) if known else None
            added.append({"head": list(head), "tail": list(tail), "label": "DEVELOPS", "score": score})
        if added:
            doc._.relations = relations + added
        return doc


@Language.factory(
    "immunoextract_relation_rules",
    assigns=["doc._.relations"],
    requires=["doc.ents"],
    default_config={"partner_product_parentheses": True},
)
def make_relation_rules(nlp: Language, name: str, partner_product_parentheses: bool) -> RelationRules:
    """Create an `immunoextract_relation_rules` component (see `RelationRules`)."""
    return RelationRules(name, partner_product_parentheses=partner_product_parentheses)
