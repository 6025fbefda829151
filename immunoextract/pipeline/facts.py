"""Document-level facts as a pipeline step: entities merged by alias, relation and event facts.

The last component of a pipeline: it reads what the others set and writes
`doc._.facts` (the same record `immunoextract extract` writes under `facts`),
using `data.facts`, the very code the evaluator scores with.
"""
from typing import Callable, Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..data.extensions import install_extensions
from ..data.facts import facts_record
from ..data.formats import document_from_doc


class FactAssembler:
    """Stateless: derives `doc._.facts` from the mention-level annotations."""

    def __init__(self, name: str = "facts") -> None:
        install_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.facts = facts_record(document_from_doc(doc))
        return doc


@Language.factory("immunoextract_facts", assigns=["doc._.facts"], requires=["doc.ents"], default_config={})
def make_fact_assembler(nlp: Language, name: str) -> FactAssembler:
    return FactAssembler(name)
