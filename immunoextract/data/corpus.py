"""The project's annotated corpus: build it from authoring sources, split it by issuer, serve it.

`annotations/src/**/*.txt` are the sources (see `authoring.py`); `build_corpus`
resolves them and writes `annotations/{train,dev,test}.jsonl`. Splits are by
issuer, so no company's documents sit in two splits, and are stable: an issuer
keeps its split when documents are added.
"""
import hashlib
from copy import deepcopy
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from ..errors import SchemaError
from .authoring import read_source
from .schema import Document, read_jsonl, write_jsonl

SPLITS: Tuple[str, ...] = ("train", "dev", "test")
SPLIT_SHARES: Dict[str, float] = {"train": 0.70, "dev": 0.15, "test": 0.15}
DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[2] / "annotations"


def issuer_of(doc: Document) -> str:
    return str(doc.meta.get("issuer") or doc.meta.get("company") or doc.id)


def assign_splits(docs: Sequence[Document], *, shares: Optional[Dict[str, float]] = None) -> Dict[str, str]:
    """Issuer -> split. Issuers are ordered by a hash of their name and dealt out so each
    split's share of documents comes close to `shares` (70/15/15 by default)."""
    shares = shares or SPLIT_SHARES
    sizes = Counter(issuer_of(d) for d in docs)
    order = sorted(sizes, key=lambda name: hashlib.sha1(name.encode("utf-8")).hexdigest())
    total = sum(sizes.values())
    filled = {s: 0 for s in shares}
    result: Dict[str, str] = {}
    for issuer in order:
        # the split furthest below its target share takes the next issuer
        split = min(shares, key=lambda s: (filled[s] - shares[s] * total) / max(shares[s], 1e-9))
        result[issuer] = split
        filled[split] += sizes[issuer]
    return result


def read_sources(src_dir: Union[str, Path]) -> Tuple[List[Document], List[SchemaError]]:
    """Every authoring source under `src_dir`, resolved; errors are collected, not raised."""
    docs, errors = [], []
    for path in sorted(Path(src_dir).rglob("*.txt")):
        try:
            doc = read_source(path)
        except SchemaError as err:
            errors.append(err)
            continue
        doc.meta.setdefault("source_file", str(path.relative_to(src_dir)))
        docs.append(doc)
    return docs, errors


def build_corpus(src_dir: Union[str, Path], out_dir: Union[str, Path], *, augment: int = 0, seed: int = 0,
                 augment_heldout: bool = False) -> Dict[str, int]:
    """Resolve the sources and write one schema JSONL file per split; RETURNS documents per split.

    augment (int): when above 0, also write `train_augmented.jsonl`: that many name-swapped copies of
        each train document (`augment.augment_corpus`), never using a name of the dev or test split;
        its count is returned as "train_augmented". Default 0.
    seed (int): the seed of the augmentation, default 0.
    augment_heldout (bool): with `augment`, also write `heldout_augmented.jsonl`, copies of the dev
        and test documents, for training a model to ship on every split (its yardstick is then real
        filings, not this corpus's test split). Default False.
    """
    docs, errors = read_sources(src_dir)
    if errors:
        raise errors[0]
    ids = Counter(d.id for d in docs)
    dupes = [i for i, n in ids.items() if n > 1]
    if dupes:
        raise SchemaError(f"document id {dupes[0]!r} is used by {ids[dupes[0]]} sources", path=str(src_dir))
    splits = assign_splits([d for d in docs if not d.meta.get("augmented")])
    by_split: Dict[str, List[Document]] = defaultdict(list)
    for doc in docs:
        split = splits.get(issuer_of(doc), "train")
        doc.meta["split"] = split
        by_split[split].append(doc)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {split: write_jsonl(by_split.get(split, []), out_dir / f"{split}.jsonl") for split in SPLITS}
    if augment > 0:
        from .augment import augment_corpus, document_names

        held_out = document_names(by_split.get("dev", []) + by_split.get("test", []))
        copies = augment_corpus(by_split.get("train", []), copies=augment, seed=seed, exclude_names=held_out)
        counts["train_augmented"] = write_jsonl(copies, out_dir / "train_augmented.jsonl")
        if augment_heldout:
            heldout = [_as_train(d) for d in by_split.get("dev", []) + by_split.get("test", [])]
            heldout_copies = augment_corpus(heldout, copies=augment, seed=seed)
            counts["heldout_augmented"] = write_jsonl(heldout_copies, out_dir / "heldout_augmented.jsonl")
    return counts


def _as_train(doc: Document) -> Document:
    """A copy of a held-out document that `augment_corpus` will copy (it skips dev and test)."""
    copy = deepcopy(doc)
    copy.meta["split"] = "train"
    return copy


def corpus_files(corpus_dir: Union[str, Path, None] = None) -> Dict[str, Path]:
    base = Path(corpus_dir) if corpus_dir else DEFAULT_CORPUS_DIR
    return {split: base / f"{split}.jsonl" for split in SPLITS}


def load_documents(corpus_dir: Union[str, Path, None] = None) -> Dict[str, List[Document]]:
    """The corpus as Documents per split."""
    return {split: list(read_jsonl(path)) for split, path in corpus_files(corpus_dir).items() if path.exists()}


def load_dataset_dict(corpus_dir: Union[str, Path, None] = None):  # -> datasets.DatasetDict
    """The corpus as a Hugging Face `DatasetDict` with train/dev/test splits."""
    from datasets import DatasetDict

    from .formats import documents_to_dataset

    return DatasetDict({split: documents_to_dataset(docs) for split, docs in load_documents(corpus_dir).items()})


def write_docbins(nlp, out_dir: Union[str, Path], corpus_dir: Union[str, Path, None] = None) -> Dict[str, Path]:
    """Convert each split to a spaCy `.spacy` DocBin (cleaned text, extensions kept) for `spacy train`."""
    from .formats import doc_from_document, write_docbin

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for split, docs in load_documents(corpus_dir).items():
        path = out_dir / f"{split}.spacy"
        write_docbin((doc_from_document(nlp, d) for d in docs), path)
        written[split] = path
    return written


def documents_stats(docs: Iterable[Document]) -> Dict[str, Counter]:
    """Counts per label, relation, event type, split, genre, era and issuer."""
    stats: Dict[str, Counter] = {k: Counter() for k in ("entities", "relations", "events", "split", "genre", "era", "issuer", "documents")}
    for doc in docs:
        stats["documents"]["documents"] += 1
        stats["entities"].update(e.label for e in doc.entities)
        stats["relations"].update(r.label for r in doc.relations)
        stats["events"].update(e.type for e in doc.events)
        for key in ("split", "genre", "era"):
            stats[key][str(doc.meta.get(key, "-"))] += 1
        stats["issuer"][issuer_of(doc)] += 1
    return stats
