"""Conversions: schema -> format -> schema is the identity where the format holds everything; losses are warned."""
import json
import warnings
from pathlib import Path

import pytest

from immunoextract.convert import (
    FORMATS,
    documents_equal,
    from_label_studio,
    guess_format,
    normalize_format,
    read_documents,
    to_label_studio,
    write_documents,
)
from immunoextract.data.schema import document_to_dict, read_jsonl
from immunoextract.errors import ImmunoextractWarning, InputError, SchemaError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MIXED = FIXTURES / "convert" / "mixed.jsonl"  # gold records, and one predicted record with scores and extra keys
LOSSLESS = ("jsonl", "prodigy-rel", "label-studio", "docbin")
SUFFIX = {"docbin": ".spacy", "label-studio": ".json"}


def _round_trip(src: Path, fmt: str, tmp_path: Path):
    middle = tmp_path / f"out{SUFFIX.get(fmt, '.jsonl')}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_documents(read_jsonl(src), middle, fmt)
    return list(read_documents(middle, fmt)), [w for w in caught if issubclass(w.category, ImmunoextractWarning)], middle


@pytest.mark.parametrize("fmt", LOSSLESS)
def test_convert_round_trip_is_identity(tmp_path, fmt):
    back, caught, _ = _round_trip(MIXED, fmt, tmp_path)
    gold = list(read_jsonl(MIXED))
    assert [document_to_dict(d) for d in back] == [document_to_dict(d) for d in gold]
    assert not caught


@pytest.mark.shared
@pytest.mark.parametrize("fmt", LOSSLESS)
def test_convert_round_trip_on_dev(tmp_path, dev_files, fmt):
    dev = next((p for p in dev_files if p.name == "dev.jsonl"), dev_files[0])
    back, caught, _ = _round_trip(dev, fmt, tmp_path)
    gold = list(read_jsonl(dev))
    assert len(back) == len(gold)
    assert all(documents_equal(a, b) for a, b in zip(back, gold))
    assert not caught


def test_convert_prodigy_ner_keeps_entities_and_warns(tmp_path):
    back, caught, middle = _round_trip(MIXED, "prodigy-ner", tmp_path)
    gold = list(read_jsonl(MIXED))
    for a, b in zip(back, gold):
        assert [(e.id, e.start, e.end, e.label, e.score) for e in a.entities] == [(e.id, e.start, e.end, e.label, e.score) for e in b.entities]
        assert not a.events and not a.relations
    assert len(caught) == 1 and "events" in str(caught[0].message) and "relations" in str(caught[0].message)
    task = json.loads(middle.read_text().splitlines()[0])
    assert set(task) >= {"text", "tokens", "spans"}
    for span in task["spans"]:  # token indices agree with the character offsets
        tokens = task["tokens"]
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]


def test_convert_prodigy_rel_relations_point_at_span_ends(tmp_path):
    _, _, middle = _round_trip(MIXED, "prodigy-rel", tmp_path)
    task = json.loads(middle.read_text().splitlines()[1])
    for rel in task["relations"]:
        assert rel["head"] == rel["head_span"]["token_end"] and rel["child"] == rel["child_span"]["token_end"]
    assert {s["label"] for s in task["spans"]} >= {"LICENSE", "DRUG", "PARTNER"}


def test_convert_doccano_drops_events_with_a_warning(tmp_path):
    back, caught, middle = _round_trip(MIXED, "doccano", tmp_path)
    gold = list(read_jsonl(MIXED))
    for a, b in zip(back, gold):
        assert [(e.id, e.start, e.end, e.label) for e in a.entities] == [(e.id, e.start, e.end, e.label) for e in b.entities]
        kept = [(r.head, r.tail, r.label) for r in b.relations if r.label not in ("PRODUCT", "PARTY")]
        assert [(r.head, r.tail, r.label) for r in a.relations] == kept
        assert not a.events
    message = str(caught[0].message)
    assert len(caught) == 1 and "events" in message and "event arguments" in message and "scores" in message
    record = json.loads(middle.read_text().splitlines()[1])
    assert record["label"][0] == [record["entities"][0]["start_offset"], record["entities"][0]["end_offset"], record["entities"][0]["label"]]
    assert {"from_id", "to_id", "type"} <= set(record["relations"][0])


def test_convert_doccano_reads_sequence_labels_only():
    from immunoextract.convert import from_doccano

    doc = from_doccano({"text": "Acme licensed Zelmab.", "label": [[0, 4, "PARTNER"], [14, 20, "DRUG"]]})
    assert [(e.id, doc.span_text(e), e.label) for e in doc.entities] == [("T1", "Acme", "PARTNER"), ("T2", "Zelmab", "DRUG")]


def test_convert_label_studio_task_shape():
    doc = next(d for d in read_jsonl(MIXED) if d.id == "bwt-2004-03-predicted")
    task = to_label_studio(doc, 7)
    result = task["annotations"][0]["result"]
    regions = [r for r in result if r["type"] == "labels"]
    links = [r for r in result if r["type"] == "relation"]
    assert task["id"] == 7 and task["data"]["text"] == doc.text
    assert {r["id"] for r in regions} == {e.id for e in doc.entities} | {e.id for e in doc.events}
    assert {r["from_name"] for r in regions} == {"label", "event"}
    assert len(links) == len(doc.relations) and all(l["labels"] for l in links)
    assert documents_equal(from_label_studio(task), doc)


def test_convert_label_studio_reads_left_relations():
    task = {"data": {"text": "Zelmab is licensed to Acme."}, "annotations": [{"result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 6, "labels": ["DRUG"]}},
        {"id": "b", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 22, "end": 26, "labels": ["PARTNER"]}},
        {"from_id": "b", "to_id": "a", "type": "relation", "direction": "left", "labels": ["LICENSED_TO"]},
    ]}]}
    doc = from_label_studio(task)
    assert [(r.head, r.tail, r.label) for r in doc.relations] == [("a", "b", "LICENSED_TO")]


def test_convert_rejects_invalid_input(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "short", "label": [[0, 50, "DRUG"]]}) + "\n")
    with pytest.raises(SchemaError):
        list(read_documents(bad, "doccano"))
    with pytest.raises(InputError):
        normalize_format("brat")


def test_convert_format_names():
    assert normalize_format("Label_Studio") == "label-studio" and normalize_format("spacy") == "docbin"
    assert guess_format("x.spacy") == "docbin" and guess_format("x.json") == "label-studio" and guess_format("x.jsonl") == "jsonl"
    assert set(FORMATS) == {"jsonl", "prodigy-ner", "prodigy-rel", "label-studio", "doccano", "docbin"}


def test_convert_cli(tmp_path):
    from typer.testing import CliRunner

    from immunoextract.cli import app

    runner = CliRunner()
    out = tmp_path / "tasks.json"
    result = runner.invoke(app, ["convert", str(MIXED), str(out), "--from", "jsonl", "--to", "label-studio"])
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.jsonl"
    result = runner.invoke(app, ["convert", str(out), str(back)])  # formats from the suffixes
    assert result.exit_code == 0, result.output
    assert [document_to_dict(d) for d in read_jsonl(back)] == [document_to_dict(d) for d in read_jsonl(MIXED)]
    result = runner.invoke(app, ["convert", str(MIXED), str(tmp_path / "d.jsonl"), "--to", "doccano"])
    assert result.exit_code == 0 and "dropped" in result.output
