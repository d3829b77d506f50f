"""`advisor slack`: the Slack bot. A thin adapter: Slack events in (Bolt), Advisor answers out (Block Kit).

Socket Mode by default (SLACK_APP_TOKEN, SLACK_BOT_TOKEN); `--http` serves the Events API at /slack/events
(SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET). SLACK_API_URL points the Web API client elsewhere (a proxy, a test
server). Tokens and secrets are read from the environment only and never logged.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from advisor.errors import AdvisorError, ConfigError

from . import slack_blocks as sb

if TYPE_CHECKING:
    from slack_bolt import App

    from advisor.service import Advisor

DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
SEEN_EVENTS = 2048  # event ids remembered to drop Slack's retries; retries come within minutes
LISTENER_THREADS = 8  # answers queue on the concurrency setting; the rest stay free for clicks and short replies
HISTORY_PAGES = 5

log = logging.getLogger("advisor.slack")


# ---- configuration --------------------------------------------------------------------------------------


def _require_bolt() -> None:
    try:
        import slack_bolt  # noqa: F401
        import slack_sdk  # noqa: F401
    except ImportError as exc:
        raise ConfigError(f"the Slack bot needs slack-bolt ({exc.name} is missing): pip install 'advisor[slack]'") \
            from None


def env_secret(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set; the Slack bot reads its tokens and secrets from the environment")
    return value


def api_url() -> str:
    url = os.environ.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


_TOKEN = re.compile(r"\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+")


class Redact(logging.Filter):
    """Masks Slack tokens and the given secrets in every log record, whoever logs it (Bolt, slack_sdk, us)."""

    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return _TOKEN.sub("[redacted]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), ()
        if record.exc_info and not record.exc_text:  # the formatter prints exc_text as it is
            record.exc_text = self.redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
        return True


# ---- small state ----------------------------------------------------------------------------------------


class SeenEvents:
    """A bounded LRU of event ids: Slack redelivers an event (X-Slack-Retry-Num) when an ack is late or lost."""

    def __init__(self, size: int = SEEN_EVENTS):
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, event_id: str) -> bool:
        with self._lock:
            if event_id in self._ids:
                self._ids.move_to_end(event_id)
                return False
            self._ids[event_id] = None
            if len(self._ids) > self.size:
                self._ids.popitem(last=False)
            return True


class RateLimit:
    """At most `per_minute` questions per user in any 60 s window."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._asked: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, user: str) -> bool:
        now = self.clock()
        with self._lock:
            times = self._asked.setdefault(user, deque())
            while times and now - times[0] >= 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return False
            times.append(now)
            return True


# ---- the bot --------------------------------------------------------------------------------------------


class SlackBot:
    """Listeners for one Bolt app; everything Slack-specific that is not Block Kit lives here."""

    def __init__(self, advisor: Advisor):
        self.advisor = advisor
        self.settings = advisor.settings.slack
        self.text = sb.strings()
        self.seen = SeenEvents()
        self.limit = RateLimit(self.settings.rate_limit_per_minute)
        self.slots = threading.BoundedSemaphore(self.settings.concurrency)

    def register(self, app: App) -> None:
        app.middleware(self.screen)
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.action("feedback_up")(self.on_feedback)
        app.action("feedback_down")(self.on_feedback)

    @property
    def names(self) -> dict[str, str]:
        return {t.id: t.name for t in self.advisor.vocab.tools}

    # -- before the ack: cheap checks only, so Slack gets its answer at once --------------------------

    def screen(self, body: dict, context, next):  # noqa: A002 - Bolt injects arguments by name
        """Drops redeliveries and bots' messages before any listener runs (and acks them)."""
        from slack_bolt import BoltResponse

        if body.get("type") == "event_callback":
            event_id = body.get("event_id")
            if event_id and not self.seen.first(event_id):
                log.info("event %s delivered again; already handled", event_id)
                return BoltResponse(status=200, body="")
            if self._from_a_bot(body.get("event") or {}, context):
                return BoltResponse(status=200, body="")
        return next()

    @staticmethod
    def _from_a_bot(event: dict, context) -> bool:
        user = event.get("user")
        return bool(event.get("bot_id") or event.get("subtype") == "bot_message"
                    or (user and user == context.bot_user_id))

    # -- listeners (after the ack, on Bolt's listener threads) ---------------------------------------

    def on_mention(self, event: dict, client, context) -> None:
        if str(event.get("channel", "")).startswith("D"):
            return  # a direct message: on_message answers it
        self.reply(event, client, context)

    def on_message(self, event: dict, client, context) -> None:
        if event.get("channel_type") != "im" or event.get("subtype"):
            return  # channel messages are answered when they mention the bot; edits, joins etc. never
        self.reply(event, client, context)

    def reply(self, event: dict, client, context) -> None:
        channel, ts = event["channel"], event["ts"]
        thread_ts = event.get("thread_ts") or ts
        user = event.get("user") or ""
        if not self.limit.allow(user):
            log.info("user %s is over the rate limit", user)
            polite = self.text["rate_limited"].format(limit=self.limit.per_minute)
            self._post_quietly(client, channel, thread_ts, polite)
            return
        reactions = self.text["reactions"]
        self._react(client, "reactions_add", channel, ts, reactions["working"])
        done = reactions["failed"]
        try:
            question = sb.plain_text(event.get("text") or "", context.bot_user_id)
            history = self.history(client, channel, thread_ts, ts, context) if event.get("thread_ts") else []
            answer = self._answer(history, question)
            for message in sb.answer_messages(answer, self.names):
                self._post(client, channel, thread_ts, message)
            done = reactions["done"]
        except AdvisorError as exc:
            self._post_quietly(client, channel, thread_ts, self.text["bad_input"].format(error=sb.escape(str(exc))))
        except Exception as exc:  # the user gets one line; the log gets the cause (tokens masked by Redact)
            log.error("answering event %s failed: %s: %s", event.get("event_ts"), type(exc).__name__, exc)
            self._post_quietly(client, channel, thread_ts, self.text["apology"])
        finally:
            self._react(client, "reactions_remove", channel, ts, reactions["working"])
            self._react(client, "reactions_add", channel, ts, done)

    def _answer(self, history: list[dict], question: str):
        from advisor.chat import Conversation

        with self.slots:
            return Conversation.from_history(self.advisor, history).ask(question)

    def history(self, client, channel: str, thread_ts: str, current_ts: str, context) -> list[dict]:
        """The thread before this message as chat turns: the bot's messages are the assistant's, other
        people's the user's; other bots and system messages are left out."""
        messages: list[dict] = []
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = client.conversations_replies(channel=channel, ts=thread_ts, limit=200, cursor=cursor)
            messages += page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        turns: list[dict] = []
        for m in sorted(messages, key=lambda m: float(m.get("ts", 0))):
            if float(m.get("ts", 0)) >= float(current_ts):
                continue
            mine = (m.get("user") and m.get("user") == context.bot_user_id) or (
                m.get("bot_id") and m.get("bot_id") == context.bot_id)
            if not mine and (m.get("bot_id") or m.get("subtype")):
                continue
            if mine:
                # One assistant turn per answer, as it was written (the trace behind its buttons), which is
                # what the browser's transcript holds; an answer split over several messages is one turn.
                written = self._answer_behind(m)
                text = sb.plain_text(m.get("text") or "")
                if turns and turns[-1]["role"] == "assistant":
                    last = turns[-1]
                    if written:
                        last["content"], last["written"] = written, True
                    elif not last["written"]:
                        last["content"] += "\n\n" + text
                    continue
                turns.append({"role": "assistant", "content": written or text, "written": bool(written)})
            elif text := sb.plain_text(m.get("text") or "", context.bot_user_id):
                turns.append({"role": "user", "content": text})
        keep = self.settings.max_history_turns
        turns = [{"role": t["role"], "content": t["content"]} for t in turns if t["content"]]
        return turns[-keep:] if keep else []

    def _answer_behind(self, message: dict) -> str | None:
        for block in message.get("blocks") or []:
            for element in block.get("elements") or []:
                if element.get("action_id") == "feedback_up" and element.get("value"):
                    try:
                        trace = self.advisor.traces.get(element["value"])
                    except AdvisorError:
                        return None
                    return trace.answer if trace else None
        return None

    def on_feedback(self, ack, body: dict, action: dict, client, respond) -> None:
        """👍/👎 on an answer: stored beside its trace (the browser's store), confirmed to the clicker only."""
        from advisor.traces import Feedback

        ack()
        s = self.text["feedback"]
        rating = "up" if action.get("action_id") == "feedback_up" else "down"
        user = (body.get("user") or {}).get("id", "")
        try:
            self.advisor.traces.add_feedback(Feedback(trace_id=action.get("value") or "", rating=rating,
                                                      source="slack", user=user))
            text = s[f"thanks_{rating}"]
        except AdvisorError as exc:
            text = s["failed"].format(error=sb.escape(str(exc)))
        except ValidationError as exc:
            text = s["failed"].format(error=sb.escape(exc.errors()[0]["msg"]))
        try:
            if body.get("response_url"):
                respond(text=text, response_type="ephemeral", replace_original=False)
            else:
                message = body.get("message") or {}
                client.chat_postEphemeral(channel=(body.get("channel") or {}).get("id"), user=user, text=text,
                                          thread_ts=message.get("thread_ts") or message.get("ts"))
        except Exception as exc:  # the verdict is stored; only its confirmation was lost
            log.error("could not confirm feedback to %s: %s: %s", user, type(exc).__name__, exc)

    # -- Slack calls ----------------------------------------------------------------------------------

    @staticmethod
    def _post(client, channel: str, thread_ts: str, message: sb.Message) -> None:
        # link_names stays unset: text can never ping people or @channel.
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False,
                                **message)

    def _post_quietly(self, client, channel: str, thread_ts: str, text: str) -> None:
        try:
            self._post(client, channel, thread_ts, sb.one_line(text))
        except Exception as exc:  # nothing more to tell the user if Slack refuses even this
            log.error("could not post to %s: %s: %s", channel, type(exc).__name__, exc)

    @staticmethod
    def _react(client, method: str, channel: str, ts: str, name: str) -> None:
        """Reactions are a courtesy: a missing scope or an already-present reaction must not cost the answer."""
        try:
            getattr(client, method)(channel=channel, timestamp=ts, name=name)
        except Exception as exc:
            log.warning("%s %s failed: %s: %s", method, name, type(exc).__name__, exc)


# ---- app and runners ------------------------------------------------------------------------------------


def create_app(advisor: Advisor, *, bot_token: str, signing_secret: str = "", base_url: str = DEFAULT_API_URL,
               http: bool = True) -> App:
    """The Bolt app with the bot's listeners; auth.test runs now, so a bad token fails here, in one line."""
    _require_bolt()
    from slack_bolt import App
    from slack_bolt.error import BoltError
    from slack_sdk import WebClient

    client = WebClient(token=bot_token, base_url=base_url)
    # Bolt also reads SLACK_BOT_TOKEN from the environment and then warns that the client's token wins: the same one.
    logging.getLogger("slack_bolt.App").addFilter(lambda r: "`token` will be unused" not in r.getMessage())
    try:
        app = App(client=client, signing_secret=signing_secret, request_verification_enabled=http,
                  process_before_response=False, name="advisor",
                  listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="slack-listener"))
    except BoltError as exc:
        error = re.search(r"'error': '([^']+)'", str(exc))
        raise ConfigError(f"Slack refused SLACK_BOT_TOKEN (auth.test: {error.group(1) if error else 'failed'})") \
            from None
    except OSError as exc:
        raise ConfigError(f"cannot reach the Slack Web API at {base_url}: {exc}") from None
    SlackBot(advisor).register(app)
    return app


def _events_server(app: App, host: str, port: int) -> ThreadingHTTPServer:
    """POST /slack/events into the Bolt app (which verifies the signature and answers 401 when it fails)."""
    from slack_bolt.request import BoltRequest

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            log.debug("http: " + format, *args)

        def do_GET(self) -> None:  # noqa: N802 - stdlib names
            self._send(404, {}, "")

        def do_POST(self) -> None:  # noqa: N802
            path, _, query = self.path.partition("?")
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
            if path != EVENTS_PATH:
                self._send(404, {}, "")
                return
            headers = {k.lower(): self.headers.get_all(k) for k in self.headers}
            resp = app.dispatch(BoltRequest(body=body, query=query, headers=headers))
            self._send(resp.status, resp.headers, resp.body)

        def _send(self, status: int, headers: dict, body: str) -> None:
            data = (body if isinstance(body, str) else str(body)).encode("utf-8")
            self.send_response(status)
            for key, values in headers.items():
                if key.lower() != "content-length":
                    for value in values:
                        self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def _setup_logging(secrets: list[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("advisor slack: %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run(advisor: Advisor, *, http: bool = False, host: str | None = None, port: int | None = None) -> int:
    """Run the bot until interrupted: Socket Mode, or the Events API over HTTP with `http`."""
    _require_bolt()
    bot_token = env_secret("SLACK_BOT_TOKEN")
    secret = env_secret("SLACK_SIGNING_SECRET") if http else ""
    app_token = "" if http else env_secret("SLACK_APP_TOKEN")
    _setup_logging([bot_token, secret, app_token])
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop: shut down as on Ctrl-C
    base_url = api_url()
    advisor.ensure_index(notify=lambda m: log.info(m))
    # Load the models and data now, not in the first user's wait.
    _ = advisor.embedder.model, advisor.retriever.chunks, advisor.extractor, advisor.composer, advisor.engine
    app = create_app(advisor, bot_token=bot_token, signing_secret=secret, base_url=base_url, http=http)
    if http:
        host = host or advisor.settings.slack.host
        port = port or advisor.settings.slack.port
        if not 1 <= port <= 65535:
            raise ConfigError(f"port {port} is out of range (1-65535)")
        try:
            server = _events_server(app, host, port)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        log.info("serving the Events API at http://%s:%d%s", host, server.server_address[1], EVENTS_PATH)
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            log.info("stopping")
        finally:
            server.server_close()
        return 0
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    handler = SocketModeHandler(app, app_token=app_token)
    try:
        handler.connect()
    except SlackApiError as exc:
        raise ConfigError(f"Slack refused SLACK_APP_TOKEN (apps.connections.open: "
                          f"{exc.response.get('error', 'failed')})") from None
    except OSError as exc:
        raise ConfigError(f"cannot reach Slack for Socket Mode: {exc}") from None
    log.info("connected in Socket Mode")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        handler.close()
    return 0
