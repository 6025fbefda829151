"""Shared fixtures: the project root, the `../shared` data (skipped with a reason when absent), a blank pipeline."""
from pathlib import Path

import pytest
import spacy

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "ANNOTATION_SCHEMA.md").exists():
        pytest.skip(f"the shared data folder {SHARED} is not present beside the project")
    return SHARED


@pytest.fixture(scope="session")
def dev_files(shared_dir: Path):
    files = sorted((shared_dir / "dev").glob("*.jsonl"))
    if not files:
        pytest.skip(f"no annotated files in {shared_dir / 'dev'}")
    return files


@pytest.fixture
def blank_nlp():
    """A blank English pipeline with the filing tokenizer that reads text as it is."""
    from immunoextract.pipeline.tokenizer import create_filing_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = create_filing_tokenizer(clean=False)(nlp)
    return nlp


@pytest.fixture
def cleaning_nlp():
    """A blank English pipeline whose tokenizer cleans EDGAR markup (as trained pipelines do)."""
    from immunoextract.pipeline.tokenizer import create_filing_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = create_filing_tokenizer(clean=True)(nlp)
    return nlp
