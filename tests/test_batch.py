"""Batch extraction: engines agree, reruns resume, failures are recorded, tables join on doc_id."""
import json
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from immunoextract.batch import (
    TABLES,
    annotate_guarded,
    done_ids,
    expand_inputs,
    in_order,
    run_batch,
    write_tables,
)
from immunoextract.data.schema import Document, read_jsonl
from immunoextract.errors import InputError

BATCH = Path(__file__).resolve().parent / "fixtures" / "batch"
GOOD = [BATCH / "filings", BATCH / "records.jsonl"]


@Language.component("test_batch_explode")
def _explode(doc):
    if "EXPLODE" in doc.text:
        raise RuntimeError("the test component refuses this text")
    return doc


@pytest.fixture
def exploding_nlp(blank_nlp):
    blank_nlp.add_pipe("test_batch_explode")
    return blank_nlp


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    yield ray
    ray.shutdown()


def _lines(path: Path):
    return path.read_text(encoding="utf-8").splitlines()


def _ids(path: Path):
    return [json.loads(line)["id"] for line in _lines(path)]


def test_batch_expand_inputs_walks_dirs_globs_once(tmp_path):
    found = expand_inputs([BATCH / "filings", str(BATCH / "filings" / "*.txt"), tmp_path / "missing.txt"])
    paths = [p for p in found if isinstance(p, Path)]
    assert [p.name for p in paths] == ["exhibit_2006.html", "release_2005_07.txt", "release_2004_03.txt", "submission_2008.txt"]
    assert isinstance(found[-1], InputError) and "missing.txt" in str(found[-1])
    pattern = expand_inputs([str(tmp_path / "*.nothing")])
    assert len(pattern) == 1 and isinstance(pattern[0], InputError)


def test_batch_in_order_restores_input_order():
    assert list(in_order([(3, "c"), (1, "a"), (2, "b")], [1, 2, 3])) == [(1, "a"), (2, "b"), (3, "c")]


def test_batch_pipeline_failure_costs_one_document(exploding_nlp):
    docs = [Document(id=f"d{i}", text=f"Text number {i}." + (" EXPLODE" if i == 2 else "")) for i in range(5)]
    results = list(annotate_guarded(exploding_nlp, enumerate(docs), batch_size=2))
    assert [index for index, _ in results] == [0, 1, 2, 3, 4]
    failed = [r for _, r in results if not isinstance(r, Document)]
    assert len(failed) == 1 and failed[0].doc_id == "d2" and "refuses" in failed[0].message


def test_batch_bad_inputs_land_in_errors(tmp_path, exploding_nlp):
    exploding = tmp_path / "exploding.jsonl"
    exploding.write_text(json.dumps({"id": "boom", "text": "Acme Pharma will EXPLODE here."}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([BATCH, exploding], out, nlp=exploding_nlp)
    assert summary.done == 7 and summary.errors == 3
    import pandas as pd

    errors = pd.read_parquet(out / "errors.parquet")
    assert set(errors["stage"]) == {"read", "pipeline"}
    assert any(p.endswith("scan.pdf") for p in errors["path"].dropna())
    assert "broken-1" in set(errors["doc_id"].dropna()) and "boom" in set(errors["doc_id"].dropna())
    assert "boom" not in _ids(out / "documents.jsonl")


def test_batch_resume_skips_done_documents(tmp_path, blank_nlp):
    out = tmp_path / "out"
    first = run_batch([BATCH / "records.jsonl"], out, nlp=blank_nlp)
    assert first.done == 2
    # an interrupted run leaves a line cut short; the rerun removes it and resumes
    with (out / "documents.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"id": "half-writ')
    second = run_batch(GOOD, out, nlp=blank_nlp)
    assert second.skipped == 2 and second.done == 5
    ids = _ids(out / "documents.jsonl")
    assert ids[:2] == ["note-001", "note-002"] and len(ids) == len(set(ids)) == 7
    third = run_batch(GOOD, out, nlp=blank_nlp)
    assert third.done == 0 and third.skipped == 7
    assert done_ids(out / "documents.jsonl") == set(ids)


def test_batch_duplicate_ids_are_errors(tmp_path, blank_nlp):
    copy = tmp_path / "copy" / "records.jsonl"
    copy.parent.mkdir()
    shutil.copy(BATCH / "records.jsonl", copy)
    summary = run_batch([BATCH / "records.jsonl", copy], tmp_path / "out", nlp=blank_nlp)
    assert summary.done == 2 and summary.errors == 2


@pytest.mark.slow
def test_batch_tables_join_on_doc_id(tmp_path, shipped_nlp):
    import pandas as pd

    out = tmp_path / "out"
    run_batch(GOOD, out, nlp=shipped_nlp)
    tables = {name: pd.read_parquet(out / f"{name}.parquet") for name in TABLES}
    documents = tables["documents"]
    assert list(documents["doc_id"]) == _ids(out / "documents.jsonl")
    assert documents["doc_id"].is_unique
    assert documents["source_path"].notna().all()
    for name in ("entities", "relations", "events", "facts"):
        assert set(tables[name]["doc_id"]) <= set(documents["doc_id"]), name
    entities = tables["entities"].merge(documents[["doc_id", "n_entities"]], on="doc_id")
    counts = entities.groupby("doc_id").size()
    assert (counts == entities.groupby("doc_id")["n_entities"].first()).all()
    assert len(tables["entities"]) == documents["n_entities"].sum() > 0
    by_doc = {d.id: d for d in read_jsonl(out / "documents.jsonl")}
    for row in tables["entities"].itertuples():
        doc = by_doc[row.doc_id]
        assert doc.text[row.start : row.end] == row.text
    # rebuilding gives the same tables
    write_tables(out)
    assert pd.read_parquet(out / "entities.parquet").equals(tables["entities"])


@pytest.mark.slow
def test_batch_local_and_ray_agree(tmp_path, shipped_model, local_ray):
    inputs = [BATCH / "filings" / "nested", BATCH / "filings" / "submission_2008.txt", BATCH / "records.jsonl", BATCH / "bad"]
    local = run_batch(inputs, tmp_path / "local", model=str(shipped_model), engine="local", batch_size=4)
    ray_run = run_batch(inputs, tmp_path / "ray", model=str(shipped_model), engine="ray", workers=2, batch_size=2)
    assert local.done == ray_run.done == 5 and local.errors == ray_run.errors == 2
    assert (tmp_path / "local" / "documents.jsonl").read_bytes() == (tmp_path / "ray" / "documents.jsonl").read_bytes()
    assert (tmp_path / "local" / "errors.jsonl").read_bytes() == (tmp_path / "ray" / "errors.jsonl").read_bytes()
    assert local_ray.is_initialized()  # a Ray started by the caller is left running


@pytest.mark.slow
def test_batch_cli_writes_outputs(tmp_path, shipped_model):
    from typer.testing import CliRunner

    from immunoextract.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["batch", str(BATCH / "records.jsonl"), "-o", str(out), "--model", str(shipped_model), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert _ids(out / "documents.jsonl") == ["note-001", "note-002"]
    assert all((out / f"{name}.parquet").exists() for name in TABLES)
    record = json.loads(_lines(out / "documents.jsonl")[0])
    assert "facts" in record and record["meta"]["date"] == "2007-05-14"
