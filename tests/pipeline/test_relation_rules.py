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


def _rel(text, head, label, tail, score):
    """A relation between the first occurrences of two surfaces of `text`."""
    return {"head": _at(text, head), "tail": _at(text, tail), "label": label, "score": score}


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


def test_a_relation_to_one_member_of_a_coordinated_list_is_copied_to_every_member(blank_nlp):
    text = ("Acme has agreements with Genentech, Abgenix, and Millennium (MLN-1). "
            "Zeta and Wyeth signed. Beta (Basel), Gamma or Delta, Inc. work on AB-3; Eta (AB-4) and Theta (AB-5). "
            "Iota (IO-7) and Kappa develop AB-6.")
    mentions = [("Acme", "PARTNER"), ("Genentech", "PARTNER"), ("Abgenix", "PARTNER"), ("Millennium", "PARTNER"),
                ("MLN-1", "DRUG"), ("Zeta", "PARTNER"), ("Wyeth", "PARTNER"), ("Beta", "PARTNER"),
                ("Gamma", "PARTNER"), ("Delta, Inc.", "PARTNER"), ("AB-3", "DRUG"), ("Eta", "PARTNER"), ("AB-4", "DRUG"),
                ("Theta", "PARTNER"), ("AB-5", "DRUG"), ("Iota", "PARTNER"), ("Kappa", "PARTNER"), ("AB-6", "DRUG")]
    doc = _doc(blank_nlp, text, mentions)
    doc._.relations = [
        {"head": _at(text, "Genentech"), "tail": _at(text, "Acme"), "label": "PARTNER_OF", "score": 0.8},
        {"head": _at(text, "Gamma"), "tail": _at(text, "AB-3"), "label": "DEVELOPS", "score": 0.6},
        {"head": _at(text, "Zeta"), "tail": _at(text, "Wyeth"), "label": "PARTNER_OF", "score": 0.9},
        {"head": _at(text, "Acme"), "tail": _at(text, "MLN-1"), "label": "TARGETS", "score": 0.5},
        {"head": _at(text, "Eta"), "tail": _at(text, "AB-4"), "label": "DEVELOPS", "score": 0.7},
        {"head": _at(text, "Kappa"), "tail": _at(text, "AB-6"), "label": "DEVELOPS", "score": 0.7},
    ]
    rules = blank_nlp.add_pipe("immunoextract_relation_rules", config={
        "partner_product_parentheses": False, "coordinated_lists": ["DEVELOPS", "PRODUCT", "PARTNER_OF"]})
    added = [(text[r["head"][0]:r["head"][1]], r["label"], text[r["tail"][0]:r["tail"][1]], r["score"]) for r in rules(doc)._.relations[6:]]
    # Acme's partner Genentech heads a list, so Abgenix and Millennium are Acme's partners too (either direction is
    # one PARTNER_OF); Gamma's DEVELOPS goes to Beta and Delta, Inc.; two partners of one list stay as they are,
    # and `Eta (AB-4) and Theta (AB-5)` pairs each partner with its own product: no list; nor does a product code
    # the recognizer missed (`Iota (IO-7) and Kappa`)
    assert added == [
        ("Abgenix", "PARTNER_OF", "Acme", 0.8), ("Millennium", "PARTNER_OF", "Acme", 0.8),
        ("Beta", "DEVELOPS", "AB-3", 0.6), ("Delta, Inc.", "DEVELOPS", "AB-3", 0.6),
    ]


def test_coordinated_lists_accept_only_relation_labels():
    import pytest

    from immunoextract.errors import InputError
    from immunoextract.pipeline.relation_rules import RelationRules

    with pytest.raises(InputError, match="ALIAS_OF cannot be copied"):
        RelationRules(coordinated_lists=["ALIAS_OF"])


def test_no_partner_of_in_a_sentence_about_a_merger_that_names_no_deal(blank_nlp):
    text = ("Acme and Zeta agreed to a merger at $101 per share. Acme and Zeta also have a license for AB-1. "
            "Beta and Gamma completed their acquisition talks; Beta and Gamma signed.")
    mentions = [("Acme", "PARTNER"), ("Zeta", "PARTNER"), ("AB-1", "DRUG"), ("Beta", "PARTNER"), ("Gamma", "PARTNER")]
    doc = _doc(blank_nlp, text, mentions)
    second = text.index("Acme and Zeta also")
    doc.ents = list(doc.ents) + [doc.char_span(second, second + 4, label="PARTNER"), doc.char_span(second + 9, second + 13, label="PARTNER")]
    rels = [
        {"head": _at(text, "Acme"), "tail": _at(text, "Zeta"), "label": "PARTNER_OF", "score": 0.9},  # merger: goes
        {"head": [second, second + 4], "tail": [second + 9, second + 13], "label": "PARTNER_OF", "score": 0.8},  # licence: stays
        {"head": _at(text, "Beta"), "tail": _at(text, "Gamma"), "label": "PARTNER_OF", "score": 0.7},  # acquisition: goes
        {"head": _at(text, "Acme"), "tail": _at(text, "Zeta"), "label": "OFFICER_OF", "score": 0.1},  # other labels stay
    ]
    doc._.relations = list(rels)
    rules = blank_nlp.add_pipe("immunoextract_relation_rules", config={"partner_product_parentheses": False, "drop_merger_partners": True})
    assert [r["score"] for r in rules(doc)._.relations] == [0.8, 0.1]
    doc._.relations = list(rels)
    off = blank_nlp.add_pipe("immunoextract_relation_rules", name="off", config={"partner_product_parentheses": False})
    assert len(off(doc)._.relations) == 4


def test_no_partner_of_between_members_of_a_long_list_or_of_partners_each_with_a_product(blank_nlp):
    from immunoextract.pipeline.relation_rules import partner_lists

    text = ("ImmunoGen has agreements with Genentech, Abgenix, and Millennium. Genentech (T-DM1) and Biogen "
            "(BIIB-1) develop TAP products. Acme and Zeta announced a deal. Beta (BX-12) and Gamma develop.")
    mentions = [("ImmunoGen", "PARTNER"), ("Genentech", "PARTNER"), ("Abgenix", "PARTNER"), ("Millennium", "PARTNER"),
                ("T-DM1", "DRUG"), ("Biogen", "PARTNER"), ("BIIB-1", "DRUG"), ("Acme", "PARTNER"), ("Zeta", "PARTNER"),
                ("Beta", "PARTNER"), ("Gamma", "PARTNER")]
    doc = _doc(blank_nlp, text, mentions)
    second = text.index("Genentech (T-DM1)")
    doc.ents = list(doc.ents) + [doc.char_span(second, second + 9, label="PARTNER")]
    assert partner_lists(doc) == [[tuple(_at(text, "Genentech")), tuple(_at(text, "Abgenix")), tuple(_at(text, "Millennium"))],
                                  [(second, second + 9), tuple(_at(text, "Biogen"))],
                                  [tuple(_at(text, "Beta")), tuple(_at(text, "Gamma"))]]  # a code the recognizer missed
    rels = [
        _rel(text, "ImmunoGen", "PARTNER_OF", "Abgenix", 0.9),  # stays
        _rel(text, "Abgenix", "PARTNER_OF", "Millennium", 0.8),  # in a list of 3
        {**_rel(text, "Genentech", "PARTNER_OF", "Biogen", 0.7), "head": [second, second + 9]},  # each has a product
        _rel(text, "Acme", "PARTNER_OF", "Zeta", 0.6),  # two names: stays
    ]
    doc._.relations = list(rels)
    rules = blank_nlp.add_pipe("immunoextract_relation_rules", config={"partner_product_parentheses": False, "drop_list_partners": True})
    assert [r["score"] for r in rules(doc)._.relations] == [0.9, 0.6]


def test_a_conjugate_named_by_its_inn_stem_gets_its_payload(blank_nlp):
    text = "Cantuzumab mertansine carries DM1 and huC242. Brentuximab vedotin uses MMAE, not DM1."
    mentions = [("Cantuzumab mertansine", "DRUG"), ("DM1", "DRUG"), ("huC242", "ANTIBODY"), ("Brentuximab vedotin", "DRUG"),
                ("MMAE", "DRUG")]
    doc = _doc(blank_nlp, text, mentions, scores=[0.9, 0.6, 0.8, 0.7, 0.95])
    second_dm1 = text.index("DM1", text.index("MMAE"))
    doc.ents = list(doc.ents) + [doc.char_span(second_dm1, second_dm1 + 3, label="DRUG")]
    doc._.entity_scores = [0.9, 0.6, 0.8, 0.7, 0.95, 0.5]
    doc._.relations = []
    rules = blank_nlp.add_pipe("immunoextract_relation_rules", config={"partner_product_parentheses": False, "payload_stems": True})
    rels = [(text[r["head"][0]:r["head"][1]], text[r["tail"][0]:r["tail"][1]], r["score"]) for r in rules(doc)._.relations]
    # each conjugate gets the payload its stem names in its own sentence, scored as its less sure mention;
    # vedotin's payload is MMAE, not the DM1 beside it
    assert rels == [("Cantuzumab mertansine", "DM1", 0.6), ("Brentuximab vedotin", "MMAE", 0.7)]
    doc._.relations = []
    off = blank_nlp.add_pipe("immunoextract_relation_rules", name="off", config={"partner_product_parentheses": False})
    assert off(doc)._.relations == []


def test_a_relation_on_a_second_name_moves_to_the_first(blank_nlp):
    from immunoextract.pipeline.relation_rules import first_names

    text = "Acme has cantuzumab mertansine (huC242-DM1/SB-408075) and huN901-DM1/BB-10901, licensed to Zeta."
    mentions = [("Acme", "PARTNER"), ("cantuzumab mertansine", "DRUG"), ("huC242-DM1", "DRUG"), ("SB-408075", "DRUG"),
                ("huN901-DM1", "DRUG"), ("BB-10901", "DRUG"), ("Zeta", "PARTNER")]
    doc = _doc(blank_nlp, text, mentions)
    first = tuple(_at(text, "cantuzumab mertansine"))
    assert first_names(doc) == {tuple(_at(text, "huC242-DM1")): first, tuple(_at(text, "SB-408075")): first,
                                tuple(_at(text, "BB-10901")): tuple(_at(text, "huN901-DM1"))}
    doc._.relations = [
        _rel(text, "BB-10901", "LICENSED_TO", "Zeta", 0.4), _rel(text, "Acme", "DEVELOPS", "SB-408075", 0.6),
        _rel(text, "Acme", "DEVELOPS", "cantuzumab mertansine", 0.7),
        _rel(text, "SB-408075", "ALIAS_OF", "cantuzumab mertansine", 0.9),
        _rel(text, "cantuzumab mertansine", "HAS_PAYLOAD", "huC242-DM1", 0.5),
    ]
    rules = blank_nlp.add_pipe("immunoextract_relation_rules", config={"partner_product_parentheses": False, "first_names": True})
    rels = [(text[r["head"][0]:r["head"][1]], r["label"], text[r["tail"][0]:r["tail"][1]], r["score"])
            for r in rules(doc)._.relations]
    # moved to the first name (once, with the better score: Acme already DEVELOPS it); ALIAS_OF stays on the alias,
    # and a relation between two names of one product goes
    assert rels == [("huN901-DM1", "LICENSED_TO", "Zeta", 0.4), ("Acme", "DEVELOPS", "cantuzumab mertansine", 0.7),
                    ("SB-408075", "ALIAS_OF", "cantuzumab mertansine", 0.9)]
