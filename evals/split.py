"""Add writers' drafts to the held-out sets and split the new items 50/50 into `dev` and `test`.

`python evals/split.py` reads `evals/drafts/<set>-<author>.yaml` (when there are any), appends their items
to `evals/<set>.yaml`, and gives every item without a split one; commit the result before tuning on it.
Items are stratified by author and label (the pick, the intent, the first fact) so both halves see every
writer and every class; within a stratum a seeded shuffle alternates dev / test. An item that already has
a split keeps it, so adding items never moves old ones between dev and test.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

# the loader every data file is read with (libyaml's, when PyYAML has it); writing stays pure-Python, whose layout
# the files have
from advisor.corpus_data import YAML_LOADER as LOADER

SEED = 20261202
HERE = Path(__file__).parent
SETS = ("understanding", "selection", "conversations", "intents", "facts", "premises")


def stratum(name: str, item: dict) -> tuple:
    if name == "selection":
        return item["author"], item.get("intent"), item.get("primary"), item.get("stack")
    if name == "intents":
        return item["author"], item["intent"]
    if name == "understanding":
        return item["author"], min(item["facts"], default="")
    if name == "facts":
        return item["author"], item.get("source"), tuple(item.get("about") or ())[:1]
    if name == "premises":
        return item["author"], item["false_premise"]
    return (item["author"],)


def split(name: str, items: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for item in items:
        if "split" not in item:
            groups[stratum(name, item)].append(item)
    rng = random.Random(f"{SEED}:{name}")
    turn = 0  # carries across strata so odd-sized strata do not all favour dev
    for key in sorted(groups, key=repr):
        members = sorted(groups[key], key=lambda i: i["id"])
        rng.shuffle(members)
        for item in members:
            item["split"] = ("dev", "test")[turn % 2]
            turn += 1
    return items


def main() -> int:
    drafts = HERE / "drafts"
    for name in SETS:
        target = HERE / f"{name}.yaml"
        items: list[dict] = (yaml.load(target.read_text(encoding="utf-8"), Loader=LOADER) or []
                             if target.exists() else [])
        known = {i["id"] for i in items}
        for path in sorted(drafts.glob(f"{name}-*.yaml")):
            drafted = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or []
            items += [i for i in drafted if i["id"] not in known]
        if not items:
            print(f"{name}: nothing to split", file=sys.stderr)
            continue
        split(name, items)
        header = (f"# Held-out {name} set: written from the article and evals/LABELLING.md only, by writers who\n"
                  f"# read no advisor code. Split by evals/split.py (seed {SEED}); tune on dev, report test.\n")
        body = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=110)
        target.write_text(header + body, encoding="utf-8")
        counts = {s: sum(i["split"] == s for i in items) for s in ("dev", "test")}
        print(f"{name}: {len(items)} items, {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
