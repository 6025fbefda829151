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
