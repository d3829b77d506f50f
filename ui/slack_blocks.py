"""Pure translation between the advisor's answers and Slack: mrkdwn, Block Kit, Slack's size limits.

No Slack client here, so every rule (escaping, splitting, limits) is unit-testable on its own.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

# Slack's documented limits (Block Kit reference; chat.postMessage).
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS = 10
CONTEXT_ELEMENTS = 10
MAX_BLOCKS = 50
MESSAGE_TEXT = 40000
BUTTON_VALUE = 2000

QUOTE_CHARS = 300
SECTION_NAME_CHARS = 80
WHY_CHARS = 160
QUESTION_CHARS = 150
SCORES_SHOWN = 8

Message = dict[str, Any]  # the keyword arguments of chat.postMessage: text, blocks


@cache
def strings() -> dict[str, Any]:
    return yaml.safe_load(files("advisor.ui").joinpath("slack.yaml").read_text(encoding="utf-8"))


# ---- text ----------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Slack's three control characters; with them escaped, no text can form <!channel>, <@U…> or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_SLACK_MARKUP = re.compile(r"<([^<>\n]+)>")


def plain_text(text: str, bot_user_id: str | None = None) -> str:
    """A message as its author wrote it: Slack markup (<@U1>, <!here>, <url|label>) read back, entities decoded,
    the bot's own mention removed."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)

    def read(m: re.Match) -> str:
        target, _, label = m.group(1).partition("|")
        if target[:1] in "@#":
            return label if label.startswith(target[0]) else target[0] + (label or target[1:])
        if target.startswith("!"):  # <!here>, <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
            return label or "@" + target[1:].split("^")[0]
        return label or target.removeprefix("mailto:")

    text = _SLACK_MARKUP.sub(read, text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]+", " ", text).strip()


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when one is near, ending in an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


# ---- markdown -> mrkdwn --------------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_CODE = re.compile(r"(`[^`\n]+`)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_BOLD_MARK = "\x00"  # stands in for bold while single-star italics are converted


def _emphasis(text: str) -> str:
    text = _BOLD.sub(lambda m: _BOLD_MARK + m.group(2) + _BOLD_MARK, text)
    text = _ITALIC.sub(r"_\1_", text)
    text = _STRIKE.sub(r"~\1~", text)
    return text.replace(_BOLD_MARK, "*")


def _link(url: str, label: str) -> str:
    safe = escape(url).replace("|", "%7C")
    return f"<{safe}|{_emphasis(escape(label))}>"


def _inline(text: str) -> str:
    out: list[str] = []
    for i, part in enumerate(_CODE.split(text)):
        if i % 2:  # a code span: verbatim, escaped
            out.append(escape(part))
            continue
        pos = 0
        for m in _LINK.finditer(part):
            out.append(_emphasis(escape(part[pos:m.start()])))
            out.append(_link(m.group(2), m.group(1)))
            pos = m.end()
        out.append(_emphasis(escape(part[pos:])))
    return "".join(out)


def to_mrkdwn(markdown: str) -> str:
    """Markdown (as the advisor writes it) to Slack mrkdwn, everything escaped: **b** -> *b*, *i* -> _i_,
    headings -> bold lines, [t](url) -> <url|t>, bullets -> •, code kept."""
    lines: list[str] = []
    fenced = False
    for line in markdown.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            lines.append("```")
            continue
        if fenced:
            lines.append(escape(line))
        elif m := _HEADING.match(line):
            title = _BOLD.sub(r"\2", m.group(1))
            lines.append(f"*{_inline(title)}*")
        elif _TABLE_SEP.match(line) and "-" in line:
            continue
        elif _RULE.match(line):
            lines.append("──────────")
        elif m := _BULLET.match(line):
            lines.append(f"{m.group(1)}• {_inline(m.group(2))}")
        elif m := _QUOTE.match(line):
            lines.append(f"> {_inline(m.group(1))}")  # a literal '>' starts a Slack quote; it is not escaped
        else:
            lines.append(_inline(line))
    return "\n".join(lines).strip("\n")


# ---- splitting ------------------------------------------------------------------------------------------


def _safe_cut(text: str, limit: int) -> int:
    """Where to cut `text` (at most `limit`) without breaking an entity (&amp;) or a <link|label>."""
    cut = limit
    for sep in ("\n", " "):
        at = text.rfind(sep, 0, limit)
        if at > limit // 2:
            return at
    amp = text.rfind("&", max(0, cut - 8), cut)
    if amp != -1 and ";" not in text[amp:cut]:
        cut = amp
    lt = text.rfind("<", 0, cut)
    if lt != -1 and ">" not in text[lt:cut] and lt > 0:
        cut = lt
    return cut


def split_text(text: str, limit: int = SECTION_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, split at paragraphs, then lines, then words, then anywhere safe."""
    if limit < 16:
        raise ValueError("limit too small to split safely")
    pieces: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        candidate = f"{current}\n\n{para}" if current else para
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = para
        while len(current) > limit:
            cut = _safe_cut(current, limit)
            pieces.append(current[:cut].rstrip())
            current = current[cut:].lstrip(" \n")
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()]


# ---- blocks ---------------------------------------------------------------------------------------------


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(texts: list[str]) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in texts]}


def block_text(block: dict[str, Any]) -> str:
    """The readable text of a block, for the message's plain-text fallback."""
    parts: list[str] = []
    if "text" in block and isinstance(block["text"], dict):
        parts.append(block["text"]["text"])
    parts += [f["text"] for f in block.get("fields", [])]
    parts += [e["text"] for e in block.get("elements", []) if e.get("type") in ("mrkdwn", "plain_text")]
    return "\n".join(parts)


def one_line(text: str) -> Message:
    """A short reply (an error, the rate limit): mrkdwn from the bot's own strings, already escaped."""
    return {"text": text, "blocks": [section(text)]}


def _context_blocks(lines: list[str]) -> list[dict[str, Any]]:
    """Lines of small print as context blocks: each element ≤ SECTION_TEXT, ≤ CONTEXT_ELEMENTS per block."""
    elements = split_text("\n".join(lines), SECTION_TEXT)
    return [context(elements[i:i + CONTEXT_ELEMENTS]) for i in range(0, len(elements), CONTEXT_ELEMENTS)]


def _tool(names: dict[str, str], tool_id: str) -> str:
    return escape(names.get(tool_id, tool_id))


def recommendation_blocks(answer, names: dict[str, str]) -> list[dict[str, Any]]:
    s = strings()
    blocks: list[dict[str, Any]] = []
    rec = answer.recommendation
    if rec is not None:
        none = s["none"]
        values = {
            "primary": _tool(names, rec.primary),
            "secondary": ", ".join(_tool(names, t) for t in rec.secondary) or none,
            "avoid": ", ".join(_tool(names, t) for t in rec.avoid) or none,
            "stack": escape(rec.stack_pattern) if rec.stack_pattern else none,
            "confidence": escape(rec.confidence),
        }
        fields = [{"type": "mrkdwn", "text": s["fields"][k].format(value=truncate(v, FIELD_TEXT // 2))}
                  for k, v in values.items()][:FIELDS]
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": s["recommendation_title"]},
                       "fields": fields})
    if answer.scores:
        lines = [s["scores_title"]]
        for score in answer.scores[:SCORES_SHOWN]:
            top = max(score.reasons, key=lambda r: abs(r.delta), default=None)
            why = f" — {escape(truncate(top.why, WHY_CHARS))} [{top.citation}]" if top else ""
            lines.append(s["score_line"].format(tool=_tool(names, score.tool), score=f"{score.score:+g}", why=why))
        blocks += [section(piece) for piece in split_text("\n".join(lines))]
    return blocks


def source_blocks(answer) -> list[dict[str, Any]]:
    """Each passage the answer text cites ([n] section — “quote”), then how many more sit behind the scores."""
    s = strings()
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    shown = [c for c in answer.citations if c.n in used] or list(answer.citations)
    if not shown:
        return []
    lines = [s["sources_title"]]
    for c in shown:
        name = truncate(c.section.split(" > ")[-1], SECTION_NAME_CHARS)
        lines.append(s["source"].format(n=c.n, section=escape(name), quote=escape(truncate(c.quote, QUOTE_CHARS))))
    if len(shown) < len(answer.citations):
        lines.append(s["more_sources"].format(count=len(answer.citations) - len(shown)))
    return _context_blocks(lines)


def feedback_block(trace_id: str) -> dict[str, Any]:
    s = strings()["feedback"]

    def button(rating: str) -> dict[str, Any]:
        return {"type": "button", "action_id": f"feedback_{rating}", "value": trace_id[:BUTTON_VALUE],
                "text": {"type": "plain_text", "text": s[rating], "emoji": True}}

    return {"type": "actions", "block_id": "feedback", "elements": [button("up"), button("down")]}


def answer_blocks(answer, names: dict[str, str]) -> list[dict[str, Any]]:
    """Every block of a reply, in reading order, each within Slack's per-block limits."""
    s = strings()
    blocks: list[dict[str, Any]] = []
    if answer.notice:
        blocks += _context_blocks([s["notice"].format(notice=escape(answer.notice))])
    blocks += [section(piece) for piece in split_text(to_mrkdwn(answer.answer))]
    blocks += recommendation_blocks(answer, names)
    blocks += source_blocks(answer)
    backend = s["backend_none"] if answer.backend == "none" else escape(answer.backend)
    backend += "" if answer.grounded else f", {s['ungrounded']}"
    footer = s["footer"].format(question=escape(truncate(answer.question, QUESTION_CHARS)), backend=backend)
    blocks.append(context([footer]))
    if answer.trace_id:
        blocks.append(context([s["feedback"]["prompt"]]))
        blocks.append(feedback_block(answer.trace_id))
    return blocks


def paginate(blocks: list[dict[str, Any]]) -> list[Message]:
    """Messages of at most MAX_BLOCKS blocks whose fallback text stays within MESSAGE_TEXT; the blocks are
    already within their own limits, so every message is postable."""
    messages: list[Message] = []
    current: list[dict[str, Any]] = []
    texts: list[str] = []

    def flush() -> None:
        text = "\n".join(t for t in texts if t) or strings()["feedback"]["prompt"]
        messages.append({"text": text, "blocks": list(current)})
        current.clear()
        texts.clear()

    size = 0
    for block in blocks:
        text = block_text(block)
        if current and (len(current) == MAX_BLOCKS or size + len(text) + 1 > MESSAGE_TEXT):
            flush()
            size = 0
        current.append(block)
        texts.append(text)
        size += len(text) + 1
    if current:
        flush()
    return messages


def answer_messages(answer, names: dict[str, str]) -> list[Message]:
    """The reply to post, as one or more chat.postMessage payloads (in order, same thread)."""
    return paginate(answer_blocks(answer, names))
