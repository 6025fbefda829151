"""Relations the schema states by form: a partner followed by its product in parentheses is DEVELOPS."""
from immunoextract.data.extensions import install_extensions


def _doc(nlp, text, mentions, scores=None):
    install_extensions()
    doc = nlp.make_doc(text)
    ents = []
    for surface, label in mentions:
        start = text.index(surface)
        ents.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = ents
    doc._.entity_scores = scores
    return doc


def _at(text, surface):
    start = text.index(surface)
    return [start, start + len(surface)]


def test_partner_then_product_in_parentheses_gives_develops(blank_nlp):
    text = ("Acme has collaborations with Genentech (Trastuzumab-DM1), Boehringer Ingelheim ( bivatuzumab mertansine) "
            "and Millennium (the MLN2704 program); Zeta, AB-1 (AB-2) and Wyeth (Pfizer) are not pairs.")
    mentions = [("Acme", "PARTNER"), ("Genentech", "PARTNER"), ("Trastuzumab-DM1", "DRUG"), ("Boehringer Ingelheim", "PARTNER"),
                ("bivatuzumab mertansine", "DRUG"), ("Millennium", "PARTNER"), ("MLN2704", "DRUG"), ("Zeta", "PARTNER"),
                ("AB-1", "DRUG"), ("AB-2", "DRUG"), ("Wyeth", "PARTNER"), ("Pfizer", "PARTNER")]
    doc = _doc(blank_nlp, text, mentions, scores=[1.0, 0.9, 0.8, 1.0, 0.7, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    already = {"head": _at(text, "Genentech"), "tail": _at(text, "Trastuzumab-DM1"), "label": "DEVELOPS", "score": 0.6}
    doc._.relations = [already]
    doc = blank_nlp.add_pipe("immunoextract_relation_rules")(doc)
    # the pair the model wrote stays as it was, once; `Millennium (the MLN2704` has a word between them
    assert doc._.relations == [
        already,
        {"head": _at(text, "Boehringer Ingelheim"), "tail": _at(text, "bivatuzumab mertansine"), "label": "DEVELOPS", "score": 0.7},
    ]


def test_relation_rules_can_be_switched_off(blank_nlp):
    text = "Genentech (Trastuzumab-DM1) advanced."
    doc = _doc(blank_nlp, text, [("Genentech", "PARTNER"), ("Trastuzumab-DM1", "DRUG")])
    off = blank_nlp.add_pipe("immunoextract_relation_rules", config={"partner_product_parentheses": False})
    assert not off(doc)._.relations
    on = blank_nlp.add_pipe("immunoextract_relation_rules", name="on")
    assert on(doc)._.relations == [{"head": [0, 9], "tail": [11, 26], "label": "DEVELOPS", "score": None}]
