"""Rules as data: every quote verbatim in its chunk, every rule reachable, decisions as the article says."""

from __future__ import annotations

import pytest

from advisor.corpus_data import Vocabulary
from advisor.profile import CORE_TOOLS
from advisor.profile import TeamProfile as P
from advisor.rules import Doubt, Engine, RuleBook


@pytest.fixture(scope="module")
def book(corpus_dir) -> RuleBook:
    return RuleBook.load(corpus_dir)


@pytest.fixture(scope="module")
def engine(book) -> Engine:
    return Engine(book)


def test_the_core_tools_have_one_home(book, corpus_dir):
    """The typed profile's tool ids (advisor.profile.CORE_TOOLS) are the corpus's core tools, and every tool a
    rule scores or rules out is one of them."""
    vocab = Vocabulary.load(corpus_dir)
    assert tuple(t.id for t in vocab.tools if t.role == "core") == CORE_TOOLS
    assert {t for rule in book.rules for t in [*rule.effects, *rule.avoid]} <= set(CORE_TOOLS)


def test_every_citation_is_verbatim_in_its_chunk_and_the_corpus(book, parsed, corpus_dir):
    chunks = {c.id: c for c in parsed.chunks}
    source = (corpus_dir / "mlflow-kubeflow-wandb-comparison.txt").read_text(encoding="utf-8")
    citations = book.citations()
    assert len(citations) >= 60
    for c in citations:
        assert c.chunk in chunks, c.chunk
        assert c.quote in chunks[c.chunk].text, (c.chunk, c.quote)
        assert c.quote in source


def test_rule_families_cover_the_article(book):
    families = {r.family for r in book.rules}
    assert {"screening", "archetype", "when-not", "llm", "lock-in", "cost", "platform", "migration"} <= families
    archetype_rows = {r.cite.chunk.rsplit("/", 1)[-1] for r in book.rules if r.family == "archetype"
                      and "/table-1/" in r.cite.chunk}
    assert archetype_rows == {f"row-{i}" for i in range(1, 7)}
    screening = {r.cite.chunk for r in book.rules if r.family == "screening"}
    assert len(screening) == 4
    when_not = {r.cite.chunk for r in book.rules if r.family == "when-not"}
    assert len(when_not) == 3  # the MLflow, Kubeflow and W&B lists
    assert {s.pattern for s in book.stacks} == {
        "Research-to-Production Bridge", "Databricks-Native Stack", "Kubernetes-Native Enterprise Stack",
        "Lightweight Hybrid", "On-Premises Regulated Stack"}
    assert [b.band for b in book.cost_bands] == ["small", "growth", "enterprise"]


SCENARIOS = {
    # name: (profile, assume defaults, primary, must be in avoid, stack or None to skip)
    "solo": (P(team_size=3), True, "mlflow", ["kubeflow"], "Lightweight Hybrid"),
    "growth": (P(team_size=12), True, "wandb", ["kubeflow"], "Lightweight Hybrid"),
    # platform-mature with strong DevOps: the Kubernetes-native stack; the bridge needs distinct research and
    # platform functions ("who it fits")
    "enterprise": (P(team_size=60, platform_engineers=3, maturity=2, k8s_engineers=4), True, "kubeflow", [],
                   "Kubernetes-Native Enterprise Stack"),
    "research-and-platform": (P(team_size=45, research_split=True, platform_engineers=4, k8s_engineers=4,
                                maturity=1), True, "kubeflow", [], "Research-to-Production Bridge"),
    "regulated": (P(team_size=30, regulated=True, data_on_prem=True, k8s_engineers=3, platform_engineers=2,
                    maturity=1), True, "kubeflow", ["wandb"], "On-Premises Regulated Stack"),
    "regulated-generic": (P(regulated=True), False, "kubeflow", ["wandb"], "On-Premises Regulated Stack"),
    "regulated-no-k8s": (P(team_size=8, regulated=True, k8s_engineers=0), True, "mlflow", ["kubeflow", "wandb"], None),
    # a private cloud makes W&B acceptable to a regulated team, but the regulated row decides first: MLflow
    "regulated-private-cloud-llm": (P(team_size=12, regulated=True, private_cloud_ok=True, llm_first=True,
                                      k8s_engineers=0), True, "mlflow", ["kubeflow"], None),
    "llm": (P(team_size=8, llm_first=True), True, "wandb", ["kubeflow"], "Lightweight Hybrid"),
    "llm-serving": (P(team_size=40, llm_first=True, serves_large_models=True, k8s_engineers=4,
                      platform_engineers=3, maturity=1), True, "wandb", [], None),
    "research-lab": (P(team_size=15, needs_dashboards=True), True, "wandb", ["kubeflow"], None),
    "operationally-small": (P(team_size=25, platform_engineers=0), True, "wandb", ["kubeflow"], None),
    "databricks": (P(team_size=30, platform="databricks"), True, "mlflow", ["kubeflow"], "Databricks-Native Stack"),
    "orchestration-no-k8s": (P(team_size=10, needs_orchestration=True, k8s_engineers=0), True, "mlflow",
                             ["kubeflow"], None),
    "orchestration-k8s": (P(team_size=30, needs_orchestration=True, k8s_engineers=3, platform_engineers=2,
                            maturity=1), True, "kubeflow", [], None),
    "lock-in": (P(team_size=12, lock_in_averse=True), True, "mlflow", ["kubeflow"], None),
    "on-wandb": (P(team_size=12, current_tools=["wandb"]), True, "wandb", [], None),
    "seat-budget-large": (P(team_size=45, seat_price_sensitive=True, platform_engineers=0), True, "mlflow",
                          ["kubeflow", "wandb"], None),
    "azure": (P(team_size=4, platform="azure"), True, "mlflow", ["kubeflow"], None),
    "gcp-enterprise": (P(team_size=80, platform="gcp", platform_engineers=4, k8s_engineers=5, maturity=2), True,
                       "kubeflow", [], None),
    "aws-hybrid": (P(team_size=3, platform="aws", hybrid_cloud=True, time_pressure=True), True, "mlflow",
                   ["kubeflow"], None),
    "solo-dashboards": (P(team_size=4, needs_dashboards=True), True, "wandb", ["kubeflow"], None),
    # the LLM-first row names MLflow for Databricks teams
    "large-databricks-llm": (P(team_size=150, platform="databricks", llm_first=True, platform_engineers=0), True,
                             "mlflow", ["kubeflow"], "Databricks-Native Stack"),
    "current-mlflow": (P(team_size=50, current_tools=["mlflow", "kubeflow"], platform_engineers=2, maturity=1,
                         k8s_engineers=3), True, "kubeflow", [], None),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_decisions(engine, name):
    profile, assume, primary, avoid, stack = SCENARIOS[name]
    d = engine.decide(profile, assume=assume)
    assert d.recommendation.primary == primary, [(s.tool, s.score) for s in d.scores]
    assert set(avoid) <= set(d.recommendation.avoid)
    assert primary not in d.recommendation.avoid
    if stack:
        assert d.recommendation.stack_pattern == stack
    for s in d.scores:
        assert s.score == pytest.approx(sum(c.delta for c in s.reasons))


def test_every_rule_fires_in_some_scenario(engine, book):
    fired = set()
    for profile, assume, *_ in SCENARIOS.values():
        fired |= set(engine.decide(profile, assume=assume).fired)
    assert {r.id for r in book.rules} - fired == set()


def test_conflict_is_explained(engine):
    d = engine.decide(P(team_size=8, regulated=True, k8s_engineers=0))
    assert [c.id for c in d.conflicts] == ["regulated-without-kubernetes"]


def test_unknown_facts_become_assumptions_and_hinges(engine):
    d = engine.decide(P())
    assert d.recommendation.confidence == "low"
    assert {h.field for h in d.hinges} >= {"team_size"}
    generic = engine.decide(P(regulated=True), assume=False)
    k8s = [h for h in generic.hinges if h.field == "k8s_engineers"]
    assert k8s and k8s[0].value == 0 and k8s[0].primary_would_be == "mlflow"
    assert not generic.assumptions
    big = engine.decide(P(team_size=40, platform_engineers=2))
    assert any(a.field == "maturity" and a.matters for a in big.assumptions)


def test_cost_band_by_team_size(engine):
    assert engine.decide(P(team_size=10)).cost.band == "small"
    assert engine.decide(P(team_size=50)).cost.band == "growth"
    assert engine.decide(P(team_size=400)).cost.band == "enterprise"
    assert engine.decide(P()).cost is None


def test_a_broken_rule_file_is_a_clear_error(tmp_path, corpus_dir):
    from advisor.errors import CorpusError

    text = (corpus_dir / "rules.yaml").read_text(encoding="utf-8").replace("family: screening", "family: vibes", 1)
    (tmp_path / "rules.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match="invalid rules.yaml"):
        RuleBook.load(tmp_path)


def test_a_pick_one_unstated_fact_from_being_ruled_out_is_conditional(engine):
    # 35 people with no platform engineer: W&B, but the article rules it out for a budget-constrained team of
    # more than 20, and the budget was not stated
    d = engine.decide(P(team_size=35, platform_engineers=0, k8s_engineers=0))
    assert d.recommendation.primary == "wandb" and d.recommendation.confidence == "low"
    first = d.hinges[0]
    assert first.field == "seat_price_sensitive" and first.decides and first.doubt is None
    assert first.primary_would_be == "mlflow" and "per-seat" in first.unless
    # said either way, the condition is settled: no "unless"
    for budget in (True, False):
        settled = engine.decide(P(team_size=35, platform_engineers=0, k8s_engineers=0, seat_price_sensitive=budget))
        assert not any(h.field == "seat_price_sensitive" and h.decides for h in settled.hinges)
    assert engine.decide(P(team_size=35, seat_price_sensitive=True, platform_engineers=0)).recommendation.primary \
        == "mlflow"
    # a "don't" that any unstated fact could trigger (data that must stay in-house) is not made a condition
    small = engine.decide(P(team_size=12, platform_engineers=0, k8s_engineers=0))
    assert not any(h.field == "data_on_prem" and h.decides for h in small.hinges)


def test_a_half_said_fact_makes_the_pick_conditional_but_never_moves_it(engine):
    doubt = Doubt(field="data_on_prem", value=True, words="our records should really stay with us")
    plain = engine.decide(P(team_size=12, platform_engineers=0, k8s_engineers=0))
    doubted = engine.decide(P(team_size=12, platform_engineers=0, k8s_engineers=0), doubts=[doubt])
    assert doubted.recommendation.primary == plain.recommendation.primary == "wandb"
    first = doubted.hinges[0]
    assert first.field == "data_on_prem" and first.doubt == doubt.words and first.primary_would_be == "mlflow"
    assert doubted.recommendation.confidence == "low"
    # a doubt about a fact that rules nothing out for this pick changes nothing
    idle = engine.decide(P(team_size=12, platform_engineers=0, k8s_engineers=0),
                         doubts=[Doubt(field="time_pressure", value=True, words="soonish")])
    assert idle.hinges == plain.hinges
