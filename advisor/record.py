"""An Architecture Decision Record (Markdown) from an answer or a decision: a pure function of its inputs."""

from __future__ import annotations

import datetime as dt

from advisor.answer import Answer, AssumptionOut, HingeOut, ReasonOut, RecommendationOut, ScoreOut
from advisor.composer import Citations
from advisor.profile import TeamProfile, say_value
from advisor.rules import Decision


def _from_decision(d: Decision) -> Answer:
    """The structured parts of an answer, numbering the rules' passages in order of use."""
    cites = Citations({})
    scores = [ScoreOut(tool=s.tool, score=s.score, reasons=[
        ReasonOut(rule=c.rule, delta=c.delta, why=c.why, citation=cites.cite(c.citation)) for c in s.reasons])
        for s in d.scores]
    return Answer(question="", answer="", in_scope=True, intent="recommend", profile=d.profile.model_dump(),
                  recommendation=RecommendationOut(**d.recommendation.model_dump()), scores=scores,
                  assumptions=[AssumptionOut(**a.model_dump()) for a in d.assumptions],
                  hinges=[HingeOut(**h.model_dump()) for h in d.hinges], citations=cites.items)


def _text(value: str) -> str:
    """User or corpus text on one line, opening no HTML tag a Markdown viewer would render ("&", ">" stay)."""
    return " ".join(value.split()).replace("<", "&lt;")


def _cell(value: str) -> str:
    return _text(value).replace("|", "\\|")


def decision_record(answer_or_decision: Answer | Decision, profile: TeamProfile | None = None, *,
                    names: dict[str, str] | None = None, date: dt.date | None = None,
                    status: str = "Proposed") -> str:
    """Markdown ADR: title, date, status, context, decision, alternatives, consequences, citations.

    `profile` is the team as finally understood (default: the answer's); `names` maps tool ids to names."""
    a = answer_or_decision if isinstance(answer_or_decision, Answer) else _from_decision(answer_or_decision)
    rec = a.recommendation
    if rec is None:
        raise ValueError("no recommendation to record: describe the team or ask which tool fits")
    profile = profile or a.team_profile
    names = names or {}

    def name(tool: str) -> str:
        return names.get(tool, tool)

    fields = TeamProfile.model_fields
    stated = profile.known()
    assumed = {x.field for x in a.assumptions}
    out = [f"# ADR: {name(rec.primary)} as our primary MLOps tool", "",
           f"- Date: {(date or dt.date.today()).isoformat()}", f"- Status: {status}",
           f"- Confidence: {rec.confidence}", ""]

    out += ["## Context", ""]
    if a.question and not a.question.startswith("("):
        out += [f"Question asked: “{_text(a.question)}”", ""]
    out.append("Stated by the team:")
    out += [f"- {fields[k].description.rstrip('.')}: {say_value(v)}" for k, v in stated.items()] or ["- nothing yet"]
    out += ["", "Assumed (not stated; conservative defaults):"]
    out += [f"- {_text(x.say)}" + (" (this assumption changes the pick)" if x.matters else "")
            for x in a.assumptions] or ["- nothing"]
    unknown = [k for k in fields if k not in stated and k not in assumed]
    if unknown:
        out += ["", "Not known: " + "; ".join(fields[k].description.rstrip(".") for k in unknown) + "."]

    out += ["", "## Decision", "", f"We adopt **{name(rec.primary)}** as the primary tool (confidence: "
            f"{rec.confidence})."]
    if rec.secondary:
        out.append(f"Secondary: {', '.join(name(t) for t in rec.secondary)}.")
    if rec.stack_pattern:
        out.append(f"Stack pattern: {_text(rec.stack_pattern)}.")
    primary = next((s for s in a.scores if s.tool == rec.primary), None)
    if primary is not None:
        out += ["", "Reasons:"]
        out += [f"- {_text(r.why)} ({r.delta:+g}) [{r.citation}]" for r in primary.reasons if r.delta > 0]

    out += ["", "## Alternatives considered", "", "| tool | score | for | against |", "|---|---|---|---|"]
    for s in a.scores:
        pro = "; ".join(f"{_cell(r.why)} [{r.citation}]" for r in s.reasons if r.delta > 0) or "-"
        con = "; ".join(f"{_cell(r.why)} [{r.citation}]" for r in s.reasons if r.delta < 0) or "-"
        out.append(f"| {_cell(name(s.tool))}{' (chosen)' if s.tool == rec.primary else ''} | {s.score:+g} | "
                   f"{pro} | {con} |")

    out += ["", "## Consequences", ""]
    by_tool = {s.tool: s for s in a.scores}
    for tool in rec.avoid:
        against = [r for r in by_tool[tool].reasons if r.delta < 0] if tool in by_tool else []
        why = "; ".join(f"{_text(r.why)} [{r.citation}]" for r in against[:3])
        out.append(f"- Avoid {name(tool)} for now" + (f": {why}" if why else "."))
    if a.cost is not None:
        figures = "; ".join(f"{name(k)} {_text(v)}" for k, v in a.cost.figures.items())
        out.append(f"- Cost ({a.cost.band} team; the article's “{_text(a.cost.basis)}” row): {figures} "
                   f"[{a.cost.citation}]")
    else:
        out.append("- Cost: unknown until the team size is known.")
    changes = [f"- Would change the advice: {_text(h.ask)} (the pick could become {name(h.primary_would_be)})"
               for h in a.hinges]
    changes += [f"- Would change the advice: {_text(x.say)} is an assumption" for x in a.assumptions if x.matters]
    out += changes or ["- Nothing unknown would change the pick, by the article's rules."]

    out += ["", "## Citations", ""]
    out += [f"- [{c.n}] {_text(c.section) + ': ' if c.section else ''}“{_text(c.quote)}” (`{c.chunk_id}`)"
            for c in a.citations] or ["None."]
    return "\n".join(out) + "\n"
