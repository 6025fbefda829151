"""Lossless conversions: schema JSONL <-> Doc <-> DocBin (also in a fresh process) <-> datasets."""
import json
import subprocess
import sys

import pytest

from immunoextract.data.formats import (
    dataset_to_documents, doc_from_document, document_from_doc, documents_to_dataset, read_docbin, write_docbin,
)
from immunoextract.data.schema import Document, Entity, Event, Relation, document_to_dict, read_jsonl

RAW = (
    "<PAGE>\n\n        ACME BIOLOGICS LICENSES AB-101 TO ZETA\n\nCAMBRIDGE, Mass.--Acme Biologics, Inc. today said it\n"
    "licensed AB-101 (acmemab) to Zeta Pharma AG. Dr. Jane Roe, Acme's\nChief Executive Officer, said the deal is good.\n"
)


def sample_document():
    def span(sub, nth=0):
        start = -1
        for _ in range(nth + 1):
            start = RAW.index(sub, start + 1)
        return start, start + len(sub)

    return Document(
        "acme-1", RAW, meta={"company": "Acme Biologics, Inc.", "date": "1998-05-04"},
        entities=[Entity("T1", *span("AB-101"), "DRUG"), Entity("T2", *span("Acme Biologics, Inc."), "PARTNER"),
                  Entity("T3", *span("AB-101", 1), "DRUG", score=0.87), Entity("T4", *span("acmemab"), "DRUG"),
                  Entity("T5", *span("Zeta Pharma AG"), "PARTNER"), Entity("T6", *span("Jane Roe"), "OFFICER"),
                  Entity("T7", *span("Acme", 1), "PARTNER")],
        events=[Event("E1", *span("licensed"), "LICENSE", extra={"note": "kept"})],
        relations=[Relation("T4", "T3", "ALIAS_OF"), Relation("T3", "T5", "LICENSED_TO", score=0.5), Relation("E1", "T3", "PRODUCT"),
                   Relation("E1", "T2", "PARTY"), Relation("E1", "T5", "PARTY"), Relation("T6", "T7", "OFFICER_OF")],
        extra={"source": "team-written"},
    )


def test_formats_doc_holds_clean_text_and_annotations(cleaning_nlp):
    doc = doc_from_document(cleaning_nlp, sample_document())
    assert "<PAGE>" not in doc.text and "said it licensed" in doc.text
    assert [e.text for e in doc.ents][:3] == ["AB-101", "Acme Biologics, Inc.", "AB-101"]
    assert [(s.text, s.label_) for s in doc.spans["events"]] == [("licensed", "LICENSE")]
    assert {"head": [doc.ents[3].start_char, doc.ents[3].end_char], "tail": [doc.ents[2].start_char, doc.ents[2].end_char], "label": "ALIAS_OF", "score": None} in doc._.relations
    assert document_to_dict(document_from_doc(doc)) == document_to_dict(sample_document())


def test_formats_docbin_round_trip_in_fresh_process(cleaning_nlp, tmp_path):
    original = sample_document()
    path = tmp_path / "sample.spacy"
    write_docbin([doc_from_document(cleaning_nlp, original)], path)
    code = (
        "import json,sys,spacy; import immunoextract; from immunoextract.data.formats import read_docbin, document_from_doc;"
        "from immunoextract.data.schema import document_to_dict;"
        f"docs = read_docbin({str(path)!r}, spacy.blank('en').vocab);"
        "print(json.dumps(document_to_dict(document_from_doc(docs[0]))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == document_to_dict(original)


def test_formats_dataset_round_trip():
    original = sample_document()
    dataset = documents_to_dataset([original, Document("empty", "No names here.")])
    assert dataset.num_rows == 2 and dataset[0]["entities"]["label"][0] == "DRUG"
    back = list(dataset_to_documents(dataset))
    assert [document_to_dict(d) for d in back] == [document_to_dict(original), document_to_dict(Document("empty", "No names here."))]


def test_formats_round_trips_on_dev_files(cleaning_nlp, dev_files, tmp_path):
    """JSONL -> Doc -> DocBin -> Doc -> JSONL and JSONL -> Dataset -> JSONL are identical on the real dev files."""
    for path in dev_files:
        docs = list(read_jsonl(path))
        spacy_docs = [doc_from_document(cleaning_nlp, d) for d in docs]
        assert not any((d._.record_extra or {}).get("unaligned") for d in spacy_docs), "a gold span did not survive cleaning"
        write_docbin(spacy_docs, tmp_path / "dev.spacy")
        back = [document_from_doc(d) for d in read_docbin(tmp_path / "dev.spacy", cleaning_nlp.vocab)]
        assert [document_to_dict(d) for d in back] == [document_to_dict(d) for d in docs]
        via_dataset = list(dataset_to_documents(documents_to_dataset(docs)))
        assert [document_to_dict(d) for d in via_dataset] == [document_to_dict(d) for d in docs]


def test_formats_predicted_event_scores_follow_their_spans(blank_nlp):
    from spacy.tokens import SpanGroup

    from immunoextract.data.extensions import install_extensions

    install_extensions()
    doc = blank_nlp("Zeta terminated the deal and Acme licensed AB-101 today.")
    group = SpanGroup(doc, name="events", spans=[doc.char_span(20 + 14, 20 + 22, label="LICENSE"), doc.char_span(5, 15, label="TERMINATION")])
    group.attrs["scores"] = [0.9, 0.2]  # spancat keeps its spans in score order, not text order
    doc.spans["events"] = group
    events = document_from_doc(doc).events
    assert [(e.id, e.type, e.score) for e in events] == [("E1", "TERMINATION", 0.2), ("E2", "LICENSE", 0.9)]
