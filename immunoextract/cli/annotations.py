"""`immunoextract annotations build|check|stats`: keep the corpus consistent and see what it holds."""
from pathlib import Path
from typing import List, Optional

import typer
from wasabi import Printer

from ._util import app, fail

annotations_app = typer.Typer(help="Build, check and count an annotated corpus.", no_args_is_help=True)
app.add_typer(annotations_app, name="annotations")


def _jsonl_files(paths: List[Path]) -> List[Path]:
    files: List[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.jsonl")))
        elif path.exists():
            files.append(path)
        else:
            fail(f"{path}: no such file or directory")
    if not files:
        fail("no .jsonl file found in " + ", ".join(map(str, paths)))
    return files


@annotations_app.command("build")
def build_cli(
    src: Path = typer.Argument(Path("annotations/src"), help="Folder of authoring-format sources"),
    out: Path = typer.Option(Path("annotations"), "--out", "-o", help="Folder for train/dev/test.jsonl"),
    augment: int = typer.Option(0, "--augment", min=0, help="Also write train_augmented.jsonl: this many name-swapped copies of each train document (no dev/test name used)"),
    augment_heldout: bool = typer.Option(False, "--augment-heldout", help="With --augment, also write heldout_augmented.jsonl (copies of dev and test, for a model trained on every split)"),
) -> None:
    """Resolve authoring sources to schema JSONL, split by issuer (70/15/15)."""
    from ..data.corpus import build_corpus

    counts = build_corpus(src, out, augment=augment, augment_heldout=augment_heldout)
    Printer().good("Wrote " + ", ".join(f"{split}: {n} documents" for split, n in counts.items()))


@annotations_app.command("check")
def check_cli(
    paths: List[Path] = typer.Argument(..., help="Schema JSONL files or folders of them"),
    known: Optional[Path] = typer.Option(None, "--known", help="Known-warnings TSV (default: known_warnings.tsv beside the files)"),
    show: int = typer.Option(50, "--show", help="How many findings of each severity to print"),
) -> None:
    """Schema validation plus corpus consistency checks. Exits 1 on any error."""
    from ..data.checks import check_files, load_known_warnings

    msg = Printer()
    files = _jsonl_files(paths)
    if known is None:
        candidate = files[0].parent / "known_warnings.tsv"
        known = candidate if candidate.exists() else None
    docs, findings = check_files(files)
    accepted = load_known_warnings(known)
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning" and (f.code, f.doc_id, f.text) not in accepted]
    listed = [f for f in findings if f.severity == "warning" and (f.code, f.doc_id, f.text) in accepted]
    for finding in errors[:show]:
        msg.fail(f"{finding.path} {finding.doc_id}: {finding.message}")
    for finding in warnings[:show]:
        msg.warn(f"{finding.doc_id}: [{finding.code}] {finding.message}")
    msg.info(f"{len(docs)} documents in {len(files)} file(s): {len(errors)} errors, {len(warnings)} warnings, {len(listed)} known warnings with reasons")
    if errors:
        raise typer.Exit(1)


@annotations_app.command("stats")
def stats_cli(
    paths: List[Path] = typer.Argument(..., help="Schema JSONL files or folders of them"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Also write a bar chart of the label counts (PNG)"),
) -> None:
    """Counts per label, relation, event type, split, genre, era and issuer, as tables."""
    from ..data.corpus import documents_stats
    from ..data.schema import read_jsonl

    msg = Printer()
    docs = [d for f in _jsonl_files(paths) for d in read_jsonl(f)]
    stats = documents_stats(docs)
    for key in ("documents", "entities", "relations", "events", "split", "genre", "era"):
        counter = stats[key]
        msg.table(sorted(counter.items()), header=(key, "count"), divider=True)
    issuers = stats["issuer"]
    msg.info(f"{len(issuers)} distinct issuers; {sum(stats['entities'].values())} entity mentions")
    msg.table(issuers.most_common(), header=("issuer", "documents"), divider=True)
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 3, figsize=(13, 4))
        for ax, key in zip(axes, ("entities", "relations", "events")):
            items = sorted(stats[key].items())
            ax.barh([k for k, _ in items], [v for _, v in items])
            ax.set_title(key)
        fig.tight_layout()
        fig.savefig(plot, dpi=100)
        msg.good(f"Wrote {plot}")


def _documents_from(path: Path):
    """Schema JSONL, or a folder of authoring sources (`*.txt`) or of JSONL files."""
    from ..data.corpus import read_sources
    from ..data.schema import read_jsonl

    if path.is_dir() and any(path.glob("*.txt")):
        docs, errors = read_sources(path)
        if errors:
            fail(str(errors[0]))
        return docs
    return [d for f in _jsonl_files([path]) for d in read_jsonl(f)]


@annotations_app.command("agreement")
def agreement_cli(
    first: Path = typer.Argument(..., help="First pass: schema JSONL or a folder of sources"),
    second: Path = typer.Argument(..., help="Second pass over the same documents (same ids)"),
) -> None:
    """Inter-annotator agreement: F1 of the second pass against the first (entities strict, events,
    relations, facts), over the documents both passes hold."""
    from ..scoring import evaluate_documents
    from .evaluate import print_scores

    passes = []
    for path in (first, second):
        docs = _documents_from(path)
        ids = [d.id for d in docs]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            fail(f"{path}: document id {dupes[0]!r} occurs twice")
        passes.append({d.id: d for d in docs})
    a, b = passes
    common = sorted(set(a) & set(b))
    if not common:
        fail("the two passes share no document id")
    left_out = len(set(a) ^ set(b))
    if left_out:
        Printer().warn(f"{left_out} document(s) are in only one pass and are not compared")
    changed = [i for i in common if a[i].text != b[i].text]
    if changed:
        fail(f"document {changed[0]!r}: the two passes have different texts")
    scores = evaluate_documents([b[i] for i in common], [a[i] for i in common], samples=1000)
    print_scores(scores, Printer(), worst=20)


@annotations_app.command("common-words")
def common_words_cli(
    paths: List[Path] = typer.Argument(..., help="Annotated schema JSONL files or folders of them"),
    out: Path = typer.Option(None, "--out", "-o", help="Word list to write (default: the package's lexicon/common_words.txt)"),
    min_count: int = typer.Option(2, "--min-count", min=1, help="Lower-case occurrences outside mentions a word needs"),
) -> None:
    """Rebuild the common-word list that `entity_rules` uses to drop capitalised vocabulary (`Supply`, `BUT`)."""
    from ..data.lexicon import common_words, write_word_list
    from ..data.schema import read_jsonl
    from ..ml.models.features import RESOURCES

    target = out or RESOURCES / "lexicon" / "common_words.txt"
    documents = [d for f in _jsonl_files(paths) for d in read_jsonl(f)]
    n = write_word_list(target, common_words(documents, min_count=min_count))
    Printer().good(f"Wrote {n} words from {len(documents)} documents to {target}")


@annotations_app.command("filing-words")
def filing_words_cli(
    texts: List[Path] = typer.Argument(..., help="Unannotated real filings: JSONL files with a `text` field"),
    annotated: List[Path] = typer.Option(..., "--annotated", "-a", help="The annotated corpus (schema JSONL), whose names veto a word"),
    exclude: List[Path] = typer.Option([], "--exclude", "-x", help="Evaluation sets (schema JSONL): texts that share text with them are left out"),
    out: Path = typer.Option(None, "--out", "-o", help="Word list to write (default: the package's lexicon/filing_words.txt)"),
    min_documents: int = typer.Option(3, "--min-documents", min=1, help="In how many filings a word must be written in lower case"),
) -> None:
    """Rebuild the filing-word list that `entity_rules` uses to drop PARTNER and OFFICER mentions made of
    vocabulary (`Additionally`, `Division`)."""
    from ..data.lexicon import FILING_WORDS_HEADER, filing_words, texts_apart_from, write_word_list
    from ..data.schema import SchemaError, read_jsonl
    from ..ml.models.features import RESOURCES

    try:
        evaluation = [d.text for f in (_jsonl_files(exclude) if exclude else []) for d in read_jsonl(f)]
        filings = [d.text for f in _jsonl_files(texts) for d in read_jsonl(f, validate=False)]
    except SchemaError as err:
        fail(str(err))
    kept = texts_apart_from(filings, evaluation)
    left_out = len(filings) - len(kept)
    documents = [d for f in _jsonl_files(annotated) for d in read_jsonl(f)]
    target = out or RESOURCES / "lexicon" / "filing_words.txt"
    n = write_word_list(target, filing_words(kept, documents, min_documents=min_documents), header=FILING_WORDS_HEADER)
    Printer().good(f"Wrote {n} words from {len(kept)} filings ({left_out} left out as overlapping {len(exclude)} evaluation file(s)) to {target}")

