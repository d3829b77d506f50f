"""`advisor ask` end to end: the real CLI, real Chroma, the real embedding model.

Every archetype row and screening question of the article is asked in reworded form; every answer's
citations must be verbatim and every figure in a line must appear in a passage that line cites.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import CORPUS

DOC = (CORPUS / "mlflow-kubeflow-wandb-comparison.txt").read_text(encoding="utf-8")

# question -> expectations. primary: recommended tool; avoid: must be avoided; not_primary: must not win.
CASES: dict[str, dict] = {
    # Team archetype table, row by row, two wordings each
    "I'm a solo researcher tracking my own experiments. What should I use?":
        {"primary": "mlflow", "avoid": ["kubeflow"]},
    "Three of us, all data scientists, everything done by hand in notebooks. Which tool fits?":
        {"primary": "mlflow", "avoid": ["kubeflow"]},
    "We're a cloud-native startup with a dozen ML engineers. Which platform should we pick?":
        {"primary": "wandb", "secondary": ["mlflow"], "avoid": ["kubeflow"]},
    "Team of fifteen data scientists, all in the cloud, no DevOps hire yet. What do you recommend?":
        {"primary": "wandb", "avoid": ["kubeflow"]},
    "We're an enterprise ML platform org of 60 people running production ML with full CI/CD, a dedicated "
    "platform team of 4 and plenty of engineers with production Kubernetes experience. What should be our "
    "primary tool?":
        {"primary": "kubeflow", "secondary": ["mlflow", "wandb"]},
    "Our 35-person ML group has automated training pipelines, two DevOps engineers, and three engineers who "
    "run Kubernetes in production. What should we standardize on?":
        {"primary": "kubeflow"},
    "We're a 30-person ML team at a hospital; patient data can't leave our datacenter. Our platform team of "
    "3 has run Kubernetes in production for years and we have automated training pipelines. Which tool?":
        {"primary": "kubeflow", "secondary": ["mlflow"], "avoid": ["wandb"],
         "stack": "On-Premises Regulated Stack"},
    "Which MLOps tool should a regulated insurance company choose?":
        {"primary": "kubeflow", "avoid": ["wandb"], "hinge": "k8s_engineers"},
    "We're 7 engineers building a GenAI chatbot with RAG. Which tool should we use?":
        {"primary": "wandb", "avoid": ["kubeflow"]},
    "Our small team mostly does prompt engineering and LLM agents. What fits us best?":
        {"primary": "wandb", "avoid": ["kubeflow"]},
    "We're a research lab of 10 and have to share results with stakeholders through dashboards and reports. "
    "What do you recommend?":
        {"primary": "wandb", "avoid": ["kubeflow"]},
    "Academic group, about eight researchers, our funders want regular visual reports. Which tool should we "
    "go with?":
        {"primary": "wandb", "avoid": ["kubeflow"]},
    # The four screening questions
    "Nobody on our 10-person team has touched Kubernetes. Should we adopt Kubeflow?":
        {"not_primary": "kubeflow", "avoid": ["kubeflow"], "cites": "If not, Kubeflow as the primary platform"},
    "We have no k8s skills at all, six of us. Is Kubeflow a good idea?":
        {"not_primary": "kubeflow", "avoid": ["kubeflow"]},
    "We'll be 40 people soon and per-seat pricing worries us, our budget is tight. Should we pick W&B?":
        {"not_primary": "wandb", "cites": "model W&B’s cost trajectory explicitly"},
    "Our data can't be stored in the cloud because of regulation. Which tool should we use?":
        {"not_primary": "wandb", "avoid": ["wandb"], "cites": "architecturally defensible choices"},
    "We're primarily building generative AI applications. Which platform should we choose?":
        {"primary": "wandb", "cites": "worth the pricing premium"},
    "Mostly LLM apps here, 5 engineers. Which tool?":
        {"primary": "wandb"},
    # conflict: regulated without Kubernetes skills
    "We're an 8-person fintech team, nobody knows Kubernetes, and our data must stay on-prem. What should we use?":
        {"primary": "mlflow", "avoid": ["kubeflow", "wandb"], "says": "pull in different directions"},
    # unknowns become assumptions or questions back
    "Which tool should we use?":
        {"intent": "recommend", "confidence": "low", "hinge": "team_size"},
}

FACTS = {
    "What does W&B cost per seat?": ["$50"],
    "Who founded Weights & Biases?": ["Lukas Biewald"],
    "How long does migrating from W&B to MLflow take?": ["2 to 4 weeks"],
    "What does Kubeflow cost a small team of ten per year?": ["$24,000–$36,000/year"],
    "When was MLflow built and by whom?": ["Databricks", "2018"],
}
OUT_OF_SCOPE = ["What's a good recipe for banana bread?", "Who won the football world cup in 2014?"]
NOT_COVERED = ["How much does Neptune.ai cost?", "Is ClearML better for experiment tracking?"]

ALL = list(CASES) + list(FACTS) + OUT_OF_SCOPE + NOT_COVERED


def run_cli(args: list[str], data_dir, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "advisor.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def answers(index, data_dir) -> dict[str, dict]:
    proc = run_cli(["ask", "--backend", "none", "--jsonl"], data_dir, stdin="\n".join(ALL) + "\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(ALL)
    return {a["question"]: a for a in out}


@pytest.mark.parametrize("question", list(CASES))
def test_recommendations(answers, question):
    a, want = answers[question], CASES[question]
    rec = a["recommendation"]
    assert a["in_scope"] and a["intent"] == want.get("intent", "recommend")
    assert rec is not None
    if "primary" in want:
        assert rec["primary"] == want["primary"], (a["profile"], a["scores"])
    if "not_primary" in want:
        assert rec["primary"] != want["not_primary"]
    for tool in want.get("avoid", []):
        assert tool in rec["avoid"]
    for tool in want.get("secondary", []):
        assert tool in rec["secondary"]
    if "stack" in want:
        assert rec["stack_pattern"] == want["stack"]
    if "confidence" in want:
        assert rec["confidence"] == want["confidence"]
    if "hinge" in want:
        assert want["hinge"] in {h["field"] for h in a["hinges"]}
    if "cites" in want:
        assert any(want["cites"] in c["quote"] for c in a["citations"])
    if "says" in want:
        assert want["says"] in a["answer"]
    # the answer names its primary and every score is the sum of its reasons
    assert {s["tool"] for s in a["scores"]} == {"mlflow", "kubeflow", "wandb"}
    for s in a["scores"]:
        assert s["score"] == pytest.approx(sum(r["delta"] for r in s["reasons"]))


@pytest.mark.parametrize("question", list(FACTS))
def test_factual_answers_quote_the_passage(answers, question):
    a = answers[question]
    assert a["intent"] == "factual" and a["recommendation"] is None
    for fact in FACTS[question]:
        assert fact in a["answer"]
        assert any(fact in c["quote"] for c in a["citations"])


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope(answers, question):
    a = answers[question]
    assert not a["in_scope"] and a["recommendation"] is None and a["citations"] == []
    assert "MLOps" in a["answer"]


@pytest.mark.parametrize("question", NOT_COVERED)
def test_not_covered_tools_are_named_not_invented(answers, question):
    a = answers[question]
    assert a["not_covered"] and a["intent"] == "not_covered"
    assert "does not cover" in a["answer"]
    assert not re.search(r"\$\s?\d", a["answer"])


_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@pytest.mark.parametrize("question", ALL)
def test_citations_verbatim_and_figures_backed(answers, question):
    a = answers[question]
    quotes = {c["n"]: c["quote"] for c in a["citations"]}
    assert sorted(quotes) == list(range(1, len(quotes) + 1))
    for c in a["citations"]:
        assert c["quote"] in DOC, c
    for line in a["answer"].splitlines():
        marks = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        assert all(m in quotes for m in marks), line
        body = re.sub(r"\[\d+\]", "", line)
        for number in _NUMBER.findall(body):
            assert any(number in quotes[m] for m in marks), f"unbacked figure {number!r} in: {line}"


def test_text_output_lists_sources(index, data_dir):
    proc = run_cli(["ask", "--backend", "none", "What does W&B cost per seat?"], data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "Sources:" in proc.stdout and "[1]" in proc.stdout


@pytest.mark.parametrize("args,stdin,message", [
    (["ask", "   "], None, "empty"),
    (["ask", "x" * 4001], None, "limit is 4000"),
    (["ask", "which tool\x07 for us"], None, "control characters"),
    (["ask"], None, "give a question"),
])
def test_bad_input_is_one_line_exit_2(index, data_dir, args, stdin, message):
    proc = run_cli(args, data_dir, stdin)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_jsonl_reports_bad_lines_and_goes_on(index, data_dir):
    stdin = "What does W&B cost per seat?\n" + "y" * 5000 + "\n"
    proc = run_cli(["ask", "--backend", "none", "--jsonl"], data_dir, stdin=stdin)
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert proc.returncode == 2
    assert lines[0]["intent"] == "factual" and "limit is 4000" in lines[1]["error"]


def test_unwritable_data_dir_is_one_line_exit_2(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    proc = run_cli(["ask", "Which tool should we use?"], blocker)
    assert proc.returncode == 2 and "not writable" in proc.stderr and "Traceback" not in proc.stderr


def test_corrupt_index_is_a_clear_message_and_left_alone(tmp_path):
    chroma = tmp_path / "chroma"
    chroma.mkdir()
    (chroma / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    proc = run_cli(["ask", "Which tool should we use?"], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "advisor ingest --rebuild" in proc.stderr or "unreadable" in proc.stderr
    assert (chroma / "chroma.sqlite3").read_bytes() == b"this is not a database" * 100
