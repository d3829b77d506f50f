"""`advisor` command line: ingest, ask (text, --json, --jsonl)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap
import time

from advisor.errors import AdvisorError, InputError

EXIT_USAGE = 2


def _err(message: str) -> None:
    print(f"advisor: error: {message}", file=sys.stderr)


def _build(args):
    from advisor import regex_cache
    from advisor.settings import Settings

    overrides: dict = {}
    if getattr(args, "data_dir", None):
        overrides.setdefault("paths", {})["data_dir"] = args.data_dir
    if getattr(args, "corpus_dir", None):
        overrides.setdefault("paths", {})["corpus_dir"] = args.corpus_dir
    settings = Settings(**overrides)
    if getattr(args, "backend", None):
        settings.llm.mode = args.backend
    # before the advisor's modules are imported: they compile most of their patterns at import and first use
    regex_cache.enable(settings.paths.data_dir / "regex" / "compiled.marshal")
    from advisor.service import Advisor

    return Advisor(settings)


def render_sources(answer) -> str:
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    shown = [c for c in answer.citations if c.n in used]
    out: list[str] = []
    if shown:
        out += ["", "Sources:"]
        for c in shown:
            quote = textwrap.shorten(c.quote.replace("\n", " "), 220, placeholder=" …")
            out.append(f"  [{c.n}] {c.section}: “{quote}”")
        if len(shown) < len(answer.citations):
            out.append(f"  (+{len(answer.citations) - len(shown)} more behind the scores: see --json)")
    if answer.scores:
        out += ["", "Scores: " + ", ".join(f"{s.tool} {s.score:+g}" for s in answer.scores)]
    out.append(f"[{answer.backend}{'' if answer.grounded else ', not fully grounded'}]")
    return "\n".join(out)


def render_text(answer) -> str:
    notice = [f"({answer.notice})", ""] if answer.notice else []
    return "\n".join([*notice, answer.answer, render_sources(answer)])


def stream_to_terminal(events, out=sys.stdout):
    """Print guarded text as it arrives; on a fallback, say so and print the replacement."""
    answer = None
    for event in events:
        if event.answer is not None:
            answer = event.answer
            break
        if event.reset:
            out.write("\n\n---\n")
        out.write(event.text)
        out.flush()
    out.write("\n")
    if answer.notice:
        out.write(f"({answer.notice})\n")
    out.write(render_sources(answer) + "\n")
    return answer


def cmd_ingest(args) -> int:
    advisor = _build(args)
    report, dropped = advisor.ingest(rebuild=args.rebuild)
    print(report.summary())
    print(f"dropped {len(dropped)} promotional lines or sentences")
    return 0


def cmd_ask(args) -> int:
    advisor = _build(args)
    advisor.ensure_index(notify=lambda m: print(f"advisor: {m}", file=sys.stderr))
    if args.jsonl:
        failed = 0
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                answer = advisor.ask(line.rstrip("\n"))
                print(answer.model_dump_json(), flush=True)
            except AdvisorError as exc:
                failed += 1
                print(json.dumps({"question": line.rstrip("\n")[:200], "error": str(exc)}), flush=True)
        return EXIT_USAGE if failed else 0
    if not args.question:
        raise AdvisorError("give a question, or --jsonl to read questions from standard input")
    question = " ".join(args.question)
    if args.json:
        print(advisor.ask(question).model_dump_json(indent=2))
    else:
        stream_to_terminal(advisor.stream(question))
    return 0


def cmd_chat(args) -> int:
    from advisor.chat import Conversation

    advisor = _build(args)
    advisor.ensure_index(notify=lambda m: print(f"advisor: {m}", file=sys.stderr))
    conversation = Conversation(advisor)
    print("Describe your team or ask about MLOps tools. Empty line or Ctrl-D to quit.")
    while True:
        try:
            message = input("\nyou> ").strip()
        except EOFError:
            break
        if not message:
            break
        print("advisor> ", end="", flush=True)
        try:
            stream_to_terminal(conversation.stream(message))
        except AdvisorError as exc:
            _err(str(exc))
    return 0


def cmd_serve(args) -> int:
    # Before gradio is imported (lazily, below): no telemetry, no Hub look-ups.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from advisor.ui.web import serve

    serve(_build(args), args.host, args.port)
    return 0


def cmd_traces(args) -> int:
    advisor = _build(args)
    traces = advisor.traces.last(args.last)
    if args.json:
        for t in traces:
            print(t.model_dump_json())
        return 0
    if not traces:
        print("no traces yet")
    for t in traces:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t.created))
        flag = "" if t.grounded else " NOT GROUNDED"
        print(f"{when} {t.id[:8]} [{t.intent}, {t.backend}{flag}] {t.question[:80]}")
        print(f"    rules: {', '.join(t.rules_fired) or '-'}; retrieved: "
              f"{', '.join(r['chunk_id'].split('#')[-1] for r in t.retrieved[:3])}; "
              f"total {t.timings_ms.get('total', 0):.0f} ms")
        for v in t.guard:
            if not v.get("ok", True):
                print(f"    dropped: {v['sentence'][:90]!r} ({'; '.join(v.get('problems', []))})")
        if t.notice:
            print(f"    notice: {t.notice}")
    return 0


def cmd_eval(args) -> int:
    from pathlib import Path

    from advisor.eval_report import chart_svg, report_markdown
    from advisor.evalset import default_cases_path, load_cases
    from advisor.evaluation import (
        default_baseline_path,
        default_thresholds_path,
        gate,
        load_baseline,
        load_heldout_thresholds,
        load_thresholds,
        run,
        save_baseline,
        write_atomically,
    )

    advisor = _build(args)
    backend = advisor.settings.llm.mode
    cases_path = Path(args.cases) if args.cases else default_cases_path()
    cases = load_cases(cases_path)
    if args.kind:
        cases = [c for c in cases if c.kind in args.kind]
    if args.limit:
        cases = cases[: args.limit]
    if not cases:
        raise InputError("no eval cases selected")
    thresholds = load_thresholds(Path(args.thresholds) if args.thresholds else default_thresholds_path(), backend)
    baseline_path = Path(args.baseline) if args.baseline else default_baseline_path(backend)
    baseline = load_baseline(baseline_path)
    out = Path(args.out or Path("eval-results") / backend)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder")
    advisor.ensure_index(notify=lambda m: print(f"advisor: {m}", file=sys.stderr))

    from tqdm import tqdm

    def progress(items):
        return tqdm(items, desc=f"eval ({backend})", unit="case", file=sys.stderr, dynamic_ncols=True)

    results = run(advisor, cases, str(cases_path), progress)
    gated = not (args.kind or args.limit)
    failures = gate(results.metrics, thresholds) if gated else []
    heldout, heldout_md = None, ""
    if args.heldout and gated:
        from advisor.understanding_eval import SCORERS, heldout_gate, heldout_markdown, run_heldout

        # Understanding and decisions are computed, so the held-out sets run on the deterministic path
        # whatever backend words the answers (only a narration model would be slower, not different).
        plain = advisor if backend == "none" else type(advisor)(advisor.settings.model_copy(
            update={"llm": advisor.settings.llm.model_copy(update={"mode": "none"})}))
        jobs = args.jobs or min(2, os.cpu_count() or 1)
        splits = tuple(args.heldout_split or ("dev", "test"))
        heldout = run_heldout(plain, splits=splits, jobs=jobs,
                              progress=lambda it: tqdm(it, desc="held-out sets", unit="set",
                                                       total=len(splits) * len(SCORERS), file=sys.stderr,
                                                       dynamic_ncols=True))
        floors = load_heldout_thresholds(Path(args.thresholds) if args.thresholds else default_thresholds_path())
        # the gate reads test only: a dev-only run is for tuning and gates nothing (its report says so)
        failures += heldout_gate(heldout, floors) if "test" in splits else []
        heldout_md = heldout_markdown(heldout, floors)
    write_atomically(out / "metrics.svg", chart_svg(results, baseline, thresholds))
    write_atomically(out / "report.md", report_markdown(results, baseline, thresholds, failures, "metrics.svg")
                     + heldout_md)
    write_atomically(out / "results.json", results.model_dump_json(indent=1) + "\n")
    if heldout is not None:
        write_atomically(out / "heldout.json", heldout.model_dump_json(indent=1) + "\n")
    if args.save_baseline:
        save_baseline(results, baseline_path)
    for name in ("recommendation_accuracy", "numeric_fidelity", "citation_validity", "case_pass_rate"):
        print(f"{name}: {results.metrics.get(name)}")
    if heldout is not None:
        hm = heldout.metrics
        for name in ("fact_precision", "fact_f1", "selection_accuracy", "ruled_out_picked", "ruled_out_confident",
                     "stack_named_rate", "conversation_accuracy", "intent_accuracy"):
            dev, test = (hm.get(f"{split}.{name}", "not scored") for split in ("dev", "test"))
            print(f"held-out {name}: dev {dev}, test {test}")
    print(f"report: {out / 'report.md'}")
    for failure in failures:
        _err(failure)
    return 1 if failures else 0


def cmd_slack(args) -> int:
    from advisor.ui.slack import run  # slack-bolt is imported (or reported missing) only here

    return run(_build(args), http=args.http, host=args.host, port=args.port)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="advisor", description="Grounded advice on MLOps tooling, with citations.")
    p.add_argument("--data-dir",
                   help="where the index lives (default: ADVISOR_PATHS__DATA_DIR or ~/.local/share/advisor)")
    p.add_argument("--corpus-dir", help="documents and rules (default: the packaged corpus)")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="chunk and embed the corpus into the index")
    ing.add_argument("--rebuild", action="store_true", help="re-embed everything (swapped in only when complete)")
    ing.set_defaults(func=cmd_ingest)

    ask = sub.add_parser("ask", help="ask a question")
    ask.add_argument("question", nargs="*", help="the question (quote it)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--jsonl", action="store_true", help="read one question per line on stdin, print JSON lines")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation in the terminal, streamed")
    chat.set_defaults(func=cmd_chat)

    serve = sub.add_parser("serve", help="the chat UI in the browser (default http://127.0.0.1:7860)")
    serve.add_argument("--host", default=None, help="address to listen on (default: ADVISOR_SERVE__HOST or 127.0.0.1)")
    serve.add_argument("--port", type=_positive, default=None, help="port (default: ADVISOR_SERVE__PORT or 7860)")
    serve.set_defaults(func=cmd_serve)

    traces = sub.add_parser("traces", help="show recent answer traces")
    traces.add_argument("--last", type=_positive, default=10, metavar="N", help="how many (default 10)")
    traces.add_argument("--json", action="store_true", help="one JSON object per trace")
    traces.set_defaults(func=cmd_traces)

    slack = sub.add_parser("slack", help="the Slack bot (Socket Mode; --http for the Events API)")
    slack.add_argument("--http", action="store_true",
                       help="serve the Events API at /slack/events instead of Socket Mode (needs SLACK_SIGNING_SECRET)")
    slack.add_argument("--host", help="address for --http (default: ADVISOR_SLACK__HOST or 127.0.0.1)")
    slack.add_argument("--port", type=_positive, help="port for --http (default: ADVISOR_SLACK__PORT or 3000)")
    slack.add_argument("--backend", choices=["local", "ollama", "openai", "none"], default=None,
                       help="who words the answers (default: ADVISOR_LLM__MODE or local)")
    slack.set_defaults(func=cmd_slack)

    ev = sub.add_parser("eval", help="run the offline eval suite; exit 1 when a metric is below its threshold")
    ev.add_argument("--cases", help="eval cases YAML (default: the packaged evals/cases.yaml)")
    ev.add_argument("--out", help="folder for results.json, report.md, metrics.svg (default: eval-results/BACKEND)")
    ev.add_argument("--thresholds", help="gates YAML (default: the packaged evals/thresholds.yaml)")
    ev.add_argument("--baseline", help="baseline JSON to compare with (default: evals/baselines/BACKEND.json)")
    ev.add_argument("--save-baseline", action="store_true", help="save this run as the new baseline")
    ev.add_argument("--kind", action="append", help="only cases of this kind (repeatable; no gating)")
    ev.add_argument("--limit", type=_positive, help="only the first N cases (no gating)")
    ev.add_argument("--no-heldout", dest="heldout", action="store_false",
                    help="skip the held-out understanding sets (evals/understanding.yaml and the rest; both splits, "
                         "gated on test)")
    ev.add_argument("--heldout-split", action="append", choices=("dev", "test"), default=None,
                    help="score only this split of the held-out sets (repeatable; default: both). The gate reads "
                         "test, so `--heldout-split test` gates in half the time without reporting dev")
    ev.add_argument("--jobs", type=_positive, default=None,
                    help="worker processes for the held-out sets (default: 2 on a machine with 2+ cores)")
    ev.set_defaults(func=cmd_eval)

    for command in (ask, chat, ev, serve):
        command.add_argument("--backend", choices=["local", "ollama", "openai", "none"], default=None,
                             help="who words the answer (default: ADVISOR_LLM__MODE or local; "
                                  "none: the deterministic composer)")
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except AdvisorError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: one line, not a traceback
        if os.environ.get("ADVISOR_DEBUG"):
            raise
        _err(f"internal error: {exc.__class__.__name__}: {exc} (set ADVISOR_DEBUG=1 for details)")
        return 1
    finally:
        from advisor import regex_cache

        regex_cache.save()


if __name__ == "__main__":
    sys.exit(main())
