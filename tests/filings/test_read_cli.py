"""`immunoextract read`: output formats, type selection, one error line per failure, exit codes."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from immunoextract.cli import app
from immunoextract.data.schema import document_from_dict

runner = CliRunner()


@pytest.fixture(scope="module")
def filings_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "filings"


def test_read_cli_text_output(filings_dir: Path) -> None:
    result = runner.invoke(app, ["read", str(filings_dir / "legacy_1995.txt")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("=== legacy_1995 ===\n")
    assert "company: Bramble Therapeutics, Inc.\n" in out
    assert "date: 1995-01-05\n" in out
    assert "form:" not in out  # unknown values are left out
    assert "dazumab-PX3." in out and "<PAGE>" not in out
    assert result.stderr == ""


def test_read_cli_type_selection(filings_dir: Path) -> None:
    result = runner.invoke(app, ["read", str(filings_dir / "submission_8k.txt"), "--type", "EX-99.1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("=== ") == 1
    assert "=== 0001111111-03-000042-2 ===" in result.stdout
    result = runner.invoke(app, ["read", str(filings_dir / "submission_8k.txt"), "-t", "EX-99.1", "-t", "EX-99.2"])
    assert result.stdout.count("=== ") == 2


def test_read_cli_jsonl_output_file(filings_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    source = filings_dir / "submission_8k.txt"
    result = runner.invoke(app, ["read", str(source), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [f"0001111111-03-000042-{n}" for n in (1, 2, 3)]
    raw = source.read_text(encoding="utf-8")
    for record in records:
        doc = document_from_dict(record)  # a valid schema record
        start = doc.meta["source_offset"]
        assert raw[start : start + len(doc.text)] == doc.text  # `text` is the source text
        assert doc.entities == [] and doc.events == [] and doc.relations == []
        assert set(doc.meta) >= {"company", "date", "filing_date", "form", "exhibit_type", "sequence", "filename", "path"}
        assert all(not isinstance(v, str) or len(v) < 200 for v in doc.meta.values())
    assert records[1]["meta"]["exhibit_type"] == "EX-99.1"
    assert records[1]["meta"]["date"] == "2003-01-23"


def test_read_cli_jsonl_to_stdout(filings_dir: Path) -> None:
    result = runner.invoke(app, ["read", str(filings_dir / "exhibit.html"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    record = json.loads(line)
    assert record["id"] == "exhibit" and record["text"].startswith("<!DOCTYPE html")


def test_read_cli_reports_each_failure_and_goes_on(filings_dir: Path) -> None:
    args = ["read", str(filings_dir / "empty.txt"), str(filings_dir / "broken_submission.txt"), str(filings_dir / "exhibit.html")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    broken = filings_dir / "broken_submission.txt"
    assert errors == [
        f"error: {filings_dir / 'empty.txt'}: the file is empty",
        f"error: {broken}: 0003333333-99-000011-2: the document has no <TEXT> block",
        f"error: {broken}: 0003333333-99-000011-3: the <TEXT> block is empty",
        f"error: {broken}: 0003333333-99-000011-4: binary content (NUL or control bytes) in a document of type EX-99.4",
    ]
    assert result.stdout.count("=== ") == 3  # two good documents of the submission, and the HTML file


def test_read_cli_warns_on_truncated_document(filings_dir: Path) -> None:
    result = runner.invoke(app, ["read", str(filings_dir / "truncated_submission.txt")])
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: ")
    assert "truncated" in result.stderr
    assert result.stdout.count("=== ") == 2


def test_read_cli_rejects_unknown_format(filings_dir: Path) -> None:
    result = runner.invoke(app, ["read", str(filings_dir / "exhibit.html"), "--format", "xml"])
    assert result.exit_code == 2
    assert "error: unknown --format 'xml'" in result.stderr


def test_read_cli_as_module(filings_dir: Path, root: Path) -> None:
    missing = filings_dir / "missing.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "immunoextract", "read", str(filings_dir / "legacy_cp1252.txt"), str(missing)],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Société Lumière S.A." in proc.stdout
    assert proc.stderr.strip() == f"error: {missing}: cannot read the file: No such file or directory"
