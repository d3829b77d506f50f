"""Score the advisor on the held-out understanding sets (advisor/heldout.py), split by split.

Each scorer is a small named evaluator over one set: it returns metrics and, per miss, the item and why.
No judge model: facts are compared field by field, picks with the article's labels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, Field

from advisor.answer import Answer
from advisor.chat import Conversation
from advisor.errors import AdvisorError
from advisor.evaluators import contains, normalize
from advisor.heldout import (
    LABELLED_FIELDS,
    Dialogue,
    FactQuestion,
    IntentItem,
    PremiseQuestion,
    Selection,
    Statement,
    TurnExpect,
    load_set,
)
from advisor.service import Advisor

# How the 7-way intents map onto the answer's coarse `intent` (how the question was treated).
COARSE = {"recommend": "recommend", "stack": "recommend", "cost": "factual", "migration": "factual",
          "factual": "factual", "out_of_scope": "out_of_scope", "not_covered": "not_covered"}


class Miss(BaseModel):
    id: str
    text: str
    why: list[str]


class SetScore(BaseModel):
    name: str
    split: str | None
    n: int
    metrics: dict[str, float | None]
    support: dict[str, int] = {}
    per_field: dict[str, dict[str, float | int | None]] = Field(default_factory=dict)
    misses: list[Miss] = []


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def fine_intent(answer: Answer) -> str:
    """The 7-way intent the advisor read, or (an answer without a reading) its coarse treatment."""
    return answer.understanding.intent if answer.understanding is not None else answer.intent


def intent_ok(answer: Answer, gold: str) -> bool:
    return fine_intent(answer) == gold


def _norm(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, list) else v for k, v in facts.items()
            if v not in (None, []) and k in LABELLED_FIELDS}


def fact_diff(predicted: dict[str, Any], gold: dict[str, Any]) -> tuple[list, list, list]:
    """(right, wrong-or-invented, missed) as (field, predicted, gold) triples."""
    p, g = _norm(predicted), _norm(gold)
    right = [(k, p[k], g[k]) for k in p if k in g and p[k] == g[k]]
    wrong = [(k, p[k], g.get(k)) for k in p if k not in g or p[k] != g[k]]
    missed = [(k, p.get(k), g[k]) for k in g if k not in p or p[k] != g[k]]
    return right, wrong, missed


class FactTally:
    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()

    def add(self, predicted: dict[str, Any], gold: dict[str, Any]) -> list[str]:
        right, wrong, missed = fact_diff(predicted, gold)
        self.tp.update(k for k, *_ in right)
        self.fp.update(k for k, *_ in wrong)
        self.fn.update(k for k, *_ in missed)
        return ([f"{k}: read {v!r}, labelled {g!r}" for k, v, g in wrong]
                + [f"{k}: missed {g!r}" for k, v, g in missed if v is None])

    def per_field(self) -> dict[str, dict[str, float | int | None]]:
        out = {}
        for f in sorted(set(self.tp) | set(self.fp) | set(self.fn)):
            tp, fp, fn = self.tp[f], self.fp[f], self.fn[f]
            p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
            f1 = round(2 * p * r / (p + r), 4) if p and r else 0.0 if (p is not None and r is not None) else None
            out[f] = {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
        return out

    def micro(self) -> dict[str, float | None]:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        return {"fact_precision": p, "fact_recall": r,
                "fact_f1": round(2 * p * r / (p + r), 4) if p and r else None}


def score_understanding(advisor: Advisor, items: list[Statement]) -> SetScore:
    tally, misses, exact = FactTally(), [], 0
    for item in items:
        predicted = advisor.understand(item.text).known()
        why = tally.add(predicted, item.facts)
        exact += not why
        if why:
            misses.append(Miss(id=item.id, text=item.text, why=why))
    per_field = tally.per_field()
    precisions = [v["precision"] for v in per_field.values() if v["precision"] is not None]
    metrics = {**tally.micro(), "min_field_precision": min(precisions) if precisions else None,
               "statement_exact": _ratio(exact, len(items))}
    return SetScore(name="understanding", split=None, n=len(items), metrics=metrics, per_field=per_field,
                    misses=misses)


def _ask(advisor: Advisor, text: str) -> Answer | str:
    try:
        return advisor.ask(text)
    except AdvisorError as exc:
        return f"error: {exc}"


def score_selection(advisor: Advisor, items: list[Selection]) -> SetScore:
    counts: Counter[str] = Counter()
    tally, misses = FactTally(), []
    for item in items:
        answer = _ask(advisor, item.text)
        if isinstance(answer, str):
            misses.append(Miss(id=item.id, text=item.text, why=[answer]))
            counts["errors"] += 1
            continue
        why = []
        rec = answer.recommendation
        primary = rec.primary if rec else None
        if item.primary is not None:
            counts["with_primary"] += 1
            if primary == item.primary:
                counts["primary_right"] += 1
            else:
                why.append(f"picked {primary}, article picks {item.primary}")
        if primary is not None and primary in item.avoid:
            counts["ruled_out_picked"] += 1
            counts["ruled_out_confident"] += rec.confidence != "low"  # stated without "unless …" or a doubt
            why.append(f"picked {primary}, which the article rules out ({rec.confidence} confidence)")
        right_pick = primary is not None and primary not in item.avoid and (
            item.primary is None or primary == item.primary)
        counts["selection_right"] += right_pick
        if item.stack is not None:
            counts["with_stack"] += 1
            got = rec.stack_pattern if rec else None
            if got == item.stack or (got is not None and item.stack in answer.answer):
                counts["stack_named"] += 1
            else:
                why.append(f"stack {got!r}, article's pattern {item.stack!r}")
        if intent_ok(answer, item.intent):
            counts["intent_right"] += 1
        else:
            why.append(f"intent {fine_intent(answer)}, labelled {item.intent}")
        fact_why = tally.add(answer.team_profile.known(), item.facts)
        if why or fact_why:
            misses.append(Miss(id=item.id, text=item.text, why=why + [f"fact {w}" for w in fact_why]))
    n = len(items)
    metrics = {
        "selection_accuracy": _ratio(counts["selection_right"], n),
        "primary_accuracy": _ratio(counts["primary_right"], counts["with_primary"]),
        "ruled_out_picked": float(counts["ruled_out_picked"]),
        "ruled_out_confident": float(counts["ruled_out_confident"]),
        "stack_named_rate": _ratio(counts["stack_named"], counts["with_stack"]),
        "intent_accuracy": _ratio(counts["intent_right"], n),
        **{f"selection_{k}": v for k, v in tally.micro().items()},
    }
    support = {"selection_accuracy": n, "primary_accuracy": counts["with_primary"],
               "stack_named_rate": counts["with_stack"], "intent_accuracy": n}
    return SetScore(name="selection", split=None, n=n, metrics=metrics, support=support,
                    per_field=tally.per_field(), misses=misses)


def _names(text: str, name: str) -> bool:
    """`text` names `name` as a word of its own ("kf" is not a part of another word)."""
    return re.search(r"(?<!\w)" + re.escape(normalize(name)) + r"(?!\w)", normalize(text)) is not None


def check_turn(answer: Answer, expect: TurnExpect, focus: str | None, names: dict[str, list[str]]) -> list[str]:
    """Why this turn's answer falls short of what was expected of it (empty: it passes)."""
    why = []
    if expect.intent is not None and not intent_ok(answer, expect.intent):
        why.append(f"intent {fine_intent(answer)}, labelled {expect.intent}")
    if expect.facts is not None:
        _, wrong, missed = fact_diff(answer.team_profile.known(), expect.facts)
        why += [f"fact {k}: read {v!r}, labelled {g!r}" for k, v, g in wrong]
        why += [f"fact {k}: missed {g!r}" for k, v, g in missed if v is None]
    rec = answer.recommendation
    primary = rec.primary if rec else None
    if expect.primary is not None and primary != expect.primary:
        why.append(f"picked {primary}, article picks {expect.primary}")
    if primary is not None and primary in expect.avoid:
        why.append(f"picked {primary}, which the article rules out")
    if expect.about is not None:  # the tool under discussion, or an answer that names it (by any name: "W&B")
        # (the labelling guide's ids have no hyphen: "azureml" is the vocabulary's "azure-ml")
        about = next((t for t in names if t.replace("-", "") == expect.about.replace("-", "")), expect.about)
        said = names.get(about, [about])
        if focus != about and not any(_names(answer.answer, n) for n in said):
            why.append(f"not about {expect.about} (focus {focus})")
    why += [f"lacks {s!r}" for s in expect.contains if not contains(answer.answer, s)]
    return why


def score_conversations(advisor: Advisor, items: list[Dialogue]) -> SetScore:
    names = {t.id: [t.name, *t.aliases] for t in advisor.vocab.tools}
    passed = turns_ok = turns_checked = 0
    misses = []
    for item in items:
        conv = Conversation(advisor)
        why: list[str] = []
        for i, turn in enumerate(item.turns, 1):
            try:
                answer = conv.ask(turn.say)
            except AdvisorError as exc:
                why.append(f"turn {i}: error: {exc}")
                break
            if turn.expect is None:
                continue
            turns_checked += 1
            problems = check_turn(answer, turn.expect, conv.topic, names)
            turns_ok += not problems
            why += [f"turn {i}: {p}" for p in problems]
        passed += not why
        if why:
            misses.append(Miss(id=item.id, text=" / ".join(t.say for t in item.turns), why=why))
    metrics = {"conversation_accuracy": _ratio(passed, len(items)), "turn_accuracy": _ratio(turns_ok, turns_checked)}
    return SetScore(name="conversations", split=None, n=len(items), metrics=metrics,
                    support={"conversation_accuracy": len(items), "turn_accuracy": turns_checked}, misses=misses)


def score_intents(advisor: Advisor, items: list[IntentItem]) -> SetScore:
    right = coarse_right = 0
    per: Counter[str] = Counter()
    per_right: Counter[str] = Counter()
    misses = []
    for item in items:
        answer = _ask(advisor, item.text)
        got = answer if isinstance(answer, str) else fine_intent(answer)
        ok = got == item.intent
        right += ok
        coarse_right += (not isinstance(answer, str)) and answer.intent == COARSE[item.intent]
        per[item.intent] += 1
        per_right[item.intent] += ok
        if not ok:
            misses.append(Miss(id=item.id, text=item.text, why=[f"read {got}, labelled {item.intent}"]))
    metrics: dict[str, float | None] = {"intent_accuracy": _ratio(right, len(items)),
                                        "coarse_intent_accuracy": _ratio(coarse_right, len(items))}
    per_field = {k: {"accuracy": _ratio(per_right[k], per[k]), "n": per[k]} for k in sorted(per)}
    return SetScore(name="intents", split=None, n=len(items), metrics=metrics, per_field=per_field, misses=misses)


def score_facts(advisor: Advisor, items: list[FactQuestion]) -> SetScore:
    """Fact recall: the share of questions whose answer holds every expected string, and of the strings."""
    whole = found = total = 0
    misses = []
    by_source: Counter[str] = Counter()
    by_source_ok: Counter[str] = Counter()
    for item in items:
        answer = _ask(advisor, item.text)
        text = answer if isinstance(answer, str) else answer.answer
        lacking = [c for c in item.contains if not contains(text, c)]
        found += len(item.contains) - len(lacking)
        total += len(item.contains)
        whole += not lacking
        by_source[item.source] += 1
        by_source_ok[item.source] += not lacking
        if lacking:
            misses.append(Miss(id=item.id, text=item.text, why=[f"lacks {c!r}" for c in lacking]))
    metrics = {"answer_fact_recall": _ratio(whole, len(items)), "answer_string_recall": _ratio(found, total)}
    per_field = {k: {"recall": _ratio(by_source_ok[k], by_source[k]), "n": by_source[k]} for k in sorted(by_source)}
    return SetScore(name="facts", split=None, n=len(items), metrics=metrics, per_field=per_field, misses=misses)


def corrects(advisor: Advisor, answer: Answer) -> bool:
    """The answer opens by setting a premise right (the composer's premise block comes first)."""
    return answer.answer.lstrip().startswith(advisor.composer.text["premise_head"])


def score_premises(advisor: Advisor, items: list[PremiseQuestion]) -> SetScore:
    """False premises corrected (and the correction quoting the article's words against them); true-premise
    controls never "corrected"."""
    false_n = corrected = quoted = controls = alarms = 0
    misses = []
    for item in items:
        answer = _ask(advisor, item.text)
        if isinstance(answer, str):
            misses.append(Miss(id=item.id, text=item.text, why=[answer]))
            false_n += item.false_premise
            controls += not item.false_premise
            continue
        said = corrects(advisor, answer)
        if item.false_premise:
            false_n += 1
            corrected += said
            ok = said and any(contains(answer.answer, c) for c in item.contains)
            quoted += ok
            if not ok:
                misses.append(Miss(id=item.id, text=item.text, why=[
                    f"not corrected: {item.claim}" if not said else f"corrected without {item.contains[0]!r}"]))
        else:
            controls += 1
            alarms += said
            if said:
                misses.append(Miss(id=item.id, text=item.text, why=[f"false alarm on a true premise: {item.claim}"]))
    metrics = {"premise_correction": _ratio(quoted, false_n), "premise_flagged": _ratio(corrected, false_n),
               "premise_false_alarms": float(alarms)}
    return SetScore(name="premises", split=None, n=len(items), metrics=metrics,
                    support={"premise_correction": false_n, "premise_false_alarms": controls}, misses=misses)


SCORERS: dict[str, Callable[[Advisor, list], SetScore]] = {
    "understanding": score_understanding, "selection": score_selection,
    "conversations": score_conversations, "intents": score_intents,
    "facts": score_facts, "premises": score_premises,
}


def score_all(advisor: Advisor, splits: Iterable[str] = ("dev", "test"),
              sets: Iterable[str] = tuple(SCORERS)) -> list[SetScore]:
    return [_score_one(advisor, name, split) for name in sets for split in splits]


# ---- the held-out run: both splits, gated on test ----------------------------------------------------

# What the issue asks of the test split (reported beside each metric; the gates in thresholds.yaml sit
# under the measured values, so a regression fails CI while the targets stay visible).
TARGETS = {"fact_precision": 0.97, "fact_f1": 0.95, "min_field_precision": 0.97, "selection_accuracy": 0.95,
           "ruled_out_picked": 0.0, "ruled_out_confident": 0.0, "conversation_accuracy": 0.90, "intent_accuracy": 0.95,
           "stack_named_rate": 0.95, "answer_fact_recall": 0.90, "premise_correction": 0.90,
           "premise_false_alarms": 0.0}
LOWER_IS_BETTER = ("ruled_out_picked", "ruled_out_confident", "premise_false_alarms")


class HeldoutResults(BaseModel):
    started: str
    duration_s: float
    scores: list[SetScore]

    @property
    def metrics(self) -> dict[str, float | None]:
        """Flat `split.metric` names (`test.fact_f1`); `intent_accuracy` is the intents set's, the selection
        set's own is `selection_intent_accuracy`."""
        out: dict[str, float | None] = {}
        for s in self.scores:
            for name, value in s.metrics.items():
                key = f"selection_{name}" if s.name == "selection" and name == "intent_accuracy" else name
                out[f"{s.split}.{key}"] = value
        return out

    def score(self, name: str, split: str) -> SetScore | None:
        return next((s for s in self.scores if s.name == name and s.split == split), None)


def run_heldout(advisor: Advisor, splits: Iterable[str] = ("dev", "test"),
                progress: Callable[[Iterable], Iterable] = lambda it: it, jobs: int = 1) -> HeldoutResults:
    """Every set on every split. `jobs` > 1 scores them in that many worker processes, each with its own
    Advisor on the same settings and one embedding thread: on this 2-core machine a forward pass on one
    thread is barely slower than on two, so two workers nearly halve the run (the reading is deterministic,
    so the scores are the same in any order)."""
    from datetime import UTC, datetime
    from time import perf_counter

    started, t0 = datetime.now(UTC).isoformat(timespec="seconds"), perf_counter()
    work = [(name, split) for name in SCORERS for split in splits]
    if jobs <= 1:
        scores = [_score_one(advisor, name, split) for name, split in progress(work)]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        settings = advisor.settings.model_copy(update={"embedding": advisor.settings.embedding.model_copy(
            update={"threads": 1})})
        sizes = {name: Counter(i.split for i in load_set(name)) for name in SCORERS}  # each file parsed once
        biggest_first = sorted(work, key=lambda job: -sizes[job[0]][job[1]])
        done: dict[tuple[str, str], SetScore] = {}
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_start_worker, initargs=(settings,)) as pool:
            futures = {pool.submit(_score_in_worker, name, split): (name, split) for name, split in biggest_first}
            for future in progress(as_completed(futures)):
                done[futures[future]] = future.result()
        scores = [done[job] for job in work]
    return HeldoutResults(started=started, duration_s=round(perf_counter() - t0, 1), scores=scores)


def _score_one(advisor: Advisor, name: str, split: str) -> SetScore:
    items = load_set(name, split=split)  # type: ignore[arg-type]
    return SCORERS[name](advisor, items).model_copy(update={"split": split})


_WORKER: dict[str, Advisor] = {}


def _start_worker(settings) -> None:
    _WORKER["advisor"] = Advisor(settings)


def _score_in_worker(name: str, split: str) -> SetScore:
    return _score_one(_WORKER["advisor"], name, split)


def heldout_gate(results: HeldoutResults, floors: dict[str, float]) -> list[str]:
    """One line per gated metric past its floor (a ceiling for metrics where lower is better)."""
    failures = []
    metrics = results.metrics
    for name, floor in floors.items():
        value = metrics.get(name)
        worse = value is None or (value > floor if name.split(".")[-1] in LOWER_IS_BETTER else value < floor)
        if worse:
            failures.append(f"held-out {name} = {value} is past its gate {floor}")
    return failures


def heldout_markdown(results: HeldoutResults, floors: dict[str, float]) -> str:
    """Both splits side by side, per-fact precision and recall, and the dev misses (test items are never
    listed: the test split is for reporting only)."""
    m = results.metrics
    names = sorted({k.split(".", 1)[1] for k in m})
    scored = {s.split for s in results.scores}
    skipped = "".join(f" The {split} split was not scored in this run (`--heldout-split`)."
                      for split in ("dev", "test") if split not in scored)
    gated = "" if "test" in scored else " Nothing is gated: the gate reads test."
    lines = ["", "## Held-out understanding sets", "",
             f"Written blind (evals/LABELLING.md), split 50/50; tuned on dev only. Run in {results.duration_s} s."
             + skipped + gated,
             "", "| metric | dev | test | test gate | target |", "|---|---|---|---|---|"]
    for n in names:
        gate = floors.get(f"test.{n}")
        lines.append(f"| {n} | {_f(m.get(f'dev.{n}'))} | {_f(m.get(f'test.{n}'))} | "
                     f"{'–' if gate is None else gate} | {TARGETS.get(n, '–')} |")
    for split in ("dev", "test"):
        u = results.score("understanding", split)
        if u is None:
            continue
        lines += ["", f"### Facts read, {split} ({u.n} statements)", "",
                  "| fact | precision | recall | right | wrong or invented | missed |", "|---|---|---|---|---|---|"]
        for field, v in u.per_field.items():
            lines.append(f"| {field} | {_f(v['precision'])} | {_f(v['recall'])} | {v['tp']} | {v['fp']} | {v['fn']} |")
    for s in results.scores:
        if s.split != "dev" or not s.misses:
            continue
        lines += ["", f"### Dev misses: {s.name} ({len(s.misses)})", ""]
        lines += [f"- **{x.id}**: {'; '.join(x.why[:4])}. “{' '.join(x.text.split())[:140]}”" for x in s.misses[:60]]
    return "\n".join(lines) + "\n"


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
