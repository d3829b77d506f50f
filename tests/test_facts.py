"""Facts from the article's tables, cell by cell: the fact table built from the ingested chunks (and from
any table in a document dropped into the corpus), questions answered from the right row with the asked
tool's cell first, premises a cell contradicts corrected (and true ones left alone), and a question about a
dimension the article lacks never answered with a neighbouring cell. The held-out fact and premise sets are
scored in test_eval."""

from __future__ import annotations

import shutil

import pytest

from advisor.chunks import load_corpus
from advisor.corpus_data import Vocabulary
from advisor.errors import CorpusError
from advisor.fact_table import FactTable, TableReaderConfig, load_config
from advisor.service import Advisor


@pytest.fixture(scope="module")
def advisor(index, settings) -> Advisor:
    return Advisor(settings.model_copy(update={"llm": settings.llm.model_copy(update={"mode": "none"})}))


def _opening(answer) -> str:
    return answer.answer.split("\n\n")[0]


# ---- the table --------------------------------------------------------------------------------------------

def test_every_table_row_becomes_cells_citing_the_verbatim_row(advisor, parsed) -> None:
    table = advisor.fact_table
    rows = [c for c in parsed.chunks if c.kind == "table-row"]
    assert len(table.rows) == len(rows) > 50
    for cell in table.cells():
        chunk = advisor.retriever.chunk(cell.chunk)
        assert cell.row in chunk.text and cell.value in cell.row
    assert table.cell("wandb", "On-premises deployment").value == "Enterprise tier only"
    assert table.cell("kubeflow", "DevOps and platform engineering").value == "High (often 0.5–1 FTE dedicated)"
    assert table.cell("zenml", "Weakest At").value == "Tracking depth and visualization"  # a table of things


def test_a_table_in_a_dropped_in_document_becomes_facts(tmp_path, corpus_dir) -> None:
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    (tmp_path / "corpus" / "extra.md").write_text(
        "# Support hours\n\nHow each vendor answers tickets.\n\n"
        "| Support hours | MLflow | Kubeflow | W&B |\n|---|---|---|---|\n"
        "| Weekend support | Community forum | Community forum | Enterprise tier only |\n", encoding="utf-8")
    vocab = Vocabulary.load(tmp_path / "corpus")
    table = FactTable.from_chunks(load_corpus(tmp_path / "corpus", vocab).chunks, vocab)
    assert table.cell("wandb", "Weekend support").value == "Enterprise tier only"
    assert table.cell("mlflow", "Weekend support").value == "Community forum"


def test_a_typo_in_the_table_data_file_fails_naming_the_file_and_field(tmp_path) -> None:
    bad = tmp_path / "fact_table.yaml"
    bad.write_text("floor: high\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"fact_table\.yaml: floor"):
        load_config(bad)
    assert isinstance(load_config(), TableReaderConfig)


# ---- questions answered from a cell ----------------------------------------------------------------------

@pytest.mark.parametrize(("question", "first", "contains"), [
    ("can we run W&B on-prem?", "Weights & Biases: Enterprise tier only", []),
    ("how much DevOps headcount does Kubeflow need?", "Kubeflow: High (often 0.5–1 FTE dedicated)", []),
    ("best team size for kubeflow compared to mlflow", "Kubeflow: 20+ (with dedicated DevOps)",
     ["MLflow: 1 to 10 people"]),
    ("which of them has native pipeline orchestration?", "Pipeline orchestration", ["Yes (native Kubeflow Pipelines)"]),
    ("How does Kubeflow connect with Azure ML?", "Kubeflow: Via AKS", []),
    ("What is ZenML weak at?", "Weakest At: Tracking depth and visualization", []),
])
def test_a_factual_question_gets_its_cell_first_then_the_others(advisor, question, first, contains) -> None:
    answer = advisor.ask(question)
    assert answer.intent == "factual", answer.understanding
    line = next(ln for ln in answer.answer.splitlines() if ln.startswith("- "))
    assert first in line, answer.answer
    for text in contains:
        assert text in answer.answer
    # the row is cited whole, verbatim in the chunk it is cited from
    assert any(c.quote.startswith("|") and c.quote in advisor.retriever.chunk(c.chunk_id).text
               for c in answer.citations)
    assert answer.table_match and "meaning" in answer.table_match


@pytest.mark.parametrize("question", ["does kubeflow support quantum annealing?",
                                      "what's W&B's uptime SLA in Antarctica?"])
def test_a_dimension_the_article_lacks_is_said_to_be_missing(advisor, question) -> None:
    answer = advisor.ask(question)
    assert answer.table_match is None
    assert answer.answer.startswith(advisor.composer.text["not_covered_fact"]), answer.answer


def test_a_question_that_asks_for_a_pick_stays_a_recommendation(advisor) -> None:
    answer = advisor.ask("We're 8 people and nobody knows Kubernetes. Which tool should we use for tracking?")
    assert answer.intent == "recommend" and answer.recommendation is not None


# ---- premises a cell contradicts -------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "words"), [
    ("Since W&B has native pipeline orchestration, can we drop Airflow?", "Weights & Biases: No"),
    ("MLflow cannot run on-premises, so what do we use in our air-gapped lab?", "MLflow: Yes"),
    ("W&B integrates natively with SageMaker just like MLflow does, so can we switch it on in the console?",
     "W&B: SDK integration"),
    ("Kubeflow doesn't need any DevOps people, so can two data scientists own it part-time?",
     "Kubeflow: High (often 0.5–1 FTE dedicated)"),
    ("Because Kubeflow can be set up in a couple of hours, can I demo it tomorrow?", "Kubeflow: High (weeks"),
    ("Kubeflow being GPL-licensed, can we keep our changes internal?", "Apache 2.0"),
    # free against paid, either way
    ("MLflow is priced per seat, so what would 20 users cost us per year?", "MLflow: Free (open-source)"),
    ("Since W&B is open source, can we self-host it?", "W&B: Proprietary SaaS"),
    # a move's losses and time against its migration row
    ("Since switching from W&B to MLflow loses nothing, can we do it over a weekend?",
     "some historical data loss likely"),
    ("Porting our Kubeflow pipelines to SageMaker Pipelines is a two-week job, so can it fit this sprint?",
     "2 to 4 months"),
    # the top or bottom of a row of ordered cells
    ("Given that MLflow has the highest lock-in risk of the three, should we avoid it?", "MLflow: Low"),
    # a yearly figure against the estimate row for the team's size
    ("W&B for 50 users runs about $5k a year, so is it the cheapest?", "$30,000/year"),
    # free said of a paid tool, in any words
    ("since wandb is free for a team our size anyway we wouldnt pay anything right?", "~$50/user/month"),
    # a tier the cell does not allow
    ("W&B's Teams plan lets you deploy on-premises, so can the hospital keep data in our data centre?",
     "Enterprise tier only"),
    ("Any W&B plan can be deployed on-prem, so can we self-host the Teams tier?", "Enterprise tier only"),
    # a word the cell denies
    ("Since Kubeflow's pipeline DSL is portable to any orchestrator, is leaving later cheap?", "DSL not portable"),
])
def test_a_false_premise_is_corrected_first_from_the_table(advisor, question, words) -> None:
    answer = advisor.ask(question)
    opening = _opening(answer)
    assert opening.startswith(advisor.composer.text["premise_head"]), answer.answer
    assert words in opening
    assert "[1]" in opening


@pytest.mark.parametrize("question", [
    "Since MLflow is Apache 2.0, can we self-host it?",
    "Given that W&B has no native pipeline orchestration, what do teams pair it with?",
    "Since Kubeflow has native pipelines, do we still need Airflow?",
    "As MLflow integrates natively with Databricks, is the managed version worth it?",
    "W&B is SaaS-first, so what does the Enterprise tier add for on-prem?",
    "W&B charges per seat, so what do 20 users cost?",
    "Kubeflow is free, so is it the cheapest option?",
    # the same kinds of claim, true
    "Since W&B has the highest lock-in risk of the three, how do we keep an exit open?",
    "Moving from MLflow to W&B takes a few weeks, so what should we plan for first?",
    "W&B costs about $6,000 a year for 10 people, so is that cheaper than Kubeflow?",
    "Since going from W&B to MLflow means some data loss, what should we export first?",
    "Since MLflow and W&B both set up in under an hour, which should we try first?",
    "Now that we know Kubeflow's pipeline DSL isn't portable, how long would a move to Vertex AI take?",
    "Since W&B's Enterprise tier can be deployed on-prem, what does it cost for 50 people?",
    "W&B's Apache Spark support is limited, isn't it? What do people do for Spark jobs then?",
    "Since W&B has a free tier, can a solo researcher start there?",
    # a worry is no rank of a tool; the cell's own tier named; a managed offering is not the licence
    "Given that lock-in is our highest concern, is MLflow the best choice?",
    "Since W&B's on-prem option needs the Enterprise tier rather than the Teams plan, what does it cost?",
    "Since managed MLflow comes with our Databricks subscription, is it free for us?",
    "Given MLflow's LLM tracking works with version 2.10, can we log prompts?",
    # portable across clouds is not across orchestrators; "N/A" is no answer
    "Since Kubeflow runs on any Kubernetes provider, our pipelines are portable across clouds, right?",
    "Since MLflow's pipelines are portable, can we move them later?",
])
def test_a_true_premise_is_not_corrected(advisor, question) -> None:
    answer = advisor.ask(question)
    assert not _opening(answer).startswith(advisor.composer.text["premise_head"]), answer.answer


def test_a_correction_quotes_the_prose_on_the_tool_beside_the_cell(advisor) -> None:
    opening = _opening(advisor.ask("Kubeflow sets up in under an hour like MLflow, so can we demo it on Friday?"))
    assert "Kubeflow: High (weeks" in opening
    assert "week-two milestone at best" in opening  # the article's prose on Kubeflow's setup, quoted too


@pytest.mark.parametrize("question", [
    # a negation after the row's words is about something else
    "Since MLflow is Apache 2.0 licensed, we can self-host it on our own VMs without paying a licence fee, yes?",
    # "Apache Spark" is no licence
    "W&B's Apache Spark support is limited, isn't it? What do people usually do for Spark jobs then?",
])
def test_words_near_a_claim_do_not_make_a_false_alarm(advisor, question) -> None:
    answer = advisor.ask(question)
    assert not _opening(answer).startswith(advisor.composer.text["premise_head"]), answer.answer


def test_a_claim_is_checked_only_against_a_row_it_names(advisor) -> None:
    # "native LLM tracking" is close to the "LLM inference cost tracking" row in meaning, but names no row:
    # the article's "Partial" there must not "correct" a true claim about MLflow 2.8
    question = "MLflow added native LLM tracking starting with 2.8, does that make it good enough for LangChain?"
    assert advisor.cell_premises.check(question) == []
    assert not _opening(advisor.ask(question)).startswith(advisor.composer.text["premise_head"])


@pytest.mark.parametrize(("question", "words"), [
    # the origin sentence shares no rare word with the question: found by its kind (a name after "at")
    ("where did Kubeflow come from?", "Originally developed at Google"),
    ("what's the origin of kubeflow", "Originally developed at Google"),
    ("who founded W&B?", "Lukas Biewald"),
    # a move said by where it goes, or layered on top: the row of that move
    ("what would moving to kubeflow involve", "MLflow to Kubeflow (additive)"),
    ("we run MLflow; if we added Kubeflow on top of it later, how long would that take?", "2 to 4 weeks"),
    ("And for the serving part, which of the three?", "Yes (KServe)"),
])
def test_a_factual_question_is_answered_by_the_passage_that_means_it(advisor, question, words) -> None:
    answer = advisor.ask(question)
    assert answer.intent == "factual" and words in answer.answer


def test_sentences_are_weighed_by_meaning_from_a_cached_bank(advisor) -> None:
    import numpy as np

    bank = advisor.passages
    sims = bank.similarities(np.asarray(advisor.embedder.embed_query("where did Kubeflow come from?"),
                                        dtype=np.float32))
    prose = [c for c in advisor.retriever.by_id.values() if c.kind == "prose"]
    assert all(any(key[0] == c.id for key in sims) for c in prose)  # every prose passage has its sentences
    assert all(-1.0 <= s <= 1.0 for s in sims.values())
    assert list((advisor.settings.paths.data_dir / "understanding").glob("prose-sentences-*.npz"))


def test_a_stack_pattern_is_quoted_in_the_articles_words(advisor) -> None:
    answer = advisor.ask("We're 60 people: a research group on W&B and a separate platform engineering team of "
                         "four that runs Kubernetes in production. How should we combine the three tools?")
    assert answer.recommendation.stack_pattern == "Research-to-Production Bridge"
    assert "MLflow: handoff layer and model registry" in answer.answer
