"""The scorer against figures computed by hand on a small gold/prediction pair."""
import pytest

from immunoextract.data.facts import Cluster, Fact, document_facts, match_facts, normalize_name
from immunoextract.data.schema import Document, Entity, Event, Relation, validate_document
from immunoextract.scoring import evaluate_documents

TEXT = "Acme Bio licensed AB-101 (acmemab) to Zeta Pharma. Zeta Pharma began a Phase 2 trial of AB-101."


def at(text, sub, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def ent(i, sub, label, nth=0):
    return Entity(i, *at(TEXT, sub, nth), label)


def gold_doc():
    doc = Document(
        "d", TEXT,
        entities=[ent("T1", "Acme Bio", "PARTNER"), ent("T2", "AB-101", "DRUG"), ent("T3", "acmemab", "DRUG"),
                  ent("T4", "Zeta Pharma", "PARTNER"), ent("T5", "Zeta Pharma", "PARTNER", 1), ent("T6", "AB-101", "DRUG", 1)],
        events=[Event("E1", *at(TEXT, "licensed"), "LICENSE"), Event("E2", *at(TEXT, "began a Phase 2 trial"), "CLINICAL")],
        relations=[Relation("T3", "T2", "ALIAS_OF"), Relation("T2", "T4", "LICENSED_TO"), Relation("E1", "T2", "PRODUCT"),
                   Relation("E1", "T1", "PARTY"), Relation("E1", "T4", "PARTY"), Relation("E2", "T6", "PRODUCT"), Relation("E2", "T5", "PARTY")],
    )
    assert not validate_document(doc)
    return doc


def pred_doc():
    doc = Document(
        "d", TEXT,
        entities=[ent("P1", "Acme Bio", "PARTNER"), ent("P2", "AB-101", "DRUG"), ent("P3", "acmemab", "DRUG"),
                  ent("P4", "Zeta Pharma", "OFFICER"), ent("P5", "Zeta", "PARTNER", 1), ent("P6", "AB-101", "DRUG", 1),
                  ent("P7", "Phase", "DRUG")],
        events=[Event("X1", *at(TEXT, "licensed AB-101"), "LICENSE"), Event("X2", *at(TEXT, "2 trial"), "REGULATORY")],
        relations=[Relation("P3", "P2", "ALIAS_OF"), Relation("X1", "P2", "PRODUCT"), Relation("X1", "P1", "PARTY"), Relation("X2", "P6", "PRODUCT")],
    )
    assert not validate_document(doc)
    return doc


def test_scoring_matches_hand_computed_figures():
    s = evaluate_documents([pred_doc()], [gold_doc()], samples=0)
    assert (s["ents_p"], s["ents_r"]) == pytest.approx((4 / 7, 4 / 6))
    assert s["ents_f"] == pytest.approx(8 / 13)
    assert s["ents_per_type"]["PARTNER"] == pytest.approx({"p": 0.5, "r": 1 / 3, "f": 0.4, "tp": 1, "fp": 1, "fn": 2})
    assert s["ents_per_type"]["DRUG"]["tp"] == 3 and s["ents_per_type"]["DRUG"]["fp"] == 1
    assert s["ents_per_type"]["OFFICER"] == pytest.approx({"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 1, "fn": 0})
    assert (s["events_p"], s["events_r"]) == pytest.approx((0.5, 0.5))
    assert (s["rels_p"], s["rels_r"]) == pytest.approx((3 / 4, 3 / 7))
    assert (s["facts_p"], s["facts_r"], s["facts_f"]) == pytest.approx((1 / 2, 1 / 4, 1 / 3))


def test_scoring_perfect_prediction_and_intervals():
    s = evaluate_documents([gold_doc()], [gold_doc()], samples=50)
    assert all(s[f"{t}_f"] == 1.0 for t in ("ents", "events", "rels", "facts"))
    assert s["intervals"]["ents_f"] == (1.0, 1.0)


def test_facts_gold_clusters_and_facts_by_hand():
    facts = document_facts(gold_doc())
    assert len(facts) == 4
    drug = next(f.head for f in facts if f.kind == "relation")
    assert drug.names == frozenset({"ab 101", "acmemab"}) and drug.display == "AB-101"
    assert sorted((f.label, f.tail.display if f.tail else None) for f in facts if f.kind == "event") == [
        ("CLINICAL", "Zeta Pharma"), ("LICENSE", "Acme Bio"), ("LICENSE", "Zeta Pharma")]


def test_facts_normalisation_folds_case_space_and_dashes():
    assert normalize_name("huC242\u2013DM1") == normalize_name("HUC242 - dm1") == "huc242 dm1"
    assert normalize_name("Boehringer\n  Ingelheim") == "boehringer ingelheim"


def test_facts_partner_of_is_symmetric_and_matching_is_one_to_one():
    a, b = Cluster("PARTNER", frozenset({"a"})), Cluster("PARTNER", frozenset({"b"}))
    gold = [Fact("relation", "PARTNER_OF", a, b)]
    assert match_facts([Fact("relation", "PARTNER_OF", b, a)], gold) == [(0, 0)]
    a2 = Cluster("PARTNER", frozenset({"a", "a inc"}))
    # two predicted facts that both match the single gold fact: only one is credited
    assert len(match_facts([Fact("relation", "PARTNER_OF", a, b), Fact("relation", "PARTNER_OF", a2, b)], gold)) == 1


def test_cli_evaluate_predictions_file_gives_the_hand_computed_figures(tmp_path):
    import json

    from typer.testing import CliRunner

    from immunoextract.cli import app
    from immunoextract.data.schema import write_jsonl

    write_jsonl([gold_doc()], tmp_path / "gold.jsonl")
    write_jsonl([pred_doc()], tmp_path / "pred.jsonl")
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.jsonl"), str(tmp_path / "gold.jsonl"), "--json", "--samples", "200"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["ents_f"] == pytest.approx(8 / 13) and scores["facts_f"] == pytest.approx(1 / 3)
    assert scores["rels_p"] == pytest.approx(3 / 4)
    lo, hi = scores["intervals"]["ents_f"]
    assert lo == pytest.approx(8 / 13) == hi  # one document: every resample is the same
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.jsonl"), str(tmp_path / "gold.jsonl")])
    assert "Entities" in result.output and "Errors" in result.output


def test_scoring_input_errors_name_the_document():
    from immunoextract.errors import InputError

    other = gold_doc()
    other.text = other.text + " "
    with pytest.raises(InputError, match="text differs"):
        evaluate_documents([other], [gold_doc()], samples=0)
    with pytest.raises(InputError, match="no prediction"):
        evaluate_documents([], [gold_doc()], samples=0)
    with pytest.raises(InputError, match="used twice"):
        evaluate_documents([pred_doc(), pred_doc()], [gold_doc()], samples=0)


def test_scoring_event_matching_is_maximal():
    text = "aaaa bbbbbbbbbb cc"
    gold = Document("d", text, events=[Event("G1", 0, 4, "LICENSE"), Event("G2", 5, 15, "LICENSE")],
                    entities=[Entity("T1", 16, 18, "DRUG")], relations=[Relation("G1", "T1", "PRODUCT"), Relation("G2", "T1", "PRODUCT")])
    pred = Document("d", text, events=[Event("P1", 0, 9, "LICENSE"), Event("P2", 10, 15, "LICENSE")],
                    entities=[Entity("T1", 16, 18, "DRUG")], relations=[Relation("P1", "T1", "PRODUCT"), Relation("P2", "T1", "PRODUCT")])
    s = evaluate_documents([pred], [gold], samples=0)
    assert s["events_f"] == 1.0 and s["rels_f"] == 1.0
