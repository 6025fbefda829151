import json

import pytest

from immunoextract.data.schema import (
    Document, Entity, Event, Relation, document_from_dict, document_to_dict, iter_jsonl, read_jsonl, validate_document, write_jsonl,
)
from immunoextract.errors import SchemaError

TEXT = "Acme Bio licensed AB-101 to Zeta Pharma."


def record(**changes):
    base = {
        "id": "d1",
        "text": TEXT,
        "meta": {"company": "Acme Bio"},
        "entities": [
            {"id": "T1", "start": 0, "end": 8, "label": "PARTNER"},
            {"id": "T2", "start": 18, "end": 24, "label": "DRUG"},
            {"id": "T3", "start": 28, "end": 39, "label": "PARTNER"},
        ],
        "events": [{"id": "E1", "start": 9, "end": 17, "type": "LICENSE"}],
        "relations": [{"head": "T2", "tail": "T3", "label": "LICENSED_TO"}, {"head": "E1", "tail": "T2", "label": "PRODUCT"}],
    }
    base.update(changes)
    return base


def test_schema_valid_record_round_trips():
    rec = record()
    doc = document_from_dict(rec)
    assert doc.span_text(doc.entities[1]) == "AB-101"
    assert document_to_dict(doc) == rec


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"entities": [{"id": "T1", "start": 0, "end": 99, "label": "PARTNER"}]}, "out of range"),
        ({"entities": [{"id": "T1", "start": 0, "end": 9, "label": "PARTNER"}]}, "white space"),
        ({"entities": [{"id": "T1", "start": 0, "end": 8, "label": "PARTNER"}, {"id": "T2", "start": 5, "end": 12, "label": "DRUG"}]}, "overlaps"),
        ({"entities": [{"id": "T1", "start": 0, "end": 8, "label": "COMPANY"}]}, "unknown label 'COMPANY'"),
        ({"relations": [{"head": "T2", "tail": "T9", "label": "LICENSED_TO"}]}, "names no entity"),
        ({"relations": [{"head": "T3", "tail": "T2", "label": "LICENSED_TO"}]}, "must run DRUG -> PARTNER"),
        ({"relations": [{"head": "T1", "tail": "T2", "label": "ALIAS_OF"}]}, "ALIAS_OF must run"),
        ({"events": [{"id": "E1", "start": 9, "end": 17, "type": "PARTY"}]}, "unknown label 'PARTY'"),
        ({"events": [{"id": "T1", "start": 9, "end": 17, "type": "LICENSE"}]}, "used twice"),
    ],
)
def test_schema_rejects_bad_records(changes, expected):
    rec = record(**changes)
    if "relations" not in changes:
        rec["relations"] = []
    with pytest.raises(SchemaError) as err:
        document_from_dict(rec, path="x.jsonl", line=3)
    assert expected in str(err.value)
    assert str(err.value).startswith("x.jsonl:3 document 'd1': ")


def test_schema_iter_jsonl_keeps_good_records_after_bad_ones(tmp_path):
    path = tmp_path / "mixed.jsonl"
    bad = record(entities=[{"id": "T1", "start": 0, "end": 99, "label": "PARTNER"}], relations=[], events=[])
    path.write_bytes(
        (json.dumps(record()) + "\n" + "{not json\n" + json.dumps(bad) + "\n").encode() + b"\xff\xfe\n" + (json.dumps(record(id="d2")) + "\n").encode()
    )
    items = list(iter_jsonl(path))
    assert [type(i).__name__ for i in items] == ["Document", "SchemaError", "SchemaError", "SchemaError", "Document"]
    assert "mixed.jsonl:2: malformed JSON" in str(items[1])
    assert "not UTF-8" in str(items[3])
    with pytest.raises(SchemaError):
        list(read_jsonl(path))
    assert [d.id for d in read_jsonl(path, on_error="skip")] == ["d1", "d2"]


def test_schema_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    with pytest.raises(SchemaError, match="empty"):
        list(read_jsonl(path))


def test_schema_extra_keys_and_scores_survive(tmp_path):
    rec = record(source="wire")
    rec["entities"][0]["score"] = 0.9
    rec["entities"][0]["note"] = "checked"
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    out = tmp_path / "y.jsonl"
    write_jsonl(read_jsonl(path), out)
    assert json.loads(out.read_text()) == rec


def test_schema_validate_document_lists_every_problem():
    doc = Document("d", "abc def", entities=[Entity("T1", 0, 3, "DRUG"), Entity("T1", 4, 7, "DRUG")], relations=[Relation("T1", "T1", "HAS_PAYLOAD")])
    problems = validate_document(doc)
    assert any("used twice" in p for p in problems)
    assert any("to itself" in p for p in problems)


@pytest.mark.parametrize(
    "entity,expected",
    [({"id": "T1", "start": False, "end": True, "label": "DRUG"}, "non-integer offsets"),
     ({"id": "T1", "start": 0, "end": 4, "label": "DRUG", "score": "high"}, "not a number"),
     ({"id": 1, "start": 0, "end": 4, "label": "DRUG"}, "must be a string")],
)
def test_schema_rejects_wrong_types(entity, expected):
    with pytest.raises(SchemaError, match=expected):
        document_from_dict({"id": "d", "text": "Acme", "entities": [entity]})


def test_schema_reading_changes_nothing_and_skips_a_bom(tmp_path):
    rec = {"id": "d", "text": "Acme", "meta": None, "entities": [{"id": "T1", "start": 0, "end": 4, "label": "PARTNER", "score": 0.123456789}], "events": [], "relations": []}
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(rec).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    write_jsonl(read_jsonl(path), out)
    assert json.loads(out.read_text()) == rec
    bad = tmp_path / "surrogate.jsonl"
    bad.write_text('{"id": "s", "text": "Acme \\ud83e"}\n')
    with pytest.raises(SchemaError, match="unpaired surrogate U\\+D83E at offset 5"):
        list(read_jsonl(bad))
