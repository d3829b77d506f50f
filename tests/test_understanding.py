"""Understanding people's own words: the quantity reader, the Reading (facts with evidence, scope, negation,
implications, intent), follow-ups in a conversation, defaults that never silently decide, the second reader
over the real OpenAI and Ollama wire formats, and bad input. The held-out sets are scored in test_eval."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from fakes.llm_servers import FakeOllama, FakeOpenAI

from advisor.chat import Conversation
from advisor.corpus_data import load_yaml, validate
from advisor.errors import CorpusError, InputError
from advisor.heldout import LABELLED_FIELDS, SETS, load_set
from advisor.profile import TeamProfile
from advisor.scope import ScopeData, load_scope
from advisor.service import Advisor
from advisor.understanding.clauses import split_clauses
from advisor.understanding.examples import (
    EmbeddedBank,
    MeaningFile,
    cached_linear,
    data_file,
    load_bank,
    shipped_linear,
    train_linear,
)
from advisor.understanding.intent import IntentStacker
from advisor.understanding.quantities import number_words, quantity_reader
from advisor.understanding.reading import SHIPPED_CLASSIFIER, Context, Reader, UnderstandingConfig, load_learned
from advisor.webview import evidence_html


@pytest.fixture(scope="module")
def advisor(index, settings) -> Advisor:
    a = Advisor(settings.model_copy(update={"llm": settings.llm.model_copy(update={"mode": "none"})}))
    a.reader.warm()
    return a


# ---- one quantity reader ----------------------------------------------------------------------------

def _read(text: str):
    return quantity_reader().read(number_words().to_digits(text.lower()))


@pytest.mark.parametrize(("text", "value", "low", "approx", "change", "counts"), [
    ("a 50-person org", 50, None, False, None, "people"),
    ("two dozen engineers", 24, None, False, None, "people"),
    ("half a dozen data scientists", 6, None, False, None, "people"),
    ("between 10 and 15 people", 15, 10, False, None, "people"),
    ("a team of 10-15", 15, 10, False, None, "people"),
    ("about 40 ML engineers", 40, None, True, None, "people"),
    ("40+ people", 40, None, True, None, "people"),
    ("we'll grow to 45", 45, None, False, "to", "people"),
    ("hire two more Kubernetes engineers", 2, None, False, "more", "k8s"),
    ("our 5-person Kubernetes platform group", 5, None, False, None, "platform"),
    ("a platform team of four", 4, None, False, None, "platform"),
    ("we run 30 production pipelines", 30, None, False, None, "pipelines"),
    ("a logistics firm with 1,200 staff", 1200, None, False, None, "org"),
    # a count in apposition to its group, and a change said as a range
    ("our platform team — six engineers — runs the clusters", 6, None, False, None, "platform"),
    ("we'll grow from 8 to 45 by next year", 45, 8, False, "to", "people"),
    ("the data scientists are 7", 7, None, False, None, "people"),
    ("two people with production k8s experience", 2, None, False, None, "k8s"),
    # every group a count names has its own frames: "… (", "… is", "… —", and the compound "N-person …"
    ("our devops org (12 engineers) runs production kubernetes", 12, None, False, None, "platform"),
    ("the sre group is 5", 5, None, False, None, "platform"),
    ("our devops org — 12 engineers — runs kubernetes", 12, None, False, None, "platform"),
    ("a 10-person platform engineering team that runs our kubernetes", 10, None, False, None, "platform"),
])
def test_quantities_are_read_and_bound(text, value, low, approx, change, counts) -> None:
    q = _read(text.replace("1,200", "1200"))[0]
    assert (q.value, q.low, q.approx, q.change, q.counts) == (value, low, approx, change, counts)


@pytest.mark.parametrize(("text", "value", "bound"), [
    ("MLflow only makes sense once you're 50+ people", 50, "at_least"),
    ("Kubeflow is for teams of 30 or more", 30, "at_least"),
    ("once you're past twenty it pays off", 20, "at_least"),
    ("at least 40 engineers", 40, "at_least"),
    ("W&B is best under 5 people", 5, "at_most"),
    ("no more than three people", 3, "at_most"),  # the longer phrase wins over its "more than"
    ("12 people or fewer", 12, "at_most"),
    ("up to 10 users", 10, "at_most"),
    ("we are 12 people", 12, None),
])
def test_a_bound_on_a_quantity_is_read_with_it(text, value, bound) -> None:
    q = _read(text)[0]
    assert (q.value, q.bound) == (value, bound)


def test_not_every_number_is_a_head_count() -> None:
    assert _read("10^12 people") == []  # an exponent is not a count anyone has
    assert [q.counts for q in _read("we have 10 gpus and a budget of $5000")] == ["other"]
    assert number_words().to_digits("which one is best", keep_lone=("one",)) == "which one is best"


# ---- the reading ------------------------------------------------------------------------------------

def _facts(advisor: Advisor, text: str, context: Context | None = None) -> dict:
    return advisor.read(text, context).apply(context.profile if context else None).known()


@pytest.mark.parametrize(("text", "expected"), [
    ("Insurance company, 30 ML engineers, platform team on Kubernetes; regulators forbid customer data in the "
     "cloud.", {"team_size": 30, "regulated": True, "k8s_engineers": 2, "platform_engineers": 2,
                "data_on_prem": True}),
    ("a 50-person org with a platform team that runs our k8s clusters",
     {"team_size": 50, "k8s_engineers": 2, "platform_engineers": 2}),
    ("three of our engineers operate production Kubernetes clusters", {"k8s_engineers": 3}),
    ("we run 30 production pipelines", {"maturity": 1}),
    ("our training pipelines are already automated", {"maturity": 1}),
    ("we don't have a platform team and nobody here has run Kubernetes in production",
     {"platform_engineers": 0, "k8s_engineers": 0}),
    ("we are not regulated", {"regulated": False}),
    # a group's own count beats a plain noun after it, and the team that runs Kubernetes is that many
    ("Platform team is 4 persons who operate Kubernetes in production.", {"platform_engineers": 4,
                                                                        "k8s_engineers": 4}),
    ("our infra team (3 engineers) operates production Kubernetes clusters", {"platform_engineers": 3,
                                                                             "k8s_engineers": 3}),
    ("Our 5-person Kubernetes platform group administers our own clusters", {"platform_engineers": 5,
                                                                            "k8s_engineers": 5}),
    ("Need it running in two weeks.", {"time_pressure": True}),
    ("What we need is orchestration.", {"needs_orchestration": True}),
    ("dont care about lock-in", {"lock_in_averse": False}),
    ("Our training runs partly on our own GPU servers and partly on GCP", {"hybrid_cloud": True}),
    # where data lives says nothing of where workloads run
    ("Customer data is not allowed to leave our data centres", {"data_on_prem": True, "hybrid_cloud": None}),
    # a level is not a head count; "and" and "with" end what a number counts
    ("We have a platform team of four who run production Kubernetes, and our pipelines are automated.",
     {"platform_engineers": 4, "k8s_engineers": 4, "maturity": 1}),
    ("a research group of 30 and a separate platform engineering group of 6 that runs Kubernetes in production",
     {"platform_engineers": 6, "k8s_engineers": 6}),
    ("We're ~120 people, 4 of whom are dedicated platform engineers", {"team_size": 120, "platform_engineers": 4}),
    # "not problem" says yes; refusing even a private deployment keeps the data in-house
    ("we have not problem to put data in cloud", {"data_on_prem": False}),
    ("budget is not an issue", {"seat_price_sensitive": False}),  # a denied worry stays a denial
    ("lock-in is not a concern for us", {"lock_in_averse": False}),
    # "no SaaS" keeps the data in-house and says nothing of a private deployment (evals/LABELLING.md)
    ("Our data is a trade secret and is not allowed off-site: no public cloud, no SaaS.",
     {"data_on_prem": True}),
    ("our retraining jobs currently run on a cron schedule", {"maturity": 1}),
    ("our main pain is orchestrating training pipelines end to end", {"needs_orchestration": True,
                                                                       "maturity": None}),
    # what the team has (automated pipelines: maturity) is no need for orchestration
    ("our training pipelines already run on a schedule, automated pipelines", {"maturity": 1}),
    # head counts said as people say them
    ("me and a colleague doing churn models in jupyter notebooks, everything by hand",
     {"team_size": 2, "maturity": 0}),
    ("open source only shop. 3 data scientists + me.", {"team_size": 4, "lock_in_averse": True}),
    ("eight of us building an LLM copilot, money's tight", {"team_size": 8, "llm_first": True}),
    ("we started as two people, and over the last year the ML group grew to sixteen", {"team_size": 16}),
    ("We're 8 now, 25 by summer. No plans to hire DevOps.", {"team_size": 25, "platform_engineers": 0}),
    ("a research team of 20 and a platform team of 6 that runs production Kubernetes. 26 people in total.",
     {"team_size": 26, "platform_engineers": 6}),
    ("we're an eight person team — no wait, nine", {"team_size": 9}),
    ("We have 3 people with prod k8s experience — scratch that, 2, one just left.", {"k8s_engineers": 2}),
    ("a growth-stage team of 14 without any DevOps capacity", {"team_size": 14, "platform_engineers": 0}),
    ("Team: 22. DevOps: 0. K8s in prod: 0.", {"team_size": 22, "platform_engineers": 0, "k8s_engineers": 0}),
    # a group is at least two, whatever number counts the groups
    ("50 ML engineers and one dedicated platform team operating Kubernetes in production",
     {"platform_engineers": 2, "k8s_engineers": 2}),
    ("Our SRE group babysits the EKS clusters, and the ML side is ~30 people.", {"platform_engineers": 2}),
    ("No one except Priya has run k8s in prod.", {"k8s_engineers": 1}),
    ("Every one of our 11 ML engineers has deployed to Kubernetes in production", {"k8s_engineers": 11}),
    ("we lost our platform team last month", {"platform_engineers": 0}),
    # a word in quotes that the sentence corrects is not claimed
    ("the 'automated pipelines' are really me running notebooks by hand every Monday", {"maturity": 0}),
    ("our models already retrain on an automated nightly pipeline", {"maturity": 1}),
    # worries and wishes in other words
    ("the thing that keeps me up at night is getting stuck with a vendor again", {"lock_in_averse": True}),
    ("we're 5, hate lock-in", {"lock_in_averse": True}),
    ("Having been stung by a proprietary vendor, we want something we can take elsewhere",
     {"lock_in_averse": True}),
    ("people keep asking for nicer dashboards to show the business side", {"needs_dashboards": True}),
    ("our professor wants to see nice reports every month with charts", {"needs_dashboards": True}),
    # SaaS said of the data, not of a private deployment (evals/LABELLING.md)
    ("9 ML folks, ad-tech, we're happy to use SaaS.", {"data_on_prem": False, "private_cloud_ok": None}),
    ("forget the on-prem thing, legal cleared cloud last week", {"data_on_prem": False}),
    # a platform named in a plain statement about the team
    ("We're multi-region on GCP.", {"platform": "gcp"}),
    ("We're on-prem and in AWS, roughly half our training runs in each place.",
     {"platform": "aws", "hybrid_cloud": True}),
    ("6 ppl, lvl 0, no infra folks", {"team_size": 6, "maturity": 0}),
    ("insurance co, 9 people, building an internal claims copilot on top of GPT", {"llm_first": True}),
    ("we use GitHub Copilot for coding, 5 people doing tabular ML", {"llm_first": False}),
    ("were a team of 9 doing computer vision, no devops, manual everyting.", {"maturity": 0}),
    ("120 ML practitioners, continuous training and deployment through CI/CD", {"maturity": 2}),
])
def test_facts_are_read_from_own_words(advisor, text, expected) -> None:
    found = _facts(advisor, text)
    assert {k: found.get(k) for k in expected} == expected, found


@pytest.mark.parametrize("text", [
    "my friend's startup has 4 people and nobody there knows Kubernetes",
    "does W&B have a HIPAA BAA?",
    "is Kubeflow good for regulated industries?",
    "maybe one day we'll host our own large models",
])
def test_other_teams_questions_and_wishes_state_nothing(advisor, text) -> None:
    reading = advisor.read(text)
    assert reading.stated.known() == {}, reading.evidence
    assert reading.set_aside or not reading.evidence


def test_every_fact_carries_its_evidence(advisor) -> None:
    reading = advisor.read("We're a 12-person fintech team, nobody has run k8s in production, "
                           "and our training pipelines are already automated.")
    by_field = {e.field: e for e in reading.evidence}
    assert set(by_field) == set(reading.stated.known())
    for e in reading.evidence:
        assert e.words and e.words in reading.normalized
        assert e.how in ("lexicon", "quantity", "meaning", "implication")
    assert by_field["team_size"].value == 12


def test_a_question_about_a_type_of_team_is_answered_for_it_but_not_kept(advisor) -> None:
    conv = Conversation(advisor)
    answer = conv.ask("Which MLOps tool should a regulated insurance company choose?")
    assert answer.recommendation is not None and answer.recommendation.primary == "kubeflow"
    assert answer.team_profile.regulated is True and answer.understanding.supposed == {"regulated": True}
    assert advisor.read("Which MLOps tool should a regulated insurance company choose?").stated.known() == {}
    assert conv.profile.regulated is None  # the asker never said they are one


@pytest.mark.parametrize(("text", "intent"), [
    ("Insurance company, 30 ML engineers, platform team on Kubernetes; regulators forbid customer data in the "
     "cloud.", "recommend"),
    ("what should own tracking and the model registry?", "stack"),
    # a long description does not drown the ask: combination words decide between recommend and stack
    ("We're a 250-person ML organisation with a platform team of eight who run our Kubernetes in production. "
     "Which combination would you recommend, and which tool should own model serving?", "stack"),
    ("What should our team use for experiment tracking? We don't do anything with LLMs.", "recommend"),
    ("ClearML vs W&B for us?", "not_covered"),
    ("we're looking at dagster for orchestration — how does it handle retries?", "not_covered"),
    # a tool the team says it uses is context, not the question
    ("we use DVC for data versioning and we're happy with it. 7 of us. what should we add for tracking?",
     "recommend"),
    ("what's the capital of Peru?", "out_of_scope"),
    # whether one tool has a capability is a fact, whatever the team says of itself
    ("We're 6 people building support agents; does W&B support agent trace logging?", "factual"),
    # who should handle a layer asks for the combination; a stack that "stacks up" compares
    ("In an MLflow + Kubeflow setup, who should handle the model registry?", "stack"),
    ("For LLM work, how do W&B and MLflow stack up?", "factual"),
    # what the article says is most common, for no team of the asker's
    ("which way of combining the three is most common?", "factual"),
])
def test_intent_is_read_with_its_margin(advisor, text, intent) -> None:
    answer = advisor.ask(text)
    assert answer.understanding is not None
    assert answer.understanding.intent == intent, answer.understanding
    assert 0 <= answer.understanding.intent_margin <= 1


def test_the_trace_stores_the_whole_reading(advisor) -> None:
    answer = advisor.ask("We are 8 data scientists on AWS, nobody knows Kubernetes. Which tool?")
    trace = advisor.traces.get(answer.trace_id)
    assert trace.reading["stated"]["team_size"] == 8
    assert trace.reading["intent"] == "recommend" and trace.reading["evidence"]
    assert {e.field for e in answer.profile_evidence} == set(answer.team_profile.known())


# ---- follow-ups keep their subject --------------------------------------------------------------------

def test_a_what_if_replaces_what_it_restates_and_keeps_the_rest(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We are 6 data scientists, nobody knows Kubernetes")
    answer = conv.ask("what if we hire two Kubernetes engineers and grow to 30 people?")
    profile = answer.team_profile
    assert profile.team_size == 30 and profile.k8s_engineers == 2


def test_a_correction_replaces_the_count_it_names(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("Team of 18 data scientists, no devops. We want to compare runs.")
    answer = conv.ask("sorry typo — 8, not 18")
    assert answer.team_profile.team_size == 8 and answer.intent == "recommend"
    assert any(e.how == "correction" for e in answer.profile_evidence)
    assert conv.ask("sorry, 5 not 3").team_profile.team_size == 8  # no fact was 3: nothing changes


def test_a_what_if_after_a_factual_turn_still_changes_the_team(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("3 person team, LLM app, tight budget")
    conv.ask("lock-in?")
    answer = conv.ask("k. what if we were 25 people, same tight budget")
    assert answer.team_profile.team_size == 25 and answer.recommendation is not None
    conv.ask("what if we had a dedicated platform engineer?")
    assert conv.profile.platform_engineers == 1  # kept for the next turn, not only this answer


def test_a_what_if_may_change_an_attitude_or_add_one_engineer(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("we r 35 analysts + DS, need dashbords for execs, budget is tight")
    assert conv.ask("what if money werent an issue?").team_profile.seat_price_sensitive is False
    conv = Conversation(advisor)
    conv.ask("We're 15 people with two DevOps engineers, one of whom has run Kubernetes in production.")
    answer = conv.ask("What if the second DevOps engineer also had production Kubernetes experience?")
    assert answer.team_profile.k8s_engineers == 2


def test_a_departure_or_a_retraction_changes_the_team(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("Our training runs partly on our own GPU servers and partly on GCP. 45 ML engineers, a 5-person "
             "platform team that operates GKE and our on-prem Kubernetes, and continuous training is in place.")
    answer = conv.ask("What if the whole platform team left and nobody else knows Kubernetes?")
    assert answer.team_profile.platform_engineers == 0 and answer.team_profile.k8s_engineers == 0
    assert answer.recommendation.primary != "kubeflow"
    conv = Conversation(advisor)
    conv.ask("We're a 16-person team; our data has to stay on-prem for now. No Kubernetes skills in house.")
    answer = conv.ask("forget the on-prem thing, legal cleared cloud last week")
    assert answer.team_profile.data_on_prem is False and answer.intent == "recommend"


def test_a_correction_in_quotes_unsays_a_kubeflow_pick(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("We're 14 people. Two of us ran Kubernetes in production at previous jobs, and we have one "
                     "dedicated MLOps engineer. Training pipelines are automated. Orchestration is our core need.")
    assert first.recommendation.primary == "kubeflow"
    answer = conv.ask("Wait, I overstated it — the 'automated pipelines' are really me running notebooks by hand.")
    assert answer.team_profile.maturity == 0 and answer.recommendation.primary != "kubeflow"


def test_a_move_supposed_after_a_pick_is_a_migration_and_that_setup_is_no_setup_time(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("Org of 60 ML people, a dedicated platform team that runs our own Kubernetes clusters, and models "
             "ship through CI/CD. Which should be our primary platform?")
    assert conv.ask("And if we ever wanted to move off it to SageMaker Pipelines?").understanding.intent == "migration"
    answer = conv.ask("Where would W&B sit in that setup?")
    assert answer.understanding.intent == "stack" and answer.recommendation.stack_pattern is not None


@pytest.mark.parametrize("text", [
    "How do I set up a Kubernetes ingress for my web app?",
    "Translate 'model registry' into French please.",
    "Our Spark data pipeline keeps failing with out-of-memory errors — any tips?",
])
def test_a_clear_off_topic_request_stays_off_topic_despite_work_words(advisor, text) -> None:
    answer = advisor.ask(text)
    assert answer.intent == "out_of_scope" and answer.recommendation is None


def test_a_move_between_two_named_tools_is_a_migration_whatever_the_team_says(advisor) -> None:
    answer = advisor.ask("plz explain the effort to switch from W&B to MLflow, we r a bank")
    assert answer.understanding.intent == "migration" and not answer.team_profile.current_tools


def test_a_quoted_sentence_that_opens_with_it_says_what_it_is(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("we administer our own clusters, 3 person team tho. what should we use")
    conv.ask("what about orchestration? we need real scheduled pipelines")
    answer = conv.ask("is there a lighter option than kubeflow for orchestration?")
    assert "ZenML" in answer.answer and "“It is less operationally demanding" not in answer.answer


def test_a_what_if_that_asks_whether_the_pick_changes_is_advice_and_a_worry_after_a_fact_too(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("6 ppl, lvl 0, no infra folks, want to avoid vendor lock-in. pick?")
    answer = conv.ask("if we moved to databricks would that change?")
    assert answer.intent == "recommend" and answer.team_profile.platform == "databricks"
    conv = Conversation(advisor)
    conv.ask("need something running by friday to show the CTO. team is 22, no dedicated platform people.")
    conv.ask("could kubeflow be up in time?")
    answer = conv.ask("oh and budget's tight btw, can't really pay per seat")
    assert answer.intent == "recommend" and answer.team_profile.seat_price_sensitive is True


def test_another_teams_facts_do_not_become_ours_when_we_ask_for_ourselves(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("I run a university research lab, 11 researchers. Our main need is reporting results to funders.")
    answer = conv.ask("Our sister group runs a big Kubernetes cluster - could we just borrow theirs and go with "
                      "Kubeflow?")
    assert answer.profile.get("k8s_engineers") is None and answer.recommendation.primary != "kubeflow"


def test_our_customer_data_is_ours_and_a_move_between_named_tools_keeps_its_row(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're a 20-person data science team at a bank.")
    answer = conv.ask("Our customer data can't leave our own data center. Does that change anything?")
    assert answer.team_profile.data_on_prem is True and "wandb" in answer.recommendation.avoid
    answer = advisor.ask("We run MLflow today. If we layer Kubeflow on top for orchestration, how long does the "
                         "integration take?")
    assert "2 to 4 weeks" in answer.answer


def test_a_move_said_from_one_tool_to_another_finds_its_row(advisor) -> None:
    answer = advisor.ask("Were weighing up ZenML as a wrapper over our existing Kubeflow setup - how long would "
                         "moving from kubeflow to zenml take in practise?")
    assert "Kubeflow to ZenML" in answer.answer and "4 to 8 weeks" in answer.answer


def test_advice_asked_again_is_not_turned_into_a_table_lookup(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("Our 16-person data science team lives on Azure ML, and vendor lock-in is our biggest worry. "
             "What should we adopt?")
    answer = conv.ask("what about W&B for us?")
    assert answer.intent == "recommend" and answer.recommendation is not None


def test_hiring_more_adds_to_what_was_said(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 10 people and one of us has run Kubernetes in production.")
    assert conv.ask("what if we hire two more Kubernetes engineers?").team_profile.k8s_engineers == 3


def test_a_cost_follow_up_answers_the_cost_of_the_pick_at_the_team_size(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("We're ten data scientists, cloud-native, no DevOps people. Which tool?")
    answer = conv.ask("and what would it cost us?")
    assert answer.understanding.intent == "cost"
    assert answer.cost is not None and answer.cost.basis == "Small team estimate (10 people)"
    pick = first.recommendation.primary
    assert answer.answer.index(advisor.vocab.tool(pick).name) < answer.answer.index("[")  # the pick comes first
    assert "Why " not in answer.answer  # not the whole recommendation again
    # the estimate is half a cost: the pick's licence, infrastructure, setup and headcount cells follow it
    for row in ("License", "Infrastructure", "Setup and implementation", "DevOps and platform engineering"):
        assert f"Cost Component — {row}: " in answer.answer


def test_a_follow_up_that_names_no_tool_keeps_the_tool(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("What are Kubeflow's main weaknesses?")
    answer = conv.ask("how long does it take to set up?")
    assert answer.understanding.topic.tool == "kubeflow" and answer.understanding.topic.carried
    assert answer.understanding.topic.dimension == "setup"
    assert "Kubeflow" in answer.answer and "weeks" in answer.answer  # Kubeflow's setup time, not the others'
    assert "under an hour" not in answer.answer
    assert "Setup time is measured in days or weeks" in answer.answer  # the prose that says it
    assert "Migration Path" not in answer.answer  # another table's row answers another question


@pytest.mark.parametrize(("text", "expected"), [
    # chat spellings: "were" for "we're", "ml eng", "8 + me"; a bare wh-word with its verb asks
    ("were 8 ml eng, budgets tight", {"team_size": 8, "seat_price_sensitive": True}),
    ("8 + me, building voice agents for restaurant phone orders", {"team_size": 9, "llm_first": True}),
    ("whats the lock in like", {}),
    # a ban is a denial: a private cloud ruled out is no private cloud allowed (and the data stays in-house)
    ("Security has ruled out any private-cloud or VPC deployment of SaaS tools, full stop.",
     {"private_cloud_ok": False, "data_on_prem": True}),
    # an aside that includes someone leaves the denial whole
    ("We're 45 ML people with a three-person DevOps team, but nobody here, DevOps included, has run Kubernetes "
     "in production", {"team_size": 45, "platform_engineers": 3, "k8s_engineers": 0}),
    # a count said with the group beats the floor a group word gives
    ("We're a GKE shop, 28 ML engineers, and a platform group of five that's run our Kubernetes in production.",
     {"team_size": 28, "platform_engineers": 5, "k8s_engineers": 5, "platform": "gcp"}),
    ("Our platform org (10 engineers) runs production Kubernetes on EKS",
     {"platform_engineers": 10, "k8s_engineers": 10, "platform": "aws"}),
    # litotes say yes; "residency: none" is no residency rule
    ("We're not short of Kubernetes people: our 5-person Kubernetes platform group runs production clusters.",
     {"platform_engineers": 5, "k8s_engineers": 5}),
    ("We're not short of money, but we are short of time", {"seat_price_sensitive": False, "time_pressure": True}),
    ("Data residency: none, everything can go to the cloud. Team: 6.", {"team_size": 6, "data_on_prem": False}),
    # a supposition is not the team as it is
    ("If budget were tight we'd go the cheapest route, but it isn't - money is genuinely no object this year.",
     {"seat_price_sensitive": False}),
    ("If a VPC deployment were allowed we'd consider W&B, but our CISO hasn't ruled on it yet.", {}),
    ("We used to have a strict no-lock-in rule, but we've dropped it: lock-in is no longer a concern for us.",
     {"lock_in_averse": False}),
    # where the work runs: hybrid said plainly or as a split; EC2 is AWS
    ("Our training runs are split between an on-prem GPU cluster and AWS.", {"hybrid_cloud": True, "platform": "aws"}),
    ("We're hybrid: AWS runs everything else.", {"hybrid_cloud": True, "platform": "aws"}),
    ("Right now everything runs on plain EC2 instances.", {"platform": "aws"}),
    ("Does Kubeflow do hybrid cloud? Our sister division runs half on-prem, half on AWS. We're all-cloud ourselves, "
     "on GCP.", {"platform": "gcp"}),
    # whose facts: customers, a parent bank, another group's tools, a tool approved or evaluated but not in use
    ("We sell to banks, but we're a martech company ourselves.", {}),
    ("The group next door uses Kubeflow. We're a 12-person team running on Databricks.",
     {"team_size": 12, "platform": "databricks"}),
    ("Our security team has approved W&B's private cloud deployment with a BAA.", {"private_cloud_ok": True}),
    ("We evaluated Kubeflow for two months but never deployed it.", {}),
    ("We're the ML desk at a hedge fund, 9 quants. Nothing can leave the building.",
     {"team_size": 9, "regulated": True, "data_on_prem": True}),
    ("Somewhere between 10 and 15 of us will use it, depending on hiring.", {"team_size": 15}),
    ("we're building an agent platform - customer-support copilots. ~25 people.", {"team_size": 25, "llm_first": True}),
    ("The data is allowed to go to SaaS vendors.", {"data_on_prem": False}),
    # a large model is said as one; a road not taken is no fact
    ("We have 40 models in production and eight A100s, but the ML team itself is three people.", {"team_size": 3}),
    ("We considered self-hosting a 70B model but decided to just call a hosted API.", {}),
    # whose Kubernetes: an aside spelling out who is included, an old employer's engineers, a group "not us"
    ("Nobody — not the MLOps team, not the data scientists — has production Kubernetes experience.",
     {"k8s_engineers": 0}),
    ("My previous employer ran Kubeflow with 6 k8s engineers. Here, it's just me and two others, none of whom "
     "have touched Kubernetes.", {"team_size": 3, "k8s_engineers": 0}),
    ("I ran EKS in production at my last job. We're 5 people.", {"team_size": 5, "k8s_engineers": 1}),
    # a non-starter is a denial; a supposition with "if we had" is none; a competitor's tools are not ours, nor
    # is a sister team's capacity said in the next sentence without "we"
    ("Private cloud deployments are a non-starter for us — security says no third-party software touches our "
     "data, full stop.", {"private_cloud_ok": False, "data_on_prem": True}),
    ("If we had patient data I'd insist on on-prem, but we don't — it's all public satellite imagery.", {}),
    ("Our competitor uses W&B for everything. We use MLflow, managed, on Databricks.",
     {"current_tools": ["mlflow"], "platform": "databricks"}),
    ("Our sister team runs Kubeflow. Five platform engineers, all with production k8s.", {}),
    ("A client of ours asked about this. 30 people, regulated bank. What should they use?", {}),
    ("Oh, and the budget for tooling is small.", {"seat_price_sensitive": True}),
    # writer q's traps (dev): what may not leave our servers stays in-house whatever the subject; a private
    # deployment refused in passing; a tool liked or lobbied for is not in use; a budget that is no concern
    ("the models use loyalty-card purchase history, which under our data-protection commitments can't leave our "
     "own servers", {"data_on_prem": True}),
    ("all prototype telemetry has to stay on our own servers, with no external hosting of any kind, private cloud "
     "included", {"data_on_prem": True, "private_cloud_ok": False}),
    ("Leadership likes the look of W&B, and someone from the cloud team keeps mentioning Kubeflow since we deploy "
     "to AKS.", {"platform": "azure"}),
    ("Training pipelines are automated, and budget for tools is not a concern.",
     {"maturity": 1, "seat_price_sensitive": False}),
    ("Our 4-person platform team has run EKS in production for years.",
     {"platform_engineers": 4, "k8s_engineers": 4, "platform": "aws"}),
    ("We're 17 people. One engineer, the only one with prod Kubernetes experience, wants Kubeflow.",
     {"team_size": 17, "k8s_engineers": 1}),
    ("what we mostly need is scheduled end-to-end pipelines (ingest, retrain, batch score)",
     {"needs_orchestration": True}),
    # a need is no level: "we don't need pipelines" says nothing of how the team works today
    ("small team (8), want dashboards for stakeholders but zero orchestration overhead, we don't need pipelines.",
     {"team_size": 8, "needs_orchestration": False, "needs_dashboards": True}),
    ("There's a central platform org (not us) that offers Kubernetes to every team. My team is separate — seven "
     "data scientists, no platform engineers of our own", {"team_size": 7, "platform_engineers": 0}),
])
def test_fifth_session_wordings(advisor, text, expected) -> None:
    """Kinds of wording the fifth session's blind writers (n, o, p) used on dev that were read wrong."""
    assert _facts(advisor, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # writers r, s, t (sixth session, dev): a count said "between" roles, "exactly", "me and one other";
    # a company's size is not the ML team's; "only one of us (…) has run k8s" is a subset, not the team
    ("We're the analytics group inside a regional hospital network, about a dozen of us between data scientists "
     "and a couple of analysts.", {"team_size": 12, "regulated": True}),
    ("just me doing ML at a 40 person startup, need experiment tracking", {"team_size": 1}),
    ("There are exactly twenty of us who'd use it, money's tight, and we have no platform/devops people.",
     {"team_size": 20, "platform_engineers": 0, "seat_price_sensitive": True}),
    ("New job: it's me and one other ML engineer at a startup.", {"team_size": 2}),
    ("LLM product company, 15 people. Only one of us (our sole infra engineer) has run Kubernetes in production.",
     {"team_size": 15, "k8s_engineers": 1, "platform_engineers": 1, "llm_first": True}),
    ("none of the nine of us has ever kept a kubernetes cluster alive in production",
     {"team_size": 9, "k8s_engineers": 0}),
    # platform groups that run the clusters, however written; "expertise: zero" is none
    ("a 3-person infrastructure group that runs our Kubernetes cluster in production",
     {"platform_engineers": 3, "k8s_engineers": 3}),
    ("about 45 of us in ML, including a 5-person SRE/platform team that runs our production Kubernetes",
     {"team_size": 45, "platform_engineers": 5, "k8s_engineers": 5}),
    ("28 people in ML including a 3-person platform team (on-prem k8s, in production)",
     {"team_size": 28, "platform_engineers": 3, "k8s_engineers": 3}),
    ("team of 50, and an infra team that administers our EKS clusters",
     {"team_size": 50, "platform_engineers": 2, "k8s_engineers": 2, "platform": "aws"}),
    ("Our k8s expertise: zero. Our DevOps headcount: zero. 4 DS.",
     {"team_size": 4, "k8s_engineers": 0, "platform_engineers": 0}),
    # licence money said in other words
    ("Finance has told us licence spend has to stay near zero this year.", {"seat_price_sensitive": True}),
    ("finance wants us to cut SaaS licence costs", {"seat_price_sensitive": True}),
    ("i'd rather not pay for any licences tbh", {"seat_price_sensitive": True}),
    # a move weighed and rejected; tools wanted or read about; a consultant's advice pending a ruling
    ("We looked seriously at moving everything on-prem for data residency reasons but decided against it — our "
     "data is fine in the cloud.", {"data_on_prem": False}),
    ("The data scientists want W&B, the platform folks want Kubeflow, but right now we only have MLflow.",
     {"current_tools": ["mlflow"]}),
    ("A few of us have read about Kubeflow but no one has used it in production. We're eleven.",
     {"team_size": 11}),
    ("The consultants we hired recommended W&B's private cloud; our security team hasn't ruled on it yet.", {}),
    ("Is very important for us that we are not locked to one vendor.", {"lock_in_averse": True}),
    # writers u, v (dev): teams multiplied, "the PI plus nine", "N of us would", "just me, my laptop", litotes,
    # a filler inside a word ("the other eleven" is no correction of "one"), data kept in by a ban
    ("In our company we are 3 teams of 7 persons each doing ML, all three will use the same tool.",
     {"team_size": 21}),
    ("University lab here: the PI plus nine PhD students.", {"team_size": 10}),
    ("Twenty-six of us would be logging runs once we roll it out", {"team_size": 26}),
    ("phd student here, it's literally just me, my laptop and the uni gpu cluster.", {"team_size": 1}),
    ("We have not zero Kubernetes people — two of us operate production clusters at our company since 2019",
     {"k8s_engineers": 2}),
    ("One of us ran EKS in prod at a previous gig; the other eleven have never touched a cluster.",
     {"team_size": 12, "k8s_engineers": 1}),
    ("W&B is an approved vendor at our parent company, so people keep asking why we don't just use it. The "
     "answer is that our contract with the NHS forbids patient data leaving our servers. We're thirteen analysts.",
     {"team_size": 13, "regulated": True, "data_on_prem": True}),
    ("IT would never let patient files near a vendor's servers, full stop.", {"data_on_prem": True}),
    ("retail analytics team, everything we do lives in databricks. about 15 DS/MLEs.",
     {"team_size": 15, "platform": "databricks"}),
    ("We've got one sprint — two weeks — to show the exec team", {"time_pressure": True}),
    # someone else's team in the same company, down the corridor, a parent, a client
    ("The clinical team in our company is regulated to the hilt and can't touch SaaS. We're the marketing "
     "analytics team — 9 people, we're not regulated.", {"team_size": 9, "regulated": False}),
    ("The chatbot squad down the corridor lives in LLM-land; we don't. Five of us.", {"team_size": 5}),
    ("Our US parent uses W&B's cloud happily.", {}),
    ("My client is an insurer with ~60 people in data science, including an MLOps team of four.", {}),
    # writer w (dev): a box on an org chart is no platform team; budgets frozen or cut in other words; "every
    # one of them" counts them all; "can go wherever" lets data out
    ("We're 25 data folks at a B2B SaaS company. The org chart has a box labelled 'ML Platform' but honestly "
     "everyone ships their own models and nobody's actual job is infrastructure.",
     {"team_size": 25, "platform_engineers": 0}),
    ("Heads-up: our CFO just froze all new per-seat SaaS contracts. We have about 45 people doing data science.",
     {"team_size": 45, "seat_price_sensitive": True}),
    ("We're now ~30 people logging runs and finance wants the licence line cut hard next year.",
     {"team_size": 30, "seat_price_sensitive": True}),
    ("we bild llm agents (mostly calling openai), 30 engs, budgt is tight tbh",
     {"team_size": 30, "llm_first": True, "seat_price_sensitive": True}),
    ("We're 8 engineers and every one of them has run Kubernetes in production.",
     {"team_size": 8, "k8s_engineers": 8}),
    ("Regulator + internal policy = no customer data in any SaaS, ever.", {"data_on_prem": True}),
    ("We're not regulated, our data can go wherever.", {"regulated": False, "data_on_prem": False}),
    # "they" is most often our own people: their denial stays ours
    ("We do have a platform team, but they've never run Kubernetes in production and have no plans to.",
     {"platform_engineers": 2, "k8s_engineers": 0}),
])
def test_sixth_session_wordings(advisor, text, expected) -> None:
    """Kinds of wording the sixth session's blind writers (r, s, t) used on dev that were read wrong."""
    assert _facts(advisor, text) == expected


def test_sixth_session_conversation_turns(advisor) -> None:
    """A what-if size without a noun, a future size said with "of us", a bare "What tool?" after a fact, and a
    setup question after "we'll go with your pick" (dev conversations of writer r)."""
    conv = Conversation(advisor)
    conv.ask("we're 28 data scientists, platform team of 3 who run our kubernetes, automated training pipelines. "
             "which one?")
    assert conv.ask("what if we were only 8?").team_profile.team_size == 8
    conv = Conversation(advisor)
    conv.ask("we're a 7 person team currently on W&B, finance wants us to cut SaaS licence costs. keep it or not?")
    later = conv.ask("oh and we're merging with the analytics group next month, it'll be 25 of us using it. so — "
                     "stay on W&B or move?")
    assert later.team_profile.team_size == 25 and later.recommendation.primary == "mlflow"
    assert advisor.ask("We need to show something in ten days. What tool?").intent == "recommend"
    assert advisor.ask("We've got 64 A100s in a colo rack and three ML engineers. None of us has run Kubernetes "
                       "in production. Need tracking + registry, what's the move?").recommendation.primary == "mlflow"
    assert advisor.ask("GenAI team of 9 building RAG copilots on Databricks. What should we use for LLM tracing "
                       "and evals?").intent == "recommend"
    assert advisor.read("8 of us, nothing to orchestrate, we need tracking plus dashboards. Which tools together, "
                        "and what does each own?").intent == "stack"
    assert advisor.read("We're the ML people at an online furniture shop. Which one of these three should we go "
                        "with?").intent == "recommend"
    conv = Conversation(advisor)
    conv.ask("we're a team of 8, all classical ML")
    assert conv.ask("sorry, 11 actually, forgot the interns").team_profile.team_size == 11
    conv = Conversation(advisor)
    conv.ask("quick one: mlflow vs w&b on vendor lock-in?")
    conv.ask("context: 30 of us. portability is a big deal for me here")
    assert conv.ask("cost for 30 people, w&b vs mlflow?").understanding.intent == "cost"
    conv = Conversation(advisor)
    conv.ask("Looking at W&B for our team of 9. thoughts?")
    catch = conv.ask("what's the catch?")
    assert catch.intent == "factual" and "Honest limitations" in catch.answer
    conv = Conversation(advisor)
    conv.ask("it's 3 data scientists and none of us has used k8s in prod")
    conv.ask("could we just borrow their cluster and go kubeflow?")  # Kubeflow named, MLflow picked again
    setup = conv.ask("fine, we'll go with your pick. how long to get it going?")
    assert setup.intent == "factual" and setup.understanding.topic.tool == "mlflow"
    assert "under an hour" in setup.answer


def test_follow_ups_answer_their_dimension_and_direction(advisor) -> None:
    """A short follow-up close to no row gets its dimension's row; "going back" reverses the move asked
    before; "which orchestrator" quotes the sentence that names them (dev conversations, sixth session)."""
    conv = Conversation(advisor)
    conv.ask("need something running by friday to show the CTO. team is 22, no dedicated platform people.")
    up = conv.ask("could kubeflow be up in time?")
    assert "Setup and implementation" in up.answer and "weeks" in up.answer
    conv = Conversation(advisor)
    conv.ask("we're on MLflow, what would moving to W&B involve?")
    back = conv.ask("and going back later if we hate it?")
    assert "W&B to MLflow" in back.answer and "historical data loss" in back.answer
    conv = Conversation(advisor)
    conv.ask("We're 14 people, nobody has run Kubernetes, pipelines are run by hand, orchestration is our core need.")
    orchestrator = conv.ask("which orchestrator would go with it?")
    assert "Airflow" in orchestrator.answer and "Prefect" in orchestrator.answer


def test_follow_ups_keep_the_subject_and_a_dismissed_tool_is_not_asked_about(advisor) -> None:
    assert advisor.read("so what would actually run the pipelines then, if not that?").clauses  # a wh after "so"
    assert advisor.ask("how portable is our experiment history if we leave MLflow later?").intent == "factual"
    answer = advisor.ask("We're running Kubeflow with 30 production pipelines, 35 people and a 5-person platform "
                         "team. Leadership wants to move to Vertex AI Pipelines. What are we in for?")
    assert answer.understanding.intent == "migration"
    conv = Conversation(advisor)
    conv.ask("is neptune.ai any good compared to these?")
    assert conv.ask("ok forget neptune. we're 4 people on aws, sagemaker for training").intent == "recommend"
    conv = Conversation(advisor)
    conv.ask("Quick one: we're 3 researchers, do we need anything more than MLflow?")
    answer = conv.ask("and the lock-in?")  # the paragraph beside the lock-in table explains the cells
    assert "MLflow is the most portable option by design" in answer.answer
    answer = advisor.ask("which orchestrator would go with mlflow?")  # a fact the article states, not a pick
    assert answer.intent == "factual" and "Airflow" in answer.answer and "Prefect" in answer.answer
    answer = advisor.ask("Our platform team wants to replace Kubeflow with SageMaker Pipelines. How big a job is that?")
    assert answer.understanding.intent == "migration"
    for text in ("Out of curiosity, what would W&B run us per user?",  # what something costs is a cost question
                 "what does kubeflow need headcount-wise to keep it running?"):
        assert advisor.read(text).intent == "cost", text
    assert advisor.read("what licence is mlflow under?").intent == "factual"  # a licence type is a fact
    conv = Conversation(advisor)  # an implied floor does not replace a count already said
    conv.ask("Our 22-person ML org has a DevOps team of three who run Kubernetes in production. Recommendation?")
    answer = conv.ask("correction: the devops team runs plain VMs, not kubernetes - none of them has k8s prod "
                      "experience")
    assert answer.team_profile.platform_engineers == 3 and answer.team_profile.k8s_engineers == 0


def test_a_regulated_team_that_can_run_kubeflow_is_no_research_lab_for_wanting_reports(advisor) -> None:
    answer = advisor.ask("Fraud analytics at a retail bank. 45 people do ML, we have a platform team that runs our "
                         "on-prem Kubernetes clusters, and retraining is automated. The risk committee wants slick "
                         "shareable reports. Customer data is not allowed off-site. Which platform should be primary?")
    assert answer.recommendation.primary == "kubeflow" and "wandb" in answer.recommendation.avoid


def test_an_llm_team_serving_its_own_large_models_on_its_kubernetes_gets_kserve(advisor) -> None:
    answer = advisor.ask("We're 25 people building customer-support copilots; we host our own fine-tuned 70B model "
                         "for every customer, and a 4-person platform team has run our k8s in production. How "
                         "would you split things between the tools?")
    rec = answer.recommendation
    assert rec.primary == "wandb" and rec.stack_pattern == "Kubernetes-Native Enterprise Stack"
    assert "KServe" in answer.answer


# ---- defaults never silently decide ------------------------------------------------------------------

def test_an_assumed_fact_that_decides_the_pick_is_said_first(advisor) -> None:
    answer = advisor.ask("We're 30 people with automated pipelines. Which tool should we use?")
    rec = answer.recommendation
    assert rec.confidence == "low"
    first = answer.hinges[0]
    assert first.decides and first.primary_would_be != rec.primary
    opening = answer.answer.splitlines()[0]
    assert "unless" in opening and advisor.vocab.tool(first.primary_would_be).name in opening


# ---- the second reader, over the real wire formats ------------------------------------------------------

@pytest.fixture(params=["openai", "ollama"])
def model_advisor(request, index, settings):
    fake = FakeOpenAI() if request.param == "openai" else FakeOllama()
    with fake as srv:
        llm = settings.llm.model_copy(update={"mode": request.param, "base_url": srv.url, "model": "fake-model",
                                              "timeout_s": 10})
        yield Advisor(settings.model_copy(update={"llm": llm})), srv


QUESTION = "We're a bank with twelve data scientists and nobody knows Kubernetes. Which tool?"


def test_the_model_fills_only_what_its_quote_states(model_advisor) -> None:
    advisor, srv = model_advisor
    srv.reply(json.dumps({
        "team_size": 40, "regulated": True, "private_cloud_ok": True, "platform": "aws",
        "quotes": {"team_size": "twelve data scientists", "regulated": "We're a bank",
                   "private_cloud_ok": "a VPC is fine", "platform": "We're a bank"}}))
    reading = advisor.read(QUESTION)
    body = srv.chat_requests()[-1].body
    assert body.get("response_format") or body.get("format")  # structured output was asked for
    assert reading.stated.team_size == 12  # the stated number wins over the model's guess
    refused = {e.field: e.detail for e in reading.set_aside if e.how == "model"}
    assert "quote is not in the message" in refused["private_cloud_ok"]
    assert "does not name aws" in refused["platform"]
    assert "40 is not a number the quote holds" in refused["team_size"]
    assert reading.stated.private_cloud_ok is None and reading.stated.platform is None


def test_the_model_adds_a_stated_fact_and_says_so(model_advisor) -> None:
    advisor, srv = model_advisor
    srv.reply(json.dumps({"lock_in_averse": True, "quotes": {"lock_in_averse": "nobody knows Kubernetes"}}))
    reading = advisor.read(QUESTION)
    assert reading.stated.lock_in_averse is True  # quote present in the message: accepted, and flagged
    assert any("correct me" in c and "vendor lock-in" in c for c in reading.corrections)
    srv.reply(json.dumps({"lock_in_averse": True, "quotes": {"lock_in_averse": "nobody knows Kubernetes"}}))
    answer = advisor.ask(QUESTION)
    assert answer.recommendation is not None
    assert "correct me" in answer.answer.split("\n\n")[0]  # said before the advice, so it can be corrected


def test_a_message_about_nothing_of_the_team_never_calls_the_model(model_advisor) -> None:
    advisor, srv = model_advisor
    reading = advisor.read("What's a good recipe for banana bread?")
    assert srv.chat_requests() == [] and reading.model_reader is None


@pytest.mark.parametrize("reply", ["{not json", json.dumps({"team_size": "a lot", "quotes": {}}), ""])
def test_a_broken_model_answer_is_ignored(model_advisor, reply) -> None:
    advisor, srv = model_advisor
    srv.garbage() if reply == "{not json" else srv.reply(reply) if reply else srv.empty()
    reading = advisor.read(QUESTION)
    assert reading.model_reader and "not used" in reading.model_reader
    assert reading.stated.team_size == 12 and reading.stated.regulated is True


# ---- bad input: no crash, nothing invented ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "kubernetes " * 363,  # ~4,000 characters of one word
    "🙂🚀🔥🤖",
    "WE ARE A BANK AND NOBODY KNOWS KUBERNETES. WHICH TOOL?",
    "Nous sommes une équipe de douze personnes. Quel outil choisir ?",
    "We are 10^12 people.",
])
def test_bad_input_gives_an_answer_and_invents_nothing(advisor, text) -> None:
    answer = advisor.ask(text[:4000])
    profile = answer.team_profile
    assert profile.team_size is None or profile.team_size < 10_000
    if text.startswith("WE ARE"):
        assert profile.regulated is True and profile.k8s_engineers == 0
    else:
        assert profile.known() == {}, profile.known()


def test_too_long_is_one_clear_error(advisor) -> None:
    with pytest.raises(InputError, match="limit is 4000"):
        advisor.ask("x" * 4001)


# ---- data as typed data ---------------------------------------------------------------------------------

def test_a_typo_in_the_example_bank_fails_at_load(tmp_path) -> None:
    bad = tmp_path / "meaning.yaml"
    bad.write_text("labels:\n  regulated=true: []\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"meaning\.yaml: labels"):
        load_bank(bad, MeaningFile)


def test_a_typo_in_the_learned_clauses_fails_at_load(tmp_path) -> None:
    bad = tmp_path / "meaning_learned.yaml"
    bad.write_text("labels:\n  regulatd=true: [we are a bank]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"meaning_learned\.yaml: labels\.regulatd=true: not a label"):
        load_learned(bad, {"regulated=true", "none"})
    assert load_learned(tmp_path / "absent.yaml", {"none"}) == {}


def test_learned_clauses_come_from_the_dev_split_only(advisor) -> None:
    # the classifier may learn from dev; a clause found only in a test item would make the test split a lie
    learned = load_learned(data_file("meaning_learned.yaml"), set(advisor.reader.meaning.bank.labels))
    assert sum(map(len, learned.values())) > 1000 and "none" in learned
    said = [i.text for name in ("understanding", "selection") for i in load_set(name, split="dev")]
    said += [t.say for d in load_set("conversations", split="dev") for t in d.turns]
    dev = [advisor.reader.extractor.locate(text)[0] for text in said]
    strays = [c for clauses in learned.values() for c in clauses if not any(c in text for text in dev)]
    assert not strays, strays[:3]


def test_a_typo_in_the_intent_stacker_fails_at_load_naming_file_and_field(tmp_path) -> None:
    good = json.loads(data_file("intent_stacker.json").read_text(encoding="utf-8"))
    bad = tmp_path / "intent_stacker.json"
    bad.write_text(json.dumps({**good, "clases": good["classes"]}), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"intent_stacker\.json: clases"):
        IntentStacker.load(bad)
    bad.write_text(json.dumps({**good, "weights": good["weights"][:-1]}), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"intent_stacker\.json: .*one row per class"):
        IntentStacker.load(bad)


def test_a_stale_intent_stacker_names_the_command_that_relearns_it(advisor) -> None:
    reader = Reader(advisor.extractor, advisor.vocab, advisor.premises, advisor.embedder, None)
    reader.config.intent.c = reader.config.intent.c * 2  # the classifier the stacker was trained on has changed
    with pytest.raises(CorpusError, match=r"intent_stacker\.json .*rerun `python evals/learn_intents\.py`"):
        _ = reader.stacker


def test_the_intent_stacker_knows_every_cue_and_learned_from_dev_only(advisor) -> None:
    stacker = advisor.reader.stacker
    known = {f[4:] for f in stacker.data.features if f.startswith("cue:")}
    conv = Conversation(advisor)
    for text in ["We're 12 on AWS, nobody knows k8s, budget is tight. Which tool?", "what if we were 40?",
                 "and what would it cost us?", "how should we combine them?", "and moving from it to W&B later?",
                 "can we self-host it?", "We use Neptune. Is it any good?"]:
        reading = advisor.read(text, conv.context)
        cues = advisor.reader.cues(reading, split_clauses(reading.normalized), conv.context)
        assert set(cues) <= known, set(cues) - known  # a cue it never saw would be silently ignored
        conv.ask(text)
    # as many intents and selection messages as the dev split has: nothing of test was read
    assert stacker.data.trained_on["intents"] == len(load_set("intents", split="dev"))
    assert stacker.data.trained_on["selection"] == len(load_set("selection", split="dev"))


def test_the_intent_says_which_cues_decided_it(advisor) -> None:
    answer = advisor.ask("We're 9 people and our data can't leave the building. What would W&B cost us per year?")
    assert answer.understanding.intent == "cost"
    assert answer.understanding.intent_by.startswith(("classifier and cues", "asks what it costs"))
    conv = Conversation(advisor)
    conv.ask("We're 8 people on AWS and we want to stay open source and portable. What fits?")
    follow = conv.ask("and moving from it to W&B later if we change our minds?")
    assert follow.understanding.intent == "migration"


def test_the_clause_classifier_reads_what_no_single_example_is_close_to(advisor) -> None:
    # (the lexicon now reads "software subscriptions are out"; this wording only the classifier reads)
    reading = advisor.reader.read("We're 30 people and procurement says software subscriptions won't get approved.")
    assert reading.stated.seat_price_sensitive is True
    said = next(e for e in reading.evidence if e.field == "seat_price_sensitive")
    assert said.how == "meaning" and said.detail.startswith("classified as seat_price_sensitive (")
    # about maturity, but the nearest examples' vote (automated, 1) is not the classifier's value: not read
    assert advisor.reader.read("We retrain twice a year.").stated.maturity != 1
    # a plainly close example still decides alone, and says so
    near = advisor.reader.read("compliance officers and auditors review every model we ship")
    assert near.stated.regulated is True
    assert next(e for e in near.evidence if e.field == "regulated").detail.startswith("close to")


def test_understanding_config_is_typed() -> None:
    config = UnderstandingConfig.load()
    assert 0 < config.meaning.fact <= 1 and config.implications
    assert {i.id for i in config.implications} >= {"kubernetes-team", "automated-pipelines", "production-pipelines"}


def test_example_vectors_are_cached_beside_the_index(advisor, embedder, tmp_path) -> None:
    groups = {"a=true": ["we are a bank"], "none": ["hello there"]}
    first = EmbeddedBank.build(groups, embedder, tmp_path, "t")
    assert list(tmp_path.glob("t-*.npz"))
    again = EmbeddedBank.build(groups, embedder, tmp_path, "t")
    assert (first.vectors == again.vectors).all() and again.texts == first.texts == ["we are a bank", "hello there"]


def test_a_warm_start_reuses_normalised_examples_and_the_trained_classifier(advisor, embedder, tmp_path) -> None:
    """The meaning bank keeps its normalised texts keyed by the raw ones and the normaliser's version, and
    the classifier is found by key without its training data (a cold answer skipped 0.7 s of both)."""
    groups = {"team_size=5": ["we're five ppl", "a team of three"], "none": ["hello there"]}
    calls: list[str] = []

    def normalize(text: str) -> str:
        calls.append(text)
        return advisor.extractor.normalize(text)

    key = advisor.extractor.fingerprint
    first = EmbeddedBank.build(groups, embedder, tmp_path, "m", normalize, normalizer_key=key)
    assert len(calls) == 3 and first.texts == [advisor.extractor.normalize(t) for ts in groups.values() for t in ts]
    again = EmbeddedBank.build(groups, embedder, tmp_path, "m", normalize, normalizer_key=key)
    assert len(calls) == 3 and again.texts == first.texts and (again.vectors == first.vectors).all()
    # another normaliser version (a lexicon or code change) normalises afresh
    EmbeddedBank.build(groups, embedder, tmp_path, "m", normalize, normalizer_key=key + "-changed")
    assert len(calls) == 6
    assert cached_linear("k", 1.0, tmp_path, "c") is None
    trained = train_linear(first.vectors, first.labels, 1.0, tmp_path, "c", key="k")
    found = cached_linear("k", 1.0, tmp_path, "c")
    assert found is not None and found.classes == trained.classes and (found.weights == trained.weights).all()


def test_the_shipped_classifier_is_current(advisor) -> None:
    """A new data dir uses the packaged classifier instead of embedding ~10,000 learned clauses; it must have
    been trained on today's examples, normaliser and learned file."""
    reader = advisor.reader
    key = reader.classifier_key(reader.meaning.bank)
    shipped = shipped_linear(key, reader.config.meaning.classifier.c, SHIPPED_CLASSIFIER)
    assert shipped is not None, f"advisor/data/{SHIPPED_CLASSIFIER} is stale: run python evals/ship_classifier.py"
    assert shipped.classes == reader.meaning.classifier.classes and shipped.weights.shape[1] == 384


def test_held_out_sets_are_split_and_typed() -> None:
    for name in SETS:
        dev, test = load_set(name, split="dev"), load_set(name, split="test")
        assert dev and test and abs(len(dev) - len(test)) <= 1
        assert {i.author for i in dev} == {i.author for i in test}
    assert len(load_set("understanding")) >= 400 and len(load_set("selection")) >= 150
    assert len(load_set("conversations")) >= 40
    assert set(LABELLED_FIELDS) < set(TeamProfile.model_fields)


def test_query_vectors_are_shared_across_letter_case_and_batched_with_the_reading(advisor, embedder) -> None:
    # MiniLM's tokenizer lowercases, so "W&B" and "w&b" are one forward pass and one vector
    upper, lower = embedder.embed_queries(["How much does W&B cost per SEAT?", "how much does w&b cost per seat?"])
    assert upper == lower
    direct = embedder.embed_documents(["How much does W&B cost per SEAT?"])[0]
    assert np.allclose(upper, direct, atol=1e-5)
    # the table matcher's form of the question rides in the reader's batch and reads nothing of its own
    question = "We're 9 people and two of us run Kubernetes in production; which tool?"
    plain = advisor.reader.read(question)
    batched = advisor.reader.read(question, also=(advisor.table_reader.strip(question),))
    assert plain.stated == batched.stated and plain.evidence == batched.evidence
    assert plain.intent == batched.intent and plain.stated.k8s_engineers == 2


def test_half_said_facts_are_doubts_never_facts_and_the_answer_says_so(advisor) -> None:
    # ("… so software subscriptions are out" is now read as a fact, by the clause classifier)
    q = ("About 25 of us, all data scientists, and nobody's job is infrastructure. Our grant covers hardware, "
         "not software. What should we standardise on?")
    reading = advisor.reader.read(q)
    doubt = next(d for d in reading.doubts if d.field == "seat_price_sensitive")
    assert doubt.value is True and "grant" in doubt.words and "half-said" in doubt.detail
    assert reading.stated.seat_price_sensitive is None  # a doubt is never a fact
    answer = advisor.ask(q)
    assert answer.recommendation.confidence == "low" and answer.hinges[0].doubt == doubt.words
    head = answer.answer.split("\n")[0]
    assert head.startswith("**Weights & Biases, unless per-seat licence fees are a problem") and "then MLflow" in head
    assert "You may have said so" in answer.answer
    assert answer.understanding.doubts and answer.understanding.doubts[0].field == "seat_price_sensitive"
    panel = evidence_html(answer.profile_evidence, [], "", answer.understanding.doubts)
    assert 'class="doubt" data-field="seat_price_sensitive"' in panel and "not taken as a fact" in panel
    # a question, a fragment, someone else's data: nothing half-said about the team
    assert not advisor.reader.read("What should we standardise on for lock-in?").doubts
    assert not any(d.field == "data_on_prem" for d in advisor.reader.read(
        "Our biggest client is a pharma company, but none of their data touches our systems. We're 7.").doubts)


def test_a_permissive_reading_needs_a_clear_lead(advisor) -> None:
    # "off the table" is closer to "budget is no problem" than to "per-seat licences are painful", but only just:
    # reading it as permissive would let W&B through for a team that cannot pay for it
    off = advisor.reader.read("per-seat licences are off the table for us budget-wise")
    assert off.stated.seat_price_sensitive is not False
    assert advisor.reader.read("budget is not a constraint for us").stated.seat_price_sensitive is False
    assert advisor.reader.read("money isn't an issue for us").stated.seat_price_sensitive is False
    # "no problem" / "no big deal" deny the worry (they were read as one)
    for said in ("per-seat licence fees are no problem for us", "the cost is no big deal"):
        assert advisor.reader.read(said).stated.seat_price_sensitive is False, said
    assert advisor.reader.read("budget is a big deal for us").stated.seat_price_sensitive is True


def test_doubts_carry_through_a_conversation_until_a_fact_settles_them(advisor) -> None:
    conv = Conversation(advisor)
    # ("procurement says software subscriptions are out" is now read as a fact, by the clause classifier)
    conv.ask("We're 30 people, no platform team, and our grant covers hardware, not software.")
    assert any(d.field == "seat_price_sensitive" for d in conv.doubts)
    again = Conversation.restore(advisor, conv.snapshot())
    assert [d.field for d in again.doubts] == [d.field for d in conv.doubts]
    follow = again.ask("so which tool should we pick?")
    assert follow.hinges and follow.hinges[0].field == "seat_price_sensitive" and follow.hinges[0].doubt
    settled = again.ask("to be clear, per-seat licence fees are no problem, budget isn't the issue")
    assert settled.profile["seat_price_sensitive"] is False
    assert not any(d.field == "seat_price_sensitive" for d in again.doubts)


# ---- eleventh session: kinds of wording writers ca, cb, da used on dev that were read wrong -----------------

@pytest.mark.parametrize(("text", "expected"), [
    # typos are corrected towards the example words before reading; real words are left alone
    ("prcing is a concern tho, we're tight on budjet", {"seat_price_sensitive": True}),
    # a part of the team "on platform", all of whom run Kubernetes, counts as both
    ("platform eng here. 45 ppl doing ml, 4 of us on platform all with prod k8s",
     {"team_size": 45, "platform_engineers": 4, "k8s_engineers": 4}),
    # one member of the team is no team of one, and a preference is no tool in use
    ("one guy in my team prefers MLflow", {}),
    # a boundary named by its owner still binds our data
    ("our ethics board says the raw data mustn't leave the university's own servers.", {"data_on_prem": True}),
    # a list item that is only notebooks says how the team works
    ("3 of us, notebooks, need tracking. Go.", {"team_size": 3, "maturity": 0}),
    # a deadline set aside is no time pressure
    ("Scratch the deadline - leadership just gave us the whole quarter.", {"time_pressure": False}),
    # tools weighed in a list are not in use; "our existing MLflow runs" are
    ("We're evaluating MLflow, Kubeflow and W&B. Which should be the backbone?", {}),
    ("How hard would it be to move our existing MLflow runs into it?", {"current_tools": ["mlflow"]}),
])
def test_eleventh_session_wordings(advisor, text, expected) -> None:
    assert _facts(advisor, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a person's experience of a managed Kubernetes is a skill, not the platform the team is on
    ("15 ppl, one devops guy who has run eks in prod", {"team_size": 15, "k8s_engineers": 1}),
    ("we run all on GKE. 25 ML engineers", {"team_size": 25, "platform": "gcp"}),
    ("an infra team that administers our EKS clusters", {"platform": "aws"}),
    # consultants are people
    ("we're 6 consultants building LLM chatbots", {"team_size": 6}),
])
def test_twelfth_session_wordings(advisor, text, expected) -> None:
    got = _facts(advisor, text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a need said in a relative clause is the team's, question or not
    ("Given that none of the six of us has ever touched Kubernetes, is Kubeflow even on the table for the "
     "pipeline orchestration we need?", {"team_size": 6, "k8s_engineers": 0, "needs_orchestration": True}),
    # an approval is no tool in use; a private cloud in place is one accepted
    ("compliance has already ok'd a VPC-hosted W&B deployment.", {"private_cloud_ok": True, "current_tools": None}),
    ("wandb enterprise private cloud is already configured for us", {"private_cloud_ok": True}),
    # SaaS allowed only inside a VPC is no licence for the public cloud
    ("we're allowed to use SaaS only via a dedicated VPC deployment", {"private_cloud_ok": True,
                                                                       "data_on_prem": None}),
    # money was no object: any tense
    ("if money was no object", {"seat_price_sensitive": False}),
    # "some on-prem, some in the cloud" with a comma; a burst to the cloud; a split named with "while"
    ("some workload stay on-prem, some in google cloud.", {"hybrid_cloud": True}),
    ("overflow training bursts into GCP when we need it", {"hybrid_cloud": True}),
    ("we never burst to the cloud", {"hybrid_cloud": False}),
    ("we keep training in our own data centre while serving runs in AWS", {"hybrid_cloud": True}),
    # modelling in notebooks is Level 0; shipping through CI/CD with continuous training is Level 2
    ("We're a five-strong analytics team at a charity, mostly modelling in notebooks.", {"maturity": 0}),
    ("we have 30 production pipelines and ship via CI/CD with continuous training", {"maturity": 2}),
    ("our CI retrains, tests & deploys models automatically on every merge", {"maturity": 2}),
    # a count of things is no head count
    ("how do we stop this turning into 3 disconnected systems across the org?", {"team_size": None}),
    ("12 people across two offices", {"team_size": 12}),
    # scheduled retraining is Level 1, not manual; a ban on new recurring vendor costs is a budget line
    ("Retraining is orchestrated nightly.", {"maturity": 1}),
    ("retraining is still done by hand", {"maturity": 0}),
    ("we cannot add any new recurring vendor costs this fiscal year", {"seat_price_sensitive": True}),
])
def test_thirteenth_session_wordings(advisor, text, expected) -> None:
    got = _facts(advisor, text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a past job goes on to the sentence's end, brackets included, until a clause comes back to now
    ("At my previous company the platform team (10 people) ran Kubeflow for us and I loved it. Here I'm one of "
     "two ML engineers at a seed-stage startup.", {"team_size": 2, "platform_engineers": None, "current_tools": None}),
    ("Two of us ran Kubernetes in production at previous jobs, and we have one dedicated MLOps engineer.",
     {"k8s_engineers": 2, "platform_engineers": 1}),
    # another division's cluster is not our Kubernetes experience
    ("We're 11 data scientists. The infrastructure group in another division runs Kubernetes, but they don't "
     "support us, and we ourselves have no DevOps.", {"team_size": 11, "k8s_engineers": None,
                                                       "platform_engineers": 0}),
    # "the ML platform org" is the ML organisation; "it" in "the SRE group inside it (5 engineers)" is no team
    ("ML platform org: 300 people, continuous training and deployment.", {"team_size": 300}),
    ("Our ML platform org is about 60 people. The SRE group inside it (5 engineers) runs our clusters.",
     {"team_size": 60}),
    ("Our ML platform team (4 people) runs our k8s", {"platform_engineers": 4}),
    # one of us … the other three: the parts make the team
    ("One of us has run GKE in production; the other three are data scientists.", {"team_size": 4}),
    # the head count to plan for
    ("We're 3 people; well, HR just approved 6 more reqs, so plan for 9.", {"team_size": 9}),
    # people who have left are nobody the team has
    ("Our Kubeflow deployment is creaking, and the two platform engineers who built it have left.",
     {"platform_engineers": None}),
    ("We have 2 platform engineers who run our clusters", {"platform_engineers": 2}),
    # a worry waved away is no worry
    ("Licence costs are basically irrelevant to us, the grant covers tooling.", {"seat_price_sensitive": None}),
    ("Personally I think lock-in is overblown for us", {"lock_in_averse": False}),
    ("Our CFO's view: per-seat pricing is a no-go.", {"seat_price_sensitive": True}),
    # a platform team of one
    ("The platform team here is just me, and I've run Kubernetes in production for years.",
     {"platform_engineers": 1, "k8s_engineers": 1}),
    # the new blind writer's (ea) dev items, by kind: a rejection is a denial; a dismissed budget worry, with an
    # adverb in the way; lock-in that bothers nobody; avoiding being tied to one vendor
    ("We're an insurer and a VPC-hosted vendor deployment is explicitly off the table for our CISO.",
     {"regulated": True, "private_cloud_ok": False}),
    ("Budget honestly isn't a concern, we landed a big grant.", {"seat_price_sensitive": False}),
    ("vendor lock-in doesn't bother us in the slightest, we just want the nicest UI. 9 people.",
     {"team_size": 9, "lock_in_averse": False}),
    ("we're keen to avoid being tied to any one vendor", {"lock_in_averse": True}),
    # "which one" is a pronoun; "if we use X" uses nothing yet; the old job is the past
    ("Which one should our team go with? We mostly do computer vision.", {"team_size": None}),
    ("Healthcare org. If we use Kubeflow and MLflow together, what should each one own?", {"current_tools": None}),
    ("At my old bank job everything had to stay on-prem, but now I'm at a gaming startup - 7 of us - and the "
     "data is fine to go into SaaS.", {"team_size": 7, "regulated": None, "data_on_prem": False}),
    ("At my previous job 40 of us used Kubeflow. Help me pick.", {"team_size": None}),
    # three roles listed add up; a counted Kubernetes platform group runs Kubernetes, unless it never did
    ("4 research scientists, 6 ML engineers and 2 data engineers, all of us doing ML work", {"team_size": 12}),
    ("there's a dedicated 5-person Kubernetes platform group behind it", {"platform_engineers": 5,
                                                                         "k8s_engineers": 5}),
    ("our kubernetes platform team of 3 never ran prod clusters", {"platform_engineers": 3, "k8s_engineers": 0}),
    # a bottleneck is a need; nothing to orchestrate is none; hacking in notebooks is Level 0
    ("Orchestration has become the bottleneck - what should we add?", {"needs_orchestration": True}),
    ("8 of us, nothing to orchestrate", {"needs_orchestration": False}),
    ("Solo here, just me hacking on a recommender in notebooks", {"team_size": 1, "maturity": 0}),
])
def test_fourteenth_session_wordings(advisor, text, expected) -> None:
    got = _facts(advisor, text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize("text,expected", [
    # people who left: the team is what remains; "three people left" alone is no team of three
    ("There were eleven of us until January; three people left and we're not backfilling.", {"team_size": 8}),
    ("we're 10, 3 people left", {"team_size": 10}),
    ("Our only engineer with production Kubernetes experience left in March, so it's just the four data "
     "scientists now.", {"team_size": 4, "k8s_engineers": None}),
    ("our kubernetes guy quit, so nobody runs k8s now. 6 of us", {"team_size": 6, "k8s_engineers": 0}),
    # a money worry waved away, beside a real one
    ("We're not worried about budget, but we are very worried about lock-in.",
     {"seat_price_sensitive": False, "lock_in_averse": True}),
    # the ML org, not the platform group inside it; a group noun joined by a slash is still a platform group
    ("We're a 70-person ML org with an eight-person SRE/platform group that runs our production Kubernetes "
     "clusters.", {"team_size": 70, "platform_engineers": 8}),
    # "the two of us" in a question is the asker's own team
    ("nvm. mlflow or wandb for the two of us?", {"team_size": 2}),
    # a tag question asks: "W&B has the best dashboards, no?" uses no W&B and denies nothing
    ("but W&B has the best dashboards, no?", {"current_tools": None}),
    ("we use mlflow, right?", {"current_tools": ["mlflow"]}),
    # slides exported for the executives are no worry about lock-in
    ("only 8 of us would ever log in to the tool, the rest just look at slides we export",
     {"team_size": 8, "lock_in_averse": None}),
    # pipelines run in production are automated; wanting to is not
    ("given we already run kubeflow pipelines in prod on our own clusters", {"maturity": 1}),
    ("we want to run kubeflow pipelines in production", {"maturity": None}),
])
def test_fifteenth_session_wordings(advisor, text, expected) -> None:
    got = _facts(advisor, text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize("turns,intent,primary", [
    # whether a named tool fits us, after a pick: the pick asked again, not a fact about the tool
    (["need something running by friday to show my boss. 6 data scientists, no ops people. go",
      "is kubeflow doable in that time?"], "recommend", "wandb"),
    (["we have workloads both in our own datacenter and in azure. ~80 ML people, a platform team of 10 that "
      "runs kubernetes in both places, and models already ship through CI/CD. what should be our main platform?",
      "why kubeflow over mlflow for us?"], "recommend", "kubeflow"),
    (["we're a health insurer building an LLM assistant for claims handlers. team of 6. what should we use?",
      "but isn't W&B Weave the best thing for llm stuff?"], "recommend", "mlflow"),
    (["We're a 45-person data org on Databricks with a 4-person platform team. Models are retrained by automated "
      "jobs. What should be our core ML tool?", "cost-wise, is managed mlflow predictable at our scale?",
      "should we bother with kubeflow at all?"], "recommend", "mlflow"),
    # ... but a question that names no tool after "do we need" still asks the fact
    (["We're 9 people on AWS, nobody runs Kubernetes, no platform team. Which tool?",
      "does mlflow do scheduling itself, or do we need something else?"], "factual", None),
    # the advice asked for again in words that name nothing: in scope, whatever the classifier hears
    (["Our analytics and ML folks (around 15 of us) already live in Databricks. Weighing MLflow vs W&B vs "
      "Kubeflow, thoughts?", "so what's your final answer for us?"], "recommend", "mlflow"),
    (["five-strong team, we've got a demo for the board in ten days, building RAG search over our internal docs. "
      "langfuse or langsmith?", "ok, among the three you actually know then?"], "recommend", "wandb"),
    # a group said with no count, counted in the next message
    (["hi! were on azure, ml team abt 40 ppl, theres a platfrom team (dunno how many) running our aks clusters. "
      "what shld we use", "hmm they're 7 actually, just asked"], "recommend", "kubeflow"),
])
def test_fifteenth_session_follow_ups(advisor, turns, intent, primary) -> None:
    conversation = Conversation(advisor)
    for text in turns:
        answer = conversation.ask(text)
    assert answer.intent == intent
    assert (answer.recommendation.primary if answer.recommendation else None) == primary


@pytest.mark.parametrize("first,then,expected", [
    ("who built mlflow", "and wandb?", "Lukas Biewald"),  # the previous question, of the new subject
    ("does MLflow integrate with Azure ML?", "and W&B with it?", "SDK integration"),  # Azure ML stays
    ("does wandb integrate with airflow natively", "and kf?", "replaces Airflow"),
])
def test_an_elliptical_follow_up_asks_the_previous_question_of_its_new_subject(advisor, first, then,
                                                                                expected) -> None:
    conversation = Conversation(advisor)
    conversation.ask(first)
    answer = conversation.ask(then)
    assert answer.intent == "factual" and expected in answer.answer


def test_a_refusal_of_that_refuses_the_private_deployment_just_asked_about(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're a hospital trust, 9 of us; patient data stays on our own servers.")
    conversation.ask("what about W&B's private cloud thing?")
    refused = conversation.ask("nah, security already said no to that too")
    assert refused.profile["private_cloud_ok"] is False and refused.recommendation.primary == "mlflow"
    # a refusal after a question about something else refuses no deployment
    other = Conversation(advisor)
    other.ask("We're 9 people. Does W&B have an Airflow integration?")
    assert other.ask("security already said no to that").profile["private_cloud_ok"] is None


def test_for_today_after_a_what_if_brings_the_team_back(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're 25 people, two platform engineers with production k8s experience, everything by hand "
                     "in notebooks.")
    what_if = conversation.ask("what if we automate our training pipelines first, would kubeflow make sense then?")
    assert what_if.profile["maturity"] == 1
    today = conversation.ask("ok but for today, where we actually are?")
    assert today.intent == "recommend" and today.profile["maturity"] == 0
    assert today.recommendation.primary != "kubeflow"


def test_a_group_counted_later_replaces_the_two_a_team_was_read_as(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("ML team of 40, there's a platform team running our AKS clusters. Which tool?")
    counted = conversation.ask("hmm they're 7 actually")
    assert counted.profile["platform_engineers"] == 7 and counted.profile["k8s_engineers"] == 7
    said = next(e for e in counted.profile_evidence if e.field == "platform_engineers")
    assert said.how == "correction" and "counts the group said before" in said.detail
    # with no uncounted group before, "they're 7" counts nobody
    other = Conversation(advisor)
    other.ask("We're 12 people on AWS. Which tool?")
    assert other.ask("they're 7 actually").profile["platform_engineers"] is None


def test_typos_are_corrected_and_recorded_but_real_words_are_not(advisor) -> None:
    reading = advisor.read("we posted results on a dashbaord, budjet is tight", Context())
    assert reading.spelling == {"dashbaord": "dashboard", "budjet": "budget"}
    assert "posted" in reading.text and "dashboard" in reading.normalized
    assert advisor.reader.speller.correct("Databricks") is None  # a known word: unchanged


def test_a_question_about_a_tools_standing_after_a_pick_asks_the_advice_again(advisor) -> None:
    """"so wandb's out then?" after a recommendation questions the pick: it is advice, not a fact question."""
    conversation = Conversation(advisor)
    first = conversation.ask("We're 6 data scientists, regulated bank, data must stay on our servers. "
                             "What should we use?")
    assert first.intent == "recommend" and first.recommendation.primary == "mlflow"
    again = conversation.ask("so wandb's out then?")
    assert again.intent == "recommend" and again.recommendation.primary == "mlflow"


def test_after_a_pick_a_what_if_asks_it_again_and_a_cost_question_asks_its_cost(advisor) -> None:
    """"both run Kubernetes" is about people, not a combination of tools; "what would that set us back for the
    four of us?" restates the team and asks a cost."""
    conversation = Conversation(advisor)
    first = conversation.ask("We're 30 ML engineers at a logistics company. Retraining already runs on scheduled "
                             "pipelines, but we have no platform team. Which tool should be our main one?")
    assert first.intent == "recommend"
    what_if = conversation.ask("What if we hired two platform engineers who have both run Kubernetes in production?")
    assert what_if.intent == "recommend" and what_if.recommendation.primary == "kubeflow"
    other = Conversation(advisor)
    other.ask("we're 4 people, regulated. what should we use?")
    cost = other.ask("What would that set us back for the four of us?")
    assert cost.understanding.intent == "cost"


def test_the_answer_json_shows_the_typos_it_corrected(advisor) -> None:
    answer = advisor.ask("we are 5 data scientsits, no platfrom team. which tool?")
    assert answer.understanding.spelling == {"scientsits": "scientists", "platfrom": "platform"}
    assert answer.profile["team_size"] == 5 and answer.profile["platform_engineers"] == 0
    panel = evidence_html(answer.profile_evidence, [], "", [], answer.understanding.spelling)
    assert "read &ldquo;platfrom&rdquo; as &ldquo;platform&rdquo;" in panel


@pytest.mark.parametrize("text", [
    "Can you help me write a cover letter for a data engineering role at a fintech?",
    "How do I write a good GPT-4 prompt to summarise emails?",
])
def test_one_fact_said_in_passing_does_not_pull_an_off_topic_request_into_advice(advisor, text) -> None:
    answer = advisor.ask(text)
    assert answer.understanding.intent == "out_of_scope" and answer.recommendation is None


def test_a_short_self_description_still_asks_for_advice(advisor) -> None:
    assert advisor.ask("We're a bank.").understanding.intent == "recommend"


@pytest.mark.parametrize(("text", "intent"), [
    # a coin toss between a pick and a fact, with nothing said of the team and one tool named: the fact
    ("Could we just run production on the free tier of W&B?", "factual"),
    # a clear ask for a pick stays one
    ("Should we use W&B?", "recommend"),
    ("We're 6 people with no platform team. Could we just run production on the free tier of W&B?", "recommend"),
])
def test_a_near_tie_with_nothing_said_of_the_team_answers_the_fact(advisor, text, intent) -> None:
    reading = advisor.read(text)
    assert reading.intent == intent, (reading.intent, reading.intent_by, reading.intent_margin)

@pytest.mark.parametrize("text,expected", [
    # a bracket that ends the sentence breaks the group down; one naming a part of it does not
    ("we're a uni research lab, seventeen of us (phd students and a couple of postdocs). which tool?",
     {"team_size": 17}),
    ("LLM product company, 15 people. Only one of us (our sre) has run k8s in prod",
     {"team_size": 15, "k8s_engineers": 1}),
    # chat shorthand: smth, fri, eng; "team's grown to ~40" (an approximate new head count)
    ("need smth running by next fri. 3 ds, nobody on infra.", {"time_pressure": True, "team_size": 3}),
    ("we've been on wandb for 2 yrs, team's grown to ~40", {"team_size": 40, "current_tools": ["wandb"]}),
    ("solo ML eng, notebooks, data in BigQuery", {"team_size": 1, "maturity": 0, "platform": "gcp"}),
    ("were 8 ml eng, budgets tight", {"team_size": 8, "seat_price_sensitive": True}),
    # a sentence near a negated example is not its opposite ("the data never leaves the building")
    ("all data stays on-prem, ~30 data people", {"data_on_prem": True, "team_size": 30}),
    ("what deadline 😂 we have all year", {"time_pressure": None}),
    # a platform named is no statement about hybrid; no on-prem footprint is
    ("We're fully on Databricks: about 45 data scientists", {"hybrid_cloud": None, "platform": "databricks"}),
    ("We're fully in GCP with no on-prem footprint", {"hybrid_cloud": False}),
    ("Unity Catalog + Lakeflow shop, 22 people in data science", {"platform": "databricks", "team_size": 22}),
    # a fact set aside in a question is still read where a statement says it
    ("how do we keep the model registry somewhere portable? we don't want to be stuck on w&b forever",
     {"lock_in_averse": True}),
    # a vendor that was acquired is no other team
    ("The vendor we used before got acquired and tripled prices overnight, so portability is top of mind. "
     "13 people.", {"team_size": 13, "lock_in_averse": True}),
    ("We also don't want licence fees that scale per head.", {"seat_price_sensitive": True}),
    # ML staff are the team; staff alone are the organisation
    ("nine modelling staff", {"team_size": 9}),
    ("we have 200 staff", {"team_size": None}),
    # two counted groups share the tool; a platform group beside the team does not add to it
    ("our CV team (6) and our NLP team (6) would share it", {"team_size": 12}),
    ("our ML team (5) and the platform team (3) are separate", {"team_size": 5, "platform_engineers": 3}),
    # a wish with "also" between its words; "would love" wishes, it does not ask
    ("we'd also like retraining to run automatically on a schedule — at the moment it's all manual.",
     {"needs_orchestration": True, "maturity": 0}),
    ("Would love a shared view the ops managers can check.", {"needs_dashboards": True}),
    # a counted group in brackets leaves its clause whole
    ("now we got a platform team (3 people) running kubernetes in production",
     {"platform_engineers": 3, "k8s_engineers": 3}),
    ("research scientists on one side, a distinct platform eng team on the other", {"research_split": True}),
    # a conclusion drawn in the conversation names a plan, not a tool in use
    ("so with what we actually have, w&b for tracking. and for the registry?", {"current_tools": None}),
    # an aside saying who is included leaves a denial whole; "not a single" DevOps person is none
    ("Team of 16 with a dedicated DevOps engineer, but none of us (including her) has production Kubernetes "
     "experience.", {"team_size": 16, "k8s_engineers": 0}),
    ("We don't have a single DevOps person. We're a 13-strong ML team", {"team_size": 13, "platform_engineers": 0}),
    # a count in brackets counts the group that runs the clusters; one in an earlier clause does not
    ("Our ML platform org is about 60 people. The SRE group inside it (5 engineers) runs 40 EKS clusters in "
     "production.", {"k8s_engineers": 5, "platform_engineers": 5}),
    ("our lab (5 researchers) uses notebooks, and the platform team runs k8s in prod",
     {"team_size": 5, "k8s_engineers": 2}),
    # the part of a larger group that does the ML work is the team
    ("we're a small biotech — twelve scientists, four of whom actually train models.", {"team_size": 4}),
    ("a central data team of 30, of which the ML part is 10 people", {"team_size": 10}),
])
def test_sixteenth_session_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("text,expected", [
    ("Suppose the next round doubles us to 30 people", {"team_size": 30}),
    ("Some of our training runs on on-prem GPU boxes, some on AWS.", {"hybrid_cloud": True}),
    ("4 of us, none of us knows kubernetes or has done any devops", {"k8s_engineers": 0, "platform_engineers": 0}),
    # a clause a question rests on states the team
    ("which tool should our 30-person org standardise on, given a 4-person platform team that runs Kubernetes in "
     "production and automated retraining pipelines?", {"platform_engineers": 4, "k8s_engineers": 4, "maturity": 1}),
    # a part of a group is no team size
    ("One of my analysts says we should use the Google one instead. Should we?", {"team_size": None}),
    ("we're dropping the chatbot and going back to our churn models", {"llm_first": False}),
    ("We have 5 pipelines, and honestly we kick them off by hand.", {"maturity": 0}),
    ("we're 25 people and we already run Kubeflow Pipelines nightly", {"maturity": 1}),
    ("Eight people build our models, and our clients want shareable reports on how the models perform.",
     {"needs_dashboards": True}),
    ("About 50 people build models here, and an IT team of four looks after our Kubernetes in production.",
     {"platform_engineers": 4}),
    ("we demo to the board on Thursday, and what they want is live, shareable charts of the models training",
     {"needs_dashboards": True}),
    ("well actually only 1 of the 3 has run k8s in prod", {"k8s_engineers": 1}),
    ("sorry, context: it's me + 1 other phd student, just tracking runs", {"team_size": 2}),
    ("ok and if we say no to saas entirely", {"data_on_prem": True}),
    ("we're 12 and the budget gets tight next year", {"seat_price_sensitive": True}),
    # asking what a tool costs is no worry about money
    ("and infra cost for it roughly", {"seat_price_sensitive": None}),
    # a cluster a vendor runs for the team is no Kubernetes experience of its own
    ("We deploy to GKE but nobody here understands it, Google manages the cluster for us.", {"k8s_engineers": None}),
])
def test_eighteenth_session_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


def _reads_as(advisor, text: str, expected: dict) -> None:
    got = _facts(advisor, text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize("turns,intent,about", [
    # back from a what-if in words of its own
    (["We're a 12-person ML team. Nobody knows Kubernetes and we have no DevOps people.",
      "What if we hired two platform engineers with k8s experience, would kubeflow make sense then?",
      "ok realistically that hire isn't happening this year. so what should we use?"], "recommend", None),
    # an adverb before the wh-word still asks; a cost question after a pick
    (["we've been on wandb for 2 yrs, team's grown to ~40 and finance is freaking out about the seat bill",
      "and roughly what are 40 seats costing us vs the alternative"], "cost", None),
    # a change of subject to no tool
    (["We're about nine data scientists on Azure.",
      "Brilliant, cheers. Unrelated, but any idea how to get AKS node pools to scale to zero overnight?"],
     "out_of_scope", None),
    # which tool goes next to the pick: how tools combine, whatever table row its words touch
    (["we need end-to-end pipeline automation. 9 people, one guy has run k8s in prod, no devops. what fits?",
      "ok so which orchestrator would you put next to mlflow"], "stack", None),
    (["gov health agency. all data stays on-prem, we have a platform team that runs our on-prem k8s, ~30 data "
      "people, training pipelines are automated. what should we build on", "ok, and mlflow's role in that setup?"],
     "stack", None),
    # a component is about the tool it belongs to
    (["we're an llm shop, 18 ppl, fine-tuning and serving our own 70B models in prod. what should we use?",
      "so where does KServe come in"], "factual", "kubeflow"),
    # whether the free tier will do is a fact of the tier
    (["small fintech startup, 6 engineers, data can go to the cloud. what should we pick?",
      "is the wandb free tier enough for us?"], "factual", "wandb"),
])
def test_sixteenth_session_follow_ups(advisor, turns, intent, about) -> None:
    answer = _follow_up(advisor, turns, intent, about)
    if intent == "factual" and about == "wandb":
        assert "too restrictive for production use cases" in answer.answer
    if about == "kubeflow":
        assert "KServe" in answer.answer


def test_back_to_reality_in_own_words_brings_the_team_back(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're a 12-person ML team. Nobody knows Kubernetes and we have no DevOps people.")
    supposed = conversation.ask("What if we hired two platform engineers with k8s experience?")
    assert supposed.profile["k8s_engineers"] == 2
    real = conversation.ask("ok realistically that hire isn't happening this year. what then?")
    assert real.profile["k8s_engineers"] == 0 and real.profile["platform_engineers"] == 0


@pytest.mark.parametrize("text,expected", [
    # a question about a tool's lock-in neither uses the tool nor worries about lock-in
    ("what about lock-in with wandb", {"current_tools": None, "lock_in_averse": None}),
    # a tool on a platform, asked about, is not in use
    ("Azure shop, 40 ML engineers. Kubeflow on AKS, sensible?", {"current_tools": None, "platform": "azure"}),
    # the number counts the platform team, not the team
    ("the platform team is 4 people and two of them have run Kubernetes in production",
     {"team_size": None, "platform_engineers": 4, "k8s_engineers": 2}),
    ("independent consultant here, solo, building RAG bots for clients", {"team_size": 1, "llm_first": True}),
    # an "if" that hedges an aside weighs nothing
    ("we deploy everything to EKS if that matters", {"platform": "aws"}),
    # a former lead's purchase is the team's tool now
    ("The previous lead bought a W&B licence that is up for renewal in March.", {"current_tools": ["wandb"]}),
    ("we'd want dashboards the sales managers can actually read", {"needs_dashboards": True}),
    ("our grant covers hardware only, so software subscriptions are out", {"seat_price_sensitive": True}),
    ("tiny startup, budget is basically zero", {"seat_price_sensitive": True}),
    ("the budget is not zero", {"seat_price_sensitive": None}),
    ("We're an insurer. Compliance has signed off on our data going to the public cloud.",
     {"regulated": True, "data_on_prem": False}),
    # the tool bolted on is not in use; "our existing mlf" is, by its abbreviation
    ("how long to bolt kf onto our existing mlf", {"current_tools": ["mlflow"]}),
    ("everyone keeps saying just use weave", {"current_tools": None}),
    ("Customer data may not leave our data centres, although we also run some training workloads on Azure.",
     {"data_on_prem": True, "hybrid_cloud": True}),
    # a move already made lands on its tool; one supposed does not
    ("We used W&B until our licence expired and moved everything to MLflow in March.", {"current_tools": ["mlflow"]}),
    ("Since moving to Databricks last year we've switched entirely to MLflow.",
     {"platform": "databricks", "current_tools": ["mlflow"]}),
    ("if we moved to wandb, what would it cost", {"current_tools": None}),
    # a list under "our current stack:" is what the team has
    ("Our current stack:\n- MLflow for tracking\n- Kubeflow for pipelines\nIs adding W&B worth it?",
     {"current_tools": ["mlflow", "kubeflow"]}),
    # a copula in a sentence about us names our platform; "do" as a main verb weighs nothing
    ("Everything we have (data lake, training, serving) is on Microsoft Azure.", {"platform": "azure"}),
    ("We do basically everything in SageMaker today.", {"platform": "aws"}),
    ("were on sagemaker, 8 ppl", {"platform": "aws", "team_size": 8}),
    # what one has heard a tool does is no tool in use
    ("are you sure? i heard w&b does pipelines now", {"current_tools": None}),
    # a denied subject, an aside, then its verb: one denial
    ("Neither of the MLEs, nor anyone else on the team, has run Kubernetes in prod.", {"k8s_engineers": 0}),
    ("nobody on the team, not even our lead, has touched k8s", {"k8s_engineers": 0}),
    ("None of us, as far as I know, has run k8s in production", {"k8s_engineers": 0}),
])
def test_seventeenth_session_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent,about,says", [
    # "the other one" is the other tool the conversation weighed
    (["team of 25, no platform people, budget is tight. which one?", "what would wandb cost us per year?",
      "and the other one?"], "cost", "mlflow", "Free (open-source)"),
    # a move into the tool under discussion goes from the tool named to it
    (["We're 9 people and want dashboards our PMs can read. What fits?",
      "How hard would it be to move our existing MLflow runs into it?"], "migration", None, "1 to 3 weeks"),
    # the way back is the path last quoted, reversed
    (["We're 9 people and want dashboards our PMs can read. What fits?",
      "how much work is moving our MLflow runs over to W&B?", "and if we regret it, going back?"],
     "migration", None, "2 to 4 weeks"),
    # a broad lock-in question about one tool gets every lock-in cell of it
    (["we are 3 researchers, which tool?", "and the lock-in?"], "factual", "mlflow", "Apache 2.0 (open-source)"),
    # a new fact and "does that change anything?" ask for the pick again, whatever was asked in between
    (["our data can't leave the plant network. 6 data scientists, nobody knows kubernetes. what tool?",
      "does w&b do on prem at all?", "the plant managers need visual reports too, does that change anything?"],
     "recommend", None, "MLflow"),
    # whether a tool fits the team the question itself describes asks for advice; its cost does not
    (["Is Kubeflow overkill for 7 people?"], "recommend", None, "avoid Kubeflow"),
    (["What's the realistic yearly cost of running Kubeflow for an eight-person team, all-in?"], "cost", None,
     "Kubeflow"),
])
def test_seventeenth_session_follow_ups(advisor, turns, intent, about, says) -> None:
    assert says in _follow_up(advisor, turns, intent, about).answer


@pytest.mark.parametrize("turns,intent,about,says", [
    # a move from the tool under discussion to an alternative
    (["We're 45 people with a 4-person platform team running GKE in production and automated retraining. "
      "We need one orchestration layer. What should it be?",
      "and how bad would it be to leave later, if we want Vertex pipelines instead?"], "migration", None,
     "2 to 4 months"),
    # the pick asked again in words of its own
    (["Team of 40, platform team of 3 that runs EKS in prod, automated training pipelines. "
      "How long does Kubeflow take to set up?", "and the licence?", "ok so is it the right call for us or not"],
     "recommend", None, "Kubeflow"),
])
def test_eighteenth_session_follow_ups(advisor, turns, intent, about, says) -> None:
    assert says in _follow_up(advisor, turns, intent, about).answer


@pytest.mark.parametrize("turns,intent", [
    # the pick asked again, after a fact question in between
    (["we're ~12 MLEs on aws, no devops ppl. need exp tracking + dashboards the PMs can read",
      "does it do pipeline scheduling tho", "wait which one did u say for us again"], "recommend"),
    # the price asked again is a cost question, not the pick
    (["We're 9 people, no DevOps. Which tool?", "And what did you say the licence cost per user was for W&B?"],
     "cost"),
    # a pick challenged by what the other tool is for
    (["insurance co, building an LLM claims assistant, 11 ppl. data can't go to saas",
      "but isn't wandb weave the llm one?"], "recommend"),
])
def test_eighteenth_session_asks_again(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


@pytest.mark.parametrize("turns,size,says", [
    # the previous question again, for another size
    (["hey, 13 ppl, cloud native startup, team likes wandb's ui. should we just go w it?",
      "what's wandb cost for the 13 of us", "same q for 50 ppl"], 50, "$30,000/year"),
    # a what-if after a cost question that asks the price again
    (["We're a 20-person ML team, no platform engineers, money isn't a concern. Which tool?",
      "ballpark annual cost of that for us?", "and if we were 200 people, what would it run to?"], 200, "$120,000+"),
])
def test_the_cost_asked_again_for_another_size(advisor, turns, size, says) -> None:
    again = _follow_up(advisor, turns, "cost", None)
    assert again.profile["team_size"] == size and says in again.answer


def test_a_what_if_after_a_filler_word_supposes_its_facts(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("we're 18, series A, need tracking, nobody owns infra")
    supposed = conversation.ask("hm and if we hit 40 next yr and budget gets tight?")
    assert supposed.profile["seat_price_sensitive"] is True
    assert supposed.recommendation is not None and supposed.recommendation.primary == "mlflow"


def test_eighteenth_session_ways_back_from_a_what_if(advisor) -> None:
    for back in ("ok forget that, as we are today — what does W&B cost us per year?",
                 "Fair enough. Back to our actual size for now — final answer?"):
        conversation = Conversation(advisor)
        conversation.ask("We're 24 ML engineers, no platform team, nobody's run k8s in production. Which one?")
        supposed = conversation.ask("suppose we doubled to 48 and got a platform team of 3 running kubernetes "
                                    "in production — then?")
        assert supposed.profile["team_size"] == 48
        after = conversation.ask(back)
        assert (after.profile["team_size"], after.profile["platform_engineers"]) == (24, 0), back


def test_a_team_named_without_a_number_keeps_its_count(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're 30 people with a 4-person platform team that runs Kubernetes in production and "
                     "automated retraining. Which tool?")
    supposed = conversation.ask("Hypothetically, if the platform team got disbanded and nobody left knew k8s, "
                                "what then?")
    assert supposed.profile["platform_engineers"] == 0
    back = conversation.ask("OK, back to reality, the platform team is staying put. Final answer for us?")
    assert (back.profile["platform_engineers"], back.profile["k8s_engineers"]) == (4, 4)
    assert back.recommendation is not None and back.recommendation.primary == "kubeflow"


def test_an_alternative_compared_is_its_row_not_a_stack(advisor) -> None:
    answer = _follow_up(advisor, ["3 of us, all manual, no devops. what should we start with?",
                                  "where does Metaflow sit compared to these?"], "factual", None)
    assert "minimal infrastructure knowledge" in answer.answer


def _follow_up(advisor, turns: list[str], intent: str, about: str | None):
    """The last answer of a conversation of `turns`, after checking its intent and subject."""
    conversation = Conversation(advisor)
    for text in turns:
        answer = conversation.ask(text)
    assert answer.understanding.intent == intent, answer.understanding.intent_by
    if about is not None:
        assert conversation.topic == about
    return answer


def test_a_fact_said_beside_a_what_if_outlives_it(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're 11, no dedicated platform or DevOps role. Core need: orchestrating training pipelines.")
    supposed = conversation.ask("What if one of us moved into a full-time platform role? (we already run "
                                "retraining on a schedule, btw)")
    assert supposed.profile["platform_engineers"] == 1 and supposed.profile["maturity"] == 1
    real = conversation.ask("hm, forget the platform-role idea, we stay as we are.")
    assert real.profile["platform_engineers"] == 0 and real.profile["maturity"] == 1


def test_a_tool_named_for_another_layer_is_no_premise(advisor) -> None:
    answer = advisor.ask("which stack pattern fits us? we'd want W&B for experiment viz and KServe for serving")
    assert answer.understanding.intent == "stack" and "Not quite" not in answer.answer


@pytest.mark.parametrize("text,expected", [
    # a form, one line per fact: "X: zero" denies X
    ("Platform people: zero. Prod Kubernetes experience: none. Automated pipelines: 0. Headcount: 7.",
     {"platform_engineers": 0, "k8s_engineers": 0, "maturity": 0, "team_size": 7}),
    # a size to grow to by a date is the size, whatever it is now
    ("By the end of next year we will grow to 60 (we are 35 today).", {"team_size": 60}),
    ("not a regulated industry, and our data is free to go to any SaaS vendor",
     {"regulated": False, "data_on_prem": False}),
    ("fairly relaxed about lock-in, tbh", {"lock_in_averse": False}),
    # a private deployment of a SaaS tool refused is where the data may go, not a price worry
    ("a dedicated VPC deployment of any SaaS tool is a no-go for us", {"private_cloud_ok": False,
                                                                      "seat_price_sensitive": None}),
])
def test_nineteenth_session_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent,about,says", [
    # a follow-up on a move keeps the move's direction, and quotes what the tool it leaves loses
    (["we've been on W&B for a while, 30 seats, and the bill hurts", "what would moving from it to MLflow involve?",
      "and our reports, do they come across?"], "migration", None, "Reports do not port"),
    (["we've been on W&B for a while, 30 seats, and the bill hurts", "what would moving from it to MLflow involve?",
      "what about the sweep history?"], "migration", None, "Sweeps history does not migrate cleanly"),
    # a tool named by what it is known for
    (["We're 12, no platform engineers, and we hate lock-in. Which tool?",
      "and how bad is the lock-in with the one with the pretty dashboards?"], "factual", "wandb", "Medium to High"),
    # the origin, asked in plain words, and of "the other one" just weighed
    (["who's behind weights & biases?"], "factual", "wandb", "Lukas Biewald"),
    (["kubeflow or mlflow for pipelines?", "who built mlflow?", "and the other one, who made it?"], "factual",
     "kubeflow", "Originally developed at Google"),
    (["what does Katib do?"], "factual", "kubeflow", "Katib (automated hyperparameter tuning)"),
])
def test_nineteenth_session_follow_ups(advisor, turns, intent, about, says) -> None:
    assert says in _follow_up(advisor, turns, intent, about).answer


@pytest.mark.parametrize("turns,intent", [
    # two tools weighed on nothing named ask which to choose; on something named, a fact
    (["is wandb or mlflow better?"], "recommend"),
    (["wandb or mlflow, which has the better UI?"], "factual"),
    # the pick weighed against a tool named by what it does
    (["10 of us, no devops, training automated with github actions", "what if we hired two k8s engineers?",
      "so you'd still not go for the pipelines one?"], "recommend"),
])
def test_nineteenth_session_asks(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


@pytest.mark.parametrize("turns,intent", [
    # the pick pushed back on is the pick asked again; a claim brought with it is checked instead
    (["We're 12 ML engineers, no platform people, budget's tight. Which tool?", "hmm are you sure? W&B isn't free"],
     "recommend"),
    # the pick asked beside another question
    (["Our group is 16 people, classical ML only, and nobody does DevOps. So which tool, and how long is setup?"],
     "recommend"),
    # a move out of one of the three, said without "migrate"
    (["how painful is it to get our run history out of MLflow and into something else?"], "migration"),
    (["what's the switching cost from W&B to MLflow, in effort?"], "migration"),
    # "what … serves …" asks, with or without a question mark
    (["LLM team of 20 serving our own 70B model. which tool?", "what actually serves large models out of the three"],
     "factual"),
])
def test_nineteenth_session_intents(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


@pytest.mark.parametrize("team,what_if,back,field,supposed,real", [
    # a what-if after a filler sentence, withdrawn by "scratch that"
    ("We're 30 people, no platform engineers, and money is tight. What should we use?",
     "Hm. If only 12 people needed seats, would that change it?",
     "no, scratch that, everyone needs access. back to your first answer?", "team_size", 12, 30),
    # a hire supposed, withdrawn in passing
    ("we need pipeline orchestration. ~14 of us on azure, zero k8s experience on the team",
     "what if we hired 2 platform engineers who've run k8s in prod",
     "nah, no hiring this year realistically. so what would you set up?", "k8s_engineers", 2, 0),
])
def test_nineteenth_session_ways_back_from_a_what_if(advisor, team, what_if, back, field, supposed, real) -> None:
    conversation = Conversation(advisor)
    conversation.ask(team)
    assert conversation.ask(what_if).profile[field] == supposed
    assert conversation.ask(back).profile[field] == real


@pytest.mark.parametrize("text,expected", [
    ("Our support transcripts may go to SaaS vendors, legal has no problem with that.", {"data_on_prem": False}),
    ("the x-ray scans must never leave the hospital network", {"data_on_prem": True}),
])
def test_nineteenth_session_data_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent,says,not_says", [
    # the parts of a cost named get their cells; "for 30 people" names the team, not the headcount row
    (["We're 30, with a 4-person platform team running Kubernetes in production and automated pipelines.",
      "what does the Kubeflow route cost us in infrastructure and people?"], "cost",
     ["thousands per month", "0.5–1 FTE"], []),
    (["We're 30, with a 4-person platform team running Kubernetes in production and automated pipelines.",
      "and what does the licence for the orchestrator cost us?"], "cost", ["Free (open-source)"], []),
    (["cost for 30 people, w&b vs mlflow?"], "cost", ["$30,000", "$50/user/month"], []),
    (["4 platform engineers with prod k8s, 30-person org, automated retraining. kubeflow ok?",
      "what would the infra bill look like?"], "cost", ["Infrastructure"], []),
])
def test_a_cost_question_gets_the_parts_it_names(advisor, turns, intent, says, not_says) -> None:
    answer = _follow_up(advisor, turns, intent, None).answer
    assert all(s in answer for s in says) and not any(s in answer for s in not_says), answer


@pytest.mark.parametrize("text,expected", [
    # what everyone uses is no tool of ours; what everyone here uses is
    ("Come on, everyone uses MLflow. Why would we pay for W&B?", {"current_tools": None}),
    ("everybody on the team uses W&B already", {"current_tools": ["wandb"]}),
    # "what matters most is …" states, it does not ask
    ("What matters most to us is not being locked into a vendor.", {"lock_in_averse": True}),
])
def test_nineteenth_session_statements(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,says", [
    # the reverse of the move just quoted, in other words
    (["how much work is moving our MLflow runs over to W&B?", "and the other direction?"], "2 to 4 weeks"),
    (["how much work is moving our MLflow runs over to W&B?", "vice versa?"], "2 to 4 weeks"),
    # a direction said outright wins over "the other way"
    (["how much work is moving our MLflow runs over to W&B?",
      "and if we ever go the other way, W&B back to MLflow, what do we lose?"], "historical data loss"),
])
def test_the_move_back_in_other_words(advisor, turns, says) -> None:
    assert says in _follow_up(advisor, turns, "migration", None).answer


def test_a_question_about_the_ui_quotes_what_the_article_says_of_it(advisor) -> None:
    answer = _follow_up(advisor, ["we're 8 on mlflow, no devops, people say the ui is ugly. switch to w&b?",
                                  "is the w&b interface really that much nicer?"], "factual", None)
    assert "best-in-class" in answer.answer or "not kept pace with W&B" in answer.answer, answer.answer


def test_what_runs_the_pipelines_names_the_orchestrators(advisor) -> None:
    answer = _follow_up(advisor, ["we need real pipeline orchestration, 14 people, nobody knows k8s",
                                  "so what would actually run our pipelines then?"], "factual", None)
    assert "Airflow" in answer.answer


def test_a_question_for_an_orchestrator_beside_a_tool_claims_nothing(advisor) -> None:
    answer = advisor.ask("so mlflow + which orchestrator, who owns what?")
    assert "Not quite" not in answer.answer, answer.answer


def test_the_per_seat_price_at_a_size_is_a_cost_question(advisor) -> None:
    _follow_up(advisor, ["we're 13, classic tabular ML, no LLM work. which tracker?",
                         "is the per-seat thing going to hurt at that size?"], "cost", None)


# ---- twentieth session: wordings and follow-ups from a new blind batch's dev half (paraphrased) ----------

@pytest.mark.parametrize("text,expected", [
    # a denial after the thing denied, and adverbs inside
    ("Lock-in frankly isn't a concern for us, we're happy inside one ecosystem.", {"lock_in_averse": False}),
    ("we care a lot about not getting locked in", {"lock_in_averse": True}),
    ("nobody outside the group reads our results, so reports for stakeholders are not a requirement",
     {"needs_dashboards": False}),
    ("everything we run is on GCP; nothing runs on-prem", {"hybrid_cloud": False, "platform": "gcp"}),
    # calling a hosted API serves no model of one's own
    ("we're building a support copilot and just call hosted LLM APIs", {"llm_first": True,
                                                                        "serves_large_models": False}),
    ("we do not host any models ourselves, we just call the API", {"serves_large_models": False}),
    # a trial on the side is no LLM-first team
    ("we're starting a little genai pilot on the side; mostly we forecast demand", {"llm_first": None}),
    # a refusal of a private deployment, a leak no one would survive, a seat model refused
    ("security turned down the vendor's 'private instance' offer", {"private_cloud_ok": False}),
    ("the regulator would shut us down if customer records ever left the building", {"data_on_prem": True}),
    ("finance says per-seat tools for our 90 people are a non-starter", {"seat_price_sensitive": True,
                                                                           "team_size": 90}),
    ("we don't have any IT people dedicated to this", {"platform_engineers": 0}),
    # a deadline we owe a client is ours
    ("two of us, part time. we need to have a demo for the client by next week", {"time_pressure": True}),
    # the team a question is for, beside a statement about "we"; a size guessed at is one's own
    ("mlflow or w&b for a 7 person team?? we're all data scientists", {"team_size": 7}),
    ("which is cheaper, mlflow or wandb, for like 40 ppl", {"team_size": 40}),
    ("How much does Kubeflow cost for a 10-person team?", {"team_size": None}),
    # a pronoun-first question after a noun phrase asks about it ("our dashboards, they come along?")
    ("the dashboards we build, they come along?", {"needs_dashboards": None}),
])
def test_twentieth_session_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent", [
    # "what's the verdict?" asks for the pick again; a bare "should we?" after a suggestion weighs it
    (["we're 16 ML engineers at a bank", "we also have a dedicated MLOps team of three", "so, what's the verdict?"],
     "recommend"),
    (["3 analysts, everything by hand, tight budget", "a colleague says we should use the google one. should we?"],
     "recommend"),
    # a tool asked whether it is possible at all, after it was ruled out
    (["hospital group, 25 people, patient data stays on our servers, platform team runs our k8s in prod",
      "is weights and biases not possible at all?"], "recommend"),
    # staying put, after a move was discussed
    (["we run kubeflow with 30 pipelines, 35 people, a platform team of 5",
      "what would moving off it to vertex involve?", "ok scrap the move. should we just stay on what we have?"],
     "recommend"),
    # which of two is cheaper asks a cost; whether a tool tracks costs asks a feature
    # (a short slip corrected: "wich")
    (["we're 30 ML engineers with a platform team running kubeflow", "wich of the two is cheaper at 30 users"],
     "cost"),
    (["we're building an LLM support bot, 12 people", "can weave track what our LLM calls cost?"], "factual"),
    (["how much $$ for w&b for us? we're 6"], "cost"),
    # where a tool fits, after a stack pattern
    (["research group of 12 in W&B, platform team of 8 runs Kubeflow in prod, 40 people overall. who owns what?",
      "where does MLflow fit into that, if at all?"], "stack"),
    # "how's it…" asks, though it says "llm"
    (["insurer, 11 people, data can't go to SaaS", "and how's it on llm eval pipelines"], "factual"),
])
def test_twentieth_session_intents(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


def test_a_bare_number_after_a_what_if_supposes_the_size(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("4-person startup, we just want experiment tracking. which tool?")
    assert conversation.ask("what if we were twelve?").profile["team_size"] == 12
    answer = conversation.ask("and fifty, with a really tight budget?")
    assert answer.profile["team_size"] == 50 and answer.profile["seat_price_sensitive"] is True
    assert answer.understanding.intent == "recommend"
    assert answer.recommendation.primary == "mlflow"
    assert conversation.ask("ok back to reality").profile["team_size"] == 4


def test_a_what_if_replaces_the_platform_and_a_departure_leaves_none(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("LLM-first team of 9, everything on Databricks. weave or mlflow?")
    assert conversation.ask("what if we weren't on databricks, just plain AWS?").profile["platform"] == "aws"
    conversation = Conversation(advisor)
    conversation.ask("We're 15, 3 have run k8s in production, one dedicated MLOps engineer, pipelines automated; "
                     "orchestration is the core need.")
    answer = conversation.ask("what if our one MLOps engineer leaves and we don't replace them?")
    assert answer.profile["platform_engineers"] == 0
    assert answer.recommendation.primary != "kubeflow"


def test_what_happens_if_is_a_what_if_and_forget_that_undoes_it(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("120-person AI org, a platform team runs our Kubernetes, we build chat assistants on hosted "
                     "APIs and host no big models ourselves.")
    assert conversation.ask("what happens if we start serving our own 70B models at scale?"
                            ).profile["serves_large_models"] is True
    assert conversation.ask("ok forget that. seat cost for 120 people on W&B?").profile["serves_large_models"] is False


def test_a_what_if_question_weighing_a_tool_does_not_say_we_use_it(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("Ten of us, classical ML, retraining kicked off by hand, no k8s skills.")
    answer = conversation.ask("Suppose we hire two platform engineers who ran Kubernetes in prod - Kubeflow then?")
    assert answer.profile["current_tools"] == []


def test_a_why_after_a_move_quotes_the_reason(advisor) -> None:
    answer = _follow_up(advisor, ["We run Kubeflow Pipelines, about 40 in production.",
                                  "leadership wants us to move to Vertex AI Pipelines. how long would that take?",
                                  "why so long?"], "migration", None)
    assert "2 to 4 months" in answer.answer


def test_what_about_another_destination_keeps_the_start_of_the_move(advisor) -> None:
    answer = _follow_up(advisor, ["we run kubeflow pipelines in production",
                                  "what would moving to SageMaker Pipelines take?", "what about ZenML instead?"],
                        "migration", None)
    assert "Kubeflow to ZenML" in answer.answer and "4 to 8 weeks" in answer.answer


def test_a_sentence_quoted_with_the_reason_that_follows_it(advisor) -> None:
    answer = _follow_up(advisor, ["three of us inherited a Kubeflow setup nobody can run",
                                  "what would moving off it involve?"], "migration", None)
    assert "not portable" in answer.answer, answer.answer


def test_a_cost_question_quotes_cost_rows_not_a_row_its_words_touch(advisor) -> None:
    answer = _follow_up(advisor, ["40 data scientists, budget extremely tight",
                                  "what would W&B cost us anyway, just so I can show finance?"], "cost", None)
    assert "$50/user/month" in answer.answer and "Regulated industry fit" not in answer.answer


def test_the_drawbacks_of_a_tool_named_by_description_are_its_complaint_row(advisor) -> None:
    answer = _follow_up(advisor, ["about two dozen analysts, no infra people. MLflow or that weights thing?",
                                  "what are the drawbacks of the weights one?"], "factual", "wandb")
    assert "data privacy concerns" in answer.answer


def test_who_has_made_it_asks_the_origin(advisor) -> None:
    answer = _follow_up(advisor, ["Who has made MLflow originally?"], "factual", None)
    assert "Databricks" in answer.answer


def test_a_close_call_says_so_rather_than_that_little_was_said(advisor) -> None:
    answer = advisor.ask("We're an Azure shop (Azure ML + AKS). 22 data scientists, a platform team of 3 who run "
                         "AKS in production, training pipelines automated. What's the primary tool?")
    assert answer.recommendation.primary == "kubeflow"
    assert "told me little" not in answer.answer


@pytest.mark.parametrize("text,expected", [
    # questions the writer answers at once are a form's lines; a question to the advisor stays a question
    ("Regulated? Yes. Data on-prem? No, the cloud is fine. LLMs? Nope, churn models. Headcount: 9.",
     {"regulated": True, "data_on_prem": False, "llm_first": False, "team_size": 9}),
    ("Hybrid? Yes: training on our own GPU racks, inference on AWS.", {"hybrid_cloud": True}),
    ("dashboards? nobody here needs them.", {"needs_dashboards": False}),
    ("is kubeflow any good? no idea myself", {"current_tools": None}),
    # counts written loosely
    ("Fifty-plus data scientists and a four-person Kubernetes platform group", {"team_size": 50,
                                                                                  "platform_engineers": 4}),
    ("2 doz. engineers, zero dedicated ops", {"team_size": 24, "platform_engineers": 0}),
    ("Small team (three analysts, one ML engineer).", {"team_size": 4}),
    # the company's size, then ours
    ("The company is ~300 people and our infra colleagues run a big Kubernetes estate, but that's them, not us. "
     "The ML team is 6.", {"team_size": 6, "serves_large_models": None}),
    ("Not for us: a mate's 4-person biotech wants to know if MLflow is enough.", {"team_size": None,
                                                                                   "regulated": None}),
    ("35 people, a platform team of 4 running our own on-prem k8s plus GKE", {"hybrid_cloud": True}),
    ("Dropped W&B in January. Everything's in MLflow now.", {"current_tools": ["mlflow"]}),
])
def test_twentieth_session_more_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent", [
    (["we're on azure, 14 data scientists, classical ML, nothing automated", "does w&b work with azure ml?",
      "ok so which"], "recommend"),
    (["bank, 15 ML people, data stays in our data centre, a platform team of 3 who run k8s in prod",
      "which combo then?"], "stack"),
    (["bank, 15 ML people, a platform team of 3 who run k8s in prod",
      "how much engineer time does kubeflow eat, honestly?"], "cost"),
    (["solo dev. what tracker?", "is metaflow any good?", "k so which"], "recommend"),
    (["orchestration is the main need. 35 people, 4 engineers with production k8s, a 3-person devops group",
      "what's the catch?", "if we ever want off it?"], "migration"),
])
def test_twentieth_session_short_asks(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


def test_advice_for_another_team_asked_in_passing_keeps_ours(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("we're 3 people doing classic tabular ML, no LLM work, budget is tight. mlflow or w&b?")
    answer = conversation.ask("my friend's startup is 12 people building a RAG chatbot, what would they use?")
    assert answer.recommendation.primary == "wandb"
    assert answer.profile["team_size"] == 3 and answer.profile["seat_price_sensitive"] is True
    assert conversation.ask("ok back to us, same answer as before?").recommendation.primary == "mlflow"


# ---- twenty-first session: wordings and follow-ups from new blind batches' dev halves (paraphrased) -------

@pytest.mark.parametrize("text,expected", [
    # chat spellings without apostrophes; the only person
    ("ok so im the only data person at a tiny startup, i need to track experiments", {"team_size": 1}),
    # a member counted on a team is no team of one
    ("only one person on the infra team has run kubernetes in production", {"team_size": None,
                                                                              "k8s_engineers": 1}),
    # three roles summed; me and the rest
    ("2 DS + 2 MLE + 1 analyst, nobody touches kubernetes", {"team_size": 5, "k8s_engineers": 0}),
    ("I'm the sole person here who has run k8s in prod (previous job). The rest of the team, 4 others, are "
     "analysts", {"team_size": 5}),
    # platform people who run the team's clusters have run Kubernetes
    ("we have an ops team of 4, they already run our GKE clusters in production", {"platform_engineers": 4,
                                                                                    "k8s_engineers": 4}),
    ("the three SREs who look after our AKS clusters don't want another tool", {"k8s_engineers": 3}),
    ("we have 2 SREs but they don't run kubernetes", {"k8s_engineers": 0}),
    ("3 folks on the platform side who've operated EKS clusters in prod", {"platform_engineers": 3,
                                                                          "k8s_engineers": 3}),
    # a "platform team" that is one person
    ("we're 5 in ML. the 'devops team' is really one guy", {"team_size": 5, "platform_engineers": 1}),
    # a shrinking team is its new size
    ("the team went down from 18 to 6 after the reorg", {"team_size": 6}),
    # reports other departments ask for
    ("the compliance people want a monthly PDF on model drift they can read", {"needs_dashboards": True}),
    ("our execs keep asking for a dashboard of the models", {"needs_dashboards": True}),
    # the whole chain wanted on a schedule, while it is kicked off by hand now
    ("we want the whole pipeline (ingest, train, deploy) to run itself nightly instead of someone kicking it off "
     "by hand", {"needs_orchestration": True, "maturity": 0}),
    ("six of us, all still living in Jupyter", {"team_size": 6, "maturity": 0}),
    # money and closed source
    ("small team, no money for expensive licences", {"seat_price_sensitive": True}),
    ("policy: no per-seat SaaS, full stop", {"seat_price_sensitive": True}),
    ("after that vendor fiasco my boss has banned anything proprietary", {"lock_in_averse": True}),
    # a vendor approval process is no lock-in worry
    ("legal signs off on every software contract we bring in", {"lock_in_averse": None}),
    # a group disowned in brackets, a group set against us, a team in a question's brackets
    ("the infra team (not us, a separate org of ~15 who run the company's clusters) offered hosting. us: 3 MLEs",
     {"team_size": 3, "platform_engineers": None, "k8s_engineers": None}),
    ("they have like 4 k8s people, we have none", {"k8s_engineers": 0}),
    ("which maturity level does the article give a growth-stage team (5-20 people, cloud-native)?",
     {"team_size": None}),
])
def test_twenty_first_session_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent", [
    # a tool the team says it uses, beside a request, is context
    (["we use DVC for our data and want experiment tracking. it's me and a friend"], "recommend"),
    # a negated auxiliary opens a question, after an interjection too
    (["we're on databricks, building an LLM assistant, which tool?", "lol ok but isn't W&B meant to be the best "
      "at llm stuff"], "factual"),
    # another team's cost, then ours
    (["our sister team runs kubeflow with a big platform group. we're 10, no devops. what should we use?",
      "out of curiosity what's their setup costing them a year, theyre about 150 people",
      "and for us the w&b bill would be?"], "cost"),
    # the article's own facts about a kind of team, or about the choice
    (["for a regulated team, which tool should be avoided, and is there an exception?"], "factual"),
    (["what share of the MLOps problem does the tool choice actually solve?"], "factual"),
])
def test_twenty_first_session_intents(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


def test_a_move_weighed_in_passing_is_what_the_follow_ups_ask_about(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("we use mlflow today, 9 of us, and we're thinking of moving to W&B for the UI")
    answer = conversation.ask("how long would that take")
    assert answer.understanding.intent == "migration"
    assert "1 to 3 weeks" in answer.answer
    answer = conversation.ask("what's the hard part")
    assert answer.understanding.intent == "migration"
    assert "Model registry migration, dashboard rebuild" in answer.answer


def test_for_today_after_a_what_if_is_the_team_as_it_is(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("30 ML engineers at a SaaS company, not regulated, nobody owns infra, budget is tight")
    conversation.ask("suppose we got a platform team next year, how much headcount would kubeflow need?")
    answer = conversation.ask("ok but for today, mlflow then?")
    assert answer.profile["platform_engineers"] == 0
    assert answer.recommendation.primary == "mlflow"


def test_a_comparison_naming_one_side_takes_the_tool_under_discussion(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("what's kubeflow's lock-in like?")
    answer = conversation.ask("and versus mlflow on lock-in?")
    assert "Kubeflow: Low to Medium" in answer.answer and "MLflow: Low" in answer.answer


def test_the_catch_of_a_free_licence_is_the_rest_of_the_cost(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("we're 35 engineers, on-prem and azure, a 4-person devops team running kubeflow")
    answer = conversation.ask("what's the licence cost and what's the catch")
    assert "Free (open-source)" in answer.answer and "thousands per month" in answer.answer


@pytest.mark.parametrize("question,quote", [
    ("since kubeflow only runs on google cloud, do we have to leave EKS?", "any K8s provider"),
    ("MLflow can only be run inside Databricks, so do we need to buy Databricks?", "runs on any environment"),
    ("kubeflow was originally a Databricks project, right? does it work better there?",
     "Originally developed at Google"),
    ("kubeflow is free so our total cost is basically zero, yes?", "appears free until"),
])
def test_twenty_first_session_false_premises(advisor, question, quote) -> None:
    answer = advisor.ask(question)
    assert answer.answer.startswith("Not quite"), answer.answer[:200]
    assert quote in answer.answer


@pytest.mark.parametrize("question", [
    "kubeflow only runs on kubernetes, right? so we need a cluster first",
    "Since MLflow isn't only available on Databricks, can we self-host it?",
])
def test_twenty_first_session_true_premises_are_not_corrected(advisor, question) -> None:
    assert not advisor.ask(question).answer.startswith("Not quite")


def test_a_long_question_matches_its_row_by_the_asking_sentence(advisor) -> None:
    answer = advisor.ask("how many ops people does kubeflow need once in prod?? trying to work out if it's a whole "
                         "person or like half of one for the budget")
    assert "0.5–1 FTE" in answer.answer


@pytest.mark.parametrize("text,expected", [
    # logged to a tool with "is"; "not a single person"
    ("the 12 people I manage stopped using W&B last year; everything is logged to MLflow now",
     {"current_tools": ["mlflow"]}),
    ("not a single person in our group of 7 has production kubernetes experience", {"k8s_engineers": 0,
                                                                                     "team_size": 7}),
    # a private VPC allowed, SaaS fine, nothing may leave
    ("we're a regulated lender, but data may go to our private VPC in Azure", {"regulated": True,
                                                                              "private_cloud_ok": True,
                                                                              "data_on_prem": False}),
    ("three of us on an LLM helpdesk bot; not regulated and SaaS is fine", {"data_on_prem": False}),
    ("the radiology models are ours to build and nothing may leave the hospital's network",
     {"data_on_prem": True}),
    ("legal says: none of our data may go to a third-party SaaS", {"data_on_prem": True}),
    # an org-chart word for the platform group; a counted group who run the clusters
    ("40 analysts plus an infra guild of 4 who run our on-prem Kubernetes in production",
     {"platform_engineers": 4, "k8s_engineers": 4}),
    ("Platform engineering is its own department (9 engineers) and they run our production Kubernetes clusters",
     {"platform_engineers": 9, "k8s_engineers": 9}),
    # the people who had it are gone; "it" is the cluster nobody here touched; one exception named
    ("our Kubeflow pilot died when our only k8s engineer quit, and nobody still here has run Kubernetes in prod",
     {"k8s_engineers": 0}),
    ("we have k8s in prod but central IT runs it, none of us have touched it", {"k8s_engineers": 0}),
    ("an ex-SRE on the team ran EKS in prod for years; otherwise nobody touches k8s", {"k8s_engineers": 1}),
    ("one platform engineer on loan from IT (not dedicated to us)", {"platform_engineers": 0}),
    # graphs for managers; models served by the team at scale; closed source ruled out
    ("my team wants 'the one with the pretty graphs that managers can look at'", {"needs_dashboards": True}),
    ("we fine-tune llama models and serve them ourselves at scale for our agents", {"serves_large_models": True}),
    ("management is nervous about getting locked in again", {"lock_in_averse": True}),
    # "the best one" is no head count
    ("which of the three is the best one overall?", {"team_size": None}),
])
def test_twenty_first_session_more_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent", [
    (["we sell shoes online and our data team must pick one of these three. which one?"], "recommend"),
    (["i'm an intern, my lead wants 'the thing that tracks model versions' for our 3 people. what is that and "
      "which one should i look at?"], "recommend"),
    (["Risk officer at an insurer, 25 modellers. Could we use W&B with a private deployment?"], "recommend"),
    (["honestly, which of the three is the best one overall?"], "recommend"),
    (["who built each of the three?"], "factual"),
])
def test_twenty_first_session_more_intents(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


def test_the_one_you_recommended_is_the_pick(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("Our Kubeflow attempt failed when the k8s person left; nobody still here has run Kubernetes "
                     "in production. 12 data scientists, no DevOps. What should we use instead?")
    answer = conversation.ask("What would the one you just recommended cost us a year?")
    assert conversation.topic == "wandb" and "$50" in answer.answer


def test_each_of_the_three_gets_its_own_origin(advisor) -> None:
    answer = advisor.ask("who made each of the three?")
    for words in ("Built by Databricks", "Originally developed at Google", "Lukas Biewald"):
        assert words in answer.answer
    assert answer.answer.startswith("From the source")


@pytest.mark.parametrize("text,intent", [
    # a sure off-topic reading is kept (test_a_clear_off_topic_request_stays_off_topic_despite_work_words), but a
    # question about "the three" is about the tools
    ("who made each of the three?", "factual"),
    ("which of these three is cheapest for 10 people?", "cost"),
])
def test_a_sure_off_topic_reading_is_not_kept_for_the_three(advisor, text, intent) -> None:
    assert advisor.ask(text).understanding.intent == intent


# ---- twenty-second session: wrapped lines, past teams, closings, moves that say "it" ------------------------------

@pytest.mark.parametrize("text,expected", [
    # a mail client's hard wrap inside a sentence, and a forwarded email's quote marks
    ("We build pricing models and, to be clear, nothing our team handles is\nregulated in any way at all.",
     {"regulated": False}),
    ("FW: tooling\n> From: Sam\n> Finance says whatever the data science group (all 19\n> of you) adopts has to be "
     "free.",
     {"team_size": 19, "seat_price_sensitive": True}),
    # a short form line is not wrapped onto the question after it
    ("team: 8\nbudget: tight\nwhat should we use?", {"team_size": 8, "seat_price_sensitive": True}),
    # a platform team that was is none now
    ("We once had a DevOps team, but it was disbanded last year. 16 data scientists now.",
     {"platform_engineers": 0, "team_size": 16}),
    ("Our infra team was folded into group IT in the spring.", {"platform_engineers": 0}),
    # roles the people nouns did not know; "N-odd"
    ("There are thirty-odd actuaries in the pricing function.", {"team_size": 30}),
    # a bare verb after the team sentence goes on about the team
    ("we do have a devops team. operates our GKE clusters.", {"platform_engineers": 2, "k8s_engineers": 2}),
    # where the data may sit, said by what the team may do with it
    ("Our client contract forbids viewer telemetry leaving our own servers.", {"data_on_prem": True}),
    ("Honestly we can put our data wherever we like.", {"data_on_prem": False}),
    # a manual step said as a person pressing run
    ("Retraining is still somebody pressing run on a Monday morning.", {"maturity": 0}),
    # an adjective is no sector; handling patient data says nothing of where it lives
    ("Three of us and one very patient product manager.", {"regulated": None}),
    ("we handle patient data", {"regulated": True, "data_on_prem": None}),
    # a question about the tool under discussion states nothing of the team
    ("What does it actually give us for LLM stuff?", {"llm_first": None}),
    ("what if two of us had prod k8s experience?", {"k8s_engineers": 2}),
])
def test_twenty_second_session_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent", [
    (["We're 9 data scientists, no Kubernetes.", "k thx"], "out_of_scope"),
    (["We're 9 data scientists, no Kubernetes.", "What if our data had to stay on campus?",
      "OK, that isn't actually a rule for us, I was just curious. Thanks for the help!"], "out_of_scope"),
    (["We're 9 data scientists, no Kubernetes, and regulated.", "How would you lay out the stack, then?"], "stack"),
    (["We're 30 people, tight budget.", "What if we went for W&B anyway, what would the seats come to?"], "cost"),
])
def test_twenty_second_session_intents(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


def test_a_thank_you_gets_a_closing_not_a_refusal(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're 9 data scientists, no Kubernetes.")
    answer = conversation.ask("great, thanks!")
    assert answer.answer.startswith("Glad it helped") and "I can only help" not in answer.answer


def test_a_return_from_a_what_if_in_other_words_restores_the_team(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're a ten-person forecasting team, data may go to the cloud, no k8s skills.")
    conversation.ask("What if we pivoted to mostly LLM work next year?")
    assert conversation.profile.llm_first is True
    conversation.ask("Ok forget the pivot, it's not happening. What would your pick cost the ten of us?")
    assert conversation.profile.llm_first is None


def test_a_move_that_says_it_leaves_where_the_last_move_went(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("40 of us, a platform team of 5 running GKE in production, automated pipelines, MLflow for "
                     "tracking today. Should we standardise on Kubeflow?")
    assert conversation.topic == "kubeflow"  # the tool asked about, not the one in use
    added = conversation.ask("How much effort is adding it on top of our MLflow, migration-wise?")
    assert added.migration == "MLflow to Kubeflow (additive)" and conversation.topic == "kubeflow"
    left = conversation.ask("And if we later wanted to leave it for Vertex AI Pipelines, how painful is that?")
    assert left.migration == "Kubeflow to Vertex AI or SageMaker Pipelines"
    assert "Very High" in left.answer and "2 to 4 months" in left.answer


def test_the_pick_among_named_tools_is_what_follows_is_about(advisor) -> None:
    conversation = Conversation(advisor)
    answer = conversation.ask("3 of us, all notebooks, no infra people. mlflow, kf or wandb?")
    assert conversation.topic == answer.recommendation.primary


@pytest.mark.parametrize("text,corrected", [
    ("Given that MLflow has no model registry, what do teams bolt on for promotion?", True),
    ("Since MLflow needs a Kubernetes cluster, should we hire a k8s engineer first?", True),
    ("Our CFO says W&B stops costing anything at enterprise scale; which tier for 200 people?", True),
    ("kubeflow's free so the TCO for our 200 person org is basically zero right?", True),
    # controls: the team's own lack, a true requirement
    ("We have no model registry yet; would MLflow fix that?", False),
    ("Kubeflow requires Kubernetes, so is MLflow easier for us?", False),
])
def test_twenty_second_session_premises(advisor, text, corrected) -> None:
    assert advisor.ask(text).answer.startswith("Not quite") is corrected


@pytest.mark.parametrize("text,corrected", [
    # a move far longer than the table's estimate, or said to need no rewrite where the table says one is required
    ("Since MLflow to W&B migrations usually take around four months, should we start planning now?", True),
    ("Our 30 Kubeflow pipelines should move straight over to Vertex AI Pipelines, so is a week enough?", True),
    # a price compared at a size the table gives, where the ranges do not overlap
    ("Given MLflow costs more than W&B for a 10-person team, why would we pick it?", True),
    # controls: a deadline is no estimate; overlapping or figureless cells decide nothing; true comparisons
    ("We need the MLflow to W&B migration done in three months, is that realistic?", False),
    ("Kubeflow costs more than MLflow at 50 people, so should we skip it?", False),
    ("W&B is pricier than MLflow at enterprise scale, how do we justify it?", False),
    ("MLflow is cheaper than W&B for a 10-person team, right?", False),
])
def test_twenty_second_session_table_premises(advisor, text, corrected) -> None:
    assert advisor.ask(text).answer.startswith("Not quite") is corrected


def test_back_to_reality_asks_of_the_pick_for_the_real_team(advisor) -> None:
    conversation = Conversation(advisor)
    first = conversation.ask("We're six people building a RAG assistant, cloud is fine.")
    conversation.ask("Suppose all client data had to stay on our own servers, what then?")
    answer = conversation.ask("ok back to reality. what's the lock-in story with the one you suggested first?")
    assert conversation.topic == first.recommendation.primary
    assert "Overall lock-in risk" in answer.answer  # the row the question names, not the statement's


@pytest.mark.parametrize("text", ["We're 12 data scientists on GCP; what's the annual W&B spend looking like?",
                                  "Does MLflow on Databricks work out dearer than self-hosting it?"])
def test_spend_and_dearer_ask_a_cost(advisor, text) -> None:
    assert advisor.ask(text).understanding.intent == "cost"


@pytest.mark.parametrize("text,expected", [
    ("solo phd student. tracking tool?", {"team_size": 1}),
    ("Around 50 of my staff would be using whatever we pick.", {"team_size": 50}),
    ("Platform engineering: 6 people, they run our on-prem OpenShift clusters in production",
     {"platform_engineers": 6}),
    ("We don't have anyone who manages servers, by the way. Our IT is outsourced.", {"platform_engineers": 0}),
    ("We've got compute both on-prem (some older GPU boxes) and in AWS. 17 people.",
     {"hybrid_cloud": True, "team_size": 17}),
    ("What I need most is for my bosses to see what the models are doing.", {"needs_dashboards": True}),
    # a verb between a count and a noun ends the count's noun: 18 people, not 18 workflows (nor a maturity)
    ("We're 18 people building agent workflows for claims triage.", {"team_size": 18, "maturity": None}),
    ("a separate 8-person platform engineering team that runs production on Kubernetes", {"platform_engineers": 8}),
    # a state that began years ago is the team's; a team of years ago is not
    ("Our company standardised on Databricks years ago. The ML group (around 30 people) is on it.",
     {"platform": "databricks", "team_size": 30}),
    ("Years ago we were 50 people and ran Kubeflow.", {"team_size": None}),
    # a trailing "though?" asks
    ("Isn't the Kubernetes one also open source though?", {"k8s_engineers": None}),
])
def test_twenty_second_session_later_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


def test_a_new_subject_for_our_own_team_starts_the_profile_afresh(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("I'm consulting for a hospital group. Their data science unit is nine people and patient data "
                     "cannot leave their data centre. What should they run?")
    answer = conversation.ask("OK, separate question, for my own firm this time: we're three consultants building "
                              "RAG chatbots, and we just want somewhere to log our experiments.")
    assert conversation.profile.regulated is None and conversation.profile.team_size == 3
    assert answer.understanding.intent == "recommend" and answer.recommendation.primary == "wandb"


@pytest.mark.parametrize("turns,intent", [
    (["solo phd student. tracking tool?", "free?"], "cost"),
    (["10 person team. ballpark annual cost of each of the 3?", "why is the expensive one so expensive"], "cost"),
    (["Around 50 of my staff would be using whatever we pick.",
      "Right, so give me the yearly figure for each of the three at our size."], "cost"),
])
def test_twenty_second_session_later_intents(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


# ---- twenty-third session: first contact with the ge / gf / gg dev halves ----

@pytest.mark.parametrize("text,expected", [
    # a denied negation is said outright; "can't live without" needs it, "could live without" does not
    ("It's not that we don't care about lock-in — walking away from a vendor is non-negotiable.",
     {"lock_in_averse": True}),
    ("It isn't that we can live without orchestration — pipeline automation is why this project exists.",
     {"needs_orchestration": True}),
    ("We could live without fancy dashboards.", {"needs_dashboards": False}),
    # non-native word order
    ("we are team of 8 persons. we have not any devops person and kubernetes nobody knows.",
     {"team_size": 8, "k8s_engineers": 0, "platform_engineers": 0}),
    ("Team is a dozen-ish, nothing customer-related may leave our own data centre.", {"team_size": 12}),
    ("me and two mates are building an AI agent startup", {"team_size": 3}),
    # a habit is no deadline
    ("9 people building copilots. We ship fast and break things.", {"time_pressure": None}),
    # a private deployment allowed says nothing of data in a vendor's cloud
    ("Our security team say private cloud deployment of a SaaS tool is acceptable for us.",
     {"private_cloud_ok": True, "data_on_prem": None}),
    # tools in use, from a pasted list and from "automated via"
    ("Current state:\n- W&B for experiment tracking (Teams plan)\n- 10 DS, 2 MLE", {"current_tools": ["wandb"]}),
    ("training pipelines are all automated via kubeflow pipelines already", {"current_tools": ["kubeflow"]}),
    # a managed cluster the team has run for years is where it runs; one run at a previous job is a skill
    ("Our infra: a 3-person MLOps team who've run GKE in production for years.", {"platform": "gcp"}),
    ("Two of us have run EKS in production for years at our previous jobs.", {"platform": None}),
    # questions the writer answers at once, however long; an interjection that asks is not one of them
    ("devops people? also no", {"platform_engineers": 0}),
    ("private cloud deployment of saas? nope, security said no", {"private_cloud_ok": False}),
    ("Kubeflow sounds cool but honestly? nobody on my team of nine has touched a production cluster.",
     {"current_tools": None, "team_size": 9}),
])
def test_twenty_third_session_wordings(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent", [
    # a what-if about the team described asks the pick under it; "and if we hate it, going back?" asks the move
    (["We are around forty engineers building an internal copilot with agents and RAG.",
      "Licence budget is frozen, so per-seat pricing is a real problem for us.",
      "Does MLflow even do prompt versioning?", "what if the freeze gets lifted next quarter?"], "recommend"),
    (["we use mlflow today 👍 team of 6, thinking of moving to w&b for a nicer UI. worth it?",
      "how long would the move take?", "and if we hate it, going back?"], "migration"),
    # a pick pushed back on with a conjunction first; a statement about another team's people tells
    (["We're building a RAG assistant for clinicians at a hospital. Team of 7.",
      "but shouldn't we use W&B Weave, since it's all LLM work?"], "recommend"),
    (["We're the analytics group of an insurance company, 50 people, and everything runs on Databricks.",
      "Our parent company's IT has a huge Kubernetes platform team, but they won't support us."], "recommend"),
    # "Is much." is no question: the worry after it asks the pick again
    (["Our company have 30 data scientist, no platform team, everything by hand in notebooks.",
      "What costs W&B per user?", "Is much. Money is tight for us actually, we must keep licence costs down."],
     "recommend"),
    (["It's me and a colleague; models already ship through CI/CD.",
      "What would the Kubernetes infrastructure for Kubeflow run to?"], "cost"),
])
def test_twenty_third_session_intents(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


def test_orchestration_under_time_pressure_points_to_mlflow(advisor) -> None:
    answer = advisor.ask("We're 12 ML engineers, 3 of us have run Kubernetes in production for years and we have 2 "
                         "dedicated MLOps engineers. Retraining runs nightly. The core need is pipeline orchestration, "
                         "and management wants results within the week.")
    assert answer.recommendation.primary == "mlflow"
    assert "kubeflow" in answer.recommendation.avoid


@pytest.mark.parametrize("text,corrected", [
    ("Given Kubeflow only takes an afternoon to stand up, could we have it running for the demo next Tuesday?", True),
    ("W&B's only been around since 2021, so is it mature enough for us to standardise on?", True),
    ("Since Kubeflow already gives us native LLM observability, do we even need Weave for tracing?", True),
    ("Since W&B to MLflow is a clean export with no data lost, can we plan the move for a single sprint?", True),
    ("Bringing Kubeflow in means retiring our MLflow tracking server, right?", True),
    ("Since Kubeflow for a team of ten works out under ten grand a year all-in, is the infra side worth worrying "
     "about?", True),
    ("Seeing as W&B takes a couple of days to get a first experiment logged, which should we trial first?", True),
    ("Since wrapping our Kubeflow pipelines in ZenML is a drop-in change with no edits, could it take a fortnight?",
     True),
    ("Since W&B keeps Reports and artifacts in open formats just like MLflow does, is it safe to sign?", True),
    ("MLflow — which Google open-sourced back in 2018 — does it still lean towards GCP?", True),
    # controls: true in the article's words, or no claim about a tool at all
    ("MLflow keeps artifacts in open formats, right?", False),
    ("kubeflow worth it for us? we just call the openai api, we dont host any models ourselves", False),
    ("MLflow takes an afternoon to set up, right?", False),
    ("Since Kubeflow has no native LLM observability, should we add Weave for tracing?", False),
    ("Adding Kubeflow on top of MLflow keeps MLflow for tracking, so what does the integration take?", False),
])
def test_twenty_third_session_premises(advisor, text, corrected) -> None:
    assert advisor.ask(text).answer.startswith("Not quite") is corrected


def test_audit_ready_governance_is_corrected_in_its_own_words(advisor) -> None:
    answer = advisor.ask("Given MLflow gives us audit-ready governance out of the box, can we skip a compliance layer?")
    assert answer.answer.startswith("Not quite")
    assert "None of the three provide audit-ready governance out of the box" in answer.answer


@pytest.mark.parametrize("turns,intent,by", [
    # an acknowledgement asks nothing: no repeat of the last answer
    (["We're 7 people building a RAG chatbot.", "what does W&B cost per seat for us?", "hmm ok"], "out_of_scope",
     "an acknowledgement that asks nothing"),
    (["We're 7 people building a RAG chatbot.", "what does W&B cost per seat for us?", "👍"], "out_of_scope",
     "an acknowledgement that asks nothing"),
    (["We're 7 people building a RAG chatbot.", "ok makes sense, ty"], "out_of_scope", "a thank-you that asks nothing"),
    # an aside with nothing of MLOps in it stays off-topic after a pick
    (["Need something running by Friday, exec demo is next week. We're 10 ML folks, two have run k8s in prod, no "
      "dedicated devops. What do we use?", "fwiw the execs want a shareable dashboard they can keep looking at after "
      "the demo", "what's the annual cost for 10 seats?", "lol also know a good team lunch spot near Shoreditch?"],
     "out_of_scope", None),
    # a tool in use said in passing, and another added to it: what the addition involves
    (["22 of us, platform team of 2 who run our own k8s clusters, but everything's still notebooks",
      "we already have mlflow btw — what happens to it if we add kf"], "migration",
     "asks what adding a tool to the one in use involves"),
])
def test_twenty_third_session_conversation_turns(advisor, turns, intent, by) -> None:
    answer = _follow_up(advisor, turns, intent, None)
    if by is not None:
        assert answer.understanding.intent_by == by
    if intent == "out_of_scope":
        assert answer.recommendation is None and "[1]" not in answer.answer


def test_a_move_supposed_states_no_kubernetes_team(advisor) -> None:
    _reads_as(advisor, "if we move off the kubernetes thing, what happens to the pipelines we wrote?",
              {"k8s_engineers": None})


def test_a_tool_set_up_last_year_is_in_use_and_no_setup_claim(advisor) -> None:
    answer = advisor.ask("we're 7 people and set up kubeflow last year, its eating our time")
    assert answer.understanding.stated.get("current_tools") == ["kubeflow"]
    assert not answer.answer.startswith("Not quite")  # "last year" is when, not how long the setup took


def test_someone_leaving_on_friday_sets_no_deadline(advisor) -> None:
    answer = advisor.ask("Write a leaving message for our ML lead who finishes on Friday — warm but not soppy, please.")
    assert answer.understanding.intent == "out_of_scope" and "time_pressure" not in answer.understanding.stated
    _reads_as(advisor, "We need a demo on Friday, 5 people.", {"time_pressure": True})


@pytest.mark.parametrize("turns,expected", [
    (["were a genAI startup, 6 ppl, building agnets for legal docs",
      "kubeflow worth it for us? we just call the openai api, we dont host any models ourselves",
      "what does weave actualy give us"], "LLM observability and evaluation"),
    (["We're 5 data scientists, nothing automated yet.", "is the free tier of W&B enough for us?"],
     "too restrictive for production use cases"),
])
def test_twenty_third_session_answers_hold_what_was_asked(advisor, turns, expected) -> None:
    conversation = Conversation(advisor)
    for text in turns:
        answer = conversation.ask(text)
    assert answer.understanding.intent == "factual"
    assert expected in answer.answer


def test_a_move_back_claim_cites_the_additive_row_too(advisor) -> None:
    answer = advisor.ask("Bringing Kubeflow in means retiring our MLflow tracking server, right?").answer
    assert answer.startswith("Not quite") and "MLflow continues as tracking layer" in answer


# ---- twenty-fourth session: the gj / gk / gl writers' dev halves ---------------------------------------------

@pytest.mark.parametrize("text,expected", [
    # a head count in apposition to a platform group is the group's, not the ML team's
    ("30 ML people. we do have a platform team tho, 3 people, they run our on-prem k8s in prod",
     {"team_size": 30, "platform_engineers": 3, "k8s_engineers": 3}),
    # (a count in brackets after the group stays the group's; the people it supports are the team)
    ("Our MLOps team (three people) supports 60 data scientists.", {"team_size": 60, "platform_engineers": 3}),
    # the whole team has the skill: all of it, not the floor of two
    ("5 of us, all ex-SRE, we've all run k8s in prod for years.", {"team_size": 5, "k8s_engineers": 5}),
    ("we are 12 and everyone here has operated kubernetes in production", {"k8s_engineers": 12}),
    # a one-person group corrected upwards in the same breath
    ("we do have a k8s person - actually a whole platform team running our clusters",
     {"k8s_engineers": 2, "platform_engineers": 2}),
    # a question the writer answers at once, with a word before the answer
    ("lock-in? honestly not bothered", {"lock_in_averse": False}),
    ("a handful of us (five, to be precise) do ML at a logistics firm", {"team_size": 5}),
    ("as a regulated lender nothing leaves our network", {"regulated": True, "data_on_prem": True}),
    # a past job told in passing is not the team
    ("I joined in March, before that I spent four years at a bank. The team here is about twenty people.",
     {"regulated": None, "team_size": 20}),
    # quoted words then made a joke of are no team; a level named as a goal is a wish
    ("it's literally just me. my 'MLOps team' is me explaining things to a rubber duck.",
     {"team_size": 1, "platform_engineers": None}),
    ("retraining pipelines are already automated (full CI/CD is a goal for next year, not there yet).",
     {"maturity": 1}),
    ("Not Kubeflow unless someone convinces me.", {"current_tools": None}),
    # a private deployment named, then allowed in the next sentence
    ("what about the one with the private cloud deployment? infosec says that would be acceptable for us",
     {"private_cloud_ok": True}),
    # a tool's licence said of the tool is no wish of the team's
    ("kubeflow is free though isn't it? it's open source", {"lock_in_averse": None}),
    # "overall" after "best" ranks tools; it counts no team
    ("which of the 3 is best overall?", {"team_size": None}),
    ("Three squads of five, all doing modelling.", {"team_size": 15}),
    ("Headcount in data science is 25.", {"team_size": 25}),
    # a count of people who never ran it is none; one named person who did is one
    ("my own shop is three people who have never run Kubernetes in prod.", {"k8s_engineers": 0}),
    ("None of the eleven of us would call ourselves k8s people, though Marco did run a production EKS cluster at "
     "his last job for two years.", {"team_size": 11, "k8s_engineers": 1}),
    # the present after a past job: "…at previous jobs, but nobody is dedicated to infra"
    ("Ten of us. Three ran production Kubernetes at previous jobs, but nobody is dedicated to infra.",
     {"team_size": 10, "k8s_engineers": 3, "platform_engineers": 0}),
    # a real word the model's vocabulary lacks is not corrected into another ("balks" is no bank)
    ("We're 40 people. Finance balks at anything priced per head.", {"regulated": None}),
])
def test_twenty_fourth_session_reads(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent,by", [
    (["5 of us, all ex-SRE. kubeflow is the obvious pick right?", "lol ok that settles it"], "out_of_scope",
     "an acknowledgement that asks nothing"),
    (["We're a team of twelve on Azure ML. What would you advise?", "Lovely, ta."], "out_of_scope",
     "a thank-you that asks nothing"),
    (['translate "weights and biases" into French please'], "out_of_scope",
     "a language task on the words, not a question about the tools"),
    (["w&b for 35 seats, annual — ballpark?"], "cost", None),
    (["What share of data science projects never make it to prod, going by that VentureBeat number?"], "factual",
     "asks what share or proportion the article gives"),
    # two tools joined by an arrow or a bare "to" name a move; "compare X to Y" does not
    (["how painful is wandb -> mlflow, time-wise?"], "migration", None),
    (["how long is w&b to mlflow, roughly?"], "migration", None),
    (["how does wandb compare to mlflow on dashboards?"], "factual", None),
    # a cost follow-up that keeps the previous question's frame asks the same of its new subject
    (["we have 200 people who'd use this. what's wandb per year?", "and kubeflow at that size"], "cost", None),
])
def test_twenty_fourth_session_intents(advisor, turns, intent, by) -> None:
    answer = _follow_up(advisor, turns, intent, None)
    if by is not None:
        assert answer.understanding.intent_by == by


@pytest.mark.parametrize("turns,expected", [
    # what survives a move asks more of the move
    (["we've been on wandb for 2 yrs, 25 people now, and finance is freaking out about seat costs",
      "how painful is moving everything off it to mlflow?", "do our reports come along?"], "Reports do not port"),
    # a saving is the difference from the tool in use: both licence cells
    (["we've been on wandb for 2 yrs, 25 people now, and finance is freaking out about seat costs",
      "how painful is moving everything off it to mlflow?", "ok and what would we actually be saving per year, "
      "licence-wise?"], "W&B: ~$50/user/month"),
    # the one per-seat price names its tool
    (["two dozen ML engineers, no dedicated platform people. where do we start?",
      "out of curiosity what tier is that $50 price for?"], "Teams tier"),
    (["We're 4 ML engineers at a travel startup. What should we use?", "and what would mlflow need infra-wise?"],
     "Low (single server or VM)"),
    # leaving what the move went to, named by description
    (["We use MLflow today, 18 people. We really need better sharing of results with stakeholders.",
      "how much work is it to move from mlflow to that?",
      "and if we regret it in two years, how hard is it to get back out of the paid one?"],
     "Migration Path — W&B to MLflow"),
    (["We're 50 people on AWS, no platform team, budget is tight.", "what does mlflow cost us?",
      "really?? that much for free software?"], "Licensing is almost never the real cost"),
    (["we have 200 people who'd use this. what's wandb per year?", "and kubeflow at that size"],
     "Kubeflow $200,000–$400,000+/year"),
    # a comparison on a dimension is answered by the sentences on it, not by a section titled "… compare to …"
    (["how does wandb compare to mlflow on dashboards?"], "MLflow is functional but visually limited"),
])
def test_twenty_fourth_session_answers_hold_what_was_asked(advisor, turns, expected) -> None:
    conversation = Conversation(advisor)
    for text in turns:
        answer = conversation.ask(text)
    assert expected in answer.answer


@pytest.mark.parametrize("question,row", [
    ("All three have native dbt integrations, so which one makes our dbt feature models easiest to track?", "dbt"),
    ("W&B Reports export cleanly into MLflow, so what's the quickest way to bring ours across?", "W&B to MLflow"),
    ("since the W&B free tier covers production use, can our 4-person startup just stay on it?", "too restrictive"),
])
def test_twenty_fourth_session_premises_corrected(advisor, question, row) -> None:
    answer = advisor.ask(question).answer
    assert answer.startswith("Not quite") and row in answer.split("\n\n")[0]


@pytest.mark.parametrize("text,expected", [
    # LLM work on the side is not the team's main work
    ("We're 6 people; a couple of people have started side projects with LLMs.", {"team_size": 6,
                                                                                  "llm_first": False}),
    # a government department is not a regulated industry by itself (LABELLING.md lists industries)
    ("I lead a small analytics unit in a central government department - 6 data scientists.",
     {"team_size": 6, "regulated": None}),
    # the counted platform people manage the clusters just named
    ("We run our own on-prem Kubernetes clusters (our platform team of 6 manages them).",
     {"k8s_engineers": 6, "platform_engineers": 6}),
    # the people denied win over the clusters owned
    ("we have own on-prem clusters but our ML team is only 4 persons and nobody of us know Kubernetes really",
     {"team_size": 4, "k8s_engineers": 0}),
    ("freelancer, just me, no llm stuff. need experiment tracking thats free", {"seat_price_sensitive": True}),
    ("Honestly a bit worried about getting too tied to one vendor.", {"lock_in_averse": True}),
    # a counted MLOps group is not the team; the users are
    ("we're on W&B, 120 users, and the renewal quote made my eyes water. we also have a 6 person MLOps team "
     "running EKS in production", {"team_size": 120, "platform_engineers": 6, "seat_price_sensitive": True}),
    # what is left open is not said either way
    ("Honestly I don't know yet whether we'll need pipeline orchestration.", {"needs_orchestration": None}),
    ("We're regulated, it's pharma, but I'm not sure yet whether the data has to stay on-prem.",
     {"regulated": True, "data_on_prem": None}),
    ("We'd love for the VP and the account managers to be able to open a link and see how the model is doing.",
     {"needs_dashboards": True}),
    ("Our platform is Azure, though a couple of the research folks sneak experiments onto Colab.",
     {"team_size": None}),
    ("The five-person Kubernetes platform group supports us and two other product lines.",
     {"platform_engineers": 5, "k8s_engineers": 5}),
    ("our last infra guy left in March and nobody replaced him. the CTO keeps forwarding me Kubeflow blog posts.",
     {"platform_engineers": 0, "current_tools": None}),
    ("we thought about going LLM but no, it's tabular fraud models, always has been.", {"llm_first": False}),
    ("Nothing we train on is allowed to touch a public cloud.", {"data_on_prem": True}),
    ("We're on AWS, mostly SageMaker notebooks for now.", {"maturity": 0, "platform": "aws"}),
    ("Five of us. No pipelines to orchestrate.", {"maturity": None, "needs_orchestration": False}),
])
def test_twenty_fifth_session_reads(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


def test_twenty_fifth_session_a_head_count_more_like_n_replaces_the_old_one(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("we're an adtech co, ~15 DS/MLE, budget is tight, no devops person. recommend something")
    answer = conversation.ask("wait actually it's more like 25 once you count the analysts who'd need logins")
    assert answer.team_profile.team_size == 25
    assert answer.recommendation.primary == "mlflow"  # W&B is ruled out past 20 seats on a tight budget


@pytest.mark.parametrize("turns,intent,by", [
    (["freelancer, just me, no llm stuff", "what if a client makes me use W&B instead, what does that cost for "
      "just me?"], "cost", None),
    (["freelancer, just me", "sweet ty"], "out_of_scope", "a thank-you that asks nothing"),
    (["ecom team of 7 here.", "also can u help me write a SQL query for avg basket size per customer"],
     "out_of_scope", "a chore (a query, a script, a letter) that asks nothing about the tools"),
    (["thinking about kubeflow. whats the effort to go from kubeflow to sagemaker pipelines if it doesnt work out?",
      "how does zenml compare to kubeflow"], "factual", None),
    (["Team of 6 on SageMaker, classic tabular ML, no LLMs.", "ok. how does W&B hook into sagemaker",
      "and sagemaker pipelines vs kubeflow, whats the main tradeoff in a sentence"], "factual", None),
    (["We run Databricks, 25 data scientists.", "cost-wise, what's most predictable for us at scale?"], "cost", None),
    (["I've been told to pick the one tracker the whole department will live with for the next three years."],
     "recommend", None),
    (["I'm putting together a three-year budget line for MLflow and have no idea what to write in it."], "cost",
     None),
])
def test_twenty_fifth_session_intents(advisor, turns, intent, by) -> None:
    answer = _follow_up(advisor, turns, intent, None)
    if by is not None:
        assert answer.understanding.intent_by == by


@pytest.mark.parametrize("turns,expected", [
    # the tool in use is where a move "into W&B" starts, whatever it is logged "to"
    (["we're all-in on databricks. team of 11 DS.", "btw we already log our runs to mlflow in databricks. how long "
      "would moving that history into W&B take?"], "Migration Path — MLflow to W&B"),
    (["We are 7 people in a university lab; our professor wants reports for the funding committee.",
      "Is possible to install it on our own university servers?"], "Enterprise tier only"),
])
def test_twenty_fifth_session_answers_hold_what_was_asked(advisor, turns, expected) -> None:
    conversation = Conversation(advisor)
    for text in turns:
        answer = conversation.ask(text)
    assert expected in answer.answer


def test_twenty_fifth_session_reports_beside_orchestration_keep_kubeflow(advisor) -> None:
    """A team that can run Kubeflow and needs orchestration, asking for reports beside it, is no research lab."""
    conversation = Conversation(advisor)
    conversation.ask("ML team of 22, with a platform team (3 engineers) who run Kubernetes in production. Training "
                     "pipelines are already automated. The key thing we need is orchestration.")
    answer = conversation.ask("the minister's office wants monthly reports they can actually read. Would W&B be "
                              "sensible for that bit alongside it?")
    assert answer.team_profile.needs_dashboards is True
    assert answer.recommendation.primary == "kubeflow"
    assert "kubeflow" not in answer.recommendation.avoid


def test_twenty_fifth_session_he_quit_takes_the_one_platform_engineer_away(advisor) -> None:
    """"he quit" after "one devops engineer … he's run our EKS clusters" takes the one platform engineer and his
    Kubernetes experience away, and a day he left on is no deadline."""
    conversation = Conversation(advisor)
    conversation.ask("we're a 12-person team with one devops engineer. should we go for kubeflow?")
    answer = conversation.ask("he's run our EKS clusters in prod for 4 years fwiw, and one of our MLEs did the same "
                              "at her last job")
    assert answer.team_profile.team_size == 12 and answer.team_profile.platform_engineers == 1
    answer = conversation.ask("ugh, scratch all that. he quit on friday.")
    assert answer.team_profile.platform_engineers == 0
    assert answer.team_profile.k8s_engineers == 1
    assert answer.team_profile.time_pressure is None
    assert "kubeflow" in answer.recommendation.avoid


@pytest.mark.parametrize("turns,intent,by", [
    # a fact changed after a cost question about the pick asks for the pick again
    (["Looking at W&B for our 35-person DS org, but money is tight this year.", "What would it cost us per year?",
      "Scratch that, finance just approved the budget. Cost isn't a concern anymore."], "recommend",
     "new facts about the team after a recommendation ask for it again"),
    (["10 ppl, classical ML only, tabular stuff, no LLMs", "k how much"], "cost", None),
    (["Hello, we are small startup, 4 person", "How long it take to setup the mlflow?", "And the kubeflow, how long?"],
     "factual", "a follow-up to the previous question asks the same of its new subject"),
    (["which of the 3 is best overall?"], "recommend", None),
    (["How much does Kubeflow actually bring to the table for LLM and GenAI work?"], "factual", None),
    (["What's the combination you see most often at mid-to-large enterprises?"], "factual", None),
])
def test_twenty_fifth_session_follow_ups(advisor, turns, intent, by) -> None:
    answer = _follow_up(advisor, turns, intent, None)
    if by is not None:
        assert answer.understanding.intent_by == by


@pytest.mark.parametrize("question,row", [
    # a claim its other words drown, naming one checked row in its own words and saying it strongly
    ("A colleague told me MLflow can schedule our nightly retraining natively now, so we wouldn't need Airflow any "
     "more. Which MLflow version added that?", "requires external orchestrator"),
    ("We'd planned to lean on MLflow's built-in alerting to flag when a model's metrics degrade. How should we set "
     "the thresholds?", "no native alerting"),
    # a yearly figure "at our headcount" against the estimate row for the size said elsewhere
    ("We're a 50-person ML org. I've seen that W&B comes to roughly $60,000 a year at our headcount; how does MLflow "
     "compare on total cost for a team our size?", "$30,000/year"),
    ("our finance guy says kubeflow's enterprise licence runs about $15k a year. for 10 people which one works out "
     "cheaper?", "Apache 2.0"),
    ("My manager reckons that choosing the right tool is about 80% of getting MLOps right. Between MLflow and W&B, "
     "which should make the shortlist?", "roughly 40%"),
])
def test_twenty_fifth_session_premises_corrected(advisor, question, row) -> None:
    answer = advisor.ask(question).answer
    assert answer.startswith("Not quite") and row in answer.split("\n\n")[0]


@pytest.mark.parametrize("question,expected", [
    ("roughly how many people does it take to keep kubeflow alive once it's in prod?", "0.5–1 FTE"),
    ("How much does Kubeflow actually bring to the table for LLM and GenAI work?",
     "Partial (KServe for model serving)"),
    ("kubeflow is free though isn't it? it's open source", "substantial infrastructure costs"),
])
def test_twenty_fifth_session_facts_answered(advisor, question, expected) -> None:
    assert expected in advisor.ask(question).answer


def test_an_implication_yielding_to_an_unknown_one_fails_at_load_naming_it() -> None:
    path = data_file("understanding.yaml")
    data = load_yaml(path)
    data["implications"][0]["yields_to"] = "no-kubernets"
    with pytest.raises(CorpusError, match=r"understanding\.yaml: .*yields_to names no implication .*no-kubernets"):
        validate(UnderstandingConfig, data, path)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("pattern", r"(?:write\s+a\s+poem", r"other_work\.0\.pattern: .*not a regex"),
    ("reason", "", r"other_work\.0\.reason"),
    ("opens_message", True, r"other_work\.0\.opens_message"),
])
def test_a_typo_in_a_request_for_other_work_fails_at_load_naming_scope_yaml(field, value, message) -> None:
    path = data_file("scope.yaml")
    data = load_yaml(path)
    data["other_work"][0][field] = value
    with pytest.raises(CorpusError, match=r"invalid scope\.yaml: " + message):
        validate(ScopeData, data, path)


def test_requests_for_other_work_come_from_scope_yaml_and_name_their_reason() -> None:
    scope = load_scope()
    poem = scope.other_work_asked("write me a haiku about kubeflow", names_a_tool=True)
    assert poem is not None and poem.id == "language_task"  # a tool's name does not make a poem a tool question
    sql = scope.other_work_asked("can u help me write a sql query for avg basket size per customer", names_a_tool=False)
    assert sql is not None and sql.reason in scope.other_work_reasons
    # a chore over ML work, or naming a tool, is about the tools
    assert scope.other_work_asked("can you write a sql query over our experiment runs", names_a_tool=False) is None
    assert scope.other_work_asked("please write a sql query for the mlflow backend store", names_a_tool=True) is None


@pytest.mark.parametrize("text,expected", [
    # a correction counting a few of a group named before: the few, not the group
    ("Correction: only one of those two has actually run Kubernetes in production, the other is learning.",
     {"k8s_engineers": 1}),
    ("we run a dozen pipelines on kubernetes clusters we operate ourselves", {"k8s_engineers": 2}),
    # a habit on a weekday is no deadline; something due on one is
    ("retraining is someone running a notebook by hand on tuesday morning. we're 9",
     {"time_pressure": None, "maturity": 0}),
    ("we have to demo something to the board on thursday", {"time_pressure": True}),
    ("biggest headache: orchestration. 14 of us", {"needs_orchestration": True}),
    ("we'd add kubeflow for orchestration, which we desperately need", {"needs_orchestration": True}),
    ("jobs run partly on GPUs at our sites (on-prem) and partly on GCP", {"hybrid_cloud": True}),
    ("every quarter we present progress to our funder with reports", {"needs_dashboards": True}),
    ("each engagement we run ends with a shareable report for the client's leadership", {"needs_dashboards": True}),
    # the notebooks kept for exploring do not make the scheduled retraining manual
    ("retraining of our main models runs as nightly jobs; notebooks are only for exploration", {"maturity": 1}),
    ("we're building a code assistant for our developers", {"llm_first": True}),
    # a list's next item is not the past job the item before spoke of
    ("11 MLEs, 2 of us ran EKS in prod at previous jobs + 1 dedicated MLOps eng",
     {"platform_engineers": 1, "k8s_engineers": 2}),
    # SaaS allowed only as a private deployment says nothing of the data leaving
    ("security is fine with SaaS tools provided they're a private deployment in our VPC",
     {"data_on_prem": None, "private_cloud_ok": True}),
])
def test_twenty_sixth_session_reads(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


@pytest.mark.parametrize("turns,intent,by", [
    # the pick questioned against another tool after a fact question in between
    (["Lock-in is our biggest fear. 16 people, no platform team. Which one?", "what licence is it under?",
      "so why not kubeflow, that's open source too?"], "recommend",
     "a question about a tool's standing in the pick asks for the pick again"),
    (["five of us, nobody has run kubernetes. where should we log our experiments?"], "recommend", None),
    (["We're 12, the main need is reports for the business.", "how long to get mlflow running?"], "factual",
     None),
    (["200 of us, a platform group of six runs our Kubernetes clusters in prod.", "what would it cost us all in?",
      "and w&b at 200 seats, for comparison?"], "cost", "a short follow-up to a cost question names a price"),
    # a row of another table, named by its own name, after a move
    (["35 of us, a platform team runs our k8s in prod.", "how big a job is moving off kubeflow to vertex ai "
      "pipelines later?", "how well does it play with terraform?"], "factual", None),
])
def test_twenty_sixth_session_intents(advisor, turns, intent, by) -> None:
    answer = _follow_up(advisor, turns, intent, None)
    if by is not None:
        assert answer.understanding.intent_by == by


def test_twenty_sixth_session_a_price_asked_of_seats_puts_no_tool_in_use(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're 200 people with a platform group of six who run our Kubernetes clusters in production.")
    answer = conversation.ask("and mlflow at 200 seats, for comparison?")
    assert not answer.team_profile.current_tools


def test_twenty_sixth_session_a_large_team_told_nothing_else_gets_the_growth_pick_with_its_hinge(advisor) -> None:
    """A 200-person org with no platform engineer stated is operationally a small team: W&B, Kubeflow avoided;
    the unstated budget that would rule W&B out at that size leads, in the first line, and the platform team
    that would bring Kubeflow back is among the hinges."""
    answer = advisor.ask("We're a two-hundred-person ML org at a telco. Where should we start?")
    assert answer.recommendation.primary == "wandb"
    assert "kubeflow" in answer.recommendation.avoid
    assert answer.hinges[0].field == "seat_price_sensitive" and answer.hinges[0].decides
    assert answer.answer.startswith("**Weights & Biases, unless")
    assert "platform_engineers" in [h.field for h in answer.hinges]


def test_twenty_sixth_session_a_large_team_still_at_level_0_is_in_the_growth_row(advisor) -> None:
    """The article's growth row covers Level 0 to 1 and its enterprise row Level 1 to 2: a 30-person team with
    platform engineers that still works by hand gets the growth pick, Kubeflow avoided."""
    answer = advisor.ask("We're 30 in ML, three platform engineers who have run Kubernetes in production, but "
                         "everything is still done by hand in notebooks.")
    assert answer.team_profile.maturity == 0
    assert answer.recommendation.primary == "wandb"
    assert "kubeflow" in answer.recommendation.avoid


def test_twenty_sixth_session_a_count_of_the_people_here_is_the_askers_team(advisor) -> None:
    answer = advisor.ask("quick context: ~50 people do ML here")
    assert answer.recommendation is not None and answer.recommendation.primary == "wandb"
    assert answer.assumptions  # the unstated facts it assumed are said


@pytest.mark.parametrize("text,expected", [
    # "customer" as a noun's modifier is our own product, not a customer's team
    ("we're building a customer service chatbot on GPT-4, 6 engineers", {"team_size": 6, "llm_first": True}),
    ("we make client-facing forecasting dashboards, 9 data scientists", {"team_size": 9}),
    # a correction said as "N not M"
    ("oops, we're 30 not 13", {"team_size": 30}),
    # "thirty-odd" is about thirty
    ("forty-odd of us across research and engineering", {"team_size": 40}),
    # a role word with a group word counts the group, in any pairing
    ("25 of us, plus a 4-person infra squad that runs our kubernetes in production",
     {"team_size": 25, "platform_engineers": 4, "k8s_engineers": 4}),
    # a total said before its breakdown is the team
    ("sixty of us: a 40-person research org and a 20-person platform group", {"team_size": 60}),
    # a past job named inside a relative clause is where people worked, not who they are
    ("20 of us, three devops engineers who all ran EKS in production at their last jobs",
     {"platform_engineers": 3, "k8s_engineers": 3}),
    ("I'm working in the notebooks only", {"maturity": 0}),
    ("our tooling budget is capped", {"seat_price_sensitive": True}),
])
def test_twenty_seventh_session_reads(advisor, text, expected) -> None:
    _reads_as(advisor, text, expected)


def test_twenty_seventh_session_a_fact_stated_without_we_still_gets_the_conservative_defaults(advisor) -> None:
    """Data that may not leave, said with no "we", is still the asker's: Kubeflow needs Kubernetes skills the
    message never claims, so it is not picked as if they were a given."""
    answer = advisor.ask("compliance says no training data may go to any third-party SaaS. which tool then?")
    assert answer.recommendation is not None and answer.recommendation.primary == "mlflow"
    assert "kubeflow" in answer.recommendation.avoid
    assert "k8s_engineers" in [a.field for a in answer.assumptions]


def test_twenty_seventh_session_a_split_on_prem_and_cloud_asks_about_hybrid_cloud(advisor) -> None:
    answer = advisor.ask("what would kubeflow give a company whose training is split on-prem/cloud?")
    assert answer.understanding.topic.dimension == "hybrid"
    assert "hybrid cloud environments" in answer.answer
    assert not answer.answer.startswith("My source does not answer")


def test_twenty_seventh_session_setup_as_an_arrangement_is_no_question_of_setup_time(advisor) -> None:
    reading = advisor.read("where does W&B sit in a mixed setup like ours?")
    assert reading.topic.dimension != "setup"


def test_twenty_seventh_session_a_price_tier_names_wandb(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("We're 30, a platform team runs our Kubernetes clusters in production.")
    answer = conversation.ask("roughly what would 30 seats on the teams tier come to?")
    assert conversation.topic == "wandb"
    assert "$50" in answer.answer


def test_twenty_seventh_session_an_own_server_question_answers_with_the_infrastructure_row(advisor) -> None:
    conversation = Conversation(advisor)
    conversation.ask("we're 5 people, all notebooks. which one?")
    answer = conversation.ask("does it need a dedicated server?")
    assert "single server or VM" in answer.answer


@pytest.mark.parametrize("question,row", [
    # a price claimed of a free tool, named by its own alias of the licence row
    ("MLflow charges per seat past ten users, right? so how do we keep under that", "Free (open-source)"),
    # how long installing takes
    ("I read the Kubeflow install only takes a morning. could we demo pipelines on Friday?", "High (weeks"),
    # the move in one part, the loss denied in the next
    ("When we switch from W&B to MLflow, all our reports will come across intact, so it's just SDK calls?",
     "some historical data loss likely"),
    # a size a tool is claimed to need, against the sizes the article says each suits
    ("MLflow only makes sense once you're 40+ people, so for our five is there something lighter?", "1 to 10 people"),
])
def test_twenty_seventh_session_premises_corrected(advisor, question, row) -> None:
    answer = advisor.ask(question).answer
    assert answer.startswith("Not quite") and row in answer.split("\n\n")[0]


@pytest.mark.parametrize("question", [
    "Since W&B suits teams of 5 to 30+, is it fine for our 12?",
    "Since W&B charges per seat, what would 10 of us pay?",
    "When we move from MLflow to W&B, will our runs come across intact?",
])
def test_twenty_seventh_session_true_premises_are_not_corrected(advisor, question) -> None:
    assert not advisor.ask(question).answer.startswith("Not quite")


@pytest.mark.parametrize("question,gloss", [
    ("whats weave exactly", "Weave (LLM observability and evaluation)"),
    ("what are sweeps?", "Sweeps (automated hyperparameter optimization)"),
])
def test_twenty_seventh_session_a_name_asked_about_is_answered_with_its_gloss(advisor, question, gloss) -> None:
    answer = advisor.ask(question).answer
    assert answer.startswith("From the source") and gloss in answer


@pytest.mark.parametrize("turns,intent", [
    # a tool taken up by the organisation, asked
    (["Should our insurer adopt MLflow?"], "recommend"),
    (["Should the team standardise on W&B?"], "recommend"),
])
def test_twenty_seventh_session_intents(advisor, turns, intent) -> None:
    _follow_up(advisor, turns, intent, None)


# ---- twenty-eighth session: a part of a stack asked for ------------------------------------------------------

@pytest.mark.parametrize("text,layers", [
    ("so for the tracking layer, which one?", ["tracking"]),
    ("what would we put next to it for tracking?", ["tracking"]),
    ("And for the serving part, which of three?", ["serving"]),
    ("which one owns the registry in that setup", ["registry"]),
    ("what should own tracking and the model registry?", ["tracking", "registry"]),
    ("so with what we actually have, w&b for tracking. and for the registry?", ["registry"]),
    # a part named without asking for a tool for it
    ("we use mlflow for tracking", []),
    ("does mlflow do model serving?", []),
    ("is there a lighter option than kubeflow for orchestration?", []),
])
def test_twenty_eighth_session_the_part_of_a_stack_asked_for_is_read(advisor, text, layers) -> None:
    assert advisor.read(text).layers == layers


def test_twenty_eighth_session_a_part_asked_for_is_answered_first_with_the_tool_that_fits(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("our platform team (4 ppl, k8s in prod) runs kubeflow for about 30 ml engineers. "
                     "what goes with it for tracking?")
    # the Kubernetes-native pattern gives tracking to W&B, which the advice keeps beside Kubeflow
    assert first.layer_picks == {"tracking": "wandb"}
    assert first.answer.startswith("**For tracking: Weights & Biases**, beside Kubeflow.")
    assert first.recommendation.primary == "kubeflow"  # the team's pick stays what it was
    later = conv.ask("we care a lot about not getting locked in btw. so for the tracking layer, which one?")
    # a lock-in-averse team's tracker is the one the rules rank above zero: MLflow, said with its reason, cited
    assert later.layer_picks == {"tracking": "mlflow"}
    head = later.answer.split("\n\n")[0]
    assert head.startswith("**For tracking: MLflow**") and "most portable" in head
    # the part is quoted from the pattern's row that gives it: "MLflow: tracking layer"
    cited = {c.n: c.quote for c in later.citations}
    assert "MLflow: tracking layer" in cited[int(re.search(r"\[(\d+)\]", head).group(1))]
    assert later.understanding.intent == "stack" and later.understanding.layers == ["tracking"]


def test_twenty_eighth_session_a_team_asked_about_is_taken_as_ours_when_we_speak_of_it(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("should a 12-person team with one devops engineer go for kubeflow?")
    assert first.understanding.supposed == {"team_size": 12, "platform_engineers": 1}
    assert conv.profile.known() == {}  # asked about, not claimed: nothing kept yet
    later = conv.ask("he's run our EKS clusters in prod for 4 years fwiw, and one of our MLEs did the same")
    # "our": the team asked about was the asker's; its facts decide this answer, and the first line says so
    assert later.understanding.adopted == {"team_size": 12, "platform_engineers": 1}
    assert later.team_profile.team_size == 12 and later.team_profile.platform_engineers == 1
    assert later.answer.startswith("I have taken the team you asked about before as yours (team size: 12;")
    assert {e.field for e in later.profile_evidence} >= {"team_size", "platform_engineers"}
    # a browser session rebuilt from its snapshot adopts the same way
    again = Conversation.restore(advisor, Conversation(advisor).snapshot())
    again.ask("should a 12-person team with one devops engineer go for kubeflow?")
    restored = Conversation.restore(advisor, again.snapshot())
    assert restored.ask("we're on AWS btw").team_profile.team_size == 12


@pytest.mark.parametrize("turns", [
    # someone else's team, said so: "they", a friend's
    ["what would a 10-person RAG startup use? they have no devops", "and for us? we do tabular ML"],
    ["my friend's startup is 10 people building a RAG chatbot, what would they use?", "and us? we do tabular ML"],
])
def test_twenty_eighth_session_another_teams_facts_are_not_taken_as_ours(advisor, turns) -> None:
    conv = Conversation(advisor)
    for turn in turns:
        answer = conv.ask(turn)
    assert answer.team_profile.team_size is None and not answer.understanding.adopted


def test_twenty_eighth_session_a_what_if_after_a_sentence_that_says_nothing_of_the_team(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("24 people work on our recommendation models. We have no infrastructure team. What should we use?")
    later = conv.ask("OK, that's not happening anytime soon. Different scenario: what if our budget gets cut and "
                     "per-seat licences are off the table?")
    # the what-if opens after the first sentence: its worry about seat prices is supposed of the team, not asked
    assert later.understanding.what_if and later.intent == "recommend"
    assert later.team_profile.seat_price_sensitive is True and later.recommendation.primary == "mlflow"
    # a sentence that does say something of the team is no preamble: "we're 12" is the team as it is
    assert not advisor.read("We're 12 people. What if we hired two platform engineers?").what_if


def test_twenty_eighth_session_a_cost_at_a_size_between_the_estimates_gives_the_seat_price(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("what's W&B cost for a 10-person team per year?")
    between = conv.ask("same for 40 people?")
    # no estimate row is for 40 people: the nearest one, and the licence's price per seat that scales with the team
    assert "Growth team estimate (50 people)" in between.answer
    assert "License: W&B: ~$50/user/month" in between.answer
    # at a size an estimate row gives, the estimate alone answers
    assert "License:" not in advisor.ask("what does W&B cost for a 10-person team per year?").answer


def test_twenty_eighth_session_the_companys_group_is_not_ours_and_that_one_is_the_pick(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("I manage the personalisation team at a 400-person media company. The company's platform "
                     "group runs a large GKE estate for the web products, and the ads team have used Kubeflow for "
                     "years, but none of that is available to us. My team is sixteen people, we're on Google "
                     "Cloud, no DevOps of our own. What would you suggest?")
    # the company's Kubernetes estate is not the team's experience, nor its Kubeflow the team's tool
    assert first.team_profile.k8s_engineers is None and first.team_profile.current_tools == []
    assert "k8s_engineers" in {e.field for e in first.understanding.set_aside}
    # Kubeflow was named only where the ads team's doings are said: the conversation is about the pick
    assert first.understanding.theirs == ["kubernetes", "kubeflow"] and conv.topic == first.recommendation.primary
    later = conv.ask("What's the lock-in story with that one, honestly?")
    assert later.understanding.topic.tool == first.recommendation.primary


def test_twenty_ninth_session_the_two_are_the_tools_the_last_answer_put_forward(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("our platform team (4 ppl, k8s in prod) runs kubeflow for about 30 ml engineers. "
             "what goes with it for tracking?")
    # the answer kept Kubeflow and gave tracking to W&B: those are "the two"
    assert conv.offered[:2] == ["kubeflow", "wandb"]
    cost = conv.ask("wich of the two is cheaper at 30 users")
    assert cost.understanding.spelling["the two"] == "Kubeflow and Weights & Biases"
    assert cost.understanding.intent == "cost"
    # both tools' cells, the licence first at a size no estimate row gives: W&B's price per seat against free
    assert "License: Kubeflow: Free (open-source); W&B: ~$50/user/month" in cost.answer
    assert "Infrastructure: Kubeflow: High" in cost.answer and "W&B: Low (SaaS" in cost.answer
    # a browser session rebuilt from its snapshot, or a Slack thread from its transcript, knows them too
    assert Conversation.restore(advisor, conv.snapshot()).offered == conv.offered
    rebuilt = Conversation.from_history(advisor, [t.model_dump() for t in conv.turns[:2]])
    assert set(rebuilt.offered[:2]) <= {"kubeflow", "wandb", "mlflow"} and len(rebuilt.offered) >= 2


def test_twenty_ninth_session_the_two_tools_a_question_weighed(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("we're 8 people on aws, no kubernetes. mlflow or w&b?")
    later = conv.ask("which of those two is cheaper at our size?")
    assert later.understanding.spelling["those two"] == "MLflow and Weights & Biases"


@pytest.mark.parametrize("text", [
    "the two of us do all the modelling", "one of the two devops guys left last week",
    "if those two hires were a platform team, what then?", "we need both, honestly",
])
def test_twenty_ninth_session_two_people_or_needs_are_not_two_tools(advisor, text) -> None:
    conv = Conversation(advisor)
    conv.ask("we're 8 people on aws, no kubernetes. mlflow or w&b?")
    assert not any("two" in k or "both" in k for k in advisor.read(text, conv.context).spelling)


def test_twenty_ninth_session_a_whole_cost_asked_beside_a_part_gives_every_cost_row(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("Our 30-person ML org has a 4-person platform team that runs Kubernetes in production and automated "
             "retraining pipelines. Which tool?")
    cost = conv.ask("What would Kubeflow actually cost us per year, and how long does setup take?")
    rows = [line.split(":")[0] for line in cost.answer.splitlines() if line.startswith("- Cost Component")]
    # the part named (setup) first, then the rest of what a year of Kubeflow costs
    assert rows[0] == "- Cost Component — Setup and implementation"
    assert {"- Cost Component — License", "- Cost Component — Infrastructure"} <= set(rows)
    assert "thousands per month" in cost.answer


def test_twenty_ninth_session_advice_again_with_the_row_of_what_the_message_asks_about(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("I manage an analytics group of forty. We'd like something that lets our directors see how the "
             "models are doing — proper visual reports. Licence costs aren't a worry for us.")
    later = conv.ask("We'd also rather not be tied to one supplier. Is that a problem with it?")
    # the new fact asks for the advice again; "a problem with it" asks of W&B's lock-in: its cell first, cited
    assert later.intent == "recommend" and later.team_profile.lock_in_averse is True
    line = next(x for x in later.answer.splitlines() if "Overall lock-in risk" in x)
    assert line.startswith("- Lock-in Dimension — Overall lock-in risk: W&B: Medium to High; MLflow: Low")
    # a recommendation that asks of no dimension gets no row
    assert "Overall lock-in risk" not in Conversation(advisor).ask("we're 12 people on aws. which tool?").answer
    sized = Conversation(advisor)
    sized.ask("we're 28 ML engineers, no dedicated infra people. want one place for experiments")
    too_big = sized.ask("is 28 too big for wandb?")
    assert too_big.understanding.topic.dimension == "size"
    assert "Best team size: Weights & Biases: 5 to 30+" in too_big.answer


def test_twenty_ninth_session_the_companys_clusters_we_run_are_our_experience(advisor) -> None:
    reading = advisor.read("We're the ML platform group at a logistics company. About 45 people in total do ML work "
                           "here, including the six of us on the platform team, and we run the company's Kubernetes "
                           "clusters in production on GKE. Training pipelines are already automated with scheduled "
                           "retraining, and experiments are tracked in MLflow today. Should we standardise on "
                           "Kubeflow?")
    # "we run" them: not another team's estate, and what follows is no longer set aside with it
    assert reading.stated.platform == "gcp" and reading.stated.k8s_engineers == 6
    assert reading.stated.maturity == 1 and reading.stated.current_tools == ["mlflow"]
    # the company's own group running them is still someone else
    other = advisor.read("The company's platform group runs a large GKE estate. My team is 16 people. Which tool?")
    assert other.stated.k8s_engineers is None and other.stated.team_size == 16


def test_twenty_ninth_session_a_client_asked_about_while_our_team_is_known(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("Our company have 3 data scientist, we do forecasting with Excel and Python script, all by hand.")
    client = conv.ask("Our client is big bank with 200 modelers and a Kubernetes platform team. What about them?")
    # "our client" is no claim of ours: the advice is for the bank, the conversation keeps our three people
    assert client.recommendation.primary == "kubeflow"
    assert conv.profile.team_size == 3
    cost = conv.ask("How much it cost for them per year?")
    # "them": the bank, at its size
    assert "Enterprise estimate (200 people)" in cost.answer
    ours = conv.ask("And for us, how much is the MLflow?")
    assert "Small team estimate (10 people)" in ours.answer
    # a browser session rebuilt from its snapshot still knows who "them" is
    restored = Conversation.restore(advisor, conv.snapshot())
    assert restored.their is not None and restored.their.team_size == 200
    # and a Slack thread rebuilt from its transcript
    rebuilt = Conversation.from_history(advisor, [t.model_dump() for t in conv.turns[:4]])
    assert rebuilt.their is not None and rebuilt.their.team_size == 200 and rebuilt.profile.team_size == 3


def test_twenty_ninth_session_a_freeze_supposed_lifted_then_kept(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("We're 28 people and every tool has to come out of a frozen opex budget. No new per-seat "
                     "subscriptions. What should we use?")
    assert first.team_profile.seat_price_sensitive is True and first.recommendation.primary == "mlflow"
    lifted = conv.ask("Suppose the freeze lifts next quarter and per-seat subscriptions are allowed again. "
                      "Does W&B come back into play?")
    # seats may be bought under the what-if: W&B is back
    assert lifted.team_profile.seat_price_sensitive is False and lifted.recommendation.primary == "wandb"
    kept = conv.ask("Realistically it won't lift this year, so let's plan with the freeze in place.")
    # the what-if is over and nothing else is asked: the pick for the team as it is
    assert kept.understanding.intent == "recommend" and kept.understanding.intent_by.startswith("back to the team")
    assert kept.team_profile.seat_price_sensitive is True and kept.recommendation.primary == "mlflow"


def test_twenty_ninth_session_why_not_the_free_one_gets_what_it_costs_beyond_its_licence(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("we're 28 ML engineers, no dedicated infra people. want one place for experiments")
    conv.ask("ok but budget is really tight, per-seat pricing is a no-go for us")
    why = conv.ask("why not kf then, it's free")
    assert why.recommendation.primary == "mlflow" and "kubeflow" in why.recommendation.avoid
    # the objection answered cell by cell: free to license, not free to run
    assert "- Cost Component — License: Kubeflow: Free (open-source)" in why.answer
    assert "- Cost Component — DevOps and platform engineering: Kubeflow: High (often 0.5–1 FTE dedicated)" \
        in why.answer


def test_thirtieth_session_a_fact_said_during_a_what_if_survives_back_to_reality(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("12 person ML team at a retailer, no devops at all. which tool?")
    conv.ask("what if we hired 2 platform engineers who have run k8s in prod?")
    # a fact of the team as it is, which the what-if did not touch
    conv.ask("btw our retraining already runs on a nightly schedule")
    back = conv.ask("ok scrap the hiring idea, back to reality")
    assert back.team_profile.platform_engineers == 0 and back.team_profile.k8s_engineers is None
    assert back.team_profile.maturity == 1 and back.team_profile.team_size == 12
    # a statement of a fact the what-if supposed adopts it: there is nothing to go back to
    adopted = Conversation(advisor)
    adopted.ask("12 person ML team at a retailer, no devops at all. which tool?")
    adopted.ask("what if we hired 2 platform engineers who have run k8s in prod?")
    adopted.ask("we went for it: 3 platform engineers start monday, all of them ran k8s in production before")
    assert adopted.real is None


@pytest.mark.parametrize(("text", "field", "value"), [
    ("We brought on three freelancers in March, so it's nine people using the tool now.", "team_size", 9),
    ("We're a consulting firm of about 14, all doing ML delivery.", "team_size", 14),
    ("Our seed round runway is tight and we're cancelling SaaS subscriptions where we can.",
     "seat_price_sensitive", True),
    ("The CFO keeps complaining about our tooling invoices.", "seat_price_sensitive", True),
    ("budget basically zero, we're a charity", "seat_price_sensitive", True),
    ("Per-seat licences are a tough sell to our procurement office.", "seat_price_sensitive", True),
    ("We used to be on Databricks, but switched to Azure ML last year.", "platform", "azure"),
    ("Our 4-person infra team admins the EKS clusters in prod.", "k8s_engineers", 4),
    ("The SRE crew is 3 strong and has been running our GKE clusters in production for years.", "k8s_engineers", 3),
])
def test_thirtieth_session_own_words_read(advisor, text, field, value) -> None:
    assert getattr(advisor.read(text).stated, field) == value


@pytest.mark.parametrize(("text", "field"), [
    ("- no dedicated MLOps headcount\n- 10 data scientists", "maturity"),
    ("The infra org (separate from us) runs the clusters; we're 9 data scientists.", "platform_engineers"),
    ("Years ago I joined from a hospital; these days we build games, 8 of us.", "regulated"),
])
def test_thirtieth_session_words_that_state_nothing_of_the_field(advisor, text, field) -> None:
    assert getattr(advisor.read(text).stated, field) is None


def test_thirtieth_session_a_move_named_from_one_tool_to_another(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We have 30 seats on W&B Teams and no platform team.")
    move = conv.ask("How hard is moving from W&B to MLflow?")
    assert move.understanding.intent == "migration" and move.understanding.destination == "mlflow"
    # whether to move at all is advice
    assert advisor.read("should we move from W&B to MLflow?").intent == "recommend"
    # "something managed like SageMaker Pipelines": the row's destination the message named is where the talk goes
    kf = Conversation(advisor)
    kf.ask("We run Kubeflow with a 5-person platform team, 40 ML engineers.")
    leave = kf.ask("And if we ever moved from Kubeflow to something managed like SageMaker Pipelines?")
    assert leave.understanding.intent == "migration" and "2 to 4 months" in leave.answer
    assert kf.topic == "sagemaker"


def test_thirtieth_session_a_dimension_named_beside_a_row_gets_its_summary_row(advisor) -> None:
    answer = advisor.ask("is kubeflow open source? and how bad is its lock-in?")
    rows = [line for line in answer.answer.splitlines() if line.startswith("- Lock-in Dimension")]
    assert rows[0].startswith("- Lock-in Dimension — License type: Kubeflow: Apache 2.0")
    assert any(r.startswith("- Lock-in Dimension — Overall lock-in risk: Kubeflow: Low to Medium") for r in rows)


@pytest.mark.parametrize(("text", "field", "value"), [
    # experience short of production counts none
    ("Three of us have played with Kubernetes, but only on minikube for side projects.", "k8s_engineers", 0),
    ("two of the team have used k8s, never in prod though; we're 9", "k8s_engineers", 0),
    # a count said after the group, past a colon
    ("We do have an infra team, mind you: four of them, and they keep our clusters alive.", "platform_engineers", 4),
    # 's before a participle is has: our platform group has run the managed cluster, so the cloud is ours
    ("25 engineers, plus an SRE team that's run AKS in production since 2021.", "platform", "azure"),
    ("Our inference runs partly on racks in our own offices and partly on GCP.", "hybrid_cloud", True),
    ("The Weights & Biases invoice is crushing us.", "seat_price_sensitive", True),
    ("Four of us, writing an agent that triages support tickets.", "llm_first", True),
    ("Most of what we do is traditional churn and propensity modelling.", "llm_first", False),
])
def test_thirty_first_session_own_words_read(advisor, text, field, value) -> None:
    assert getattr(advisor.read(text).stated, field) == value


@pytest.mark.parametrize(("text", "field"), [
    ("Per-user licences are a headache for finance, we're 14 people.", "regulated"),  # the finance office
    ("We're 10; honestly we just love the look of W&B's dashboards.", "current_tools"),
    ("MLflow sales engineers told us the managed version is easy. 7 of us.", "current_tools"),
    ("a migration to mlflow is what we're weighing, 12 people", "current_tools"),
    ("From this week our data sits in Snowflake; 6 of us.", "time_pressure"),
    ("Our bank customers demand SOC 2 reports; we're a 9-person retail analytics shop.", "regulated"),
])
def test_thirty_first_session_words_that_state_nothing_of_the_field(advisor, text, field) -> None:
    assert getattr(advisor.read(text).stated, field) in (None, [])


@pytest.mark.parametrize("text", [
    "experiment tracking tool - any suggestions?",
    "Good day, our group is looking for a software to track our experiments. What do you advise?",
])
def test_thirty_first_session_a_tool_named_by_its_job_is_in_scope(advisor, text) -> None:
    answer = advisor.ask(text)
    assert answer.intent == "recommend" and answer.recommendation.primary


def test_thirty_first_session_follow_ups_ask_what_they_ask(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("80 ML folks, platform crew of 6 running EKS in prod, CI/CD for models. "
                     "what's the total cost of ownership across the three for us?")
    assert first.understanding.intent == "cost" and "$60,000–$200,000+/year" in first.answer
    # the pick asked outright, though its words touch the "Primary function" row
    assert conv.ask("right, and which one should be our backbone?").recommendation.primary == "kubeflow"
    assert conv.ask("as for people, how many FTEs would it need?").understanding.intent == "cost"
    assert conv.ask("in staffing terms, what does it take to keep running?").understanding.intent == "cost"
    # a tool's plan is a fact of the tool or its price, never the pick again
    plan = conv.ask("quick q: which Kubeflow plan covers enterprise support?")
    assert plan.understanding.intent in ("factual", "cost")


def test_thirty_first_session_a_tool_weighed_for_the_team_and_a_regretted_pick(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("Clinical analytics group at a hospital, 6 of us, patient records never leave our servers.")
    fits = conv.ask("the W&B reports look great though... any chance it could still work for us?")
    assert fits.intent == "recommend" and fits.recommendation.primary == "mlflow"
    regret = conv.ask("and suppose we picked W&B anyway and regretted it two years later?")
    assert regret.understanding.intent == "migration"


def test_thirty_first_session_leaving_a_tool_keeps_the_talk_on_it(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We run Kubeflow, 10 people, and our k8s people left.")
    conv.ask("how hard is it to get off Kubeflow?")
    assert conv.topic == "kubeflow"
    way = conv.ask("what about ZenML as an interim step?")
    assert way.understanding.intent == "migration" and "4 to 8 weeks" in way.answer


# Thirty-second session: from the dev halves of writers he and hf (reworded here, not their text).
@pytest.mark.parametrize(("text", "field", "value"), [
    ("25", "team_size", 25),  # a bare head count, the answer to the first thing anyone asks
    ("~14 ppl", "team_size", 14),
    ("we have a single SRE; she has run EKS in production for years.", "k8s_engineers", 1),
    ("We want something the execs can actually understand, not MLflow's raw tables.", "needs_dashboards", True),
    ("our infra group runs the GKE clusters and the Vertex pipelines in production", "maturity", 1),
])
def test_thirty_second_session_own_words_read(advisor, text, field, value) -> None:
    assert getattr(advisor.read(text).stated, field) == value


@pytest.mark.parametrize(("text", "field"), [
    ("2024", "team_size"),  # a lone year counts no one
    ("Three groups, three setups. One team's on W&B, another on a spreadsheet.", "team_size"),
    ("Someone trained the model on Tuesday and by Thursday no one could reproduce it.", "time_pressure"),
    ("honestly the thought of operating Kubernetes ourselves scares me; we're five", "k8s_engineers"),
    ("We're spread over two public clouds on purpose; 30 engineers.", "hybrid_cloud"),
])
def test_thirty_second_session_words_that_state_nothing_of_the_field(advisor, text, field) -> None:
    assert getattr(advisor.read(text).stated, field) in (None, [])


def test_thirty_second_session_trouble_with_runs_is_in_scope_and_a_bare_count_answers_it(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("Nobody can reproduce last month's model; we keep losing track of runs.")
    assert first.intent == "recommend"
    assert conv.ask("15").recommendation.primary == "wandb"  # a growth-stage team: W&B


def test_thirty_second_session_the_main_tool_asked_and_a_tool_off_the_table(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("we're on databricks, 25 data scientists")
    main = conv.ask("ok so which should be our main experiment tracking tool?")
    assert main.understanding.intent == "recommend" and main.recommendation.primary == "mlflow"
    conv = Conversation(advisor)
    conv.ask("Claims modelling at an insurer, eight of us; we need dashboards for the board.")
    off = conv.ask("so Weights & Biases is out of the question?")
    assert off.understanding.intent == "recommend" and off.recommendation.primary == "mlflow"


def test_thirty_second_session_questions_that_ask_a_stack_or_a_feature(advisor) -> None:
    each = advisor.ask("we are 40 people with a platform team. which should we use for tracking, and which for "
                       "orchestration?")
    assert each.understanding.intent == "stack"
    tracks = advisor.ask("does W&B Weave monitor how much our LLM calls are costing?")
    assert tracks.understanding.intent == "factual"


def test_thirty_second_session_a_comparison_quotes_each_tool(advisor) -> None:
    answer = advisor.ask("GitHub stars: W&B versus Kubeflow?")
    assert "9,000" in answer.answer and "14,000" in answer.answer


@pytest.mark.parametrize(("text", "field", "value"), [
    ("Our lab is 7 PhD students + the professor. We need experiment tracking.", "team_size", 8),
    ("me and colleague, side projects, what tracker is simplest?", "team_size", 2),
    ("ML team of 30, infra team 4 people running GKE in prod, pipelines on a schedule.", "platform_engineers", 4),
    ("ML team of 30, infra team 4 people running GKE in prod, pipelines on a schedule.", "k8s_engineers", 4),
    ("We're 12 people. Our migration to Google Cloud is now complete.", "platform", "gcp"),
    ("Our training is split between our own racks and GCP; 40 engineers.", "platform", "gcp"),
    ("Our DevOps function is precisely one person, and we're 9 in all.", "platform_engineers", 1),
    ("we need nightly retraining for a handful of models. ideas?", "needs_orchestration", True),
    ("kubernetes: 3 people with prod experience. devops: 2", "k8s_engineers", 3),
    ("kubernetes: 3 people with prod experience. devops: 2", "platform_engineers", 2),
    ("team's 25, mostly data scientists", "team_size", 25),
    ("8 students + a postdoc, all doing computer vision", "team_size", 9),
    ("3 of us, all former SREs, and we operate GKE in production every day", "k8s_engineers", 3),
    ("6 of us, all analysts, none of us runs k8s anywhere", "k8s_engineers", 0),
    ("Central analytics: 90 modellers and a 5-person platform team that has run AKS in production for years.",
     "k8s_engineers", 5),
    ("Our only DevOps engineer is shared with the mobile team. There are 7 of us doing ML.", "platform_engineers", 0),
    ("we have no devops and budget is tight. which tool?", "seat_price_sensitive", True),
    ("Finance halved our software budget this quarter; 20 data scientists.", "seat_price_sensitive", True),
    ("Management wants us to ditch per-seat licences where we can. We're 12.", "seat_price_sensitive", True),
    ("We're 12 people. Update: our migration to GCP is done.", "platform", "gcp"),
    ("Their security team has already approved private cloud deployments for SaaS tools; 9 analysts at a bank.",
     "private_cloud_ok", True),
])
def test_thirty_third_session_own_words_read(advisor, text, field, value) -> None:
    assert getattr(advisor.read(text).stated, field) == value


@pytest.mark.parametrize(("text", "field"), [
    ("so between mlflow and w&b for us, which one? we need sweeps", "current_tools"),
    ("A sales rep told us W&B has a HIPAA BAA. We're a clinic with 10 analysts.", "current_tools"),
    ("Two senior DevOps engineers joined this week; 16 of us in total.", "time_pressure"),
    ("our only SRE handed in his notice and his last day was Friday", "time_pressure"),
    ("we'll be 15 by summer (funding closed)", "seat_price_sensitive"),
    ("kubernetes: 3 people with prod experience. devops: 2", "team_size"),
    ("we're big fans of kubernetes. is kubeflow right for us?", "k8s_engineers"),
])
def test_thirty_third_session_words_that_state_nothing_of_the_field(advisor, text, field) -> None:
    assert getattr(advisor.read(text).stated, field) in (None, [])


def test_thirty_third_session_the_one_kubernetes_person_is_not_the_team(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We are 6 ML engineers and there is no DevOps at all. Kubeflow?")
    later = conv.ask("I ran EKS in production at my old job, so I'm the one Kubernetes person here now.")
    assert later.team_profile.team_size == 6 and later.team_profile.k8s_engineers == 1


def test_thirty_third_session_a_lock_in_question_states_no_stance(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 50 in ML, 60 production pipelines, and a 5-person platform team runs Kubernetes in production.")
    asked = conv.ask("If we go all in on Kubeflow, how locked in are we?")
    assert asked.team_profile.lock_in_averse is None


def test_thirty_third_session_who_owns_what_asks_a_stack_and_a_cost_answer_quotes_the_free_tier(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 11 ML engineers, nobody on infra, and we need proper DAG orchestration.")
    owns = conv.ask("so airflow + mlflow then? who owns what")
    assert owns.understanding.intent == "stack"
    conv = Conversation(advisor)
    conv.ask("We're a lab of 10 researchers and need reports for our funders. Which tool?")
    free = conv.ask("is it free for us? how is the free tier")
    assert "free tier usage limits are too restrictive" in free.answer


def test_thirty_third_session_a_share_or_a_figure_the_article_gives_is_asked_of_it(advisor) -> None:
    share = advisor.ask("what % of ML projects never reach production, per that VentureBeat number")
    assert share.intent == "factual" and "87%" in share.answer
    market = advisor.ask("Quick one for a board slide: how big does the article say the MLOps market will get?")
    assert market.intent == "factual" and "$12.8 billion by 2030" in market.answer


def test_thirty_third_session_a_short_ask_for_the_pick_goes_on_with_the_conversation(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("what would these tools cost a team of 12?")
    pick = conv.ask("ok which one for us then?")
    assert pick.intent == "recommend" and pick.recommendation.primary is not None
    conv = Conversation(advisor)
    conv.ask("18 people on W&B; we want a proper registry with staging. What should we pair it with?")
    again = conv.ask("no orchestration needed, just manual runs")
    assert again.understanding.intent == "recommend"
    assert conv.ask("btw can you write me a haiku about GPUs").intent == "out_of_scope"


# Thirty-fourth session: each case rewords a dev miss of the hk / hl writers (jargon-heavy paragraphs, pasted
# tables and requirement lists, hedged what-ifs, a what-if taken back).
@pytest.mark.parametrize(("text", "field", "value"), [
    ("40 of us, a 4-person SRE team who all ran EKS at earlier jobs, and the ranking models already retrain "
     "nightly through Airflow.", "maturity", 1),
    ("Ten of us, GKE-based fraud team, nobody does infra.", "platform", "gcp"),
    ("We ship from an Azure-only estate; 14 data scientists.", "platform", "azure"),
    ("Our fine-tuning runs on scheduled pipelines and we're 30 engineers.", "maturity", 1),
    ("Experiments are still launched by hand by whoever is around. Six of us.", "maturity", 0),
    ("honestly we just run pandas notebooks and paste charts into slides, 4 people", "maturity", 0),
    ("12 of us; we want solid tracking for sweeps and something the board can actually look at.",
     "needs_dashboards", True),
    ("We're 9 and have used self-hosted MLflow for three years for our churn models.", "current_tools", ["mlflow"]),
    ("Eleven ML engineers, and a baker's dozen by spring.", "team_size", 13),
    ("Our platform engineer is also our one-person DevOps function; 7 of us in total.", "platform_engineers", 1),
    ("We looked at LLM work and decided against it; we're staying with classical computer vision.", "llm_first", False),
    ("A 4-person infra team runs our production Kubernetes. 30 of us do ML.", "k8s_engineers", 4),
    ("| Item | Value |\n|---|---|\n| ML headcount | eighteen |\n| Platform engineers | 2 |", "team_size", 18),
    ("| Item | Value |\n|---|---|\n| ML headcount | eighteen |\n| Platform engineers | 4 |", "platform_engineers", 4),
    ("R-1: The solution SHALL run entirely inside our own network boundary.", "data_on_prem", True),
])
def test_thirty_fourth_session_own_words_read(advisor, text, field, value) -> None:
    assert getattr(advisor.read(text).stated, field) == value


def test_thirty_fourth_session_the_one_who_has_run_kubernetes_is_not_the_team(advisor) -> None:
    said = "We run AKS, and only one engineer (me) has actually operated Kubernetes in production."
    stated = advisor.read(said).stated
    assert stated.team_size is None and stated.k8s_engineers == 1


def test_thirty_fourth_session_a_hedged_what_if_applies_and_one_taken_back_does_not(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 10 data scientists, no platform engineers, and we want dashboards for the execs. Which tool?")
    grown = conv.ask("we may grow to 26 next year, still the right call?")
    assert grown.team_profile.team_size == 26
    conv = Conversation(advisor)
    conv.ask("We're a 14-person startup on AWS with no DevOps hire. Which tool?")
    conv.ask("what if we got bought by an insurer and the data could not leave their data centre")
    back = conv.ask("ok forget the insurer thing, not happening. back to reality: what would it cost us?")
    assert back.team_profile.regulated is None and back.team_profile.data_on_prem is None


def test_thirty_fourth_session_a_counted_platform_team_is_not_lowered_by_naming_it(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 30 researchers and four of us form a dedicated platform team running production Kubernetes.")
    again = conv.ask("Kubeflow then, since the platform team already runs Kubernetes?")
    assert again.team_profile.platform_engineers == 4


def test_thirty_fourth_session_the_pick_not_the_teams_platform_is_the_next_subject(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 15 on GCP (Vertex AI for batch jobs), 3 engineers ran GKE in production, one dedicated DevOps "
             "engineer, retraining runs nightly on a cron, and orchestration is the core need. What should we use?")
    assert conv.topic in ("kubeflow", "mlflow", "wandb")


def test_thirty_fourth_session_a_tool_said_possible_at_all_of_a_dimension_asks_the_fact(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("Regulated bank, data can't leave our data centre, 5 analysts, nobody knows Kubernetes. Which tool?")
    asked = conv.ask("W&B self-hosted on-prem, possible at all?")
    assert asked.understanding.intent == "factual"


def test_thirty_fourth_session_a_feature_asked_across_the_tools_after_a_move_is_a_fact(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 8 people on self-hosted MLflow and now build RAG chatbots. Should we switch?")
    conv.ask("what's the migration effort from what we have?")
    asked = conv.ask("scoring multi-turn chats in particular, which of them does that?")
    assert asked.understanding.intent == "factual"


# Thirty-fifth session: each case rewords a dev miss of the hm / hn writers (bare replies to the advice, pasted
# forms and JSON cards, stories, a what-if that fell through, other offices' tools).
@pytest.mark.parametrize(("text", "field", "value"), [
    ("7 of us, models are all classical (credit scoring, churn).", "llm_first", False),
    ("We are about 16, all doing classical demand and pricing models on AWS.", "llm_first", False),
    ("kubeflow or mlflow for a 14-person speech recognition team? we're on gcp, nobody does devops",
     "team_size", 14),
    ("Every release goes out via our GitLab pipelines CI/CD with scheduled retraining; 20 of us.", "maturity", 2),
    ("Lock-in is not really something we worry about; 12 engineers.", "lock_in_averse", False),
    ("Vendor questionnaire:\n\nteam:\n  ml_engineers: 9\n  platform_engineers: 0\n  cloud: aws", "team_size", 9),
    ('Our wiki card: {"squad": "fraud-ml", "members": 31, "cloud": "azure", "devops": 0}', "team_size", 31),
    ('Our wiki card: {"squad": "fraud-ml", "members": 31, "cloud": "azure", "devops": 0}', "platform_engineers", 0),
    ("Team profile:\n- size: 6\n- tracking: mlflow\n- cloud: gcp", "current_tools", ["mlflow"]),
    ("Is the W&B registry any good? We're six people and already running it for sweeps.", "current_tools",
     ["wandb"]),
    ("We're north of 50 data scientists across three sites.", "team_size", 50),
    ("Team of 8, so the seat price isn't a big deal for us.", "seat_price_sensitive", False),
    ("Licences for the whole team would blow our budget; 30 of us.", "seat_price_sensitive", True),
    ("Hiring notes. Nice to have: production Kubernetes experience. The ML team is 14.", "k8s_engineers", None),
    ("At the moment just one person on the team has production Kubernetes experience.", "platform_engineers", None),
    ("We're 7; how many Kubernetes people would we need for Kubeflow?", "k8s_engineers", None),
    ("We are still undecided. What would a team like ours go for? Good docs matter most.", "team_size", None),
])
def test_thirty_fifth_session_own_words_read(advisor, text, field, value) -> None:
    assert getattr(advisor.read(text).stated, field) == value


def test_thirty_fifth_session_advice_for_a_team_like_ours_is_in_scope(advisor) -> None:
    said = "We are still undecided. What would a team like ours go for? Good docs matter most."
    answer = Conversation(advisor).ask(said)
    assert answer.intent == "recommend" and answer.recommendation is not None


def test_thirty_fifth_session_another_offices_tools_are_not_ours(advisor) -> None:
    stated = advisor.read("Our colleagues in the Berlin office run Kubeflow on GKE. We're 9 on notebooks.").stated
    assert not stated.current_tools and stated.platform is None and stated.team_size == 9


def test_thirty_fifth_session_a_bare_reply_answers_what_the_question_asked(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("we're leaning towards kubeflow for our 14-person team, does the platform team side matter?")
    assert conv.ask("zero").team_profile.platform_engineers == 0
    conv = Conversation(advisor)
    conv.ask("does it matter how many of us know kubernetes? we're 10")
    assert conv.ask("just one").team_profile.k8s_engineers == 1
    conv = Conversation(advisor)
    conv.ask("we run the ML group at a clinic chain, which tool should we pick")
    assert conv.ask("strictly on-premises").team_profile.data_on_prem is True


def test_thirty_fifth_session_a_bare_count_with_nothing_asked_states_nothing(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("which tool is best for experiment tracking?")
    assert conv.ask("none").team_profile.platform_engineers is None


def test_thirty_fifth_session_a_what_if_that_fell_through_is_dropped(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("4-person agency building LLM copilots for clients, which tool?")
    conv.ask("hypothetically, if a hospital contract made us a regulated business, what then?")
    back = conv.ask("forget it, the contract fell through. back to normal")
    assert back.team_profile.regulated is None


def test_thirty_fifth_session_a_new_dimension_is_not_the_previous_question_again(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 8, nobody runs Kubernetes, and we need scheduled end-to-end pipelines. What should we use?")
    conv.ask("what does mlflow cost for 8 people")
    conv.ask("and kubeflow for the same team?")
    asked = conv.ask("what about Metaflow for the pipelines?")
    assert asked.understanding.intent == "factual"


def test_thirty_fifth_session_a_tool_put_forward_and_ruled_out_is_answered_in_the_articles_words(advisor) -> None:
    article = (Path(__file__).parents[1] / "corpus" / "mlflow-kubeflow-wandb-comparison.txt").read_text()
    conv = Conversation(advisor)
    conv.ask("we need a demo for the board by next friday, 4 of us")
    answer = conv.ask("what about kubeflow, our head of data is a fan")
    first = answer.answer.split("\n\n")[1]
    assert first.startswith("You asked about Kubeflow")
    n = int(first.rsplit("[", 1)[1].rstrip("]"))
    quote = next(c.quote for c in answer.citations if c.n == n)
    assert f"“{quote}”" in first and quote in article
    assert "results in days" in first  # the reason the team's own facts give, not an assumed one
    kept = Conversation(advisor).ask("We're 4 people, nobody knows Kubernetes. Should we use MLflow?")
    assert "You asked about" not in kept.answer  # the pick itself is not argued against


# Thirty-sixth session: each case rewords a dev miss of the ho / hp writers (the tools a question counts, a
# constraint denied, a range of people doing ML, a form's bracketed field, a story's one Kubernetes person, a
# deadline lifted).
@pytest.mark.parametrize(("text", "field", "value"), [
    ("all on GCP, none of our data needs to stay on-prem", "data_on_prem", False),
    ("Roughly 8 to 12 of us build models, if you count the part-timers.", "team_size", 12),
    ("What matters to us is never getting tied to one vendor again.", "lock_in_averse", True),
    ("From our RFP:\n\n  sector: retail bank\n  hosting: cloud is fine\n  team size (ML): 17\n  dashboards: nice to "
     "have", "team_size", 17),
    ("Sixteen of us log runs to the tracker every day (it's W&B, hosted by us on a VM).", "current_tools", ["wandb"]),
    ("Omar, the only one here who'd run Kubernetes in production at his old place, left in May. We're 6; "
     "the rest have only used kind locally.", "k8s_engineers", 1),
    ("We need to demo the first model to the execs in 4 days, can we make it?", "needs_dashboards", None),
    ("We need to demo the first model to the execs in 4 days, can we make it?", "time_pressure", True),
    ("Update: the launch was postponed, leadership has given us three months.", "time_pressure", False),
    ("if we outgrow it and need pipeline orchestration later on, what would that take?", "needs_orchestration",
     None),
    ("do any of us know k8s? two, kind of - one ran GKE in production, the other only did a course",
     "platform", None),
    ("do any of us know k8s? two, kind of - one ran GKE in production, the other only did a course",
     "k8s_engineers", 1),
])
def test_thirty_sixth_session_own_words_read(advisor, text, field, value) -> None:
    assert getattr(advisor.read(text).stated, field) == value


def test_thirty_sixth_session_the_tools_a_question_counts_are_no_head_count(advisor) -> None:
    # "these three" counts the tools; the team asked about is supposed, as any team a question is about
    read = advisor.read("Which of the three would a group of 28 be best off with?")
    assert read.stated.team_size is None and read.supposed.team_size == 28


def test_thirty_sixth_session_the_first_one_and_the_latter_are_the_tools_named_in_that_order(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("we're weighing w&b against mlflow for 15 people, no k8s skills, no platform team")
    first = conv.ask("what is the first one strongest at?")
    assert first.understanding.intent == "factual" and conv.topic == "wandb"
    conv.ask("and the latter?")
    assert conv.topic == "mlflow"


def test_thirty_sixth_session_a_shrunk_platform_group_takes_its_kubernetes_people_with_it(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("60 ML engineers on GCP, and a platform group of 6 that runs our GKE clusters in production")
    after = conv.ask("actually the platform group is down to 2, the others moved teams")
    assert after.team_profile.platform_engineers == 2 and after.team_profile.k8s_engineers == 2
    said = next(e for e in after.profile_evidence if e.field == "k8s_engineers")
    assert said.how == "correction" and "6" in said.detail


def test_thirty_sixth_session_the_effort_of_adding_a_tool_is_the_additive_migration(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're 20 on Azure and track everything in MLflow already.")
    asked = conv.ask("how much work would it be to bolt Kubeflow onto our MLflow later?")
    assert asked.understanding.intent == "migration" and "2 to 4 weeks" in asked.answer


def test_thirty_sixth_session_a_past_jobs_tool_does_not_make_the_question_uncovered(advisor) -> None:
    said = ("Some context: before joining I spent years at an agency building Looker dashboards. Now I lead 5 "
            "engineers shipping LLM features. Where do we begin with tooling?")
    assert advisor.read(said).intent == "recommend"


def test_thirty_sixth_session_doing_what_others_do_is_not_a_combination(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We're a 9-person analytics team at a bank.")
    asked = conv.ask("The fraud team upstairs loves W&B. Should we just do what they do?")
    assert asked.understanding.intent == "recommend"


# Thirty-seventh session: each case rewords a dev miss of the hq writer (a need described after "our pain
# is", our own work in the present after a past job, a question with no question mark, worth judged on money,
# the move quoted last, a move back into a tool).
@pytest.mark.parametrize(("text", "field", "value"), [
    ("The biggest headache is scheduling: retraining the ranker and refreshing features every night. "
     "11 of us.", "maturity", None),
    ("The biggest headache is scheduling: retraining the ranker and refreshing features every night. "
     "11 of us.", "needs_orchestration", True),
    ("Two of ours operated EKS in production at a former employer, but frankly our training is all manual "
     "notebook runs.", "maturity", 0),
    ("We're 12. Scheduling is already covered by the data engineering team's Prefect; we need tracking and a "
     "registry.", "needs_orchestration", False),
    ("what should we go with, for me and a coworker? zero budget for licences", "team_size", 2),
    # of two clauses that name the platform group, the one that counts it
    ("We're a platform-mature enterprise, 150 people in ML, with serious DevOps muscle (7 engineers operating "
     "our GKE).", "platform_engineers", 7),
    # the whole a group is counted among is not the group
    ("31 of us build models, and an infra crew of 4 among those 31 operates our production EKS clusters.",
     "k8s_engineers", 4),
])
def test_thirty_seventh_session_own_words_read(advisor, text, field, value) -> None:
    assert getattr(advisor.read(text).stated, field) == value


@pytest.mark.parametrize(("setup", "question"), [
    # a question put after its setup, with no question mark
    ("We use W&B already, team of 9.", "ok so for 20 seats what would that come to per year"),
    # worth judged on money alone
    ("Everything we do is on Databricks; about 25 data scientists, no platform engineers.",
     "would layering W&B over that be worth it financially for 25 seats?"),
])
def test_thirty_seventh_session_cost_asked_after_the_team(advisor, setup, question) -> None:
    conv = Conversation(advisor)
    conv.ask(setup)
    assert conv.ask(question).understanding.intent == "cost"


def test_thirty_seventh_session_the_move_is_the_one_quoted_last(advisor) -> None:
    conv = Conversation(advisor)
    first = conv.ask("We're 12 people on W&B and the seat bill hurts. How hard is it to migrate to MLflow?")
    assert first.migration == "W&B to MLflow"
    conv.ask("honestly, is that the right call for a team like ours?")
    later = conv.ask("and what gets lost in the migration?")
    assert later.migration == "W&B to MLflow" and "data loss" in later.answer


def test_thirty_seventh_session_a_move_back_into_a_tool_goes_to_it(advisor) -> None:
    conv = Conversation(advisor)
    conv.ask("We run MLflow for 18 people.")
    back = conv.ask("suppose we tried W&B for a year and then wanted to come back to MLflow, what would we lose?")
    assert back.migration is not None and back.migration.startswith("W&B to")
