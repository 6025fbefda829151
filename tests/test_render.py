"""HTML rendering: displaCy marks for entities and events, labelled arcs, checked in real headless Chromium."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from immunoextract.data.schema import Document, Entity, Event, Relation, read_jsonl
from immunoextract.errors import InputError
from immunoextract.render import arc_groups, ent_markup, render_document, select_document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ANNOTATED = FIXTURES / "timeline" / "annotated.jsonl"
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium") or "") if p and Path(p).exists()), None)


@pytest.fixture(scope="module")
def licence_doc() -> Document:
    return next(d for d in read_jsonl(ANNOTATED) if d.id == "bwt-2004-03")


def _overlapping() -> Document:
    text = "Acme Bio won FDA approval for Zelmab today."
    start = text.index("FDA approval")
    return Document(
        id="overlap", text=text,
        entities=[Entity("T1", 0, 8, "PARTNER"), Entity("T2", text.index("Zelmab"), text.index("Zelmab") + 6, "DRUG")],
        # the event trigger runs over the drug name
        events=[Event("E1", start, text.index(" today"), "REGULATORY")],
        relations=[Relation("E1", "T2", "PRODUCT"), Relation("E1", "T1", "PARTY")],
    )


def test_render_ent_markup_cuts_events_around_entities():
    doc = _overlapping()
    spans = [(doc.text[e["start"] : e["end"]], e["label"]) for e in ent_markup(doc)["ents"]]
    assert spans == [("Acme Bio", "PARTNER"), ("FDA approval for", "REGULATORY"), ("Zelmab", "DRUG")]


def test_render_arcs_point_from_head_to_tail(licence_doc):
    groups = arc_groups(licence_doc)
    assert len(groups) == 2  # one per sentence with relations
    first = groups[0]
    words = [w["text"] for w in first["words"]]
    assert words == ["Brightwater Therapeutics", "licensed", "korvatuzumab", "BWT-220", "Haldane Pharma"]
    alias = next(a for a in first["arcs"] if a["label"] == "ALIAS_OF")  # BWT-220 -> korvatuzumab: right to left
    assert (alias["start"], alias["end"], alias["dir"]) == (2, 3, "left")
    product = next(a for a in first["arcs"] if a["label"] == "PRODUCT")  # licensed -> korvatuzumab
    assert (product["start"], product["end"], product["dir"]) == (1, 2, "right")


def test_render_page_has_marks_arcs_and_facts(licence_doc):
    page = render_document(licence_doc)
    assert page.count('class="entity"') == len(licence_doc.entities) + len(licence_doc.events)
    for label in ("LICENSED_TO", "ALIAS_OF", "PRODUCT", "PARTY", "DEVELOPS"):
        assert f">{label}</textPath>" in page
    assert "Relation facts" in page and "Event facts" in page


def test_render_select_document(licence_doc):
    docs = list(read_jsonl(ANNOTATED))
    assert select_document(docs, index=-1).id == docs[-1].id
    assert select_document(docs, doc_id="bwt-2004-03").id == "bwt-2004-03"
    with pytest.raises(InputError):
        select_document(docs, index=10)
    with pytest.raises(InputError):
        select_document(docs, doc_id="nope")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
def test_render_cli_page_in_headless_chromium(tmp_path, licence_doc):
    from typer.testing import CliRunner

    from immunoextract.cli import app

    page = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["render", str(ANNOTATED), "--id", "bwt-2004-03", "-o", str(page)])
    assert result.exit_code == 0, result.output
    profile = tmp_path / "chromium-profile"
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--dump-dom", page.resolve().as_uri(),
    ]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
    assert "<body" in dom, "Chromium printed no DOM"
    marks = re.findall(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span', dom, flags=re.S)
    assert {"korvatuzumab", "BWT-220", "Haldane Pharma", "licensed"} <= {m.strip() for m in marks}
    labels = re.findall(r"<textPath[^>]*>([A-Z_]+)</textPath>", dom)
    assert {"LICENSED_TO", "ALIAS_OF", "PRODUCT", "PARTY"} <= set(labels)
    assert len(labels) == len(licence_doc.relations)


@pytest.mark.slow
def test_render_cli_extracts_a_filing_first(tmp_path, shipped_model):
    from typer.testing import CliRunner

    from immunoextract.cli import app

    filing = FIXTURES / "batch" / "filings" / "release_2004_03.txt"
    page = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["render", str(filing), "--model", str(shipped_model), "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "release_2004_03" in html and 'class="entity"' in html
