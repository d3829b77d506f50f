"""Learn which clauses are about which fact from the held-out sets' dev split: `advisor/data/meaning_learned.yaml`.

The understanding and selection sets label whole messages ("regulated: true, k8s_engineers: 0"), the
conversations the team after each turn; the meaning reader's classifier judges clauses. For each dev message
this script gives every fact it states to the clause most likely about it (by the classifier trained on
`advisor/data/meaning.yaml` alone, among the clauses holding one of the fact's anchor words), and labels `none`
the clauses of three words or more that state no fact (unless that classifier thinks them about a fact known
of the team: two clauses may say one fact, a turn may restate one). The result trains the classifier beside
the written examples.

Only `split: dev` items are read; the test split stays unseen. Run `python evals/learn_clauses.py` after the
dev split, meaning.yaml or the anchors change, and commit the files it writes (this one and the
classifier trained on it, evals/ship_classifier.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent
OUT = HERE.parent / "advisor" / "data" / "meaning_learned.yaml"
SETS = ("understanding", "selection")
# a message's labelled fact -> the classifier's topic; facts read by the lexicon or numbers alone are skipped
TOPIC = {"k8s_engineers": "k8s", "platform_engineers": "platform"}
SKIP = {"team_size", "platform", "current_tools", "research_split"}


def label(field: str, value) -> str | None:
    """The meaning.yaml label a labelled fact is said with; None for a count of one (neither `none` nor a team)."""
    if field in TOPIC:
        return f"{TOPIC[field]}={'none' if value == 0 else 'team'}" if value != 1 else None
    return f"{field}={str(value).lower()}"


HEADER = """\
# meaning_learned.yaml - clauses of the held-out sets' DEV split, each labelled with the fact it states, as
# meaning.yaml labels them (regulated=true, k8s=none, maturity=1, …), or none.
# Written by `python evals/learn_clauses.py`; do not edit by hand, rerun it. No test-split item is read.
# They train the meaning reader's classifier of what a clause is about (meaning.classifier in
# understanding.yaml) beside the examples of meaning.yaml; the value of a fact is still voted by those.
"""


def learn(advisor) -> dict[str, list[str]]:
    from advisor.heldout import load_set
    from advisor.understanding.clauses import split_clauses
    from advisor.understanding.examples import embed_queries

    reader = advisor.reader
    off = reader.config.meaning.classifier.model_copy(update={"accept": 1.01})
    reader.config.meaning.classifier = off  # the reader without its classifier: it is what is being learned
    meaning = reader.meaning
    base = _by_field(meaning)
    out: dict[str, set[str]] = {}
    for text, new, known in _statements(load_set):
        norm, _ = reader.extractor.locate(text)
        clauses = [c for c in split_clauses(norm) if len(c) >= 2]
        if not clauses:
            continue
        probs = [base.probabilities(v) for v in embed_queries(reader.embedder, [c.text for c in clauses])]
        stated = {TOPIC.get(f, f): label(f, v) for f, v in new.items() if f not in SKIP}
        about = {TOPIC.get(f, f) for f in known}
        taken: dict[int, str | None] = {}
        for topic in sorted(stated):
            pool = [i for i, c in enumerate(clauses) if i not in taken and meaning.anchored(topic, c.text)]
            if pool:
                taken[max(pool, key=lambda i: probs[i].get(topic, 0.0))] = stated[topic]
        for i, clause in enumerate(clauses):
            if i in taken:
                said = taken[i]
                if said is None:
                    continue
            else:  # (a clause likely about a fact the team has, restated or said twice, is left out)
                if len(clause) < 3 or max(probs[i], key=probs[i].__getitem__) in about:
                    continue
                said = "none"
            out.setdefault(said, set()).add(clause.text)
    return {k: sorted(v) for k, v in sorted(out.items())}


def _statements(load_set):
    """(message, the facts it states, every fact known of the team after it) for each dev message: the
    understanding and selection items, and each conversation turn whose profile is labelled (what it states
    is what changed from the turn before)."""
    for name in SETS:
        for item in load_set(name, split="dev"):
            assert item.split == "dev"
            yield item.text, item.facts, item.facts
    for dialogue in load_set("conversations", split="dev"):
        assert dialogue.split == "dev"
        before: dict | None = {}
        for turn in dialogue.turns:
            facts = turn.expect.facts if turn.expect is not None else None
            if facts is not None and before is not None:
                yield turn.say, {f: v for f, v in facts.items() if before.get(f) != v}, facts
            before = facts


def _by_field(meaning):
    """The classifier of which field a clause is about, trained on meaning.yaml's examples alone."""
    from advisor.understanding.examples import train_linear
    from advisor.understanding.meaning import topic_of

    labels = [topic_of(lab) for lab in meaning.bank.labels]
    return train_linear(meaning.bank.vectors, labels, meaning.t.classifier.c, None, "meaning-topics-base")


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["ADVISOR_LLM__MODE"] = "none"
    from advisor.service import Advisor
    from advisor.settings import Settings

    learned = learn(Advisor(Settings()))
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(HEADER + yaml.safe_dump({"labels": learned}, allow_unicode=True, width=1000, sort_keys=False))
    tmp.replace(OUT)
    counts = ", ".join(f"{k} {len(v)}" for k, v in learned.items())
    print(f"{OUT}: {sum(map(len, learned.values()))} clauses: {counts}")
    from ship_classifier import ship  # beside this script: the classifier trained on what was just written

    print(f"{ship()}: the classifier trained on it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
