"""The browser UI's server side: the real app on loopback, driven through gradio_client; the decision record.

Deterministic backend (llm mode none) except one test with the real local model.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import threading

import pytest
from conftest import CORPUS, _free_port

from advisor.errors import InputError
from advisor.profile import TeamProfile
from advisor.record import decision_record
from advisor.service import Advisor
from advisor.settings import Settings
from advisor.traces import Feedback
from advisor.webview import answer_markdown, decision_html, sources_html, user_markdown

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client  # noqa: E402

SMALL_TEAM = "We are 6 people and nobody has run Kubernetes in production. Which tool should we use?"
CORPUS_TEXT = " ".join((CORPUS / "mlflow-kubeflow-wandb-comparison.txt").read_text(encoding="utf-8").split())
SEND_OUT = ["message", "chat", "status", "decision", "sources", "download", "team_size", "k8s_engineers",
            "platform_engineers"]  # the first outputs of /send, in order (the profile widgets follow)


def _out(result: tuple, name: str):
    return result[SEND_OUT.index(name)]


def _scores(decision: str) -> dict[str, float]:
    return {m[1]: float(m[2]) for m in re.finditer(r'data-tool="([^"]+)" data-score="([^"]+)"', decision)}


def _text(message: dict) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


@pytest.fixture(scope="module")
def advisor(index, settings) -> Advisor:
    return Advisor(Settings(paths=settings.paths.model_dump(), llm={"mode": "none"}))


@pytest.fixture(scope="module")
def app(advisor):
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from advisor.ui.web import serve

    port = _free_port()
    demo = serve(advisor, "127.0.0.1", port, block=False)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def _client(url: str) -> Client:
    return Client(url, verbose=False, download_files=False)


# ---- /chat: one-shot questions ----------------------------------------------------------------------


def test_chat_endpoint_answers_with_markers_and_cited_passages(app, advisor):
    reply = _client(app).predict(SMALL_TEAM, api_name="/chat")
    expected = advisor.ask(SMALL_TEAM)
    assert reply.startswith(expected.answer)  # the same answer the CLI gives, [n] markers included
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", expected.answer)}
    assert markers and "Sources:" in reply
    for c in expected.citations:
        if c.n in markers:  # each cited passage follows, verbatim from the corpus
            assert f"[{c.n}] {c.section}: “{c.quote}”" in reply
            assert " ".join(c.quote.split()) in CORPUS_TEXT


@pytest.mark.parametrize("question, error", [
    ("   ", "the question is empty"),
    ("x" * 4001, "the limit is 4000"),
    ("which tool\x07?", "control characters"),
])
def test_chat_endpoint_refuses_bad_input_in_one_line(app, question, error):
    with pytest.raises(Exception) as info:
        _client(app).predict(question, api_name="/chat")
    assert error in str(info.value) and "Traceback" not in str(info.value)


# ---- the UI's events, as a browser session makes them ---------------------------------------------


def test_send_streams_into_the_session_and_updates_every_panel(app):
    client = _client(app)
    result = client.predict(SMALL_TEAM, api_name="/send")
    chat = _out(result, "chat")
    assert [m["role"] for m in chat] == ["user", "assistant"]
    answer = _text(chat[1])
    assert "**Recommendation:" in answer and "](#source-1)" in answer  # [n] opens passage n
    assert 'id="source-1"' in _out(result, "sources") and "adv-quote" in _out(result, "sources")
    scores = _scores(_out(result, "decision"))
    assert set(scores) == {"mlflow", "kubeflow", "wandb"}
    assert _out(result, "team_size") == 6 and _out(result, "k8s_engineers") == 0
    assert "Answered (none)" in _out(result, "status")
    record = _out(result, "download")
    assert record and record["path"].endswith("decision-record.md")
    evidence = result[-1]  # "How I read what you said": each fact with the words it came from
    assert 'data-field="team_size"' in evidence and 'data-field="k8s_engineers"' in evidence
    assert "we are 6 people" in evidence and "nobody has run kubernetes in production" in evidence


def test_bad_input_shows_one_line_and_changes_nothing(app):
    client = _client(app)
    first = client.predict(SMALL_TEAM, api_name="/send")
    for bad in ("", "x" * 5000, "hello\x00"):
        result = client.predict(bad, api_name="/send")
        assert "adv-error" in _out(result, "status") and "\n" not in _out(result, "status")
    # The session still holds exactly the first exchange, and goes on from there.
    after = client.predict("What would it cost us?", api_name="/send")
    chat = _out(after, "chat")
    assert len(chat) == 4 and _text(chat[1]) == _text(_out(first, "chat")[1])


def test_editing_the_profile_rescores_at_once_and_carries_into_the_next_question(app, advisor):
    client = _client(app)
    first = client.predict(SMALL_TEAM, api_name="/send")
    before = _scores(_out(first, "decision"))
    widgets = list(first[SEND_OUT.index("team_size"):-1])  # the evidence panel comes last
    assert len(widgets) == len(TeamProfile.model_fields)
    widgets[1], widgets[2] = 3, 2  # three Kubernetes engineers, two platform engineers
    edited = client.predict(*widgets, api_name="/edit_profile")
    decision, status = edited[0], edited[3]
    after = _scores(decision)
    assert after["kubeflow"] > before["kubeflow"]
    expected = advisor.engine.decide(TeamProfile(team_size=6, k8s_engineers=3, platform_engineers=2))
    assert after == {s.tool: s.score for s in expected.scores}
    assert "Re-scored" in status
    # The next question starts from the edited profile.
    nxt = client.predict("What would it cost us?", api_name="/send")
    assert _out(nxt, "k8s_engineers") == 3 and _out(nxt, "platform_engineers") == 2
    assert _out(nxt, "team_size") == 6


def test_two_sessions_at_once_each_see_only_their_own_conversation(app):
    a, b = _client(app), _client(app)
    qa = "We're a team of 8 building LLM chatbots. Which tool fits us?"
    qb = SMALL_TEAM
    jobs = [a.submit(qa, api_name="/send"), b.submit(qb, api_name="/send")]  # both in flight together
    ra, rb = (j.result() for j in jobs)
    ra = a.predict("And what would it cost us?", api_name="/send")
    chat_a, chat_b = _out(ra, "chat"), _out(rb, "chat")
    users_a = [_text(m) for m in chat_a if m["role"] == "user"]
    users_b = [_text(m) for m in chat_b if m["role"] == "user"]
    assert len(users_a) == 2 and "LLM chatbots" in users_a[0] and "cost us" in users_a[1]
    assert len(users_b) == 1 and "nobody has run Kubernetes" in users_b[0]
    assert _out(ra, "team_size") == 8 and _out(rb, "team_size") == 6


def test_concurrent_answers_do_not_block_each_other(app):
    # default_concurrency_limit = settings.serve.concurrency (2): two sessions are served at once.
    clients = [_client(app) for _ in range(3)]
    results: list = [None] * 3

    def run(i: int) -> None:
        results[i] = clients[i].predict(f"We are {i + 3} people. Which tool should we use?", api_name="/send")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert [_out(r, "team_size") for r in results] == [3, 4, 5]


def test_feedback_is_stored_with_the_last_answers_trace(app, advisor):
    client = _client(app)
    client.predict(SMALL_TEAM, api_name="/send")
    trace_id = advisor.traces.last(1)[0].id
    status, comment = client.predict("Clear, and the sources help.", api_name="/feedback_up")
    assert "feedback stored" in status and comment == ""
    stored = advisor.traces.feedback(trace_id)
    assert len(stored) == 1 and stored[0].rating == "up" and stored[0].source == "web"
    assert stored[0].comment == "Clear, and the sources help." and stored[0].user
    status, _ = client.predict("", api_name="/feedback_down")  # a later verdict replaces it
    assert [f.rating for f in advisor.traces.feedback(trace_id)] == ["down"]


def test_feedback_without_an_answer_or_for_an_unknown_trace_is_refused(app, advisor):
    status, _ = _client(app).predict("nice", api_name="/feedback_up")
    assert "adv-error" in status and "Ask a question first" in status
    before = advisor.traces.feedback(last=10_000)
    with pytest.raises(InputError, match="no answer with trace id"):
        advisor.traces.add_feedback(Feedback(trace_id="no-such-trace", rating="up", source="web", user="s"))
    assert advisor.traces.feedback(last=10_000) == before


def test_api_lists_stable_names(app):
    info = _client(app).view_api(return_format="dict", print_info=False)
    assert {"/chat", "/send", "/edit_profile", "/feedback_up", "/feedback_down"} <= set(info["named_endpoints"])


def test_profile_widgets_cover_every_field_and_round_trip():
    from advisor.ui.web import FIELDS, profile_from, texts, widget_values

    assert sorted(FIELDS) == sorted(TeamProfile.model_fields) and set(FIELDS) <= set(texts()["profile"])
    assert texts()["examples"] and all(e["label"] and e["text"] for e in texts()["examples"])
    full = TeamProfile(team_size=500, k8s_engineers=0, platform_engineers=2, maturity=1, regulated=False,
                       llm_first=True, platform="aws", current_tools=["mlflow", "wandb"])
    for profile in (full, TeamProfile()):
        assert profile_from(widget_values(profile)) == profile  # "not said" survives, and so does a "no"


# ---- escaping ----------------------------------------------------------------------------------------


XSS = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> ![i](http://example.com/i.png)'


def test_user_and_corpus_text_cannot_add_markup():
    shown = user_markdown(XSS)
    assert "<" not in shown and ">" not in shown and "![" not in shown and "](" not in shown
    bot = answer_markdown("**ok** [1] " + XSS, {1})
    assert "<script" not in bot and "<img" not in bot and "![" not in bot and "[\\[1\\]](#source-1)" in bot
    from advisor.answer import CitationOut

    html = sources_html([CitationOut(n=1, chunk_id='a"b', section="<b>s</b>", quote=XSS)], "none")
    assert "<script" not in html and "<img" not in html and 'a&quot;b' in html


def test_send_escapes_a_hostile_question(app):
    result = _client(app).predict(f"Which tool for 5 people? {XSS}", api_name="/send")
    for message in _out(result, "chat"):
        assert "<script" not in _text(message) and "<img" not in _text(message)


# ---- decision record ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def names(advisor) -> dict[str, str]:
    return {t.id: t.name for t in advisor.vocab.tools}


def test_decision_record_from_an_answer(advisor, names):
    answer = advisor.ask(SMALL_TEAM)
    md = decision_record(answer, names=names, date=dt.date(2025, 3, 4))
    primary = names[answer.recommendation.primary]
    assert md.startswith(f"# ADR: {primary} as our primary MLOps tool\n")
    assert "- Date: 2025-03-04" in md and "- Status: Proposed" in md
    for heading in ("## Context", "## Decision", "## Alternatives considered", "## Consequences", "## Citations"):
        assert f"\n{heading}\n" in md
    context = md.split("## Context")[1].split("## Decision")[0]
    assert "People doing ML work: 6" in context and "production Kubernetes experience: 0" in context
    assert f"We adopt **{primary}**" in md and f"confidence: {answer.recommendation.confidence}" in md
    for s in answer.scores:  # every alternative with its score
        assert re.search(rf"\| {re.escape(names[s.tool])}( \(chosen\))? \| {re.escape(f'{s.score:+g}')} \|", md)
    for tool in answer.recommendation.avoid:
        assert f"- Avoid {names[tool]} for now" in md
    assert answer.cost.basis in md
    for c in answer.citations:
        assert f"- [{c.n}] " in md and f"(`{c.chunk_id}`)" in md
        assert " ".join(c.quote.split()) in md


def test_decision_record_from_a_decision_separates_stated_facts_from_assumptions(advisor, names):
    profile = TeamProfile(team_size=25, platform_engineers=1)
    decision = advisor.engine.decide(profile)
    md = decision_record(decision, names=names, status="Accepted")
    context = md.split("## Context")[1].split("## Decision")[0]
    stated, assumed = context.split("Assumed")[0], context.split("Assumed")[1]
    assert "People doing ML work: 25" in stated and "Kubernetes" not in stated
    for a in decision.assumptions:
        assert a.say in assumed
    assert "- Status: Accepted" in md and f"**{names[decision.recommendation.primary]}**" in md
    n_cites = len(re.findall(r"^- \[\d+\] ", md.split("## Citations")[1], flags=re.M))
    assert n_cites == len({(c.citation.chunk, c.citation.quote) for s in decision.scores for c in s.reasons})


def test_decision_record_escapes_and_needs_a_recommendation(advisor, names):
    answer = advisor.ask(f"We are 5 people. Which tool should we use? {XSS}")
    md = decision_record(answer, names=names)
    assert "<script" not in md and "<img" not in md and "&lt;script>" in md
    factual = advisor.ask("Who founded Weights & Biases?")
    with pytest.raises(ValueError, match="no recommendation"):
        decision_record(factual)


def test_decision_panel_shows_every_rules_contribution(advisor, names):
    from advisor.ui.web import texts

    answer = advisor.ask(SMALL_TEAM)
    html = decision_html(answer, names, texts())
    for s in answer.scores:
        for r in s.reasons:
            if r.delta:
                assert f'data-rule="{r.rule}" data-delta="{r.delta:g}"' in html  # a bar segment with a tooltip
                assert f'<code>{r.rule}</code>' in html  # and a legend line


# ---- the command and the real model --------------------------------------------------------------------


def test_cli_imports_no_gradio():
    code = "import sys, advisor.cli; assert 'gradio' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_serve_command_builds_a_missing_index_and_serves(advisor, tmp_path):
    # Only the index is missing: the embedder's export and the example banks are caches of their own, copied
    # from the session's data dir (made afresh they cost this test a minute; tests/test_onnx_embedder.py and
    # tests/test_understanding.py make and check them)
    from advisor.ui.web import warm

    warm(advisor)
    data = tmp_path / "data"
    for cache in ("onnx", "understanding", "regex"):
        if (advisor.settings.paths.data_dir / cache).is_dir():
            shutil.copytree(advisor.settings.paths.data_dir / cache, data / cache)
    assert not (data / "chroma").exists()
    port = _free_port()
    env = {**os.environ, "ADVISOR_PATHS__DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "advisor.cli", "serve", "--backend", "none", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    try:
        for line in proc.stdout:  # the index is built first, with progress shown
            lines.append(line)
            if "Running on local URL" in line:
                break
        assert any("building the index" in x for x in lines), "".join(lines)
        assert f"http://127.0.0.1:{port}" in lines[-1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        reply = _client(f"http://127.0.0.1:{port}/").predict(SMALL_TEAM, api_name="/chat")
        assert "[1]" in reply and "Sources:" in reply
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_chat_with_the_local_model(index, settings):
    pytest.importorskip("llama_cpp")
    from advisor.ui.web import serve

    adv = Advisor(Settings(paths=settings.paths.model_dump(), llm={"mode": "local", "max_tokens": 96}))
    port = _free_port()
    demo = serve(adv, "127.0.0.1", port, block=False)
    try:
        result = _client(f"http://127.0.0.1:{port}/").predict(SMALL_TEAM, api_name="/send")
        answer = _text(_out(result, "chat")[1])
        assert "**Recommendation:" in answer and "](#source-" in answer
        backend = re.search(r"Answered \(([^)]*)\)", _out(result, "status"))[1]
        assert backend.startswith("local:") or backend == "none"  # none: the guard fell back, with a notice
    finally:
        demo.close()
