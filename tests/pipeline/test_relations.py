"""Tests of the relation extractor: candidate pairs, decoding, scoring, training, serialization."""
from typing import List, Optional, Sequence, Tuple

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import fix_random_seed, registry

import immunoextract.pipeline.relations  # noqa: F401  registers the factory until entry points are installed
from immunoextract.data.extensions import install_extensions
from immunoextract.data.formats import doc_from_document
from immunoextract.data.schema import Document, Entity, Event, Relation
from immunoextract.errors import InputError, ModelError
from immunoextract.ml.models.relations import (
    candidate_pairs,
    distance_bucket,
    heuristic_sentence_ids,
    sentence_ids,
)
from immunoextract.pipeline.relations import (
    RelationExtractor,
    align_arguments,
    decode_relations,
    relation_keys,
    score_relations,
)

Mention = Tuple[str, str, str]  # id, text, label (an event type for events)


def record(doc_id: str, text: str, entities: Sequence[Mention], events: Sequence[Mention] = (), relations: Sequence[Tuple[str, str, str]] = ()) -> Document:
    """A schema Document whose mentions are found by text (the n-th search from the last one of the same text)."""
    cursor = {}

    def place(mention: str) -> Tuple[int, int]:
        start = text.index(mention, cursor.get(mention, 0))
        cursor[mention] = start + len(mention)
        return start, start + len(mention)

    ents = [Entity(i, *place(m), label) for i, m, label in entities]
    evs = [Event(i, *place(m), label) for i, m, label in events]
    return Document(id=doc_id, text=text, entities=ents, events=evs, relations=[Relation(h, t, l) for h, t, l in relations])


TRAIN_RECORDS = [
    record(
        "acme",
        "Acme Bio licensed AB-101 to Zeta Pharma.",
        [("T1", "Acme Bio", "PARTNER"), ("T2", "AB-101", "DRUG"), ("T3", "Zeta Pharma", "PARTNER")],
        [("E1", "licensed", "LICENSE")],
        [("T2", "T3", "LICENSED_TO"), ("T1", "T3", "PARTNER_OF"), ("E1", "T2", "PRODUCT"), ("E1", "T1", "PARTY"), ("E1", "T3", "PARTY")],
    ),
    record(
        "orbis",
        "Mara Quinn, Chief Executive Officer of Orbis Therapeutics, said that OT-55 binds CD19.",
        [("T1", "Mara Quinn", "OFFICER"), ("T2", "Orbis Therapeutics", "PARTNER"), ("T3", "OT-55", "DRUG"), ("T4", "CD19", "TARGET")],
        [],
        [("T1", "T2", "OFFICER_OF"), ("T3", "T4", "TARGETS"), ("T2", "T3", "DEVELOPS")],
    ),
    record(
        "velora",
        "Velora Biosciences created VB-12, which joins the antibody huX9 to the payload DX3.",
        [("T1", "Velora Biosciences", "PARTNER"), ("T2", "VB-12", "DRUG"), ("T3", "huX9", "ANTIBODY"), ("T4", "DX3", "DRUG")],
        [],
        [("T1", "T2", "DEVELOPS"), ("T2", "T3", "HAS_ANTIBODY"), ("T2", "T4", "HAS_PAYLOAD")],
    ),
    record(
        "kestrel",
        "Kestrel Pharma initiated a Phase 2 trial of kestamab (KP-301). Kestrel Pharma reported revenue.",
        [("T1", "Kestrel Pharma", "PARTNER"), ("T2", "kestamab", "DRUG"), ("T3", "KP-301", "DRUG"), ("T4", "Kestrel Pharma", "PARTNER")],
        [("E1", "initiated a Phase 2 trial", "CLINICAL")],
        [("E1", "T2", "PRODUCT"), ("E1", "T1", "PARTY"), ("T3", "T2", "ALIAS_OF")],
    ),
    record("empty", "The weather was calm on Tuesday.", []),
]


def gold_docs(nlp: Language) -> List[Doc]:
    return [doc_from_document(nlp, r, clean=False) for r in TRAIN_RECORDS]


def without_relations(doc: Doc) -> Doc:
    """The Doc a relation extractor sees at run time: arguments, no relations."""
    copy = doc.copy()
    copy._.relations = []
    return copy


def keys(relations) -> set:
    return relation_keys(relations)


def ents_doc(nlp: Language, words: List[str], ents: List[Tuple[int, int, str]], events: Sequence[Tuple[int, int, str]] = (), spaces: Optional[List[bool]] = None) -> Doc:
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=l) for s, e, l in ents]
    doc.spans["events"] = [Span(doc, s, e, label=l) for s, e, l in events]
    return doc


def pair_labels(pairs) -> List[Tuple[str, str]]:
    return [(h.text, t.text) for h, t in pairs]


# --- candidate pairs ---------------------------------------------------------------------------


def test_relations_candidates_only_label_compatible_pairs():
    nlp = spacy.blank("en")
    doc = ents_doc(
        nlp,
        ["Ann", "Lee", "of", "Acme", "binds", "CD3", "and", "CD4", "via", "X-1", "and", "Y-2"],
        [(0, 2, "OFFICER"), (3, 4, "PARTNER"), (5, 6, "TARGET"), (7, 8, "TARGET"), (9, 10, "DRUG"), (11, 12, "DRUG")],
        [(4, 5, "LICENSE")],
    )
    pairs = pair_labels(candidate_pairs(doc, max_token_distance=50, sentence_window=0))
    assert ("Ann Lee", "Acme") in pairs and ("Acme", "Ann Lee") not in pairs
    assert ("CD3", "CD4") not in pairs and ("CD4", "CD3") not in pairs
    assert ("X-1", "CD3") in pairs and ("CD3", "X-1") not in pairs
    assert ("X-1", "Y-2") in pairs and ("Y-2", "X-1") in pairs  # HAS_PAYLOAD / ALIAS_OF both ways
    assert ("binds", "X-1") in pairs and ("binds", "Acme") in pairs  # PRODUCT, PARTY
    assert ("X-1", "binds") not in pairs and ("binds", "Ann Lee") not in pairs and ("binds", "CD3") not in pairs
    assert ("Acme", "X-1") in pairs and ("X-1", "Acme") in pairs  # DEVELOPS, LICENSED_TO


def test_relations_candidates_respect_heuristic_sentences():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("AB-101 works well. Zeta Pharma agreed.")
    doc.ents = [doc.char_span(0, 6, label="DRUG"), doc.char_span(19, 30, label="PARTNER")]
    assert candidate_pairs(doc, max_token_distance=50, sentence_window=0) == []
    assert len(candidate_pairs(doc, max_token_distance=50, sentence_window=1)) == 2


def test_relations_candidates_use_doc_sents_when_set():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("AB-101 works well with Zeta Pharma today")
    doc.ents = [doc.char_span(0, 6, label="DRUG"), doc.char_span(23, 34, label="PARTNER")]
    assert len(candidate_pairs(doc, max_token_distance=50, sentence_window=0)) == 2
    for token in doc:
        token.is_sent_start = token.i in (0, 3)
    assert sentence_ids(doc) == [0, 0, 0, 1, 1, 1, 1]
    assert candidate_pairs(doc, max_token_distance=50, sentence_window=0) == []


def test_relations_candidates_max_token_distance():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("AB-101 is one two three four licensed to Zeta")
    doc.ents = [doc.char_span(0, 6, label="DRUG"), doc.char_span(41, 45, label="PARTNER")]
    assert candidate_pairs(doc, max_token_distance=7, sentence_window=0) != []
    assert candidate_pairs(doc, max_token_distance=6, sentence_window=0) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Alpha beta. Gamma delta", [0, 0, 0, 1, 1]),
        ("Acme Inc. signed.", [0, 0, 0, 0]),
        ('He said "go." Then', [0, 0, 0, 0, 0, 0, 1]),
        ("Deal one\n\nDeal two", [0, 0, 0, 1, 1]),
        ("What? Yes! No", [0, 0, 1, 1, 2]),
        ("MERCK & CO., Inc. signs", [0, 0, 0, 0, 0, 0, 0]),
        ('It works." said Ann. Then', [0, 0, 0, 0, 0, 0, 0, 1]),
        ("Deal one.\n\nDeal two", [0, 0, 0, 0, 1, 1]),
    ],
)
def test_relations_heuristic_sentence_ids(text: str, expected: List[int]):
    doc = spacy.blank("en").make_doc(text)
    assert heuristic_sentence_ids([t.text_with_ws for t in doc]) == expected


def test_relations_distance_bucket_is_monotonic():
    buckets = [distance_bucket(d) for d in range(200)]
    assert buckets == sorted(buckets) and buckets[0] == 0


def test_relations_candidates_without_arguments():
    nlp = spacy.blank("en")
    assert candidate_pairs(nlp.make_doc("Nothing to see."), max_token_distance=10, sentence_window=0) == []
    assert candidate_pairs(nlp.make_doc(""), max_token_distance=10, sentence_window=0) == []


# --- alignment, decoding, scoring ----------------------------------------------------------------


def test_relations_align_arguments_across_tokenizations():
    nlp = spacy.blank("en")
    reference = Doc(nlp.vocab, words=["AB", "-101", "binds", "CD3"], spaces=[False, True, True, False])
    reference.ents = [Span(reference, 0, 1, "DRUG"), Span(reference, 3, 4, "TARGET")]
    predicted = nlp.make_doc("AB-101 binds CD3")
    doc, mapping, lost = align_arguments(reference, predicted)
    assert lost == 0 and not predicted.ents
    assert [(e.text, e.label_) for e in doc.ents] == [("AB-101", "DRUG"), ("CD3", "TARGET")]
    assert mapping[("entity", 0, 6)] == (0, 2)
    reference.ents = [Span(reference, 0, 1, "DRUG"), Span(reference, 1, 2, "DRUG")]
    doc, mapping, lost = align_arguments(reference, predicted)
    assert lost == 1 and [e.text for e in doc.ents] == ["AB-101"]


def test_relations_decode_keeps_one_direction():
    nlp = spacy.blank("en")
    doc = ents_doc(nlp, ["Acme", "and", "Zeta", "and", "X-1", "or", "Y-2"], [(0, 1, "PARTNER"), (2, 3, "PARTNER"), (4, 5, "DRUG"), (6, 7, "DRUG")])
    acme, zeta, x1, y2 = doc.ents
    instances = [(acme, zeta), (zeta, acme), (x1, y2), (y2, x1), (x1, zeta)]
    labels = ["PARTNER_OF", "ALIAS_OF", "LICENSED_TO"]
    scores = numpy.asarray(
        [[0.9, 0.1, 0.9], [0.95, 0.0, 0.0], [0.0, 0.7, 0.0], [0.0, 0.8, 0.0], [0.0, 0.0, 0.6]], dtype="f"
    )
    rels = decode_relations(instances, scores, labels, 0.5)
    assert [(r["head"], r["tail"], r["label"]) for r in rels] == [
        ([0, 4], [9, 13], "PARTNER_OF"),  # text order, best score of both directions
        ([18, 21], [9, 13], "LICENSED_TO"),
        ([25, 28], [18, 21], "ALIAS_OF"),  # the better direction
    ]
    assert rels[0]["score"] == pytest.approx(0.95)


def test_relations_decode_with_a_threshold_per_label():
    nlp = spacy.blank("en")
    doc = ents_doc(nlp, ["Acme", "and", "Zeta", "sell", "X-1"], [(0, 1, "PARTNER"), (2, 3, "PARTNER"), (4, 5, "DRUG")])
    acme, zeta, x1 = doc.ents
    labels = ["PARTNER_OF", "LICENSED_TO"]
    scores = numpy.asarray([[0.6, 0.0], [0.0, 0.6]], dtype="f")
    instances = [(acme, zeta), (x1, zeta)]
    both = decode_relations(instances, scores, labels, 0.5)
    only_license = decode_relations(instances, scores, labels, 0.5, {"PARTNER_OF": 0.7})
    assert [r["label"] for r in both] == ["PARTNER_OF", "LICENSED_TO"]
    assert [r["label"] for r in only_license] == ["LICENSED_TO"]
    with pytest.raises(InputError, match=r"\[E301\]"):
        nlp.add_pipe("immunoextract_relations", config={"thresholds": {"PARTNERS": 0.5}})
    with pytest.raises(InputError, match=r"\[E305\]"):
        nlp.add_pipe("immunoextract_relations", config={"thresholds": {"PARTNER_OF": 2}})


def test_relations_score_treats_partner_of_as_symmetric():
    install_extensions()
    nlp = spacy.blank("en")
    gold = nlp.make_doc("Acme and Zeta")
    gold._.relations = [{"head": [0, 4], "tail": [9, 13], "label": "PARTNER_OF", "score": None},
                        {"head": [0, 4], "tail": [9, 13], "label": "ALIAS_OF", "score": None}]
    pred = nlp.make_doc("Acme and Zeta")
    pred._.relations = [{"head": [9, 13], "tail": [0, 4], "label": "PARTNER_OF", "score": 0.9},
                        {"head": [9, 13], "tail": [0, 4], "label": "ALIAS_OF", "score": 0.9}]
    scores = score_relations([Example(pred, gold)])
    assert scores["rel_micro_p"] == 0.5 and scores["rel_micro_r"] == 0.5
    assert scores["rel_f_per_type"]["PARTNER_OF"]["f"] == 1.0
    assert scores["rel_f_per_type"]["ALIAS_OF"]["f"] == 0.0
    assert score_relations([Example(pred, gold)], threshold=0.95)["rel_micro_p"] == 0.0


def test_relations_errors_are_coded():
    nlp = spacy.blank("en")
    rel = nlp.add_pipe("immunoextract_relations")
    with pytest.raises(InputError, match=r"\[E301\]"):
        rel.add_label("MARRIED_TO")
    with pytest.raises(InputError, match=r"\[E305\]"):
        rel.threshold = 1.5
    eg = Example(nlp.make_doc("Nothing here."), nlp.make_doc("Nothing here."))
    with pytest.raises(ModelError, match=r"\[E302\]"):
        nlp.initialize(lambda: [eg])


def test_relations_set_annotations_keeps_other_labels():
    nlp = spacy.blank("en")
    rel = nlp.add_pipe("immunoextract_relations", config={"model": {"tok2vec": {"width": 16, "depth": 1, "embed_size": 100}}})
    golds = gold_docs(nlp)
    nlp.initialize(lambda: [Example(nlp.make_doc(d.text), d) for d in golds])
    assert isinstance(rel, RelationExtractor)
    doc = without_relations(golds[0])
    foreign = {"head": [0, 8], "tail": [28, 39], "label": "MADE_UP", "score": None}
    doc._.relations = [foreign]
    nlp(doc)
    assert foreign in doc._.relations


# --- training, prediction, serialization ---------------------------------------------------------

TOK2VEC_CFG = {
    "model": {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 32,
        "depth": 2,
        "embed_size": 500,
        "window_size": 1,
        "maxout_pieces": 2,
        "subword_features": True,
    }
}
REL_CFG = {
    "threshold": 0.5,
    "model": {
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 32, "upstream": "tok2vec"},
        "classification_layer": {"hidden_width": 32, "dropout": 0.0},
    },
}


@pytest.fixture(scope="module")
def trained() -> Tuple[Language, List[Doc]]:
    """A tok2vec + relations pipeline overfitted on TRAIN_RECORDS; predicted Docs carry no arguments."""
    fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec", config=TOK2VEC_CFG)
    nlp.add_pipe("immunoextract_relations", name="relations", config=REL_CFG)
    golds = gold_docs(nlp)
    examples = [Example(nlp.make_doc(d.text), d) for d in golds]
    optimizer = nlp.initialize(get_examples=lambda: examples)
    for _ in range(80):
        losses: dict = {}
        nlp.update(examples, sgd=optimizer, losses=losses)
    assert losses["relations"] < 0.05
    return nlp, golds


@pytest.mark.slow
def test_relations_overfitting_IO(trained, tmp_path):
    nlp, golds = trained
    rel = nlp.get_pipe("relations")
    assert set(rel.labels) == {r.label for rec in TRAIN_RECORDS for r in rec.relations}
    predicted = [nlp(without_relations(d)) for d in golds]
    for gold, pred in zip(golds, predicted):
        assert keys(pred._.relations) == keys(gold._.relations), gold._.doc_id
        assert all(r["score"] > rel.threshold for r in pred._.relations)

    rel.threshold = 0.4
    nlp.to_disk(tmp_path)
    loaded = spacy.load(tmp_path)
    assert loaded.get_pipe("relations").threshold == 0.4
    assert loaded.get_pipe("relations").labels == rel.labels
    for gold, pred in zip(golds, predicted):
        again = loaded(without_relations(gold))
        assert keys(again._.relations) == keys(pred._.relations)
        assert [r["score"] for r in again._.relations] == pytest.approx([r["score"] for r in pred._.relations], abs=1e-5)
    rel.threshold = 0.5

    scores = nlp.evaluate([Example(without_relations(d), d) for d in golds])
    assert scores["rel_micro_f"] == 1.0
    assert set(scores["rel_f_per_type"]) == set(rel.labels)


@pytest.mark.slow
def test_relations_threshold_one_gives_nothing(trained):
    nlp, golds = trained
    rel = nlp.get_pipe("relations")
    try:
        rel.threshold = 1.0
        assert all(nlp(without_relations(d))._.relations == [] for d in golds)
    finally:
        rel.threshold = 0.5


@pytest.mark.slow
def test_relations_predict_without_candidates(trained):
    nlp, _ = trained
    rel = nlp.get_pipe("relations")
    docs = [nlp.make_doc("Nothing here."), nlp.make_doc("")]
    scores = rel.predict(docs)
    assert scores.shape == (0, len(rel.labels))
    rel.set_annotations(docs, scores)
    assert [d._.relations for d in docs] == [[], []]
    assert nlp("Acme Bio licensed AB-101 to Zeta Pharma.")._.relations == []


@pytest.mark.slow
def test_relations_update_without_candidates(trained):
    nlp, _ = trained
    doc = nlp.make_doc("Nothing here.")
    losses = nlp.update([Example(doc, doc.copy())], sgd=False)
    assert losses["relations"] == 0.0


def test_relations_scorer_is_registered():
    scorer = registry.scorers.get("immunoextract.relations_scorer.v1")()
    assert scorer is score_relations
