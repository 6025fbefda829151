"""Entity recognition with a confidence score per entity.

spaCy's transition-based recognizer with beam search; each predicted entity's
score is the share of the beam's probability mass whose parse contains it
(`EntityRecognizer.scored_ents`), written to `doc._.entity_scores` in the order
of `doc.ents`. With `beam_width = 1` it decodes greedily and scores are None.
"""
from typing import Callable, Iterable, List, Optional

from spacy.language import Language
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.tokens import Doc
from thinc.api import Model

from ..data.extensions import install_extensions

DEFAULT_CONFIG = {
    "moves": None,
    "update_with_oracle_cut_size": 100,
    "model": DEFAULT_NER_MODEL,
    "beam_width": 4,
    "beam_density": 0.01,
    "beam_update_prob": 0.5,
    "incorrect_spans_key": None,
    "scorer": {"@scorers": "spacy.ner_scorer.v1"},
}


class ScoredEntityRecognizer(EntityRecognizer):
    """`EntityRecognizer` that also records a probability for every entity it sets."""

    def set_annotations(self, docs: Iterable[Doc], states_or_beams: List) -> None:
        docs = list(docs)
        super().set_annotations(docs, states_or_beams)
        for doc in docs:
            # a name has at least one letter or digit: a lone quote mark or dash is never a mention
            if any(not any(c.isalnum() for c in e.text) for e in doc.ents):
                doc.ents = [e for e in doc.ents if any(c.isalnum() for c in e.text)]
        if self.cfg.get("beam_width", 1) > 1 and states_or_beams and not hasattr(states_or_beams[0], "is_final"):
            for doc, scores in zip(docs, self.scored_ents(states_or_beams)):
                doc._.entity_scores = [round(min(float(scores.get((e.start, e.end, e.label_), 0.0)), 1.0), 4) for e in doc.ents]
        else:
            for doc in docs:
                doc._.entity_scores = None


@Language.factory(
    "immunoextract_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "doc._.entity_scores"],
    default_config=DEFAULT_CONFIG,
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_scored_ner(
    nlp: Language,
    name: str,
    model: Model,
    moves: Optional[object],
    update_with_oracle_cut_size: int,
    beam_width: int,
    beam_density: float,
    beam_update_prob: float,
    incorrect_spans_key: Optional[str],
    scorer: Optional[Callable],
) -> ScoredEntityRecognizer:
    install_extensions()
    return ScoredEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        beam_width=beam_width,
        beam_density=beam_density,
        beam_update_prob=beam_update_prob,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )
