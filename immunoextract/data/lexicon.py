"""Word lists derived from an annotated corpus, for the rules that run after the recognizer.

`common_words` answers one question the recognizer gets wrong in real filings: is this
capitalised word an ordinary English word that happens to open a sentence or a heading
(`Supply`, `Extended`, `Combined`, `BUT`, `DELAYED`) rather than a name? A word qualifies
when the corpus writes it in lower case outside every mention at least `min_count` times and
never inside a mention, in any case. Company names (`Genentech`), INN stems (`ketamine`,
annotated wherever it is a product) and surnames do not pass the second test, so the list
holds only vocabulary. The list is a word list, not text, and is rebuilt with
`immunoextract annotations common-words`.

`filing_words` widens that vocabulary with real, unannotated filings (`../shared/corpus`):
the lower-case words that several of them write (`additionally`, `division`, `clinics`),
less every word the annotated corpus uses as a one-word mention or inside a product or
target name. Real filings write drug names in lower case (`ketamine`), so the wider list
is applied to PARTNER and OFFICER mentions only. It is rebuilt with
`immunoextract annotations filing-words`; documents that share text with an evaluation set
are left out of it (`overlapping`).
"""
import re
from collections import Counter
from pathlib import Path
from typing import Container, FrozenSet, Iterable, List, Sequence

from .schema import Document

WORD = re.compile(r"[A-Za-z]+")
HEADER = (
    "# immunoextract common-word lexicon: lower-case words the annotated corpus writes outside every mention\n"
    "# and never inside one; a mention made only of such words is not a name (entity_rules: drop_common_words)\n"
    "# Rebuild: immunoextract annotations common-words annotations/train.jsonl annotations/dev.jsonl annotations/test.jsonl\n"
)
FILING_WORDS_HEADER = (
    "# immunoextract filing-word lexicon: lower-case words that at least three real filings write, less the words the\n"
    "# annotated corpus uses as names; a PARTNER or OFFICER mention made only of them is not a name (entity_rules)\n"
    "# Rebuild: immunoextract annotations filing-words ../shared/corpus/*.jsonl -a annotations/train.jsonl\n"
    "#   -a annotations/dev.jsonl -a annotations/test.jsonl -x ../shared/dev/dev.jsonl -x ../shared/dev/dev_10k.jsonl\n"
    "#   -x ../shared/dev/seeds.jsonl\n"
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


def filing_words(
    texts: Iterable[str], documents: Iterable[Document], min_documents: int = 3, min_length: int = 3
) -> FrozenSet[str]:
    """The lower-case words of real filings that are vocabulary (see the module docstring).

    texts (Iterable[str]): unannotated filings.
    documents (Iterable[Document]): the annotated corpus, whose names veto a word.
    min_documents (int): in how many texts a word must be written in lower case.
    min_length (int): shorter words are left out.
    RETURNS (FrozenSet[str]): the words, lower case.
    """
    seen_in: Counter = Counter()
    for text in texts:
        seen_in.update({w for w in WORD.findall(text) if w.islower() and len(w) >= min_length})
    names = set()
    for doc in documents:
        for ent in doc.entities:
            words = WORD.findall(doc.text[ent.start : ent.end])
            if len(words) == 1 or ent.label in ("DRUG", "TARGET", "ANTIBODY"):
                names.update(w.lower() for w in words)
    return frozenset(w for w, n in seen_in.items() if n >= min_documents and w not in names)


def shingles(text: str, size: int = 8) -> FrozenSet[str]:
    """The runs of `size` consecutive white-space separated words of `text`."""
    words = text.split()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def overlapping(text: str, held_out: Container[str], share: float = 0.02, floor: int = 10) -> bool:
    """Whether `text` shares more than `share` of its 8-word shingles (and more than `floor`, so that
    boilerplate such as a safe-harbour sentence does not count) with the shingles in `held_out`."""
    own = shingles(text)
    shared = sum(1 for s in own if s in held_out)
    return shared > max(floor, share * len(own))


def texts_apart_from(texts: Sequence[str], held_out: Iterable[str]) -> List[str]:
    """The `texts` that do not share text with any of `held_out` (see `overlapping`), in order."""
    held = set()
    for text in held_out:
        held |= shingles(text)
    return [text for text in texts if not (held and overlapping(text, held))]


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
