"""The authoring format of the project's corpus, resolved to schema records by code.

Writers mark mentions inline instead of counting characters, so offsets are
always right. A source file looks like::

    id: acme-1998-05-04-release
    company: Acme Biologics, Inc.
    date: 1998-05-04
    form: 8-K EX-99
    genre: edgar-legacy
    era: 1990s
    issuer: Acme Biologics
    %%%TEXT
    [[Acme Biologics, Inc.|PARTNER|p1]] {{licensed|LICENSE|e1}} [[AB-101|DRUG|d1]] to ...
    %%%RELATIONS
    d1 LICENSED_TO p2
    e1 PRODUCT d1
    e1 PARTY p1 p2

`[[text|LABEL]]` marks an entity, `[[text|LABEL|key]]` one that relations name,
`{{text|TYPE|key}}` an event trigger. A relation line is `head LABEL tail...`
(several tails give several relations); `#` starts a comment. Header lines
become `meta` (`id` becomes the record id).
"""
import re
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Tuple, Union

from ..errors import SchemaError
from .schema import ENTITY_LABELS, EVENT_TYPES, Document, Entity, Event, Relation, validate_document

TEXT_MARK = "%%%TEXT"
RELATIONS_MARK = "%%%RELATIONS"
_MARKUP = re.compile(r"\[\[([^\[\]|]+?)\|([A-Z]+)(?:\|([A-Za-z0-9_]+))?\]\]|\{\{([^{}|]+?)\|([A-Z]+)\|([A-Za-z0-9_]+)\}\}")


def parse_source(source: str, *, path: str = "<string>") -> Document:
    """Resolve one authoring-format source to a validated schema Document."""
    if TEXT_MARK not in source:
        raise SchemaError(f"no {TEXT_MARK} line", path=path)
    header, _, rest = source.partition(TEXT_MARK + "\n")
    body, _, relations_block = rest.partition("\n" + RELATIONS_MARK)
    meta: Dict[str, str] = {}
    for number, line in enumerate(header.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise SchemaError(f"header line {line!r} is not 'key: value'", path=path, line=number)
        meta[key.strip()] = value.strip()
    doc_id = meta.pop("id", "") or Path(path).stem
    text_parts: List[str] = []
    entities: List[Entity] = []
    events: List[Event] = []
    keys: Dict[str, str] = {}
    cursor = 0
    offset = 0
    for match in _MARKUP.finditer(body):
        plain = body[cursor : match.start()]
        text_parts.append(plain)
        offset += len(plain)
        if match.group(1) is not None:
            mention, label, key = match.group(1), match.group(2), match.group(3)
            item_id = f"T{len(entities) + 1}"
            if label not in ENTITY_LABELS:
                raise SchemaError(f"unknown entity label {label!r} in {match.group(0)!r}", path=path, doc_id=doc_id)
            entities.append(Entity(item_id, offset, offset + len(mention), label))
        else:
            mention, label, key = match.group(4), match.group(5), match.group(6)
            item_id = f"E{len(events) + 1}"
            if label not in EVENT_TYPES:
                raise SchemaError(f"unknown event type {label!r} in {match.group(0)!r}", path=path, doc_id=doc_id)
            events.append(Event(item_id, offset, offset + len(mention), label))
        if key:
            if key in keys:
                raise SchemaError(f"key {key!r} is used twice", path=path, doc_id=doc_id)
            keys[key] = item_id
        text_parts.append(mention)
        offset += len(mention)
        cursor = match.end()
    text_parts.append(body[cursor:])
    text = "".join(text_parts)
    for stray in ("[[", "]]", "{{", "}}"):
        if stray in text:
            at = text.index(stray)
            raise SchemaError(f"malformed markup near {text[max(0, at - 30): at + 30]!r}", path=path, doc_id=doc_id)
    relations: List[Relation] = []
    for number, line in enumerate(relations_block.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 3:
            raise SchemaError(f"relation line {line!r} is not 'head LABEL tail...'", path=path, doc_id=doc_id)
        head, label, tails = parts[0], parts[1], parts[2:]
        for ref in [head] + tails:
            if ref not in keys:
                raise SchemaError(f"relation line {line!r} names unknown key {ref!r}", path=path, doc_id=doc_id)
        for tail in tails:
            relations.append(Relation(keys[head], keys[tail], label))
    doc = Document(id=doc_id, text=text, meta=dict(meta), entities=entities, events=events, relations=relations)
    problems = validate_document(doc)
    if problems:
        raise SchemaError("; ".join(problems[:5]), path=path, doc_id=doc_id)
    return doc


def read_source(path: Union[str, Path]) -> Document:
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SchemaError(f"cannot read the source: {err}", path=str(path)) from None
    return parse_source(source, path=str(path))


def unlabelled_occurrences(doc: Document) -> List[Tuple[str, str, int]]:
    """(mention, label, offset) for each occurrence of an annotated string left unannotated.

    Matches whole words only, so `ImmunoGen` inside `ImmunoGen's` counts but
    `CD4` inside `CD44` does not.
    """
    covered = [(e.start, e.end) for e in doc.entities]
    found = []
    names = {doc.span_text(e): e.label for e in doc.entities}
    for name, label in names.items():
        pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
        for m in pattern.finditer(doc.text):
            if not any(s <= m.start() < e or s < m.end() <= e for s, e in covered):
                found.append((name, label, m.start()))
    return found


def summarize(docs: Iterable[Document]) -> Dict[str, Counter]:
    counts: Dict[str, Counter] = {"entities": Counter(), "relations": Counter(), "events": Counter()}
    for doc in docs:
        counts["entities"].update(e.label for e in doc.entities)
        counts["relations"].update(r.label for r in doc.relations)
        counts["events"].update(e.type for e in doc.events)
    return counts


def _main(argv: List[str]) -> int:
    """`python -m immunoextract.data.authoring FILE...`: resolve, report problems and counts."""
    import sys

    docs = []
    failed = 0
    for arg in argv:
        try:
            doc = read_source(arg)
        except SchemaError as err:
            print(f"ERROR {err}")
            failed += 1
            continue
        docs.append(doc)
        for name, label, at in unlabelled_occurrences(doc):
            print(f"WARN {arg}: {name!r} ({label}) occurs unannotated at offset {at}")
        if "--show" in sys.argv:
            for e in doc.entities:
                print(f"  {e.id} {e.label:8} {doc.span_text(e)!r}")
            for e in doc.events:
                print(f"  {e.id} {e.type:11} {doc.span_text(e)!r}")
            names = {**{e.id: doc.span_text(e) for e in doc.entities}, **{e.id: doc.span_text(e) for e in doc.events}}
            for r in doc.relations:
                print(f"  {names[r.head]!r} -{r.label}-> {names[r.tail]!r}")
    counts = summarize(docs)
    print(f"{len(docs)} documents resolved, {failed} failed")
    for kind, counter in counts.items():
        print(f"{kind}: {sum(counter.values())} " + ", ".join(f"{k}={v}" for k, v in sorted(counter.items())))
    return 1 if failed else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main([a for a in sys.argv[1:] if not a.startswith("--")]))
