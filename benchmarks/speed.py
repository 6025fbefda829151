"""Speed and memory of a pipeline on real filings; prints figures, asserts nothing.

    python benchmarks/speed.py [--model models/immunoextract_cpu] [--shared ../shared]

1. words per second through `nlp.pipe` (one process) on the real texts of
   `shared/corpus/`, full pipeline vs. the same tok2vec with NER alone;
2. peak memory (max RSS of a fresh process) annotating a 5 MB filing;
3. a 10 MB EDGAR full-submission file processed end to end (in pieces).
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus_texts(shared: Path, limit_words: int):
    texts, words = [], 0
    for name in ("real_unannotated.jsonl", "real_10k_unannotated.jsonl"):
        for line in (shared / "corpus" / name).read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            texts.append(text)
            words += len(text.split())
            if words >= limit_words:
                return texts
    return texts


def words_per_second(nlp, texts, *, disable=()):
    from immunoextract.pipeline.tokenizer import split_words
    from immunoextract.filings.parser import clean_text

    docs = [split_words(nlp, clean_text(t).text) for t in texts]
    n_words = sum(1 for d in docs for t in d if not t.is_space)
    start = time.perf_counter()
    with nlp.select_pipes(disable=[d for d in disable if d in nlp.pipe_names]):
        for _ in nlp.pipe(docs, batch_size=32):
            pass
    return n_words / (time.perf_counter() - start), n_words


# Peak memory is the process's own high-water mark (VmHWM): ru_maxrss would include the parent's
# resident size at fork time, which Linux carries across exec.
PEAK_SCRIPT = """
import sys, time
import immunoextract
nlp = immunoextract.load(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
t = time.perf_counter()
doc = immunoextract.annotate_text(nlp, text, doc_id="big")
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(len(text), len(doc.entities), round(time.perf_counter() - t, 1), hwm // 1024)
"""

SUBMISSION_SCRIPT = """
import sys, time
import immunoextract
from immunoextract.filings import iter_filings
from immunoextract.data.schema import Document
nlp = immunoextract.load(sys.argv[1])
t = time.perf_counter()
docs = [Document(id=f.id, text=f.source_text, meta=f.meta) for f in iter_filings([sys.argv[2]])]
n = sum(len(d.entities) for d in immunoextract.annotate_documents(nlp, docs))
print(len(docs), n, round(time.perf_counter() - t, 1))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "immunoextract_cpu"))
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--words", type=int, default=120_000)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes of each pipeline (alternating); the median is reported")
    args = parser.parse_args()
    import immunoextract

    shared = Path(args.shared)
    texts = corpus_texts(shared, args.words)
    if not args.skip_speed:
        report_speed(immunoextract.load(args.model), texts, args.repeats)
    if args.skip_memory:
        return
    report_memory(args.model, texts)


def report_speed(nlp, texts, repeats: int = 3) -> None:
    # a shared machine's speed drifts by 20% between minutes: alternate the two pipelines and take medians
    words_per_second(nlp, texts[:5])  # warm-up
    # the embedding layer (tok2vec, or transformer in the transformer config) stays with NER
    embedding = [p for p in nlp.pipe_names if nlp.get_pipe_meta(p).factory in ("tok2vec", "transformer")]
    others = [p for p in nlp.pipe_names if p not in (*embedding, "ner")]
    fulls, ners = [], []
    for _ in range(max(1, repeats)):
        full, n = words_per_second(nlp, texts)
        fulls.append(full)
        ners.append(words_per_second(nlp, texts, disable=others)[0])
    full, ner_only = statistics.median(fulls), statistics.median(ners)
    print(f"pipeline: {', '.join(nlp.pipe_names)}")
    print(f"words: {n} from {len(texts)} real documents; {len(fulls)} timed passes of each pipeline, medians")
    print(f"full pipeline: {full:,.0f} words/s (one process; passes {', '.join(f'{x:,.0f}' for x in fulls)})")
    print(f"{' + '.join(embedding)} + ner only: {ner_only:,.0f} words/s (passes {', '.join(f'{x:,.0f}' for x in ners)}); "
          f"relations+events+facts cost {100 * (1 - full / ner_only):.0f}% of NER-only speed")


def report_memory(model: str, texts) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        body = "\n\n".join(texts)
        big.write_text((body * (5_000_000 // len(body) + 1))[:5_000_000], encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, model, str(big)], capture_output=True, text=True, check=True).stdout.split()
        print(f"5 MB filing: {int(out[0]):,} characters, {out[1]} entities, {out[2]} s, peak RSS {out[3]} MB")
        sub = Path(tmp) / "submission.txt"
        exhibits = []
        chunk = (body * (2_600_000 // len(body) + 1))[:2_500_000]
        for i in range(4):
            exhibits.append(f"<DOCUMENT>\n<TYPE>EX-99.{i + 1}\n<SEQUENCE>{i + 2}\n<FILENAME>ex99{i + 1}.txt\n<TEXT>\n{chunk}\n</TEXT>\n</DOCUMENT>\n")
        header = "<SEC-DOCUMENT>0000000000-00-000000.txt : 20030124\n<SEC-HEADER>\nCONFORMED SUBMISSION TYPE:\t8-K\nFILED AS OF DATE:\t\t20030124\nCOMPANY CONFORMED NAME:\t\t\tBENCHMARK BIO INC\n</SEC-HEADER>\n"
        sub.write_text(header + "".join(exhibits) + "</SEC-DOCUMENT>\n", encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", SUBMISSION_SCRIPT, model, str(sub)], capture_output=True, text=True, check=True).stdout.split()
        print(f"{sub.stat().st_size / 1e6:.1f} MB full submission: {out[0]} documents, {out[1]} entities, {out[2]} s")


if __name__ == "__main__":
    main()
