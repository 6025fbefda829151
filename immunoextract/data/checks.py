"""Consistency checks across an annotated corpus, beyond what the schema validator sees in one record.

Errors break the schema (offsets, overlaps, labels, ids, argument types, an event
with no argument, an ALIAS_OF across labels). Warnings are doubts a person settles:
the same string labelled differently, or an annotated string left unannotated
elsewhere in the same document. A warning that is right as it stands is listed,
with its reason, in a known-warnings file (`annotations/known_warnings.tsv`:
`code<TAB>doc id<TAB>text<TAB>reason`), and then no longer counts.
"""
import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple, Union

from .authoring import unlabelled_occurrences
from .facts import normalize_name
from .schema import Document, iter_jsonl
from ..errors import SchemaError


@dataclass(frozen=True)
class Finding:
    """One problem: `severity` is "error" or "warning"; `code` names the check."""

    severity: str
    code: str
    doc_id: str
    text: str
    message: str
    path: str = ""


def document_findings(doc: Document) -> List[Finding]:
    """Checks inside one document (the schema validator has already passed it)."""
    found: List[Finding] = []
    has_arg = {r.head for r in doc.relations if r.label in ("PRODUCT", "PARTY")}
    for ev in doc.events:
        if ev.id not in has_arg:
            found.append(Finding("error", "event-without-argument", doc.id, doc.span_text(ev), f"event {ev.id} ({ev.type}) has no PRODUCT or PARTY argument"))
    seen: Set[Tuple[str, str]] = set()
    for name, label, at in unlabelled_occurrences(doc):
        key = (name, label)
        if key in seen:
            continue
        seen.add(key)
        found.append(Finding("warning", "unlabelled-occurrence", doc.id, name, f"{name!r} is annotated {label} but occurs unannotated at offset {at}"))
    return found


def corpus_findings(docs: Iterable[Document]) -> List[Finding]:
    """Checks across documents: the same normalised string under two labels."""
    labels: Dict[str, Dict[str, List[str]]] = defaultdict(lambda: defaultdict(list))
    for doc in docs:
        for ent in doc.entities:
            labels[normalize_name(doc.span_text(ent))][ent.label].append(doc.id)
    found = []
    for name, by_label in sorted(labels.items()):
        if len(by_label) > 1:
            detail = ", ".join(f"{label} in {len(ids)} mention(s) (e.g. {ids[0]})" for label, ids in sorted(by_label.items()))
            found.append(Finding("warning", "label-conflict", "*", name, f"{name!r} is labelled differently: {detail}"))
    return found


def load_known_warnings(path: Optional[Union[str, Path]]) -> Dict[Tuple[str, str, str], str]:
    """(code, doc id, text) -> reason, from the known-warnings TSV (missing file: none known)."""
    if not path or not Path(path).exists():
        return {}
    known = {}
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 4:
                continue
            known[(row[0], row[1], row[2])] = row[3]
    return known


def check_files(paths: Iterable[Union[str, Path]]) -> Tuple[List[Document], List[Finding]]:
    """Validate JSONL files and run every check; schema errors become findings, never exceptions."""
    docs: List[Document] = []
    findings: List[Finding] = []
    for path in paths:
        try:
            for item in iter_jsonl(path):
                if isinstance(item, SchemaError):
                    findings.append(Finding("error", "schema", item.doc_id or "?", "", item.describe(), str(path)))
                    continue
                docs.append(item)
                findings.extend(Finding(f.severity, f.code, f.doc_id, f.text, f.message, str(path)) for f in document_findings(item))
        except SchemaError as err:
            findings.append(Finding("error", "schema", err.doc_id or "?", "", err.describe(), str(path)))
    findings.extend(corpus_findings(docs))
    return docs, findings
