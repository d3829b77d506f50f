"""Fake LLM servers on loopback that speak the real wire formats, so the real client code runs against them.

    with FakeOpenAI() as srv:              # srv.url == "http://127.0.0.1:PORT/v1" (an OpenAI base_url)
        srv.reply("Hello world")            # streamed token by token: "Hello", " world"
        srv.fail(500); srv.delay(2.0); srv.empty(); srv.garbage()
        ...
        srv.requests[-1].body["model"]

    with FakeOllama() as srv:              # srv.url == "http://127.0.0.1:PORT"
        ...

Each request to a chat endpoint takes the next scripted reply (or `default` once the queue is empty).
Every request is recorded (method, path, JSON body, headers). Responses use HTTP/1.1; streams are sent
with chunked transfer encoding, one frame per token, as real servers do.

OpenAI: POST /v1/chat/completions (JSON, or SSE `data: {...}` chunks ending with `data: [DONE]` when
`stream` is true), GET /v1/models. Ollama: POST /api/chat (NDJSON stream by default, JSON when
`stream` is false), GET /api/tags, POST /api/show, GET /api/version.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from .loopback import LoopbackFake

GARBAGE = "<html><body>502 proxy says no</body></html> {not json"


def tokens_of(text: str) -> list[str]:
    """Split text the way a tokenizer roughly would: words with their leading whitespace."""
    return re.findall(r"\s*\S+|\s+$", text)


@dataclass
class Reply:
    """One scripted answer to one chat request."""

    tokens: list[str] = field(default_factory=list)
    status: int = 200
    delay_s: float = 0.0  # before the response headers
    token_delay_s: float = 0.0  # between streamed tokens
    garbage: bool = False  # right framing (SSE / NDJSON / JSON), payload not JSON

    @property
    def text(self) -> str:
        return "".join(self.tokens)


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


class FakeLLMServer(LoopbackFake):
    """Shared machinery: a threaded stdlib HTTP server on 127.0.0.1, a reply queue, a request log."""

    model = "fake-model"

    def __init__(self, default: str = "ok") -> None:
        super().__init__()
        self.default = Reply(tokens_of(default))
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self.requests: list[Recorded] = []

    # -- scripting -----------------------------------------------------------------------------------

    def reply(self, text: str | list[str], *, token_delay_s: float = 0.0) -> FakeLLMServer:
        """Queue a reply; a string is split into tokens, a list is used as the tokens."""
        tokens = list(text) if isinstance(text, list) else tokens_of(text)
        return self._push(Reply(tokens, token_delay_s=token_delay_s))

    def fail(self, status: int = 500) -> FakeLLMServer:
        return self._push(Reply(status=status))

    def delay(self, seconds: float, text: str = "late") -> FakeLLMServer:
        """Answer only after `seconds` (make it longer than the client's timeout)."""
        return self._push(Reply(tokens_of(text), delay_s=seconds))

    def empty(self) -> FakeLLMServer:
        return self._push(Reply([]))

    def garbage(self) -> FakeLLMServer:
        return self._push(Reply(garbage=True))

    def _push(self, reply: Reply) -> FakeLLMServer:
        with self._lock:
            self._queue.append(reply)
        return self

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path.rstrip("/").endswith(self.chat_path)]

    # -- lifecycle -----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.root

    def sleep(self, seconds: float) -> None:
        self._closing.wait(seconds)

    # -- protocol hooks ------------------------------------------------------------------------------

    chat_path = ""

    def handle(self, h: _Handler, method: str, path: str, body: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeLLMServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib names
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        path = self.path.split("?", 1)[0]
        fake = self.fake
        with fake._lock:
            fake.requests.append(Recorded(method, path, body, {k.lower(): v for k, v in self.headers.items()}))
        # A client that gave up (its timeout) has closed the socket: nothing left to say.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            fake.handle(self, method, path, body)

    # -- writing -------------------------------------------------------------------------------------

    def send_json(self, payload: Any, status: int = 200, raw: str | None = None) -> None:
        data = (raw if raw is not None else json.dumps(payload)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def write_chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def not_found(self) -> None:
        self.send_json({"error": f"no route {self.command} {self.path}"}, status=404)


def _limit(reply: Reply, max_tokens: Any) -> tuple[list[str], str]:
    """The tokens to send and the finish reason, honouring the request's token bound."""
    if isinstance(max_tokens, int) and 0 < max_tokens < len(reply.tokens):
        return reply.tokens[:max_tokens], "length"
    return reply.tokens, "stop"


FakeLLMServer.handler = _Handler  # defined below the fake that serves it


class FakeOpenAI(FakeLLMServer):
    """OpenAI Chat Completions. `url` is the base_url a client is given (ends in /v1)."""

    chat_path = "/chat/completions"

    @property
    def url(self) -> str:
        return f"{self.root}/v1"

    def handle(self, h: _Handler, method: str, path: str, body: Any) -> None:
        path = path.removeprefix("/v1")
        if method == "GET" and path == "/models":
            h.send_json({"object": "list", "data": [{"id": self.model, "object": "model", "created": 0,
                                                     "owned_by": "fake"}]})
        elif method == "POST" and path == "/chat/completions":
            self._chat(h, body if isinstance(body, dict) else {})
        else:
            h.not_found()

    def _chat(self, h: _Handler, body: dict[str, Any]) -> None:
        reply = self._next_reply()
        if reply.delay_s:
            self.sleep(reply.delay_s)
        if reply.status != 200:
            h.send_json({"error": {"message": f"fake failure {reply.status}", "type": "server_error",
                                   "param": None, "code": None}}, status=reply.status)
            return
        model = body.get("model", self.model)
        tokens, finish = _limit(reply, body.get("max_completion_tokens", body.get("max_tokens")))
        created = int(time.time())
        cid = f"chatcmpl-fake{len(self.requests)}"
        usage = {"prompt_tokens": _prompt_size(body), "completion_tokens": len(tokens),
                 "total_tokens": _prompt_size(body) + len(tokens)}
        if not body.get("stream"):
            if reply.garbage:
                h.send_json(None, raw=GARBAGE)
                return
            h.send_json({"id": cid, "object": "chat.completion", "created": created, "model": model,
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(tokens)},
                                      "logprobs": None, "finish_reason": finish}],
                         "usage": usage})
            return

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> str:
            payload = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                       "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]}
            return f"data: {json.dumps(payload)}\n\n"

        h.start_stream("text/event-stream")
        if reply.garbage:
            h.write_chunk(f"data: {GARBAGE}\n\n")
            h.end_stream()
            return
        h.write_chunk(chunk({"role": "assistant", "content": ""}))
        for token in tokens:
            if reply.token_delay_s:
                self.sleep(reply.token_delay_s)
            h.write_chunk(chunk({"content": token}))
        h.write_chunk(chunk({}, finish))
        if (body.get("stream_options") or {}).get("include_usage"):
            h.write_chunk("data: " + json.dumps({"id": cid, "object": "chat.completion.chunk", "created": created,
                                                 "model": model, "choices": [], "usage": usage}) + "\n\n")
        h.write_chunk("data: [DONE]\n\n")
        h.end_stream()


class FakeOllama(FakeLLMServer):
    """Ollama's native API. `url` is the base_url a client is given (no path)."""

    chat_path = "/api/chat"

    def handle(self, h: _Handler, method: str, path: str, body: Any) -> None:
        body = body if isinstance(body, dict) else {}
        if method == "POST" and path == "/api/chat":
            self._chat(h, body)
        elif method == "GET" and path == "/api/tags":
            h.send_json({"models": [self._model_entry()]})
        elif method == "POST" and path == "/api/show":
            h.send_json({"modelfile": "", "parameters": "", "template": "{{ .Prompt }}",
                         "details": self._model_entry()["details"], "model_info": {},
                         "capabilities": ["completion"], "modified_at": _now()})
        elif method == "GET" and path == "/api/version":
            h.send_json({"version": "0.0.0-fake"})
        else:
            h.not_found()

    def _model_entry(self) -> dict[str, Any]:
        return {"name": f"{self.model}:latest", "model": f"{self.model}:latest", "modified_at": _now(),
                "size": 1, "digest": "0" * 64,
                "details": {"parent_model": "", "format": "gguf", "family": "fake", "families": ["fake"],
                            "parameter_size": "1M", "quantization_level": "Q4_0"}}

    def _chat(self, h: _Handler, body: dict[str, Any]) -> None:
        reply = self._next_reply()
        if reply.delay_s:
            self.sleep(reply.delay_s)
        if reply.status != 200:
            h.send_json({"error": f"fake failure {reply.status}"}, status=reply.status)
            return
        model = body.get("model", self.model)
        tokens, finish = _limit(reply, (body.get("options") or {}).get("num_predict"))
        done = {"model": model, "created_at": _now(), "done": True, "done_reason": finish,
                "total_duration": 1_000_000, "load_duration": 1_000, "prompt_eval_count": _prompt_size(body),
                "prompt_eval_duration": 1_000, "eval_count": len(tokens), "eval_duration": 1_000}
        if body.get("stream", True) is False:
            if reply.garbage:
                h.send_json(None, raw=GARBAGE)
                return
            h.send_json({**done, "message": {"role": "assistant", "content": "".join(tokens)}})
            return
        h.start_stream("application/x-ndjson")
        if reply.garbage:
            h.write_chunk(GARBAGE + "\n")
            h.end_stream()
            return
        for token in tokens:
            if reply.token_delay_s:
                self.sleep(reply.token_delay_s)
            h.write_chunk(json.dumps({"model": model, "created_at": _now(),
                                      "message": {"role": "assistant", "content": token}, "done": False}) + "\n")
        h.write_chunk(json.dumps({**done, "message": {"role": "assistant", "content": ""}}) + "\n")
        h.end_stream()


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _prompt_size(body: dict[str, Any]) -> int:
    return sum(len(str(m.get("content", "")).split()) for m in body.get("messages") or [] if isinstance(m, dict))
