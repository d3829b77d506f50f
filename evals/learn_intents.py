"""Learn the intent stacker from the held-out sets' dev split: `advisor/data/intent_stacker.json`.

The stacker weighs the intent classifier's scores (of the whole message and of its question) and the word
cues `Reader.cues` names (a cost word asked about, a team describing itself with no question, the previous
turn's intent, …). It is a logistic regression trained here on every labelled dev message: the intents set,
the selection set (recommend or stack) and each conversation turn; and the fact and premise questions, which
ask a fact whatever they say of the team ("our budget is tight: above how many users does W&B stop being a
good primary?"). Those carry no fine intent, only that they ask about the tools (factual, cost or
migration): those the classifier scores most likely plain factual, and with no cue of a cost or a move, are
labelled factual; the rest are left out (a cost or a move is the cues' to weigh: a guessed label would teach
the stacker to overrule them). A turn is read in the conversation its
labels describe (the team known so far, the previous turn's labelled intent and pick), so what it learns
of follow-ups does not depend on how well the turns before it were read.

Only `split: dev` items are read; the test split stays unseen. Run `python evals/learn_intents.py` after the
dev split, intents.yaml, the intent settings or the cues change, and commit the file it writes.
`python evals/learn_intents.py --cv` prints the accuracy over dev's writers, each left out in turn, for a
few regularisation strengths, and writes nothing.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
OUT = HERE.parent / "advisor" / "data" / "intent_stacker.json"
KINDS = ("intents", "selection", "conversations", "facts")
ASKS_A_FACT = ("factual", "cost", "migration")


def rows(advisor) -> list[dict]:
    """One row per labelled dev message: its stacker features (by name), its label, its writer and kind."""
    from advisor.heldout import load_set
    from advisor.profile import TeamProfile
    from advisor.understanding.clauses import split_clauses
    from advisor.understanding.evidence import Topic
    from advisor.understanding.reading import Context

    reader = advisor.reader
    reader.__dict__["stacker"] = None  # read with the classifier alone: the stacker is what is being learned
    out: list[dict] = []

    def row(text: str, label: str | None, context: Context, author: str, kind: str):
        reading = advisor.read(text, context)
        clauses = split_clauses(reading.normalized)
        asked = [c.text for c in clauses if c.question]
        vectors = reader._embed([reading.text, *asked])
        whole, question = reader.intents.parts(vectors[0], vectors[1:].mean(axis=0) if asked else None)
        if label is None:  # a fact question: a factual one, when it asks a plain fact
            label = max(ASKS_A_FACT, key=lambda k: whole[k] + (question or whole)[k])
        out.append({"whole": whole, "asked": question, "cues": reader.cues(reading, clauses, context),
                    "label": label, "author": author, "kind": kind})
        return reading

    for name in ("intents", "selection"):
        for item in load_set(name, split="dev"):
            assert item.split == "dev"
            row(item.text, item.intent, Context(), item.author, name)
    for name in ("facts", "premises"):
        for item in load_set(name, split="dev"):
            assert item.split == "dev"
            row(item.text, None, Context(), item.author, "facts")
    for dialogue in load_set("conversations", split="dev"):
        assert dialogue.split == "dev"
        context = Context()
        for turn in dialogue.turns:
            expect = turn.expect
            if expect is not None and expect.intent is not None:
                reading = row(turn.say, expect.intent, context, dialogue.author, "conversations")
            else:
                reading = advisor.read(turn.say, context)
            context = _after(context, turn.say, reading, expect, TeamProfile, Topic, Context)
    return out


def _after(context, say, reading, expect, TeamProfile, Topic, Context):
    """The conversation after a turn, as its labels say it is (the profile, the intent, the pick)."""
    from advisor.profile import CORE_TOOLS
    profile = (TeamProfile.model_validate(expect.facts) if expect is not None and expect.facts is not None
               else reading.apply(context.profile))
    topic, pick = reading.topic, context.pick
    if expect is not None and expect.primary:
        pick = expect.primary
        if not topic.tool or topic.carried:  # a recommendation with no tool named: the pick is the subject
            topic = topic.model_copy(update={"tool": expect.primary, "carried": False})
    tool = topic.tool or (context.topic.tool if context.topic else None)
    dimension = topic.dimension or (context.topic.dimension if context.topic else None)
    intent = expect.intent if expect is not None and expect.intent else reading.intent
    # what the answer put forward ("which of the two…?" weighs its first two): the labelled pick, then the
    # core tools it does not avoid; after a fact, the tools asked about
    if expect is not None and expect.primary:
        offered = [expect.primary, *(t for t in CORE_TOOLS if t != expect.primary and t not in (expect.avoid or ()))]
    else:
        offered = [*dict.fromkeys([*(t for t in reading.tools if t in CORE_TOOLS), *([tool] if tool else [])])]
    return Context(profile=profile, topic=Topic(tool=tool, dimension=dimension) if tool or dimension else None,
                   intent=intent, question=context.question if reading.elliptical else say, pick=pick,
                   doubts=reading.doubts, offered=offered)


# cues of a cost or a move: a fact question that has one may ask either, and its guessed label would teach
# the stacker to overrule them
COST_OR_MOVE = {"asks_cost", "dim_cost", "leads_with_cost", "moves", "move_to", "destination", "dim_migration"}


def plain(data: list[dict]) -> list[dict]:
    """The rows to learn from: the fact questions only where the classifier and the cues agree they ask a plain
    fact (neither a cost nor a move)."""
    return [r for r in data if r["kind"] != "facts" or (r["label"] == "factual" and not COST_OR_MOVE & set(r["cues"]))]


def matrix(data: list[dict], names: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    from advisor.understanding.intent import INTENTS, features

    if names is None:
        cues = sorted({c for r in data for c in r["cues"]})
        names = [f"whole:{k}" for k in INTENTS] + [f"asked:{k}" for k in INTENTS] + [f"cue:{c}" for c in cues]
    return np.stack([features(r["whole"], r["asked"], r["cues"], names) for r in data]), names


def fit(data: list[dict], c: float, fact_weight: float):
    """(The fact questions' labels are guessed, and there are many of them: they weigh `fact_weight` each.
    Left out, a third of them read as requests for a pick; at full weight the intents set lost 0.05 over
    writers left out; 0.3 kept both within 0.03 of their best.)"""
    from sklearn.linear_model import LogisticRegression

    x, names = matrix(data)
    weights = [fact_weight if r["kind"] == "facts" else 1.0 for r in data]
    model = LogisticRegression(C=c, max_iter=5000).fit(x, [r["label"] for r in data], sample_weight=weights)
    return model, names


def cross_validate(data: list[dict], strengths: list[float], fact_weight: float) -> None:
    """Leave each writer out in turn (a writer's style is what a new user brings)."""
    writers = sorted({(r["author"], r["kind"]) for r in data})
    for c in strengths:
        right = Counter()
        for writer in writers:
            train = [r for r in data if (r["author"], r["kind"]) != writer]
            held = [r for r in data if (r["author"], r["kind"]) == writer]
            model, names = fit(train, c, fact_weight)
            x, _ = matrix(held, names)
            classes = list(model.classes_)
            for r, p in zip(held, model.predict_proba(x), strict=True):
                scores = {k: v for k, v in zip(classes, p, strict=True) if k != "not_covered"}
                right[r["kind"]] += r["label"] == max(scores, key=scores.__getitem__) or r["label"] == "not_covered"
        total = {k: sum(r["kind"] == k for r in data) for k in KINDS}
        by_kind = ", ".join(f"{k} {right[k] / total[k]:.3f}" for k in KINDS if total[k])
        print(f"c={c}: {sum(right.values()) / len(data):.4f} ({by_kind})")


class MemoEmbedder:
    """The reader's embedder with its query vectors remembered by text, on disk when `ADVISOR_LEARN_VECTORS`
    names a file: a change of the cues alone then reads every row again in minutes, not a quarter hour."""

    def __init__(self, inner, path: str | None):
        self.inner, self.path, self.name = inner, Path(path) if path else None, getattr(inner, "name", "?")
        self.memo: dict[str, np.ndarray] = {}
        if self.path and self.path.exists():
            saved = np.load(self.path, allow_pickle=False)
            self.memo = dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))

    def embed_queries(self, texts: list[str]) -> list:
        missing = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if missing:
            for t, v in zip(missing, np.asarray(self.inner.embed_queries(missing), dtype=np.float32), strict=True):
                self.memo[t] = v
        return [self.memo[t] for t in texts]

    def embed_query(self, text: str):
        return self.embed_queries([text])[0]

    def __getattr__(self, name):  # anything else (documents, dimensions) is the model's
        return getattr(self.inner, name)

    def save(self) -> None:
        if self.path and self.memo:
            texts = list(self.memo)
            np.savez(self.path, texts=np.array(texts), vectors=np.stack([self.memo[t] for t in texts]))


def main(argv: list[str]) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["ADVISOR_LLM__MODE"] = "none"
    from advisor.service import Advisor
    from advisor.settings import Settings

    advisor = Advisor(Settings())
    cache = os.environ.get("ADVISOR_LEARN_ROWS")  # a json file: read the rows once, try many strengths
    if cache and Path(cache).exists():
        data = json.loads(Path(cache).read_text())
    else:
        memo = MemoEmbedder(advisor.reader.embedder, os.environ.get("ADVISOR_LEARN_VECTORS"))
        advisor.reader.embedder = memo
        data = rows(advisor)
        memo.save()
        if cache:
            Path(cache).write_text(json.dumps(data))
    data = plain(data)
    settings = advisor.reader.config.intent
    if "--cv" in argv:
        cross_validate(data, [0.3, 1.0, 3.0, 10.0, settings.stacker_c], settings.stacker_fact_weight)
        return 0
    model, names = fit(data, settings.stacker_c, settings.stacker_fact_weight)
    body = {"fingerprint": advisor.reader.intent_fingerprint(), "c": settings.stacker_c,
            "fact_weight": settings.stacker_fact_weight,
            "classes": [str(k) for k in model.classes_], "features": names,
            "weights": [[round(float(w), 5) for w in row] for row in model.coef_],
            "bias": [round(float(b), 5) for b in model.intercept_],
            "trained_on": dict(Counter(r["kind"] for r in data))}
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    tmp.replace(OUT)
    print(f"{OUT}: {len(names)} features, {len(data)} dev messages {body['trained_on']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
