"""Corpus readers for `spacy train`: schema JSONL read directly, converted once, kept in memory.

Registered in `registry.readers` (and declared as a `spacy_readers` entry point),
so a config says `@readers = "immunoextract.JsonlCorpus.v1"` and `spacy train`
needs no `.spacy` files.
"""
import random
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional, Sequence

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from ..data.closure import CLOSED_LABELS, closed_relations
from ..data.formats import doc_from_document
from ..data.schema import Document, read_jsonl
from ..errors import InputError
from ..ml.models.relations import sentence_ids


def jsonl_paths(path: str) -> List[Path]:
    """A file, a folder of `*.jsonl`, or several of either separated by commas."""
    paths: List[Path] = []
    for part in str(path).split(","):
        p = Path(part.strip())
        if p.is_dir():
            paths.extend(sorted(p.glob("*.jsonl")))
        elif p.exists():
            paths.append(p)
        else:
            raise InputError("no such corpus file or folder", path=str(p))
    return paths


def example_from_document(nlp: Language, document: Document, *, close_relations: Sequence[str] = ()) -> Example:
    """The training Example of a record: the reference holds the gold annotations, the
    predicted Doc the same words with nothing set.

    close_relations (Sequence[str]): relation labels to close: each relation of these labels is
        also written between every other pair of its two clusters' mentions that share a sentence
        (`data.closure`), in the sentences the relation model sees (`sentence_ids` of the predicted Doc).
    """
    reference = doc_from_document(nlp, document)
    predicted = Doc(nlp.vocab, words=[t.text for t in reference], spaces=[bool(t.whitespace_) for t in reference])
    if close_relations:
        _add_closed_relations(reference, document, sentence_ids(predicted), close_relations)
    return Example(predicted, reference)


def _add_closed_relations(reference: Doc, document: Document, sentences: List[int], labels: Sequence[str]) -> None:
    spans = {ent_id: ent for ent_id, ent in zip(reference._.entity_ids, reference.ents)}
    sentence_of = {ent_id: sentences[ent.start] for ent_id, ent in spans.items()}
    added = closed_relations(document, sentence_of, labels)
    reference._.relations = list(reference._.relations) + [
        {
            "head": [spans[r.head].start_char, spans[r.head].end_char],
            "tail": [spans[r.tail].start_char, spans[r.tail].end_char],
            "label": r.label,
            "score": None,
        }
        for r in added
    ]


class JsonlCorpus:
    """Iterate Examples from schema JSONL; `limit` keeps the first N documents, `shuffle` reorders each
    pass, `close_relations` names the relation labels whose within-sentence closure is added (`data.closure`)."""

    def __init__(
        self, path: str, *, limit: int = 0, shuffle: bool = False, seed: int = 0, close_relations: Sequence[str] = ()
    ) -> None:
        unknown = sorted(set(close_relations) - set(CLOSED_LABELS))
        if unknown:
            raise InputError(
                f"close_relations: {', '.join(unknown)} cannot be closed; choose from {', '.join(CLOSED_LABELS)}", path=str(path)
            )
        self.paths = jsonl_paths(path)
        self.limit = limit
        self.shuffle = shuffle
        self.close_relations = tuple(close_relations)
        self._rng = random.Random(seed)
        self._cache: Optional[List[Document]] = None

    def documents(self) -> List[Document]:
        if self._cache is None:
            docs = [d for p in self.paths for d in read_jsonl(p)]
            self._cache = docs[: self.limit] if self.limit else docs
        return self._cache

    def __call__(self, nlp: Language) -> Iterator[Example]:
        docs = list(self.documents())
        if self.shuffle:
            self._rng.shuffle(docs)
        for document in docs:
            yield example_from_document(nlp, document, close_relations=self.close_relations)


@registry.readers("immunoextract.JsonlCorpus.v1")
def create_jsonl_corpus(
    path: str, limit: int = 0, shuffle: bool = False, close_relations: Sequence[str] = ()
) -> Callable[[Language], Iterable[Example]]:
    return JsonlCorpus(path, limit=limit, shuffle=shuffle, close_relations=close_relations)
