"""Corpus readers for `spacy train`: schema JSONL read directly, converted once, kept in memory.

Registered in `registry.readers` (and declared as a `spacy_readers` entry point),
so a config says `@readers = "immunoextract.JsonlCorpus.v1"` and `spacy train`
needs no `.spacy` files.
"""
import random
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from ..data.formats import doc_from_document
from ..data.schema import Document, read_jsonl
from ..errors import InputError


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


def example_from_document(nlp: Language, document: Document) -> Example:
    """The training Example of a record: the reference holds the gold annotations, the
    predicted Doc the same words with nothing set."""
    reference = doc_from_document(nlp, document)
    predicted = Doc(nlp.vocab, words=[t.text for t in reference], spaces=[bool(t.whitespace_) for t in reference])
    return Example(predicted, reference)


class JsonlCorpus:
    """Iterate Examples from schema JSONL; `limit` keeps the first N documents, `shuffle` reorders each pass."""

    def __init__(self, path: str, *, limit: int = 0, shuffle: bool = False, seed: int = 0) -> None:
        self.paths = jsonl_paths(path)
        self.limit = limit
        self.shuffle = shuffle
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
            yield example_from_document(nlp, document)


@registry.readers("immunoextract.JsonlCorpus.v1")
def create_jsonl_corpus(path: str, limit: int = 0, shuffle: bool = False) -> Callable[[Language], Iterable[Example]]:
    return JsonlCorpus(path, limit=limit, shuffle=shuffle)
