"""Word lists derived from an annotated corpus, for the rules that run after the recognizer.

`common_words` answers one question the recognizer gets wrong in real filings: is this
capitalised word an ordinary English word that happens to open a sentence or a heading
(`Supply`, `Extended`, `Combined`, `BUT`, `DELAYED`) rather than a name? A word qualifies
when the corpus writes it in lower case outside every mention at least `min_count` times and
never inside a mention, in any case. Company names (`Genentech`), INN stems (`ketamine`,
annotated wherever it is a product) and surnames do not pass the second test, so the list
holds only vocabulary. The list is a word list, not text, and is rebuilt with
`immunoextract annotations common-words`.
"""
import re
from collections import Counter
from pathlib import Path
from typing import Container, FrozenSet, Iterable, List

from .schema import Document

WORD = re.compile(r"[A-Za-z]+")
HEADER = (
    "# immunoextract common-word lexicon: lower-case words the annotated corpus writes outside every mention\n"
    "# and never inside one; a mention made only of such words is not a name (entity_rules: drop_common_words)\n"
    "# Rebuild: immunoextract annotations common-words annotations/train.jsonl annotations/dev.jsonl annotations/test.jsonl\n"
)


def common_words(documents: Iterable[Document], min_count: int = 2, min_length: int = 3) -> FrozenSet[str]:
    """The lower-case words of `documents` that are vocabulary, not names (see the module docstring).

    documents (Iterable[Document]): annotated documents (gold mentions).
    min_count (int): how often a word must occur in lower case outside mentions.
    min_length (int): shorter words are left out (`an`, `of`: they never make a mention alone).
    RETURNS (FrozenSet[str]): the words, lower case.
    """
    outside: Counter = Counter()
    inside = set()
    for doc in documents:
        for ent in doc.entities:
            inside.update(w.lower() for w in WORD.findall(doc.text[ent.start : ent.end]))
        for match in WORD.finditer(doc.text):
            word = match.group()
            if word.islower() and len(word) >= min_length:
                outside[word] += 1
    return frozenset(w for w, n in outside.items() if n >= min_count and w not in inside)


def write_word_list(path: Path, words: Iterable[str], header: str = HEADER) -> int:
    """Write `words` sorted, one a line, under `header`. RETURNS the number of words written."""
    ordered = sorted(set(words))
    path.write_text(header + "".join(w + "\n" for w in ordered), encoding="utf8")
    return len(ordered)


def lexicon_lines(path: Path) -> List[str]:
    """The stripped lines of a lexicon file, comments (`#`) and blank lines skipped; none if it is missing."""
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_word_list(path: Path) -> FrozenSet[str]:
    """The lower-cased lines of a word list; empty if it is missing."""
    return frozenset(line.lower() for line in lexicon_lines(path))


def only_common_words(text: str, common: FrozenSet[str], keep_words: Container[str] = ()) -> bool:
    """Whether every word of `text` is in `common` and none is one of `keep_words` (company words such as
    `Therapeutics`, which make `Plasma Therapeutics` a name though both words are vocabulary)."""
    words = [w.lower() for w in WORD.findall(text)]
    return bool(words) and all(w in common for w in words) and not any(w in keep_words for w in words)
