"""A fake Slack Web API on loopback that speaks Slack's wire format, so the real slack_sdk client runs against it.

    with FakeSlackAPI(bot_token="xoxb-…", app_token="xapp-…") as api:
        api.url                                  # "http://127.0.0.1:PORT/api/": SLACK_API_URL / WebClient base_url
        ts = api.seed_message("C1", "U1", "hi")  # a user's message (conversations.replies returns it)
        api.calls("chat.postMessage")            # every call: method, params, token
        api.socket_url = "ws://…"                # what apps.connections.open hands out
        api.fail_next("chat.postMessage", "fatal_error")
        api.hold("reactions.add"); …; api.release("reactions.add")   # answers only once released
        api.response_url("x")                    # a response_url for interactive payloads; posts are recorded

Methods: auth.test, chat.postMessage, chat.postEphemeral, chat.update, reactions.add, reactions.remove,
conversations.replies (seeded messages plus what the bot posted in the thread, paginated by cursor),
apps.connections.open. Requests are form-encoded or JSON POSTs (GET with a query for some methods), the token
in `Authorization: Bearer …`; responses are HTTP 200 with {"ok": true, …} or {"ok": false, "error": …}, as
Slack's are. Message payloads are checked against Slack's Block Kit limits (invalid_blocks, msg_too_long).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from .loopback import LoopbackFake

BOT_USER_ID = "UADVISOR01"
BOT_ID = "BADVISOR01"
TEAM_ID = "TFAKE0001"
APP_ID = "AFAKE0001"

BOT_METHODS = {"auth.test", "chat.postMessage", "chat.postEphemeral", "chat.update", "reactions.add",
               "reactions.remove", "conversations.replies"}


@dataclass
class Call:
    method: str  # a Web API method, or "response_url"
    params: dict[str, Any]
    token: str | None = None
    path: str = ""
    response: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Message:
    channel: str
    ts: str
    text: str
    user: str
    thread_ts: str | None = None
    bot_id: str | None = None
    blocks: list[dict[str, Any]] = field(default_factory=list)
    reactions: set[str] = field(default_factory=set)

    def wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "message", "ts": self.ts, "user": self.user, "text": self.text,
                               "team": TEAM_ID}
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if self.bot_id:
            out |= {"bot_id": self.bot_id, "app_id": APP_ID}
        if self.blocks:
            out["blocks"] = self.blocks
        if self.reactions:
            out["reactions"] = [{"name": n, "users": [BOT_USER_ID], "count": 1} for n in sorted(self.reactions)]
        return out


def block_problems(blocks: Any) -> list[str]:
    """What Slack would refuse in a blocks array (the limits of the Block Kit reference)."""
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    problems = [] if len(blocks) <= 50 else [f"{len(blocks)} blocks; at most 50"]
    for i, b in enumerate(blocks):
        kind = b.get("type")
        if kind == "section":
            text = (b.get("text") or {}).get("text", "")
            fields = b.get("fields") or []
            if not text and not fields:
                problems.append(f"block {i}: section without text or fields")
            if len(text) > 3000:
                problems.append(f"block {i}: section text {len(text)} > 3000")
            if len(fields) > 10 or any(len(f.get("text", "")) > 2000 for f in fields):
                problems.append(f"block {i}: fields over limits")
        elif kind == "context":
            elements = b.get("elements") or []
            if not 1 <= len(elements) <= 10:
                problems.append(f"block {i}: context with {len(elements)} elements")
            if any(len(e.get("text", "")) > 3000 for e in elements):
                problems.append(f"block {i}: context element over 3000")
        elif kind == "actions":
            elements = b.get("elements") or []
            if not 1 <= len(elements) <= 25:
                problems.append(f"block {i}: actions with {len(elements)} elements")
            for e in elements:
                if len(e.get("text", {}).get("text", "")) > 75 or len(e.get("value", "")) > 2000 \
                        or len(e.get("action_id", "")) > 255:
                    problems.append(f"block {i}: button over limits")
        elif kind not in ("divider", "header", "image", "rich_text"):
            problems.append(f"block {i}: unknown type {kind!r}")
    return problems


class FakeSlackAPI(LoopbackFake):
    def __init__(self, bot_token: str = "xoxb-fake", app_token: str = "xapp-fake") -> None:
        super().__init__()
        self.bot_token, self.app_token = bot_token, app_token
        self.socket_url: str | None = None
        self.requests: list[Call] = []
        self._messages: dict[tuple[str, str], _Message] = {}
        self._failures: dict[str, deque[str]] = defaultdict(deque)
        self._holds: dict[str, threading.Event] = {}
        self._ts = itertools.count(1)
        self._lock = threading.RLock()

    # -- scripting and inspection --------------------------------------------------------------------

    def next_ts(self) -> str:
        with self._lock:
            return f"1700000000.{next(self._ts):06d}"

    def seed_message(self, channel: str, user: str, text: str, thread_ts: str | None = None,
                     bot_id: str | None = None) -> str:
        """A message someone posted (it exists before the event about it is delivered, as in Slack)."""
        ts = self.next_ts()
        with self._lock:
            self._messages[(channel, ts)] = _Message(channel, ts, text, user, thread_ts, bot_id)
        return ts

    def fail_next(self, method: str, error: str) -> None:
        with self._lock:
            self._failures[method].append(error)

    def hold(self, method: str) -> threading.Event:
        """Calls to `method` wait until the returned event is set (bounded, so a broken test cannot hang)."""
        gate = threading.Event()
        with self._lock:
            self._holds[method] = gate
        return gate

    def release(self, method: str) -> None:
        with self._lock:
            gate = self._holds.pop(method, None)
        if gate is not None:
            gate.set()

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.requests if method is None or c.method == method]

    def posts(self, channel: str, thread_ts: str) -> list[Call]:
        """chat.postMessage calls that succeeded in one thread, in order."""
        with self._lock:
            return [c for c in self.requests if c.method == "chat.postMessage" and c.response.get("ok")
                    and c.params.get("channel") == channel and c.params.get("thread_ts") == thread_ts]

    def reactions(self, channel: str, ts: str) -> set[str]:
        with self._lock:
            message = self._messages.get((channel, ts))
            return set(message.reactions) if message else set()

    def response_url(self, name: str) -> str:
        return f"{self.root}/response/{name}"

    # -- lifecycle -----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"{self.root}/api/"

    def stop(self) -> None:
        for gate in self._holds.values():  # a held call must not keep the server from shutting down
            gate.set()
        super().stop()

    # -- the methods ---------------------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        gate = self._holds.get(method)
        if gate is not None:
            gate.wait(120)
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if method not in BOT_METHODS and method != "apps.connections.open":
            return {"ok": False, "error": "unknown_method"}
        if not token:
            return {"ok": False, "error": "not_authed"}
        if token != expected:
            return {"ok": False, "error": "invalid_auth"}
        with self._lock:
            if self._failures[method]:
                return {"ok": False, "error": self._failures[method].popleft()}
            return getattr(self, "_" + method.replace(".", "_"))(params)

    def _auth_test(self, p: dict) -> dict:
        return {"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "advisor",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _apps_connections_open(self, p: dict) -> dict:
        if not self.socket_url:
            return {"ok": False, "error": "socket_mode_not_enabled"}
        return {"ok": True, "url": self.socket_url}

    @staticmethod
    def _message_problem(p: dict) -> str | None:
        text, blocks = p.get("text") or "", p.get("blocks")
        if not text and not blocks:
            return "no_text"
        if len(text) > 40000:
            return "msg_too_long"
        if blocks is not None and block_problems(blocks):
            return "invalid_blocks"
        return None

    def _chat_postMessage(self, p: dict) -> dict:  # noqa: N802 - Slack's method name
        if not p.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if problem := self._message_problem(p):
            return {"ok": False, "error": problem}
        ts = self.next_ts()
        message = _Message(p["channel"], ts, p.get("text") or "", BOT_USER_ID, p.get("thread_ts"), BOT_ID,
                           p.get("blocks") or [])
        self._messages[(p["channel"], ts)] = message
        return {"ok": True, "channel": p["channel"], "ts": ts, "message": message.wire()}

    def _chat_postEphemeral(self, p: dict) -> dict:  # noqa: N802
        if not p.get("channel") or not p.get("user"):
            return {"ok": False, "error": "channel_not_found" if not p.get("channel") else "user_not_in_channel"}
        if problem := self._message_problem(p):
            return {"ok": False, "error": problem}
        return {"ok": True, "message_ts": self.next_ts()}

    def _chat_update(self, p: dict) -> dict:
        message = self._messages.get((p.get("channel"), p.get("ts")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if problem := self._message_problem(p):
            return {"ok": False, "error": problem}
        message.text, message.blocks = p.get("text") or "", p.get("blocks") or []
        return {"ok": True, "channel": message.channel, "ts": message.ts, "text": message.text,
                "message": message.wire()}

    def _reactions_add(self, p: dict) -> dict:
        message = self._messages.get((p.get("channel"), p.get("timestamp")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if p.get("name") in message.reactions:
            return {"ok": False, "error": "already_reacted"}
        message.reactions.add(p.get("name"))
        return {"ok": True}

    def _reactions_remove(self, p: dict) -> dict:
        message = self._messages.get((p.get("channel"), p.get("timestamp")))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if p.get("name") not in message.reactions:
            return {"ok": False, "error": "no_reaction"}
        message.reactions.discard(p.get("name"))
        return {"ok": True}

    def _conversations_replies(self, p: dict) -> dict:
        channel, ts = p.get("channel"), p.get("ts")
        parent = self._messages.get((channel, ts))
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        thread = [parent] + sorted((m for m in self._messages.values()
                                    if m.channel == channel and m.thread_ts == ts and m.ts != ts),
                                   key=lambda m: float(m.ts))
        start = int(p.get("cursor") or 0)
        limit = max(1, min(int(p.get("limit") or 1000), 1000))
        page = thread[start:start + limit]
        more = start + limit < len(thread)
        wire = [m.wire() for m in page]
        if start == 0:
            wire[0] |= {"thread_ts": ts, "reply_count": len(thread) - 1}
        return {"ok": True, "messages": wire, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeSlackAPI

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib names
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def _dispatch(self) -> None:
        path, _, query = self.path.partition("?")
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        params = _flat(parse_qs(query))
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if raw and content_type == "application/json":
            params |= json.loads(raw)
        elif raw:
            params |= _flat(parse_qs(raw))
        for key in ("blocks", "attachments"):  # form-encoded arrays arrive as JSON strings
            if isinstance(params.get(key), str):
                with contextlib.suppress(json.JSONDecodeError):
                    params[key] = json.loads(params[key])
        auth = self.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else params.pop("token", None)
        api = self.fake
        if path.startswith("/response/"):
            with api._lock:
                api.requests.append(Call("response_url", params, None, path))
            self._send({"ok": True})
            return
        if not path.startswith("/api/"):
            self._send({"ok": False, "error": "not_found"}, status=404)
            return
        method = path.removeprefix("/api/")
        call = Call(method, params, token, path)
        with api._lock:
            api.requests.append(call)
        call.response = api.call(method, params, token)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send(call.response)

    def _send(self, payload: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _flat(parsed: dict[str, list[str]]) -> dict[str, Any]:
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


FakeSlackAPI.handler = _Handler  # defined below the fake that serves it


