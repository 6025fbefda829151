"""The event clean-up rule: triggers in a conditional clause are not events (schema: hypotheticals)."""
import numpy
from spacy.tokens import SpanGroup

from immunoextract.pipeline.events import is_conditional


def _doc_with_events(nlp, text, triggers):
    doc = nlp.make_doc(text)
    spans = []
    for surface, label in triggers:
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.spans["events"] = SpanGroup(doc, name="events", spans=spans, attrs={"scores": numpy.asarray([0.9, 0.8, 0.7], dtype="f")})
    return doc


def test_event_rules_drop_conditional_triggers_and_keep_scores_aligned(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_event_rules")
    text = ("In 2020 Acme licensed AB-1 to Zeta. If Zeta exercises its option, Zeta pays $5 million. "
            "Zeta said it would initiate a Phase 2 trial; Acme initiated a Phase 1 trial.")
    doc = rules(_doc_with_events(blank_nlp, text, [("licensed", "LICENSE"), ("exercises its option", "LICENSE"),
                                                   ("initiated a Phase 1 trial", "CLINICAL")]))
    assert [(s.text, s.label_) for s in doc.spans["events"]] == [("licensed", "LICENSE"), ("initiated a Phase 1 trial", "CLINICAL")]
    assert [round(float(x), 2) for x in doc.spans["events"].attrs["scores"]] == [0.9, 0.7]


def test_a_conditional_word_counts_only_within_its_clause(blank_nlp):
    doc = blank_nlp.make_doc("Rights would return. Acme then regained rights; it may also sign a deal")
    words = [t.text for t in doc]
    assert not is_conditional(doc, words.index("regained"))  # "would" is in the previous sentence
    assert is_conditional(doc, words.index("sign"))
    month = blank_nlp.make_doc("In May 2019, Acme announced data; on May 5 Zeta licensed it. Results MAY differ")
    tokens = [t.text for t in month]
    assert not is_conditional(month, tokens.index("announced")) and not is_conditional(month, tokens.index("licensed"))
    assert is_conditional(month, tokens.index("differ"))
    off = blank_nlp.add_pipe("immunoextract_event_rules", config={"drop_conditional": False})
    doc.spans["events"] = SpanGroup(doc, name="events", spans=[doc[words.index("sign"):words.index("sign") + 1]])
    assert len(off(doc).spans["events"]) == 1


def _at(text, word, last=False):
    """The [start, end] of the first (or last) `word` of `text`."""
    start = text.rindex(word) if last else text.index(word)
    return [start, start + len(word)]


def _doc_with_arguments(nlp, text, triggers, relations):
    """A Doc with `triggers` in doc.spans["events"] and `relations` as (head, tail, label, score), where a head
    or tail is a trigger's text, a word of `text`, or (word, True) for its last occurrence."""
    from immunoextract.data.extensions import install_extensions

    install_extensions()
    doc = _doc_with_events(nlp, text, triggers)
    span = {s.text: [s.start_char, s.end_char] for s in doc.spans["events"]}

    def where(arg):
        return span[arg] if arg in span else _at(text, *arg) if isinstance(arg, tuple) else _at(text, arg)

    doc._.relations = [{"head": where(h), "tail": where(t), "label": label, "score": score} for h, t, label, score in relations]
    return doc


def test_event_arguments_drop_triggers_without_product_or_party(blank_nlp):
    text = "Acme licensed AB-1 to Zeta. Acme reduced its staff. Zeta initiated a Phase 1 trial."
    doc = _doc_with_arguments(blank_nlp, text, [("licensed", "LICENSE"), ("reduced its staff", "CLINICAL"),
                                                ("initiated a Phase 1 trial", "CLINICAL")], [
        ("licensed", "AB-1", "PRODUCT", 0.9),
        ("AB-1", "Zeta", "LICENSED_TO", 0.8),
        ("initiated a Phase 1 trial", ("Zeta", True), "PARTY", 0.7),
        # an entity relation whose head happens to share a trigger's offsets keeps no trigger
        ("reduced its staff", "Zeta", "PARTNER_OF", 0.5),
    ])
    kept = blank_nlp.add_pipe("immunoextract_event_arguments")(doc).spans["events"]
    assert [s.text for s in kept] == ["licensed", "initiated a Phase 1 trial"]
    assert [round(float(x), 2) for x in kept.attrs["scores"]] == [0.9, 0.7]
    off = blank_nlp.add_pipe("immunoextract_event_arguments", name="off", config={"require_argument": False})
    doc.spans["events"] = SpanGroup(doc, name="events", spans=[doc[3:4]])
    assert len(off(doc).spans["events"]) == 1


def test_event_arguments_can_require_a_product_for_some_types_and_drop_their_arguments(blank_nlp):
    text = "Acme initiated a trial of AB-1. Zeta announced its intention to sell. Acme licensed rights to Zeta."
    doc = _doc_with_arguments(blank_nlp, text, [("initiated a trial", "CLINICAL"), ("announced its intention", "CLINICAL"),
                                                ("licensed rights", "LICENSE")], [
        ("initiated a trial", "AB-1", "PRODUCT", 0.9),
        ("initiated a trial", "Acme", "PARTY", 0.8),
        ("announced its intention", "Zeta", "PARTY", 0.7),
        ("licensed rights", ("Zeta", True), "PARTY", 0.6),
    ])
    component = blank_nlp.add_pipe("immunoextract_event_arguments", config={"product_required": ["CLINICAL", "REGULATORY"]})
    doc = component(doc)
    # a company-only CLINICAL trigger goes, with its PARTY; a company-only LICENSE stays
    assert [s.text for s in doc.spans["events"]] == ["initiated a trial", "licensed rights"]
    assert [r["score"] for r in doc._.relations] == [0.9, 0.8, 0.6]
    import pytest

    from immunoextract.errors import InputError

    with pytest.raises(InputError, match="CLINICAL_TRIAL is not an event type"):
        blank_nlp.add_pipe("immunoextract_event_arguments", name="bad", config={"product_required": ["CLINICAL_TRIAL"]})


def test_trigger_categorizer_scales_the_no_trigger_probability_at_prediction(blank_nlp):
    import pytest
    from thinc.api import NumpyOps

    from immunoextract.errors import InputError

    events = blank_nlp.add_pipe("immunoextract_triggers", name="events")
    events.add_label("CLINICAL")
    events.add_label("LICENSE")
    doc = blank_nlp.make_doc("Acme initiated a trial and licensed rights")
    indices = NumpyOps().asarray2i([[1, 2], [5, 6]])
    # columns: CLINICAL, LICENSE, no trigger
    scores = numpy.asarray([[0.40, 0.05, 0.55], [0.10, 0.20, 0.70]], dtype="f")
    assert list(events._make_span_group_singlelabel(doc, indices, scores, allow_overlap=False)) == []
    events.negative_scale = 0.5
    found = events._make_span_group_singlelabel(doc, indices, scores, allow_overlap=False)
    assert [(s.text, s.label_) for s in found] == [("initiated", "CLINICAL")]  # 0.275 < 0.40; 0.35 > 0.20
    with pytest.raises(InputError, match="negative_scale"):
        blank_nlp.add_pipe("immunoextract_triggers", name="bad", config={"negative_scale": 0.0})


def test_event_rules_drop_merger_triggers_but_keep_acquired_rights(blank_nlp):
    text = "Acme and Zeta entered into a definitive merger agreement. Acme acquired exclusive rights to AB-1. Beta completed the acquisition."
    doc = _doc_with_events(blank_nlp, text, [("entered into a definitive merger agreement", "LICENSE"),
                                             ("acquired exclusive rights", "LICENSE"), ("completed the acquisition", "MILESTONE")])
    kept = blank_nlp.add_pipe("immunoextract_event_rules", config={"drop_mergers": True})(doc).spans["events"]
    assert [s.text for s in kept] == ["acquired exclusive rights"]
    assert [round(float(x), 2) for x in kept.attrs["scores"]] == [0.8]
    doc = _doc_with_events(blank_nlp, text, [("entered into a definitive merger agreement", "LICENSE"),
                                             ("acquired exclusive rights", "LICENSE"), ("completed the acquisition", "MILESTONE")])
    assert len(blank_nlp.add_pipe("immunoextract_event_rules", name="off")(doc).spans["events"]) == 3  # off by default


def test_event_rules_give_triggers_the_type_their_words_name(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_event_rules", config={"type_words": True})
    text = "NRx filed a citizen's petition on AB-1. Acme filed an Investigational New Drug application. Zeta started a trial."
    doc = rules(_doc_with_events(blank_nlp, text, [("filed a citizen's petition", "CLINICAL"),
                                                   ("filed an Investigational New Drug application", "CLINICAL"),
                                                   ("started a trial", "CLINICAL")]))
    # an IND is a clinical step; the scores stay with their triggers
    assert [s.label_ for s in doc.spans["events"]] == ["REGULATORY", "CLINICAL", "CLINICAL"]
    assert [round(float(x), 2) for x in doc.spans["events"].attrs["scores"]] == [0.9, 0.8, 0.7]
    ended = "GSK elected not to advance AB-1. Acme terminated the AB-1 trial. Zeta regained the rights to AB-2."
    doc = rules(_doc_with_events(blank_nlp, ended, [("elected not to advance", "CLINICAL"),
                                                   ("terminated the AB-1 trial", "CLINICAL"), ("regained", "LICENSE")]))
    # stopping one trial is a clinical step, the schema says
    assert [s.label_ for s in doc.spans["events"]] == ["TERMINATION", "CLINICAL", "TERMINATION"]
    off = blank_nlp.add_pipe("immunoextract_event_rules", name="off")
    doc = off(_doc_with_events(blank_nlp, text, [("filed a citizen's petition", "CLINICAL"),
                                                 ("filed an Investigational New Drug application", "CLINICAL"),
                                                 ("started a trial", "CLINICAL")]))
    assert doc.spans["events"][0].label_ == "CLINICAL"


def test_event_rules_add_milestones_said_to_be_achieved_and_not_promised(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_event_rules", config={"milestone_words": True})
    text = ("Acme and Zeta announced the achievement of a milestone. Zeta is eligible for payments upon the achievement of "
            "specified milestones. No milestones were earned in 2019. Acme received a $5 million milestone payment.")
    doc = blank_nlp.make_doc(text)
    doc.spans["events"] = SpanGroup(doc, name="events", spans=[doc.char_span(0, 4, label="LICENSE")], attrs={"scores": [0.9]})
    doc = rules(doc)
    assert [(s.text, s.label_) for s in doc.spans["events"]] == [
        ("Acme", "LICENSE"), ("achievement of a milestone", "MILESTONE"), ("received a $5 million milestone payment", "MILESTONE")]
    assert [round(float(x), 2) for x in doc.spans["events"].attrs["scores"]] == [0.9, 0.5, 0.5]
