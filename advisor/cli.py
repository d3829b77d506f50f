"""`advisor` command line: ingest, ask (text, --json, --jsonl)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap

from advisor.errors import AdvisorError

EXIT_USAGE = 2


def _err(message: str) -> None:
    print(f"advisor: error: {message}", file=sys.stderr)


def _build(args):
    from advisor.service import Advisor
    from advisor.settings import Settings

    overrides: dict = {}
    if getattr(args, "data_dir", None):
        overrides.setdefault("paths", {})["data_dir"] = args.data_dir
    if getattr(args, "corpus_dir", None):
        overrides.setdefault("paths", {})["corpus_dir"] = args.corpus_dir
    settings = Settings(**overrides)
    if getattr(args, "backend", None):
        settings.llm.mode = args.backend
    return Advisor(settings)


def render_text(answer) -> str:
    out = [answer.answer]
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    shown = [c for c in answer.citations if c.n in used]
    if shown:
        out += ["", "Sources:"]
        for c in shown:
            quote = textwrap.shorten(c.quote.replace("\n", " "), 220, placeholder=" …")
            out.append(f"  [{c.n}] {c.section}: “{quote}”")
        if len(shown) < len(answer.citations):
            out.append(f"  (+{len(answer.citations) - len(shown)} more behind the scores: see --json)")
    if answer.scores:
        out += ["", "Scores: " + ", ".join(f"{s.tool} {s.score:+g}" for s in answer.scores)]
    return "\n".join(out)


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
    answer = advisor.ask(" ".join(args.question))
    print(answer.model_dump_json(indent=2) if args.json else render_text(answer))
    return 0


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
    ask.add_argument("--backend", choices=["none"], default=None, help="answer writer (none: deterministic)")
    ask.set_defaults(func=cmd_ask)
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


if __name__ == "__main__":
    sys.exit(main())
