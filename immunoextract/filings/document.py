"""The model of one read filing document: its source text, clean text and the map between them.

`Filing` is data only. Its two helpers, `to_source` and `to_clean`, are pure
functions of the offsets: a span a model finds in `text` maps to the span of
`source_text` that the schema's offsets point into, and back.
"""
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Sequence, Tuple

from ..errors import FilingError


@dataclass
class Filing:
    """One document of a filing, cleaned.

    id (str): the document id (`<accession or file stem>-<sequence>` for a submission
        document, the file stem for a single file, the record id for `read_text`).
    source_text (str): the text exactly as given: the raw content of the document's
        `<TEXT>` block, or the whole file, or the text passed to `read_text`.
    text (str): the clean text a model reads.
    offsets (Sequence[int]): `len(text) + 1` non-decreasing indices; `offsets[i]` is the
        index in `source_text` of clean character `i`, the last entry `len(source_text)`.
    meta (Dict[str, Any]): company, date (ISO: release dateline, else filing date),
        filing_date, form, exhibit_type, sequence, filename, description, path,
        source_offset (where `source_text` starts in the decoded file), encoding, kind.
    """

    id: str
    source_text: str
    text: str
    offsets: Sequence[int]
    meta: Dict[str, Any] = field(default_factory=dict)

    def to_source(self, start: int, end: int) -> Tuple[int, int]:
        """The source span `(s, e)` of the clean span `[start, end)`.

        RETURNS (Tuple[int, int]): `s = offsets[start]`, `e = offsets[end - 1] + 1`;
            an empty span maps to the empty span at `offsets[start]`.
        """
        return to_source(self.offsets, start, end, doc_id=self.id)

    def to_clean(self, start: int, end: int) -> Optional[Tuple[int, int]]:
        """The clean span covering the source span `[start, end)`, or None when
        cleaning deleted every character of it (markup, a page number)."""
        return to_clean(self.offsets, start, end, doc_id=self.id)


def to_source(offsets: Sequence[int], start: int, end: int, *, doc_id: Optional[str] = None) -> Tuple[int, int]:
    """Map the clean span `[start, end)` to source offsets (see `Filing.to_source`)."""
    n = len(offsets) - 1
    if not 0 <= start <= end <= n:
        raise FilingError(f"clean span [{start}, {end}) is out of range for a clean text of {n} characters", doc_id=doc_id)
    if start == end:
        return offsets[start], offsets[start]
    return offsets[start], offsets[end - 1] + 1


def to_clean(offsets: Sequence[int], start: int, end: int, *, doc_id: Optional[str] = None) -> Optional[Tuple[int, int]]:
    """Map the source span `[start, end)` to the clean characters that come from inside it
    (see `Filing.to_clean`)."""
    n = len(offsets) - 1
    if not 0 <= start <= end <= offsets[n]:
        raise FilingError(f"source span [{start}, {end}) is out of range for a source of {offsets[n]} characters", doc_id=doc_id)
    s = bisect_left(offsets, start, 0, n)
    e = bisect_left(offsets, end, s, n)
    if s >= e:
        return None
    return s, e
