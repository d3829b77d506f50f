"""LLM-written answers: the real local model end to end, and scripted remote models through the real
OpenAI and Ollama clients (against local servers speaking their wire formats), guarded and traced."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import CORPUS
from fakes.llm_servers import FakeOllama, FakeOpenAI

from advisor.service import Advisor
from advisor.settings import Settings

DOC = (CORPUS / "mlflow-kubeflow-wandb-comparison.txt").read_text(encoding="utf-8")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
QUESTION = "We are 4 people and nobody has run Kubernetes in production. Which tool should we use?"


def assert_grounded_figures(answer) -> None:
    """Every [n] exists, every quote is verbatim, every figure in a line is in a passage that line cites."""
    quotes = {c.n: c.quote for c in answer.citations}
    for c in answer.citations:
        assert c.quote in DOC
    for line in answer.answer.splitlines():
        marks = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        assert all(m in quotes for m in marks), line
        for number in NUMBER.findall(re.sub(r"\[\d+\]", "", line)):
            assert any(number in quotes[m] for m in marks), f"unbacked figure {number!r} in: {line}"


def collect(advisor: Advisor, question: str):
    events = list(advisor.stream(question))
    final = events[-1].answer
    assert final is not None and all(e.answer is None for e in events[:-1])
    texts = events[:-1]
    resets = [i for i, e in enumerate(texts) if e.reset]
    shown = texts[resets[-1]:] if resets else texts  # a reset replaces what was streamed before it
    return events, final, "".join(e.text for e in shown)


# ---- the real local model -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local_advisor(index, settings) -> Advisor:
    return Advisor(Settings(paths=settings.paths.model_dump(), llm={"mode": "local", "max_tokens": 96}))


@pytest.mark.parametrize("question", [QUESTION, "What does W&B cost per seat?",
                                      "We're 7 engineers building a GenAI chatbot with RAG. Which tool?"])
def test_local_model_end_to_end(local_advisor, question):
    events, answer, shown = collect(local_advisor, question)
    assert len(events) >= 2  # streamed: text before the final answer
    assert shown == answer.answer  # what was streamed is exactly what the answer says
    assert answer.backend in ("none", "local:SmolLM2-135M-Instruct.Q4_1.gguf")
    if answer.backend == "none":
        assert answer.notice and "showing the deterministic answer" in answer.notice and not answer.grounded
    else:
        assert answer.grounded == (not answer.dropped)
    # what the guard dropped never reaches the user as the model's words (a sentence the model copied from a
    # passage may still be shown where the passage itself is quoted, with its citation)
    prose = "\n".join(line for line in answer.answer.splitlines() if not line.startswith(("- “", "- ")))
    for d in answer.dropped:
        assert d["sentence"] not in prose
    assert_grounded_figures(answer)
    trace = local_advisor.traces.get(answer.trace_id)
    assert trace.prompt[0]["role"] == "system" and trace.raw_output and trace.guard
    assert trace.backend == answer.backend and "first_token" in trace.timings_ms


def test_cli_local_json(index, data_dir):
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir), "ADVISOR_LLM__MAX_TOKENS": "64"}
    proc = subprocess.run([sys.executable, "-m", "advisor.cli", "ask", "--backend", "local", "--json", QUESTION],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    answer = json.loads(proc.stdout)
    assert answer["backend"] in ("none", "local:SmolLM2-135M-Instruct.Q4_1.gguf")
    assert "grounded" in answer and answer["recommendation"]["primary"] == "mlflow"
    if answer["backend"] == "none":
        assert answer["notice"] and "SmolLM2" in answer["notice"]  # the fallback names the model it replaced
    from advisor.answer import Answer

    assert_grounded_figures(Answer.model_validate(answer))


# ---- scripted remote models: the real client code against local wire-format servers ------------------


def remote_advisor(settings, fake, mode: str) -> Advisor:
    # read_profile off: these tests script the narration replies (the second reader has its own tests)
    return Advisor(Settings(paths=settings.paths.model_dump(),
                            llm={"mode": mode, "model": "fake-model", "base_url": fake.url, "timeout_s": 3,
                                 "read_profile": False}))


def point_numbers(advisor: Advisor, question: str) -> dict[str, int]:
    """The [n] of the passages the deterministic answer cites, by a fragment of their quote."""
    draft = Advisor(Settings(paths=advisor.settings.paths.model_dump(), llm={"mode": "none"})).ask(question)
    return {c.quote[:40]: c.n for c in draft.citations}


@pytest.mark.parametrize("fake_cls,mode", [(FakeOpenAI, "openai"), (FakeOllama, "ollama")])
def test_grounded_prose_is_streamed_and_kept(index, settings, fake_cls, mode):
    with fake_cls() as fake:
        adv = remote_advisor(settings, fake, mode)
        n = next(v for k, v in point_numbers(adv, QUESTION).items() if k.startswith("Does your team have"))
        fake.reply(f"Nobody on your team has run Kubernetes in production, so Kubeflow is the wrong starting "
                   f"point [{n}]. MLflow is the recommendation.")
        events, answer, shown = collect(adv, QUESTION)
        assert answer.backend == f"{mode}:fake-model" and answer.notice is None
        assert "Kubeflow is the wrong starting point" in answer.answer
        assert answer.recommendation.primary == "mlflow"  # computed, not generated
        assert shown == answer.answer
        body = fake.chat_requests()[-1].body
        assert body["model"] == "fake-model" and body["messages"][0]["role"] == "system"
        assert "Decision: use MLflow" in body["messages"][-1]["content"]
        assert_grounded_figures(answer)


def test_the_kubernetes_invention_is_dropped(index, settings):
    with FakeOpenAI() as fake:
        adv = remote_advisor(settings, fake, "openai")
        n = next(v for k, v in point_numbers(adv, QUESTION).items() if k.startswith("MLflow wins on"))
        good = next(v for k, v in point_numbers(adv, QUESTION).items() if k.startswith("Does your team have"))
        fake.reply(f"MLflow is specifically designed for Kubernetes [{n}]. Without an engineer who has run "
                   f"Kubernetes in production, Kubeflow is the wrong starting point [{good}].")
        answer = adv.ask(QUESTION)
        assert "specifically designed for Kubernetes" not in answer.answer
        assert any("specifically designed for Kubernetes" in d["sentence"] for d in answer.dropped)
        assert not answer.grounded
        trace = adv.traces.get(answer.trace_id)
        assert "specifically designed for Kubernetes" in trace.raw_output


def test_an_invented_price_falls_back_to_the_deterministic_answer(index, settings):
    with FakeOpenAI() as fake:
        adv = remote_advisor(settings, fake, "openai")
        fake.reply("W&B costs $99 per seat per month [1]. Neptune costs $49 [2].")
        answer = adv.ask("What does W&B cost per seat?")
        assert "$99" not in answer.answer and "$49" not in answer.answer
        assert answer.backend == "none" and answer.notice and "grounding check" in answer.notice
        assert "$50" in answer.answer  # the deterministic answer quotes the passage
        assert_grounded_figures(answer)


@pytest.mark.parametrize("script,expect", [
    (lambda f: f.fail(500), "HTTP 500"),
    (lambda f: f.delay(6.0), "timed out"),
    (lambda f: f.empty(), "empty"),
    (lambda f: f.garbage(), ""),
])
def test_backend_failures_become_a_notice(index, settings, script, expect):
    with FakeOpenAI() as fake:
        adv = remote_advisor(settings, fake, "openai")
        script(fake)
        answer = adv.ask(QUESTION)
        assert answer.backend == "none" and not answer.grounded
        assert answer.notice and expect in answer.notice and "\n" not in answer.notice
        assert answer.recommendation.primary == "mlflow" and "**Recommendation: MLflow**" in answer.answer


def test_unreachable_backend_is_a_notice(index, settings):
    adv = Advisor(Settings(paths=settings.paths.model_dump(),
                           llm={"mode": "ollama", "model": "m", "base_url": "http://127.0.0.1:9", "timeout_s": 2,
                                "read_profile": False}))
    answer = adv.ask(QUESTION)
    assert answer.backend == "none" and "unreachable" in answer.notice


def test_out_of_scope_never_calls_the_model(index, settings):
    with FakeOpenAI() as fake:
        adv = remote_advisor(settings, fake, "openai")
        answer = adv.ask("What's a good recipe for banana bread?")
        assert not answer.in_scope and fake.chat_requests() == []
