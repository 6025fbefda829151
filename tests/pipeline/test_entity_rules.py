"""The entity clean-up rules: label votes, lexicon and pattern drops, punctuation trims, aligned scores."""
import pytest
import spacy
from spacy.tokens import Span

from immunoextract.data.lexicon import only_common_words
from immunoextract.pipeline.entity_rules import COMPANY_NAME_WORDS, load_common_words, load_non_entities


def _doc_with_ents(nlp, text, spans, scores=None):
    doc = nlp.make_doc(text)
    ents = []
    for surface, label, nth in spans:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        ents.append(doc.char_span(start, start + len(surface), label=label, alignment_mode="expand"))
    doc.ents = ents
    doc._.entity_scores = scores
    return doc


def test_rules_factory_loads_by_name_and_votes_labels(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules")
    text = "Gencaro is our lead drug. Gencaro was studied. We licensed Gencaro to Acme Corp."
    doc = _doc_with_ents(blank_nlp, text, [("Gencaro", "DRUG", 0), ("Gencaro", "PARTNER", 1), ("Gencaro", "DRUG", 2),
                                           ("Acme Corp.", "PARTNER", 0)], scores=[0.9, 0.95, 0.8, 0.99])
    doc = rules(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Gencaro", "DRUG"), ("Gencaro", "DRUG"), ("Gencaro", "DRUG"), ("Acme Corp.", "PARTNER")]
    assert doc._.entity_scores == [0.9, 0.95, 0.8, 0.99]


def test_rules_drop_lexicon_entries_and_noise_patterns_keeping_scores_aligned(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False})
    text = "Acme treats OA in Texas (NCT01234567, N=365, p<0.0001) with acmetinib. Sales: 77.4 | 117.5"
    doc = _doc_with_ents(blank_nlp, text, [("Acme", "PARTNER", 0), ("OA", "DRUG", 0), ("Texas", "PARTNER", 0),
                                           ("NCT01234567", "DRUG", 0), ("N=365", "TARGET", 0), ("p<0.0001", "DRUG", 0),
                                           ("acmetinib", "DRUG", 0), ("77.4 | 117.5", "DRUG", 0)],
                         scores=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    doc = rules(doc)
    assert [e.text for e in doc.ents] == ["Acme", "acmetinib"]
    assert doc._.entity_scores == [0.1, 0.7]


@pytest.mark.parametrize(
    "text,spans,expected",
    [
        # bullets go, the full stop of a legal suffix stays
        ("Notes:\n* LIXT is advancing. Signed by ACME, INC. today.",
         [("* LIXT", "PARTNER", 0), ("ACME, INC.", "PARTNER", 0)], ["LIXT", "ACME, INC."]),
        # a capitalised headline verb goes; a lower-case word is not a headline's verb, and a one-word
        # mention is left to the other rules
        ("Kamada Wants More Data. SYNERGEN REDUCES STAFF. Acme shows data. Wants",
         [("Kamada Wants", "PARTNER", 0), ("SYNERGEN REDUCES", "PARTNER", 0), ("Acme shows", "PARTNER", 0),
          ("Wants", "PARTNER", 1)], ["Kamada", "SYNERGEN", "Acme shows", "Wants"]),
        # a verb inside the mention ends the name (a `Re-` prefix goes with it); words that end company
        # names too do not
        ("ImmunoGen Achieve Milestone. NRx Pharmaceuticals Re-Files New Drug Application. Health Care Partners Fund.",
         [("ImmunoGen Achieve Milestone", "PARTNER", 0), ("NRx Pharmaceuticals Re-Files New Drug Application", "PARTNER", 0),
          ("Health Care Partners Fund", "PARTNER", 0)], ["ImmunoGen", "NRx Pharmaceuticals", "Health Care Partners Fund"]),
        # an unmatched parenthesis: cut before an open one (a product code so cut off is a DRUG of its own,
        # a place is not); a name started inside parentheses is widened to the word before them, merging a
        # same-label mention that ends there, or cut after the `)`
        ("Millennium (MLN591DM1) and Syntex (U.S.A.) Inc. and Acme (Europe) Ltd. and in (Japan) Kirin Ltd. Zeta (Boston)",
         [("Millennium (MLN591DM1", "PARTNER", 0), ("Syntex", "PARTNER", 0), ("U.S.A.) Inc.", "PARTNER", 0),
          ("Europe) Ltd.", "PARTNER", 0), ("Japan) Kirin Ltd.", "PARTNER", 0), ("Zeta (Boston", "PARTNER", 0)],
         ["Millennium", "MLN591DM1", "Syntex (U.S.A.) Inc.", "Acme (Europe) Ltd.", "Kirin Ltd.", "Zeta"]),
        # a defined term's head noun is cut off a partner; `Products` only when the shorter name stands alone
        ("A license to Hansoh for each Hansoh Product in the Hansoh Territory, all Hansoh Products. American Home Products.",
         [("Hansoh", "PARTNER", 0), ("Hansoh Product", "PARTNER", 0), ("Hansoh Territory", "PARTNER", 0),
          ("Hansoh Products", "PARTNER", 0), ("American Home Products", "PARTNER", 0)],
         ["Hansoh", "Hansoh", "Hansoh", "Hansoh", "American Home Products"]),
        # a name found as a DRUG and written before `technology` is a platform: its DRUG and TARGET mentions
        # go; a lower-case name (a payload) stays
        ("CEL-SCI's LEAPS technology. The LEAPS conjugate with calicheamicin technology and DM1.",
         [("LEAPS", "TARGET", 0), ("LEAPS", "DRUG", 1), ("calicheamicin", "DRUG", 0), ("DM1", "DRUG", 0)],
         ["calicheamicin", "DM1"]),
        # a target's head noun goes when a name is left (`the CanAg antigen`: only `CanAg`, the schema says)
        ("The NMDA receptor and the CanAg antigen; growth factor receptor; the CD20 antigens.",
         [("NMDA receptor", "TARGET", 0), ("CanAg antigen", "TARGET", 0), ("growth factor receptor", "TARGET", 0),
          ("CD20 antigens", "TARGET", 0)],
         ["NMDA", "CanAg", "growth factor receptor", "CD20"]),
        # a partner takes the `Group` after it, not one after a comma nor a DRUG's
        ("A member of the Roche Group. THE ROCHE GROUP. Roche, Group results. Acmetinib Group.",
         [("Roche", "PARTNER", 0), ("ROCHE", "PARTNER", 0), ("Roche", "PARTNER", 1), ("Acmetinib", "DRUG", 0)],
         ["Roche Group", "ROCHE GROUP", "Roche", "Acmetinib"]),
    ],
)
def test_rules_trim_the_edges_of_a_mention(blank_nlp, text, spans, expected):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False, "drop_common_words": False})
    doc = rules(_doc_with_ents(blank_nlp, text, spans))
    assert [e.text for e in doc.ents] == expected


def test_rules_can_be_switched_off_in_the_config(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules",
                               config={"vote_labels": False, "drop_non_entities": False, "drop_patterns": False})
    text = "Acme treats OA in Texas."
    doc = _doc_with_ents(blank_nlp, text, [("OA", "DRUG", 0), ("Texas", "PARTNER", 0)])
    assert [e.text for e in rules(doc).ents] == ["OA", "Texas"]


def test_rules_drop_degrees_standing_alone(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False})
    text = "Kenji Cunnion, MD, MPH, leads Acme; Ann Lee, Ph.D. (M.D.) joined MDS Pharma Services."
    doc = _doc_with_ents(blank_nlp, text, [("Kenji Cunnion", "OFFICER", 0), ("MD, MPH", "PARTNER", 0), ("Acme", "PARTNER", 0),
                                           ("Ann Lee", "OFFICER", 0), ("M.D.", "PARTNER", 0), ("MDS Pharma Services", "PARTNER", 0)])
    assert [e.text for e in rules(doc).ents] == ["Kenji Cunnion", "Acme", "Ann Lee", "MDS Pharma Services"]


def test_rules_drop_job_titles_standing_alone(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False})
    text = "Thomas Stuart, Controller of Acme, and the Chief Executive Officer met; VP-315 and Head Therapeutics."
    doc = _doc_with_ents(blank_nlp, text, [("Thomas Stuart", "OFFICER", 0), ("Controller", "PARTNER", 0), ("Acme", "PARTNER", 0),
                                           ("Chief Executive Officer", "OFFICER", 0), ("VP-315", "DRUG", 0),
                                           ("Head Therapeutics", "PARTNER", 0)])
    assert [e.text for e in rules(doc).ents] == ["Thomas Stuart", "Acme", "VP-315", "Head Therapeutics"]


def test_rules_drop_banks_and_law_firms_named_as_such(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False})
    text = "J.P. Morgan Securities Inc. advised Acme; Duane Morris LLP advised Zeta Pharma AG. Capital Bio (a drug) sold."
    doc = _doc_with_ents(blank_nlp, text, [("J.P. Morgan Securities Inc.", "PARTNER", 0), ("Acme", "PARTNER", 0),
                                           ("Duane Morris LLP", "PARTNER", 0), ("Zeta Pharma AG", "PARTNER", 0),
                                           ("Capital Bio", "DRUG", 0)])
    assert [e.text for e in rules(doc).ents] == ["Acme", "Zeta Pharma AG", "Capital Bio"]


def test_rules_drop_tickers_bylines_cities_and_disciplines_by_their_context(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False, "propagate_names": False})
    text = ("Acme Bio Rises\nBy Meg Flippin Benzinga\nBOULDER, Colorado -- Acme Bio (NASDAQ: ACMB) and Zeta Inc. "
            "(Nasdaq Global Market: ZETA) said Dr. Jo Ray, Professor of Orthopedic Surgery, joined Acme Bio, a "
            "division of Zeta Inc. Zeta Inc., Texas and Plano, TX and Ames, TX-based Beta Corp. (BETA) signed. "
            "Boulder and ACMB stock. Reviewed by Sam Lee; Meg Flippin wrote.")
    doc = _doc_with_ents(blank_nlp, text, [
        ("Acme Bio", "PARTNER", 0), ("By Meg Flippin", "OFFICER", 0), ("BOULDER", "PARTNER", 0), ("Acme Bio", "PARTNER", 1),
        ("ACMB", "DRUG", 0), ("Zeta Inc.", "PARTNER", 0), ("ZETA", "PARTNER", 0), ("Jo Ray", "OFFICER", 0),
        ("Orthopedic Surgery", "PARTNER", 0), ("Acme Bio", "PARTNER", 2), ("Zeta Inc.", "PARTNER", 1),
        ("Zeta Inc.", "PARTNER", 2), ("Plano", "PARTNER", 0), ("Ames", "PARTNER", 0), ("Beta Corp.", "PARTNER", 0),
        ("BETA", "PARTNER", 0), ("Boulder", "PARTNER", 0), ("ACMB", "DRUG", 1), ("Sam Lee", "OFFICER", 0),
        ("Meg Flippin", "OFFICER", 1)])
    kept = [(e.text, e.start_char) for e in rules(doc).ents]
    # gone: the byline's author, the dateline's city, both tickers after an exchange, the discipline after
    # `Professor of`, the city before `, TX`, and each of those names but the tickers wherever else it stands
    # (`BOULDER` and `Boulder` differ; `ACMB stock` stays, as companies trade under their names); a company
    # word keeps `Zeta Inc., Texas`, `TX-based` is no state after a comma, `(BETA)` has no exchange and
    # `by Sam Lee` opens no line
    assert [t for t, _ in kept] == ["Acme Bio", "Acme Bio", "Zeta Inc.", "Jo Ray", "Acme Bio", "Zeta Inc.", "Zeta Inc.",
                                    "Ames", "Beta Corp.", "BETA", "Boulder", "ACMB", "Sam Lee"]
    assert text[kept[5][1] - 12:kept[5][1]] == "division of "  # a company after `a division of` stays


def test_rules_drop_trial_and_agreement_names_but_not_products_before_trial(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False, "propagate_names": False})
    text = ("Okogen filed the Emerald Study. Emerald will enroll. Positive AV411 Trial Results. NATiV3 Trial Design. "
            "Under the CoV Agreement, CoV drugs and the Acme Agreement.")
    doc = _doc_with_ents(blank_nlp, text, [("Okogen", "PARTNER", 0), ("Emerald", "PARTNER", 0), ("Emerald", "PARTNER", 1),
                                           ("AV411", "DRUG", 0), ("NATiV3", "TARGET", 0), ("CoV", "TARGET", 0),
                                           ("CoV", "TARGET", 1), ("Acme", "PARTNER", 0)])
    # a trial's name goes wherever it stands; a product before `Trial` stays, and so does a code-like name;
    # a target before `Agreement` goes there only, a partner stays
    assert [e.text for e in rules(doc).ents] == ["Okogen", "AV411", "NATiV3", "CoV", "Acme"]


def test_rules_drop_a_one_word_officer_without_a_title_or_a_full_name(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False, "propagate_names": False})
    text = "Merck sells Kelco. Ann Lee said Lee and Dr. Young agreed; Mr.\nBrown too. Kelco grew. 55216 Ingelheim, 3M Co"
    doc = _doc_with_ents(blank_nlp, text, [("Merck", "PARTNER", 0), ("Kelco", "OFFICER", 0), ("Ann Lee", "OFFICER", 0),
                                           ("Lee", "OFFICER", 1), ("Young", "OFFICER", 0), ("Brown", "OFFICER", 0),
                                           ("Kelco", "OFFICER", 1), ("55216 Ingelheim", "PARTNER", 0), ("3M Co", "PARTNER", 0)])
    # and an address is no partner
    assert [e.text for e in rules(doc).ents] == ["Merck", "Ann Lee", "Lee", "Young", "Brown", "3M Co"]


def test_rules_drop_mentions_made_only_of_common_words(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False})
    text = ("Extended Territory rights went to Acme. Supply of AB-1 is BUT DELAYED, said Professor Young. "
            "Plasma Therapeutics signed; the Investment Community noticed. Dr. Plasma spoke.")
    doc = _doc_with_ents(blank_nlp, text, [("Extended", "PARTNER", 0), ("Acme", "PARTNER", 0), ("Supply", "PARTNER", 0),
                                           ("AB-1", "DRUG", 0), ("BUT", "PARTNER", 0), ("DELAYED", "DRUG", 0),
                                           ("Professor", "OFFICER", 0), ("Young", "OFFICER", 0),
                                           ("Plasma Therapeutics", "PARTNER", 0), ("Investment Community", "PARTNER", 0),
                                           ("Plasma", "OFFICER", 1)])
    # vocabulary goes; a company word keeps `Plasma Therapeutics`, a title keeps `Dr. Plasma`
    assert [e.text for e in rules(doc).ents] == ["Acme", "AB-1", "Young", "Plasma Therapeutics", "Plasma"]
    off = blank_nlp.add_pipe("immunoextract_entity_rules", name="off",
                             config={"vote_labels": False, "drop_common_words": False, "drop_filing_words": False})
    assert [e.text for e in off(_doc_with_ents(blank_nlp, text, [("Supply", "PARTNER", 0)])).ents] == ["Supply"]


def test_filing_words_drop_partner_and_officer_mentions_only(tmp_path, blank_nlp):
    (tmp_path / "common_words.txt").write_text("supply\n")
    (tmp_path / "filing_words.txt").write_text("# header\nadditionally\ndivision\nplasma\n")
    config = {"vote_labels": False, "lexicon_dir": str(tmp_path)}
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config=config)
    text = "Additionally, Acme named Division head Ann Lee. Division is a drug; Supply rose; Plasma Pharma AG signed."
    spans = [("Additionally", "PARTNER", 0), ("Acme", "PARTNER", 0), ("Division", "OFFICER", 0), ("Ann Lee", "OFFICER", 0),
             ("Division", "DRUG", 1), ("Supply", "DRUG", 0), ("Plasma Pharma AG", "PARTNER", 0)]
    # a DRUG is checked against the corpus list only (filings write drug names in lower case)
    assert [e.text for e in rules(_doc_with_ents(blank_nlp, text, spans)).ents] == ["Acme", "Ann Lee", "Division", "Plasma Pharma AG"]
    # (`drop_patterns` off too: it drops a one-word OFFICER that follows no title)
    off = blank_nlp.add_pipe("immunoextract_entity_rules", name="off",
                             config={**config, "drop_filing_words": False, "drop_patterns": False})
    assert [e.text for e in off(_doc_with_ents(blank_nlp, text, spans)).ents] == [
        "Additionally", "Acme", "Division", "Ann Lee", "Division", "Plasma Pharma AG"]


def test_shipped_filing_words_hold_no_name_of_the_schema_examples():
    from immunoextract.pipeline.entity_rules import load_filing_words

    words = load_filing_words()
    assert {"additionally", "division"} <= words
    names = ["cantuzumab", "mertansine", "huc242", "canag", "immunogen", "genentech", "glaxosmithkline", "mitchel",
             "sayare", "trastuzumab", "maytansine", "ketamine", "british", "millennium", "abgenix"]
    assert not words & set(names)
    # `biotech` is vocabulary, but a company word keeps `British Biotech` a name
    assert only_common_words("British Biotech", words | {"british"}, COMPANY_NAME_WORDS) is False


def test_common_words_hold_no_name_of_the_schema_examples():
    common = load_common_words()
    assert {"supply", "extended", "investment", "delayed"} <= common
    names = ["cantuzumab", "mertansine", "huc242", "canag", "immunogen", "genentech", "glaxosmithkline", "mitchel",
             "sayare", "trastuzumab", "maytansine", "ketamine", "inc", "therapeutics"]
    assert not common & set(names)


def test_non_entity_lexicon_names_no_entity_of_the_schema_examples():
    lexicon = load_non_entities()
    assert {"fda", "nasdaq", "osteoarthritis", "texas"} <= lexicon
    schema_examples = ["cantuzumab mertansine", "huc242", "canag", "her2", "cd44v6", "immunogen", "genentech",
                       "glaxosmithkline", "mitchel sayare", "dm1", "maytansine", "trastuzumab"]
    assert not lexicon & set(schema_examples)


def test_rules_survive_a_saved_pipeline(tmp_path, blank_nlp):
    blank_nlp.add_pipe("immunoextract_entity_rules", config={"vote_labels": False})
    blank_nlp.to_disk(tmp_path / "p")
    nlp = spacy.load(tmp_path / "p")
    assert nlp.get_pipe("immunoextract_entity_rules").vote_labels is False


def test_rules_strip_titles_and_find_later_surname_mentions(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules")
    text = "Acme named David A Hollander as CMO. Mr. Hollander joins from Allergan. Hollander said so."
    doc = _doc_with_ents(blank_nlp, text, [("David A Hollander", "OFFICER", 0), ("Mr. Hollander", "OFFICER", 0)], scores=[0.8, 0.6])
    doc = rules(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("David A Hollander", "OFFICER"), ("Hollander", "OFFICER"), ("Hollander", "OFFICER")]
    assert doc._.entity_scores == [0.8, 0.6, 0.8]


def test_rules_take_no_suffix_for_a_surname(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules")
    text = "Acme named Robert Smith III and John Doe Jr. to its board. III and Jr. are suffixes; Doe agreed."
    doc = _doc_with_ents(blank_nlp, text, [("Robert Smith III", "OFFICER", 0), ("John Doe Jr.", "OFFICER", 0)])
    doc = rules(doc)
    assert [e.text for e in doc.ents] == ["Robert Smith III", "John Doe Jr."]


def test_rules_find_a_found_name_at_its_other_whole_word_occurrences(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"drop_common_words": False, "drop_filing_words": False})
    text = ('Burroughs Wellcome Co. ("BW") sells CYTOGAM with GS. BW and NRx buy CYTOGAM, not CYTOGAM-X; '
            'nrx and GS differ.\nNRx\nPharma licensed it. NRx Pharma agreed.')
    spans = [("Burroughs Wellcome Co.", "PARTNER", 0), ("BW", "PARTNER", 0), ("CYTOGAM", "DRUG", 0),
             ("GS", "PARTNER", 0), ("NRx", "PARTNER", 0), ("NRx\nPharma", "PARTNER", 0)]
    doc = rules(_doc_with_ents(blank_nlp, text, spans, scores=[0.9, 0.8, 0.7, 0.6, 0.5, 0.4]))
    # a defined two-letter name is propagated, an undefined one (`GS`) is not; `CYTOGAM-X` and lower-case
    # `nrx` are other words; a name broken over a line is found written on one line
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Burroughs Wellcome Co.", "PARTNER"), ("BW", "PARTNER"), ("CYTOGAM", "DRUG"), ("GS", "PARTNER"),
        ("BW", "PARTNER"), ("NRx", "PARTNER"), ("CYTOGAM", "DRUG"), ("NRx\nPharma", "PARTNER"), ("NRx Pharma", "PARTNER")]
    assert doc._.entity_scores == [0.9, 0.8, 0.7, 0.6, 0.8, 0.5, 0.7, 0.4, 0.4]
    off = blank_nlp.add_pipe("immunoextract_entity_rules", name="off", config={"propagate_names": False, "drop_common_words": False})
    assert len(off(_doc_with_ents(blank_nlp, text, spans)).ents) == len(spans)


def test_rules_take_the_head_of_a_partner_name_for_that_partner(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"propagate_names": False})
    text = "NRx Pharmaceuticals, Inc. said NRx will file. PSMA Development Company targets PSMA. Gencaro is a drug of ARCA."
    spans = [("NRx Pharmaceuticals, Inc.", "PARTNER", 0), ("NRx", "TARGET", 1), ("PSMA Development Company", "PARTNER", 0),
             ("PSMA", "TARGET", 1), ("Gencaro", "DRUG", 0), ("ARCA", "PARTNER", 0)]
    doc = rules(_doc_with_ents(blank_nlp, text, spans))
    # `NRx` heads a partner's name; `PSMA` is written as targets are; `Gencaro` heads no partner's name
    assert [e.label_ for e in doc.ents] == ["PARTNER", "PARTNER", "PARTNER", "TARGET", "DRUG", "PARTNER"]
    off = blank_nlp.add_pipe("immunoextract_entity_rules", name="off", config={"partner_heads": False, "propagate_names": False})
    assert [e.label_ for e in off(_doc_with_ents(blank_nlp, text, spans)).ents][1] == "TARGET"


def test_rules_take_a_partner_name_with_a_glued_s_for_that_partner(blank_nlp):
    rules = blank_nlp.add_pipe("immunoextract_entity_rules", config={"propagate_names": False, "vote_labels": False})
    text = "CEL-SCI said the work at CEL-SCIs laboratory used CEL-4000s and CEL-4000."
    spans = [("CEL-SCI", "PARTNER", 0), ("CEL-SCIs", "DRUG", 0), ("CEL-4000s", "DRUG", 0), ("CEL-4000", "DRUG", 1)]
    # `CEL-SCIs` is the partner's possessive without an apostrophe; a product's plural stays a product
    assert [e.label_ for e in rules(_doc_with_ents(blank_nlp, text, spans)).ents] == ["PARTNER", "PARTNER", "DRUG", "DRUG"]
