"""LLM benchmark: the local backend next to raw generation of the same prompt, and next to a naive RAG chain.

Run: .venv/bin/python bench/bench_llm.py [--rounds N]

- advisor: `Advisor.stream` with the local model (retrieval, rules, prompt, generation, guard, traces).
- raw: the same messages sent straight to llama.cpp (`Llama.create_chat_completion`, same settings): the floor.
- naive RAG: retriever | prompt | same model | parser, built from langchain_core pieces; no rules, no guard.
Fidelity: recommendation accuracy on questions with an expected pick, and numeric fidelity (every figure in
the answer appears in the passages it was given).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import pct  # noqa: E402 - beside this script

RECOMMEND = {
    "We are 4 people and nobody has run Kubernetes in production. Which tool should we use?": "mlflow",
    "We're a cloud-native startup with a dozen ML engineers. Which platform should we pick?": "wandb",
    "We're 7 engineers building a GenAI chatbot with RAG. Which tool should we use?": "wandb",
    "We're an 8-person fintech team, nobody knows Kubernetes, and our data must stay on-prem. "
    "What should we use?": "mlflow",
    "We're a research lab of 10 and have to share results with stakeholders through dashboards and reports. "
    "What do you recommend?": "wandb",
    "Our 35-person ML group has automated training pipelines, two DevOps engineers, and three engineers who "
    "run Kubernetes in production. What should we standardize on?": "kubeflow",
}
FACTUAL = [
    "What does W&B cost per seat?",
    "Who founded Weights & Biases?",
    "How long does migrating from W&B to MLflow take?",
    "What does Kubeflow cost a small team of ten per year?",
]
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
NAIVE_PROMPT = ("Answer the question using the context. Cite facts from the context.\n\nContext:\n{context}\n\n"
                "Question: {question}")



def figures_backed(text: str, passages: str) -> bool:
    return all(n in passages for n in NUMBER.findall(re.sub(r"\[\d+\]", "", text)))


def first_core_tool(text: str, vocab) -> str | None:
    return next((t for t in vocab.find_tools(text) if t in ("mlflow", "kubeflow", "wandb")), None)


def summarize(name: str, rows: list[dict]) -> str:
    ttft = [r["ttft"] for r in rows if r["ttft"] is not None]
    total = [r["total"] for r in rows]
    tps = [r["tokens"] / r["gen"] for r in rows if r["gen"] > 0 and r["tokens"]]
    return (f"| {name} | {statistics.median(ttft):.0f} | {pct(ttft, 95):.0f} | {statistics.median(total):.0f} | "
            f"{pct(total, 95):.0f} | {statistics.median(tps) if tps else 0:.1f} | {len(rows)} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnablePassthrough

    from advisor.lc_retriever import AdvisorRetriever
    from advisor.service import Advisor
    from advisor.settings import Settings

    data_dir = Path(os.environ.get("ADVISOR_PATHS__DATA_DIR", ROOT / "bench" / "results" / "data"))
    advisor = Advisor(Settings(paths={"data_dir": data_dir}, llm={"mode": "local"}))
    advisor.ensure_index()
    narrator = advisor.narrator
    model = narrator.model
    llama = model.load()
    questions = list(RECOMMEND) + FACTUAL
    advisor.ask(questions[0])  # warm-up: loads everything and fills the KV cache with the system prefix

    ours, raw, naive = [], [], []
    ours_correct = ours_faithful = naive_correct = naive_faithful = shown_llm = 0
    for _ in range(args.rounds):
        for q in questions:
            t0 = time.perf_counter()
            first_text = None
            answer = None
            for event in advisor.stream(q):
                if event.answer is not None:
                    answer = event.answer
                elif first_text is None and event.text.strip():
                    first_text = (time.perf_counter() - t0) * 1000
            total = (time.perf_counter() - t0) * 1000
            trace = advisor.traces.get(answer.trace_id)
            n_tokens = len(llama.tokenize(trace.raw_output.encode(), add_bos=False)) if trace.raw_output else 0
            gen_ms = answer.timings_ms.get("generate", 0)
            ours.append({"ttft": answer.timings_ms.get("first_token"), "total": total, "first_text": first_text,
                         "tokens": n_tokens, "gen": (gen_ms - (answer.timings_ms.get("first_token") or 0)) / 1000})
            shown_llm += answer.backend != "none"
            quotes = " ".join(c.quote for c in answer.citations)
            ours_faithful += figures_backed(answer.answer, quotes)
            if q in RECOMMEND:
                ours_correct += answer.recommendation is not None and answer.recommendation.primary == RECOMMEND[q]

            # raw: the very same messages, straight to llama.cpp, from the same cache state as the advisor's
            # call (only the static system prefix cached): prime with a different user message first.
            for _ in llama.create_chat_completion(messages=[trace.prompt[0], {"role": "user", "content": "ok"}],
                                                  max_tokens=1, stream=True):
                pass
            t0 = time.perf_counter()
            first = None
            text = ""
            for part in llama.create_chat_completion(messages=trace.prompt, max_tokens=model.max_tokens,
                                                     temperature=model.temperature, seed=model.seed,
                                                     repeat_penalty=model.repeat_penalty, stream=True):
                piece = part["choices"][0]["delta"].get("content") or ""
                if piece and first is None:
                    first = (time.perf_counter() - t0) * 1000
                text += piece
            total_raw = (time.perf_counter() - t0) * 1000
            raw.append({"ttft": first, "total": total_raw, "tokens": len(llama.tokenize(text.encode(), add_bos=False)),
                        "gen": (total_raw - (first or 0)) / 1000})

        # naive RAG: retriever | prompt | model | parser, no rules, no guard
        retriever = AdvisorRetriever.of(advisor.retriever, k=4)
        prompt = ChatPromptTemplate.from_messages([("human", NAIVE_PROMPT)])
        chain = ({"context": retriever | (lambda docs: "\n\n".join(d.page_content for d in docs)),
                  "question": RunnablePassthrough()} | prompt | model | StrOutputParser())
        for q in questions:
            t0 = time.perf_counter()
            first = None
            text = ""
            for piece in chain.stream(q):
                if piece and first is None:
                    first = (time.perf_counter() - t0) * 1000
                text += piece
            total_naive = (time.perf_counter() - t0) * 1000
            naive.append({"ttft": first, "total": total_naive,
                          "tokens": len(llama.tokenize(text.encode(), add_bos=False)),
                          "gen": (total_naive - (first or 0)) / 1000})
            context = "\n".join(d.page_content for d in retriever.invoke(q))
            naive_faithful += figures_backed(text, context)
            if q in RECOMMEND:
                naive_correct += first_core_tool(text, advisor.vocab) == RECOMMEND[q]

    n_rec = len(RECOMMEND) * args.rounds
    n_all = len(questions) * args.rounds
    print("| pipeline | first token p50 ms | p95 ms | total p50 ms | p95 ms | decode tokens/s | n |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(summarize("raw llama.cpp, same prompt (floor)", raw))
    print(summarize("advisor, local backend", ours))
    print(summarize("naive RAG (retriever, prompt, model, parser)", naive))
    overhead = statistics.median(r["total"] for r in ours) / statistics.median(r["total"] for r in raw) - 1
    first_text = [r["first_text"] for r in ours if r["first_text"] is not None]
    print(f"\nadvisor total / raw total (median): overhead {overhead * 100:+.1f}%")
    print(f"advisor, first text shown to the user: p50 {statistics.median(first_text):.0f} ms, "
          f"p95 {pct(first_text, 95):.0f} ms (recommendations show the computed head at once)")
    print(f"advisor answers worded by the model (rest fell back to the deterministic text): {shown_llm}/{n_all}")
    print(f"recommendation accuracy: advisor {ours_correct}/{n_rec}, naive RAG {naive_correct}/{n_rec} "
          "(naive: first of MLflow/Kubeflow/W&B named)")
    print(f"numeric fidelity (every figure in the given passages): advisor {ours_faithful}/{n_all}, "
          f"naive RAG {naive_faithful}/{n_all}")
    print(f"peak RSS, one process with embedding model, index and local model: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
