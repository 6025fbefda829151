"""Lossless conversions: schema Document <-> spaCy Doc <-> DocBin <-> Hugging Face datasets.

A Doc holds the text the model reads (the cleaned filing) and remembers the
source: entities are `doc.ents`, events `doc.spans["events"]`, relations
`doc._.relations` (see `extensions.py`). Converting back maps every span to the
text the user gave, with the original ids, scores and extra keys, so
JSONL -> Doc -> DocBin -> Doc -> JSONL is the identity.
"""
import json
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span, SpanGroup
from spacy.vocab import Vocab

from ..errors import SchemaError
from .extensions import EVENTS_KEY, SourceMap, install_extensions, offsets_to_runs
from .schema import Document, Entity, Event, Relation, validate_document

Cleaner = Callable[[str], Any]  # returns an object with .text and .offsets


def default_cleaner(text: str) -> Any:
    from ..filings.parser import clean_text

    return clean_text(text)


def _split_at(doc: Doc, boundaries: Iterable[int]) -> Doc:
    """The same text with tokens split so that every offset in `boundaries` is a token boundary."""
    cuts = sorted(set(boundaries))
    if not cuts:
        return doc
    words: List[str] = []
    spaces: List[bool] = []
    k = 0
    for token in doc:
        start, end = token.idx, token.idx + len(token.text)
        while k < len(cuts) and cuts[k] <= start:
            k += 1
        pieces_at = []
        j = k
        while j < len(cuts) and cuts[j] < end:
            pieces_at.append(cuts[j])
            j += 1
        if not pieces_at:
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
            continue
        prev = start
        for cut in pieces_at:
            words.append(doc.text[prev:cut])
            spaces.append(False)
            prev = cut
        words.append(doc.text[prev:end])
        spaces.append(bool(token.whitespace_))
    return Doc(doc.vocab, words=words, spaces=spaces)


def doc_from_document(
    nlp: Language,
    document: Document,
    *,
    clean: Optional[bool] = None,
    cleaner: Optional[Cleaner] = None,
) -> Doc:
    """The spaCy Doc of a schema Document: cleaned text, annotations aligned to tokens.

    nlp (Language): supplies the vocab and the word splitter.
    document (Document): the record; its offsets point into `document.text`.
    clean (Optional[bool]): read the text through the filing cleaner; default: as the
        pipeline's tokenizer does (`FilingTokenizer.clean`), so training and prediction agree.
    RETURNS (Doc): with ents, `spans["events"]` and the extensions of `extensions.py` set.
    """
    from ..pipeline.tokenizer import split_words

    install_extensions()
    runs: Optional[List[List[int]]] = None
    text = document.text
    if clean is None:
        clean = bool(getattr(nlp.tokenizer, "clean", False))
    if clean:
        cleaned = (cleaner or default_cleaner)(document.text)
        if cleaned.text != document.text:
            text = cleaned.text
            runs = offsets_to_runs(cleaned.offsets)
    mapping = SourceMap(runs)
    placed: List[Tuple[str, Union[Entity, Event], int, int]] = []
    unaligned: List[Dict[str, Any]] = []
    for kind, items in (("entity", document.entities), ("event", document.events)):
        for item in items:
            span = mapping.to_clean(item.start, item.end)
            if span is None or mapping.to_source(*span) != (item.start, item.end):
                unaligned.append({"kind": kind, "id": item.id})
                continue
            placed.append((kind, item, span[0], span[1]))
    doc = _split_at(split_words(nlp, text), [b for _, _, s, e in placed for b in (s, e)])
    ents: List[Span] = []
    events: List[Span] = []
    for kind, item, start, end in sorted(placed, key=lambda p: (p[2], p[3])):
        label = item.label if isinstance(item, Entity) else item.type
        span = doc.char_span(start, end, label=label)
        if span is None:  # pragma: no cover - boundaries were split above
            raise SchemaError(f"{kind} {item.id} cannot be aligned to tokens", doc_id=document.id)
        (ents if kind == "entity" else events).append(span)
    ent_items = {(s, e): item for kind, item, s, e in placed if kind == "entity"}
    ev_items = {(s, e): item for kind, item, s, e in placed if kind == "event"}
    doc.ents = ents
    group = SpanGroup(doc, name=EVENTS_KEY, spans=events)
    doc.spans[EVENTS_KEY] = group
    doc._.doc_id = document.id
    doc._.meta = document.meta
    if runs is not None:
        doc._.source_text = document.text
        doc._.source_offsets = runs
    doc._.entity_ids = [ent_items[(e.start_char, e.end_char)].id for e in doc.ents]
    doc._.entity_scores = [ent_items[(e.start_char, e.end_char)].score for e in doc.ents]
    doc._.event_ids = [ev_items[(e.start_char, e.end_char)].id for e in events]
    group.attrs["scores"] = [ev_items[(e.start_char, e.end_char)].score for e in events]
    span_of: Dict[str, Tuple[int, int]] = {item.id: (s, e) for _, item, s, e in placed}
    relations = []
    for rel in document.relations:
        if rel.head in span_of and rel.tail in span_of:
            relations.append({"head": list(span_of[rel.head]), "tail": list(span_of[rel.tail]), "label": rel.label, "score": rel.score})
        else:
            unaligned.append({"kind": "relation", "head": rel.head, "tail": rel.tail, "label": rel.label})
    doc._.relations = relations
    extra: Dict[str, Any] = {"record": document.extra}
    item_extra = {item.id: item.extra for _, item, _, _ in placed if item.extra}
    rel_extra = {f"{r.head}|{r.tail}|{r.label}": r.extra for r in document.relations if r.extra}
    if item_extra:
        extra["items"] = item_extra
    if rel_extra:
        extra["relations"] = rel_extra
    if unaligned:
        # kept verbatim so the way back loses nothing (cleaning removed these spans)
        extra["unaligned"] = unaligned
        extra["unaligned_items"] = _unaligned_records(document, unaligned)
    extra["order"] = {
        "entities": [e.id for e in document.entities],
        "events": [e.id for e in document.events],
        "relations": [f"{r.head}|{r.tail}|{r.label}" for r in document.relations],
    }
    doc._.record_extra = extra
    return doc


def _unaligned_records(document: Document, unaligned: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The records of items cleaning removed, with their extra keys and exact scores, for the way back."""
    from .schema import document_to_dict

    record = document_to_dict(document)
    ids = {u["id"] for u in unaligned if "id" in u}
    rels = {(u["head"], u["tail"], u["label"]) for u in unaligned if u.get("kind") == "relation"}
    return {
        "entities": [e for e in record["entities"] if e["id"] in ids],
        "events": [e for e in record["events"] if e["id"] in ids],
        "relations": [r for r in record["relations"] if (r["head"], r["tail"], r["label"]) in rels],
    }


def document_from_doc(doc: Doc, *, doc_id: Optional[str] = None) -> Document:
    """The schema Document of a Doc, offsets mapped back into the source text.

    Gold Docs made by `doc_from_document` come back identical; predicted Docs get
    fresh ids (T1.., E1..) and the scores the components assigned.
    """
    install_extensions()
    mapping = SourceMap(doc._.source_offsets)
    source = doc._.source_text if doc._.source_text is not None else doc.text
    extra = doc._.record_extra or {}
    item_extra: Dict[str, Any] = extra.get("items", {})
    ent_ids = doc._.entity_ids if doc._.entity_ids and len(doc._.entity_ids) == len(doc.ents) else None
    ent_scores = doc._.entity_scores if doc._.entity_scores and len(doc._.entity_scores) == len(doc.ents) else None
    entities: List[Entity] = []
    by_span: Dict[Tuple[str, int, int], str] = {}
    taken = set()
    for i, ent in enumerate(doc.ents):
        start, end = trimmed_source_span(source, mapping, ent.start_char, ent.end_char)
        if start >= end:
            continue
        ent_id = ent_ids[i] if ent_ids else f"T{i + 1}"
        taken.add(ent_id)
        by_span[("entity", ent.start_char, ent.end_char)] = ent_id
        entities.append(Entity(ent_id, start, end, ent.label_, ent_scores[i] if ent_scores else None, dict(item_extra.get(ent_id, {}))))
    events: List[Event] = []
    group = doc.spans[EVENTS_KEY] if EVENTS_KEY in doc.spans else []
    ev_ids = doc._.event_ids if doc._.event_ids and len(doc._.event_ids) == len(group) else None
    ev_scores = group.attrs.get("scores") if len(group) else None
    last_end = -1
    # spancat keeps its spans (and their scores) in score order: number predicted events by position,
    # but read each one's score at its own index
    order = list(range(len(group))) if ev_ids else sorted(range(len(group)), key=lambda k: (group[k].start_char, group[k].end_char))
    for n, k in enumerate(order):
        span = group[k]
        start, end = trimmed_source_span(source, mapping, span.start_char, span.end_char)
        if start >= end or start < last_end:
            continue
        last_end = end
        ev_id = ev_ids[k] if ev_ids else f"E{n + 1}"
        by_span[("event", span.start_char, span.end_char)] = ev_id
        score = _as_score(ev_scores[k]) if ev_scores is not None and k < len(ev_scores) else None
        events.append(Event(ev_id, start, end, span.label_, score, dict(item_extra.get(ev_id, {}))))
    relations: List[Relation] = []
    rel_extra: Dict[str, Any] = extra.get("relations", {})
    seen = set()
    for rel in doc._.relations or []:
        head_kind = "event" if rel["label"] in ("PRODUCT", "PARTY") else "entity"
        head = by_span.get((head_kind, rel["head"][0], rel["head"][1]))
        tail = by_span.get(("entity", rel["tail"][0], rel["tail"][1]))
        if head is None or tail is None or (head, tail, rel["label"]) in seen:
            continue
        seen.add((head, tail, rel["label"]))
        relations.append(Relation(head, tail, rel["label"], rel.get("score"), dict(rel_extra.get(f"{head}|{tail}|{rel['label']}", {}))))
    lost = extra.get("unaligned_items")
    if lost:
        from .schema import item_from_record

        entities += [item_from_record(Entity, e) for e in lost["entities"]]
        events += [item_from_record(Event, e) for e in lost["events"]]
        relations += [item_from_record(Relation, r) for r in lost["relations"]]
    order = extra.get("order")
    if order:
        entities = _in_order(entities, order["entities"], lambda e: e.id)
        events = _in_order(events, order["events"], lambda e: e.id)
        relations = _in_order(relations, order["relations"], lambda r: f"{r.head}|{r.tail}|{r.label}")
    return Document(
        id=doc_id or doc._.doc_id or "doc",
        text=source,
        meta=dict(doc._.meta or {}),
        entities=entities,
        events=events,
        relations=relations,
        extra=dict(extra.get("record", {})),
    )


def _as_score(value: Any) -> Optional[float]:
    """A plain float from a stored score (spancat stores numpy scalars or per-label rows: the best counts)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return value  # given by a user or a gold file: kept exactly
    import numpy

    return round(float(numpy.max(value)), 4)


def _in_order(items: List[Any], order: Sequence[str], key: Callable[[Any], str]) -> List[Any]:
    rank = {k: i for i, k in enumerate(order)}
    return sorted(items, key=lambda x: rank.get(key(x), len(rank)))


def trimmed_source_span(source: str, mapping: SourceMap, start: int, end: int) -> Tuple[int, int]:
    """A Doc span mapped into the source text, without the white space cleaning folded into it."""
    s, e = mapping.to_source(start, end)
    while s < e and source[s].isspace():
        s += 1
    while e > s and source[e - 1].isspace():
        e -= 1
    return s, e


def docs_to_docbin(docs: Iterable[Doc]) -> DocBin:
    """A DocBin that keeps the extensions (user data) of every Doc."""
    docbin = DocBin(store_user_data=True)
    for doc in docs:
        docbin.add(doc)
    return docbin


def write_docbin(docs: Iterable[Doc], path: Union[str, Path]) -> int:
    docbin = docs_to_docbin(docs)
    docbin.to_disk(path)
    return len(docbin)


def read_docbin(path: Union[str, Path], vocab: Vocab) -> List[Doc]:
    install_extensions()
    try:
        docbin = DocBin().from_disk(path)
    except Exception as err:  # DocBin raises plain exceptions on foreign files
        raise SchemaError(f"not a spaCy DocBin file ({err.__class__.__name__})", path=str(path)) from None
    return list(docbin.get_docs(vocab))


# --- Hugging Face datasets -------------------------------------------------------------------

def _features() -> Any:
    from datasets import Features, Sequence as HFSequence, Value

    span = {"id": Value("string"), "start": Value("int64"), "end": Value("int64"), "score": Value("float64"), "extra": Value("string")}
    return Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "meta": Value("string"),
            "entities": HFSequence({**span, "label": Value("string")}),
            "events": HFSequence({**span, "type": Value("string")}),
            "relations": HFSequence({"head": Value("string"), "tail": Value("string"), "label": Value("string"), "score": Value("float64"), "extra": Value("string")}),
            "extra": Value("string"),
        }
    )


def _row(doc: Document) -> Dict[str, Any]:
    dumps = lambda x: json.dumps(x, ensure_ascii=False, sort_keys=False)  # noqa: E731
    return {
        "id": doc.id,
        "text": doc.text,
        "meta": dumps(doc.meta),
        "entities": {
            "id": [e.id for e in doc.entities], "start": [e.start for e in doc.entities], "end": [e.end for e in doc.entities],
            "score": [e.score for e in doc.entities], "extra": [dumps(e.extra) for e in doc.entities], "label": [e.label for e in doc.entities],
        },
        "events": {
            "id": [e.id for e in doc.events], "start": [e.start for e in doc.events], "end": [e.end for e in doc.events],
            "score": [e.score for e in doc.events], "extra": [dumps(e.extra) for e in doc.events], "type": [e.type for e in doc.events],
        },
        "relations": {
            "head": [r.head for r in doc.relations], "tail": [r.tail for r in doc.relations], "label": [r.label for r in doc.relations],
            "score": [r.score for r in doc.relations], "extra": [dumps(r.extra) for r in doc.relations],
        },
        "extra": dumps(doc.extra),
    }


def documents_to_dataset(docs: Iterable[Document]) -> Any:
    """A `datasets.Dataset` with one row a document; `meta` and extra keys as JSON strings (free-form)."""
    from datasets import Dataset

    rows = [_row(d) for d in docs]
    columns = {key: [r[key] for r in rows] for key in _features()}
    return Dataset.from_dict(columns, features=_features())


def dataset_to_documents(dataset: Any) -> Iterator[Document]:
    """Documents back from a Dataset made by `documents_to_dataset` (or one with the same columns)."""
    for row in dataset:
        ents, evs, rels = row["entities"], row["events"], row["relations"]
        doc = Document(
            id=row["id"],
            text=row["text"],
            meta=json.loads(row["meta"]) if row.get("meta") else {},
            entities=[Entity(*vals[:5], extra=json.loads(vals[5]) if vals[5] else {}) for vals in zip(ents["id"], ents["start"], ents["end"], ents["label"], ents["score"], ents["extra"])],
            events=[Event(*vals[:5], extra=json.loads(vals[5]) if vals[5] else {}) for vals in zip(evs["id"], evs["start"], evs["end"], evs["type"], evs["score"], evs["extra"])],
            relations=[Relation(*vals[:4], extra=json.loads(vals[4]) if vals[4] else {}) for vals in zip(rels["head"], rels["tail"], rels["label"], rels["score"], rels["extra"])],
            extra=json.loads(row["extra"]) if row.get("extra") else {},
        )
        problems = validate_document(doc)
        if problems:
            raise SchemaError(problems[0], doc_id=doc.id)
        yield doc
