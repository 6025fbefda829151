"""Bad input on the command line: one clear line per problem, exit 1, never a traceback, good input still done."""
import json
import subprocess
import sys

from immunoextract.data.schema import read_jsonl


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "immunoextract", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_extract_reports_each_bad_input_and_processes_the_rest(tmp_path, fixtures_dir):
    good = {"id": "ok-1", "text": "Acme Biologics, Inc. said today that it has licensed AB-101 to Zeta Pharma AG.", "meta": {"k": 1}, "note": "kept"}
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps(good) + "\n{broken\n" + json.dumps({"id": "bad", "text": "x", "entities": [{"id": "T1", "start": 0, "end": 9, "label": "DRUG"}]}) + "\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "out.jsonl"
    result = run("extract", str(mixed), str(empty), str(fixtures_dir / "filings" / "binary.bin"), str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 5, result.stderr
    assert "Traceback" not in result.stderr
    assert any("mixed.jsonl:2" in e and "malformed JSON" in e for e in errors)
    assert any("mixed.jsonl:3" in e and "'bad'" in e and "out of range" in e for e in errors)
    assert any("empty.txt" in e for e in errors) and any("binary.bin" in e for e in errors) and any("missing.txt" in e for e in errors)
    docs = list(read_jsonl(out))
    assert [d.id for d in docs] == ["ok-1"] and docs[0].text == good["text"] and docs[0].meta == {"k": 1}
    assert json.loads(out.read_text())["note"] == "kept"


def test_cli_evaluate_and_read_bad_input(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "d", "text": "Acme"}) + "\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "other", "text": "Acme"}) + "\n")
    result = run("evaluate", str(pred), str(gold))
    assert result.returncode == 1 and result.stderr.strip().startswith("error: ") and "no prediction" in result.stderr
    assert "Traceback" not in result.stderr
    result = run("evaluate", str(tmp_path / "nothing.jsonl"), str(gold))
    assert result.returncode == 1 and "no such predictions file" in result.stderr
