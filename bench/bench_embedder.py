"""The ONNX Runtime embedder against sentence-transformers: cold start, a question's embedding, equivalence.

Run: .venv/bin/python bench/bench_embedder.py [--rounds N] [--data-dir DIR]
DIR must hold a built index (`advisor ingest`); the ONNX export is made there on first use.
Prints Markdown tables for BENCHMARKS.md: the torch path is the baseline, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import pct  # noqa: E402 - beside this script

QUESTION = "We're 5 people and nobody knows Kubernetes. What should we use?"


def line(name: str, ms: list[float], base: list[float] | None) -> str:
    ratio = f"{statistics.median(ms) / statistics.median(base):.2f}×" if base else "1.00× (baseline)"
    return f"| {name} | {statistics.median(ms):.1f} | {pct(ms, 95):.1f} | {len(ms)} | {ratio} |"


def cold_ask(backend: str, data_dir: Path, rounds: int) -> list[float]:
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir), "ADVISOR_EMBEDDING__BACKEND": backend}
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "advisor.cli", "ask", "--backend", "none", QUESTION], check=True,
                       env=env, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--data-dir", type=Path, default=None)
    args = ap.parse_args()

    import numpy as np

    from advisor.chunks import load_corpus
    from advisor.embeddings import SentenceEmbedder
    from advisor.heldout import SETS, load_set
    from advisor.onnx_embedder import OnnxEmbedder
    from advisor.settings import Settings

    settings = Settings() if args.data_dir is None else Settings(paths={"data_dir": args.data_dir})
    data_dir = settings.paths.data_dir
    onnx = OnnxEmbedder(cache_dir=data_dir, threads=1)
    torch_ = SentenceEmbedder(threads=1)
    onnx.embed_documents(["warm up"]), torch_.embed_documents(["warm up"])

    # every question of every held-out set, and its clauses in the batches a reading embeds
    questions: list[str] = []
    for name in SETS:
        for item in load_set(name):
            questions += [t.say for t in item.turns] if name == "conversations" else [item.text]
    questions = list(dict.fromkeys(questions))
    chunks = [c.search_text for c in load_corpus(settings.paths.corpus_dir).chunks]

    lines = ["| step | median ms | p95 ms | n | vs torch |", "|---|---:|---:|---:|---|"]
    torch_cold, onnx_cold = cold_ask("torch", data_dir, args.rounds), cold_ask("onnx", data_dir, args.rounds)
    lines += [line("cold `advisor ask` (torch + sentence-transformers)", torch_cold, None),
              line("cold `advisor ask` (ONNX Runtime)", onnx_cold, torch_cold)]
    batches = [[c for c in re.split(r"(?<=[.,;?!])\s+", q) if c] + [q] for q in questions[::8]]
    for label, embedder in (("torch", torch_), ("onnx", onnx)):
        times = []
        for batch in batches:
            t = time.perf_counter()
            embedder.embed_documents(batch)
            times.append((time.perf_counter() - t) * 1000)
        if label == "torch":
            base = times
        lines.append(line(f"one question and its clauses, {label}, 1 thread", times, None if label == "torch"
                          else base))
    print("\n".join(lines))

    print("\n| texts | n | min cosine | mean cosine |\n|---|---:|---:|---:|")
    for label, texts in (("corpus chunks", chunks), ("held-out questions and turns", questions)):
        a, b = np.asarray(onnx.embed_documents(texts)), np.asarray(torch_.embed_documents(texts))
        cos = (a * b).sum(axis=1)
        print(f"| {label} | {len(texts)} | {cos.min():.7f} | {cos.mean():.7f} |")


if __name__ == "__main__":
    main()
