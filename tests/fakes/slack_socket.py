"""A fake Slack Socket Mode endpoint: a real WebSocket server (the `websockets` library) on loopback.

    with FakeSocketMode() as ws:
        api.socket_url = ws.url                     # handed out by the fake apps.connections.open
        ...                                         # the client connects; the server sends `hello`
        envelope_id = ws.send("events_api", body)   # an envelope as Slack sends it
        ws.acks                                     # the envelope ids the client acknowledged

Each connection gets `hello` first; envelopes go to every open connection; every JSON message the client
sends is recorded (`received`), and those with an `envelope_id` are its acks.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed


class FakeSocketMode:
    def __init__(self, app_id: str = "AFAKE0001") -> None:
        self.app_id = app_id
        self.received: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._connections: set[ServerConnection] = set()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket=fake-ticket&app_id={self.app_id}"

    @property
    def connected(self) -> int:
        with self._lock:
            return len(self._connections)

    @property
    def acks(self) -> list[str]:
        with self._lock:
            return [m["envelope_id"] for m in self.received if "envelope_id" in m]

    # -- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> FakeSocketMode:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), name="FakeSocketMode",
                                        daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("fake Socket Mode server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with serve(self._session, "127.0.0.1", 0) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop.wait()

    async def _session(self, ws: ServerConnection) -> None:
        with self._lock:
            self.paths.append(ws.request.path if ws.request else "")
        await ws.send(json.dumps({"type": "hello", "num_connections": 1,
                                  "debug_info": {"host": "fake-socket-mode", "build_number": 1,
                                                 "approximate_connection_time": 18060},
                                  "connection_info": {"app_id": self.app_id}}))
        with self._lock:
            self._connections.add(ws)
        try:
            async for raw in ws:
                with self._lock:
                    self.received.append(json.loads(raw))
        except ConnectionClosed:
            pass  # a client that is killed sends no close frame
        finally:
            with self._lock:
                self._connections.discard(ws)

    # -- sending -------------------------------------------------------------------------------------

    def send(self, kind: str, payload: dict[str, Any], retry_attempt: int = 0) -> str:
        """Send an envelope (`events_api`, `interactive`, `slash_commands`) to every connection; its id."""
        envelope_id = str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "payload": payload, "type": kind,
                    "accepts_response_payload": kind != "events_api", "retry_attempt": retry_attempt,
                    "retry_reason": "timeout" if retry_attempt else ""}
        assert self._loop is not None, "server not started"
        asyncio.run_coroutine_threadsafe(self._broadcast(json.dumps(envelope)), self._loop).result(timeout=30)
        return envelope_id

    async def _broadcast(self, text: str) -> None:
        with self._lock:
            targets = list(self._connections)
        if not targets:
            raise RuntimeError("no Socket Mode client is connected")
        for ws in targets:
            await ws.send(text)
