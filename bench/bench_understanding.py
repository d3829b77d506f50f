"""Understanding benchmark: what reading a question once (advisor.understanding) adds to a warm answer.

Run: .venv/bin/python bench/bench_understanding.py [--rounds N]

For each question of the held-out dev splits (statements, selection questions, intents; the test split is
not touched), in the same run:
  - baseline: what the answer paid for understanding before: the regex lexicon alone plus the question's
    embedding (retrieval embeds the question anyway);
  - reading: `Reader.read` (lexicon, quantities, clause embeddings in one batch with the question, meaning,
    implications, intent), the question's embedding included;
  - added: reading minus baseline, per question;
  - warm answer: `Advisor.ask`, deterministic composer, end to end.
Query-embedding caches are cleared before every measurement. Peak RSS is read before the example banks are
embedded and after all rounds. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import pct  # noqa: E402 - beside this script


def rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=120, help="questions per round")
    ap.add_argument("--blas", action="store_true", help="only time a reading with one BLAS thread (as the "
                    "advisor runs) against BLAS on every core (as it ran before), alternating per question")
    args = ap.parse_args()

    from advisor.heldout import load_set
    from advisor.service import Advisor
    from advisor.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="advisor-bench-u-"))
    advisor = Advisor(Settings(paths={"data_dir": data_dir}, llm={"mode": "none"}))
    advisor.ensure_index()
    texts = [i.text for name in ("selection", "intents", "understanding") for i in load_set(name, split="dev")]
    texts = [t for t in texts if len(t) <= advisor.settings.limits.max_question_chars][: args.limit]
    embedder, extractor = advisor.embedder, advisor.extractor
    # the model, the index, the lexicon and the retriever, as a warm answer had them before this issue
    embedder.embed_query("warm up")
    advisor.retriever.by_id  # noqa: B018
    extractor.extract("we are 4 people")
    rss_before = rss_mb()
    t = time.perf_counter()
    advisor.reader.warm()
    first_build_ms = (time.perf_counter() - t) * 1000
    advisor.read("warm up the reader")

    if args.blas:
        return blas_rows(advisor, texts, args.rounds)

    base, read, added, answer = [], [], [], []
    for _ in range(args.rounds):
        for text in texts:
            embedder._cache.clear()
            t0 = time.perf_counter()
            extractor.extract(text)
            embedder.embed_query(text)
            b = (time.perf_counter() - t0) * 1000
            embedder._cache.clear()
            t0 = time.perf_counter()
            advisor.read(text)
            r = (time.perf_counter() - t0) * 1000
            embedder._cache.clear()
            t0 = time.perf_counter()
            advisor.ask(text)
            answer.append((time.perf_counter() - t0) * 1000)
            base.append(b)
            read.append(r)
            added.append(r - b)
    # the typo pass alone (it runs inside every reading above), against the lexicon pass as its baseline
    spell, lexicon = [], []
    speller = advisor.reader.speller
    for _ in range(args.rounds):
        for text in texts:
            t0 = time.perf_counter()
            extractor.extract(text)
            lexicon.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            if speller is not None:
                speller.fix(text)
            spell.append((time.perf_counter() - t0) * 1000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("lexicon pass alone", lexicon, "baseline for the typo pass"),
        ("typo pass alone (`Speller.fix`)", spell, f"{pct(spell, 95) / pct(lexicon, 95):.2f}× lexicon p95"),
        ("baseline: lexicon + question embedding", base, ""),
        ("reading (`Reader.read`), question embedding included", read,
         f"{pct(read, 95) / pct(base, 95):.2f}× baseline p95"),
        ("added by understanding (reading − baseline, per question)", added, "target: p95 ≤ 15 ms"),
        ("warm `ask`, deterministic composer, end to end", answer, ""),
    ]
    print(f"{len(texts)} dev questions × {args.rounds} rounds; first start embeds the example banks in "
          f"{first_build_ms:.0f} ms (cached in the data dir afterwards)\n")
    print("| metric | median ms | p95 ms | n | note |")
    print("|---|---:|---:|---:|---|")
    for name, values, note in rows:
        print(f"| {name} | {statistics.median(values):.1f} | {pct(values, 95):.1f} | {len(values)} | {note} |")
    print(f"\nRSS before the banks: {rss_before:.0f} MB; after {len(answer)} readings and answers: {rss_mb():.0f} MB "
          f"(+{rss_mb() - rss_before:.0f} MB); peak {peak:.0f} MB. Target: ≤ 50 MB more.", file=sys.stdout)


def blas_rows(advisor, texts: list[str], rounds: int) -> None:
    """A new question's reading with numpy's and scipy's OpenBLAS on one thread (as shipped) and on every core
    (`ADVISOR_EMBEDDING__BLAS_THREADS=0`, how it ran before), each in its own process (a thread pool, once
    started, stays for the process), the two alternating round by round."""
    import json
    import subprocess

    if os.environ.get("_BENCH_BLAS_CHILD"):
        out = []
        advisor.read("warm up the reader")
        for text in texts:
            advisor.embedder._cache.clear()
            t0 = time.perf_counter()
            advisor.read(text)
            out.append((time.perf_counter() - t0) * 1000)
        print(json.dumps(out))
        return
    times: dict[str, list[float]] = {"0": [], "1": []}
    for _ in range(rounds):
        for threads in ("0", "1"):
            env = {**os.environ, "_BENCH_BLAS_CHILD": "1", "ADVISOR_EMBEDDING__BLAS_THREADS": threads}
            proc = subprocess.run([sys.executable, __file__, "--blas", "--rounds", "1", "--limit", str(len(texts))],
                                  env=env, capture_output=True, text=True, check=True)
            times[threads] += json.loads(proc.stdout.strip().splitlines()[-1])
    every, one = times["0"], times["1"]
    print(f"{len(texts)} dev questions × {rounds} rounds, each side in its own process, query-embedding cache "
          f"cleared before each reading\n")
    print("| reading (`Reader.read`, question embedding included) | median ms | p95 ms | n | note |")
    print("|---|---:|---:|---:|---|")
    print(f"| baseline: BLAS on every core (`blas_threads=0`) | {statistics.median(every):.1f} | "
          f"{pct(every, 95):.1f} | {len(every)} | |")
    print(f"| one BLAS thread (as shipped) | {statistics.median(one):.1f} | {pct(one, 95):.1f} | {len(one)} | "
          f"{statistics.median(one) / statistics.median(every):.2f}× baseline median, "
          f"{pct(one, 95) / pct(every, 95):.2f}× p95 |")

if __name__ == "__main__":
    main()
