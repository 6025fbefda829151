"""Extraction over many filings: a resumable run that writes schema JSONL and Parquet tables.

`run_batch(inputs, output_dir)` reads schema JSONL, filings, directories (recursively)
and glob patterns, annotates every document with the pipeline and writes, in
`output_dir`:

- `documents.jsonl`: schema JSONL with `facts`, exactly what `immunoextract extract` writes;
  appended to, so a rerun into the same folder skips the document ids already in it;
- `errors.jsonl`: one record per input that failed this run (reader or pipeline error);
- `sources.jsonl`: the input file of each document of `documents.jsonl` (appended alongside);
- `documents.parquet`, `entities.parquet`, `relations.parquet`, `events.parquet`,
  `facts.parquet`, `errors.parquet`: rebuilt from the two JSONL files at the end of every
  run; all join on `doc_id`.

Two engines give the same output, in input order:

- `local`: `nlp.pipe` in this process, with `n_process=workers` worker processes.
- `ray`: Ray Data, `ray.data.from_items(...).map_batches(ExtractActor, compute=ActorPoolStrategy(size=workers))`;
  each actor loads the pipeline once (`immunoextract.load(model)`), documents travel as
  JSON strings and the pipeline never enters the object store.

Running on a Ray cluster: start the cluster (`ray start --head` on one machine,
`ray start --address=HEAD:6379` on the others), make the package and the model
reachable on every node (install the package; give `--model` as a path that exists
on every node or an installed model package), then either set `RAY_ADDRESS=HEAD:6379`
in the environment or pass `ray_address="HEAD:6379"` (`--ray-address` on the command
line); `run_batch` calls `ray.init(address=...)`. With neither, a local Ray instance
is started for the run and shut down after it; a Ray already initialised by the
caller is used as it is. The driver reads the inputs and writes the outputs, so
`output_dir` only needs to be on the driver's machine.

See docs/BATCH.md.
"""
import glob
import json
import os
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Deque, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from .data.schema import Document, document_from_dict, dumps_document
from .errors import ImmunoextractError, InputError

ENGINES: Tuple[str, ...] = ("local", "ray")
DOCUMENTS_FILE = "documents.jsonl"
ERRORS_FILE = "errors.jsonl"
SOURCES_FILE = "sources.jsonl"
TABLES: Tuple[str, ...] = ("documents", "entities", "relations", "events", "facts", "errors")
RAY_WINDOW = 2000  # documents handed to Ray Data at a time (bounds the driver's memory)

PathLike = Union[str, Path]


@dataclass
class BatchSummary:
    """What one run did.

    output_dir (Path): where the outputs are.
    done (int): documents annotated and appended in this run.
    skipped (int): documents skipped because `documents.jsonl` already had their id.
    errors (int): inputs that failed in this run (listed in `errors.jsonl`).
    words (int): white-space separated words in the documents annotated in this run.
    seconds (float): wall time of the annotation.
    tables (Dict[str, Path]): the Parquet tables written.
    """

    output_dir: Path
    done: int = 0
    skipped: int = 0
    errors: int = 0
    words: int = 0
    seconds: float = 0.0
    tables: Dict[str, Path] = field(default_factory=dict)

    @property
    def docs_per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------


def expand_inputs(inputs: Sequence[PathLike], *, exclude: Optional[Path] = None) -> List[Union[Path, InputError]]:
    """The files named by `inputs`: files as given, directories walked recursively (hidden
    files and folders left out), glob patterns (`**` recursive) matched, in sorted order.

    inputs (Sequence[str | Path]): files, directories or glob patterns.
    exclude (Path | None): a folder whose files are never taken (the output folder).
    RETURNS (List[Path | InputError]): the files in order, each once; an input that names
        nothing is an InputError.
    """
    found: List[Union[Path, InputError]] = []
    skip = exclude.resolve() if exclude is not None else None
    taken: Set[Path] = set()

    def keep(path: Path) -> bool:
        resolved = path.resolve()
        if resolved in taken or (skip is not None and (skip == resolved or skip in resolved.parents)):
            return False
        taken.add(resolved)
        return True

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            found.extend(p for p in files if keep(p))
        elif path.is_file():
            if keep(path):
                found.append(path)
        elif glob.has_magic(str(item)):
            matches = sorted(Path(p) for p in glob.glob(str(item), recursive=True) if Path(p).is_file())
            if not matches:
                found.append(InputError("the pattern matches no file", path=str(item)))
            found.extend(p for p in matches if keep(p))
        else:
            found.append(InputError("no such file or directory", path=str(item)))
    return found


def iter_documents(
    inputs: Sequence[PathLike], *, types: Optional[Sequence[str]] = None, exclude: Optional[Path] = None
) -> Iterator[Tuple[Optional[str], Union[Document, ImmunoextractError]]]:
    """Every document of the inputs with the file it came from, or the error that file or
    record raised; never raises for bad input.

    RETURNS (Iterator[Tuple[str | None, Document | ImmunoextractError]]): (source path, item) in input order.
    """
    from .cli.extract import iter_inputs

    for path in expand_inputs(inputs, exclude=exclude):
        if isinstance(path, InputError):
            yield path.path, path
            continue
        for item in iter_inputs([path], types=list(types) if types else None):
            yield str(path), item


def annotated_documents(
    inputs: Sequence[PathLike],
    *,
    model: Optional[str] = None,
    nlp: Any = None,
    predicted: Optional[bool] = None,
    types: Optional[Sequence[str]] = None,
    batch_size: int = 16,
) -> Tuple[List[Document], List[ImmunoextractError]]:
    """Annotated documents from inputs that may be extracted already: what `timeline`, `graph`
    and `render` read.

    A schema record is used as it is when it carries `facts` (extract's output) or when
    `predicted` is True (gold annotations; facts are derived from them); every other document
    (filings, plain records) is annotated with the pipeline, loaded only when needed.

    inputs (Sequence[str | Path]): schema JSONL, filings, directories, glob patterns.
    model (str | None): pipeline directory or package, default the shipped model.
    nlp (Language | None): an already loaded pipeline instead of `model`.
    predicted (bool | None): True: take every record's annotations; False: annotate everything
        again; None (default): take the records that have `facts`.
    types (Sequence[str] | None): exhibit types of a full submission to keep.
    batch_size (int): pieces per `nlp.pipe` batch, default 16.
    RETURNS (Tuple[List[Document], List[ImmunoextractError]]): the documents in input order, and the
        inputs that could not be read.
    """
    from .data.facts import facts_record
    from .extract import annotate_documents, load

    documents: List[Document] = []
    errors: List[ImmunoextractError] = []
    todo: List[int] = []
    for source, item in iter_documents(inputs, types=types):
        if isinstance(item, ImmunoextractError):
            errors.append(item)
            continue
        is_record = source is not None and source.endswith(".jsonl")
        if is_record and predicted is not False and ("facts" in item.extra or predicted):
            if "facts" not in item.extra:
                item.extra["facts"] = facts_record(item)
        else:
            todo.append(len(documents))
        documents.append(item)
    if todo:
        nlp = nlp if nlp is not None else load(model)
        annotated = annotate_documents(nlp, (documents[i] for i in todo), batch_size=batch_size)
        for i, doc in zip(todo, annotated):
            documents[i] = doc
    return documents, errors


# ---------------------------------------------------------------------------
# Annotation that survives a failing document
# ---------------------------------------------------------------------------


@dataclass
class DocumentFailure:
    """A document the pipeline could not annotate."""

    doc_id: str
    message: str


def annotate_guarded(
    nlp: Any,
    items: Iterable[Tuple[int, Document]],
    *,
    batch_size: int = 16,
    n_process: int = 1,
) -> Iterator[Tuple[int, Union[Document, DocumentFailure]]]:
    """`annotate_documents` over (index, Document) pairs, in order; a pipeline exception costs
    only the document that raised it.

    When a batch fails, the documents in flight are retried one at a time in this process,
    each that still fails comes back as a DocumentFailure, and the stream goes on.

    nlp (Language): the pipeline.
    items (Iterable[Tuple[int, Document]]): the documents with their input index.
    batch_size (int): pieces per `nlp.pipe` batch, default 16.
    n_process (int): `nlp.pipe` worker processes, default 1.
    RETURNS (Iterator[Tuple[int, Document | DocumentFailure]]): one result per item, in order.
    """
    from .extract import annotate_documents

    source = iter(items)
    pending: Deque[Tuple[int, Document]] = deque()

    def feed() -> Iterator[Document]:
        for index, document in source:
            pending.append((index, document))
            yield document

    while True:
        try:
            for result in annotate_documents(nlp, feed(), batch_size=batch_size, n_process=n_process):
                index, _ = pending.popleft()
                yield index, result
            return
        except Exception:  # noqa: BLE001 - any pipeline failure is isolated below
            failed = list(pending)
            pending.clear()
        for index, document in failed:
            try:
                yield index, next(annotate_documents(nlp, [document], batch_size=batch_size))
            except Exception as err:  # noqa: BLE001
                yield index, DocumentFailure(document.id, f"{type(err).__name__}: {err}".strip())


class ExtractActor:
    """A Ray Data actor: loads the pipeline once, then annotates batches of documents.

    Batches hold `index` (input order) and `record` (schema JSON of the document); the
    output holds `index`, `record` (the annotated document as schema JSON, "" on failure)
    and `error` ("" on success).

    model (str | None): pipeline directory or package, default the shipped model.
    batch_size (int): pieces per `nlp.pipe` batch inside the actor, default 16.
    """

    def __init__(self, model: Optional[str] = None, batch_size: int = 16) -> None:
        from .extract import load

        self.nlp = load(model)
        self.batch_size = batch_size

    def __call__(self, batch: Dict[str, Any]) -> Dict[str, Any]:
        import numpy as np

        indices = [int(i) for i in batch["index"]]
        documents = [document_from_dict(json.loads(r), validate=False) for r in batch["record"]]
        records: List[str] = []
        errors: List[str] = []
        for _, result in annotate_guarded(self.nlp, zip(indices, documents), batch_size=self.batch_size):
            if isinstance(result, DocumentFailure):
                records.append("")
                errors.append(result.message)
            else:
                records.append(dumps_document(result))
                errors.append("")
        return {
            "index": np.asarray(indices, dtype=np.int64),
            "record": np.asarray(records, dtype=object),
            "error": np.asarray(errors, dtype=object),
        }


def _ray_results(
    items: Iterable[Tuple[int, Document]],
    *,
    model: Optional[str],
    workers: int,
    batch_size: int,
    window: int,
) -> Iterator[Tuple[int, Union[Document, DocumentFailure]]]:
    import ray

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    ids: Dict[int, str] = {}

    def run(chunk: List[Tuple[int, Document]]) -> Iterator[Tuple[int, Union[Document, DocumentFailure]]]:
        rows = [{"index": index, "record": dumps_document(doc)} for index, doc in chunk]
        ids.update({index: doc.id for index, doc in chunk})
        dataset = ray.data.from_items(rows).map_batches(
            ExtractActor,
            fn_constructor_kwargs={"model": model, "batch_size": batch_size},
            compute=ray.data.ActorPoolStrategy(size=workers),
            batch_size=max(1, min(batch_size, -(-len(rows) // workers))),
            num_cpus=1,
        )
        for row in dataset.iter_rows():
            index = int(row["index"])
            if row["error"]:
                yield index, DocumentFailure(ids.pop(index), str(row["error"]))
            else:
                ids.pop(index, None)
                yield index, document_from_dict(json.loads(row["record"]), validate=False)

    chunk: List[Tuple[int, Document]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= window:
            yield from in_order(run(chunk), [index for index, _ in chunk])
            chunk = []
    if chunk:
        yield from in_order(run(chunk), [index for index, _ in chunk])


def in_order(results: Iterable[Tuple[int, Any]], expected: Sequence[int]) -> Iterator[Tuple[int, Any]]:
    """Results in the order of `expected`, each yielded as soon as every earlier one has come.

    results (Iterable[Tuple[int, Any]]): (index, result) pairs in any order.
    expected (Sequence[int]): every index of `results`, in the order wanted.
    RETURNS (Iterator[Tuple[int, Any]]): the same pairs, reordered.
    """
    buffered: Dict[int, Any] = {}
    position = 0
    for index, result in results:
        buffered[index] = result
        while position < len(expected) and expected[position] in buffered:
            yield expected[position], buffered.pop(expected[position])
            position += 1
    for index in expected[position:]:
        if index in buffered:
            yield index, buffered.pop(index)


# ---------------------------------------------------------------------------
# Output files
# ---------------------------------------------------------------------------


def done_ids(path: Path) -> Set[str]:
    """The document ids already in a `documents.jsonl`; a last line cut short by an
    interrupted run is removed from the file."""
    ids: Set[str] = set()
    if not path.exists():
        return ids
    good_end = 0
    with path.open("rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            try:
                ids.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                if line.strip():
                    break
            good_end += len(line)
    if good_end < path.stat().st_size:
        with path.open("r+b") as fh:
            fh.truncate(good_end)
    return ids


def _error_record(source: Optional[str], item: Union[ImmunoextractError, DocumentFailure], stage: str) -> Dict[str, Any]:
    if isinstance(item, DocumentFailure):
        return {"doc_id": item.doc_id, "path": source, "line": None, "stage": stage, "error": item.message}
    if isinstance(item, InputError):
        return {"doc_id": item.doc_id, "path": item.path or source, "line": item.line, "stage": stage, "error": item.problem}
    return {"doc_id": None, "path": source, "line": None, "stage": stage, "error": str(item)}


def run_batch(
    inputs: Sequence[PathLike],
    output_dir: PathLike,
    *,
    model: Optional[str] = None,
    nlp: Any = None,
    engine: str = "local",
    workers: int = 1,
    batch_size: int = 16,
    types: Optional[Sequence[str]] = None,
    ray_address: Optional[str] = None,
    ray_window: int = RAY_WINDOW,
    progress: bool = False,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> BatchSummary:
    """Annotate every document of `inputs` and write the outputs into `output_dir`.

    inputs (Sequence[str | Path]): schema JSONL files, filings, directories, glob patterns.
    output_dir (str | Path): created if needed; a rerun into it resumes (see module docstring).
    model (str | None): pipeline directory or package, default the shipped model.
    nlp (Language | None): an already loaded pipeline for the local engine (instead of `model`).
    engine (str): "local" or "ray", default "local".
    workers (int): worker processes (local) or Ray actors (ray), default 1.
    batch_size (int): pieces per `nlp.pipe` batch, and documents per Ray batch at most, default 16.
    types (Sequence[str] | None): exhibit types of a full submission to keep, e.g. ["EX-99.1"].
    ray_address (str | None): Ray cluster address for `ray.init`; default `$RAY_ADDRESS`, else a local instance.
    ray_window (int): documents handed to Ray Data at a time, default 2000.
    progress (bool): show a tqdm bar (documents/s and words/s) on stderr, default False.
    on_progress (Callable[[int, int], None] | None): called with (documents, words) after each document.
    RETURNS (BatchSummary): counts, timing and the tables written.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (expected one of {', '.join(ENGINES)})")
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, got {batch_size}")
    if engine == "ray" and nlp is not None:
        raise InputError("the ray engine loads the pipeline in each worker: pass model=, not nlp=")
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    documents_path = out / DOCUMENTS_FILE
    previous = done_ids(documents_path)
    seen: Set[str] = set()
    summary = BatchSummary(output_dir=out)
    errors: List[Dict[str, Any]] = []
    sources: Dict[int, Optional[str]] = {}

    def work() -> Iterator[Tuple[int, Document]]:
        for index, (source, item) in enumerate(iter_documents(inputs, types=types, exclude=out)):
            if isinstance(item, ImmunoextractError):
                errors.append({"index": index, **_error_record(source, item, "read")})
                continue
            if item.id in previous:
                summary.skipped += 1
                continue
            if item.id in seen:
                problem = "another input of this run has the same document id; this one is left out"
                errors.append({"index": index, "doc_id": item.id, "path": source, "line": None, "stage": "duplicate", "error": problem})
                continue
            seen.add(item.id)
            sources[index] = source
            yield index, item

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(desc="documents", unit="doc", dynamic_ncols=True)
    started = time.perf_counter()
    if engine == "local":
        if nlp is None:
            from .extract import load

            nlp = load(model)
        results: Iterator[Tuple[int, Union[Document, DocumentFailure]]] = annotate_guarded(
            nlp, work(), batch_size=batch_size, n_process=workers
        )
    else:
        results = _ray_engine(work(), model=model, workers=workers, batch_size=batch_size, address=ray_address, window=ray_window)
    try:
        with documents_path.open("a", encoding="utf-8") as fh, (out / SOURCES_FILE).open("a", encoding="utf-8") as src:
            for index, result in results:
                if isinstance(result, DocumentFailure):
                    errors.append({"index": index, **_error_record(sources.pop(index, None), result, "pipeline")})
                    continue
                fh.write(dumps_document(result) + "\n")
                fh.flush()
                src.write(json.dumps({"doc_id": result.id, "source_path": sources.pop(index, None)}, ensure_ascii=False) + "\n")
                summary.done += 1
                summary.words += len(result.text.split())
                if bar is not None:
                    elapsed = max(time.perf_counter() - started, 1e-9)
                    bar.update(1)
                    bar.set_postfix_str(f"{summary.words / elapsed:,.0f} words/s, {len(errors)} errors", refresh=False)
                if on_progress is not None:
                    on_progress(summary.done, summary.words)
    finally:
        if bar is not None:
            bar.close()
        summary.seconds = time.perf_counter() - started
        errors.sort(key=lambda e: e["index"])
        summary.errors = len(errors)
        with (out / ERRORS_FILE).open("w", encoding="utf-8") as fh:
            for error in errors:
                fh.write(json.dumps({k: v for k, v in error.items() if k != "index"}, ensure_ascii=False) + "\n")
    summary.tables = write_tables(out)
    return summary


def _ray_engine(
    items: Iterable[Tuple[int, Document]],
    *,
    model: Optional[str],
    workers: int,
    batch_size: int,
    address: Optional[str],
    window: int,
) -> Iterator[Tuple[int, Union[Document, DocumentFailure]]]:
    try:
        import ray
    except ImportError:
        raise ImmunoextractError("the ray engine needs Ray Data: pip install 'immunoextract[ray]'") from None
    from .extract import default_model_path

    model_name = str(model) if model is not None else str(default_model_path())
    if Path(model_name).exists():
        model_name = str(Path(model_name).resolve())  # workers may run in another directory
    started_here = False
    if not ray.is_initialized():
        ray.init(address=address or os.environ.get("RAY_ADDRESS") or None, include_dashboard=False, log_to_driver=False)
        started_here = True
    try:
        yield from _ray_results(items, model=model_name, workers=workers, batch_size=batch_size, window=window)
    finally:
        if started_here:
            ray.shutdown()


# ---------------------------------------------------------------------------
# Parquet tables
# ---------------------------------------------------------------------------


def _schemas() -> Dict[str, Any]:
    import pyarrow as pa

    names = pa.list_(pa.string())
    return {
        "documents": pa.schema([
            ("doc_id", pa.string()), ("position", pa.int64()), ("company", pa.string()), ("date", pa.string()),
            ("form", pa.string()), ("exhibit_type", pa.string()), ("source_path", pa.string()),
            ("n_chars", pa.int64()), ("n_words", pa.int64()), ("n_entities", pa.int64()), ("n_events", pa.int64()),
            ("n_relations", pa.int64()), ("n_relation_facts", pa.int64()), ("n_event_facts", pa.int64()), ("meta", pa.string()),
        ]),
        "entities": pa.schema([
            ("doc_id", pa.string()), ("entity_id", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
            ("label", pa.string()), ("text", pa.string()), ("score", pa.float64()), ("cluster", pa.string()),
            ("cluster_id", pa.string()),
        ]),
        "relations": pa.schema([
            ("doc_id", pa.string()), ("head", pa.string()), ("tail", pa.string()), ("label", pa.string()),
            ("score", pa.float64()), ("head_label", pa.string()), ("head_text", pa.string()),
            ("tail_label", pa.string()), ("tail_text", pa.string()),
        ]),
        "events": pa.schema([
            ("doc_id", pa.string()), ("event_id", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
            ("type", pa.string()), ("trigger", pa.string()), ("score", pa.float64()),
            ("product_ids", names), ("products", names), ("party_ids", names), ("parties", names),
        ]),
        "facts": pa.schema([
            ("doc_id", pa.string()), ("kind", pa.string()), ("label", pa.string()),
            ("head_label", pa.string()), ("head_name", pa.string()), ("head_names", names),
            ("tail_label", pa.string()), ("tail_name", pa.string()), ("tail_names", names), ("score", pa.float64()),
        ]),
        "errors": pa.schema([
            ("doc_id", pa.string()), ("path", pa.string()), ("line", pa.int64()), ("stage", pa.string()), ("error", pa.string()),
        ]),
    }


def _clean(text: str) -> str:
    return " ".join(text.split())


def table_rows(doc: Document, position: int, *, source_path: Optional[str] = None) -> Dict[str, List[Dict[str, Any]]]:
    """The rows one annotated Document adds to each table (except errors).

    doc (Document): an annotated document; `extra["facts"]` is used when present, else derived.
    position (int): its line number in `documents.jsonl`, from 0.
    source_path (str | None): the input file it came from, default `meta["path"]`.
    RETURNS (Dict[str, List[Dict[str, Any]]]): rows for documents, entities, relations, events, facts.
    """
    from .data.facts import entity_clusters, facts_record

    facts = doc.extra.get("facts") or facts_record(doc)
    clusters = entity_clusters(doc)
    by_id = doc.items_by_id()
    meta = doc.meta
    rows: Dict[str, List[Dict[str, Any]]] = {name: [] for name in TABLES if name != "errors"}
    rows["documents"].append({
        "doc_id": doc.id, "position": position, "company": _str(meta.get("company")), "date": _str(meta.get("date")),
        "form": _str(meta.get("form")), "exhibit_type": _str(meta.get("exhibit_type")),
        "source_path": _str(source_path or meta.get("path")),
        "n_chars": len(doc.text), "n_words": len(doc.text.split()), "n_entities": len(doc.entities),
        "n_events": len(doc.events), "n_relations": len(doc.relations),
        "n_relation_facts": len(facts.get("relations", [])), "n_event_facts": len(facts.get("events", [])),
        "meta": json.dumps(meta, ensure_ascii=False, default=str),
    })
    for ent in doc.entities:
        cluster = clusters.get(ent.id)
        rows["entities"].append({
            "doc_id": doc.id, "entity_id": ent.id, "start": ent.start, "end": ent.end, "label": ent.label,
            "text": doc.span_text(ent), "score": ent.score, "cluster": cluster.display if cluster else None,
            "cluster_id": cluster.mention_ids[0] if cluster and cluster.mention_ids else None,
        })
    arguments: Dict[str, Dict[str, List[str]]] = {ev.id: {"PRODUCT": [], "PARTY": []} for ev in doc.events}
    for rel in doc.relations:
        if rel.label in ("PRODUCT", "PARTY") and rel.head in arguments:
            arguments[rel.head][rel.label].append(rel.tail)
            continue
        head, tail = by_id.get(rel.head), by_id.get(rel.tail)
        rows["relations"].append({
            "doc_id": doc.id, "head": rel.head, "tail": rel.tail, "label": rel.label, "score": rel.score,
            "head_label": getattr(head, "label", None), "head_text": _clean(doc.span_text(head)) if head else None,
            "tail_label": getattr(tail, "label", None), "tail_text": _clean(doc.span_text(tail)) if tail else None,
        })
    for ev in doc.events:
        products, parties = arguments[ev.id]["PRODUCT"], arguments[ev.id]["PARTY"]
        rows["events"].append({
            "doc_id": doc.id, "event_id": ev.id, "start": ev.start, "end": ev.end, "type": ev.type,
            "trigger": _clean(doc.span_text(ev)), "score": ev.score,
            "product_ids": products, "products": [_clean(doc.span_text(by_id[i])) for i in products if i in by_id],
            "party_ids": parties, "parties": [_clean(doc.span_text(by_id[i])) for i in parties if i in by_id],
        })
    for kind, key, head_key, tail_key in (("relation", "relations", "head", "tail"), ("event", "events", "product", "party")):
        for fact in facts.get(key, []):
            head, tail = fact.get(head_key) or {}, fact.get(tail_key) or {}
            rows["facts"].append({
                "doc_id": doc.id, "kind": kind, "label": fact["label"],
                "head_label": head.get("label"), "head_name": head.get("name"), "head_names": head.get("names"),
                "tail_label": tail.get("label"), "tail_name": tail.get("name"), "tail_names": tail.get("names"),
                "score": fact.get("score"),
            })
    return rows


def _read_sources(path: Path) -> Dict[str, Optional[str]]:
    found: Dict[str, Optional[str]] = {}
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    record = json.loads(line)
                    found[record["doc_id"]] = record.get("source_path")
                except (ValueError, KeyError, TypeError):
                    continue
    return found


def _str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def write_tables(output_dir: PathLike) -> Dict[str, Path]:
    """Rebuild the Parquet tables of a batch folder from `documents.jsonl` and `errors.jsonl`.

    output_dir (str | Path): the batch folder.
    RETURNS (Dict[str, Path]): table name -> the Parquet file written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .data.schema import iter_jsonl

    out = Path(output_dir)
    schemas = _schemas()
    rows: Dict[str, List[Dict[str, Any]]] = {name: [] for name in TABLES}
    documents_path = out / DOCUMENTS_FILE
    source_of = _read_sources(out / SOURCES_FILE)
    if documents_path.exists() and documents_path.stat().st_size:
        for position, doc in enumerate(iter_jsonl(documents_path, validate=False)):
            if isinstance(doc, ImmunoextractError):
                rows["errors"].append({"doc_id": doc.doc_id, "path": doc.path, "line": doc.line, "stage": "output", "error": doc.problem})
                continue
            for name, new in table_rows(doc, position, source_path=source_of.get(doc.id)).items():
                rows[name].extend(new)
    errors_path = out / ERRORS_FILE
    if errors_path.exists():
        with errors_path.open(encoding="utf-8") as fh:
            rows["errors"].extend(json.loads(line) for line in fh if line.strip())
    written: Dict[str, Path] = {}
    for name in TABLES:
        table = pa.Table.from_pylist(rows[name], schema=schemas[name])
        target = out / f"{name}.parquet"
        pq.write_table(table, target)
        written[name] = target
    return written
