"""False premises in questions are corrected with the source's own words, and true ones are left alone."""

from __future__ import annotations

import pytest

from advisor.corpus_data import Vocabulary
from advisor.premises import Premises
from advisor.service import Advisor
from advisor.settings import Settings


@pytest.fixture(scope="module")
def premises(corpus_dir) -> Premises:
    return Premises.load(corpus_dir)


@pytest.fixture(scope="module")
def vocab(corpus_dir) -> Vocabulary:
    return Vocabulary.load(corpus_dir)


def test_every_premise_quote_is_verbatim_in_its_chunk(premises, parsed):
    chunks = {c.id: c for c in parsed.chunks}
    facts = [f for claim in premises.claims for f in claim.facts.values()]
    assert len(facts) >= 7
    for fact in facts:
        assert fact.cite.quote in chunks[fact.cite.chunk].text, fact.cite


@pytest.mark.parametrize(("question", "expected"), [
    ("Since Kubeflow was built at Netflix, is it good for streaming teams?", [("kubeflow", "origin")]),
    ("MLflow is proprietary software from Microsoft, right?", [("mlflow", "origin"), ("mlflow", "licence")]),
    ("W&B charges $5 per seat, so it's the cheapest option?", [("wandb", "seat-price")]),
    ("Weights and Biases was founded by Andrew Ng?", [("wandb", "origin")]),
    ("MLflow was built by Databricks, right?", []),
    ("Kubeflow, originally developed at Google, is it hard to run?", []),
    ("Is MLflow open-source?", []),
    ("W&B costs $50 per user, is that per month?", []),
    ("We use MLflow built in Python and developed by a small team", []),
    ("Our tool was built at Netflix", []),  # no tool the premises know about
    ("Given that Kubeflow started life at Databricks, does it plug into our workspace?", [("kubeflow", "origin")]),
    # claims of no one tool: said of all three, or of a stack pattern
    ("Since all three ship audit-ready compliance out of the box, which is quickest to sign off?",
     [("any", "audit-ready")]),
    ("None of them is audit-ready out of the box, so what do we add?", []),
    ("The Lightweight Hybrid is the most common pattern at big companies, so should we copy it?",
     [("any", "most-common-pattern")]),
    ("The Research-to-Production Bridge is the most common pattern, so should we copy it?", []),
    ("kubeflow's tracking UI is the nicest of the three, so can managers use it?", [("any", "dashboards-leader")]),
    ("MLflow's UI is not the best, so what do we add for dashboards?", []),
    ("MLflow only got LLM tracking in v3.0, so must we upgrade from 2.9?", [("mlflow", "llm-tracking-version")]),
    ("we'll run prod on the w&b free tier since the limits are plenty for production", [("wandb",
                                                                                        "free-tier-production")]),
    # a paid licence said of an open-source tool, however it is put; W&B's enterprise licence is real
    ("Our procurement team is pricing the Google licence that Kubeflow needs per cluster.", [("kubeflow", "licence")]),
    ("our finance guy says kubeflow's enterprise licence runs about $15k a year", [("kubeflow", "licence")]),
    ("how much is a W&B enterprise license for 200 people?", []),
    ("I heard Kubeflow only really runs on GKE because it's a Google thing", [("kubeflow", "runs-only-on")]),
])
def test_contradictions_found_only_where_the_source_disagrees(premises, vocab, question, expected):
    found = premises.contradictions(question, vocab)
    assert [(c.tool, c.claim) for c in found] == expected


def test_answer_opens_with_the_correction_and_cites_it(index, settings):
    advisor = Advisor(Settings(paths=settings.paths.model_dump(), llm={"mode": "none"}))
    answer = advisor.ask("Since Kubeflow was built at Netflix, which teams is it good for?")
    first = answer.answer.split("\n\n")[0]
    assert "Originally developed at Google" in first and "[1]" in first
    assert answer.citations[0].chunk_id.endswith("kubeflow-production-ml-pipeline-orchestr/prose-2")
    assert "Netflix" not in first
    plain = advisor.ask("Kubeflow was originally developed at Google; which teams is it good for?")
    assert "Not quite" not in plain.answer
