"""The authoring format, issuer splits, consistency checks and the annotations CLI."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from immunoextract.cli import app
from immunoextract.data.authoring import parse_source, unlabelled_occurrences
from immunoextract.data.checks import check_files
from immunoextract.data.corpus import assign_splits, build_corpus, load_dataset_dict
from immunoextract.data.schema import Document, document_to_dict, write_jsonl
from immunoextract.errors import SchemaError

SOURCE = """id: acme-1
company: Acme Biologics, Inc.
issuer: Acme
%%%TEXT
[[Acme Biologics, Inc.|PARTNER|p1]] {{licensed|LICENSE|e1}} [[AB-101|DRUG|d1]] ([[acmemab|DRUG|d2]]) to [[Zeta Pharma|PARTNER|p2]]. Zeta Pharma is glad.
%%%RELATIONS
d2 ALIAS_OF d1  # alias -> name
d1 LICENSED_TO p2
e1 PRODUCT d1
e1 PARTY p1 p2
"""


def test_authoring_resolves_offsets_ids_and_relations():
    doc = parse_source(SOURCE)
    assert doc.id == "acme-1" and doc.meta == {"company": "Acme Biologics, Inc.", "issuer": "Acme"}
    assert [doc.span_text(e) for e in doc.entities] == ["Acme Biologics, Inc.", "AB-101", "acmemab", "Zeta Pharma"]
    assert doc.text.startswith("Acme Biologics, Inc. licensed AB-101 (acmemab) to Zeta Pharma.")
    assert [(r.head, r.label, r.tail) for r in doc.relations] == [
        ("T3", "ALIAS_OF", "T2"), ("T2", "LICENSED_TO", "T4"), ("E1", "PRODUCT", "T2"), ("E1", "PARTY", "T1"), ("E1", "PARTY", "T4")]


@pytest.mark.parametrize(
    "bad,message",
    [
        (SOURCE.replace("|DRUG|d1]]", "|MEDICINE|d1]]"), "unknown entity label 'MEDICINE'"),
        (SOURCE.replace("d1 LICENSED_TO p2", "d1 LICENSED_TO p9"), "unknown key 'p9'"),
        (SOURCE.replace("d1 LICENSED_TO p2", "p2 LICENSED_TO d1"), "must run DRUG -> PARTNER"),
        (SOURCE.replace("[[acmemab|DRUG|d2]]", "[[acmemab|DRUG|d1]]"), "used twice"),
        (SOURCE.replace("%%%TEXT", "%%%TXT"), "no %%%TEXT"),
    ],
)
def test_authoring_rejects_bad_sources(bad, message):
    with pytest.raises(SchemaError, match=message):
        parse_source(bad, path="bad.txt")


def test_authoring_finds_unlabelled_occurrences():
    doc = Document("x", "Acme licensed it. Acme's deal. Acmeology.", entities=[])
    doc.entities.append(__import__("immunoextract").Entity("T1", 0, 4, "PARTNER"))
    assert [(n, at) for n, _, at in unlabelled_occurrences(doc)] == [("Acme", 18)]


def _docs(issuers):
    return [Document(f"{name}-{i}", "x", meta={"issuer": name}) for name, n in issuers.items() for i in range(n)]


def test_corpus_splits_by_issuer_near_70_15_15():
    docs = _docs({f"Issuer{i}": 1 + i % 5 for i in range(60)})
    splits = assign_splits(docs)
    sizes = {s: sum(1 for d in docs if splits[d.meta["issuer"]] == s) for s in ("train", "dev", "test")}
    total = len(docs)
    assert abs(sizes["train"] / total - 0.70) < 0.05 and abs(sizes["dev"] / total - 0.15) < 0.05
    assert assign_splits(docs) == splits  # stable


def test_corpus_build_and_dataset_dict(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):
        (src / f"doc{i}.txt").write_text(SOURCE.replace("id: acme-1", f"id: acme-{i}").replace("issuer: Acme", f"issuer: Co{i % 6}"))
    counts = build_corpus(src, tmp_path / "out")
    assert sum(counts.values()) == 12
    by_issuer = {}
    for split in ("train", "dev", "test"):
        for line in (tmp_path / "out" / f"{split}.jsonl").read_text().splitlines():
            rec = json.loads(line)
            by_issuer.setdefault(rec["meta"]["issuer"], set()).add(split)
    assert all(len(s) == 1 for s in by_issuer.values())
    dd = load_dataset_dict(tmp_path / "out")
    assert sorted(dd) == ["dev", "test", "train"] and sum(d.num_rows for d in dd.values()) == 12


def test_checks_find_conflicts_and_events_without_arguments(tmp_path):
    a = parse_source(SOURCE)
    b = parse_source(SOURCE.replace("id: acme-1", "id: acme-2"))
    b.entities[3].label = "OFFICER"  # "Zeta Pharma" as OFFICER here, PARTNER in acme-1
    b.relations = [r for r in b.relations if r.label == "ALIAS_OF"]  # the event loses its arguments
    path = tmp_path / "c.jsonl"
    write_jsonl([a, b], path)
    docs, findings = check_files([path])
    codes = {(f.severity, f.code) for f in findings}
    assert ("warning", "label-conflict") in codes and ("error", "event-without-argument") in codes
    assert ("warning", "unlabelled-occurrence") in codes  # "Zeta Pharma is glad."


def test_cli_annotations_check_and_stats(tmp_path):
    path = tmp_path / "ok.jsonl"
    write_jsonl([parse_source(SOURCE)], path)
    runner = CliRunner()
    result = runner.invoke(app, ["annotations", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    bad = tmp_path / "bad.jsonl"
    rec = document_to_dict(parse_source(SOURCE))
    rec["entities"][0]["end"] = 999
    bad.write_text(json.dumps(rec) + "\n")
    result = runner.invoke(app, ["annotations", "check", str(bad)])
    assert result.exit_code == 1 and "out of range" in result.output
    result = runner.invoke(app, ["annotations", "stats", str(path), "--plot", str(tmp_path / "s.png")])
    assert result.exit_code == 0 and "PARTNER" in result.output and (tmp_path / "s.png").stat().st_size > 1000


def test_corpus_docbins_for_spacy_train(tmp_path, cleaning_nlp):
    from immunoextract.data.corpus import write_docbins
    from immunoextract.data.formats import document_from_doc, read_docbin

    src = tmp_path / "src"
    src.mkdir()
    for i in range(6):
        (src / f"doc{i}.txt").write_text(SOURCE.replace("id: acme-1", f"id: acme-{i}").replace("issuer: Acme", f"issuer: Co{i}"))
    build_corpus(src, tmp_path / "out")
    paths = write_docbins(cleaning_nlp, tmp_path / "bins", tmp_path / "out")
    docs = [d for p in paths.values() for d in read_docbin(p, cleaning_nlp.vocab)]
    assert len(docs) == 6 and all(len(d.ents) == 4 and len(d.spans["events"]) == 1 for d in docs)
    assert sorted(document_from_doc(d).id for d in docs) == [f"acme-{i}" for i in range(6)]
