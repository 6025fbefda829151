"""The Doc extensions immunoextract reads and writes, registered once, without `force`.

All values are msgpack-safe (str, int, float, list, dict), so they survive
`DocBin(store_user_data=True)` and reloading in a fresh process.

- `doc._.doc_id` (str): the schema record id.
- `doc._.meta` (dict): the record's `meta`.
- `doc._.source_text` (str | None): the text as given, when the Doc holds a cleaned version.
- `doc._.source_offsets` (list | None): runs `[clean_start, source_start, length]` plus a final
  `[len(clean), len(source), 0]`, mapping Doc characters back into `source_text`.
- `doc._.entity_ids` / `doc._.entity_scores` (list): aligned with `doc.ents`.
- `doc._.event_ids` (list): aligned with `doc.spans["events"]`; event scores are in
  `doc.spans["events"].attrs["scores"]`.
- `doc._.relations` (list of dict): `{"head": [start, end], "tail": [start, end], "label": str,
  "score": float | None}`, character offsets into `doc.text`; the head of PRODUCT and PARTY is an
  event span, every other argument an entity span.
- `doc._.record_extra` (dict): what the source record held beyond the schema, kept for the way back.
- `doc._.facts` (dict): document-level facts (`data.facts.facts_record`), set by `immunoextract_facts`.
"""
from bisect import bisect_right
from typing import List, Optional, Sequence, Tuple

from spacy.tokens import Doc

EVENTS_KEY = "events"

_DOC_EXTENSIONS = {
    "doc_id": None,
    "meta": None,
    "source_text": None,
    "source_offsets": None,
    "entity_ids": None,
    "entity_scores": None,
    "event_ids": None,
    "relations": None,
    "record_extra": None,
    "facts": None,
}


def install_extensions() -> None:
    """Register the Doc extensions above (idempotent)."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def offsets_to_runs(offsets: Sequence[int]) -> List[List[int]]:
    """Compress a per-character offset map (len(text)+1 entries) into runs of consecutive offsets."""
    runs: List[List[int]] = []
    n = len(offsets) - 1
    i = 0
    while i < n:
        j = i + 1
        while j < n and offsets[j] == offsets[j - 1] + 1:
            j += 1
        runs.append([i, int(offsets[i]), j - i])
        i = j
    runs.append([n, int(offsets[n]) if n >= 0 else 0, 0])
    return runs


def runs_to_offsets(runs: Sequence[Sequence[int]]) -> List[int]:
    offsets: List[int] = []
    for clean_start, source_start, length in runs[:-1]:
        offsets.extend(range(source_start, source_start + length))
    offsets.append(runs[-1][1])
    return offsets


class SourceMap:
    """Character offsets between a Doc's text and its source, from the runs of `offsets_to_runs`.

    Built once per document: mapping a span is then two binary searches, however many spans.
    Without runs (the Doc holds the source itself) both directions are the identity.
    """

    def __init__(self, runs: Optional[Sequence[Sequence[int]]]) -> None:
        self.runs = list(runs) if runs else []
        self._clean_starts = [r[0] for r in self.runs]
        self._body = self.runs[:-1]
        self._source_starts = [r[1] for r in self._body]

    def _source_at(self, i: int) -> int:
        c0, s0, length = self.runs[bisect_right(self._clean_starts, i) - 1]
        return s0 + min(i - c0, max(length - 1, 0))

    def _clean_at(self, pos: int) -> Optional[int]:
        k = bisect_right(self._source_starts, pos) - 1
        if k < 0:
            return None
        c0, s0, length = self._body[k]
        return c0 + (pos - s0) if pos < s0 + length else None

    def to_source(self, start: int, end: int) -> Tuple[int, int]:
        """Map a Doc character span to the source text."""
        if not self.runs:
            return start, end
        return self._source_at(start), self._source_at(end - 1) + 1

    def to_clean(self, start: int, end: int) -> Optional[Tuple[int, int]]:
        """Map a source span into Doc characters; None when cleaning removed its first or last character."""
        if not self.runs:
            return start, end
        s, e = self._clean_at(start), self._clean_at(end - 1)
        if s is None or e is None or e < s:
            return None
        return s, e + 1


def to_source_span(runs: Optional[Sequence[Sequence[int]]], start: int, end: int) -> Tuple[int, int]:
    """Map one Doc character span to the source text (build a `SourceMap` to map many)."""
    return SourceMap(runs).to_source(start, end)


def to_clean_span(runs: Optional[Sequence[Sequence[int]]], start: int, end: int) -> Optional[Tuple[int, int]]:
    """Map one source span into Doc characters; None when cleaning removed its first or last character."""
    return SourceMap(runs).to_clean(start, end)
