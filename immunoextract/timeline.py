"""Product timelines: each product's dated events across documents, with aliases merged.

A product is a DRUG entity cluster (`data/facts.py`). Clusters of different
documents are one product when they share a normalised name, transitively, so
`huC242-DM1` in one release and `cantuzumab mertansine (huC242-DM1)` in another
end up on one line. Each event that names the product as its PRODUCT argument
gives one row per party (or one row without a party), dated by the document's
`meta.date`, with the trigger and the sentence around it as evidence.

    rows = timeline_rows(documents)          # documents annotated (gold or predicted)
    write_rows(rows, "timeline.csv")         # or .json
    plot_timeline(rows).savefig("timeline.png")
    Path("timeline.html").write_text(timeline_html(rows))
"""
import csv
import html
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .data.facts import facts_record, normalize_name
from .data.schema import EVENT_TYPES, Document
from .errors import InputError

FORMATS: Tuple[str, ...] = ("csv", "json", "png", "html")
PRODUCT_LABEL = "DRUG"
ROW_FIELDS: Tuple[str, ...] = ("product", "aliases", "date", "event_type", "party", "doc_id", "trigger", "evidence", "score")
EVENT_STYLE: Dict[str, Tuple[str, str]] = {  # event type -> (matplotlib marker, colour)
    "LICENSE": ("o", "#1f77b4"),
    "TERMINATION": ("X", "#d62728"),
    "CLINICAL": ("^", "#2ca02c"),
    "MILESTONE": ("D", "#ff7f0e"),
    "REGULATORY": ("s", "#9467bd"),
}


@dataclass
class TimelineRow:
    """One dated event of one product.

    product (str): the product's display name (its most frequent name across documents).
    aliases (List[str]): its other names, as written.
    date (str | None): the document's `meta.date` (ISO), None when unknown.
    event_type (str): LICENSE, TERMINATION, CLINICAL, MILESTONE or REGULATORY.
    party (str | None): the PARTY argument's name (for LICENSE, to or from whom), None when none.
    doc_id (str): the document.
    trigger (str): the event's trigger text ("" when only document-level facts were given).
    evidence (str): the sentence that holds the trigger, white space collapsed.
    score (float | None): the event's confidence, None for gold annotations.
    """

    product: str
    aliases: List[str]
    date: Optional[str]
    event_type: str
    party: Optional[str]
    doc_id: str
    trigger: str = ""
    evidence: str = ""
    score: Optional[float] = None
    product_key: int = field(default=-1, repr=False, compare=False)


# ---------------------------------------------------------------------------
# Products across documents
# ---------------------------------------------------------------------------


@dataclass
class _Mention:
    """A product cluster of one document: its normalised names and the names as written."""

    doc_index: int
    names: Tuple[str, ...]
    surface: Tuple[str, ...]
    display: str


class ProductIndex:
    """Product clusters of many documents merged when they share a normalised name (union-find)."""

    def __init__(self) -> None:
        self._parent: Dict[str, str] = {}
        self._mentions: List[_Mention] = []

    def _find(self, name: str) -> str:
        self._parent.setdefault(name, name)
        while self._parent[name] != name:
            self._parent[name] = self._parent[self._parent[name]]
            name = self._parent[name]
        return name

    def add(self, doc_index: int, names: Iterable[str], surface: Iterable[str], display: str) -> None:
        """Add one document's cluster: its normalised `names`, the `surface` forms and its display name."""
        names = tuple(sorted(set(names)))
        if not names:
            return
        root = self._find(names[0])
        for name in names[1:]:
            other = self._find(name)
            if other != root:
                self._parent[other] = root
        self._mentions.append(_Mention(doc_index, names, tuple(surface), display))

    def key(self, names: Iterable[str]) -> int:
        """A stable integer id of the product that holds any of `names` (-1 when unknown)."""
        for name in names:
            if name in self._parent:
                return self._keys()[self._find(name)]
        return -1

    def _keys(self) -> Dict[str, int]:
        roots = sorted({self._find(n) for n in self._parent})
        return {root: i for i, root in enumerate(roots)}

    def describe(self) -> Dict[int, Tuple[str, List[str]]]:
        """Product id -> (display name, other names as written), over every document added."""
        keys = self._keys()
        displays: Dict[int, Dict[str, int]] = {}
        surfaces: Dict[int, Dict[str, str]] = {}
        for mention in self._mentions:
            k = keys[self._find(mention.names[0])]
            counts = displays.setdefault(k, {})
            counts[mention.display] = counts.get(mention.display, 0) + 1
            forms = surfaces.setdefault(k, {})
            for form in mention.surface:
                forms.setdefault(normalize_name(form), form)
        described: Dict[int, Tuple[str, List[str]]] = {}
        for k, counts in displays.items():
            display = max(sorted(counts), key=lambda name: (counts[name], len(name)))
            aliases = sorted(
                (form for norm, form in surfaces[k].items() if norm != normalize_name(display)), key=str.casefold
            )
            described[k] = (display, aliases)
        return described


def _clusters(doc: Document) -> List[Dict[str, Any]]:
    facts = doc.extra.get("facts")
    if not isinstance(facts, dict) or "entities" not in facts:
        facts = facts_record(doc)
    return [c for c in facts.get("entities", []) if isinstance(c, dict)]


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?][\"'\u201d)]*\s+(?=[\"'\u201c(]?[A-Z0-9])|\n\s*\n")


_ABBREVIATIONS = frozenset(
    "inc co corp ltd llc plc ag gmbh sa nv bv dr mr mrs ms prof no nos vs etc jr sr st mt ft jan feb mar apr jun jul aug "
    "sep sept oct nov dec e.g i.e u.s u.k m.d ph.d d.c approx dept est fig".split()
)


def _is_sentence_end(text: str, match: "re.Match[str]") -> bool:
    if text[match.start()] != ".":  # "!", "?" or a blank line
        return True
    word = re.search(r"(\S+)$", text[max(0, match.start() - 20) : match.start()])
    token = word.group(1).lstrip("(\"'").lower() if word else ""
    return not (token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token))


def sentence_bounds(text: str, start: int, end: int, *, max_chars: int = 400) -> Tuple[int, int]:
    """The (start, end) offsets of the sentence of `text` that holds `[start, end)`, reaching at most
    about `max_chars` beyond it on either side.

    Sentences end at `.`, `!` or `?` followed by a capital or digit (not after an abbreviation
    such as `Inc.` or an initial), or at a blank line.
    """
    window_start = max(0, start - max_chars)
    window_end = min(len(text), end + max_chars)
    left, right = window_start, window_end
    for match in _SENTENCE_END.finditer(text, window_start, min(len(text), start + 2)):
        if match.end() <= start and _is_sentence_end(text, match):
            left = match.end()
    for match in _SENTENCE_END.finditer(text, end, window_end):
        if _is_sentence_end(text, match):
            right = match.start() + 1 if text[match.start()] in ".!?" else match.start()
            break
    return left, right


def sentence_around(text: str, start: int, end: int, *, max_chars: int = 400) -> str:
    """The sentence of `text` that holds `[start, end)` (see `sentence_bounds`), white space collapsed."""
    left, right = sentence_bounds(text, start, end, max_chars=max_chars)
    return " ".join(text[left:right].split())


def parse_date(value: Any) -> Optional[_date]:
    """A `datetime.date` from an ISO date (`2003-01-24`, `2003-01`, `2003`), None when it is not one."""
    if not isinstance(value, str):
        return None
    match = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not match:
        return None
    try:
        return _date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def timeline_rows(documents: Iterable[Document], *, dedupe: bool = True) -> List[TimelineRow]:
    """The dated events of every product in `documents`, products merged across documents by name.

    documents (Iterable[Document]): annotated documents (gold or predicted); `extra["facts"]` is
        used when present, else the facts are derived (`facts_record`).
    dedupe (bool): keep one row per (product, document, event type, party), the first in the text,
        default True.
    RETURNS (List[TimelineRow]): sorted by product (earliest first event first), then date
        (unknown dates last), then document order, then position in the text.
    """
    docs = list(documents)
    index = ProductIndex()
    per_doc: List[Tuple[Dict[str, Dict[str, Any]], List[Dict[str, Any]]]] = []
    for i, doc in enumerate(docs):
        clusters = _clusters(doc)
        by_mention: Dict[str, Dict[str, Any]] = {}
        texts = {e.id: " ".join(doc.span_text(e).split()) for e in doc.entities}
        for cluster in clusters:
            for mention in cluster.get("mentions", []):
                by_mention[mention] = cluster
            if cluster.get("label") == PRODUCT_LABEL:
                surface = [texts[m] for m in cluster.get("mentions", []) if m in texts] or list(cluster.get("names", []))
                index.add(i, cluster.get("names", []), surface, cluster.get("name") or "")
        per_doc.append((by_mention, clusters))
    described = index.describe()
    raw: List[Tuple[int, int, int, TimelineRow]] = []
    for i, doc in enumerate(docs):
        by_mention, _ = per_doc[i]
        for position, names, row in _document_rows(doc, by_mention):
            key = index.key(names)
            if key < 0:
                continue
            row.product_key = key
            row.product, row.aliases = described[key][0], list(described[key][1])
            raw.append((key, i, position, row))
    if dedupe:
        seen = set()
        kept = []
        for item in sorted(raw, key=lambda r: (r[1], r[2])):
            row = item[3]
            ident = (row.product_key, row.doc_id, row.event_type, row.party and normalize_name(row.party))
            if ident not in seen:
                seen.add(ident)
                kept.append(item)
        raw = kept
    far = _date.max
    first: Dict[int, _date] = {}
    for key, _, _, row in raw:
        day = parse_date(row.date) or far
        first[key] = min(first.get(key, far), day)
    raw.sort(key=lambda r: (first[r[0]], r[3].product.casefold(), r[0], parse_date(r[3].date) or far, r[1], r[2]))
    return [r[3] for r in raw]


def _document_rows(doc: Document, by_mention: Dict[str, Dict[str, Any]]) -> List[Tuple[int, List[str], TimelineRow]]:
    """(position in the text, the product's normalised names, row) for each product x party of
    each event of `doc`; the row's product is filled in once the names are resolved."""
    date = doc.meta.get("date") if isinstance(doc.meta.get("date"), str) else None
    found: List[Tuple[int, List[str], TimelineRow]] = []
    if doc.events:
        products: Dict[str, List[str]] = {e.id: [] for e in doc.events}
        parties: Dict[str, List[str]] = {e.id: [] for e in doc.events}
        for rel in doc.relations:
            if rel.head in products and rel.label == "PRODUCT":
                products[rel.head].append(rel.tail)
            elif rel.head in parties and rel.label == "PARTY":
                parties[rel.head].append(rel.tail)
        for event in doc.events:
            clusters = _unique(by_mention.get(m) for m in products[event.id])
            party_clusters = _unique(by_mention.get(m) for m in parties[event.id]) or [None]
            trigger = " ".join(doc.span_text(event).split())
            evidence = sentence_around(doc.text, event.start, event.end)
            for product in clusters:
                if product.get("label") != PRODUCT_LABEL:
                    continue
                for party in party_clusters:
                    row = TimelineRow(
                        product="", aliases=[], date=date, event_type=event.type,
                        party=party.get("name") if party else None, doc_id=doc.id,
                        trigger=trigger, evidence=evidence, score=event.score,
                    )
                    found.append((event.start, list(product.get("names", [])), row))
        return found
    facts = doc.extra.get("facts") if isinstance(doc.extra.get("facts"), dict) else {}
    for n, fact in enumerate(facts.get("events", [])):  # document-level facts only: no trigger
        product, party = fact.get("product"), fact.get("party")
        if not product or product.get("label") != PRODUCT_LABEL:
            continue
        row = TimelineRow(
            product="", aliases=[], date=date, event_type=fact.get("label", ""),
            party=party.get("name") if party else None, doc_id=doc.id, score=fact.get("score"),
        )
        found.append((n, list(product.get("names", [])), row))
    return found


def _unique(clusters: Iterable[Optional[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    seen, result = set(), []
    for cluster in clusters:
        if cluster is not None and id(cluster) not in seen:
            seen.add(id(cluster))
            result.append(cluster)
    return result


def row_to_dict(row: TimelineRow) -> Dict[str, Any]:
    """The JSON form of a row (the fields of ROW_FIELDS)."""
    record = asdict(row)
    return {key: record[key] for key in ROW_FIELDS}


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def write_rows(rows: Sequence[TimelineRow], path: Union[str, Path], *, fmt: Optional[str] = None) -> Path:
    """Write rows as CSV (aliases joined by "; ") or as a JSON list.

    fmt (str | None): "csv" or "json", default from the file suffix.
    RETURNS (Path): the file written.
    """
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt == "json":
        path.write_text(json.dumps([row_to_dict(r) for r in rows], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(ROW_FIELDS))
            writer.writeheader()
            for row in rows:
                record = row_to_dict(row)
                record["aliases"] = "; ".join(row.aliases)
                writer.writerow(record)
    else:
        raise InputError(f"rows are written as csv or json, not {fmt!r}", path=str(path))
    return path


def plot_timeline(rows: Sequence[TimelineRow], *, title: str = "Product timelines") -> Any:
    """A matplotlib Figure: one line per product, one marker per event type and date (shape and
    colour by type; the parties as its label). Events of one product on one date are stacked.

    Rows without a date are left out. The figure is made without pyplot (no global state);
    save it with `figure.savefig(path)`.
    RETURNS (matplotlib.figure.Figure): the figure.
    """
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure

    dated = [r for r in rows if parse_date(r.date)]
    products: List[str] = []
    marks: Dict[Tuple[str, str, str], List[str]] = {}  # (product, date, type) -> parties
    for row in dated:
        if row.product not in products:
            products.append(row.product)
        parties = marks.setdefault((row.product, str(row.date), row.event_type), [])
        if row.party and row.party not in parties:
            parties.append(row.party)
    height = 1.4 + 0.7 * max(1, len(products))
    fig = Figure(figsize=(11, height), layout="constrained")
    ax = fig.add_subplot()
    y_of = {p: len(products) - 1 - i for i, p in enumerate(products)}
    for product in products:
        days = [date2num(parse_date(r.date)) for r in dated if r.product == product]
        ax.plot([min(days), max(days)], [y_of[product]] * 2, color="#bbbbbb", linewidth=1, zorder=1)
    stacks: Dict[Tuple[str, str], List[str]] = {}
    for product, day, event_type in marks:
        stacks.setdefault((product, day), []).append(event_type)
    shown = set()
    for (product, day, event_type), parties in marks.items():
        stack = stacks[(product, day)]
        offset = 0.22 * (stack.index(event_type) - (len(stack) - 1) / 2)
        x, y = date2num(parse_date(day)), y_of[product] - offset
        marker, colour = EVENT_STYLE.get(event_type, ("o", "#333333"))
        ax.scatter([x], [y], marker=marker, color=colour, s=60, zorder=3, edgecolors="white", linewidths=0.5,
                   label=event_type if event_type not in shown else None)
        shown.add(event_type)
        if parties:
            ax.annotate(", ".join(parties), (x, y), xytext=(6, -3), textcoords="offset points", fontsize=7, color="#444444")
    ax.set_yticks(range(len(products)), [products[len(products) - 1 - i] for i in range(len(products))])
    ax.set_ylim(-0.7, max(0.7, len(products) - 0.3))
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#eeeeee")
    ax.set_title(title)
    if dated:
        handles, labels = ax.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda i: EVENT_TYPES.index(labels[i]) if labels[i] in EVENT_TYPES else 99)
        ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper center",
                  bbox_to_anchor=(0.5, -0.08), ncol=len(order), fontsize=8, frameon=False)
        lo, hi = ax.get_xlim()
        ax.set_xlim(lo - 0.03 * (hi - lo or 30), hi + 0.18 * (hi - lo or 30))  # room for the party labels
    else:
        ax.text(0.5, 0.5, "no dated product events", ha="center", va="center", transform=ax.transAxes)
    return fig


_HTML_STYLE = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
.aliases { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
td:first-child { white-space: nowrap; }
.type { display: inline-block; padding: 1px 6px; border-radius: 3px; color: white; font-size: 0.8em; }
.evidence mark { background: #ffe9a8; padding: 0 2px; }
svg text { font-size: 10px; fill: #555; }
"""


def timeline_html(rows: Sequence[TimelineRow], *, title: str = "Product timelines") -> str:
    """A self-contained HTML page: per product, a strip of its dated events (SVG) and a table of
    the events with their evidence sentence (trigger highlighted)."""
    products: List[str] = []
    for row in rows:
        if row.product not in products:
            products.append(row.product)
    days = [parse_date(r.date) for r in rows if parse_date(r.date)]
    lo, hi = (min(days), max(days)) if days else (None, None)
    span = max(1, (hi - lo).days) if lo and hi else 1
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<style>{_HTML_STYLE}</style></head><body><h1>{html.escape(title)}</h1>"]
    legend = " ".join(f"<span class='type' style='background:{EVENT_STYLE[t][1]}'>{t}</span>" for t in EVENT_TYPES)
    parts.append(f"<p>{legend}</p>")
    for product in products:
        mine = [r for r in rows if r.product == product]
        aliases = mine[0].aliases
        parts.append(f"<section class='product'><h2>{html.escape(product)}</h2>")
        if aliases:
            parts.append(f"<div class='aliases'>also: {html.escape(', '.join(aliases))}</div>")
        width = 800
        marks = []
        per_date: Dict[_date, List[str]] = {}  # one marker per date and type; types stack upwards
        for r in mine:
            day = parse_date(r.date)
            if day is not None and r.event_type not in per_date.setdefault(day, []):
                per_date[day].append(r.event_type)
        levels = max((len(t) for t in per_date.values()), default=1)
        base = 14 + 13 * (levels - 1)  # the axis; a date's further event types stack above it
        for day, types in per_date.items():
            x = 20 + (width - 40) * (day - lo).days / span if lo else 20
            for level, event_type in enumerate(types):
                colour = EVENT_STYLE.get(event_type, ("", "#333"))[1]
                tip = html.escape(f"{day.isoformat()} {event_type}")
                marks.append(f"<circle cx='{x:.1f}' cy='{base - 13 * level}' r='6' fill='{colour}'><title>{tip}</title></circle>")
        if marks and lo and hi:
            parts.append(
                f"<svg width='{width}' height='{base + 24}' role='img'><line x1='20' y1='{base}' x2='{width - 20}' y2='{base}' stroke='#ccc'/>"
                + "".join(marks)
                + f"<text x='20' y='{base + 20}'>{lo.isoformat()}</text>"
                f"<text x='{width - 20}' y='{base + 20}' text-anchor='end'>{hi.isoformat()}</text></svg>"
            )
        parts.append("<table><tr><th>date</th><th>event</th><th>party</th><th>document</th><th>evidence</th></tr>")
        for r in mine:
            colour = EVENT_STYLE.get(r.event_type, ("", "#333"))[1]
            parts.append(
                f"<tr><td>{html.escape(r.date or '?')}</td>"
                f"<td><span class='type' style='background:{colour}'>{html.escape(r.event_type)}</span></td>"
                f"<td>{html.escape(r.party or '')}</td><td>{html.escape(r.doc_id)}</td>"
                f"<td class='evidence'>{_highlight(r.evidence, r.trigger)}</td></tr>"
            )
        parts.append("</table></section>")
    if not rows:
        parts.append("<p>No dated product events were found.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _highlight(sentence: str, trigger: str) -> str:
    if trigger and trigger in sentence:
        before, _, after = sentence.partition(trigger)
        return f"{html.escape(before)}<mark>{html.escape(trigger)}</mark>{html.escape(after)}"
    return html.escape(sentence)


def write_timeline(rows: Sequence[TimelineRow], path: Union[str, Path], *, fmt: Optional[str] = None) -> Path:
    """Write the timeline as csv, json, png or html (default: from the file suffix, else csv).

    RETURNS (Path): the file written.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown timeline format {fmt!r} (expected one of {', '.join(FORMATS)})", path=str(path))
    if fmt in ("csv", "json"):
        return write_rows(rows, path, fmt=fmt)
    if fmt == "png":
        plot_timeline(rows).savefig(path, dpi=120)
        return path
    path.write_text(timeline_html(rows), encoding="utf-8")
    return path
