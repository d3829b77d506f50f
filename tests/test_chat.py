"""Conversations and traces, on the deterministic backend (the LLM path has its own tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from advisor.chat import Conversation, Turn
from advisor.service import Advisor
from advisor.settings import Settings


@pytest.fixture(scope="module")
def advisor(index, settings) -> Advisor:
    s = Settings(paths=settings.paths.model_dump(), llm={"mode": "none"})
    return Advisor(s)


def test_profile_accumulates_and_rescoring_uses_both_facts(advisor):
    conv = Conversation(advisor)
    first = conv.ask("We're 6 people and nobody has run Kubernetes in production. Which tool should we use?")
    assert first.profile["team_size"] == 6 and first.profile["k8s_engineers"] == 0
    assert first.recommendation.primary != "kubeflow" and "kubeflow" in first.recommendation.avoid
    second = conv.ask("What if we hire two Kubernetes engineers?")
    assert second.intent == "recommend"
    assert second.profile["team_size"] == 6 and second.profile["k8s_engineers"] == 2
    fired = {r.rule for s in second.scores for r in s.reasons}
    assert "screen-kubernetes" not in fired and "not-kubeflow-k8s" not in fired


def test_cost_follow_up_resolves_to_the_tool_under_discussion(advisor):
    conv = Conversation(advisor)
    first = conv.ask("We're a team of 8 building LLM chatbots. Which tool fits us?")
    assert first.recommendation.primary == "wandb" and conv.topic == "wandb"
    cost = conv.ask("And what would it cost us?")
    assert cost.cost is not None and cost.cost.band == "small"
    assert "Weights & Biases, the tool we were discussing: $6,000/year" in cost.answer


def test_a_cost_question_says_why_a_tool_comes_first(advisor):
    # the first turn of a conversation has discussed nothing yet; two tools weighed alike go in table order
    both = Conversation(advisor).ask("wich is cheaper mlflow or wandb for like 50 ppl")
    assert both.cost is not None and "we were discussing" not in both.answer
    assert "MLflow $30,000–$60,000/year" in both.answer and "Weights & Biases $30,000/year" in both.answer
    one = Conversation(advisor).ask("what would W&B cost for our 50 people?")
    assert "Weights & Biases, the tool you asked about: $30,000/year" in one.answer
    conv = Conversation(advisor)
    conv.ask("We're 50 engineers, nobody knows Kubernetes, and we build LLM chatbots. Which tool?")
    pick = conv.ask("ok and what would all that cost us per year?")  # the pick's name carries the topic
    assert pick.cost is not None and "Weights & Biases, the tool we were discussing: $30,000/year" in pick.answer


def test_a_later_statement_corrects_an_earlier_one(advisor):
    conv = Conversation(advisor)
    conv.ask("We are 4 data scientists. Which tool should we use?")
    answer = conv.ask("Sorry, actually we are 15 people. Which one then?")
    assert answer.profile["team_size"] == 15
    assert answer.recommendation.primary == "wandb"


def test_history_rebuilds_profile_and_topic(advisor):
    history = [
        {"role": "user", "content": "We're 6 people, all on AWS."},
        {"role": "assistant", "content": "**Recommendation: MLflow** as your primary tool."},
        {"role": "user", "content": "We also need stakeholder dashboards."},
    ]
    conv = Conversation.from_history(advisor, history)
    assert conv.profile.team_size == 6 and conv.profile.platform == "aws" and conv.profile.needs_dashboards
    assert conv.topic == "mlflow"
    assert conv.turns[0] == Turn(role="user", content="We're 6 people, all on AWS.")


def test_every_answer_writes_a_trace(advisor):
    # a bound far above what the suite writes (the held-out eval alone writes hundreds), so it never saturates
    before = len(advisor.traces.last(1_000_000))
    answer = advisor.ask("We're 3 people. Which tool?")
    traces = advisor.traces.last(1_000_000)
    assert len(traces) == before + 1
    t = advisor.traces.get(answer.trace_id)
    assert t.question == "We're 3 people. Which tool?" and t.intent == "recommend" and t.backend == "none"
    assert "archetype-solo" in t.rules_fired and t.retrieved and t.profile["team_size"] == 3
    assert t.answer == answer.answer and t.timings_ms["total"] > 0


def test_traces_command(advisor, data_dir):
    advisor.ask("Who founded Weights & Biases?")
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir)}
    proc = subprocess.run([sys.executable, "-m", "advisor.cli", "traces", "--last", "2", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(rows) == 2 and rows[0]["question"] == "Who founded Weights & Biases?"
    text = subprocess.run([sys.executable, "-m", "advisor.cli", "traces", "--last", "1"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert "Who founded Weights & Biases?" in text.stdout and "[factual, none]" in text.stdout
    bad = subprocess.run([sys.executable, "-m", "advisor.cli", "traces", "--last", "0"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "at least 1" in bad.stderr and "Traceback" not in bad.stderr


def test_unwritable_trace_store_does_not_cost_the_answer(index, settings, tmp_path, capsys):
    s = Settings(paths=settings.paths.model_dump(), llm={"mode": "none"})
    adv = Advisor(s)
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    adv.__dict__["traces"] = type(adv.traces)(blocker / "traces.sqlite3")
    answer = adv.ask("Which tool should we use?")
    assert answer.answer and answer.trace_id is None
    assert "trace store unavailable" in capsys.readouterr().err


def test_chat_command_keeps_the_conversation(index, data_dir):
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir)}
    script = ("We're 6 people and nobody knows Kubernetes. Which tool should we use?\n"
              "We also need stakeholder dashboards. Which one now?\n\n")
    proc = subprocess.run([sys.executable, "-m", "advisor.cli", "chat", "--backend", "none"], input=script,
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert out.count("advisor> ") == 2 and out.count("**Recommendation:") == 2
    second = out.split("advisor> ")[2]
    assert "**Recommendation: Weights & Biases**" in second  # dashboards + 6 people, Kubeflow still avoided
    assert "avoid Kubeflow" in second and "Sources:" in second


def test_follow_ups_answer_from_the_row_of_the_tool_under_discussion(advisor):
    conv = Conversation(advisor)
    conv.ask("What are Kubeflow's main weaknesses?")
    setup = conv.ask("how long does it take to set up?")
    assert setup.intent == "factual" and "Kubeflow: High (weeks" in setup.answer
    conv.ask("We're 8 people on AWS and we want to stay open source and portable. What fits?")
    move = conv.ask("and moving from it to W&B later if we change our minds?")
    assert "MLflow to W&B" in move.answer and "1 to 3 weeks" in move.answer  # from the tool just picked


def test_a_one_word_dimension_asks_it_of_the_pick(advisor):
    conv = Conversation(advisor)
    conv.ask("25 ppl, platform team runs our k8s in prod, automated retraining. pick?")
    cost = conv.ask("cost?")
    assert cost.understanding.intent == "cost" and cost.cost is not None


def test_what_ifs_and_asides_in_a_conversation(advisor):
    conv = Conversation(advisor)
    conv.ask("We're 4 people and our contracts say data can't go to any public cloud or SaaS. What should we use?")
    what_if = conv.ask("suppose the data could go to the cloud")
    assert what_if.intent == "recommend" and what_if.profile["data_on_prem"] is False
    aside = conv.ask("btw can you recommend a good pizza place near our office?")
    assert aside.intent == "out_of_scope"
    assert conv.profile.team_size == 4  # the aside changed nothing


def test_a_count_in_brackets_after_a_group_is_kept_across_turns(advisor):
    conv = Conversation(advisor)
    conv.ask("Insurance company, 22 ML staff, data must stay on-prem. Our infra group (4 engineers) has run "
             "Kubernetes in production for years. What's the right primary tool?")
    assert conv.profile.k8s_engineers == 4 and conv.profile.platform_engineers == 4
    conv.ask("what combination of tools would you suggest?")
    assert conv.profile.k8s_engineers == 4


def test_a_client_described_by_a_consultant_stays_the_team_until_they_turn_to_their_own(advisor):
    conv = Conversation(advisor)
    first = conv.ask("I'm a consultant. My client is an insurer with ~60 people in data science, including a "
                     "dedicated MLOps team of four who run their EKS clusters in production. What should they "
                     "standardise on?")
    assert first.understanding.advisee and first.recommendation.primary == "kubeflow"
    follow = conv.ask("Would W&B be an option for them at all?")  # "them": the client, facts kept
    assert follow.profile["team_size"] == 60 and follow.profile["k8s_engineers"] == 4
    own = conv.ask("ok, forget the client. my own team is 3 people, nobody owns infra. what should we use?")
    assert own.profile["team_size"] == 3 and own.profile["k8s_engineers"] is None  # not the client's four
    assert own.recommendation.primary != "kubeflow"
    assert not conv.advisee and Conversation.restore(advisor, conv.snapshot()).profile.team_size == 3


def test_a_hypothetical_team_is_answered_but_not_kept(advisor):
    conv = Conversation(advisor)
    answer = conv.ask("Which tool should a regulated insurer with 40 data scientists choose?")
    assert not answer.understanding.advisee
    assert conv.profile.team_size is None


def test_a_follow_up_about_an_alternative_gets_its_row_not_the_pick_again(advisor):
    conv = Conversation(advisor)
    conv.ask("We're 9 people and need pipeline orchestration, but nobody here has ever run Kubernetes and we "
             "have no platform engineers.")
    answer = conv.ask("what about ZenML for that?")
    assert answer.intent == "factual" and answer.recommendation is None
    assert "Easier entry point than Kubeflow" in answer.answer


def test_back_to_reality_ends_the_what_ifs(advisor):
    conv = Conversation(advisor)
    conv.ask("4 of us on the platform side, all with prod k8s, supporting a 30-person ML org that already runs "
             "automated retraining. Kubeflow a reasonable call?")
    assert conv.profile.k8s_engineers == 4
    conv.ask("what if only one of the four actually had production k8s experience?")
    assert conv.profile.k8s_engineers == 1
    conv = Conversation.restore(advisor, conv.snapshot())  # a browser session keeps the team as it really is
    answer = conv.ask("ok back to reality. what would the infra bill look like?")
    assert conv.profile.k8s_engineers == 4 and answer.profile["k8s_engineers"] == 4 and conv.real is None
    assert answer.understanding.intent == "cost"
