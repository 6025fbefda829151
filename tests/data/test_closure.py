"""Relation closure within sentences (data/closure.py) and the reader option that applies it."""
import json

import pytest
import spacy

from immunoextract.data.closure import closed_relations
from immunoextract.data.schema import document_from_dict
from immunoextract.errors import InputError
from immunoextract.training.readers import JsonlCorpus

TEXT = (
    "Acme Bio, Inc. (\"Acme\") licensed ACM-101 (AB-7) to Zeta Pharma AG. "
    "Jane Roe, CEO of Acme, said ACM-101 data were strong. "
    "Zeta and Acme will present ACM-101 data together."
)


def _ent(i, text, label, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return {"id": i, "start": start, "end": start + len(text), "label": label}


def _document():
    entities = [
        _ent("T1", "Acme Bio, Inc.", "PARTNER"),
        _ent("T2", "Acme", "PARTNER", 1),  # the defined short name
        _ent("T3", "ACM-101", "DRUG"),
        _ent("T4", "AB-7", "DRUG"),
        _ent("T5", "Zeta Pharma AG", "PARTNER"),
        _ent("T6", "Jane Roe", "OFFICER"),
        _ent("T7", "Acme", "PARTNER", 2),
        _ent("T8", "ACM-101", "DRUG", 1),
        _ent("T9", "Zeta", "PARTNER", 1),
        _ent("T10", "Acme", "PARTNER", 3),
        _ent("T11", "ACM-101", "DRUG", 2),
    ]
    relations = [
        {"head": "T2", "tail": "T1", "label": "ALIAS_OF"},
        {"head": "T4", "tail": "T3", "label": "ALIAS_OF"},
        {"head": "T1", "tail": "T3", "label": "DEVELOPS"},
        {"head": "T3", "tail": "T5", "label": "LICENSED_TO"},
        {"head": "T1", "tail": "T5", "label": "PARTNER_OF"},
        {"head": "T6", "tail": "T7", "label": "OFFICER_OF"},
    ]
    return document_from_dict({"id": "d1", "text": TEXT, "entities": entities, "relations": relations})


SENTENCES = {"T1": 0, "T2": 0, "T3": 0, "T4": 0, "T5": 0, "T6": 1, "T7": 1, "T8": 1, "T9": 2, "T10": 2, "T11": 2}


def _triples(relations):
    return sorted((r.head, r.label, r.tail) for r in relations)


def test_closure_writes_each_relation_at_every_co_mention_of_its_clusters():
    added = _triples(closed_relations(_document(), SENTENCES))
    assert added == sorted([
        ("T7", "DEVELOPS", "T8"),  # "CEO of Acme, said ACM-101": Acme (alias-merged) develops ACM-101
        ("T10", "DEVELOPS", "T11"),
        # sentence 3: the licence is Zeta Pharma AG's, but "Zeta" is its own cluster (no ALIAS_OF): no closure
    ])


def test_closure_leaves_alias_heads_alone_and_adds_nothing_twice():
    document = _document()
    added = closed_relations(document, SENTENCES)
    heads_and_tails = {r.head for r in added} | {r.tail for r in added}
    assert "T2" not in heads_and_tails and "T4" not in heads_and_tails  # ALIAS_OF heads take no relation
    existing = {(r.head, r.label, r.tail) for r in document.relations}
    assert not existing & set(_triples(added))
    assert len(document.relations) == 6  # the document itself is not changed


def test_closure_of_a_symmetric_relation_is_written_once_per_pair():
    document = _document()
    document.relations.append(document.relations[0].__class__(head="T10", tail="T9", label="PARTNER_OF"))
    sentences = dict(SENTENCES, T7=2)  # a second "Acme" in the sentence of "Zeta and Acme"
    partner_of = [t for t in _triples(closed_relations(document, sentences)) if t[1] == "PARTNER_OF"]
    assert partner_of in ([("T7", "PARTNER_OF", "T9")], [("T9", "PARTNER_OF", "T7")])


def test_entities_outside_the_sentence_map_take_part_in_nothing():
    sentences = {k: v for k, v in SENTENCES.items() if k != "T8"}
    assert _triples(closed_relations(_document(), sentences)) == [("T10", "DEVELOPS", "T11")]


def test_reader_adds_closed_relations_only_when_asked(tmp_path):
    path = tmp_path / "c.jsonl"
    record = json.loads(json.dumps({"id": "d1", "text": TEXT, "entities": [vars(e) for e in _document().entities]}))
    for ent in record["entities"]:
        ent.pop("extra", None)
        ent.pop("score", None)
    record["relations"] = [{"head": r.head, "tail": r.tail, "label": r.label} for r in _document().relations]
    path.write_text(json.dumps(record) + "\n")
    nlp = spacy.blank("en")

    def labels(close):
        (example,) = list(JsonlCorpus(str(path), close_relations=["DEVELOPS", "OFFICER_OF"] if close else [])(nlp))
        return sorted((tuple(r["head"]), r["label"], tuple(r["tail"])) for r in example.reference._.relations)

    plain, closed = labels(False), labels(True)
    assert len(plain) == 6
    new = sorted(set(closed) - set(plain))
    acme2, acme3 = TEXT.index("Acme", TEXT.index("CEO")), TEXT.rindex("Acme")
    drug2 = TEXT.index("ACM-101", TEXT.index("CEO"))
    drug3 = TEXT.rindex("ACM-101")
    assert new == sorted([
        ((acme2, acme2 + 4), "DEVELOPS", (drug2, drug2 + 7)),
        ((acme3, acme3 + 4), "DEVELOPS", (drug3, drug3 + 7)),
    ])


# --- after prediction: the immunoextract_relation_closure component --------------------------------

def _span(text, surface, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return [start, start + len(surface)]


def _predicted_doc(nlp, text, spans, relations):
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(*_span(text, s, n), label=label) for s, label, n in spans]
    doc._.relations = [{"head": _span(text, h, hn), "tail": _span(text, t, tn), "label": label, "score": score}
                       for (h, hn), label, (t, tn), score in relations]
    return doc


PREDICTED = (
    "Kamada Ltd. develops CYTOGAM. Kamada said CYTOGAM sales grew. "
    "Dr. David A. Hollander joined Okogen. Hollander, Okogen's new CMO, starts today. "
    "Astra Merck sells Prilosec, and Astra said Prilosec grew."
)
SPANS = [("Kamada Ltd.", "PARTNER", 0), ("CYTOGAM", "DRUG", 0), ("Kamada", "PARTNER", 1), ("CYTOGAM", "DRUG", 1),
         ("David A. Hollander", "OFFICER", 0), ("Okogen", "PARTNER", 0), ("Hollander", "OFFICER", 1),
         ("Okogen", "PARTNER", 1), ("Astra Merck", "PARTNER", 0), ("Prilosec", "DRUG", 0), ("Astra", "PARTNER", 1),
         ("Prilosec", "DRUG", 1)]
FOUND = [(("Kamada Ltd.", 0), "DEVELOPS", ("CYTOGAM", 0), 0.8), (("David A. Hollander", 0), "OFFICER_OF", ("Okogen", 0), 0.9),
         (("Astra Merck", 0), "DEVELOPS", ("Prilosec", 0), 0.7)]


def test_closure_component_writes_relations_at_co_mentions_of_name_variants(blank_nlp):
    closure = blank_nlp.add_pipe("immunoextract_relation_closure")
    doc = closure(_predicted_doc(blank_nlp, PREDICTED, SPANS, FOUND))
    added = [(doc.text[slice(*r["head"])], r["label"], doc.text[slice(*r["tail"])], r["score"], r["head"][0])
             for r in doc._.relations[len(FOUND):]]
    assert sorted(added) == sorted([
        ("Kamada", "DEVELOPS", "CYTOGAM", 0.8, _span(PREDICTED, "Kamada", 1)[0]),     # Kamada = Kamada Ltd.
        ("Hollander", "OFFICER_OF", "Okogen", 0.9, _span(PREDICTED, "Hollander", 1)[0]),  # surname = full name
        ("Astra Merck", "DEVELOPS", "Prilosec", 0.7, _span(PREDICTED, "Astra Merck")[0]),  # the same two things, co-mentioned again
    ])  # never Astra -> Prilosec: Astra Merck is another company


def test_closure_component_without_variants_and_with_a_bad_label(blank_nlp):
    closure = blank_nlp.add_pipe("immunoextract_relation_closure", config={"name_variants": False})
    doc = closure(_predicted_doc(blank_nlp, PREDICTED, SPANS, FOUND))
    added = [(doc.text[slice(*r["head"])], r["label"], doc.text[slice(*r["tail"])]) for r in doc._.relations[len(FOUND):]]
    assert added == [("Astra Merck", "DEVELOPS", "Prilosec")]  # Kamada and Hollander are other clusters
    with pytest.raises(InputError, match="PRODUCT cannot be closed"):
        blank_nlp.add_pipe("immunoextract_relation_closure", name="bad", config={"labels": ["PRODUCT"]})


def test_closure_component_keeps_one_employer_per_officer(blank_nlp):
    text = "David A. Hollander, CMO of Okogen, joined from Revance. Hollander leads Okogen trials."
    spans = [("David A. Hollander", "OFFICER", 0), ("Okogen", "PARTNER", 0), ("Revance", "PARTNER", 0),
             ("Hollander", "OFFICER", 1), ("Okogen", "PARTNER", 1)]
    found = [(("David A. Hollander", 0), "OFFICER_OF", ("Okogen", 0), 0.9),
             (("David A. Hollander", 0), "OFFICER_OF", ("Revance", 0), 0.6)]

    def officer_of(config):
        nlp = blank_nlp
        closure = nlp.add_pipe("immunoextract_relation_closure", name=f"c{len(nlp.pipe_names)}", config=config)
        doc = closure(_predicted_doc(nlp, text, spans, found))
        return sorted((doc.text[slice(*r["head"])], doc.text[slice(*r["tail"])], r["head"][0]) for r in doc._.relations)

    second = text.rindex("Hollander")
    assert officer_of({}) == [("David A. Hollander", "Okogen", 0), ("Hollander", "Okogen", second)]
    assert ("David A. Hollander", "Revance", 0) in officer_of({"one_employer": False})


def test_closure_component_drops_partner_of_between_names_of_one_organisation(blank_nlp):
    text = "American Cyanamid Company and American Cyanamid agreed. American Cyanamid licensed it to Lederle Labs."
    spans = [("American Cyanamid Company", "PARTNER", 0), ("American Cyanamid", "PARTNER", 1),
             ("American Cyanamid", "PARTNER", 2), ("Lederle Labs", "PARTNER", 0)]
    found = [(("American Cyanamid Company", 0), "PARTNER_OF", ("American Cyanamid", 1), 0.5),
             (("American Cyanamid", 2), "PARTNER_OF", ("Lederle Labs", 0), 0.6)]
    doc = blank_nlp.add_pipe("immunoextract_relation_closure")(_predicted_doc(blank_nlp, text, spans, found))
    pairs = sorted((doc.text[slice(*r["head"])], doc.text[slice(*r["tail"])]) for r in doc._.relations)
    assert pairs == [("American Cyanamid", "Lederle Labs")]
    # without name variants the two names are two clusters, and only a relation within one cluster would go
    kept = blank_nlp.add_pipe("immunoextract_relation_closure", name="exact", config={"name_variants": False})
    doc = kept(_predicted_doc(blank_nlp, text, spans, found))
    assert len(doc._.relations) == 2
