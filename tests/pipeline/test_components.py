"""The filing tokenizer, the pattern features and the scored entity recognizer."""
import random

import pytest
import spacy
from spacy.training import Example

from immunoextract.data.extensions import runs_to_offsets, to_clean_span, to_source_span
from immunoextract.ml.models.features import FEATURE_NAMES, doc_features, load_lexicons
from immunoextract.pipeline.tokenizer import create_filing_tokenizer

RAW = "<PAGE>\n\nACME BIOLOGICS, INC.\n\nAcme Biologics, Inc. announced today that it has licensed AB-101 to\nZeta Pharma AG under an agreement signed in Cambridge, Massachusetts, last week.\n\n-more-\n"


def test_tokenizer_cleans_and_keeps_the_way_back(cleaning_nlp):
    doc = cleaning_nlp(RAW)
    assert "<PAGE>" not in doc.text and "-more-" not in doc.text
    assert "licensed AB-101 to Zeta Pharma AG under" in doc.text
    assert doc._.source_text == RAW
    start = doc.text.index("AB-101 to Zeta Pharma AG")
    s, e = to_source_span(doc._.source_offsets, start, start + len("AB-101 to Zeta Pharma AG"))
    assert RAW[s:e] == "AB-101 to\nZeta Pharma AG"
    assert to_clean_span(doc._.source_offsets, s, e) == (start, start + len("AB-101 to Zeta Pharma AG"))
    assert len(runs_to_offsets(doc._.source_offsets)) == len(doc.text) + 1


def test_tokenizer_splits_aliases_and_survives_serialization(blank_nlp):
    words = [t.text for t in blank_nlp("GlaxoSmithKline(GSK) licensed huN901-DM1/BB-10901 and ZYNLONTA\u00ae")]
    assert words[:4] == ["GlaxoSmithKline", "(", "GSK", ")"]
    assert "/" in words and "\u00ae" in words
    restored = spacy.blank("en")
    restored.tokenizer = create_filing_tokenizer(clean=False)(restored)
    restored.tokenizer.from_bytes(blank_nlp.tokenizer.to_bytes())
    assert [t.text for t in restored("huN901-DM1/BB-10901")] == [t.text for t in blank_nlp("huN901-DM1/BB-10901")]


@pytest.mark.parametrize(
    "word,feature",
    [("brentuximab", "antibody_stem"), ("tisagenlecleucel", "inn_stem"), ("SGN-35", "drug_code"), ("MLN2704", "drug_code"),
     ("Inc.", "company_suffix"), ("Therapeutics", "company_word"), ("CD30", "target_like"), ("Genentech", "lex_partner"),
     ("osteoarthritis", "lex_non_entity"), ("NASDAQ", "lex_non_entity")],
)
def test_features_fire_on_naming_conventions(blank_nlp, word, feature):
    doc = blank_nlp(f"Today {word} was named.")
    feats = doc_features(doc, load_lexicons(), {})
    assert feature in [FEATURE_NAMES[i] for i in feats[1]]
    assert feature not in [FEATURE_NAMES[i] for i in feats[2]]


def test_pattern_embed_v1_keeps_its_width_and_v2_adds_the_non_entity_feature(blank_nlp):
    from spacy.util import registry

    docs = [blank_nlp("Acme treats osteoarthritis in Texas.")]
    for name, n_features in (("immunoextract.PatternHashEmbed.v1", 22), ("immunoextract.PatternHashEmbed.v2", 23)):
        model = registry.architectures.get(name)(width=16, attrs=["NORM", "SHAPE"], rows=[100, 50])
        model.initialize(X=docs)
        assert model.layers[1].layers[0].get_dim("nI") == 16 + n_features
        assert model.predict(docs)[0].shape == (len(docs[0]), 16)


def test_features_use_context(blank_nlp):
    doc = blank_nlp("said Dr. Jane Roe, Ph.D., of the anti-CD44v6 antibody from Acme Bio, Inc.")
    names = [[FEATURE_NAMES[i] for i in row] for row in doc_features(doc, load_lexicons(), {})]
    by_word = {t.text: names[t.i] for t in doc}
    assert "after_title" in by_word["Jane"] and "before_post_nominal" in by_word["Roe"]
    assert "after_anti" in by_word["CD44v6"] and "before_company_suffix" in by_word["Bio"]


def test_ner_entities_carry_beam_scores():
    import immunoextract.pipeline.ner  # noqa: F401  (registers the factory for this in-process test)

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec", config={"model": {"@architectures": "spacy.HashEmbedCNN.v2", "width": 32, "depth": 1, "embed_size": 500,
                                               "window_size": 1, "maxout_pieces": 2, "subword_features": True, "pretrained_vectors": None}})
    ner = nlp.add_pipe("immunoextract_ner", config={"beam_width": 4})
    train = [("Acme licensed AB-101 to Zeta.", [(0, 4, "PARTNER"), (14, 20, "DRUG"), (24, 28, "PARTNER")]),
             ("Zeta develops ZX-7.", [(0, 4, "PARTNER"), (14, 18, "DRUG")])]
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": ents}) for t, ents in train]
    nlp.initialize(lambda: examples)
    random.seed(0)
    for _ in range(40):
        nlp.update(examples, losses={})
    doc = nlp("Acme licensed AB-101 to Zeta.")
    assert [e.text for e in doc.ents] == ["Acme", "AB-101", "Zeta"]
    assert len(doc._.entity_scores) == 3 and all(0.0 < s <= 1.0 for s in doc._.entity_scores)
    ner.cfg["beam_width"] = 1
    assert nlp("Acme licensed AB-101 to Zeta.")._.entity_scores is None


def test_trigger_suggester_keeps_trigger_shaped_ngrams(blank_nlp):
    from spacy.util import registry

    suggest = registry.misc.get("immunoextract.trigger_suggester.v1")(min_size=1, max_size=6)
    doc = blank_nlp("Acme has entered into a license agreement, with Zeta.\n\nIt regained rights.")
    spans = [doc[s:e].text for s, e in suggest([doc]).data.tolist()]
    assert "entered into a license agreement" in spans and "regained" in spans
    assert not any("," in s or "\n" in s or s.endswith(".") for s in spans)
    assert max(len(blank_nlp(s)) for s in spans) <= 6
    empty = suggest([blank_nlp("")])
    assert len(empty.data) == 0 and empty.lengths.tolist() == [0]


def test_trigger_suggester_v2_leaves_out_ngrams_at_function_words(blank_nlp):
    from spacy.util import registry

    doc = blank_nlp("Acme has entered into a license agreement with Zeta for the rights of the product.")
    v1 = {doc[s:e].text for s, e in registry.misc.get("immunoextract.trigger_suggester.v1")()([doc]).data.tolist()}
    v2 = {doc[s:e].text for s, e in registry.misc.get("immunoextract.trigger_suggester.v2")()([doc]).data.tolist()}
    assert v2 < v1
    assert "entered into a license agreement" in v2 and "has entered into" in v2
    assert not any(s.split()[0] in ("the", "with", "for", "of") or s.split()[-1] in ("the", "a", "of") for s in v2)
    assert {"the rights", "with Zeta", "rights of the"} <= v1 - v2
    assert "license agreement with" in v2  # a trigger may end in a preposition ("returned to")
