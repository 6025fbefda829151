"""Shared fixtures: the project root, the `../shared` data (skipped with a reason when absent), a blank pipeline,
the shipped trained pipeline (skipped with a reason when `models/immunoextract_cpu` is absent)."""
import os
from pathlib import Path

import pytest
import spacy

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# the shipped model; IMMUNOEXTRACT_TEST_MODEL points the tests at another trained pipeline
SHIPPED_MODEL = Path(os.environ.get("IMMUNOEXTRACT_TEST_MODEL") or ROOT / "models" / "immunoextract_cpu")


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


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    """The folder of the shipped trained pipeline (for code that loads it itself, such as Ray workers)."""
    if not (SHIPPED_MODEL / "config.cfg").exists():
        pytest.skip(f"the trained pipeline {SHIPPED_MODEL} is not present (train it, or set IMMUNOEXTRACT_TEST_MODEL)")
    return SHIPPED_MODEL


@pytest.fixture(scope="session")
def shipped_nlp(shipped_model: Path):
    """The shipped trained pipeline, loaded once per test session."""
    import immunoextract

    return immunoextract.load(shipped_model)
