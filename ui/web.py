"""The browser chat UI: a thin Gradio adapter over advisor.chat.Conversation and the rules engine.

Per-session state only (gr.State); the Advisor is shared by every session. Strings are in web.yaml.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import traceback
import typing
import uuid
from functools import cache
from pathlib import Path
from typing import Any

# Before gradio is imported: no telemetry, no Hub look-ups; the page needs nothing from outside this machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import yaml  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from advisor.answer import Answer  # noqa: E402
from advisor.chat import Conversation  # noqa: E402
from advisor.errors import AdvisorError, ConfigError  # noqa: E402
from advisor.profile import CORE_TOOLS, TeamProfile  # noqa: E402
from advisor.record import decision_record  # noqa: E402
from advisor.rescore import rescore  # noqa: E402
from advisor.service import Advisor, clean_question  # noqa: E402
from advisor.traces import MAX_COMMENT_CHARS, Feedback  # noqa: E402
from advisor.webview import (  # noqa: E402
    answer_markdown,
    answer_with_sources,
    decision_html,
    evidence_html,
    sources_html,
    status_html,
    user_markdown,
)

try:
    import gradio as gr
except ImportError as exc:  # pragma: no cover - gradio is a core dependency
    raise ConfigError("the browser UI needs gradio: pip install 'gradio>=6,<7'") from exc

UNKNOWN = "unknown"
# Integer fields: (the slider position that means "not said", the slider's default maximum).
COUNTS = {"team_size": (0, 200), "k8s_engineers": (-1, 30), "platform_engineers": (-1, 30)}
BOOLS = [k for k, f in TeamProfile.model_fields.items() if set(typing.get_args(f.annotation)) == {bool, type(None)}]
PLATFORMS = list(typing.get_args(typing.get_args(TeamProfile.model_fields["platform"].annotation)[0]))
FIELDS = [*COUNTS, "maturity", "platform", "current_tools", *BOOLS]

# Opens the passage when a [n] link (in the chat or the chart legend) is clicked, instead of navigating.
JS = """
() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#source-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const passage = document.getElementById(link.getAttribute('href').slice(1));
    if (passage) { passage.open = true; passage.scrollIntoView({block: 'nearest'}); }
  }, true);
}
"""

_warm_lock = threading.Lock()


@cache
def texts() -> dict[str, Any]:
    from importlib.resources import files

    return yaml.safe_load(files("advisor.ui").joinpath("web.yaml").read_text(encoding="utf-8"))


def theme():
    # System fonts only: Gradio's default theme fetches Google Fonts, and this page must work offline.
    return gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"],
                             font_mono=["ui-monospace", "monospace"])


def warm(advisor: Advisor) -> None:
    """Build the Advisor's lazy parts once, before sessions race to build them concurrently."""
    with _warm_lock:
        for part in ("vocab", "engine", "extractor", "scope", "composer", "traces"):
            getattr(advisor, part)
        advisor.retriever.by_id  # noqa: B018 - reads the chunks back from the index
        advisor.reader.warm()  # embeds the example banks (cached in the data dir after the first start)
        advisor.passages.warm()  # and the corpus sentences a factual answer weighs by meaning
        try:
            advisor.narrator  # noqa: B018 - an unavailable model is reported with each answer instead
        except AdvisorError as exc:
            print(f"advisor: warning: {exc}", file=sys.stderr)


# ---- profile <-> widgets ---------------------------------------------------------------------------


def widget_values(profile: TeamProfile) -> list[Any]:
    out: list[Any] = []
    for key in FIELDS:
        value = getattr(profile, key)
        if key in COUNTS:
            out.append(COUNTS[key][0] if value is None else value)
        elif key == "maturity" or key == "platform":
            out.append(UNKNOWN if value is None else str(value))
        elif key == "current_tools":
            out.append(list(value))
        else:
            out.append(UNKNOWN if value is None else "yes" if value else "no")
    return out


def profile_from(values: list[Any]) -> TeamProfile:
    data: dict[str, Any] = {}
    for key, value in zip(FIELDS, values, strict=True):
        if key in COUNTS:
            n = round(float(value if value is not None else COUNTS[key][0]))
            data[key] = None if n <= COUNTS[key][0] else n
        elif key == "maturity":
            data[key] = None if value in (None, UNKNOWN) else int(value)
        elif key == "platform":
            data[key] = None if value in (None, UNKNOWN) else value
        elif key == "current_tools":
            data[key] = list(value or [])
        else:
            data[key] = None if value in (None, UNKNOWN) else value == "yes"
    return TeamProfile.model_validate(data)


def _widget(key: str, t: dict[str, Any], names: dict[str, str]) -> gr.components.Component:
    spec = t["profile"][key]
    label, info, eid = spec["label"], spec.get("info"), f"profile-{key}"
    unknown = (t["not_said"], UNKNOWN)
    if key in COUNTS:
        low, high = COUNTS[key]
        return gr.Slider(low, high, value=low, step=1, label=label, info=info, elem_id=eid)
    if key == "maturity":
        choices = [unknown] + [(c, str(i)) for i, c in enumerate(spec["choices"])]
        return gr.Radio(choices, value=UNKNOWN, label=label, info=info, elem_id=eid)
    if key == "platform":
        return gr.Dropdown([unknown] + [(t["platforms"].get(p, p), p) for p in PLATFORMS], value=UNKNOWN,
                           label=label, elem_id=eid)
    if key == "current_tools":
        return gr.CheckboxGroup([(names.get(x, x), x) for x in CORE_TOOLS], value=[], label=label, elem_id=eid)
    # Yes / no / not said: an unstated fact is not a "no" to the rules (defaults and hinges apply to it).
    choices = [unknown, (t["said_yes"], "yes"), (t["said_no"], "no")]
    return gr.Radio(choices, value=UNKNOWN, label=label, elem_id=eid, min_width=200)


def profile_widgets(t: dict[str, Any], names: dict[str, str]) -> list[gr.components.Component]:
    """One widget per TeamProfile field, in FIELDS order; the yes / no questions two to a row."""
    widgets = [_widget(key, t, names) for key in FIELDS if key not in BOOLS]
    for i in range(0, len(BOOLS), 2):
        with gr.Row():
            widgets += [_widget(key, t, names) for key in BOOLS[i:i + 2]]
    return widgets


def widget_updates(widgets: list, profile: TeamProfile) -> dict:
    out = {}
    for key, widget, value in zip(FIELDS, widgets, widget_values(profile), strict=True):
        # A team bigger than the slider widens it rather than being clipped.
        wide = key in COUNTS and value > COUNTS[key][1]
        out[widget] = gr.update(value=value, maximum=value) if wide else value
    return out


# ---- the app -----------------------------------------------------------------------------------------


def new_session() -> dict[str, Any]:
    """What one browser tab knows: its transcript (as shown), profile, topic, last answer and decision."""
    return {"id": uuid.uuid4().hex, "history": [], "profile": TeamProfile().model_dump(), "topic": None,
            "answer": None, "view": None}


def build_app(advisor: Advisor) -> gr.Blocks:
    t = texts()
    warm(advisor)
    names = {tool.id: tool.name for tool in advisor.vocab.tools}
    limit = advisor.settings.limits.max_question_chars
    records = Path(tempfile.mkdtemp(prefix="advisor-records-"))

    def record_file(view: Answer | None, state: dict) -> str | None:
        if view is None or view.recommendation is None:
            return None
        path = records / state["id"] / "decision-record.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(decision_record(view, names=names), encoding="utf-8")
        return str(path)

    def error(message: str) -> str:
        return status_html(t["error"].format(message=message), "error")

    def internal(exc: Exception) -> str:
        traceback.print_exc()  # the detail goes to the server log, one line to the user
        return status_html(t["internal_error"].format(kind=exc.__class__.__name__), "error")

    with gr.Blocks(title=t["title"], analytics_enabled=False) as demo:
        session = gr.State(None)
        gr.Markdown(f"# {t['title']}\n\n{t['intro']}")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label=t["chat_label"], height=520, elem_id="chat", placeholder=t["chat_placeholder"],
                    # Text is escaped before it gets here; these keep the renderer from adding any markup.
                    sanitize_html=True, render_markdown=True, latex_delimiters=[], allow_tags=False,
                    feedback_options=None, buttons=["copy"])
                with gr.Row():
                    message = gr.Textbox(label=t["message_label"], placeholder=t["message_placeholder"], lines=2,
                                         max_lines=8, scale=5, elem_id="message")
                    ask = gr.Button(t["ask"], variant="primary", scale=1, elem_id="ask")
                status = gr.HTML(status_html(""), label="status", elem_id="status")
                gr.Examples([[e["text"]] for e in t["examples"]], inputs=[message], label=t["examples_label"],
                            example_labels=[e["label"] for e in t["examples"]], api_visibility="private")
                gr.Markdown(f"**{t['feedback_label']}**")
                with gr.Row():
                    up = gr.Button(t["up"], size="sm", elem_id="feedback-up")
                    down = gr.Button(t["down"], size="sm", elem_id="feedback-down")
                    comment = gr.Textbox(label=t["comment_label"], placeholder=t["comment_placeholder"], lines=1,
                                         max_length=MAX_COMMENT_CHARS, scale=3, elem_id="comment")
                download = gr.DownloadButton(t["download"], value=None, elem_id="download")
            with gr.Column(scale=2):
                gr.Markdown(f"### {t['decision_label']}")
                decision = gr.HTML(decision_html(None, names, t), label="decision", elem_id="decision")
                with gr.Accordion(t["profile_label"], open=True, elem_id="profile"):
                    gr.Markdown(f"**{t['evidence_label']}**")
                    evidence = gr.HTML(evidence_html([], [], t["evidence_empty"]), label="evidence",
                                       elem_id="evidence")
                    widgets = profile_widgets(t, names)
                gr.Markdown(f"### {t['sources_label']}")
                sources = gr.HTML(sources_html([], t["sources_empty"]), label="sources", elem_id="sources")

        def send(text: str, state: dict | None):
            state = state or new_session()
            try:
                question = clean_question(text, limit)
            except AdvisorError as exc:  # nothing changes but the status line
                yield {status: error(str(exc))}
                return
            conv = Conversation.restore(advisor, {**state.get("conversation", {}), "profile": state["profile"]})
            shown = [*state["history"], {"role": "user", "content": user_markdown(question)}]
            yield {message: "", chatbot: shown, status: status_html(t["thinking"])}
            written, answer = "", None
            try:
                for event in conv.stream(question):
                    if event.answer is not None:
                        answer = event.answer
                        break
                    written = event.text if event.reset else written + event.text
                    yield {chatbot: [*shown, {"role": "assistant", "content": answer_markdown(written)}]}
                profile = conv.profile
                # The panel shows the decision for the profile so far, also after a factual question.
                view = answer
                if answer.recommendation is None:
                    view = rescore(advisor, profile, answer) if profile.known() else None
            except AdvisorError as exc:
                yield {message: text, chatbot: state["history"], status: error(str(exc))}
                return
            except Exception as exc:  # never a traceback in the page
                yield {message: text, chatbot: state["history"], status: internal(exc)}
                return
            content = answer_markdown(answer.answer, {c.n for c in answer.citations})
            if answer.notice:
                content = f"_{answer_markdown(answer.notice)}_\n\n{content}"
            history = [*shown, {"role": "assistant", "content": content}]
            new = {"id": state["id"], "history": history, "profile": profile.model_dump(), "topic": conv.topic,
                   "conversation": conv.snapshot(), "answer": answer, "view": view}
            done = t["answered"].format(backend=answer.backend, trace=(answer.trace_id or "-")[:8])
            yield {message: "", chatbot: history, session: new, status: status_html(done, "ok"),
                   decision: decision_html(view, names, t),
                   sources: sources_html((view or answer).citations, t["sources_empty"]),
                   download: record_file(view, new), **widget_updates(widgets, profile),
                   evidence: evidence_html(answer.profile_evidence,
                                           answer.understanding.corrections if answer.understanding else [],
                                           t["evidence_empty"],
                                           answer.understanding.doubts if answer.understanding else [],
                                           answer.understanding.spelling if answer.understanding else {})}

        def edit(state: dict | None, *values):
            state = state or new_session()
            try:
                profile = profile_from(list(values))
                view = rescore(advisor, profile, state["answer"])
            except (AdvisorError, ValidationError, ValueError) as exc:
                return {status: error(str(exc).splitlines()[0])}
            except Exception as exc:
                return {status: internal(exc)}
            primary = names.get(view.recommendation.primary, view.recommendation.primary)
            return {session: {**state, "profile": profile.model_dump(), "view": view},
                    decision: decision_html(view, names, t), sources: sources_html(view.citations, t["sources_empty"]),
                    download: record_file(view, state), status: status_html(t["rescored"].format(primary=primary))}

        def rate(rating: str, note: str, state: dict | None, request: gr.Request):
            answer = (state or {}).get("answer")
            if answer is None or not answer.trace_id:
                return {status: error(t["feedback_no_answer"])}
            try:
                fb = Feedback(trace_id=answer.trace_id, rating=rating, comment=note or "", source="web",
                              user=request.session_hash or "")
                advisor.traces.add_feedback(fb)
            except (AdvisorError, ValidationError) as exc:
                return {status: error(str(exc).splitlines()[0])}
            mark = "👍" if rating == "up" else "👎"
            return {status: status_html(t["feedback_saved"].format(rating=mark), "ok"), comment: ""}

        def chat(message: str) -> str:
            """One question, no conversation: the answer with its [n] markers, then the passages cited."""
            try:
                return answer_with_sources(advisor.ask(message))
            except AdvisorError as exc:
                raise gr.Error(str(exc)) from None

        def clear():  # the chat's bin icon: a new conversation in this tab
            return {session: None, decision: decision_html(None, names, t), download: None, status: status_html(""),
                    sources: sources_html([], t["sources_empty"]), **widget_updates(widgets, TeamProfile()),
                    evidence: evidence_html([], [], t["evidence_empty"])}

        def rate_up(note: str, state: dict | None, request: gr.Request):
            return rate("up", note, state, request)

        def rate_down(note: str, state: dict | None, request: gr.Request):
            return rate("down", note, state, request)

        gr.on([message.submit, ask.click], send, inputs=[message, session],
              outputs=[message, chatbot, session, status, decision, sources, download, *widgets, evidence],
              api_name="send", show_progress="minimal")
        gr.on([w.input for w in widgets], edit, inputs=[session, *widgets],
              outputs=[session, decision, sources, download, status], api_name="edit_profile",
              trigger_mode="always_last", show_progress="hidden")
        up.click(rate_up, inputs=[comment, session], outputs=[status, comment], api_name="feedback_up")
        down.click(rate_down, inputs=[comment, session], outputs=[status, comment], api_name="feedback_down")
        chatbot.clear(clear, outputs=[session, decision, sources, download, status, *widgets, evidence],
                      api_visibility="private")
        gr.api(chat, api_name="chat")

    demo.queue(default_concurrency_limit=advisor.settings.serve.concurrency)
    return demo


def launch(demo: gr.Blocks, host: str, port: int, *, block: bool = True) -> gr.Blocks:
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, theme=theme(), js=JS,
                ssr_mode=False, mcp_server=False, show_error=False, inbrowser=False, share=False)
    return demo


def serve(advisor: Advisor, host: str | None = None, port: int | None = None, *, block: bool = True) -> gr.Blocks:
    """Build the index if missing (with progress in the terminal), then serve the chat UI."""
    advisor.ensure_index(notify=lambda m: print(f"advisor: {m}", flush=True))
    print("advisor: loading the retriever and the model…", flush=True)
    demo = build_app(advisor)
    conf = advisor.settings.serve
    return launch(demo, host or conf.host, port or conf.port, block=block)
