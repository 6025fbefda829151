"""Product timelines: aliases merged across documents, date order, evidence, every output format."""
import csv
import json
from pathlib import Path

import pytest

from immunoextract.batch import annotated_documents
from immunoextract.data.facts import facts_record
from immunoextract.data.schema import read_jsonl, write_jsonl
from immunoextract.timeline import parse_date, sentence_around, timeline_rows, write_timeline

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ANNOTATED = FIXTURES / "timeline" / "annotated.jsonl"


@pytest.fixture(scope="module")
def rows():
    return timeline_rows(read_jsonl(ANNOTATED))


def _story(rows, product):
    return [(r.date, r.event_type, r.party) for r in rows if r.product == product]


def test_timeline_merges_aliases_across_documents(rows):
    assert {r.product for r in rows} == {"korvatuzumab", "BWT-310"}
    korva = [r for r in rows if r.product == "korvatuzumab"]
    assert all(r.aliases == ["BWT-220"] for r in korva)
    # the release that only says "BWT-220" joins korvatuzumab through the alias given in another release
    assert {r.doc_id for r in korva} == {"bwt-2004-03", "bwt-2005-07", "bwt-2006-11"}


def test_timeline_rows_in_date_order(rows):
    assert _story(rows, "korvatuzumab") == [
        ("2004-03-08", "LICENSE", "Haldane Pharma"),
        ("2004-03-08", "LICENSE", "Brightwater Therapeutics"),
        ("2005-07-19", "TERMINATION", "Haldane Pharma"),
        ("2005-07-19", "TERMINATION", "Brightwater Therapeutics"),
        ("2006-11-02", "REGULATORY", None),
    ]
    assert _story(rows, "BWT-310")[-1] == (None, "MILESTONE", "Brightwater Therapeutics")  # undated last


def test_timeline_rows_carry_evidence(rows):
    regained = next(r for r in rows if r.trigger == "regained")
    assert regained.evidence == "Brightwater Therapeutics said it regained all rights to BWT-220."
    assert regained.doc_id == "bwt-2005-07"


@pytest.mark.parametrize(
    "text,trigger,expected",
    [
        ("Acme, Inc. (Nasdaq: ACME) licensed AC-12. Then more.", "licensed", "Acme, Inc. (Nasdaq: ACME) licensed AC-12."),
        ("First one.\n\nJohn Q. Public approved it today! Next.", "approved", "John Q. Public approved it today!"),
        ("It ended. Zelmab was approved. More.", "Zelmab", "Zelmab was approved."),
    ],
)
def test_timeline_sentence_around(text, trigger, expected):
    start = text.index(trigger)
    assert sentence_around(text, start, start + len(trigger)) == expected


def test_timeline_parse_date():
    assert str(parse_date("2003-01-24")) == "2003-01-24"
    assert str(parse_date("2003")) == "2003-01-01"
    assert parse_date("soon") is None and parse_date(None) is None


@pytest.mark.parametrize("fmt", ["csv", "json", "png", "html"])
def test_timeline_writes_each_format(tmp_path, rows, fmt):
    path = write_timeline(rows, tmp_path / f"timeline.{fmt}")
    data = path.read_bytes()
    if fmt == "csv":
        table = list(csv.DictReader(path.open(encoding="utf-8")))
        assert len(table) == len(rows) and table[0]["product"] == rows[0].product
        assert set(table[0]) >= {"product", "aliases", "date", "event_type", "party", "doc_id", "evidence"}
    elif fmt == "json":
        records = json.loads(data)
        assert records[2]["aliases"] == ["BWT-220"] and records[2]["event_type"] == "LICENSE"
    elif fmt == "png":
        assert data.startswith(b"\x89PNG") and len(data) > 5000
    else:
        page = data.decode("utf-8")
        assert "korvatuzumab" in page and "<mark>regained</mark>" in page and "<svg" in page


def test_timeline_cli_takes_extracted_records_without_a_model(tmp_path):
    from typer.testing import CliRunner

    from immunoextract.cli import app

    docs = list(read_jsonl(ANNOTATED))
    for doc in docs:
        doc.extra["facts"] = facts_record(doc)
    extracted = tmp_path / "extracted.jsonl"
    write_jsonl(docs, extracted)
    out = tmp_path / "timeline.json"
    # records with facts are auto-detected: the (missing) model is never loaded
    result = CliRunner().invoke(app, ["timeline", str(extracted), "-o", str(out), "--model", str(tmp_path / "no-model")])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())) == 7


def test_timeline_cli_predicted_gold(tmp_path):
    from typer.testing import CliRunner

    from immunoextract.cli import app

    out = tmp_path / "timeline.csv"
    result = CliRunner().invoke(app, ["timeline", str(ANNOTATED), "--predicted", "-o", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 7


@pytest.mark.shared
def test_timeline_seeds_cantuzumab_story(shared_dir):
    """The ImmunoGen seeds: licensed to SmithKline Beecham/GlaxoSmithKline, GSK declines, ImmunoGen regains rights."""
    seeds = shared_dir / "dev" / "seeds.jsonl"
    if not seeds.exists():
        pytest.skip(f"{seeds} is not present")
    documents, errors = annotated_documents([seeds], predicted=True, model="/nonexistent")
    assert not errors
    rows = [r for r in timeline_rows(documents) if r.product.lower() == "cantuzumab mertansine"]
    assert rows, "no timeline for cantuzumab mertansine"
    assert {"huC242-DM1", "SB-408075"} <= set(rows[0].aliases)
    story = [(r.date, r.event_type, r.party, r.trigger) for r in rows]
    licensed = {(d, p) for d, t, p, _ in story if t == "LICENSE"}
    assert {("2002-06-24", "SmithKline Beecham"), ("2002-06-24", "GlaxoSmithKline")} <= licensed
    declined = [s for s in story if s[1] == "TERMINATION" and s[2] == "GlaxoSmithKline"]
    assert declined and declined[0][0] == "2002-06-24" and "not to advance" in declined[0][3]
    regained = [s for s in story if s[1] == "TERMINATION" and s[2] and "immunogen" in s[2].lower()]
    assert regained and regained[0][0] == "2003-01-24" and regained[0][3] == "regained"
    # date order: the licence and the decline come before the regained rights
    assert story.index(declined[0]) < story.index(regained[0])
    assert max(story.index(s) for s in story if s[1] == "LICENSE") < story.index(regained[0])


@pytest.mark.slow
def test_timeline_extracts_filings_with_the_model(shipped_nlp):
    documents, errors = annotated_documents([FIXTURES / "batch" / "filings"], nlp=shipped_nlp)
    assert not errors and len(documents) == 5
    assert all("facts" in d.extra for d in documents)
    rows = timeline_rows(documents)
    assert all(r.event_type in {"LICENSE", "TERMINATION", "CLINICAL", "MILESTONE", "REGULATORY"} for r in rows)
