"""Throughput of `immunoextract batch`: documents/s and words/s, local and Ray engines, 1 and 2 workers.

    python benchmarks/batch_throughput.py [--model models/immunoextract_cpu] [--shared ../shared] [--limit 225]

Runs `run_batch` on `shared/corpus/real_unannotated.jsonl` (the first `--limit` records)
into a fresh folder per setting and prints a table. The figures include starting the
workers (the local engine's `nlp.pipe` processes, the Ray actors' model loading) but
not loading the model in the driver. Prints figures, asserts nothing.
"""
import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "immunoextract_cpu"))
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--limit", type=int, default=225, help="records of the corpus to use")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--engines", default="local,ray", help="comma-separated engines")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    corpus = Path(args.shared) / "corpus" / "real_unannotated.jsonl"
    if not corpus.exists():
        print(f"{corpus} is not present; nothing to measure")
        return 0
    import immunoextract
    from immunoextract.batch import run_batch

    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.jsonl"
        lines = corpus.read_text(encoding="utf-8").splitlines()[: args.limit]
        sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
        words = sum(len(json.loads(line)["text"].split()) for line in lines)
        print(f"{len(lines)} documents, {words:,} words, model {args.model}")
        nlp = None
        rows = []
        for engine in args.engines.split(","):
            for workers in (int(w) for w in args.workers.split(",")):
                if engine == "local" and nlp is None:
                    nlp = immunoextract.load(args.model)
                out = Path(tmp) / f"{engine}-{workers}"
                start = time.perf_counter()
                summary = run_batch(
                    [sample], out, model=args.model, nlp=nlp if engine == "local" else None,
                    engine=engine, workers=workers, batch_size=args.batch_size,
                )
                seconds = time.perf_counter() - start
                rows.append((engine, workers, summary.done, summary.errors, summary.seconds, summary.docs_per_second, summary.words_per_second, seconds))
                print(
                    f"{engine:>5} x{workers}: {summary.done} docs, {summary.errors} errors, "
                    f"{summary.seconds:6.1f}s annotating -> {summary.docs_per_second:6.2f} docs/s, "
                    f"{summary.words_per_second:8,.0f} words/s ({seconds:.1f}s with the tables)",
                    flush=True,
                )
    print()
    print("| engine | workers | docs | docs/s | words/s |")
    print("|---|---|---|---|---|")
    for engine, workers, done, _, _, dps, wps, _ in rows:
        print(f"| {engine} | {workers} | {done} | {dps:.2f} | {wps:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
