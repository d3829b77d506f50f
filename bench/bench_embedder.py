"""The ONNX Runtime embedder against sentence-transformers: cold start, `advisor serve`, a question's
embedding, equivalence.

Run: .venv/bin/python bench/bench_embedder.py [--rounds N] [--data-dir DIR] [--serve] [--every K]
DIR must hold a built index (`advisor ingest`); the ONNX export is made there on first use.
Prints Markdown tables for BENCHMARKS.md: the torch path is the baseline, measured in the same run. The
cold runs go first, while this process holds no model (a loaded torch here slowed them by a third).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
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


def cold_ask(backend: str, data_dir: Path, rounds: int, keep_regexes: bool = True) -> list[float]:
    """`advisor ask` in a new process; `keep_regexes=False` deletes the compiled-regex cache first
    (advisor/regex_cache.py), as on the first start in a new data dir."""
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir), "ADVISOR_EMBEDDING__BACKEND": backend}
    times = []
    for _ in range(rounds):
        if not keep_regexes:
            shutil.rmtree(data_dir / "regex", ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "advisor.cli", "ask", "--backend", "none", QUESTION], check=True,
                       env=env, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return times


def serve_start(backend: str, data_dir: Path, question: str) -> tuple[float, float, float]:
    """(ms from `advisor serve --backend local` to its page answering, ms for the first answer through
    the page's API, the server's peak RSS in MB after that answer)."""
    from gradio_client import Client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir), "ADVISOR_EMBEDDING__BACKEND": backend,
           "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "advisor.cli", "serve", "--backend", "local", "--port",
                             str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for out in proc.stdout:
            if "Running on local URL" in out:
                break
        ready = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        Client(f"http://127.0.0.1:{port}/", verbose=False).predict(question, api_name="/chat")
        answered = (time.perf_counter() - t) * 1000
        status = Path(f"/proc/{proc.pid}/status").read_text()
        peak = int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return ready, answered, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--serve", action="store_true", help="also time `advisor serve --backend local`")
    ap.add_argument("--every", type=int, default=10, help="compare every K-th held-out question (1: all)")
    args = ap.parse_args()
    from advisor.settings import Settings

    settings = Settings() if args.data_dir is None else Settings(paths={"data_dir": args.data_dir})
    data_dir = settings.paths.data_dir
    lines = ["| step | median ms | p95 ms | n | vs torch |", "|---|---:|---:|---:|---|"]
    torch_cold = cold_ask("torch", data_dir, args.rounds)
    fresh_cold = cold_ask("onnx", data_dir, args.rounds, keep_regexes=False)
    onnx_cold = cold_ask("onnx", data_dir, args.rounds)
    lines += [line("cold `advisor ask` (torch + sentence-transformers)", torch_cold, None),
              line("cold `advisor ask` (ONNX Runtime, no compiled-regex cache)", fresh_cold, torch_cold),
              line("cold `advisor ask` (ONNX Runtime)", onnx_cold, torch_cold)]
    if args.serve:
        serve = {b: serve_start(b, data_dir, QUESTION) for b in ("torch", "onnx")}
        lines += ["", "| `advisor serve --backend local` | torch | ONNX | ONNX vs torch |", "|---|---:|---:|---|"]
        for i, name in enumerate(("start to a ready page, ms", "first answer through /chat, ms",
                                  "peak RSS after it, MB")):
            a, b = serve["torch"][i], serve["onnx"][i]
            lines.append(f"| {name} | {a:.0f} | {b:.0f} | {b - a:+.0f} ({b / a:.2f}×) |")
    print("\n".join(lines), flush=True)
    lines = ["", "| step | median ms | p95 ms | n | vs torch |", "|---|---:|---:|---:|---|"]

    import numpy as np

    from advisor.chunks import load_corpus
    from advisor.embeddings import SentenceEmbedder
    from advisor.heldout import SETS, load_set
    from advisor.onnx_embedder import OnnxEmbedder

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
    sample = (f"held-out questions and turns (every {args.every}th)", questions[:: args.every])
    for label, texts in (("corpus chunks", chunks), sample):
        a, b = np.asarray(onnx.embed_documents(texts)), np.asarray(torch_.embed_documents(texts))
        cos = (a * b).sum(axis=1)
        print(f"| {label} | {len(texts)} | {cos.min():.7f} | {cos.mean():.7f} |")


if __name__ == "__main__":
    main()
