"""Running a pipeline over documents: load the shipped model, annotate texts of any length.

A text is cleaned once, cut into paragraph-aligned pieces (relations never cross
a paragraph, and pieces bound the memory a 10 MB filing needs), run through
`nlp.pipe`, and the predictions are mapped back to offsets in the text as given.
"""
import os
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language

from .data.extensions import SourceMap, offsets_to_runs
from .data.facts import facts_record
from .data.formats import document_from_doc, trimmed_source_span
from .data.schema import Document, Entity, Event, Relation
from .errors import ModelError

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
DEFAULT_MODEL = "immunoextract_cpu"
MAX_PIECE_CHARS = 5_000


def default_model_path() -> Path:
    """`$IMMUNOEXTRACT_MODEL`, else the shipped `models/immunoextract_cpu`."""
    return Path(os.environ.get("IMMUNOEXTRACT_MODEL") or MODELS_DIR / DEFAULT_MODEL)


def load(name: Union[str, Path, None] = None, **kwargs: Any) -> Language:
    """Load a trained immunoextract pipeline (default: the shipped CPU model).

    name (str | Path | None): a pipeline directory or an installed spaCy package name.
    RETURNS (Language): the pipeline; components resolve through entry points.
    """
    import spacy

    target = name if name is not None else default_model_path()
    try:
        return spacy.load(target, **kwargs)
    except OSError as err:
        raise ModelError(f"cannot load the model {str(target)!r}: {err}") from None


def split_pieces(text: str, max_chars: int = MAX_PIECE_CHARS) -> List[Tuple[int, int]]:
    """(start, end) pieces of `text` of at most about `max_chars`, cut at blank lines where possible,
    else at a line end, else at a space."""
    pieces = []
    start, n = 0, len(text)
    while start < n:
        end = min(start + max_chars, n)
        if end < n:
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, start + max_chars // 4, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        pieces.append((start, end))
        start = end
    return pieces


def _clean(nlp: Language, text: str):
    if getattr(nlp.tokenizer, "clean", False):
        from .filings.parser import clean_text

        return clean_text(text)
    return None


def annotate_documents(
    nlp: Language,
    documents: Iterable[Document],
    *,
    batch_size: int = 4,
    max_piece_chars: int = MAX_PIECE_CHARS,
    with_facts: bool = True,
    n_process: int = 1,
) -> Iterator[Document]:
    """Predict entities, events and relations for each Document; id, text and meta are kept as given.

    Existing annotations of the input are replaced by the predictions. With
    `with_facts`, the document-level facts go to `extra["facts"]`. Memory grows with
    `batch_size * max_piece_chars` (the event categorizer scores every candidate span of a
    batch at once), not with the length of a document.
    """
    from .pipeline.tokenizer import split_words

    disable = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "immunoextract_facts"]

    def pieces() -> Iterator[Tuple[Any, Tuple[int, Document, Any, int, int]]]:
        for index, document in enumerate(documents):
            cleaned = _clean(nlp, document.text)
            text = cleaned.text if cleaned is not None else document.text
            runs = offsets_to_runs(cleaned.offsets) if cleaned is not None else None
            del cleaned  # the per-character offset list of a big filing is large; the runs say the same
            spans = split_pieces(text, max_piece_chars) or [(0, 0)]
            for k, (start, end) in enumerate(spans):
                yield split_words(nlp, text[start:end]), (index, document, runs, start, len(spans) - k - 1)

    current: Optional[Document] = None
    parts: List[Tuple[Document, int]] = []
    with nlp.select_pipes(disable=disable):
        for doc, (index, document, runs, offset, remaining) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process):
            parts.append((document_from_doc(doc, doc_id=document.id), offset))
            if remaining == 0:
                yield _merge(document, runs, parts, with_facts=with_facts)
                parts = []


def _merge(document: Document, runs: Any, parts: Sequence[Tuple[Document, int]], *, with_facts: bool) -> Document:
    """One Document from the per-piece predictions: offsets shifted, mapped to the source, ids renumbered."""
    entities: List[Entity] = []
    events: List[Event] = []
    relations: List[Relation] = []
    source = document.text
    mapping = SourceMap(runs)

    def to_source(start: int, end: int) -> Tuple[int, int]:
        return trimmed_source_span(source, mapping, start, end)

    for piece, offset in parts:
        ids: Dict[str, str] = {}
        for ent in piece.entities:
            s, e = to_source(ent.start + offset, ent.end + offset)
            if s < e:
                ids[ent.id] = f"T{len(entities) + 1}"
                entities.append(Entity(ids[ent.id], s, e, ent.label, ent.score))
        for ev in piece.events:
            s, e = to_source(ev.start + offset, ev.end + offset)
            if s < e and (not events or s >= events[-1].end):
                ids[ev.id] = f"E{len(events) + 1}"
                events.append(Event(ids[ev.id], s, e, ev.type, ev.score))
        for rel in piece.relations:
            if rel.head in ids and rel.tail in ids:
                relations.append(Relation(ids[rel.head], ids[rel.tail], rel.label, rel.score))
    result = Document(id=document.id, text=document.text, meta=dict(document.meta), entities=entities, events=events, relations=relations, extra=dict(document.extra))
    for key in ("entities", "events", "relations"):
        result.extra.pop(key, None)
    if with_facts:
        result.extra["facts"] = facts_record(result)
    return result


def annotate_text(nlp: Language, text: str, *, doc_id: str = "doc", meta: Optional[Dict[str, Any]] = None) -> Document:
    """Predictions for one text (raw filing text is cleaned first), offsets into `text`."""
    return next(annotate_documents(nlp, [Document(id=doc_id, text=text, meta=dict(meta or {}))]))
