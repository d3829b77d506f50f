"""Safe HTML and Markdown for the browser UI: chat messages, the sources panel and the score chart.

Nothing here knows Gradio. Every piece of user or corpus text is escaped before it reaches the page, so a
question or a passage can never add markup, script or a request to another host.
"""

from __future__ import annotations

import html
import re

from advisor.answer import Answer, CitationOut
from advisor.profile import TeamProfile, say_value

_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")
_MARKER = re.compile(r"\[(\d+)\]")
# Segment colours: favourable rules in greens, unfavourable in reds; neighbours differ in shade.
_POS = ("#2e7d32", "#66bb6a", "#1b5e20", "#81c784", "#388e3c", "#a5d6a7")
_NEG = ("#c62828", "#ef5350", "#8e0000", "#e57373", "#d32f2f", "#ffab91")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def user_markdown(text: str) -> str:
    """A user's message as literal text in a Markdown renderer: no HTML, links, images or emphasis."""
    return html.escape(_MD_PUNCT.sub(r"\\\1", text), quote=False)


def answer_markdown(text: str, cited: set[int] | None = None) -> str:
    """The advisor's Markdown with HTML escaped and images disabled (no fetch from anywhere); each [n] in
    `cited` becomes a link that opens passage n in the sources panel."""
    text = html.escape(text, quote=False).replace("![", "!\\[")
    if cited:
        text = _MARKER.sub(lambda m: f"[\\[{m[1]}\\]](#source-{m[1]})" if int(m[1]) in cited else m[0], text)
    return text


def answer_with_sources(answer: Answer) -> str:
    """Plain text for API callers: the answer with its [n] markers, then each cited passage verbatim."""
    used = {int(n) for n in _MARKER.findall(answer.answer)}
    lines = [answer.answer]
    shown = [c for c in answer.citations if c.n in used]
    if shown:
        lines += ["", "Sources:"]
        lines += [f"[{c.n}] {c.section}: “{c.quote}” ({c.chunk_id})" for c in shown]
    if answer.notice:
        lines += ["", f"({answer.notice})"]
    return "\n".join(lines)


def sources_html(citations: list[CitationOut], empty: str) -> str:
    """One <details id="source-n"> per passage: the section path opens the verbatim quote."""
    if not citations:
        return f'<div class="adv-sources adv-empty">{esc(empty)}</div>'
    items = []
    for c in citations:
        items.append(
            f'<details class="adv-source" id="source-{c.n}" data-chunk="{esc(c.chunk_id)}" '
            'style="margin:0 0 6px 0;border:1px solid #8884;border-radius:6px;padding:4px 8px">'
            f'<summary style="cursor:pointer"><b>[{c.n}]</b> {esc(c.section or c.chunk_id)}</summary>'
            '<blockquote class="adv-quote" style="white-space:pre-wrap;margin:6px 0;padding-left:8px;'
            f'border-left:3px solid #8888">{esc(c.quote)}</blockquote>'
            f'<div style="font-size:0.8em;opacity:0.7"><code>{esc(c.chunk_id)}</code></div></details>')
    return '<div class="adv-sources">' + "".join(items) + "</div>"


def _segment(reason, scale: float, colour: str) -> str:
    width = abs(reason.delta) / scale * 100
    tip = f"{reason.rule} ({reason.delta:+g}): {reason.why} [{reason.citation}]"
    return (f'<span class="adv-seg" data-rule="{esc(reason.rule)}" data-delta="{reason.delta:g}" '
            f'title="{esc(tip)}" style="display:inline-block;height:100%;width:{width:.2f}%;'
            f'background:{colour};box-shadow:inset -1px 0 0 #fff8"></span>')


def decision_html(answer: Answer | None, names: dict[str, str], text: dict[str, str]) -> str:
    """The recommendation line and a diverging bar per tool, one segment per rule, with a legend listing
    every rule's contribution and its passage."""
    if answer is None or answer.recommendation is None:
        return f'<div class="adv-decision adv-empty">{esc(text["decision_empty"])}</div>'

    def name(tool: str) -> str:
        return names.get(tool, tool)

    rec = answer.recommendation
    facts = [text["confidence"].format(confidence=rec.confidence)]
    if rec.secondary:
        facts.append(text["secondary"].format(tools=", ".join(map(name, rec.secondary))))
    if rec.avoid:
        facts.append(text["avoid"].format(tools=", ".join(map(name, rec.avoid))))
    if rec.stack_pattern:
        facts.append(text["stack"].format(pattern=rec.stack_pattern))
    out = [f'<div class="adv-decision" data-primary="{esc(rec.primary)}">',
           f'<div class="adv-rec" style="font-size:1.15em"><b>'
           f'{esc(text["recommendation"].format(primary=name(rec.primary)))}</b></div>',
           f'<div class="adv-facts" style="opacity:0.85">{esc(" · ".join(facts))}</div>']
    scale = max([1.0] + [max(sum(r.delta for r in s.reasons if r.delta > 0),
                             -sum(r.delta for r in s.reasons if r.delta < 0)) for s in answer.scores])
    for s in answer.scores:
        pos = [r for r in s.reasons if r.delta > 0]
        neg = [r for r in s.reasons if r.delta < 0]
        colours = {id(r): _POS[i % len(_POS)] for i, r in enumerate(pos)}
        colours |= {id(r): _NEG[i % len(_NEG)] for i, r in enumerate(neg)}
        left = "".join(_segment(r, scale, colours[id(r)]) for r in reversed(neg))
        right = "".join(_segment(r, scale, colours[id(r)]) for r in pos)
        legend = "".join(
            f'<li data-rule="{esc(r.rule)}"><span style="display:inline-block;width:0.8em;height:0.8em;'
            f'background:{colours[id(r)]};margin-right:4px"></span><b>{r.delta:+g}</b> '
            f'<code>{esc(r.rule)}</code>: {esc(r.why)} <a href="#source-{r.citation}">[{r.citation}]</a></li>'
            for r in sorted(s.reasons, key=lambda r: -r.delta) if r.delta)
        chosen = " adv-chosen" if s.tool == rec.primary else ""
        out.append(
            f'<div class="adv-tool{chosen}" data-tool="{esc(s.tool)}" data-score="{s.score:g}" '
            'style="margin:10px 0 4px 0">'
            f'<div><b>{esc(name(s.tool))}</b> <span class="adv-score">{s.score:+g}</span></div>'
            '<div class="adv-bar" style="display:flex;height:16px;align-items:stretch">'
            f'<div style="width:50%;display:flex;justify-content:flex-end;background:#8881">{left}</div>'
            '<div style="width:2px;background:#888"></div>'
            f'<div style="width:50%;display:flex;background:#8881">{right}</div></div>'
            f'<details class="adv-legend" open><summary style="cursor:pointer;font-size:0.9em">'
            f'{len(s.reasons)} rules</summary><ul style="margin:4px 0;font-size:0.9em">{legend}</ul></details>'
            "</div>")
    out.append(f'<div style="font-size:0.85em;opacity:0.75">{esc(text["chart_caption"])}</div></div>')
    return "".join(out)


_HOW = {"lexicon": "read from the wording", "quantity": "the number you gave", "meaning": "read by meaning",
        "implication": "follows from what you said", "model": "read by the language model",
        "conversation": "said earlier", "correction": "your correction"}


def evidence_html(evidence: list, corrections: list[str] | None = None, empty: str = "",
                  doubts: list | None = None, spelling: dict[str, str] | None = None) -> str:
    """Why each fact of the profile is known: the user's words and how they were read (escaped); then what
    was only half-said, which is not in the profile until the user confirms it."""
    if not evidence and not corrections and not doubts and not spelling:
        return f'<p class="evidence-empty">{esc(empty)}</p>'
    items = []
    for e in evidence:
        value = say_value(e.value)
        detail = f" ({esc(e.detail)})" if e.detail else ""
        items.append(f'<li data-field="{esc(e.field)}"><b>{esc(TeamProfile.title(e.field))}</b>: {esc(value)} '
                     f'from &ldquo;{esc(e.words)}&rdquo;, {esc(_HOW.get(e.how, e.how))}{detail}</li>')
    for d in doubts or []:
        items.append(f'<li class="doubt" data-field="{esc(d.field)}"><b>{esc(TeamProfile.title(d.field))}</b>: '
                     f'{esc(say_value(d.value))}? from &ldquo;{esc(d.words)}&rdquo;, half-said: not taken as a fact '
                     f'until you set it</li>')
    notes = "".join(f'<li class="correct-me">{esc(c)}</li>' for c in corrections or [])
    # typos corrected before reading: shown so a wrong correction can be seen and rephrased
    notes += "".join(f'<li class="spelling">read &ldquo;{esc(a)}&rdquo; as &ldquo;{esc(b)}&rdquo;</li>'
                     for a, b in (spelling or {}).items())
    return f'<ul class="evidence">{"".join(items)}{notes}</ul>'


def status_html(message: str, kind: str = "info") -> str:
    colour = {"error": "#c62828", "ok": "#2e7d32"}.get(kind, "inherit")
    return f'<div class="adv-status adv-{kind}" style="color:{colour}">{esc(message)}</div>'
