"""Core benchmark: ingest, unchanged re-ingest, retrieval, warm deterministic answers, cold start, memory.

Run: .venv/bin/python bench/bench_core.py [--rounds N]
Prints a Markdown table (median, p95, and a baseline measured in the same run) for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import pct  # noqa: E402 - beside this script

QUESTIONS = [
    "We are 4 people and nobody has run Kubernetes in production. Which tool should we use?",
    "We're a cloud-native startup with a dozen ML engineers. Which platform should we pick?",
    "We're 7 engineers building a GenAI chatbot with RAG. Which tool should we use?",
    "We're an 8-person fintech team, nobody knows Kubernetes, and our data must stay on-prem. What should we use?",
    "What does W&B cost per seat?",
    "How long does migrating from W&B to MLflow take?",
    "Who founded Weights & Biases?",
    "What's a good recipe for banana bread?",
]



def row(name: str, values_ms: list[float], baseline: str = "") -> dict:
    return {"metric": name, "median_ms": statistics.median(values_ms), "p95_ms": pct(values_ms, 95),
            "n": len(values_ms), "baseline": baseline}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    import yaml

    from advisor.service import Advisor
    from advisor.settings import Settings

    results: list[dict] = []
    data_dir = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
    advisor = Advisor(Settings(paths={"data_dir": data_dir}))

    t = time.perf_counter()
    advisor.embedder.model  # noqa: B018 - load outside the ingest timing
    load_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    report, _ = advisor.ingest()
    results.append(row("ingest, empty index (embed all chunks)", [(time.perf_counter() - t) * 1000],
                       f"{report.embedded} chunks embedded; model load {load_ms:.0f} ms not included"))

    reingest = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        r, _ = advisor.ingest()
        reingest.append((time.perf_counter() - t) * 1000)
        assert r.embedded == 0
    results.append(row("re-ingest, nothing changed", reingest, "0 chunks embedded"))

    retrieval_set = yaml.safe_load((ROOT / "evals" / "retrieval.yaml").read_text(encoding="utf-8"))
    qs = [c["question"] for c in retrieval_set]
    retriever = advisor.retriever
    retriever.search(qs[0])  # warm up
    for mode in ("dense", "bm25", "hybrid"):
        times = []
        for _ in range(args.rounds):
            for q in qs:
                retriever.index.embedder.clear_cache()  # measure the query embedding too
                t = time.perf_counter()
                retriever.search(q, mode=mode)
                times.append((time.perf_counter() - t) * 1000)
        results.append(row(f"retrieval ({mode}, k=5{', query embedding included' if mode != 'bm25' else ''})", times,
                           "baseline for hybrid" if mode == "dense" else ""))

    ask_times = []
    for _ in range(args.rounds):
        for q in QUESTIONS:
            retriever.index.embedder.clear_cache()
            t = time.perf_counter()
            advisor.ask(q)
            ask_times.append((time.perf_counter() - t) * 1000)
    results.append(row("warm `ask`, deterministic composer", ask_times, f"{len(QUESTIONS)} questions"))
    peak_in_process = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir)}
    cold, floor = [], []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import torch, sentence_transformers, chromadb"], check=True, env=env)
        floor.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "advisor.cli", "ask", QUESTIONS[0]], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        cold.append((time.perf_counter() - t) * 1000)
    results.append(row("cold start: import torch + sentence-transformers + chromadb (floor)", floor, "baseline"))
    results.append(row("cold start: `advisor ask` one question", cold,
                       f"{statistics.median(cold) / statistics.median(floor):.2f}× the import floor"))
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print("| metric | median ms | p95 ms | n | note |")
    print("|---|---:|---:|---:|---|")
    for r in results:
        print(f"| {r['metric']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['n']} | {r['baseline']} |")
    dense = next(r for r in results if r["metric"].startswith("retrieval (dense"))
    hybrid = next(r for r in results if r["metric"].startswith("retrieval (hybrid"))
    print(f"\nhybrid / dense retrieval p95: {hybrid['p95_ms'] / dense['p95_ms']:.2f}×")
    print(f"peak RSS, benchmark process (model + index + {len(qs)} queries): {peak_in_process:.0f} MB")
    print(f"peak RSS, largest child (`advisor ask` cold): {peak_child:.0f} MB")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "core.json").write_text(json.dumps({"rows": results, "peak_rss_mb": peak_in_process,
                                               "peak_child_rss_mb": peak_child}, indent=2))


if __name__ == "__main__":
    main()
