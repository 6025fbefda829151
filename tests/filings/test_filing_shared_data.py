"""The reader on the real data in `../shared`: every document reads, and every gold span survives cleaning.

Skipped, with the reason, when `../shared` is not beside the project.
"""
import json
from pathlib import Path
from typing import List

import pytest

from immunoextract.filings import Filing, read_filing, read_text

CORPUS_FILES = ("corpus/real_unannotated.jsonl", "corpus/real_10k_unannotated.jsonl")


def fold(text: str) -> str:
    return " ".join(text.split())


def check_offsets(filing: Filing) -> List[str]:
    problems: List[str] = []
    offsets, source, text = filing.offsets, filing.source_text, filing.text
    if len(offsets) != len(text) + 1 or offsets[-1] != len(source):
        problems.append(f"{filing.id}: {len(offsets)} offsets for {len(text)} characters")
    if any(a > b for a, b in zip(offsets, offsets[1:])):
        problems.append(f"{filing.id}: offsets decrease")
    for i, c in enumerate(text):
        if not c.isspace() and source[offsets[i]] != c:
            problems.append(f"{filing.id}: clean character {i} {c!r} comes from {source[offsets[i]]!r}")
            break
    return problems


def records(path: Path) -> List[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.mark.shared
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_shared_corpus_reads(shared_dir: Path, name: str) -> None:
    path = shared_dir / name
    if not path.exists():
        pytest.skip(f"{path} is not present")
    problems: List[str] = []
    docs = records(path)
    assert docs
    for record in docs:
        filing = read_text(record["text"], doc_id=record["id"], meta=record.get("meta"))
        assert filing.text, record["id"]
        problems.extend(check_offsets(filing))
    assert not problems, problems[:5]


@pytest.mark.shared
def test_shared_seed_files_read(shared_dir: Path) -> None:
    files = sorted((shared_dir / "seeds").glob("*"))
    if not files:
        pytest.skip(f"no files in {shared_dir / 'seeds'}")
    for path in files:
        (filing,) = read_filing(path)
        assert filing.text and not check_offsets(filing)
        assert "<PAGE>" not in filing.text and "-more-" not in filing.text
        assert filing.meta["date"] is not None, path.name


@pytest.mark.shared
def test_shared_gold_spans_survive_cleaning(dev_files: List[Path]) -> None:
    checked = 0
    problems: List[str] = []
    for path in dev_files:
        for record in records(path):
            filing = read_text(record["text"], doc_id=record["id"])
            for item in record.get("entities", []) + record.get("events", []):
                start, end = item["start"], item["end"]
                mention = record["text"][start:end]
                span = filing.to_clean(start, end)
                checked += 1
                if span is None:
                    problems.append(f"{path.name} {record['id']} {item['id']} {mention!r}: deleted by cleaning")
                    continue
                if fold(filing.text[span[0] : span[1]]) != fold(mention):
                    problems.append(f"{path.name} {record['id']} {item['id']} {mention!r} cleans to {filing.text[span[0]:span[1]]!r}")
                if filing.to_source(*span) != (start, end):
                    problems.append(f"{path.name} {record['id']} {item['id']} {mention!r}: maps back to {filing.to_source(*span)}")
    assert checked > 0
    assert not problems, f"{len(problems)} of {checked} gold spans: {problems[:5]}"
