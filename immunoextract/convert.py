"""Conversions between schema JSONL and the formats of annotation tools.

| format | file | holds |
|---|---|---|
| `jsonl` | schema JSON Lines | everything |
| `prodigy-ner` | Prodigy JSONL: `text`, `tokens`, `spans` (token indices, `token_end` inclusive) | entities |
| `prodigy-rel` | Prodigy JSONL as `rel.manual` writes it: entity and event `spans`, `relations` with `head`/`child` (the last token of each span) and `head_span`/`child_span` | everything |
| `label-studio` | Label Studio JSON: a list of tasks, `data.text`, `annotations[0].result` with `labels` regions (`from_name` "label" for entities, "event" for events; region ids are the schema ids) and `relation` items | everything |
| `doccano` | doccano JSONL: `text`, `label: [[start, end, LABEL]]`, and the relation format's `entities` (`start_offset`, `end_offset`, integer ids) and `relations` (`from_id`, `to_id`, `type`) | entities and the relations between them |
| `docbin` | spaCy `DocBin` (`.spacy`), via `data/formats.py` | everything |

Every format that can hold a whole schema record converts there and back to an identical
record (ids, scores, `meta` and extra keys kept). Where a target cannot hold something
(events and event arguments in `doccano`; events and relations in `prodigy-ner`; scores and
per-item extra keys in `doccano`), the converter drops it and emits one `ImmunoextractWarning`
that says what was dropped and how much.
"""
import json
import warnings
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from .data.schema import (
    EVENT_ARGUMENT_LABELS,
    EVENT_TYPES,
    Document,
    Entity,
    Event,
    Relation,
    document_to_dict,
    dumps_document,
    read_jsonl,
    validate_document,
)
from .errors import ImmunoextractWarning, InputError, SchemaError

FORMATS: Tuple[str, ...] = ("jsonl", "prodigy-ner", "prodigy-rel", "label-studio", "doccano", "docbin")
ALIASES: Dict[str, str] = {
    "schema": "jsonl", "prodigy_ner": "prodigy-ner", "prodigy_rel": "prodigy-rel", "ner": "prodigy-ner", "rel": "prodigy-rel",
    "labelstudio": "label-studio", "label_studio": "label-studio", "ls": "label-studio", "spacy": "docbin",
}
PRODIGY_KEYS = ("text", "tokens", "spans", "relations", "meta", "id", "answer", "_input_hash", "_task_hash", "_view_id", "_session_id", "_timestamp", "_annotator_id")
PRODIGY_SPAN_KEYS = ("start", "end", "token_start", "token_end", "label", "id", "score", "text")
LS_ENTITY = "label"
LS_EVENT = "event"

PathLike = Union[str, Path]


def normalize_format(name: str) -> str:
    """The canonical name of a format (see FORMATS and ALIASES); InputError when unknown."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in FORMATS:
        raise InputError(f"unknown format {name!r} (expected one of {', '.join(FORMATS)})")
    return key


def guess_format(path: PathLike) -> str:
    """The format a file name suggests: `.spacy` DocBin, `.json` Label Studio, else schema JSONL."""
    suffix = Path(path).suffix.lower()
    return {".spacy": "docbin", ".json": "label-studio"}.get(suffix, "jsonl")


# ---------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------


class _Losses:
    """Counts of what a target format could not hold, warned about once at the end."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.counts: Dict[str, int] = {}
        self.documents = 0

    def add(self, what: str, n: int = 1) -> None:
        if n:
            self.counts[what] = self.counts.get(what, 0) + n

    def warn(self) -> None:
        if self.counts:
            lost = ", ".join(f"{n} {what}" for what, n in self.counts.items())
            warnings.warn(
                ImmunoextractWarning(
                    f"{self.fmt} cannot hold everything of the schema: dropped {lost} "
                    f"(over {self.documents} documents); use prodigy-rel, label-studio, docbin or jsonl to keep them"
                ),
                stacklevel=3,
            )


def _extra_of(record: Dict[str, Any], known: Iterable[str]) -> Dict[str, Any]:
    skip = set(known)
    return {k: v for k, v in record.items() if k not in skip}


def _checked(doc: Document, where: Dict[str, Any]) -> Document:
    problems = validate_document(doc)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SchemaError(problems[0] + more, doc_id=doc.id, **where)
    return doc


# ---------------------------------------------------------------------------
# Prodigy
# ---------------------------------------------------------------------------


def _tokenizer() -> Any:
    import spacy

    from .pipeline.tokenizer import create_filing_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = create_filing_tokenizer(clean=False)(nlp)
    return nlp


def prodigy_tokens(nlp: Any, text: str, boundaries: Iterable[int]) -> List[Dict[str, Any]]:
    """Prodigy `tokens` of `text` (spaCy words, split further at every offset in `boundaries`)."""
    from .data.formats import _split_at
    from .pipeline.tokenizer import split_words

    doc = _split_at(split_words(nlp, text), boundaries)
    return [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)} for t in doc]


def _span(item: Union[Entity, Event], label: str, token_of: Dict[int, int], token_end_of: Dict[int, int]) -> Dict[str, Any]:
    span: Dict[str, Any] = {
        "start": item.start, "end": item.end, "token_start": token_of[item.start], "token_end": token_end_of[item.end],
        "label": label, "id": item.id,
    }
    if item.score is not None:
        span["score"] = item.score
    span.update(item.extra)
    return span


def to_prodigy(doc: Document, nlp: Any, *, relations: bool, losses: Optional[_Losses] = None) -> Dict[str, Any]:
    """The Prodigy task of `doc`: `ner` style (entities only) or, with `relations`, `rel` style."""
    items: List[Union[Entity, Event]] = list(doc.entities) + (list(doc.events) if relations else [])
    tokens = prodigy_tokens(nlp, doc.text, [b for i in items for b in (i.start, i.end)])
    token_of = {t["start"]: t["id"] for t in tokens}
    token_end_of = {t["end"]: t["id"] for t in tokens}
    spans = {i.id: _span(i, i.label if isinstance(i, Entity) else i.type, token_of, token_end_of) for i in items}
    task: Dict[str, Any] = {"text": doc.text, "meta": doc.meta, "id": doc.id, "tokens": tokens}
    task["spans"] = [spans[i.id] for i in items]  # schema order: entities, then events
    if relations:
        rels = []
        for rel in doc.relations:
            head, child = spans[rel.head], spans[rel.tail]
            record: Dict[str, Any] = {
                "head": head["token_end"], "child": child["token_end"], "label": rel.label,
                "head_span": {k: head[k] for k in ("start", "end", "token_start", "token_end", "label")},
                "child_span": {k: child[k] for k in ("start", "end", "token_start", "token_end", "label")},
            }
            if rel.score is not None:
                record["score"] = rel.score
            record.update(rel.extra)
            rels.append(record)
        task["relations"] = rels
    elif losses is not None:
        losses.add("events", len(doc.events))
        losses.add("relations", len(doc.relations))
    task.update(doc.extra)
    return task


def from_prodigy(task: Dict[str, Any], *, where: Optional[Dict[str, Any]] = None) -> Document:
    """A Document from a Prodigy `ner` or `rel` task (spans labelled with an event type are events)."""
    where = where or {}
    doc_id = str(task.get("id") or task.get("meta", {}).get("id") or task.get("_input_hash", "doc"))
    entities: List[Entity] = []
    events: List[Event] = []
    by_span: Dict[Tuple[int, int, str], str] = {}
    by_token_end: Dict[int, str] = {}
    for n, span in enumerate(task.get("spans", []), start=1):
        label = span["label"]
        is_event = label in EVENT_TYPES
        item_id = str(span.get("id") or (f"E{n}" if is_event else f"T{n}"))
        extra = _extra_of(span, PRODIGY_SPAN_KEYS)
        if is_event:
            events.append(Event(item_id, span["start"], span["end"], label, span.get("score"), extra))
        else:
            entities.append(Entity(item_id, span["start"], span["end"], label, span.get("score"), extra))
        by_span[(span["start"], span["end"], label)] = item_id
        if "token_end" in span:
            by_token_end.setdefault(span["token_end"], item_id)
    relations: List[Relation] = []
    for rel in task.get("relations", []):
        head = _prodigy_end(rel, "head", by_span, by_token_end)
        tail = _prodigy_end(rel, "child", by_span, by_token_end)
        if head is None or tail is None:
            raise SchemaError(f"relation {rel.get('label')} names a span that is not among the task's spans", doc_id=doc_id, **where)
        extra = _extra_of(rel, ("head", "child", "head_span", "child_span", "label", "score", "color"))
        relations.append(Relation(head, tail, rel["label"], rel.get("score"), extra))
    doc = Document(
        id=doc_id, text=task["text"], meta=dict(task.get("meta") or {}), entities=entities, events=events,
        relations=relations, extra=_extra_of(task, PRODIGY_KEYS),
    )
    return _checked(doc, where)


def _prodigy_end(rel: Dict[str, Any], role: str, by_span: Dict[Tuple[int, int, str], str], by_token_end: Dict[int, str]) -> Optional[str]:
    span = rel.get(f"{role}_span")
    if isinstance(span, dict) and (span.get("start"), span.get("end"), span.get("label")) in by_span:
        return by_span[(span["start"], span["end"], span["label"])]
    return by_token_end.get(rel.get(role))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Label Studio
# ---------------------------------------------------------------------------


def to_label_studio(doc: Document, task_id: int) -> Dict[str, Any]:
    """The Label Studio task of `doc`: regions keep the schema ids; relations are `relation` items."""
    result: List[Dict[str, Any]] = []
    for kind, items in ((LS_ENTITY, doc.entities), (LS_EVENT, doc.events)):
        for item in items:
            label = item.label if isinstance(item, Entity) else item.type
            region: Dict[str, Any] = {
                "id": item.id, "from_name": kind, "to_name": "text", "type": "labels",
                "value": {"start": item.start, "end": item.end, "text": doc.span_text(item), "labels": [label]},
            }
            if item.score is not None:
                region["score"] = item.score
            if item.extra:
                region["extra"] = item.extra
            result.append(region)
    for rel in doc.relations:
        link: Dict[str, Any] = {"from_id": rel.head, "to_id": rel.tail, "type": "relation", "direction": "right", "labels": [rel.label]}
        if rel.score is not None:
            link["score"] = rel.score
        if rel.extra:
            link["extra"] = rel.extra
        result.append(link)
    data: Dict[str, Any] = {"text": doc.text, "doc_id": doc.id, "meta": doc.meta}
    data.update(doc.extra)
    return {"id": task_id, "data": data, "annotations": [{"result": result}]}


def from_label_studio(task: Dict[str, Any], *, where: Optional[Dict[str, Any]] = None) -> Document:
    """A Document from a Label Studio task (the first annotation, else the first prediction)."""
    where = where or {}
    data = task.get("data") or {}
    doc_id = str(data.get("doc_id") or task.get("id") or "doc")
    if "text" not in data:
        raise SchemaError("the task has no data.text", doc_id=doc_id, **where)
    runs = task.get("annotations") or task.get("predictions") or [{"result": []}]
    entities: List[Entity] = []
    events: List[Event] = []
    relations: List[Relation] = []
    for item in runs[0].get("result", []):
        if item.get("type") == "relation":
            labels = item.get("labels") or []
            if not labels:
                raise SchemaError(f"relation {item.get('from_id')}->{item.get('to_id')} has no label", doc_id=doc_id, **where)
            head, tail = str(item["from_id"]), str(item["to_id"])
            if item.get("direction") == "left":
                head, tail = tail, head
            relations.append(Relation(head, tail, labels[0], item.get("score"), dict(item.get("extra") or {})))
            continue
        value = item.get("value") or {}
        labels = value.get("labels") or value.get(item.get("type", "labels")) or []
        if not labels:
            continue
        label = labels[0]
        if item.get("from_name") == LS_EVENT or label in EVENT_TYPES:
            events.append(Event(str(item["id"]), value["start"], value["end"], label, item.get("score"), dict(item.get("extra") or {})))
        else:
            entities.append(Entity(str(item["id"]), value["start"], value["end"], label, item.get("score"), dict(item.get("extra") or {})))
    doc = Document(
        id=doc_id, text=data["text"], meta=dict(data.get("meta") or {}), entities=entities, events=events,
        relations=relations, extra=_extra_of(data, ("text", "doc_id", "meta")),
    )
    return _checked(doc, where)


# ---------------------------------------------------------------------------
# doccano
# ---------------------------------------------------------------------------


def _int_ids(ids: Iterable[str]) -> Dict[str, int]:
    """Integer ids for doccano: the number of `T12` is kept when every id has that form."""
    ids = list(ids)
    numbers = [int(i[1:]) if len(i) > 1 and i[0] == "T" and i[1:].isdigit() else None for i in ids]
    if all(n is not None for n in numbers) and len(set(numbers)) == len(numbers):
        return {i: n for i, n in zip(ids, numbers)}  # type: ignore[misc]
    return {i: n for n, i in enumerate(ids, start=1)}


def to_doccano(doc: Document, *, losses: Optional[_Losses] = None) -> Dict[str, Any]:
    """The doccano record of `doc`: `label` spans for sequence labelling, and `entities` and
    `relations` in doccano's relation format. Events and event arguments are dropped."""
    ids = _int_ids(e.id for e in doc.entities)
    entity_ids = set(ids)
    relations = [r for r in doc.relations if r.head in entity_ids and r.tail in entity_ids]
    if losses is not None:
        losses.add("events", len(doc.events))
        losses.add("event arguments", sum(1 for r in doc.relations if r.label in EVENT_ARGUMENT_LABELS))
        losses.add("scores", sum(1 for x in list(doc.entities) + relations if x.score is not None))
        losses.add("per-item extra keys", sum(1 for x in list(doc.entities) + relations if x.extra))
    record: Dict[str, Any] = {
        "doc_id": doc.id,
        "text": doc.text,
        "label": [[e.start, e.end, e.label] for e in doc.entities],
        "entities": [{"id": ids[e.id], "label": e.label, "start_offset": e.start, "end_offset": e.end} for e in doc.entities],
        "relations": [{"id": n, "from_id": ids[r.head], "to_id": ids[r.tail], "type": r.label} for n, r in enumerate(relations, start=1)],
        "meta": doc.meta,
    }
    record.update(doc.extra)
    return record


def from_doccano(record: Dict[str, Any], *, where: Optional[Dict[str, Any]] = None) -> Document:
    """A Document from a doccano record (relation format `entities`, else sequence-labelling `label`)."""
    where = where or {}
    doc_id = str(record.get("doc_id") or record.get("id") or "doc")
    if "text" not in record:
        raise SchemaError("the record has no text", doc_id=doc_id, **where)
    entities: List[Entity] = []
    if record.get("entities"):
        for ent in record["entities"]:
            entities.append(Entity(f"T{ent['id']}", ent["start_offset"], ent["end_offset"], ent["label"]))
    else:
        for n, (start, end, label) in enumerate(record.get("label") or [], start=1):
            entities.append(Entity(f"T{n}", start, end, label))
    relations = [Relation(f"T{r['from_id']}", f"T{r['to_id']}", r["type"]) for r in record.get("relations") or []]
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    doc = Document(
        id=doc_id, text=record["text"], meta=dict(meta), entities=entities, relations=relations,
        extra=_extra_of(record, ("doc_id", "id", "text", "label", "entities", "relations", "meta", "Comments")),
    )
    return _checked(doc, where)


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def _iter_json_lines(path: Path) -> Iterator[Tuple[int, Dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the file: {err}", path=str(path)) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"malformed JSON: {err.msg} at column {err.colno}", path=str(path), line=number) from None
        if not isinstance(record, dict):
            raise InputError("a record must be a JSON object", path=str(path), line=number)
        yield number, record


def read_documents(path: PathLike, fmt: str) -> Iterator[Document]:
    """Read `path` in format `fmt` as schema Documents (validated)."""
    path = Path(path)
    fmt = normalize_format(fmt)
    if fmt == "jsonl":
        yield from read_jsonl(path)
    elif fmt in ("prodigy-ner", "prodigy-rel"):
        for number, task in _iter_json_lines(path):
            if task.get("answer") in ("reject", "ignore"):
                continue
            yield from_prodigy(task, where={"path": str(path), "line": number})
    elif fmt == "doccano":
        for number, record in _iter_json_lines(path):
            yield from_doccano(record, where={"path": str(path), "line": number})
    elif fmt == "label-studio":
        try:
            tasks = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise InputError(f"not a Label Studio JSON export: {err}", path=str(path)) from None
        for number, task in enumerate(tasks if isinstance(tasks, list) else [tasks], start=1):
            yield from_label_studio(task, where={"path": str(path), "line": None})
    else:
        from .data.formats import document_from_doc, read_docbin

        nlp = _tokenizer()
        for doc in read_docbin(path, nlp.vocab):
            yield document_from_doc(doc)


def write_documents(documents: Iterable[Document], path: PathLike, fmt: str, *, clean: bool = False) -> int:
    """Write Documents to `path` in format `fmt`, warning (ImmunoextractWarning) about anything the
    format cannot hold.

    clean (bool): for docbin, store the cleaned text the pipeline reads (offsets still map back), default False.
    RETURNS (int): the number of documents written.
    """
    path = Path(path)
    fmt = normalize_format(fmt)
    losses = _Losses(fmt)
    count = 0
    if fmt == "docbin":
        from .data.formats import doc_from_document, write_docbin

        nlp = _tokenizer()
        docs = [doc_from_document(nlp, d, clean=clean) for d in documents]
        return write_docbin(docs, path)
    if fmt == "label-studio":
        tasks = [to_label_studio(d, n) for n, d in enumerate(documents, start=1)]
        path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return len(tasks)
    nlp = _tokenizer() if fmt.startswith("prodigy") else None
    with path.open("w", encoding="utf-8") as fh:
        for doc in documents:
            losses.documents += 1
            if fmt == "jsonl":
                fh.write(dumps_document(doc) + "\n")
            else:
                if fmt == "doccano":
                    record = to_doccano(doc, losses=losses)
                else:
                    record = to_prodigy(doc, nlp, relations=fmt == "prodigy-rel", losses=losses)
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    losses.warn()
    return count


def convert(source: PathLike, target: PathLike, *, from_format: Optional[str] = None, to_format: Optional[str] = None, clean: bool = False) -> int:
    """Convert the documents of `source` (format `from_format`) into `target` (format `to_format`).

    from_format (str | None): one of FORMATS, default from the suffix (`guess_format`).
    to_format (str | None): one of FORMATS, default from the suffix.
    clean (bool): for docbin output, store the cleaned text, default False.
    RETURNS (int): the number of documents written.
    """
    src = normalize_format(from_format or guess_format(source))
    dst = normalize_format(to_format or guess_format(target))
    return write_documents(read_documents(source, src), target, dst, clean=clean)


def documents_equal(a: Document, b: Document) -> bool:
    """Whether two Documents are the same schema record."""
    return document_to_dict(a) == document_to_dict(b)


__all__ = [
    "FORMATS", "convert", "documents_equal", "from_doccano", "from_label_studio", "from_prodigy", "guess_format",
    "normalize_format", "read_documents", "to_doccano", "to_label_studio", "to_prodigy", "write_documents",
]
