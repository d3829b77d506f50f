"""`advisor eval`: the offline eval suite, run for real on the deterministic backend and the local model.

The thresholds in evals/thresholds.yaml are the gates; a rule broken on purpose must make the run fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT

from advisor.eval_report import report_markdown
from advisor.evalset import load_cases
from advisor.evaluation import Baseline, default_baseline_path, load_heldout_thresholds, load_thresholds, run
from advisor.evaluators import citation_problems, unbacked_numbers
from advisor.heldout import SETS, load_set
from advisor.service import Advisor
from advisor.settings import Settings
from advisor.understanding_eval import SCORERS, HeldoutResults, SetScore, heldout_gate, heldout_markdown

ARTIFACTS = ROOT / "tests" / "artifacts"
REQUIRED = ("recommendation_accuracy", "numeric_fidelity", "citation_validity")


def run_eval(args: list[str], data_dir, timeout: int = 3000, before: tuple[str, ...] = ()
             ) -> subprocess.CompletedProcess:
    """`before`: global options, which go ahead of the subcommand."""
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "advisor.cli", *before, "eval", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


def _keep(out, name: str) -> None:
    """Reports are CI artifacts: copy them where a reader of the run can find them."""
    target = ARTIFACTS / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(out, target)


@pytest.fixture(scope="module")
def deterministic(background_eval):
    # CI gates on test, so the suite scores that split only (dev, the tuning half, would double the run's
    # longest step); `advisor eval` without the flag reports both, which the report test below checks. The
    # run started in the background when the session began (tests/conftest.py).
    proc = background_eval.result()
    out = background_eval.out / "results"
    _keep(out, "eval-none")
    return proc, out


def test_case_set_is_broad(corpus_dir):
    cases = load_cases()
    kinds = {c.kind for c in cases}
    tags = {t for c in cases for t in c.tags}
    assert len(cases) >= 80
    assert kinds == {"recommend", "stack", "factual", "cost", "migration", "out_of_scope", "adversarial",
                     "conversation"}
    assert {"injection", "false-premise", "not-covered"} <= tags
    assert sum(c.expect.primary is not None for c in cases) >= 25
    assert all(len(c.turns) >= 2 for c in cases if c.kind == "conversation")


def test_deterministic_eval_meets_its_gates(deterministic):
    proc, out = deterministic
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    metrics = results["metrics"]
    assert metrics["recommendation_accuracy"] >= 0.95
    assert metrics["numeric_fidelity"] == 1.0 and metrics["citation_validity"] == 1.0
    assert len(results["cases"]) == len(load_cases())
    for case in results["cases"]:
        assert {"id", "passed", "checks", "answer", "latency_ms"} <= set(case)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "**PASS**" in report and "![metrics](metrics.svg)" in report and "| recommendation_accuracy |" in report
    svg = ET.parse(out / "metrics.svg").getroot()
    assert svg.tag.endswith("svg") and len(svg) > 10


def test_held_out_test_split_is_reported_and_gated(deterministic):
    proc, out = deterministic
    heldout = HeldoutResults.model_validate_json((out / "heldout.json").read_text(encoding="utf-8"))
    metrics = heldout.metrics
    for name in ("fact_precision", "fact_f1", "selection_accuracy", "ruled_out_picked", "ruled_out_confident",
                 "stack_named_rate",
                 "conversation_accuracy", "intent_accuracy", "answer_fact_recall", "premise_correction",
                 "premise_false_alarms"):
        assert metrics[f"test.{name}"] is not None
        assert f"dev.{name}" not in metrics  # not scored, and not shown as if it were
    assert {s.name for s in heldout.scores} == set(SETS) and {s.split for s in heldout.scores} == {"test"}
    # a tool the article rules out: on test no more than the ceilings thresholds.yaml explains (dev, where
    # none may be stated confidently, is checked by the report test below and by every tuning run)
    ceilings = load_heldout_thresholds(ROOT / "evals" / "thresholds.yaml")
    assert metrics["test.ruled_out_picked"] <= ceilings["test.ruled_out_picked"]
    assert metrics["test.ruled_out_confident"] <= ceilings["test.ruled_out_confident"]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Held-out understanding sets" in report and "### Facts read, test" in report
    assert "The dev split was not scored in this run" in report and "Nothing is gated" not in report
    assert "### Test misses" not in report  # test items are never listed
    test_ids = {i.id for name in SETS for i in load_set(name, split="test")}
    assert not any(f"**{i}**" in report for i in test_ids)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("held-out ")]
    assert lines and all(", test " in line and "dev not scored" in line for line in lines)
    floors = load_heldout_thresholds(ROOT / "evals" / "thresholds.yaml")
    assert floors and all(k.startswith("test.") for k in floors)
    assert heldout_gate(heldout, floors) == []


def test_held_out_report_gives_both_splits_and_lists_dev_misses_only(advisor):
    """The report of a run on both splits, from real scoring of a few items of each (one of each split
    given a fact its text does not state, so each split has a miss to list or to keep quiet)."""
    scores = []
    for split in ("dev", "test"):
        items = load_set("understanding", split=split)[:6]
        items[0] = items[0].model_copy(update={"facts": {**items[0].facts, "team_size": 999}})
        scores.append(SCORERS["understanding"](advisor, items).model_copy(update={"split": split}))
        scores.append(SCORERS["selection"](advisor, load_set("selection", split=split)[:4]).model_copy(
            update={"split": split}))
    results = HeldoutResults(started="now", duration_s=1.0, scores=scores)
    floors = load_heldout_thresholds(ROOT / "evals" / "thresholds.yaml")
    report = heldout_markdown(results, floors)
    row = next(line for line in report.splitlines() if line.startswith("| fact_f1 |"))
    dev, test = row.split("|")[2:4]
    assert dev.strip() != "–" and test.strip() != "–"
    assert "### Facts read, dev" in report and "### Facts read, test" in report
    assert "not scored" not in report
    dev_miss = load_set("understanding", split="dev")[0].id
    test_miss = load_set("understanding", split="test")[0].id
    assert f"**{dev_miss}**" in report and "### Dev misses: understanding" in report
    assert f"**{test_miss}**" not in report and "### Test misses" not in report
    only_dev = HeldoutResults(started="now", duration_s=1.0, scores=[s for s in scores if s.split == "dev"])
    assert "Nothing is gated" in heldout_markdown(only_dev, floors)
    # a run without test fails the gate if asked (the CLI does not ask: a dev-only run is for tuning)
    assert heldout_gate(only_dev, floors)


def test_held_out_gate_fails_a_regression():
    fake = HeldoutResults(started="now", duration_s=0, scores=[SetScore(
        name="selection", split="test", n=10, metrics={"selection_accuracy": 0.5, "ruled_out_picked": 1.0})])
    failures = heldout_gate(fake, {"test.selection_accuracy": 0.8, "test.ruled_out_picked": 0})
    assert len(failures) == 2 and all("held-out test." in f for f in failures)


def test_saved_baselines_exist_for_both_backends():
    for backend in ("none", "local"):
        path = default_baseline_path(backend)
        baseline = Baseline.model_validate_json(path.read_text(encoding="utf-8"))
        assert baseline.backend == backend
        assert all(baseline.metrics.get(m) is not None for m in REQUIRED)
        assert set(baseline.passed) == {c.id for c in load_cases()}
    gates = load_thresholds(ROOT / "evals" / "thresholds.yaml", "none")
    none = Baseline.model_validate_json(default_baseline_path("none").read_text(encoding="utf-8"))
    assert all(none.metrics[m] >= floor for m, floor in gates.items())


def test_local_model_eval_meets_its_gates(index, data_dir, tmp_path):
    # the held-out sets run on the deterministic path whatever the backend: the none run covers them
    proc = run_eval(["--backend", "local", "--out", str(tmp_path), "--no-heldout"], data_dir)
    _keep(tmp_path, "eval-local")
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["backend"] == "local"
    assert all(results["metrics"][m] is not None for m in REQUIRED)
    assert results["metrics"]["narration_kept_rate"] is not None
    assert any(c["backend"] not in (None, "none") for c in results["cases"]), "the model worded no answer at all"


def test_a_broken_rule_fails_the_eval(index, data_dir, corpus_dir, tmp_path):
    broken = tmp_path / "corpus"
    shutil.copytree(corpus_dir, broken, ignore=shutil.ignore_patterns("__pycache__"))
    rules = (broken / "rules.yaml").read_text(encoding="utf-8")
    # The solo / 1–5 person row says MLflow; the broken rule sends those teams to W&B instead.
    wrong = rules.replace("    when: {team_size: {le: 5}}\n    effects: {mlflow: 3, kubeflow: -3}",
                          "    when: {team_size: {le: 5}}\n    effects: {wandb: 3, kubeflow: -3}")
    assert wrong != rules
    (broken / "rules.yaml").write_text(wrong, encoding="utf-8")
    proc = run_eval(["--backend", "none", "--out", str(tmp_path / "out"), "--no-heldout"], data_dir,
                    before=("--corpus-dir", str(broken)))
    assert proc.returncode == 1, proc.stdout + proc.stderr[-2000:]
    assert "recommendation_accuracy" in proc.stderr and "below its threshold" in proc.stderr
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "**FAIL**" in report and "regressed" in report


@pytest.mark.parametrize(("args", "message"), [
    (["--cases", "/nonexistent/cases.yaml"], "cases.yaml"),
    (["--limit", "0"], "whole number"),
])
def test_bad_arguments_are_one_line(index, data_dir, args, message):
    proc = run_eval(["--backend", "none", *args], data_dir, timeout=300)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 or "usage:" in proc.stderr


def test_bad_thresholds_and_out_change_nothing(index, data_dir, tmp_path):
    bad = tmp_path / "thresholds.yaml"
    bad.write_text("none:\n  recommendation_acuracy: 0.9\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_eval(["--backend", "none", "--thresholds", str(bad), "--out", str(out), "--no-heldout"], data_dir,
                    timeout=600)
    assert proc.returncode == 2 and "unknown metric 'recommendation_acuracy'" in proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()
    afile = tmp_path / "a-file"
    afile.write_text("keep me", encoding="utf-8")
    proc = run_eval(["--backend", "none", "--out", str(afile)], data_dir, timeout=300)
    assert proc.returncode == 2 and "is a file" in proc.stderr
    assert afile.read_text(encoding="utf-8") == "keep me"


# ---- the evaluators themselves, on real answers altered the ways a model gets things wrong ---------------


@pytest.fixture(scope="module")
def advisor(index, settings) -> Advisor:
    return Advisor(Settings(paths=settings.paths.model_dump(), llm={"mode": "none"}))


def test_numeric_fidelity_catches_an_invented_figure(advisor):
    answer = advisor.ask("What does W&B cost per seat?")
    assert unbacked_numbers(answer) == []
    answer.answer += "\nW&B costs $35 per seat for startups. [1]"
    assert unbacked_numbers(answer) == ["35"]
    team = advisor.ask("We are 7 people and nobody knows Kubernetes. Which tool?")
    team.answer += "\nFor your 7 people this fits."
    assert unbacked_numbers(team, "We are 7 people") == []  # the user's own figure is not an invention


def test_citation_validity_catches_altered_quotes_missing_and_unrelated_citations(advisor):
    answer = advisor.ask("Who founded Weights & Biases?")
    chunks = advisor.retriever.by_id
    assert citation_problems(answer, chunks) == []
    forged = answer.model_copy(deep=True)
    forged.citations[0].quote = forged.citations[0].quote.replace("Lukas", "Lucas")
    assert any("not verbatim" in p for p in citation_problems(forged, chunks))
    dangling = answer.model_copy(deep=True)
    dangling.answer += "\nIt also ships a feature store. [9]"
    assert any("[9] has no citation" in p for p in citation_problems(dangling, chunks))
    unrelated = answer.model_copy(deep=True)
    unrelated.answer += "\nBanana bread needs ripe bananas. [1]"
    assert any("shares no word" in p for p in citation_problems(unrelated, chunks))
    bare = answer.model_copy(deep=True)
    bare.citations, bare.answer = [], "Lukas Biewald founded it."
    assert citation_problems(bare, chunks) == ["no citations"]


def test_report_lists_regressions_against_the_baseline(advisor):
    cases = [c for c in load_cases() if c.kind == "recommend"][:3]
    results = run(advisor, cases, "cases.yaml")
    assert all(c.passed for c in results.cases), [c.failed for c in results.cases]
    results.cases[0].passed = False
    results.cases[0].checks["recommendation"] = False
    baseline = Baseline.of(run(advisor, cases, "cases.yaml"))
    report = report_markdown(results, baseline, {"recommendation_accuracy": 0.95}, ["x below"], "m.svg")
    assert f"regressed (1): {cases[0].id}" in report and "**FAIL**" in report
