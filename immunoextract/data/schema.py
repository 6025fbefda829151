"""The data model of `ANNOTATION_SCHEMA.md` and its JSON Lines format.

Documents, entities, events and relations are plain dataclasses; reading
validates every record against the schema and reports each problem with the
file, the line and the document id. Keys a record carries beyond the schema
are kept in `extra` and written back, so nothing a user gave is lost.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from ..errors import SchemaError

ENTITY_LABELS: Tuple[str, ...] = ("DRUG", "ANTIBODY", "TARGET", "PARTNER", "OFFICER")
EVENT_TYPES: Tuple[str, ...] = ("LICENSE", "TERMINATION", "CLINICAL", "MILESTONE", "REGULATORY")
EVENT = "EVENT"  # the pseudo-label of an event argument in RELATION_ARGS

# label -> the (head label, tail label) pairs it may join
RELATION_ARGS: Dict[str, Tuple[Tuple[str, str], ...]] = {
    "LICENSED_TO": (("DRUG", "PARTNER"),),
    "DEVELOPS": (("PARTNER", "DRUG"),),
    "HAS_ANTIBODY": (("DRUG", "ANTIBODY"),),
    "HAS_PAYLOAD": (("DRUG", "DRUG"),),
    "TARGETS": (("DRUG", "TARGET"), ("ANTIBODY", "TARGET")),
    "OFFICER_OF": (("OFFICER", "PARTNER"),),
    "PARTNER_OF": (("PARTNER", "PARTNER"),),
    "ALIAS_OF": (("DRUG", "DRUG"), ("PARTNER", "PARTNER")),
    "PRODUCT": ((EVENT, "DRUG"),),
    "PARTY": ((EVENT, "PARTNER"),),
}
RELATION_LABELS: Tuple[str, ...] = tuple(RELATION_ARGS)
ENTITY_RELATION_LABELS: Tuple[str, ...] = tuple(l for l in RELATION_LABELS if l not in ("PRODUCT", "PARTY"))
EVENT_ARGUMENT_LABELS: Tuple[str, ...] = ("PRODUCT", "PARTY")
SYMMETRIC_RELATIONS: Tuple[str, ...] = ("PARTNER_OF",)


@dataclass
class Entity:
    """A mention: `text[start:end]` with one of ENTITY_LABELS."""

    id: str
    start: int
    end: int
    label: str
    score: Optional[float] = None
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Event:
    """An event trigger span with one of EVENT_TYPES."""

    id: str
    start: int
    end: int
    type: str
    score: Optional[float] = None
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Relation:
    """A directed link between two ids of a document (entity or event)."""

    head: str
    tail: str
    label: str
    score: Optional[float] = None
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Document:
    """One schema record: the text exactly as given, its metadata and its annotations."""

    id: str
    text: str
    meta: Dict[str, Any] = field(default_factory=dict)
    entities: List[Entity] = field(default_factory=list)
    events: List[Event] = field(default_factory=list)
    relations: List[Relation] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict)

    def span_text(self, item: Union[Entity, Event]) -> str:
        return self.text[item.start : item.end]

    def items_by_id(self) -> Dict[str, Union[Entity, Event]]:
        found: Dict[str, Union[Entity, Event]] = {e.id: e for e in self.entities}
        found.update({e.id: e for e in self.events})
        return found


_DOC_KEYS = ("id", "text", "meta", "entities", "events", "relations")
_ENTITY_KEYS = ("id", "start", "end", "label", "score")
_EVENT_KEYS = ("id", "start", "end", "type", "score")
_RELATION_KEYS = ("head", "tail", "label", "score")


def _item_label(item: Union[Entity, Event]) -> str:
    return item.label if isinstance(item, Entity) else EVENT


def relation_fits(label: str, head_label: str, tail_label: str) -> bool:
    """Whether a relation of `label` may join a head and tail of these labels (EVENT for events)."""
    return (head_label, tail_label) in RELATION_ARGS.get(label, ())


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_score(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def validate_document(doc: Document) -> List[str]:
    """Every way `doc` breaks the schema, as readable sentences (empty when valid)."""
    problems: List[str] = []
    n = len(doc.text)
    seen_ids: Dict[str, str] = {}
    for kind, items, labels in (("entity", doc.entities, ENTITY_LABELS), ("event", doc.events, EVENT_TYPES)):
        for item in items:
            label = item.label if isinstance(item, Entity) else item.type
            if not isinstance(label, str):
                problems.append(f"{kind} {item.id} has a label that is not a string: {label!r}")
                continue
            if not _is_score(item.score):
                problems.append(f"{kind} {item.id} has a score that is not a number: {item.score!r}")
            if item.id in seen_ids:
                problems.append(f"{kind} id {item.id!r} is used twice")
            seen_ids[item.id] = kind
            if label not in labels:
                problems.append(f"{kind} {item.id} has unknown label {label!r} (expected one of {', '.join(labels)})")
            if not (_is_offset(item.start) and _is_offset(item.end)):
                problems.append(f"{kind} {item.id} has non-integer offsets {item.start!r}, {item.end!r}")
                continue
            if not 0 <= item.start < item.end <= n:
                problems.append(f"{kind} {item.id} offsets [{item.start}, {item.end}) are out of range for a text of {n} characters")
                continue
            mention = doc.text[item.start : item.end]
            if mention != mention.strip():
                problems.append(f"{kind} {item.id} mention {mention!r} has leading or trailing white space")
        ordered = sorted((i for i in items if _is_offset(i.start) and _is_offset(i.end)), key=lambda i: (i.start, i.end))
        for a, b in zip(ordered, ordered[1:]):
            if b.start < a.end:
                problems.append(f"{kind} {a.id} [{a.start}, {a.end}) overlaps {kind} {b.id} [{b.start}, {b.end})")
    by_id = doc.items_by_id()
    seen_rel = set()
    for rel in doc.relations:
        if not isinstance(rel.label, str) or rel.label not in RELATION_ARGS:
            problems.append(f"relation {rel.head}->{rel.tail} has unknown label {rel.label!r}")
            continue
        if not _is_score(rel.score):
            problems.append(f"relation {rel.label} {rel.head}->{rel.tail} has a score that is not a number: {rel.score!r}")
        head, tail = by_id.get(rel.head), by_id.get(rel.tail)
        for role, ref, item in (("head", rel.head, head), ("tail", rel.tail, tail)):
            if item is None:
                problems.append(f"relation {rel.label} {role} {ref!r} names no entity or event of this document")
        if head is None or tail is None:
            continue
        if not relation_fits(rel.label, _item_label(head), _item_label(tail)):
            allowed = " or ".join(f"{h} -> {t}" for h, t in RELATION_ARGS[rel.label])
            problems.append(
                f"relation {rel.label} {rel.head}->{rel.tail} joins {_item_label(head)} -> {_item_label(tail)}; "
                f"{rel.label} must run {allowed}"
            )
        if rel.head == rel.tail:
            problems.append(f"relation {rel.label} links {rel.head} to itself")
        key = (rel.head, rel.tail, rel.label)
        if key in seen_rel:
            problems.append(f"relation {rel.label} {rel.head}->{rel.tail} is given twice")
        seen_rel.add(key)
    return problems


def _check_keys(obj: Any, kind: str, required: Tuple[str, ...], where: Dict[str, Any]) -> Dict[str, Any]:
    if not isinstance(obj, dict):
        raise SchemaError(f"{kind} must be a JSON object, got {type(obj).__name__}", **where)
    missing = [k for k in required if k not in obj]
    if missing:
        raise SchemaError(f"{kind} {obj.get('id', '')!s} lacks {', '.join(missing)}".replace("  ", " "), **where)
    return obj


def document_from_dict(record: Any, *, path: Optional[str] = None, line: Optional[int] = None, validate: bool = True) -> Document:
    """Build a Document from one parsed JSONL record, raising SchemaError on any schema violation."""
    where: Dict[str, Any] = {"path": path, "line": line}
    if not isinstance(record, dict):
        raise SchemaError(f"a record must be a JSON object, got {type(record).__name__}", **where)
    doc_id = record.get("id")
    where["doc_id"] = doc_id
    if not isinstance(doc_id, str) or not doc_id:
        raise SchemaError("the record has no string 'id'", **where)
    text = record.get("text")
    if not isinstance(text, str):
        raise SchemaError("the record has no string 'text'", **where)
    meta = record.get("meta", {})
    extra = {k: v for k, v in record.items() if k not in _DOC_KEYS}
    if meta is None:
        meta, extra["meta"] = {}, None  # written back as null, in its place
    if not isinstance(meta, dict):
        raise SchemaError("'meta' must be a JSON object", **where)
    for key in ("entities", "events", "relations"):
        if not isinstance(record.get(key, []), list):
            raise SchemaError(f"'{key}' must be a list", **where)
    entities = [item_from_record(Entity, _check_keys(x, "entity", ("id", "start", "end", "label"), where)) for x in record.get("entities", [])]
    events = [item_from_record(Event, _check_keys(x, "event", ("id", "start", "end", "type"), where)) for x in record.get("events", [])]
    relations = [item_from_record(Relation, _check_keys(x, "relation", ("head", "tail", "label"), where)) for x in record.get("relations", [])]
    for item in entities + events:
        if not isinstance(item.id, str):
            raise SchemaError(f"an id must be a string, got {item.id!r}", **where)
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        at = next(i for i, c in enumerate(text) if 0xD800 <= ord(c) <= 0xDFFF)
        raise SchemaError(f"the text has an unpaired surrogate U+{ord(text[at]):04X} at offset {at}", **where)
    doc = Document(id=doc_id, text=text, meta=meta, entities=entities, events=events, relations=relations, extra=extra)
    if validate:
        problems = validate_document(doc)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise SchemaError(problems[0] + more, **where)
    return doc


def item_from_record(cls: Any, record: Dict[str, Any]) -> Any:
    """An Entity, Event or Relation from its JSON record: known keys as given, the rest in `extra`."""
    keys = {Entity: _ENTITY_KEYS, Event: _EVENT_KEYS, Relation: _RELATION_KEYS}[cls]
    known = {k: record.get(k) for k in keys}
    return cls(**known, extra={k: v for k, v in record.items() if k not in keys})


def _with_score(base: Dict[str, Any], score: Optional[float], extra: Dict[str, Any]) -> Dict[str, Any]:
    if score is not None:
        base["score"] = score
    base.update(extra)
    return base


def document_to_dict(doc: Document) -> Dict[str, Any]:
    """The schema record of `doc`, keys in the schema's order, extra keys after."""
    record: Dict[str, Any] = {
        "id": doc.id,
        "text": doc.text,
        "meta": doc.meta,
        "entities": [_with_score({"id": e.id, "start": e.start, "end": e.end, "label": e.label}, e.score, e.extra) for e in doc.entities],
        "events": [_with_score({"id": e.id, "start": e.start, "end": e.end, "type": e.type}, e.score, e.extra) for e in doc.events],
        "relations": [_with_score({"head": r.head, "tail": r.tail, "label": r.label}, r.score, r.extra) for r in doc.relations],
    }
    record.update(doc.extra)
    return record


def read_jsonl(path: Union[str, Path], *, validate: bool = True, on_error: str = "raise") -> Iterator[Document]:
    """Read schema JSONL, one Document a line.

    path (str | Path): the file.
    validate (bool): check each record against the schema, default True.
    on_error (str): "raise" stops at the first bad record; "skip" leaves bad records
        out (use `iter_jsonl` to see them), default "raise".
    RETURNS (Iterator[Document]): the documents in file order.
    """
    for doc_or_error in iter_jsonl(path, validate=validate):
        if isinstance(doc_or_error, SchemaError):
            if on_error == "raise":
                raise doc_or_error
            continue
        yield doc_or_error


def iter_jsonl(path: Union[str, Path], *, validate: bool = True) -> Iterator[Union[Document, SchemaError]]:
    """Each line as a Document, or as the SchemaError that line raised: bad records never stop good ones."""
    try:
        for number, record in _iter_records_tolerant(path):
            if isinstance(record, SchemaError):
                yield record
                continue
            try:
                yield document_from_dict(record, path=str(path), line=number, validate=validate)
            except SchemaError as err:
                yield err
    except SchemaError as err:
        yield err


def _iter_records_tolerant(path: Union[str, Path]) -> Iterator[Tuple[int, Any]]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SchemaError(f"cannot read the file: {err.strerror}", path=str(path)) from None
    if not raw.strip():
        raise SchemaError("the file is empty", path=str(path))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is not part of the first record
    for number, bline in enumerate(raw.split(b"\n"), start=1):
        if not bline.strip():
            continue
        try:
            line = bline.decode("utf-8")
        except UnicodeDecodeError as err:
            yield number, SchemaError(f"not UTF-8 text (byte {bline[err.start]:#04x} at column {err.start + 1})", path=str(path), line=number)
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as err:
            yield number, SchemaError(f"malformed JSON: {err.msg} at column {err.colno}", path=str(path), line=number)


def write_jsonl(docs: Iterable[Document], path: Union[str, Path]) -> int:
    """Write documents as schema JSONL (UTF-8, one record a line); RETURNS the number written."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(dumps_document(doc) + "\n")
            count += 1
    return count


def dumps_document(doc: Document) -> str:
    return json.dumps(document_to_dict(doc), ensure_ascii=False)
