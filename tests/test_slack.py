"""The Slack bot: the real Bolt app and slack_sdk client against fake Slack servers speaking Slack's wire format.

`advisor slack --http` runs as a subprocess and gets signed Events API requests; its Web API calls go to
FakeSlackAPI (SLACK_API_URL). Socket Mode runs against FakeSocketMode (a real WebSocket server). Nothing is
timed: tests wait for a condition (e.g. the ✅ reaction) with a generous bound that only marks a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from advisor.ui import slack_blocks as sb
from conftest import ROOT, _free_port
from fakes.slack_api import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlackAPI, block_problems
from fakes.slack_socket import FakeSocketMode
from slack_sdk.signature import SignatureVerifier

from advisor.answer import Answer
from advisor.chat import Conversation
from advisor.errors import InputError
from advisor.service import Advisor, clean_question
from advisor.settings import Settings
from advisor.traces import TraceStore

BOT_TOKEN = "xoxb-1111-2222-fakebottoken"
APP_TOKEN = "xapp-1-A111-3333-fakeapptoken"
SIGNING_SECRET = "8f7e6d5c4b3a29180716fakesecret"
RATE_LIMIT = 3
WAIT_S = 120  # a failure bound only: every wait returns as soon as its condition holds
TEXT = sb.strings()
REACT = TEXT["reactions"]


def wait_until(condition, what: str, timeout: float = WAIT_S, proc: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the bot exited (code {proc.returncode}) while waiting for {what}")
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# ---- the bot under test --------------------------------------------------------------------------------


@dataclass
class Bot:
    proc: subprocess.Popen
    log: Path
    port: int = 0

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _env(settings, api: FakeSlackAPI, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ADVISOR_"))}
    return env | {"SLACK_API_URL": api.url, "ADVISOR_PATHS__DATA_DIR": str(settings.paths.data_dir),
                  "ADVISOR_PATHS__CORPUS_DIR": str(settings.paths.corpus_dir), "ADVISOR_LLM__MODE": "none",
                  "HF_HUB_OFFLINE": "1", "ADVISOR_SLACK__RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT)} | extra


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    out = open(log, "w", encoding="utf-8")  # noqa: SIM115 - the child writes to it; closed by the OS at exit
    return subprocess.Popen([sys.executable, "-m", "advisor.cli", "slack", *args], env=env, cwd=ROOT,
                            stdout=out, stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen) -> int:
    proc.terminate()
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(timeout=30)


@pytest.fixture(scope="module")
def api():
    with FakeSlackAPI(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(index, settings, api, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("slack-http") / "bot.log"
    proc = _start(["--http", "--port", str(port), "--backend", "none"],
                  _env(settings, api, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET), log)
    running = Bot(proc, log, port)

    def listening() -> bool:
        try:
            urllib.request.urlopen(running.events_url, timeout=2)
        except urllib.error.HTTPError:
            return True  # 404 on GET: the server is up
        except OSError:
            return False
        return True

    try:
        wait_until(listening, "the bot to listen", proc=proc)
        yield running
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def advisor(index, settings) -> Advisor:
    """The same advisor in-process, to compute what the bot should have said (nothing is hard-coded)."""
    return Advisor(Settings(paths=settings.paths.model_dump(), llm={"mode": "none"}))


@pytest.fixture(scope="module")
def store(settings) -> TraceStore:
    return TraceStore(settings.paths.data_dir / "traces.sqlite3")


# ---- speaking Slack's side -----------------------------------------------------------------------------


def signed_post(url: str, body: str, *, content_type: str = "application/json", secret: str = SIGNING_SECRET,
                timestamp: int | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature,
        **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def user_event(api: FakeSlackAPI, text: str, *, user: str, channel: str = "CGENERAL1",
               thread_ts: str | None = None, dm: bool = False, **fields: Any) -> dict[str, Any]:
    """A message posted in the fake workspace, and the event Slack delivers about it."""
    text = text if dm else f"<@{BOT_USER_ID}> {text}"
    ts = api.seed_message(channel, user, text, thread_ts=thread_ts, bot_id=fields.get("bot_id"))
    event = {"type": "message" if dm else "app_mention", "user": user, "text": text, "ts": ts,
             "channel": channel, "event_ts": ts, "team": TEAM_ID, **fields}
    if dm:
        event["channel_type"] = "im"
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {"token": "legacy-verification-token", "team_id": TEAM_ID, "api_app_id": APP_ID, "event": event,
            "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:12].upper()}",
            "event_time": int(time.time()), "is_ext_shared_channel": False, "event_context": "4-fake",
            "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                                "is_bot": True, "is_enterprise_install": False}]}


def deliver(bot: Bot, event: dict[str, Any], **kw: Any) -> tuple[int, str]:
    return signed_post(bot.events_url, json.dumps(envelope(event)), **kw)


def finished(api: FakeSlackAPI, event: dict[str, Any]) -> str | None:
    """The final reaction on the user's message (✅ or ⚠️) once the bot is done with it."""
    done = api.reactions(event["channel"], event["ts"]) & {REACT["done"], REACT["failed"]}
    return next(iter(done), None)


def ask(bot: Bot, api: FakeSlackAPI, text: str, **kw: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Deliver a question and wait for the bot to finish; the event and the messages it posted in the thread."""
    event = user_event(api, text, **kw)
    status, _ = deliver(bot, event)
    assert status == 200
    wait_until(lambda: finished(api, event), f"the answer to {text[:40]!r}", proc=bot.proc)
    thread = event.get("thread_ts") or event["ts"]
    return event, [c.params for c in api.posts(event["channel"], thread) if float(c.response["ts"]) > float(
        event["ts"])]


def sections(messages: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section" and "text" in b]


def contexts(messages: list[dict[str, Any]]) -> list[str]:
    return [e["text"] for m in messages for b in m["blocks"] if b["type"] == "context" for e in b["elements"]]


def buttons(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for m in messages for b in m["blocks"] if b["type"] == "actions" for e in b["elements"]]


def trace_id_of(messages: list[dict[str, Any]]) -> str:
    values = {b["value"] for b in buttons(messages)}
    assert len(values) == 1
    return values.pop()


def names(advisor: Advisor) -> dict[str, str]:
    return {t.id: t.name for t in advisor.vocab.tools}


# ---- HTTP mode: answering --------------------------------------------------------------------------------

SMALL_TEAM = "We are 5 people and nobody has run Kubernetes in production. Which tool should we use?"


def test_mention_is_answered_in_its_thread_with_blocks(bot, api, advisor, store):
    event, messages = ask(bot, api, SMALL_TEAM, user="UALICE001")
    expected = advisor.ask(SMALL_TEAM)
    assert messages and all(m["thread_ts"] == event["ts"] and m["channel"] == event["channel"] for m in messages)
    assert all("link_names" not in m and m["text"] and not block_problems(m["blocks"]) for m in messages)

    # the answer, as Slack mrkdwn: bold with single stars, bullets, no markdown left over
    answer_text = "\n\n".join(sections(messages)[:len(sb.split_text(sb.to_mrkdwn(expected.answer)))])
    assert answer_text == sb.to_mrkdwn(expected.answer)
    primary = names(advisor)[expected.recommendation.primary]
    assert f"*Recommendation: {primary}*" in answer_text and "**" not in answer_text
    assert "\n• " in answer_text and "\n- " not in answer_text

    # the recommendation and every tool's score
    fields = [f["text"] for m in messages for b in m["blocks"] for f in b.get("fields", [])]
    assert any(primary in f for f in fields)
    scores = next(s for s in sections(messages) if s.startswith(TEXT["scores_title"]))
    for score in expected.scores:
        assert f"*{sb.escape(names(advisor)[score.tool])}* `{score.score:+g}`" in scores

    # Sources: each cited passage, its quote verbatim from the corpus (up to a sensible cut)
    small_print = "\n".join(contexts(messages))
    corpus = " ".join((ROOT / "corpus" / "mlflow-kubeflow-wandb-comparison.txt").read_text().split())
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", expected.answer)}
    for c in expected.citations:
        if c.n in cited:
            line = next(x for x in small_print.splitlines() if x.startswith(f"[{c.n}] "))
            quote = line.split("“", 1)[1].rsplit("”", 1)[0].removesuffix("…")
            assert sb.plain_text(quote) in corpus
    assert TEXT["sources_title"] in small_print

    # 👍/👎 carrying the trace of this very answer
    assert [b["action_id"] for b in buttons(messages)] == ["feedback_up", "feedback_down"]
    trace = store.get(trace_id_of(messages))
    assert trace.question == SMALL_TEAM and trace.answer == expected.answer

    # working, then done: ⏳ added, ⏳ removed, ✅ added, on the user's message
    reacts = [(c.method, c.params["name"]) for c in api.calls() if c.method.startswith("reactions.")
              and c.params.get("timestamp") == event["ts"]]
    assert reacts == [("reactions.add", REACT["working"]), ("reactions.remove", REACT["working"]),
                      ("reactions.add", REACT["done"])]


def test_the_ack_does_not_wait_for_the_answer(bot, api):
    api.hold("reactions.add")  # the bot's first call after the ack blocks until released
    try:
        event = user_event(api, "Who founded Weights & Biases?", user="UACK00001")
        status, _ = deliver(bot, event)
        assert status == 200  # acknowledged while the answer is still waiting on Slack
        assert not api.posts(event["channel"], event["ts"])
        wait_until(lambda: any(c.params.get("timestamp") == event["ts"] for c in api.calls("reactions.add")),
                   "the bot to start working", proc=bot.proc)
    finally:
        api.release("reactions.add")
    wait_until(lambda: finished(api, event), "the answer", proc=bot.proc)
    assert api.posts(event["channel"], event["ts"])


def test_direct_message_is_answered(bot, api, advisor):
    question = "Who founded Weights & Biases?"
    event, messages = ask(bot, api, question, user="UDM000001", channel="DDIRECT01", dm=True)
    expected = advisor.ask(question)
    assert all(m["thread_ts"] == event["ts"] for m in messages)
    assert sb.to_mrkdwn(expected.answer) in "\n\n".join(sections(messages))
    quote = sb.escape(sb.truncate(expected.citations[0].quote, sb.QUOTE_CHARS))
    assert quote in "\n".join(contexts(messages))


def test_thread_follow_up_uses_the_thread_history(bot, api, advisor, store):
    first_q, follow_q = "We are 5 people, nobody has run Kubernetes", "what if we hire two Kubernetes engineers?"
    first, first_messages = ask(bot, api, first_q, user="UTHREAD01")
    follow, messages = ask(bot, api, follow_q, user="UTHREAD01", thread_ts=first["ts"])
    assert all(m["thread_ts"] == first["ts"] for m in messages)
    assert any(c.params.get("ts") == first["ts"] for c in api.calls("conversations.replies"))

    # what the browser does with the same transcript: the bot's turn is the answer it gave, as written
    first_answer = store.get(trace_id_of(first_messages)).answer
    history = [{"role": "user", "content": first_q}, {"role": "assistant", "content": first_answer}]
    expected = Conversation.from_history(advisor, history).ask(follow_q)
    trace = store.get(trace_id_of(messages))
    assert trace.profile["team_size"] == 5 and trace.profile["k8s_engineers"] == 2  # the profile carried over
    assert trace.profile == expected.profile and trace.answer == expected.answer
    assert store.get(trace_id_of(first_messages)).profile["k8s_engineers"] == 0


def test_feedback_buttons_store_feedback_beside_the_trace(bot, api, store):
    event, messages = ask(bot, api, "We're 3 people. Which tool?", user="UFEED0001")
    trace_id = trace_id_of(messages)

    def click(action_id: str, value: str, user: str = "UCLICK001") -> str:
        name = uuid.uuid4().hex[:8]
        payload = {"type": "block_actions", "user": {"id": user, "username": "clicker", "team_id": TEAM_ID},
                   "api_app_id": APP_ID, "token": "legacy", "trigger_id": "1.2.3", "team": {"id": TEAM_ID},
                   "container": {"type": "message", "message_ts": event["ts"], "channel_id": event["channel"]},
                   "channel": {"id": event["channel"], "name": "general"},
                   "message": {"type": "message", "ts": event["ts"], "thread_ts": event["ts"], "text": "…"},
                   "response_url": api.response_url(name),
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "feedback", "value": value,
                                "action_ts": str(time.time())}]}
        status, _ = signed_post(bot.events_url, urllib.parse.urlencode({"payload": json.dumps(payload)}),
                                content_type="application/x-www-form-urlencoded")
        assert status == 200
        reply = wait_until(lambda: [c for c in api.calls("response_url") if c.path.endswith(name)],
                           "the confirmation", proc=bot.proc)
        assert reply[0].params["response_type"] == "ephemeral" and reply[0].params["replace_original"] is False
        return reply[0].params["text"]

    assert click("feedback_up", trace_id) == TEXT["feedback"]["thanks_up"]
    [fb] = store.feedback(trace_id)
    assert (fb.rating, fb.source, fb.user) == ("up", "slack", "UCLICK001")
    assert click("feedback_down", trace_id) == TEXT["feedback"]["thanks_down"]  # a change of mind replaces it
    assert [(f.rating, f.user) for f in store.feedback(trace_id)] == [("down", "UCLICK001")]

    with pytest.raises(InputError) as refused:
        store.add_feedback(type(fb)(trace_id="0" * 32, rating="up", source="slack"))
    reply = click("feedback_up", "0" * 32)
    assert reply == TEXT["feedback"]["failed"].format(error=sb.escape(str(refused.value)))
    assert store.feedback("0" * 32) == []


# ---- HTTP mode: what must not be answered ----------------------------------------------------------------


def test_bad_signature_and_stale_timestamp_are_refused(bot, api):
    event = user_event(api, "Which tool should a team of 4 use?", user="USIGN0001")
    body = json.dumps(envelope(event, "EvSIGNED0001"))
    assert signed_post(bot.events_url, body, secret="not-the-secret")[0] == 401
    assert signed_post(bot.events_url, body, timestamp=int(time.time()) - 6 * 60)[0] == 401
    assert not api.reactions(event["channel"], event["ts"])
    # refused requests never reached the bot: the same event, properly signed, is answered
    assert signed_post(bot.events_url, body)[0] == 200
    wait_until(lambda: finished(api, event), "the answer", proc=bot.proc)


def test_the_url_verification_challenge_is_answered(bot):
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})
    status, text = signed_post(bot.events_url, body)
    assert status == 200 and json.loads(text)["challenge"] == json.loads(body)["challenge"]
    assert signed_post(bot.events_url, body, secret="not-the-secret")[0] == 401


def test_a_retried_delivery_is_answered_once(bot, api):
    event = user_event(api, "We are 7 data scientists on AWS. Which tool fits?", user="URETRY001")
    body = json.dumps(envelope(event, "EvRETRY00001"))
    assert signed_post(bot.events_url, body)[0] == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert signed_post(bot.events_url, body, headers=retry)[0] == 200  # acked, so Slack stops retrying
    wait_until(lambda: finished(api, event), "the answer", proc=bot.proc)
    assert signed_post(bot.events_url, body, headers={**retry, "X-Slack-Retry-Num": "2"})[0] == 200
    ask(bot, api, "Who founded Weights & Biases?", user="USENTINEL")  # later work done: the retries were not
    working = [c for c in api.calls("reactions.add")
               if c.params.get("timestamp") == event["ts"] and c.params["name"] == REACT["working"]]
    assert len(working) == 1
    answers = [c for c in api.posts(event["channel"], event["ts"]) if buttons([c.params])]
    assert len(answers) == 1  # each answer carries one pair of buttons


def test_messages_from_bots_and_from_itself_are_ignored(bot, api):
    ignored = [
        user_event(api, "Which tool for 4 people?", user="UOTHERBOT", channel="DDIRECT02", dm=True,
                   bot_id="BOTHER001", subtype="bot_message"),
        user_event(api, "Which tool for 4 people?", user="UOTHERBOT", bot_id="BOTHER001"),
        user_event(api, "Which tool for 4 people?", user=BOT_USER_ID),
        user_event(api, "Which tool for 4 people?", user=BOT_USER_ID, channel="DDIRECT02", dm=True, bot_id=BOT_ID),
        user_event(api, "Which tool for 4 people?", user="UHUMAN001", channel="CGENERAL1", dm=True)  # not a DM
        | {"channel_type": "channel"},
    ]
    for event in ignored:
        assert deliver(bot, event)[0] == 200
    ask(bot, api, "Which tool for 4 people?", user="USENTINE2", channel="DDIRECT02", dm=True)
    for event in ignored:
        touched = [c for c in api.calls() if event["ts"] in (c.params.get("timestamp"), c.params.get("thread_ts"))]
        assert touched == []


def test_rate_limit_gets_a_polite_reply_and_no_answer(bot, api, store):
    before = len(store.last(100_000))
    events = [user_event(api, f"We are {n} people. Which tool should we use?", user="URATE0001",
                         channel="DDIRECT03", dm=True) for n in range(4, 4 + RATE_LIMIT + 1)]
    for event in events:
        assert deliver(bot, event)[0] == 200
    wait_until(lambda: all(api.posts(e["channel"], e["ts"]) for e in events), "every reply", proc=bot.proc)
    wait_until(lambda: sum(bool(finished(api, e)) for e in events) == RATE_LIMIT, "the answers", proc=bot.proc)
    polite = sb.one_line(TEXT["rate_limited"].format(limit=RATE_LIMIT))
    refused = [e for e in events if [c.params["text"] for c in api.posts(e["channel"], e["ts"])] == [polite["text"]]]
    assert len(refused) == 1
    assert not api.reactions(refused[0]["channel"], refused[0]["ts"])  # no answer was even started
    assert len(store.last(100_000)) == before + RATE_LIMIT


def test_user_text_cannot_ping_anyone(bot, api):
    text = "<!channel> <!here> &lt;!here&gt; <!subteam^S123|@oncall> <@UCAROL001> we are 4 people, which tool?"
    event, messages = ask(bot, api, text, user="UESCAPE01")
    everything = json.dumps(messages, ensure_ascii=False)
    for ping in ("<!channel>", "<!here>", "<!subteam", "<@UCAROL001>", "<!everyone>"):
        assert ping not in everything
    footer = next(c for c in contexts(messages) if c.startswith("Re: "))
    assert "@channel @here &lt;!here&gt; @oncall @UCAROL001 we are 4 people" in footer
    assert all("link_names" not in m and "parse" not in m for m in messages)


def test_bad_input_gets_one_line_with_the_reason(bot, api):
    for text in ("", "x" * 4001):
        with pytest.raises(InputError) as reason:
            clean_question(text, 4000)
        event, messages = ask(bot, api, text, user=f"UBADIN{len(text):04d}")
        assert [m["text"] for m in messages] == [TEXT["bad_input"].format(error=sb.escape(str(reason.value)))]
        assert "\n" not in messages[0]["text"] and "Traceback" not in messages[0]["text"]
        assert finished(api, event) == REACT["failed"]


def test_a_failure_while_answering_gets_an_apology(bot, api):
    api.fail_next("chat.postMessage", "fatal_error")
    event, messages = ask(bot, api, "Which tool for a team of 9?", user="UFAIL0001")
    assert [m["text"] for m in messages] == [TEXT["apology"]]
    assert finished(api, event) == REACT["failed"]
    wait_until(lambda: "fatal_error" in bot.output(), "the failure to be logged", proc=bot.proc)


def test_tokens_and_secrets_are_never_logged(bot, api):
    log = bot.output()
    assert "serving the Events API" in log
    for secret in (BOT_TOKEN, SIGNING_SECRET, BOT_TOKEN.split("-", 1)[1]):
        assert secret not in log
    assert "Traceback" not in log


# ---- Socket Mode ----------------------------------------------------------------------------------------


def test_socket_mode_acks_envelopes_and_answers(index, settings, tmp_path, store):
    with FakeSlackAPI(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as api, FakeSocketMode() as ws:
        api.socket_url = ws.url
        proc = _start(["--backend", "none"], _env(settings, api, SLACK_BOT_TOKEN=BOT_TOKEN,
                                                   SLACK_APP_TOKEN=APP_TOKEN), tmp_path / "bot.log")
        try:
            wait_until(lambda: ws.connected, "the bot to connect", proc=proc)
            [opened] = api.calls("apps.connections.open")
            assert opened.token == APP_TOKEN and ws.paths[0].startswith("/link/")

            event = user_event(api, SMALL_TEAM, user="USOCKET01")
            envelope_id = ws.send("events_api", envelope(event))
            wait_until(lambda: envelope_id in ws.acks, "the envelope's ack", proc=proc)
            wait_until(lambda: finished(api, event), "the answer", proc=proc)
            messages = [c.params for c in api.posts(event["channel"], event["ts"])]
            assert messages and TEXT["sources_title"] in "\n".join(contexts(messages))

            trace_id = trace_id_of(messages)
            click = {"type": "block_actions", "user": {"id": "USOCKET02", "team_id": TEAM_ID},
                     "api_app_id": APP_ID, "team": {"id": TEAM_ID}, "channel": {"id": event["channel"]},
                     "container": {"type": "message", "message_ts": event["ts"], "channel_id": event["channel"]},
                     "message": {"type": "message", "ts": event["ts"], "text": "…"},
                     "response_url": api.response_url("socket"), "trigger_id": "1.2.3",
                     "actions": [{"type": "button", "action_id": "feedback_up", "block_id": "feedback",
                                  "value": trace_id, "action_ts": str(time.time())}]}
            click_id = ws.send("interactive", click)
            wait_until(lambda: click_id in ws.acks, "the click's ack", proc=proc)
            wait_until(lambda: api.calls("response_url"), "the confirmation", proc=proc)
            assert [(f.rating, f.user) for f in store.feedback(trace_id)] == [("up", "USOCKET02")]
        finally:
            code = _stop(proc)
        log = (tmp_path / "bot.log").read_text()
        assert APP_TOKEN not in log and BOT_TOKEN not in log and "connected in Socket Mode" in log
        assert code == 0 and "stopping" in log  # SIGTERM: a clean shutdown


# ---- configuration errors: one line each ----------------------------------------------------------------


@pytest.mark.parametrize("args, env, missing", [
    (["--http"], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
    ([], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN"),
    (["--http"], {"SLACK_SIGNING_SECRET": SIGNING_SECRET}, "SLACK_BOT_TOKEN"),
])
def test_a_missing_variable_is_named_in_one_line(settings, api, args, env, missing):
    proc = subprocess.run([sys.executable, "-m", "advisor.cli", "slack", *args], env=_env(settings, api, **env),
                          capture_output=True, text=True, timeout=WAIT_S)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and missing in proc.stderr and "Traceback" not in proc.stderr
    assert BOT_TOKEN not in proc.stderr + proc.stdout


@pytest.mark.parametrize("args, env, refused", [
    (["--http", "--port", str(_free_port())], {"SLACK_BOT_TOKEN": "xoxb-9999-wrong",
                                              "SLACK_SIGNING_SECRET": SIGNING_SECRET}, "SLACK_BOT_TOKEN (auth.test"),
    ([], {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-9999-wrong"},
     "SLACK_APP_TOKEN (apps.connections.open"),
])
def test_a_rejected_token_is_one_line(index, settings, api, args, env, refused):
    proc = subprocess.run([sys.executable, "-m", "advisor.cli", "slack", *args], env=_env(settings, api, **env),
                          capture_output=True, text=True, timeout=WAIT_S)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last == f"advisor: error: Slack refused {refused}: invalid_auth)"
    assert "9999-wrong" not in proc.stderr and BOT_TOKEN not in proc.stderr


def test_without_slack_bolt_the_error_names_the_extra(monkeypatch, capsys):
    from advisor.cli import main

    monkeypatch.setitem(sys.modules, "slack_bolt", None)  # as if not installed
    assert main(["slack", "--backend", "none"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'advisor[slack]'" in err


# ---- Block Kit, mrkdwn and Slack's limits (pure functions) ---------------------------------------------


def test_markdown_becomes_mrkdwn():
    md = ("## Pick **MLflow** now\n\n**Recommendation: MLflow** as your *primary* tool; ~~Kubeflow~~.\n"
          "- a [docs link](https://mlflow.org/docs?a=1&b=2) and `code **kept**`\n  * nested\n"
          "> quoted & <escaped>\n```\nif a < b: **x**\n```")
    assert sb.to_mrkdwn(md) == (
        "*Pick MLflow now*\n\n*Recommendation: MLflow* as your _primary_ tool; ~Kubeflow~.\n"
        "• a <https://mlflow.org/docs?a=1&amp;b=2|docs link> and `code **kept**`\n  • nested\n"
        "> quoted &amp; &lt;escaped&gt;\n```\nif a &lt; b: **x**\n```")


def test_slack_markup_is_read_back_as_the_author_wrote_it():
    text = (f"<@{BOT_USER_ID}> hi <@U0002|bob> <!here> <!subteam^S1|@ops> <#C1|general> "
            "<https://x.org|the site> <mailto:a@b.c|a@b.c> 5 &lt; 6 &amp;&amp; &gt;")
    assert sb.plain_text(text, BOT_USER_ID) == "hi @bob @here @ops #general the site a@b.c 5 < 6 && >"
    assert sb.escape(sb.plain_text("<!channel> &lt;!here&gt;")) == "@channel &lt;!here&gt;"


def test_split_text_stays_within_the_limit_and_keeps_everything():
    text = "\n\n".join(f"Paragraph {i}: " + "words &amp; <https://x.org/a|links> " * (i * 7) for i in range(60))
    text += "\n\n" + "x" * 7000
    pieces = sb.split_text(text, sb.SECTION_TEXT)
    assert len(pieces) > 5 and all(0 < len(p) <= sb.SECTION_TEXT for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())
    for p in pieces:
        assert not re.search(r"&(?!amp;|lt;|gt;)", p)  # no entity cut in two
        assert p.count("<") == p.count(">")  # no link cut in two


def test_a_long_answer_is_split_into_valid_messages(advisor):
    real = advisor.ask(SMALL_TEAM)
    long = real.model_copy(update={
        "answer": "\n\n".join([real.answer] * 40),
        "citations": [c.model_copy(update={"n": i + 1}) for i, c in enumerate(real.citations * 5)],
        "notice": "The language model is unavailable (<!here>); showing the deterministic answer.",
    })
    long.answer += " " + " ".join(f"[{c.n}]" for c in long.citations)
    messages = sb.answer_messages(long, names(advisor))
    assert len(messages) > 1
    for m in messages:
        assert len(m["blocks"]) <= sb.MAX_BLOCKS and 0 < len(m["text"]) <= sb.MESSAGE_TEXT
        assert block_problems(m["blocks"]) == []
    assert "".join("".join(sections(messages)).split()).startswith("".join(sb.to_mrkdwn(long.answer).split()))
    assert len(buttons(messages)) == 2 and buttons(messages[-1:]) == buttons(messages)
    assert "<!here>" not in json.dumps(messages) and "&lt;!here&gt;" in contexts(messages)[0]
    sources = [x for c in contexts(messages) for x in c.splitlines() if re.match(r"\[\d+\] ", x)]
    assert len(sources) == len(long.citations)


def test_a_reply_without_a_decision_still_has_text_and_buttons():
    answer = Answer(question="what is the weather?", answer="I can only help with **MLOps** tooling.",
                    in_scope=False, intent="out_of_scope", profile={}, trace_id="abc123")
    [message] = sb.answer_messages(answer, {})
    assert message["text"].startswith("I can only help with *MLOps* tooling.")
    assert [b["type"] for b in message["blocks"]] == ["section", "context", "context", "actions"]


def test_logs_mask_tokens_and_secrets():
    import logging

    from advisor.ui.slack import Redact

    record = logging.LogRecord("slack_sdk", logging.ERROR, __file__, 1, "call failed with %s and %s (%s)",
                               (BOT_TOKEN, "xoxp-123-456-user", SIGNING_SECRET), None)
    assert Redact([SIGNING_SECRET]).filter(record)
    assert record.getMessage() == "call failed with [redacted] and [redacted] ([redacted])"


def test_seen_events_are_bounded():
    from advisor.ui.slack import SeenEvents

    seen = SeenEvents(size=2)
    assert seen.first("Ev1") and seen.first("Ev2") and not seen.first("Ev1")
    assert seen.first("Ev3")  # evicts Ev2, the least recently seen
    assert seen.first("Ev2") and not seen.first("Ev3")
