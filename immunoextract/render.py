"""One document as an HTML page: displaCy marks for entities and events, labelled arcs for relations.

The page has three parts:

1. the text with displaCy's `ent` style (manual mode): entities in one colour per label, events
   in one shared colour so they stand apart; where an event overlaps an entity, only the event's
   words outside the entity are marked (the event is still in the arcs below);
2. for every sentence with relations or event arguments, a displaCy `dep` figure (manual mode)
   whose "words" are the mentions of that sentence and whose arcs are the relations, each
   labelled (LICENSED_TO, PRODUCT, PARTY, ...) and pointing from head to tail;
3. the document-level facts as tables.

    page = render_document(doc)              # a schema Document, gold or predicted
    Path("page.html").write_text(page)
"""
import html
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from .data.facts import facts_record
from .data.schema import ENTITY_LABELS, EVENT_TYPES, Document, Entity, Event
from .timeline import sentence_bounds

ENTITY_COLORS: Dict[str, str] = {
    "DRUG": "#7aecec",
    "ANTIBODY": "#bfe1d9",
    "TARGET": "#c887fb",
    "PARTNER": "#aa9cfc",
    "OFFICER": "#feca74",
}
EVENT_COLOR = "linear-gradient(90deg, #ffb199, #ff6b6b)"
MAX_WORD_CHARS = 40

_PAGE_STYLE = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; } h2 { font-size: 1.1em; margin-top: 2em; }
.meta { color: #666; font-size: 0.9em; }
.legend span { display: inline-block; padding: 2px 8px; margin: 2px; border-radius: 4px; font-size: 0.8em; font-weight: bold; }
.sentence { color: #555; font-size: 0.85em; margin: 1.2em 0 0.2em 0; }
.arcs { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9em; } th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #eee; }
"""


def _label(item: Union[Entity, Event]) -> str:
    return item.label if isinstance(item, Entity) else item.type


def ent_markup(doc: Document) -> Dict[str, Any]:
    """The displaCy `ent` manual input of `doc`: entities, then events cut around the entities they overlap.

    RETURNS (Dict[str, Any]): {"text", "ents": [{"start", "end", "label"}], "title": None}.
    """
    spans: List[Tuple[int, int, str]] = [(e.start, e.end, e.label) for e in doc.entities]
    taken = sorted((e.start, e.end) for e in doc.entities)
    for event in doc.events:
        pieces = [(event.start, event.end)]
        for s, e in taken:
            cut = []
            for ps, pe in pieces:
                if e <= ps or s >= pe:
                    cut.append((ps, pe))
                    continue
                if ps < s:
                    cut.append((ps, s))
                if e < pe:
                    cut.append((e, pe))
            pieces = cut
        for ps, pe in pieces:
            while ps < pe and doc.text[ps].isspace():
                ps += 1
            while pe > ps and doc.text[pe - 1].isspace():
                pe -= 1
            if ps < pe:
                spans.append((ps, pe, event.type))
    spans.sort()
    kept: List[Tuple[int, int, str]] = []
    for span in spans:  # the schema forbids overlapping entities; stay safe on foreign input
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return {"text": doc.text, "ents": [{"start": s, "end": e, "label": l} for s, e, l in kept], "title": None}


def arc_groups(doc: Document) -> List[Dict[str, Any]]:
    """The displaCy `dep` manual inputs of `doc`: one per stretch of text (a sentence, or several
    when a relation crosses sentences) that holds relations or event arguments.

    RETURNS (List[Dict[str, Any]]): each {"words": [{"text", "tag"}], "arcs": [{"start", "end",
        "label", "dir"}], "sentence": str, "start": int, "end": int}; arcs point from head to tail.
    """
    items = doc.items_by_id()
    relations = [r for r in doc.relations if r.head in items and r.tail in items]
    intervals: List[List[Any]] = []
    for rel in relations:
        head, tail = items[rel.head], items[rel.tail]
        hs, he = sentence_bounds(doc.text, head.start, head.end)
        ts, te = sentence_bounds(doc.text, tail.start, tail.end)
        intervals.append([min(hs, ts), max(he, te), [rel]])
    intervals.sort(key=lambda x: (x[0], x[1]))
    merged: List[List[Any]] = []
    for interval in intervals:
        if merged and interval[0] < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], interval[1])
            merged[-1][2].extend(interval[2])
        else:
            merged.append(interval)
    groups = []
    for start, end, rels in merged:
        mentions = sorted(
            (i for i in list(doc.entities) + list(doc.events) if start <= i.start and i.end <= end),
            key=lambda i: (i.start, -i.end, isinstance(i, Event)),
        )
        position = {m.id: n for n, m in enumerate(mentions)}
        words = []
        for m in mentions:
            text = " ".join(doc.span_text(m).split())
            words.append({"text": text if len(text) <= MAX_WORD_CHARS else text[: MAX_WORD_CHARS - 1] + "\u2026", "tag": _label(m)})
        arcs = []
        for rel in rels:
            h, t = position.get(rel.head), position.get(rel.tail)
            if h is None or t is None or h == t:
                continue
            arcs.append({"start": min(h, t), "end": max(h, t), "label": rel.label, "dir": "right" if h < t else "left"})
        groups.append({"words": words, "arcs": arcs, "sentence": " ".join(doc.text[start:end].split()), "start": start, "end": end})
    return groups


def _facts_tables(doc: Document) -> str:
    facts = doc.extra.get("facts") if isinstance(doc.extra.get("facts"), dict) else facts_record(doc)
    parts = []
    rel_rows = [(f["label"], (f.get("head") or {}).get("name", ""), (f.get("tail") or {}).get("name", "")) for f in facts.get("relations", [])]
    ev_rows = [(f["label"], (f.get("product") or {}).get("name", "-"), (f.get("party") or {}).get("name", "-")) for f in facts.get("events", [])]
    for title, header, rows in (("Relation facts", ("relation", "head", "tail"), rel_rows), ("Event facts", ("event", "product", "party"), ev_rows)):
        if not rows:
            continue
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
        parts.append(
            f"<h2>{title}</h2><table class='facts'><tr>" + "".join(f"<th>{h}</th>" for h in header) + f"</tr>{cells}</table>"
        )
    return "\n".join(parts)


def render_document(doc: Document, *, title: Optional[str] = None, compact: bool = True) -> str:
    """A self-contained HTML page showing the annotations of `doc`.

    doc (Document): a schema Document (gold or predicted).
    title (str | None): the page heading, default the document id.
    compact (bool): displaCy's compact arcs, default True.
    RETURNS (str): the HTML page.
    """
    from spacy import displacy

    colors = dict(ENTITY_COLORS)
    colors.update({t: EVENT_COLOR for t in EVENT_TYPES})
    labels = list(ENTITY_LABELS) + list(EVENT_TYPES)
    ents = displacy.render(ent_markup(doc), style="ent", manual=True, jupyter=False, options={"ents": labels, "colors": colors})
    heading = html.escape(title or doc.id)
    meta = " \u00b7 ".join(html.escape(str(doc.meta[k])) for k in ("company", "date", "form") if doc.meta.get(k))
    legend = "".join(
        f"<span style='background:{colors[l]}'>{l}</span>" for l in labels
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{heading}</title><style>{_PAGE_STYLE}</style></head><body>",
        f"<h1>{heading}</h1><div class='meta'>{meta}</div>",
        f"<div class='legend'>{legend}</div>",
        f"<h2>Entities and events</h2><div class='ents'>{ents}</div>",
    ]
    groups = [g for g in arc_groups(doc) if g["arcs"]]
    if groups:
        parts.append("<h2>Relations and event arguments</h2>")
        for group in groups:
            longest = max(len(w["text"]) for w in group["words"])
            options = {"compact": compact, "distance": max(110, int(7.5 * longest) + 30), "word_spacing": 30, "offset_x": 40}
            svg = displacy.render({"words": group["words"], "arcs": group["arcs"]}, style="dep", manual=True, jupyter=False, options=options)
            parts.append(f"<p class='sentence'>{html.escape(group['sentence'])}</p><div class='arcs'>{svg}</div>")
    parts.append(_facts_tables(doc))
    parts.append("</body></html>")
    return "\n".join(parts)


def select_document(documents: Sequence[Document], *, index: int = 0, doc_id: Optional[str] = None) -> Document:
    """The document with id `doc_id`, else the one at `index` (negative counts from the end)."""
    from .errors import InputError

    if not documents:
        raise InputError("there is no document to render")
    if doc_id is not None:
        for doc in documents:
            if doc.id == doc_id:
                return doc
        raise InputError(f"no document has the id {doc_id!r} ({len(documents)} documents)")
    if not -len(documents) <= index < len(documents):
        raise InputError(f"index {index} is out of range for {len(documents)} documents")
    return documents[index]
