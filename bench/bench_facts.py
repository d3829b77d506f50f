"""Fact-table benchmark (issue 11): what reading the tables cell by cell costs at ingest and per answer.

Run: .venv/bin/python bench/bench_facts.py [--rounds N]

In the same run:
  - ingest: a full ingest (parse the corpus, embed every chunk, write Chroma), the baseline;
  - fact table: building the table from the ingested chunks plus embedding its rows' labels and aliases
    (what a fresh data directory pays once; later starts read the embeddings from the cache);
  - sentence bank (advisor/passages.py): every prose sentence embedded once (uncached) and read back from
    the cache (every later start), against the same ingest;
  - factual answers, warm, deterministic composer, over the dev split of evals/facts.yaml (the test split is
    not touched): with the table reader (rows matched, cells first, premises checked against cells) against
    the same advisor with table matching switched off (floor above any score), the path before issue 11;
    and with sentences weighed by meaning against the same advisor with it off (retrieval.sentence_weight 0).
Query-embedding caches are cleared before every measurement. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
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


def row(name: str, ms: list[float], base: list[float] | None = None) -> str:
    ratio = f"{statistics.median(ms) / statistics.median(base):.2f}×" if base else "1.00× (baseline)"
    return f"| {name} | {statistics.median(ms):.1f} | {pct(ms, 95):.1f} | {ratio} | {len(ms)} |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from advisor.fact_table import FactTable, TableReader
    from advisor.heldout import load_set
    from advisor.service import Advisor
    from advisor.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="advisor-bench-f-"))
    advisor = Advisor(Settings(paths={"data_dir": data_dir}, llm={"mode": "none"}))
    advisor.ensure_index()
    advisor.reader.warm()

    from advisor.passages import SentenceBank

    ingest, build, cached, table_only, bank_new, bank_cached = [], [], [], [], [], []
    for i in range(args.rounds):
        t0 = time.perf_counter()
        advisor.ingest(rebuild=True)
        ingest.append((time.perf_counter() - t0) * 1000)
        chunks = advisor.retriever.by_id
        t0 = time.perf_counter()
        table = FactTable.from_chunks(chunks, advisor.vocab)
        reader = TableReader(table, advisor.vocab, advisor.embedder, data_dir / f"rows-{i}")  # uncached
        _ = reader.bank
        build.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        table = FactTable.from_chunks(chunks, advisor.vocab)
        table_only.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        _ = TableReader(table, advisor.vocab, advisor.embedder, data_dir / f"rows-{i}").bank  # cache written above
        cached.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        SentenceBank(chunks, advisor.embedder, data_dir / f"sentences-{i}").warm()  # uncached
        bank_new.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        SentenceBank(chunks, advisor.embedder, data_dir / f"sentences-{i}").warm()  # the cache written above
        bank_cached.append((time.perf_counter() - t0) * 1000)

    questions = [i.text for i in load_set("facts", split="dev")]

    def answers(settings: list[tuple[list[float], object]], put) -> None:
        """Each question answered under each setting in turn (`put(value)` sets it), timed into its list."""
        for _ in range(args.rounds):
            for q in questions:
                for timings, value in settings:
                    put(value)
                    advisor.embedder._cache.clear()
                    t0 = time.perf_counter()
                    advisor.ask(q)
                    timings.append((time.perf_counter() - t0) * 1000)

    with_table, without = [], []
    floor = advisor.table_reader.config.floor
    answers([(with_table, floor), (without, 99.0)], lambda v: setattr(advisor.table_reader.config, "floor", v))
    advisor.table_reader.config.floor = floor
    weight = advisor.settings.retrieval.sentence_weight
    by_meaning, words_only = [], []
    answers([(by_meaning, weight), (words_only, 0.0)],
            lambda v: setattr(advisor.settings.retrieval, "sentence_weight", v))
    advisor.settings.retrieval.sentence_weight = weight

    print(f"{len(table.rows)} rows, {len(table.cells())} cells; {len(questions)} dev questions × {args.rounds} rounds;"
          f" python {sys.version.split()[0]}\n")
    print("| measurement | median ms | p95 ms | ratio | n |")
    print("|---|---|---|---|---|")
    print(row("full ingest (parse, embed, write Chroma)", ingest))
    print(row("fact table built + row labels embedded (uncached)", build, ingest))
    print(row("fact table built from the chunks (no embedding)", table_only, ingest))
    print(row("row labels loaded from the cache (a later start)", cached, ingest))
    print(row("factual answer, table matching off (before)", without))
    print(row("factual answer, with the fact table", with_table, without))
    print(row("prose sentences embedded (uncached: a new data dir or corpus)", bank_new, ingest))
    print(row("prose sentences loaded from the cache (a later start)", bank_cached, ingest))
    print(row("factual answer, sentences by shared words only (before)", words_only))
    print(row("factual answer, sentences also weighed by meaning", by_meaning, words_only))


if __name__ == "__main__":
    main()
