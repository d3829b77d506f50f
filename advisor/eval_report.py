"""The eval run as a Markdown report with an SVG chart, compared with the saved baseline."""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape

from advisor.evaluation import Baseline, EvalResults

_RATES_SKIP = ("latency_p50_ms", "latency_p95_ms")


def _fmt(value: float | None, metric: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if metric.endswith("_ms") else f"{value:.3f}"


def chart_svg(results: EvalResults, baseline: Baseline | None, thresholds: dict[str, float]) -> str:
    """Horizontal bars: this run (dark), the baseline (light, beneath), the threshold (red tick)."""
    names = [m for m, v in results.metrics.items() if m not in _RATES_SKIP and v is not None]
    row, left, width = 26, 230, 360
    height = 40 + row * len(names)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 70}" height="{height}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="16" font-weight="bold">{escape(results.backend)} backend: this run '
           f'(dark), baseline (light), threshold (red)</text>']
    for i, name in enumerate(names):
        y = 30 + i * row
        value = results.metrics[name] or 0.0
        out.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{escape(name)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{width}" height="18" fill="#f1f1f1"/>')
        if baseline is not None and baseline.metrics.get(name) is not None:
            out.append(f'<rect x="{left}" y="{y + 12}" width="{width * baseline.metrics[name]:.1f}" height="6" '
                       'fill="#9ecae1"/>')
        out.append(f'<rect x="{left}" y="{y}" width="{width * value:.1f}" height="11" fill="#2b6cb0"/>')
        if name in thresholds:
            x = left + width * thresholds[name]
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 2}" y2="{y + 20}" stroke="#d62728" '
                       'stroke-width="2"/>')
        out.append(f'<text x="{left + width + 6}" y="{y + 14}">{value:.3f}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def report_markdown(results: EvalResults, baseline: Baseline | None, thresholds: dict[str, float],
                    failures: list[str], chart_file: str) -> str:
    verdict = "**FAIL**: " + "; ".join(failures) if failures else "**PASS**: every gated metric meets its threshold"
    lines = [
        f"# Eval report: {results.backend} backend",
        "",
        f"{len(results.cases)} cases from `{results.cases_file}`, run {results.started} in {results.duration_s} s. "
        + (f"Baseline: {baseline.started}." if baseline else "No saved baseline for this backend yet."),
        "",
        verdict,
        "",
        f"![metrics]({chart_file})",
        "",
        "| metric | this run | cases | baseline | change | threshold |",
        "|---|---|---|---|---|---|",
    ]
    for name, value in results.metrics.items():
        base = baseline.metrics.get(name) if baseline else None
        change = "–" if value is None or base is None else f"{value - base:+.3f}"
        gate = thresholds.get(name)
        mark = "" if gate is None else (" ✅" if value is not None and value >= gate else " ❌")
        lines.append(f"| {name} | {_fmt(value, name)}{mark} | {results.support.get(name, 0)} | {_fmt(base, name)} "
                     f"| {change} | {'–' if gate is None else gate} |")

    by_kind: dict[str, list[bool]] = defaultdict(list)
    for c in results.cases:
        by_kind[c.kind].append(c.passed)
    lines += ["", "## Cases by kind", "", "| kind | passed | of |", "|---|---|---|"]
    lines += [f"| {k} | {sum(v)} | {len(v)} |" for k, v in sorted(by_kind.items())]

    if baseline:
        regressed = [c.id for c in results.cases if baseline.passed.get(c.id) is True and not c.passed]
        fixed = [c.id for c in results.cases if baseline.passed.get(c.id) is False and c.passed]
        lines += ["", "## Compared with the baseline", "",
                  f"- regressed ({len(regressed)}): {', '.join(regressed) or 'none'}",
                  f"- now passing ({len(fixed)}): {', '.join(fixed) or 'none'}"]

    failed = [c for c in results.cases if not c.passed]
    counts = Counter(name for c in failed for name in c.failed)
    lines += ["", f"## Failing cases ({len(failed)})", ""]
    if counts:
        lines += ["Failed checks: " + ", ".join(f"{n} × {k}" for k, n in counts.most_common()), ""]
    for c in failed:
        why = c.error or ", ".join(c.failed)
        lines.append(f"- **{c.id}** ({c.kind}): {why}. Asked: “{_one_line(c.turns[-1], 140)}”; got "
                     f"{c.intent or 'no answer'}" + (f", primary {c.primary}" if c.primary else "")
                     + (f"; problems: {'; '.join(c.problems[:3])}" if c.problems else ""))
    return "\n".join(lines) + "\n"


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
