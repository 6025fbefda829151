"""The project's own corpus passes its checks and meets the minimums of the corpus issue."""
from collections import Counter
from pathlib import Path

import pytest

from immunoextract.data.checks import check_files, load_known_warnings
from immunoextract.data.corpus import corpus_files, documents_stats, issuer_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus():
    files = list(corpus_files(ROOT / "annotations").values())
    docs, findings = check_files(files)
    return docs, findings


def test_corpus_passes_checks_with_every_warning_explained(corpus):
    docs, findings = corpus
    assert [f.message for f in findings if f.severity == "error"] == []
    known = load_known_warnings(ROOT / "annotations" / "known_warnings.tsv")
    unexplained = [f.message for f in findings if f.severity == "warning" and (f.code, f.doc_id, f.text) not in known]
    assert unexplained == []


def test_corpus_meets_the_minimums(corpus):
    docs, _ = corpus
    original = [d for d in docs if not d.meta.get("augmented")]
    stats = documents_stats(original)
    assert len(original) >= 250 and sum(stats["entities"].values()) >= 6000
    for label in ("DRUG", "PARTNER", "OFFICER"):
        assert stats["entities"][label] >= 300, label
    for label in ("ANTIBODY", "TARGET"):
        assert stats["entities"][label] >= 200, label
    for label, n in stats["relations"].items():
        assert n >= (60 if label in ("ALIAS_OF", "HAS_PAYLOAD") else 100), label
    assert all(stats["events"][t] >= 80 for t in ("LICENSE", "TERMINATION", "CLINICAL", "MILESTONE", "REGULATORY"))
    assert stats["genre"]["edgar-legacy"] * 3 >= len(original) and stats["genre"]["newswire"] * 3 >= len(original)
    organisations = {" ".join(d.span_text(e).split()) for d in original for e in d.entities if e.label == "PARTNER"}
    assert len(stats["issuer"]) >= 60 and len(organisations) >= 80


def test_corpus_splits_are_disjoint_by_issuer_and_near_70_15_15(corpus):
    docs, _ = corpus
    splits = {}
    for doc in docs:
        splits.setdefault(issuer_of(doc), set()).add(doc.meta["split"])
    assert all(len(s) == 1 for s in splits.values())
    sizes = Counter(d.meta["split"] for d in docs)
    assert abs(sizes["train"] / len(docs) - 0.70) < 0.05 and abs(sizes["test"] / len(docs) - 0.15) < 0.05
