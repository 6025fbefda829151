"""A tokenizer that reads filings: it cleans EDGAR markup before splitting words, and remembers the source.

`nlp(raw_filing_text)` gives a Doc whose text is the cleaned text the model
reads; `doc._.source_text` and `doc._.source_offsets` keep the way back, so every
prediction can be reported at its offsets in the text the user gave
(`immunoextract.data.formats.document_from_doc`).
"""
from typing import Any, Callable, Iterable, Iterator, List, Optional

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, registry
from spacy.vocab import Vocab

from ..data.extensions import install_extensions, offsets_to_runs

EXTRA_INFIXES = [r"(?<=[\w])[\(\)\[\]](?=[\w])", r"(?<=[\w])[/](?=[\w])", r"[®™©]"]


class FilingTokenizer:
    """spaCy's rule tokenizer with extra infixes, behind an optional EDGAR cleaning step.

    base (Tokenizer): the word splitter.
    clean (bool): clean filing markup before splitting, default True.
    """

    def __init__(self, vocab: Vocab, base: Tokenizer, *, clean: bool = True) -> None:
        install_extensions()
        self.vocab = vocab
        self.base = base
        self.clean = clean

    def __call__(self, text: str) -> Doc:
        if not self.clean:
            return self.base(text)
        from ..filings.parser import clean_text

        cleaned = clean_text(text)
        doc = self.base(cleaned.text)
        if cleaned.text != text:
            doc._.source_text = text
            doc._.source_offsets = offsets_to_runs(cleaned.offsets)
        return doc

    def split(self, text: str) -> Doc:
        """Split `text` into words without cleaning it (the text is already what the model reads)."""
        return self.base(text)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return self.base.to_bytes(exclude=exclude)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "FilingTokenizer":
        self.base.from_bytes(data, exclude=exclude)
        return self

    def to_disk(self, path: Any, *, exclude: Iterable[str] = tuple()) -> None:
        self.base.to_disk(path, exclude=exclude)

    def from_disk(self, path: Any, *, exclude: Iterable[str] = tuple()) -> "FilingTokenizer":
        self.base.from_disk(path, exclude=exclude)
        return self


def build_base_tokenizer(nlp: Language) -> Tokenizer:
    """spaCy's default tokenizer for the language, with infixes that split `Name(ALIAS`, `a/b` and `®`."""
    base: Tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
    infixes: List[str] = list(nlp.Defaults.infixes or []) + EXTRA_INFIXES
    base.infix_finditer = compile_infix_regex(infixes).finditer
    return base


@registry.tokenizers("immunoextract.FilingTokenizer.v1")
def create_filing_tokenizer(clean: bool = True) -> Callable[[Language], FilingTokenizer]:
    """The tokenizer of immunoextract pipelines; `clean = false` reads text as it is."""

    def make(nlp: Language) -> FilingTokenizer:
        return FilingTokenizer(nlp.vocab, build_base_tokenizer(nlp), clean=clean)

    return make


def split_words(nlp: Language, text: str) -> Doc:
    """Words of `text` as the pipeline's tokenizer splits them, without cleaning."""
    tokenizer: Optional[Any] = nlp.tokenizer
    if isinstance(tokenizer, FilingTokenizer):
        return tokenizer.split(text)
    return tokenizer(text)
