"""Data-file loading benchmark: what reading the held-out sets costs with the loader every data file now uses.

Run: .venv/bin/python bench/bench_data.py [--rounds N]

In the same run, for each held-out set (evals/<set>.yaml) and for all six together: parsing the file with
PyYAML's pure-Python safe loader (the baseline, what `corpus_data.load_yaml` used before) and with
`corpus_data.YAML_LOADER` (libyaml's safe loader when PyYAML has it), checking that both build the same objects.
Parsing only: validation into pydantic models is the same afterwards either way. Prints a Markdown table for
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import pct  # noqa: E402 - beside this script

from advisor.corpus_data import YAML_LOADER  # noqa: E402
from advisor.heldout import SETS  # noqa: E402


def timed(text: str, loader, rounds: int) -> tuple[list[float], object]:
    out, data = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        data = yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe loaders
        out.append((time.perf_counter() - t0) * 1000)
    return out, data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    print(f"loader: {YAML_LOADER.__name__}; rounds: {args.rounds}\n")
    print("| set | size KB | pure-Python median / p95 ms | loader median / p95 ms | ratio (median) |")
    print("|---|---:|---:|---:|---:|")
    totals_py, totals_c = [0.0] * args.rounds, [0.0] * args.rounds
    for name in SETS:
        path = ROOT / "evals" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        py, a = timed(text, yaml.SafeLoader, args.rounds)
        c, b = timed(text, YAML_LOADER, args.rounds)
        if a != b:
            raise SystemExit(f"{name}: the two loaders built different objects")
        totals_py = [x + y for x, y in zip(totals_py, py, strict=True)]
        totals_c = [x + y for x, y in zip(totals_c, c, strict=True)]
        print(f"| {name} | {len(text.encode()) / 1024:.0f} | {statistics.median(py):.0f} / {pct(py, 95):.0f} | "
              f"{statistics.median(c):.0f} / {pct(c, 95):.0f} | {statistics.median(py) / statistics.median(c):.1f}× |")
    print(f"| all six | | {statistics.median(totals_py):.0f} / {pct(totals_py, 95):.0f} | "
          f"{statistics.median(totals_c):.0f} / {pct(totals_c, 95):.0f} | "
          f"{statistics.median(totals_py) / statistics.median(totals_c):.1f}× |")


if __name__ == "__main__":
    main()
